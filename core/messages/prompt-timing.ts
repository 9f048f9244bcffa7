/**
 * When a prompt (a private message the member did not ask for: a review request, a repurchase reminder) may go
 * out: never in the group's quiet hours, never beyond the weekly cap, which counts every kind of prompt together.
 * The rules are pure functions of the clock's time, so they are tested without waiting.
 */
import { DateTime } from 'luxon';
import type { StoreTx } from '../store.js';

export const WEEK_MS = 7 * 24 * 3_600_000;

/** The kinds of prompt the weekly cap counts together (`tx.messages` kinds). */
export const CAPPED_PROMPT_KINDS = ['review_request', 'review_reminder', 'repurchase_reminder'] as const;
export type PromptKind = (typeof CAPPED_PROMPT_KINDS)[number];

/** Quiet hours in the group's time zone (`22:00`-`08:00`), or null for none. */
export type QuietHours = { start: string; end: string } | null;

const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/**
 * The end of the quiet period `at` falls in, or undefined when `at` is not quiet. A window whose start is after
 * its end (22:00-08:00) spans midnight.
 */
export function quietUntil(at: Date, quiet: QuietHours, timeZone: string): Date | undefined {
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
 * When the member may receive another prompt under a cap of `cap` per rolling 7 days, given the times of
 * the ones sent in the last 7 days (oldest first); undefined when one may go now.
 */
export function capFreesAt(sentInLastWeek: readonly Date[], cap: number): Date | undefined {
  if (sentInLastWeek.length < cap) return undefined;
  // The slot frees when enough of the oldest ones are a week old.
  const oldestThatMustExpire = sentInLastWeek[sentInLastWeek.length - cap];
  return oldestThatMustExpire ? new Date(oldestThatMustExpire.getTime() + WEEK_MS) : undefined;
}

/**
 * When a prompt to the member may go: undefined for now, else the end of the quiet hours or the time the weekly
 * cap frees a slot (a rolling 7 days over every kind in CAPPED_PROMPT_KINDS, in every group).
 */
export async function promptPostponedUntil(
  tx: StoreTx,
  prompt: { memberId: string; now: Date; quietHours: QuietHours; weeklyCap: number; timeZone: string },
): Promise<Date | undefined> {
  const quietEnd = quietUntil(prompt.now, prompt.quietHours, prompt.timeZone);
  if (quietEnd) return quietEnd;
  const recent = await tx.messages.sentSince(prompt.memberId, CAPPED_PROMPT_KINDS, new Date(prompt.now.getTime() - WEEK_MS));
  return capFreesAt(recent, prompt.weeklyCap);
}

/** Logs a prompt that is being sent, so the cap counts it. */
export function recordPrompt(tx: StoreTx, prompt: { memberId: string; groupId: string; kind: PromptKind; at: Date }): Promise<void> {
  return tx.messages.record(prompt);
}
