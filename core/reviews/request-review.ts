import type { UseCaseEnv } from '../context.js';
import type { ScheduledJob } from '../ports.js';
import type { BuyRecord } from '../store.js';
import type { ReviewRequestRecord } from './review-store.js';
import { readReviewSettings, timingFor } from './review-settings.js';

const HOUR_MS = 3_600_000;

/**
 * The durable job that sends a request's next message. Its key holds the due time, so scheduling the same
 * message twice runs it once, and a job left over from an earlier plan finds the request moved on and does nothing.
 */
export function reviewRequestJob(request: Pick<ReviewRequestRecord, 'id'>, dueAt: Date): ScheduledJob {
  return {
    name: 'review.request',
    runAt: dueAt,
    key: `review.request:${request.id}:${dueAt.getTime()}`,
    data: { requestId: request.id, dueAt: dueAt.getTime() },
  };
}

/**
 * Called when a buyer's delivery is marked: creates their review request (once per buy and member) due after the
 * group's (or the buy's) delay, and schedules its job after the commit.
 */
export async function requestReview(env: UseCaseEnv, buy: BuyRecord, memberId: string): Promise<void> {
  const { settings } = readReviewSettings(await env.tx.reviews.getSettings(buy.groupId));
  const dueAt = new Date(env.now.getTime() + timingFor(settings, buy.id).delayHours * HOUR_MS);
  const request = await env.tx.reviews.createRequest({ buyId: buy.id, memberId, groupId: buy.groupId, nextAt: dueAt, at: env.now });
  if (request) {
    env.out.schedule(reviewRequestJob(request, dueAt));
    return;
  }
  // Delivered again after an un-mark withdrew the request before it was sent: it is planned again.
  const existing = await env.tx.reviews.findRequest(buy.id, memberId);
  if (existing?.status === 'expired' && existing.sentAt === null) {
    await env.tx.reviews.updateRequest(existing.id, { status: 'pending', nextAt: dueAt });
    env.out.schedule(reviewRequestJob(existing, dueAt));
  }
}

/**
 * A delivery was un-marked: a request not yet sent is withdrawn (its job then finds nothing to do). One already
 * sent, or a review already written, stays: the member did receive something, and their words are theirs.
 */
export async function withdrawReviewRequest(env: UseCaseEnv, buyId: number, memberId: string): Promise<void> {
  const request = await env.tx.reviews.findRequest(buyId, memberId);
  if (request?.status === 'pending' && request.sentAt === null) await env.tx.reviews.updateRequest(request.id, { status: 'expired', nextAt: null });
}
