import { replyInChat, say, type HandlerContext } from '../context.js';
import { UserError } from '../errors.js';
import type { MentionedMember } from '../events.js';
import { askConfirmation } from '../kernel/confirm.js';
import { buyLanguage } from '../group-buy/buy-language.js';
import { t } from '../i18n/translate.js';
import { loadShareCard } from '../likes/like-cards.js';
import type { ErasureResult } from './privacy-store.js';
import { dataSubject } from './subject.js';

/** The confirmation action of `/forgetme` (core/kernel/confirm.ts). */
export const FORGET_ACTION = 'privacy.forget';

/**
 * `/forgetme`: asks the member to confirm erasing their personal data (an admin may ask for a member of the group,
 * on that member's request: `/forgetme @bob`). Nothing changes until the one who asked presses Confirm. A member
 * with a sign-up in a buy still open is asked to leave it first (or, asked by an admin, to wait until it closes):
 * an order nobody can be found for would reach the supplier.
 */
export async function askToForget(ctx: HandlerContext, typed: string, mentions: MentionedMember[]): Promise<void> {
  const { member, self } = await dataSubject(ctx, typed, mentions);
  await refuseOpenSignUps(ctx, member.id, self ? 'self' : 'admin');
  await askConfirmation(ctx, {
    action: FORGET_ACTION,
    data: { memberId: member.id, requestedBy: self ? 'self' : 'admin' },
    question: self ? say(ctx, 'privacy.forget_question_self') : say(ctx, 'privacy.forget_question_admin', { name: member.displayName }),
    confirmLabel: say(ctx, 'privacy.forget_confirm'),
  });
}

/**
 * The confirmed erasure: the member's rows move to a fresh anonymous id with nothing personal, so totals,
 * leaderboards and other members' views stay as they were (prisma/privacy-store.ts). Audited in every group the
 * member was in (and the admin's), with who asked: the member themself (their anonymous id) or the admin.
 */
export async function forgetConfirmed(ctx: HandlerContext, data: Record<string, unknown>): Promise<void> {
  const memberId = String(data.memberId ?? '');
  const requestedBy = data.requestedBy === 'admin' ? 'admin' : 'self';
  if (!(await ctx.tx.getMember(memberId))) throw new UserError('privacy.already_forgotten');
  // A sign-up may have been made between the question and the press.
  await refuseOpenSignUps(ctx, memberId, requestedBy);
  const result = await ctx.tx.privacy.forgetMember(memberId, { at: ctx.now, requestedBy, actorId: requestedBy === 'admin' ? ctx.member.id : null });
  if (!result) throw new UserError('privacy.already_forgotten');
  await editPosted(ctx, result.posted);
  const groups = new Set(result.groupIds);
  if (ctx.group) groups.add(ctx.group.id);
  for (const groupId of groups) {
    await ctx.tx.logAdminAction({
      groupId,
      // Who did it: the admin, or the member themself, who is now only their anonymous id.
      actorId: requestedBy === 'admin' ? ctx.member.id : result.anonymousId,
      action: 'privacy.forget',
      detail: { anonymousId: result.anonymousId, requestedBy, ...(requestedBy === 'admin' && ctx.group ? { from: ctx.group.id } : {}) },
      at: ctx.now,
    });
  }
  replyInChat(ctx, say(ctx, requestedBy === 'admin' ? 'privacy.forgotten_admin' : 'privacy.forgotten_self'));
}

/**
 * The bot's own posted messages that showed the member are edited now, so their name and texts leave the chat too:
 * buy cards and like round lists show the anonymous name (their live-card refresh), share cards the anonymous name
 * and no text (a photo share's caption only: the photo is the chat's history), review cards say the review was
 * removed. What cannot be edited is in ADR 016 ("Known limits").
 */
async function editPosted(ctx: HandlerContext, posted: ErasureResult['posted']): Promise<void> {
  for (const id of posted.buyIds) ctx.out.refreshCard(`buy:${id}`);
  for (const id of posted.roundIds) ctx.out.refreshCard(`round:${id}`);
  for (const ref of posted.shares) {
    const share = await ctx.tx.likes.getShare(ref.id);
    const group = share && (await ctx.tx.getGroup(share.groupId));
    if (!share || !group) continue;
    const { card } = await loadShareCard(ctx.tx, share, group, ctx.now, ctx.defaultLanguage);
    // A photo card's text is its caption: edited as one (the file id is erased; a caption edit does not need it).
    ctx.out.push({ kind: 'edit', chatId: ref.chatId, messageId: ref.messageId, text: card.text, buttons: card.buttons, ...(ref.photo ? { photo: { fileId: '' } } : {}) });
  }
  for (const ref of posted.reviews) {
    const group = await ctx.tx.getGroup(ref.groupId);
    const buy = await ctx.tx.getBuy(ref.buyId);
    const lang = group && buy ? await buyLanguage(ctx.tx, buy, group, ctx.defaultLanguage) : ctx.defaultLanguage;
    ctx.out.push({ kind: 'edit', chatId: ref.chatId, messageId: ref.messageId, text: t(lang, 'privacy.review_card_erased', { id: ref.buyId, reviewId: ref.id }), buttons: [] });
  }
}

/** Refuses while the member has a sign-up (or a waitlist place) in a buy still open, worded for who asked. */
async function refuseOpenSignUps(ctx: HandlerContext, memberId: string, askedBy: 'self' | 'admin'): Promise<void> {
  const open = (await ctx.tx.listSignUpsOfMember(memberId)).filter((s) => s.buy.status === 'open');
  if (open.length === 0) return;
  const buys = open.map((s) => `#${s.buy.id} ${s.buy.title}`).join(', ');
  if (askedBy === 'self') throw new UserError('privacy.open_sign_ups_self', { buys, id: open[0]!.buy.id });
  throw new UserError('privacy.open_sign_ups_admin', { buys });
}
