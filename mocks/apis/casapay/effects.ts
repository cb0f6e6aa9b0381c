// CasaPay's effects on top of the engine's: `emit` records an event in the account's log (delivered
// once the operation completes), `redeliver` sends a stored one again; and the request context
// CasaPay's handlers get (delivery logs, test clocks). Built per operation or task from the engine's.
import type { Effects as EngineEffects, RequestContext, RequestInfo } from '../../engine/handler.js';
import type { Sandbox } from '../../engine/sandbox.js';
import type { AccountState, ApiEvent } from './state.js';
import type { Effects, EventSubject, HandlerContext } from './handlers/context.js';
import { eventRequest, type EventLog } from './event-log.js';
import { advanceTestClock } from './test-clocks.js';

/**
 * CasaPay's effects over the engine's (same object, extended: no copy per request).
 * @example casapayEffects(sandbox.effects(account), log, null).emit('collection_case.created', kase)
 */
export function casapayEffects<F extends EngineEffects>(
  fx: F,
  log: EventLog,
  request: RequestInfo | null,
): F & Effects {
  // One `request` object for every event of the operation (events are immutable, so they can share it).
  let requestOf: ApiEvent['request'] | undefined;
  // Consecutive events about the same object without previous_attributes (a case's `created` then
  // `active`) share their `data`, for the same reason.
  let last: { subject: EventSubject; data: ApiEvent['data'] } | undefined;
  const dataOf = (subject: EventSubject, previous: Record<string, unknown> | undefined): ApiEvent['data'] => {
    const object = subject as unknown as ApiEvent['data']['object'];
    if (previous) return { object, previous_attributes: previous };
    if (last?.subject !== subject) last = { subject, data: { object } };
    return last.data;
  };
  const casapay = fx as unknown as F & Effects;
  const account = fx.account as AccountState;
  casapay.emit = (type, subject, previous, when) =>
    log.record(
      casapay,
      (requestOf ??= eventRequest(request)),
      type,
      dataOf(subject, previous),
      when ?? fx.now((subject as { test_clock?: string | null }).test_clock),
    );
  casapay.redeliver = (event, endpointId) => log.redeliver(account, event, endpointId);
  return casapay;
}

/** The context CasaPay's handlers get, from the engine's request context. */
export function casapayContext(ctx: RequestContext, log: EventLog, sandbox: Sandbox): HandlerContext {
  const context = casapayEffects(ctx, log, ctx.request) as RequestContext & HandlerContext;
  context.deliveries = (eventId) => sandbox.deliveries(eventId);
  context.advanceTestClock = (clockId, to) => advanceTestClock(sandbox, context.account, clockId, to);
  return context;
}
