import { memberLanguage, replyInChat, say, type HandlerContext } from '../context.js';
import { UserError } from '../errors.js';
import type { Attachment } from '../events.js';
import { t } from '../i18n/translate.js';
import type { Language } from '../kernel/language.js';
import { formatMoney, parsePriceCents } from '../money.js';
import type { BuyRecord } from '../store.js';
import { announceFewLeft } from './announce-urgency.js';
import { splitSignUps, unitsTaken } from './buy-card.js';
import { buyLanguage } from './buy-language.js';
import { assertOpen, findBuy, parseBuyId } from './find-buy.js';
import { buyPhotoMessage } from './open-group-buy.js';
import { DESCRIPTION_MAX_LENGTH, parseCount, PICKUP_MAX_LENGTH } from './parse-new-buy.js';
import { promoteFromWaitlist } from './sign-up-changes.js';

/** What `/editbuy` changes. */
export const EDIT_FIELDS = ['price', 'min', 'max', 'limit', 'pickup', 'description', 'photo'] as const;
export type EditField = (typeof EDIT_FIELDS)[number];

const FIELD_WORDS: Record<string, EditField> = {
  price: 'price', 价格: 'price', 单价: 'price',
  min: 'min', 最少: 'min',
  max: 'max', 最多: 'max',
  limit: 'limit', 限购: 'limit',
  pickup: 'pickup', 自提: 'pickup', 自提点: 'pickup',
  // The words /newbuy reads for its description.
  description: 'description', desc: 'description', about: 'description', 描述: 'description', 介绍: 'description', 说明: 'description',
  photo: 'photo', picture: 'photo', 图片: 'photo', 照片: 'photo',
};
/** Words that clear an optional field (limit, pickup, description, photo). */
const NONE_WORDS = ['off', 'none', '-', '无', '不限', '取消', 'remove', 'delete', '删除', '删掉', '去掉'];

/**
 * Reads `[buy-id] <field> <value>` as typed: `/editbuy #3 price 8`, `/editbuy price 8`, `/editbuy 3 自提 东门`,
 * `/editbuy description Hand-made, 6 per box`; `/editbuy photo` takes no value, its photo comes with the command.
 */
export function parseEditText(args: string): { buy?: number; field?: string; value?: string } {
  const tokens = args.trim().split(/\s+/).filter(Boolean);
  let buy: number | undefined;
  if (tokens.length >= 2 && parseBuyId(tokens[0]!) !== undefined && !(tokens[0]!.toLowerCase() in FIELD_WORDS)) buy = parseBuyId(tokens.shift()!);
  const field = tokens.shift();
  return { ...(buy !== undefined ? { buy } : {}), ...(field ? { field } : {}), ...(tokens.length ? { value: tokens.join(' ') } : {}) };
}

interface Change {
  field: EditField;
  from: string | number | null;
  to: string | number | null;
}

/**
 * `/editbuy [buy-id] <field> <value>` (admins, open buys): lowers the price (never raises it: members joined at
 * the old one), changes min, max (not below the units taken; a raise moves waitlisted members in), the limit per
 * member, the pickup or the description, or replaces the product's photo (`/editbuy photo` with a photo attached)
 * or removes it (`/editbuy photo off`: the photo message above the card goes).
 * Everyone signed up (and waitlisted) is told privately, one message each in their language; the card (for a photo:
 * the photo message above it) is brought up to date and the change audited.
 */
export async function editGroupBuy(ctx: HandlerContext, input: { buyId?: number; field?: string; value?: string; photo?: Attachment }): Promise<void> {
  if (!ctx.group) throw new UserError('generic.group_only');
  const group = ctx.group;
  const field = input.field ? FIELD_WORDS[input.field.toLowerCase()] : undefined;
  const raw = input.value?.trim() ?? '';
  if (!field) throw new UserError('edit.usage');
  // Description and photo say what they take themselves; the other fields need a value.
  if (field === 'description' && !raw) throw new UserError('edit.description_empty', { max: DESCRIPTION_MAX_LENGTH });
  const removesPhoto = field === 'photo' && NONE_WORDS.includes(raw.toLowerCase());
  if (field === 'photo' && !removesPhoto && input.photo?.kind !== 'photo') throw new UserError('edit.photo_missing');
  if (field !== 'photo' && !raw) throw new UserError('edit.usage');
  const buy = await findBuy(ctx, input.buyId, { lock: true });
  assertOpen(ctx, buy, (s) => say(ctx, `buy.status.${s}`));
  const signUps = await ctx.tx.listSignUps(buy.id);
  const taken = unitsTaken(signUps);

  if (removesPhoto && !buy.photoFileId) throw new UserError('edit.no_photo', { id: buy.id });
  const change: Change =
    field !== 'photo' ? readChange(buy, field, raw, taken, group.currency)
    : { field, from: buy.photoFileId, to: removesPhoto ? null : input.photo!.fileId };
  if (change.from === change.to) throw new UserError('edit.same', { id: buy.id });
  const patch =
    field === 'price' ? { unitPriceCents: change.to as number }
    : field === 'min' ? { minUnits: change.to as number }
    : field === 'max' ? { maxUnits: change.to as number }
    : field === 'limit' ? { perMemberLimit: change.to as number | null }
    : field === 'description' ? { description: change.to as string | null }
    // A removed photo's message goes, and is forgotten: a later photo is posted anew.
    : field === 'photo' ? (removesPhoto ? { photoFileId: null, photoChatId: null, photoMessageId: null } : { photoFileId: change.to as string })
    : { pickup: change.to as string | null };
  const updated = await ctx.tx.updateBuy(buy.id, patch);
  await ctx.tx.logAdminAction({ groupId: group.id, actorId: ctx.member.id, action: 'buy.edit', detail: { buyId: buy.id, field, from: change.from, to: change.to }, at: ctx.now });

  const describe = (lang: Language) => describeChange(lang, change, group.currency);
  const { active, waitlist } = splitSignUps(signUps);
  for (const s of [...active, ...waitlist]) {
    const lang = memberLanguage(s, group, ctx.lang);
    ctx.out.push({ kind: 'message', to: { memberId: s.memberId }, text: t(lang, 'edit.dm', { id: buy.id, title: buy.title, change: describe(lang) }) });
  }
  replyInChat(ctx, say(ctx, 'edit.done', { id: buy.id, change: describe(ctx.lang), count: active.length + waitlist.length }));
  if (field === 'max' && updated.maxUnits > buy.maxUnits) await promoteFromWaitlist(ctx, updated, group);
  if (field === 'max') await announceFewLeft(ctx, updated, group);
  if (field !== 'photo') return ctx.out.refreshCard(`buy:${buy.id}`);
  if (removesPhoto) {
    if (buy.photoChatId && buy.photoMessageId) {
      const lang = await buyLanguage(ctx.tx, updated, group, ctx.lang);
      ctx.out.push({ kind: 'edit', chatId: buy.photoChatId, messageId: buy.photoMessageId, text: t(lang, 'card.photo_removed', { id: buy.id, title: buy.title }), removePhoto: true });
    }
    return;
  }
  // The photo message above the card shows the new photo in place; a buy whose photo message is not known (it had
  // no photo, or it was posted before the bot kept where) gets one posted now, under the card.
  if (updated.photoMessageId) ctx.out.refreshCard(`buy-photo:${buy.id}`);
  else ctx.out.push(buyPhotoMessage(updated, await buyLanguage(ctx.tx, updated, group, ctx.lang)));
}

