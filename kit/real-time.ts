// The real clock, for what must follow the wall clock whatever a mock's virtual clock says: webhook
// signature timestamps (receivers check them against their own clock), log stamps and durations.
// The mock's virtual clock is mocks/engine/clock.ts; nothing else reads Date.now() or performance.now().

/** Real time in Unix seconds, for webhook signature timestamps: receivers check them against their own clock, not the mock's. */
export const realNowSeconds = (): number => Math.floor(Date.now() / 1000);
/** Real time in Unix milliseconds (log lines, as pino stamps them). */
export const realNowMs = (): number => Date.now();

/** Milliseconds from an arbitrary origin, for measuring durations (webhook latency). */
export const monotonicMs = (): number => performance.now();
