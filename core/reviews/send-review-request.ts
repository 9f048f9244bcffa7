import { memberLanguage, type UseCaseEnv } from '../context.js';
import { t } from '../i18n/translate.js';
import type { Button } from '../replies.js';
import { reviewRequestJob } from './request-review.js';
import { readReviewSettings, RICH_MIN_PHOTOS, RICH_MIN_VIDEO_SECONDS, timingFor } from './review-settings.js';
import { promptPostponedUntil, recordPrompt } from '../messages/prompt-timing.js';

const HOUR_MS = 3_600_000;

export type SendOutcome = 'sent' | 'reminded' | 'postponed' | 'skipped' | 'stale';

/** Star buttons 1-5 for a buy: `rv:rate:<buy id>:<stars>`. */
export function starButtons(buyId: number): Button[][] {
  return [[1, 2, 3, 4, 5].map((stars) => ({ label: `${stars}⭐`, action: `rv:rate:${buyId}:${stars}` }))];
}

/**
 * The `review.request` job: sends a request's message that was due at `dueAt` (the request, then each reminder),
 * unless the member reviewed or opted out meanwhile. Quiet hours and the weekly cap postpone it (a new job at the
 * new time). Idempotent: the request row is locked, and a job whose due time is no longer the request's finds
 * nothing to do.
 */
export async function sendReviewRequest(env: UseCaseEnv, requestId: number, dueAt: number): Promise<SendOutcome> {
  const { tx, now } = env;
  const request = await tx.reviews.getRequest(requestId, { lock: true });
  if (!request || request.nextAt?.getTime() !== dueAt || (request.status !== 'pending' && request.status !== 'sent')) return 'stale';
  const review = await tx.reviews.findReview(request.buyId, request.memberId);
  if (review?.submittedAt) {
    await tx.reviews.updateRequest(request.id, { status: 'reviewed', nextAt: null });
    return 'skipped';
  }
  if (await tx.reviews.isOptedOut(request.memberId)) {
    await tx.reviews.updateRequest(request.id, { status: 'opted_out', nextAt: null });
    return 'skipped';
  }
  const [buy, group, member] = await Promise.all([tx.getBuy(request.buyId), tx.getGroup(request.groupId), tx.getMember(request.memberId)]);
  if (!buy || !group || !member) {
    await tx.reviews.updateRequest(request.id, { status: 'expired', nextAt: null });
    return 'skipped';
  }
  const { settings } = readReviewSettings(await tx.reviews.getSettings(group.id));

  const postpone = async (until: Date): Promise<SendOutcome> => {
    await tx.reviews.updateRequest(request.id, { nextAt: until });
    env.out.schedule(reviewRequestJob(request, until));
    return 'postponed';
  };
  const later = await promptPostponedUntil(tx, { memberId: member.id, now, quietHours: settings.quietHours, weeklyCap: settings.weeklyCap, timeZone: group.timeZone });
  if (later) return postpone(later);

  const isReminder = request.status === 'sent';
  const lang = memberLanguage(member, group, env.defaultLanguage);
  const params = {
    id: buy.id, title: buy.title, group: group.title ?? '', points: settings.rewardPoints, bonus: settings.richBonusPoints,
    photos: RICH_MIN_PHOTOS, seconds: RICH_MIN_VIDEO_SECONDS,
  };
  const text = [
    t(lang, isReminder ? 'review.reminder_dm' : 'review.request_dm', params),
    settings.rewardPoints > 0 ? t(lang, 'review.request_reward', params) : undefined,
    settings.richBonusPoints > 0 ? t(lang, 'review.request_bonus', params) : undefined,
    t(lang, 'review.request_footer', { id: buy.id }),
  ].filter(Boolean).join('\n');
  env.out.push({ kind: 'message', to: { memberId: member.id }, text, buttons: starButtons(buy.id) });
  await recordPrompt(tx, { memberId: member.id, groupId: group.id, kind: isReminder ? 'review_reminder' : 'review_request', at: now });

  const timing = timingFor(settings, buy.id);
  const remindersSent = isReminder ? request.remindersSent + 1 : 0;
  const next = remindersSent < timing.reminders ? new Date(now.getTime() + timing.reminderIntervalHours * HOUR_MS) : null;
  await tx.reviews.updateRequest(request.id, { status: 'sent', ...(isReminder ? {} : { sentAt: now }), remindersSent, nextAt: next });
  if (next) env.out.schedule(reviewRequestJob(request, next));
  return isReminder ? 'reminded' : 'sent';
}
