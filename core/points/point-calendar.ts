/**
 * Days, weeks and months as a group lives them: in the group's time zone. Check-ins, daily caps and the
 * leaderboard's seasons all count by these, so "today" means the same thing to every rule.
 */
import { DateTime } from 'luxon';

export type Season = 'week' | 'month';

/** The date of an instant in a zone, `YYYY-MM-DD`. */
export function dayIn(at: Date, timeZone: string): string {
  return DateTime.fromJSDate(at, { zone: timeZone }).toISODate()!;
}

/** The day before a `YYYY-MM-DD` date. */
export function dayBefore(day: string): string {
  return DateTime.fromISO(day, { zone: 'UTC' }).minus({ days: 1 }).toISODate()!;
}

/** Midnight of the instant's day in the zone. */
export function startOfDay(at: Date, timeZone: string): Date {
  return DateTime.fromJSDate(at, { zone: timeZone }).startOf('day').toJSDate();
}

/** When the current season began: Monday 00:00 for weeks (ISO weeks), the 1st 00:00 for months. */
export function seasonStart(season: Season, at: Date, timeZone: string): Date {
  return DateTime.fromJSDate(at, { zone: timeZone }).startOf(season === 'week' ? 'week' : 'month').toJSDate();
}

/** A season's name: the Monday it began (`2026-12-14`) or the month (`2026-12`). */
export function seasonName(season: Season, at: Date, timeZone: string): string {
  const start = DateTime.fromJSDate(seasonStart(season, at, timeZone), { zone: timeZone });
  return season === 'week' ? start.toISODate()! : start.toFormat('yyyy-MM');
}
