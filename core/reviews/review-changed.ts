import type { Outbox } from '../context.js';

/** The after-commit effect every review change asks for; core/reviews/module.ts runs it. */
export const REVIEW_CHANGED = 'review.changed';

/**
 * Asks for the work after a review's change, once per review and transaction: when `submitted` (new or edited
 * text) tag it and alert admins if it is negative; then post or update its card if its author agreed.
 */
export function reviewChanged(out: Outbox, reviewId: number, submitted: boolean): void {
  out.effect(REVIEW_CHANGED, String(reviewId), { reviewId, submitted }, (earlier, later) => ({ ...later, submitted: earlier.submitted === true || later.submitted === true }));
}
