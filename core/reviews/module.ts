/**
 * Review prompting as the kernel sees it: commands, the buttons of the review DM and of review cards, private
 * texts that write a review, the request and tag-retry jobs, the after-commit effect that tags, alerts and posts,
 * `/stop reviews` and `/start reviews`, and a review request after each delivery (a subscription to group-buy's
 * `purchase.delivered`). The tagger (an LLM or the offline model) comes in through the ReviewTagger port.
 */
import { z } from 'zod';
import { UserError } from '../errors.js';
import { arg, optionalIdText, parseId } from '../kernel/args.js';
import { command, job, type FeatureModule, type KernelServices } from '../kernel/module.js';
import '../group-buy/group-buy-events.js';
import { buyTarget } from '../group-buy/module.js';
import type { ReviewTagger } from '../llm/review-tags.js';
import { say } from '../context.js';
import { selectBestReviews } from './best-reviews.js';
import { featureReview } from './feature-review.js';
import { publishReview, type PublishOptions } from './publish-review.js';
import { REVIEW_CHANGED } from './review-changed.js';
import { configureReviews, setReviewsOptOut } from './review-config.js';
import { reportReviews } from './review-report.js';
import { requestReview, reviewRequestJob, withdrawReviewRequest } from './request-review.js';
import { sendReviewRequest } from './send-review-request.js';
import { answerReviewMessage, finishMedia, parseReviewText, rateReview, reviewCommand, setShareConsent } from './submit-review.js';
import { voteHelpful } from './vote-review.js';

/** Words after /stop or /start that mean the review messages. */
export function meansReviews(args: string): boolean {
  return /^(reviews?|评价|评论)$/i.test(args.trim());
}

