/**
 * Days, weeks and months as a group lives them: in the group's time zone. Check-ins, daily caps and the
 * leaderboard's seasons all count by these, so "today" means the same thing to every rule. They run on every
 * /checkin, /me, /top and capped award, so they go through core/time/zoned-time.ts (luxon's results, a cached
 * formatter per zone) rather than building a luxon DateTime each time.
 */
import { localDate, localMonth, localStartOf, previousDate } from '../time/zoned-time.js';

export type Season = 'week' | 'month';

/** The date of an instant in a zone, `YYYY-MM-DD`. */
export function dayIn(at: Date, timeZone: string): string {
  return localDate(at, timeZone);
}

/** The day before a `YYYY-MM-DD` date. */
export function dayBefore(day: string): string {
  return previousDate(day);
}

/** Midnight of the instant's day in the zone. */
export function startOfDay(at: Date, timeZone: string): Date {
  return localStartOf('day', at, timeZone);
}

/** When the current season began: Monday 00:00 for weeks (ISO weeks), the 1st 00:00 for months. */
export function seasonStart(season: Season, at: Date, timeZone: string): Date {
  return localStartOf(season, at, timeZone);
}

/** A season's name: the Monday it began (`2026-12-14`) or the month (`2026-12`). */
export function seasonName(season: Season, at: Date, timeZone: string): string {
  const start = seasonStart(season, at, timeZone);
  return season === 'week' ? localDate(start, timeZone) : localMonth(start, timeZone);
}