function readChange(buy: BuyRecord, field: EditField, raw: string, taken: number, currency: string): Change {
  const clears = NONE_WORDS.includes(raw.toLowerCase());
  switch (field) {
    case 'price': {
      const cents = parsePriceCents(raw);
      if (cents === undefined) throw new UserError('newbuy.bad_price', { value: raw });
      if (cents > buy.unitPriceCents) throw new UserError('edit.price_up', { id: buy.id });
      // Tier prices stay below the base price (a tier must be a discount).
      const highestTier = buy.tiers[0]?.priceCents;
      if (highestTier !== undefined && cents <= highestTier) throw new UserError('edit.price_below_tier', { tier: formatMoney(highestTier, currency) });
      return { field, from: buy.unitPriceCents, to: cents };
    }
    case 'min': {
      const min = parseCount('min', raw);
      if (min > buy.maxUnits) throw new UserError('newbuy.max_below_min', { min, max: buy.maxUnits });
      return { field, from: buy.minUnits, to: min };
    }
    case 'max': {
      const max = parseCount('max', raw);
      if (max < taken) throw new UserError('edit.max_below_taken', { id: buy.id, taken });
      if (max < buy.minUnits) throw new UserError('newbuy.max_below_min', { min: buy.minUnits, max });
      if (buy.perMemberLimit && buy.perMemberLimit > max) throw new UserError('newbuy.limit_above_max', { limit: buy.perMemberLimit, max });
      const unreachable = buy.tiers.find((tier) => tier.minUnits > max);
      if (unreachable) throw new UserError('newbuy.tier_above_max', { units: unreachable.minUnits, max });
      return { field, from: buy.maxUnits, to: max };
    }
    case 'limit': {
      if (clears) return { field, from: buy.perMemberLimit, to: null };
      const limit = parseCount('limit', raw);
      if (limit > buy.maxUnits) throw new UserError('newbuy.limit_above_max', { limit, max: buy.maxUnits });
      return { field, from: buy.perMemberLimit, to: limit };
    }
    case 'pickup': {
      if (clears) return { field, from: buy.pickup, to: null };
      const pickup = raw.replace(/\s+/g, ' ').trim();
      if (pickup.length > PICKUP_MAX_LENGTH) throw new UserError('edit.pickup_too_long', { max: PICKUP_MAX_LENGTH });
      return { field, from: buy.pickup, to: pickup };
    }
    case 'description': {
      if (clears) return { field, from: buy.description, to: null };
      const description = raw.replace(/\s+/g, ' ').trim();
      if ([...description].length > DESCRIPTION_MAX_LENGTH) throw new UserError('edit.description_too_long', { max: DESCRIPTION_MAX_LENGTH, length: [...description].length });
      return { field, from: buy.description, to: description };
    }
    case 'photo':
      throw new Error('a photo edit is read from its attachment');
  }
}

function describeChange(lang: Language, change: Change, currency: string): string {
  // A photo's file id means nothing to a reader: the photo itself is in the group.
  if (change.field === 'photo') return t(lang, change.to === null ? 'edit.photo_removed' : 'edit.photo_changed');
  const show = (value: string | number | null): string =>
    value === null ? t(lang, 'edit.none') : change.field === 'price' ? formatMoney(value as number, currency) : String(value);
  return t(lang, 'edit.change', { field: t(lang, `edit.field.${change.field}`), from: show(change.from), to: show(change.to) });
}
