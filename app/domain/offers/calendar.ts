/**
 * Calendar arithmetic for reminders and check-ins. Dates of contracts are stored as
 * "YYYY-MM-DD" (a day in France, no time); instants are compared as `Date`s.
 */

const DAY_MS = 86_400_000;

export const daysBefore = (now: Date, days: number): Date => new Date(now.getTime() - days * DAY_MS);

/** The day `now` falls on in France, as "YYYY-MM-DD" (comparable as a string). */
export function parisDay(now: Date): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Paris", year: "numeric", month: "2-digit", day: "2-digit" }).format(now);
}

/**
 * The same day `months` later; a day the month does not have falls on its last day
 * (31 January + 1 month = 28 or 29 February), as a person counting on a calendar would.
 */
export function addMonths(day: string, months: number): string {
  const [year, month, date] = day.split("-").map(Number) as [number, number, number];
  const target = new Date(Date.UTC(year, month - 1 + months, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(date, lastDay));
  return target.toISOString().slice(0, 10);
}
