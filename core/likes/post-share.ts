import { awardPoints } from '../points/award-points.js';
import type { HandlerContext } from '../context.js';
import type { Attachment } from '../events.js';
import { UserError } from '../errors.js';
import { loadShareCard } from './like-cards.js';
import type { ShareRecord } from './like-store.js';

/** Longest share text: it becomes a photo caption, which Telegram caps at 1024 characters with the card around it. */
export const MAX_SHARE_TEXT = 600;

/**
 * `/share [#<buy-id>] <text>` with a photo attached (or replying to one's own photo): posts a share card in the
 * group with a Like button. A buy named must be one the member took part in, so a share's buy is always true.
 * Pays the `share` points once per share (the points rules decide amounts and caps).
 */
export async function postShare(ctx: HandlerContext, input: { text?: string; buyId?: number }, attachments: Attachment[] = []): Promise<ShareRecord> {
  if (!ctx.group) throw new UserError('generic.group_only');
  const text = input.text?.trim() ?? '';
  const buyId = input.buyId ?? null;
  if (buyId !== null) {
    const buy = await ctx.tx.getBuy(buyId);
    if (!buy || buy.groupId !== ctx.group.id) throw new UserError('buy.not_found', { id: buyId });
    const signUp = await ctx.tx.getSignUp(buyId, ctx.member.id);
    if (!signUp || signUp.status !== 'active') throw new UserError('likes.share_not_buyer', { id: buyId });
  }
  const photo = attachments.find((a) => a.kind === 'photo');
  if (!text && !photo) throw new UserError('likes.share_usage');
  if (text.length > MAX_SHARE_TEXT) throw new UserError('likes.share_too_long', { max: MAX_SHARE_TEXT });

  const share = await ctx.tx.likes.createShare({
    groupId: ctx.group.id, chatId: ctx.event.chat.id, memberId: ctx.member.id, buyId, text, photoFileId: photo?.fileId ?? null, createdAt: ctx.now,
  });
  await awardPoints(ctx, { groupId: ctx.group.id, memberId: ctx.member.id, source: 'share', reference: `share:${share.id}`, key: `share:${share.id}` });
  const { card } = await loadShareCard(ctx.tx, share, ctx.group, ctx.now, ctx.defaultLanguage);
  ctx.out.push({ kind: 'message', to: { chatId: ctx.event.chat.id }, text: card.text, buttons: card.buttons, card: `share:${share.id}`, ...(card.photo ? { photo: card.photo } : {}) });
  return share;
}
