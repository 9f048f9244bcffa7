import { replyInChat, say, type HandlerContext } from '../context.js';
import { UserError } from '../errors.js';
import type { MessageKey } from '../i18n/translate.js';
import { parsePriceCents } from '../money.js';
import { formatDateTime } from '../time/parse-when.js';
import { openGroupBuy } from './open-group-buy.js';
import { checkedDescription, checkedPickup, parseCount, parseDeadline, parseTiers, parseVariants, type NewBuySpec } from './parse-new-buy.js';
import type { Variant } from './records.js';
import { deriveProductKey } from './product-key.js';

/** The guided /newbuy: one question per field, answers kept in the database so a restart loses nothing. */
export const NEW_BUY_DIALOGUE = 'newbuy';

const steps = ['title', 'price', 'min', 'max', 'ends', 'limit', 'tiers', 'pickup', 'description', 'variants'] as const;
type Step = (typeof steps)[number];
const optional = new Set<Step>(['limit', 'tiers', 'pickup', 'description', 'variants']);
const questions: Record<Step, MessageKey> = {
  title: 'dialog.title', price: 'dialog.price', min: 'dialog.min', max: 'dialog.max',
  ends: 'dialog.ends', limit: 'dialog.limit', tiers: 'dialog.tiers', pickup: 'dialog.pickup',
  description: 'dialog.description', variants: 'dialog.variants',
};

interface Draft {
  lastStep?: boolean;
  title?: string;
  unitPriceCents?: number;
  minUnits?: number;
  maxUnits?: number;
  endsAt?: string;
  perMemberLimit?: number;
  tiers?: NewBuySpec['tiers'];
  pickup?: string;
  description?: string;
  variants?: Variant[];
  /** A photo sent with the /newbuy that started the dialogue. */
  photoFileId?: string;
}

function ask(ctx: HandlerContext, step: Step): void {
  replyInChat(ctx, say(ctx, questions[step] as 'dialog.title'), { expectAnswer: true });
}

/** Starts the dialogue (admins only; checked by the caller's command spec). */
export async function startNewBuyDialogue(ctx: HandlerContext, photoFileId?: string): Promise<void> {
  if (!ctx.group) throw new UserError('generic.group_only');
  if (!ctx.isAdmin) throw new UserError('generic.admin_only');
  await ctx.tx.saveDialogue({ chatId: ctx.event.chat.id, memberId: ctx.member.id, kind: NEW_BUY_DIALOGUE, step: 'title', data: photoFileId ? { photoFileId } : {}, updatedAt: ctx.now });
  ask(ctx, 'title');
}

const isSkip = (text: string) => ['-', '—', 'skip', 'none', 'no', '跳过', '无', '没有', '不限'].includes(text.trim().toLowerCase());

/**
 * Takes one answer. A bad answer repeats the question with what was wrong (and keeps the earlier answers);
 * the last answer opens the buy.
 */
