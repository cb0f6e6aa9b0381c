// Tags a group of checks with its capability: the describe title starts with `[name]`, which the
// reports group by, and the group is skipped when the run did not select the capability.
import { describe } from 'vitest';
import type { Capability } from '../capabilities.js';
import { target } from './target.js';

/**
 * @example capability('core', 'collection cases', () => { it('…', async () => { … }); });
 */
export function capability(name: Capability, title: string, body: () => void): void {
  const selected = target().capabilities;
  // A debitura-* capability runs only with --api debitura, CasaPay's only without it.
  const ofApi = name.startsWith('debitura-') === (target().api === 'debitura');
  const enabled = ofApi && (selected.length === 0 || selected.includes(name));
  (enabled ? describe : describe.skip)(`[${name}] ${title}`, body);
}

/**
 * Skips a check whose prerequisite (made by an earlier check of the group) is missing, so one
 * failure is reported once instead of cascading.
 * @example it('retrieves it', (ctx) => { needs(ctx, created, 'the case of "creates a case"'); … });
 */
export function needs(ctx: { skip: (condition: boolean, note?: string) => void }, value: unknown, what: string): void {
  ctx.skip(value === undefined || value === null, `needs ${what}, which failed`);
}
