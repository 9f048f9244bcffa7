/**
 * When a review message may go out: never in the group's quiet hours, never beyond the weekly cap. Pure
 * functions of the clock's time, so the rules are tested without waiting.
 */
import { DateTime } from 'luxon';
import type { ReviewSettings } from './review-settings.js';

export const WEEK_MS = 7 * 24 * 3_600_000;

const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/**
 * The end of the quiet period `at` falls in, or undefined when `at` is not quiet. A window whose start is after
 * its end (22:00-08:00) spans midnight.
 */
export function quietUntil(at: Date, quiet: ReviewSettings['quietHours'], timeZone: string): Date | undefined {
  if (!quiet) return undefined;
  const start = minutesOf(quiet.start);
  const end = minutesOf(quiet.end);
  if (start === end) return undefined;
  const local = DateTime.fromJSDate(at, { zone: timeZone });
  const minute = local.hour * 60 + local.minute;
  const inside = start < end ? minute >= start && minute < end : minute >= start || minute < end;
  if (!inside) return undefined;
  let endsAt = local.set({ hour: Math.floor(end / 60), minute: end % 60, second: 0, millisecond: 0 });
  if (endsAt <= local) endsAt = endsAt.plus({ days: 1 });
  return endsAt.toJSDate();
}

/**
 * When the member may receive another review message under a cap of `cap` per rolling 7 days, given the times of
 * the ones sent in the last 7 days (oldest first); undefined when one may go now.
 */
export function capFreesAt(sentInLastWeek: readonly Date[], cap: number): Date | undefined {
  if (sentInLastWeek.length < cap) return undefined;
  // The slot frees when enough of the oldest ones are a week old.
  const oldestThatMustExpire = sentInLastWeek[sentInLastWeek.length - cap];
  return oldestThatMustExpire ? new Date(oldestThatMustExpire.getTime() + WEEK_MS) : undefined;
}
