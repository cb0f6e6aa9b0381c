// Small pieces several handlers share: list pages, lookups that 404, the currency check, the 400 of a refused field.
import type { ApiError } from '../../../engine/errors.js';
import { errors } from '../errors.js';
import { checkCurrency, type FieldProblem } from '../rules.js';
import type { Collection, CreatedRange, Listable } from '../../../engine/state/collection.js';
import type { HandlerContext } from './context.js';

export type { CreatedRange } from '../../../engine/state/collection.js';

/**
 * A Stripe list object for a collection, with the common query (`limit`, cursors, `created`).
 * `where` names the collection's indexes the filter's equality conditions can use, so the page walks
 * only matching objects; `filter` must still hold the whole condition.
 * @example listPage(ctx, account.cases, (c) => c.status === 'active', { status: 'active' })
 */
export function listPage<T extends Listable>(
  ctx: HandlerContext,
  collection: Collection<T>,
  filter?: (item: T) => boolean,
  where?: Record<string, string | undefined>,
) {
  const {
    limit = 10,
    starting_after,
    ending_before,
    created,
  } = ctx.query as {
    limit?: number;
    starting_after?: string;
    ending_before?: string;
    created?: CreatedRange;
  };
  if (starting_after !== undefined && ending_before !== undefined)
    throw errors.parametersExclusive('starting_after', 'ending_before');
  for (const [param, id] of [
    ['starting_after', starting_after],
    ['ending_before', ending_before],
  ] as const) {
    if (id !== undefined && !collection.has(id))
      throw errors.parameterInvalid(param, `no object with id '${id}' to page from.`);
  }
  const page = collection.page({
    limit,
    startingAfter: starting_after,
    endingBefore: ending_before,
    where,
    created,
    filter,
  });
  return { object: 'list' as const, data: page.data, has_more: page.has_more, url: ctx.path };
}

/** The object with this id, or a 404 naming the resource. */
export function find<T extends Listable>(
  collection: Collection<T>,
  id: string,
  resource: string,
  param: string | null = 'id',
): T {
  const item = collection.get(id);
  if (!item) throw errors.notFound(resource, id, param);
  return item;
}

/** Lowercase ISO 4217 code, or 400 for a code that is not a currency (the rule: ../rules.ts). */
export function currency(code: string, param = 'currency'): string {
  const checked = checkCurrency(code, param);
  if (!checked.ok) throw fieldError(checked);
  return checked.value;
}

/** The 400 for a field the rules refused. */
export const fieldError = ({ problem, param, message }: FieldProblem): ApiError =>
  problem === 'missing' ? errors.parameterMissing(param, message) : errors.parameterInvalid(param, message);

/** Test clock of a create request: it must exist; objects on it live at its frozen time. */
export function testClockOf(ctx: HandlerContext, id: string | undefined): string | null {
  if (id === undefined) return null;
  if (!ctx.account.testClocks.has(id)) throw errors.missingReference('test clock', id, 'test_clock');
  return id;
}

/** Shallow diff of two versions of an object: the previous values of the fields that changed. */
export function previousAttributes<T extends object>(before: T, after: T): Record<string, unknown> {
  const previous: Record<string, unknown> = {};
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const a = (before as Record<string, unknown>)[key];
    const b = (after as Record<string, unknown>)[key];
    if (JSON.stringify(a) !== JSON.stringify(b)) previous[key] = a ?? null;
  }
  return previous;
}
