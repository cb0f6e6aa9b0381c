// operationId → handler. Every operation of the contract is served from state; Prism answers only
// requests that ask for a contract example (`Prefer: code=…, example=…`).
import type { Handler } from './context.js';
import { createCasePreview } from './case-previews.js';
import {
  createCollectionCase,
  listCollectionCases,
  retrieveCollectionCase,
  retrieveCollectionCaseByReference,
  retrieveCollectionCaseTimeline,
} from './collection-cases.js';
import { downloadCaseFileContents, listCaseFiles, retrieveCaseFile, uploadCaseFile } from './case-files.js';
import { listDebtPayments, retrieveDebtPayment } from './debt-payments.js';
import {
  createGuaranteePolicy,
  listGuaranteePolicies,
  retrieveGuaranteePolicy,
  updateGuaranteePolicy,
} from './guarantee-policies.js';
import {
  cancelGuarantee,
  createGuarantee,
  listGuarantees,
  retrieveGuarantee,
  updateGuaranteeHandler,
} from './guarantees.js';
import { createClaim, listClaims, retrieveClaim } from './claims.js';
import { createEventWebhookDelivery, listEventWebhookDeliveries, listEvents, retrieveEvent } from './events.js';
import {
  createWebhookEndpoint,
  deleteWebhookEndpoint,
  listWebhookEndpoints,
  retrieveWebhookEndpoint,
  updateWebhookEndpoint,
} from './webhook-endpoints.js';
import { withWebhookUrlCheck } from '../../../engine/webhooks/registration.js';
import {
  advanceCollectionCase,
  advanceTestClock,
  approveClaim,
  createTestClock,
  createTestDebtPayment,
  deleteTestClock,
  denyClaim,
  fireEvent,
  listTestClocks,
  payClaimHandler,
  retrieveTestClock,
} from './test-helpers.js';

export const handlers: Readonly<Record<string, Handler>> = {
  createCasePreview,
  createCollectionCase,
  listCollectionCases,
  retrieveCollectionCase,
  retrieveCollectionCaseByReference,
  retrieveCollectionCaseTimeline,
  uploadCaseFile,
  listCaseFiles,
  retrieveCaseFile,
  downloadCaseFileContents,
  listDebtPayments,
  retrieveDebtPayment,
  createGuaranteePolicy,
  listGuaranteePolicies,
  retrieveGuaranteePolicy,
  updateGuaranteePolicy,
  createGuarantee,
  listGuarantees,
  retrieveGuarantee,
  updateGuarantee: updateGuaranteeHandler,
  cancelGuarantee,
  createClaim,
  listClaims,
  retrieveClaim,
  listEvents,
  retrieveEvent,
  listEventWebhookDeliveries,
  createEventWebhookDelivery,
  createWebhookEndpoint: withWebhookUrlCheck(createWebhookEndpoint),
  listWebhookEndpoints,
  retrieveWebhookEndpoint,
  updateWebhookEndpoint: withWebhookUrlCheck(updateWebhookEndpoint),
  deleteWebhookEndpoint,
  createTestClock,
  listTestClocks,
  retrieveTestClock,
  deleteTestClock,
  advanceTestClock,
  advanceCollectionCase,
  createTestDebtPayment,
  approveClaim,
  denyClaim,
  payClaim: payClaimHandler,
  fireEvent,
};
