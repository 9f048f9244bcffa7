import type { Language } from '../kernel/language.js';
import { replyInChat, say, type HandlerContext } from '../context.js';
import { UserError } from '../errors.js';
import { t } from '../i18n/translate.js';
import { formatDuration } from '../i18n/words.js';
import { applyReviewConfig, parseReviewConfig, readReviewSettings, timingFor, type ReviewSettings } from './review-settings.js';

const days = (hours: number, lang: Language) => formatDuration(lang, hours * 3_600_000);

/** The settings as `/reviewconfig show` prints them (one buy's timing when `buyId` is given). */
export function describeReviewSettings(settings: ReviewSettings, lang: Language, buyId?: number): string {
  const timing = buyId === undefined ? settings : timingFor(settings, buyId);
  return [
    buyId === undefined ? t(lang, 'review.config_title') : t(lang, 'review.config_title_buy', { id: buyId }),
    t(lang, 'review.config_delay', { delay: days(timing.delayHours, lang) }),
    t(lang, 'review.config_reminders', { count: timing.reminders, interval: days(timing.reminderIntervalHours, lang) }),
    settings.quietHours ? t(lang, 'review.config_quiet', settings.quietHours) : t(lang, 'review.config_quiet_off'),
    t(lang, 'review.config_cap', { cap: settings.weeklyCap }),
    t(lang, 'review.config_reward', { points: settings.rewardPoints, bonus: settings.richBonusPoints }),
    t(lang, 'review.config_best', { votes: settings.bestMinVotes }),
    t(lang, 'review.config_blind'),
  ].join('\n');
}

/**
 * `/reviewconfig ...` (admins): shows or changes the group's review prompting. Refuses, with the rule, any reward
 * that would depend on a review's rating or sentiment.
 */
export async function configureReviews(ctx: HandlerContext, input: { setting?: string; value?: string; buy?: number }): Promise<void> {
  if (!ctx.group) throw new UserError('generic.group_only');
  const change = parseReviewConfig(input);
  const args = [input.buy !== undefined ? `#${input.buy}` : '', input.setting ?? '', input.value ?? ''].filter(Boolean).join(' ');
  const { settings } = readReviewSettings(await ctx.tx.reviews.getSettings(ctx.group.id));
  if (change.buyId !== undefined) {
    const buy = await ctx.tx.getBuy(change.buyId);
    if (!buy || buy.groupId !== ctx.group.id) throw new UserError('buy.not_found', { id: change.buyId });
  }
  if (change.kind === 'show') {
    replyInChat(ctx, describeReviewSettings(settings, ctx.lang, change.buyId));
    return;
  }
  const next = applyReviewConfig(settings, change);
  await ctx.tx.reviews.saveSettings(ctx.group.id, next);
  await ctx.tx.logAdminAction({ groupId: ctx.group.id, actorId: ctx.member.id, action: 'review.config', detail: { args: args.trim() }, at: ctx.now });
  replyInChat(ctx, `${say(ctx, 'review.config_saved')}\n${describeReviewSettings(next, ctx.lang, change.buyId)}`);
}

/** `/stop reviews` and `/start reviews`: a member's choice to receive review requests, for every group. */
export async function setReviewsOptOut(ctx: HandlerContext, optOut: boolean): Promise<void> {
  await ctx.tx.reviews.setOptedOut(ctx.member.id, optOut);
  replyInChat(ctx, say(ctx, optOut ? 'review.opted_out' : 'review.opted_in'));
}