export async function answerNewBuyDialogue(ctx: HandlerContext, step: string, data: Draft, text: string): Promise<void> {
  const current = (steps as readonly string[]).includes(step) ? (step as Step) : 'title';
  const answer = text.trim();
  const draft: Draft = { ...data };
  try {
    if (optional.has(current) && isSkip(answer)) {
      // nothing to store
    } else if (current === 'title') {
      if (!answer || answer.length > 100) throw new UserError('newbuy.bad_title');
      draft.title = answer;
    } else if (current === 'price') {
      const cents = parsePriceCents(answer);
      if (cents === undefined) throw new UserError('newbuy.bad_price', { value: answer });
      draft.unitPriceCents = cents;
    } else if (current === 'min') {
      draft.minUnits = parseCount('min', answer);
    } else if (current === 'max') {
      const max = parseCount('max', answer);
      if (max < (draft.minUnits ?? 1)) throw new UserError('newbuy.max_below_min', { min: draft.minUnits ?? 1, max });
      draft.maxUnits = max;
    } else if (current === 'ends') {
      const tz = ctx.group?.timeZone ?? 'Asia/Shanghai';
      draft.endsAt = parseDeadline(answer, ctx.now, tz, (d) => formatDateTime(d, tz)).toISOString();
    } else if (current === 'limit') {
      const limit = parseCount('limit', answer);
      if (limit > (draft.maxUnits ?? Infinity)) throw new UserError('newbuy.limit_above_max', { limit, max: draft.maxUnits! });
      draft.perMemberLimit = limit;
    } else if (current === 'tiers') {
      const tiers = parseTiers(answer, draft.unitPriceCents!);
      const unreachable = tiers.find((tier) => tier.minUnits > draft.maxUnits!);
      if (unreachable) throw new UserError('newbuy.tier_above_max', { units: unreachable.minUnits, max: draft.maxUnits! });
      draft.tiers = tiers;
    } else if (current === 'pickup') {
      draft.pickup = checkedPickup(answer);
    } else if (current === 'description') {
      draft.description = checkedDescription(answer);
    } else if (current === 'variants') {
      if (draft.tiers?.length) throw new UserError('newbuy.tiers_with_variants');
      const variants = parseVariants(answer);
      const stock = variants.reduce((sum, v) => sum + v.stock, 0);
      if (draft.maxUnits! > stock) throw new UserError('newbuy.max_above_stock', { max: draft.maxUnits!, stock });
      draft.variants = variants;
    }
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    replyInChat(ctx, `${say(ctx, error.key, error.params as never)}\n${say(ctx, questions[current] as 'dialog.title')}`, { expectAnswer: true });
    return;
  }

  // A deadline asked again at the end (it had passed) goes straight back to opening the buy.
  const resume = current === 'ends' && (data as { lastStep?: boolean }).lastStep === true;
  const next = resume ? undefined : steps[steps.indexOf(current) + 1];
  if (next) {
    await ctx.tx.saveDialogue({ chatId: ctx.event.chat.id, memberId: ctx.member.id, kind: NEW_BUY_DIALOGUE, step: next, data: draft as Record<string, unknown>, updatedAt: ctx.now });
    ask(ctx, next);
    return;
  }
  const endsAt = new Date(draft.endsAt!);
  if (endsAt.getTime() <= ctx.now.getTime()) {
    // The deadline passed while the dialogue went on: ask for it again, keeping every other answer.
    const tz = ctx.group?.timeZone ?? 'Asia/Shanghai';
    await ctx.tx.saveDialogue({ chatId: ctx.event.chat.id, memberId: ctx.member.id, kind: NEW_BUY_DIALOGUE, step: 'ends', data: { ...draft, endsAt: undefined, lastStep: true } as Record<string, unknown>, updatedAt: ctx.now });
    replyInChat(ctx, `${say(ctx, 'newbuy.when_past', { value: formatDateTime(endsAt, tz) })}\n${say(ctx, 'dialog.ends')}`, { expectAnswer: true });
    return;
  }
  await ctx.tx.deleteDialogue(ctx.event.chat.id, ctx.member.id);
  await openGroupBuy(ctx, {
    title: draft.title!,
    // The guided form asks nothing more: the key comes from the title, and `/product <key> #<buy>` corrects it.
    productKey: deriveProductKey(draft.title!),
    unitPriceCents: draft.unitPriceCents!,
    minUnits: draft.minUnits!,
    maxUnits: draft.maxUnits!,
    endsAt,
    perMemberLimit: draft.perMemberLimit,
    tiers: draft.tiers ?? [],
    pickup: draft.pickup,
    description: draft.description,
    photoFileId: draft.photoFileId,
    variants: draft.variants ?? [],
    // With variants each has its price; the buy's own is the lowest (what /buys shows).
    ...(draft.variants?.length ? { unitPriceCents: Math.min(...draft.variants.map((v) => v.priceCents)) } : {}),
  });
}