export function reviewsModule(options: { tagger?: ReviewTagger } = {}): FeatureModule {
  const afterReview = async (services: KernelServices, reviewId: number, publish: PublishOptions) => {
    const out = await publishReview(
      { store: services.store, logger: services.logger, now: services.clock.now(), defaultLanguage: services.defaultLanguage, tagger: options.tagger, listAdmins: services.listChatAdmins },
      reviewId,
      publish,
    );
    await services.dispatch(out);
  };
  const reviewTarget = async (store: Parameters<NonNullable<FeatureModule['buttons']>[number]['target']>[0], id: number) => {
    const review = await store.reviews.getReview(id);
    return review && { groupId: review.groupId, ownerId: review.memberId };
  };
  const buyArg = { en: 'Buy number', zh: '拼团编号' };

  return {
    name: 'reviews',
    commands: [
      command({
        name: 'review',
        zhName: '评价',
        description: 'cmd.review',
        audience: 'member',
        args: [
          arg.integer('buy', '拼团编号', { en: 'The delivered buy to review', zh: '要评价的已送达拼团' }, { min: 1, required: true }),
          arg.integer('rating', '评分', { en: 'Stars, 1 to 5', zh: '星级，1 到 5' }, { min: 1, max: 5, required: true }),
          arg.string('text', '内容', { en: 'Your review', zh: '评价内容' }, { required: true }),
        ],
        parse: parseReviewText,
        run: (ctx, input) => reviewCommand(ctx, input),
      }),
      command({
        name: 'reviewconfig',
        zhName: '评价设置',
        description: 'cmd.reviewconfig',
        audience: 'admin',
        requires: ['group', 'admin'],
        args: [
          arg.string('setting', '设置项', { en: 'What to show or change (default: show)', zh: '查看或修改哪一项（默认：查看）' }, {
            choices: [
              { value: 'show', name: { en: 'show the settings', zh: '查看设置' } },
              { value: 'delay', name: { en: 'delay after delivery', zh: '送达后延迟' } },
              { value: 'reminders', name: { en: 'number of reminders', zh: '提醒次数' } },
              { value: 'interval', name: { en: 'days between reminders', zh: '提醒间隔' } },
              { value: 'quiet', name: { en: 'quiet hours', zh: '免打扰时段' } },
              { value: 'cap', name: { en: 'messages per member per week', zh: '每人每周消息上限' } },
              { value: 'reward', name: { en: 'points per review', zh: '每条评价积分' } },
              { value: 'bonus', name: { en: 'rich review bonus', zh: '优质评价加赠' } },
              { value: 'minvotes', name: { en: 'helpful votes for the best reviews', zh: '最佳评价所需有用票数' } },
              { value: 'reset', name: { en: 'back to the defaults', zh: '恢复默认' } },
            ],
          }),
          arg.string('value', '值', { en: 'The new value, e.g. 3d, 1, 22:00-08:00, off, 10', zh: '新的值，例如 3d、1、22:00-08:00、off、10' }),
          arg.integer('buy', '拼团编号', { en: 'Timing for one buy only (delay, reminders, interval, reset)', zh: '只针对某个拼团的时间设置（延迟、提醒、间隔、重置）' }, { min: 1 }),
        ],
        parse: (text) => {
          const tokens = text.trim().split(/\s+/).filter(Boolean);
          const buy = tokens[0] && /^[#＃]\d+$/.test(tokens[0]) ? parseId(tokens.shift()!) : undefined;
          const setting = tokens.shift();
          return { ...(buy !== undefined ? { buy } : {}), ...(setting ? { setting } : {}), ...(tokens.length ? { value: tokens.join(' ') } : {}) };
        },
        run: (ctx, input) => configureReviews(ctx, input),
      }),
      command({
        name: 'reviews', zhName: '评价汇总', description: 'cmd.reviews', audience: 'admin', requires: ['group', 'admin'],
        args: [arg.integer('buy', '拼团编号', { en: 'Buy number (default: the newest open buy here)', zh: '拼团编号（默认：本频道最新的进行中拼团）' }, { min: 1 })],
        parse: optionalIdText('buy', (text) => new UserError('buy.bad_id', { value: text.trim() })),
        run: (ctx, { buy }) => reportReviews(ctx, buy),
      }),
      command({
        name: 'feature', zhName: '精选评价', description: 'cmd.feature', audience: 'admin', requires: ['group', 'admin'],
        args: [arg.integer('review', '评价编号', { en: 'Review number (at the bottom of its card)', zh: '评价编号（见评价卡片底部）' }, { min: 1, required: true })],
        parse: (text) => {
          const review = parseId(text);
          if (review === undefined) throw new UserError('review.feature_usage');
          return { review };
        },
        run: (ctx, { review }) => featureReview(ctx, review!),
      }),
      command({
        name: 'bestreviews', zhName: '月度好评', description: 'cmd.bestreviews', audience: 'admin', requires: ['group', 'admin'],
        args: [arg.string('month', '月份', { en: 'Month as YYYY-MM (default: this month)', zh: '月份，格式 YYYY-MM（默认：本月）' })],
        run: (ctx, { month }) => selectBestReviews(ctx, month ?? ''),
      }),
    ],
    buttons: [
      {
        // The stars of a review request DM, by buy: the review flow checks the member bought it.
        prefix: 'rv:rate',
        access: 'member',
        target: buyTarget,
        run: (ctx, buyId, [rating]) => rateReview(ctx, buyId, Number(rating)),
      },
      { prefix: 'rv:media', access: 'owner', target: reviewTarget, run: (ctx, id) => finishMedia(ctx, id) },
      { prefix: 'rv:share', access: 'owner', target: reviewTarget, run: (ctx, id, [answer]) => setShareConsent(ctx, id, answer === '1') },
      {
        // Helpful votes on a posted review card: members of the review's group.
        prefix: 'rv:vote',
        access: 'member',
        target: async (store, id) => {
          const review = await store.reviews.getReview(id);
          return review && { groupId: review.groupId, ...(review.postedChatId ? { chatId: review.postedChatId } : {}) };
        },
        run: (ctx, id) => voteHelpful(ctx, id),
      },
      {
        // The contact button of a negative-review alert: only the group's admins and moderators learn who wrote it.
        prefix: 'rv:contact',
        access: 'moderator',
        target: async (store, id) => {
          const review = await store.reviews.getReview(id);
          if (!review) return null;
          const buy = await store.getBuy(review.buyId);
          return { groupId: review.groupId, ...(buy ? { chatId: buy.chatId } : {}) };
        },
        run: async (ctx, id) => {
          // Where the platform cannot open a chat with the member from a button, say who to write to.
          const review = await ctx.tx.reviews.getReview(id);
          if (!review) throw new UserError('generic.stale_button');
          ctx.out.push({ kind: 'toast', text: say(ctx, 'review.contact_toast', { name: review.authorName, username: review.authorUsername ? `@${review.authorUsername}` : review.memberId }), alert: true });
        },
      },
    ],
    privateText: (ctx, event) => answerReviewMessage(ctx, event.text, event.attachments),
    jobs: [
      job({
        name: 'review.request',
        schema: z.object({ requestId: z.coerce.number().int().positive(), dueAt: z.coerce.number() }),
        run: async (services, { requestId, dueAt }) => void (await services.transact((env) => sendReviewRequest(env, requestId, dueAt))),
      }),
      job({
        name: 'review.tag',
        schema: z.object({ reviewId: z.coerce.number().int().positive() }).passthrough(),
        run: (services, { reviewId }) => afterReview(services, reviewId, { submitted: true, retry: true }),
      }),
    ],
    cards: [
      {
        // A posted review card; publishReview edits it itself after each change (it also takes it down).
        kind: 'review',
        remember: async (store, id, ref, now) => void (await store.reviews.updateReview(id, { postedChatId: ref.chatId, postedMessageId: ref.messageId }, now)),
        render: async () => undefined,
      },
    ],
    effects: [
      {
        name: REVIEW_CHANGED,
        run: (services, data) => afterReview(services, Number(data.reviewId), { submitted: data.submitted === true }),
      },
    ],
    // Review requests whose next message was planned but whose job may have been lost (keys make this a no-op otherwise).
    reconcile: async ({ store }) => (await store.reviews.listScheduledRequests()).flatMap((r) => (r.nextAt ? [reviewRequestJob(r, r.nextAt)] : [])),
    topics: [{ value: 'reviews', label: { en: 'review requests', zh: '评价邀请' }, matches: meansReviews, set: (ctx, on) => setReviewsOptOut(ctx, !on), usage: 'review.stop_usage' }],
    subscriptions: {
      // The buyer is asked for a review later: one request per buy and member, on a durable job.
      'purchase.delivered': (env, { buy, memberId }) => requestReview(env, buy, memberId),
      // Un-marked by mistake: a request not yet sent is withdrawn.
      'purchase.undelivered': (env, { buy, memberId }) => withdrawReviewRequest(env, buy.id, memberId),
    },
  };
}
