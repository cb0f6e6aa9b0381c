// The mock's notion of "now": real time by default, or frozen / offset on request. Only this file and
// kit/real-time.ts read the real clock; everything else receives a Clock (or, for webhook signature
// timestamps, realNowSeconds), so runs are repeatable.
import { realNowMs } from '../../kit/real-time.js';

export interface Clock {
  /** Current time in Unix seconds. */
  now(): number;
  /** Current time in milliseconds (for latency and retention, not for business dates). */
  nowMs(): number;
  /** Freezes time at `at` (Unix seconds), or at the current time. */
  freeze(at?: number): void;
  /** Lets time run again from the current virtual time (keeps any offset). */
  unfreeze(): void;
  /** Moves virtual time by `seconds` (negative moves back) whether frozen or not. */
  shift(seconds: number): void;
  /** Whether time is frozen, and the offset from real time in seconds. */
  describe(): { now: number; frozen: boolean; offset_seconds: number };
  /** What a store keeps of the clock: frozen at a time, or running at an offset from real time. */
  state(): ClockState;
  /** Sets the clock to a kept state (a restart, another instance's change). */
  restore(state: ClockState): void;
}

export interface ClockState {
  frozenAtMs: number | null;
  offsetMs: number;
}

export interface ClockOptions {
  /** Start the clock at this Unix time; with `frozen`, it stays there until shifted. */
  start?: number;
  frozen?: boolean;
}

/**
 * @example
 * const clock = createClock({ start: 1706140800, frozen: true });
 * clock.now(); // 1706140800
 * clock.shift(86400); clock.now(); // 1706227200
 */
export function createClock(options: ClockOptions = {}, realMs: () => number = realNowMs): Clock {
  let offsetMs = options.start === undefined ? 0 : options.start * 1000 - realMs();
  let frozenAtMs: number | null = options.frozen ? realMs() + offsetMs : null;

  const nowMs = () => frozenAtMs ?? realMs() + offsetMs;
  return {
    nowMs,
    now: () => Math.floor(nowMs() / 1000),
    freeze(at) {
      frozenAtMs = at === undefined ? nowMs() : at * 1000;
    },
    unfreeze() {
      if (frozenAtMs !== null) offsetMs = frozenAtMs - realMs();
      frozenAtMs = null;
    },
    shift(seconds) {
      if (frozenAtMs !== null) frozenAtMs += seconds * 1000;
      else offsetMs += seconds * 1000;
    },
    state: () => ({ frozenAtMs, offsetMs }),
    restore(state) {
      frozenAtMs = state.frozenAtMs;
      offsetMs = state.offsetMs;
    },
    describe() {
      return {
        now: Math.floor(nowMs() / 1000),
        frozen: frozenAtMs !== null,
        offset_seconds: Math.round(((frozenAtMs ?? realMs() + offsetMs) - realMs()) / 1000),
      };
    },
  };
}
