// Time comes from one place so tests can move it (expiry after 12 months, retry backoff) without
// waiting, and so every timestamp a service writes agrees with the one it compares against.
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

export const DAY_MS = 86_400_000;

export function addDays(date: Date, days: number): Date {
  return new Date(date.getTime() + days * DAY_MS);
}
