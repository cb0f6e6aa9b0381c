// Compile-time checks of the generated types, run by `npm run typecheck` (part of `npm test`).
// Each @ts-expect-error must be needed: if a wrong value ever compiled, tsc would fail here.
import type { components, operations, paths, webhooks } from '../generated/casapay.js';

type Schemas = components['schemas'];

export const status: Schemas['CollectionCase']['status'] = 'active';
// @ts-expect-error 'open' is not a collection case status
export const wrongStatus: Schemas['CollectionCase']['status'] = 'open';

// @ts-expect-error document types are an enum
export const wrongDocumentType: Schemas['DocumentType'] = 'passport';

export const closeCode: NonNullable<Schemas['CollectionCase']['close_code']> = 'partially_paid';
// @ts-expect-error close codes are an enum
export const wrongCloseCode: NonNullable<Schemas['CollectionCase']['close_code']> = 'settled';

// @ts-expect-error claim reasons are an enum
export const wrongReason: Schemas['ClaimCreateParams']['reason'] = 'late';

export const createBody: paths['/v1/collection_cases']['post']['requestBody']['content']['application/json'] = {
  amount_to_recover: 360000,
  currency: 'eur',
  debtor: { type: 'private', name: 'John Smith', address: { country: 'DE' } },
  due_date: '2024-11-01',
};
// @ts-expect-error amount_to_recover is required
export const missingAmount: Schemas['CollectionCaseCreateParams'] = {
  currency: 'eur',
  debtor: createBody.debtor,
  due_date: '2024-11-01',
};

type ErrorType = operations['retrieveCollectionCase']['responses'][404]['content']['application/json']['error']['type'];
export const errorType: ErrorType = 'invalid_request_error';
// @ts-expect-error error types are an enum
export const wrongErrorType: ErrorType = 'not_found';

type ClosedPayload = NonNullable<
  webhooks['collection_case.closed']['post']['requestBody']
>['content']['application/json'];
export const eventType: ClosedPayload['type'] = 'collection_case.closed';
// @ts-expect-error a collection_case.closed payload has that type only
export const wrongEventType: ClosedPayload['type'] = 'claim.paid';
