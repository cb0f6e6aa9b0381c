// Date arithmetic on Unix seconds, UTC. Pure: callers pass "now".

const DAY = 86_400;

/** `YYYY-MM-DD` → Unix seconds at midnight UTC, or undefined when it is not a real date. */
export function parseDate(value: string): number | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const ms = Date.UTC(year, month - 1, day);
  const date = new Date(ms);
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return undefined;
  return ms / 1000;
}

/** Midnight UTC of the day containing `at`. */
export const startOfDay = (at: number): number => Math.floor(at / DAY) * DAY;

/**
 * Full calendar months from `from` to `to` (0 when `to` is earlier).
 * @example fullMonthsBetween(parseDate('2024-11-01')!, parseDate('2025-11-01')!) // 12
 */
export function fullMonthsBetween(from: number, to: number): number {
  if (to <= from) return 0;
  const a = new Date(from * 1000);
  const b = new Date(to * 1000);
  let months = (b.getUTCFullYear() - a.getUTCFullYear()) * 12 + (b.getUTCMonth() - a.getUTCMonth());
  if (b.getUTCDate() < a.getUTCDate()) months -= 1;
  return Math.max(0, months);
}

/**
 * `days` business days (Monday to Friday) after `from`, at the same time of day.
 * @example addBusinessDays(parseDate('2024-01-26')!, 1) === parseDate('2024-01-29') // Friday → Monday
 */
export function addBusinessDays(from: number, days: number): number {
  let at = from;
  let left = days;
  while (left > 0) {
    at += DAY;
    const weekday = new Date(at * 1000).getUTCDay();
    if (weekday !== 0 && weekday !== 6) left -= 1;
  }
  return at;
}

export const SECONDS_PER_DAY = DAY;
