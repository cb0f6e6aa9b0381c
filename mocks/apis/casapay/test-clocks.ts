// CasaPay's test clocks as the engine's named clocks: a task scheduled on a test clock runs when the
// clock is advanced past it (POST /v1/test_helpers/test_clocks/{id}/advance), and the clock reads each
// task's time while it runs, so events are stamped in order.
import type { Account } from '../../engine/state/accounts.js';
import type { NamedClocks, Sandbox } from '../../engine/sandbox.js';
import { casapayAccount } from './state.js';

export const testClocks: NamedClocks = {
  now: (account, clock) => casapayAccount(account).testClocks.get(clock)?.frozen_time,
  reached(account, clock, at) {
    const clocks = casapayAccount(account).testClocks;
    const testClock = clocks.get(clock);
    if (testClock && at > testClock.frozen_time) clocks.replace({ ...testClock, frozen_time: at });
  },
};

/** Moves a test clock to `to`, running everything due on it in time order. */
export function advanceTestClock(sandbox: Sandbox, account: Account, clockId: string, to: number): void {
  const clocks = casapayAccount(account).testClocks;
  const clock = clocks.get(clockId);
  if (!clock) return;
  clocks.replace({ ...clock, status: 'advancing' });
  sandbox.runDue(account, clockId, to);
  clocks.replace({ ...clocks.get(clockId)!, frozen_time: to, status: 'ready' });
}
