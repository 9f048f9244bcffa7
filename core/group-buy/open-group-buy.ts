import type { HandlerContext } from '../context.js';
import { UserError } from '../errors.js';
import type { Language } from '../kernel/language.js';
import type { ScheduledJob } from '../ports.js';
import type { MessageReply } from '../replies.js';
import type { BuyRecord } from '../store.js';
import { emit } from '../kernel/domain-events.js';
import './group-buy-events.js';
import { buyLanguage } from './buy-language.js';
import { t } from '../i18n/translate.js';
import { renderBuyCard } from './buy-card.js';
import { closingSoonJob } from './announce-urgency.js';
import type { NewBuySpec } from './parse-new-buy.js';

/** The durable job that closes a buy at its deadline; a moved deadline gets a new key, the old job finds nothing due. */
export function deadlineJob(buy: Pick<BuyRecord, 'id' | 'endsAt'>): ScheduledJob {
  return { name: 'buy.deadline', runAt: buy.endsAt, key: `buy.deadline:${buy.id}:${buy.endsAt.getTime()}`, data: { buyId: buy.id } };
}

/**
 * The product's photo as its own message, captioned with the buy, remembered (`buy-photo:<id>`) so that
 * `/editbuy photo` can replace it in place. Like a card it is a message in the channel, not an answer to a command
 * (a Discord interaction's answer can only be edited for 15 minutes).
 */
export function buyPhotoMessage(buy: BuyRecord, lang: Language): MessageReply {
  return { kind: 'message', to: { chatId: buy.chatId }, text: t(lang, 'card.photo_caption', { id: buy.id, title: buy.title }), photo: { fileId: buy.photoFileId! }, card: `buy-photo:${buy.id}` };
}

/** Opens a buy (admins only): stores it, posts its live card, schedules its deadline and says it opened (`buy.opened`). */
export async function openGroupBuy(ctx: HandlerContext, spec: NewBuySpec): Promise<BuyRecord> {
  if (!ctx.group) throw new UserError('generic.group_only');
  if (!ctx.isAdmin) throw new UserError('generic.admin_only');
  const buy = await ctx.tx.createBuy({
    groupId: ctx.group.id,
    chatId: ctx.event.chat.id,
    title: spec.title,
    productKey: spec.productKey,
    unitPriceCents: spec.unitPriceCents,
    minUnits: spec.minUnits,
    maxUnits: spec.maxUnits,
    perMemberLimit: spec.perMemberLimit ?? null,
    tiers: spec.tiers,
    pickup: spec.pickup ?? null,
    description: spec.description ?? null,
    photoFileId: spec.photoFileId ?? null,
    variants: spec.variants ?? [],
    endsAt: spec.endsAt,
    createdById: ctx.member.id,
    createdAt: ctx.now,
  });
  await ctx.tx.logAdminAction({ groupId: ctx.group.id, actorId: ctx.member.id, action: 'buy.open', detail: { buyId: buy.id }, at: ctx.now });
  const lang = await buyLanguage(ctx.tx, buy, ctx.group, ctx.lang);
  const card = renderBuyCard(buy, [], ctx.group, lang, ctx.now);
  // The product's photo goes just above the card, as its own message: a card is edited with every sign-up and can
  // outgrow a photo caption (Telegram: 1024 characters), so the card itself stays text.
  if (buy.photoFileId) ctx.out.push(buyPhotoMessage(buy, lang));
  ctx.out.push({ kind: 'message', to: { chatId: buy.chatId }, text: card.text, buttons: card.buttons, card: `buy:${buy.id}` });
  ctx.out.schedule(deadlineJob(buy));
  const soon = closingSoonJob(buy);
  if (soon) ctx.out.schedule(soon);
  await emit(ctx, 'buy.opened', { buy });
  return buy;
}
