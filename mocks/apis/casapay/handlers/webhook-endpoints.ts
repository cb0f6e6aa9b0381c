// /v1/webhook_endpoints: where events are delivered. The `whsec_` secret is shown once, at create.
import type { components } from '../../../../generated/casapay.js';
import type { WebhookEndpoint } from '../state.js';
import { created, ok, type Handler } from './context.js';
import { find, listPage } from './shared.js';
import { errors } from '../errors.js';

type CreateParams = components['schemas']['WebhookEndpointCreateParams'];
type UpdateParams = components['schemas']['WebhookEndpointUpdateParams'];

import { MAX_WEBHOOK_ENDPOINTS } from '../../../engine/webhooks/registration.js';

export const API_VERSION = '2024-11-01';

export const createWebhookEndpoint: Handler = (ctx) => {
  const body = ctx.body as CreateParams;
  if (ctx.account.webhookEndpoints.size >= MAX_WEBHOOK_ENDPOINTS) {
    throw errors.limitReached(
      'webhook endpoints',
      MAX_WEBHOOK_ENDPOINTS,
      'This one has that many: delete one (DELETE /v1/webhook_endpoints/{id}) before creating another.',
    );
  }
  const endpoint: WebhookEndpoint = {
    id: ctx.ids.id('we'),
    object: 'webhook_endpoint',
    url: body.url,
    enabled_events: body.enabled_events as string[],
    status: 'enabled',
    api_version: body.api_version ?? API_VERSION,
    description: body.description ?? null,
    metadata: body.metadata ?? {},
    // Shown only when chosen (a kit extension: CasaPay's API documents X-CasaPay-Signature alone).
    ...(body.signature_scheme ? { signature_scheme: body.signature_scheme } : {}),
    created: ctx.now(),
  };
  const secret = ctx.ids.secret('whsec');
  ctx.account.webhookEndpoints.add(endpoint);
  ctx.account.webhookSecrets.set(endpoint.id, secret);
  return created({ ...endpoint, secret });
};

export const listWebhookEndpoints: Handler = (ctx) => ok(listPage(ctx, ctx.account.webhookEndpoints));

export const retrieveWebhookEndpoint: Handler = (ctx) =>
  ok(find(ctx.account.webhookEndpoints, ctx.params.id!, 'webhook_endpoint'));

export const updateWebhookEndpoint: Handler = (ctx) => {
  const before = find(ctx.account.webhookEndpoints, ctx.params.id!, 'webhook_endpoint');
  const { disabled, metadata, ...fields } = ctx.body as UpdateParams;
  const after: WebhookEndpoint = {
    ...before,
    ...(fields as Partial<WebhookEndpoint>),
    ...(disabled === undefined ? {} : { status: disabled ? 'disabled' : 'enabled' }),
    metadata: metadata ? { ...before.metadata, ...metadata } : before.metadata,
  };
  ctx.account.webhookEndpoints.replace(after);
  return ok(after);
};

export const deleteWebhookEndpoint: Handler = (ctx) => {
  const endpoint = find(ctx.account.webhookEndpoints, ctx.params.id!, 'webhook_endpoint');
  ctx.account.webhookEndpoints.delete(endpoint.id);
  ctx.account.webhookSecrets.delete(endpoint.id);
  return ok({ id: endpoint.id, object: 'webhook_endpoint', deleted: true });
};
