/** The review feature's commands and buttons, as the core's router sees them. */
import { say, type HandlerContext } from '../context.js';
import { UserError } from '../errors.js';
import { selectBestReviews } from './best-reviews.js';
import { featureReview } from './feature-review.js';
import { configureReviews, setReviewsOptOut } from './review-config.js';
import { reportReviews } from './review-report.js';
import { finishMedia, rateReview, reviewCommand, setShareConsent } from './submit-review.js';
import { voteHelpful } from './vote-review.js';

/** Words after /stop or /start that mean the review messages. */
export function meansReviews(args: string): boolean {
  return /^(reviews?|评价|评论)$/i.test(args.trim());
}

/** `/stop reviews`. Other arguments are explained rather than guessed at. */
export async function stopCommand(ctx: HandlerContext, args: string): Promise<void> {
  if (!meansReviews(args)) throw new UserError('review.stop_usage');
  await setReviewsOptOut(ctx, true);
}

export { configureReviews, featureReview, reportReviews, reviewCommand, selectBestReviews, setReviewsOptOut };

/** Routes a `rv:*` button press. */
export async function handleReviewButton(ctx: HandlerContext, action: string): Promise<void> {
  const [, verb, rawId, extra] = action.split(':');
  const id = Number(rawId);
  if (!Number.isInteger(id)) {
    ctx.out.push({ kind: 'toast', text: say(ctx, 'generic.stale_button') });
    return;
  }
  switch (verb) {
    case 'rate':
      return rateReview(ctx, id, Number(extra));
    case 'media':
      return finishMedia(ctx, id);
    case 'share':
      return setShareConsent(ctx, id, extra === '1');
    case 'vote':
      return voteHelpful(ctx, id);
    case 'contact': {
      // Where the platform cannot open a chat with the member from a button, say who to write to.
      const review = await ctx.tx.reviews.getReview(id);
      if (!review) throw new UserError('generic.stale_button');
      ctx.out.push({ kind: 'toast', text: say(ctx, 'review.contact_toast', { name: review.authorName, username: review.authorUsername ? `@${review.authorUsername}` : review.memberId }), alert: true });
      return;
    }
    default:
      ctx.out.push({ kind: 'toast', text: say(ctx, 'generic.stale_button') });
  }
}
