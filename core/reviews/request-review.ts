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
  if (request) env.out.schedule(reviewRequestJob(request, dueAt));
}
