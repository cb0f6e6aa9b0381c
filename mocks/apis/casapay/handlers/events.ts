// /v1/events: everything that happened on the account, as webhooks deliver it, with delivery logs.
import type { components } from '../../../../generated/casapay.js';
import type { ApiEvent } from '../state.js';
import { errors } from '../errors.js';
import { created, ok, type Handler } from './context.js';
import { find, listPage } from './shared.js';

type EventType = components['schemas']['EventType'];

/** `collection_case.*` matches a family; anything else must match exactly. */
export function typeMatcher(pattern: string): (type: string) => boolean {
  if (pattern.endsWith('.*')) {
    const prefix = pattern.slice(0, -1);
    return (type) => type.startsWith(prefix);
  }
  return (type) => type === pattern;
}

/**
 * Whether an endpoint's `enabled_events` take `type`: `*`, the exact name, or its family (`collection_case.*`,
 * matched as the `type` filter above matches it).
 * @example subscribes(['collection_case.*'], 'collection_case.closed') // true
 */
export function subscribes(enabled: readonly string[], type: string): boolean {
  for (const name of enabled)
    if (name === '*' || name === type || (name.endsWith('.*') && type.startsWith(name.slice(0, -1)))) return true;
  return false;
}

export const listEvents: Handler = (ctx) => {
  const { type, types, delivery_success } = ctx.query as {
    type?: string;
    types?: EventType[];
    delivery_success?: boolean;
  };
  if (type !== undefined && types !== undefined) throw errors.parametersExclusive('type', 'types');
  const matchType =
    type !== undefined
      ? typeMatcher(type)
      : types !== undefined
        ? (t: string) => types.includes(t as EventType)
        : undefined;
  // Vacuously true for an event no endpoint subscribed to: nothing failed or waits (Stripe's reading).
  const delivered = (event: ApiEvent) => ctx.deliveries(event.id).every((d) => d.status === 'succeeded');
  const filter =
    matchType || delivery_success !== undefined
      ? (event: ApiEvent) =>
          (!matchType || matchType(event.type)) &&
          (delivery_success === undefined || delivered(event) === delivery_success)
      : undefined;
  return ok(listPage(ctx, ctx.account.events, filter));
};

export const retrieveEvent: Handler = (ctx) => ok(find(ctx.account.events, ctx.params.id!, 'event'));

export const listEventWebhookDeliveries: Handler = (ctx) => {
  const event = find(ctx.account.events, ctx.params.id!, 'event');
  return ok({ object: 'list', data: ctx.deliveries(event.id), has_more: false, url: ctx.path });
};

/** Resend: a new delivery of the event to one enabled endpoint; the earlier deliveries stay as they were. */
export const createEventWebhookDelivery: Handler = (ctx) => {
  const event = find(ctx.account.events, ctx.params.id!, 'event');
  const { webhook_endpoint: endpointId } = ctx.body as components['schemas']['WebhookDeliveryCreateParams'];
  const endpoint = ctx.account.webhookEndpoints.get(endpointId);
  if (!endpoint) throw errors.missingReference('webhook_endpoint', endpointId, 'webhook_endpoint');
  if (endpoint.status !== 'enabled')
    throw errors.stateInvalid(
      `The webhook endpoint ${endpointId} is disabled; enable it before resending to it.`,
      'webhook_endpoint',
    );
  return created(ctx.redeliver(event, endpoint.id));
};
