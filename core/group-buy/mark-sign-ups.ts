import { memberLanguage, replyInChat, say, type HandlerContext } from '../context.js';
import type { MentionedMember } from '../events.js';
import { UserError } from '../errors.js';
import { t } from '../i18n/translate.js';
import { emit } from '../kernel/domain-events.js';
import './group-buy-events.js';
import type { BuyRecord, SignUpView } from '../store.js';
import { splitSignUps, unitPriceOf } from './buy-card.js';
import { parseBuyId } from './find-buy.js';
import { deriveProductKey } from './product-key.js';
import { listOf } from '../i18n/words.js';

export type Mark = 'paid' | 'delivered' | 'unpaid' | 'undelivered';

/** Who `/paid` and `/delivered` mark: a buy (default the newest), everyone, members pointed at, or names typed. */
export interface MarkTargets {
  buyId?: number;
  all?: boolean;
  mentions: MentionedMember[];
  /** Typed words naming members (@username or display name; names may contain spaces). */
  names: string[];
}

/** Reads `[buy-id] @member|name…|all` as typed. */
export function parseMarkText(args: string): { buy?: number; all?: boolean; names?: string } {
  const tokens = args.trim().split(/\s+/).filter(Boolean);
  let buy: number | undefined;
  if (tokens[0] && parseBuyId(tokens[0]) !== undefined) buy = parseBuyId(tokens.shift()!);
  const all = tokens.some((tok) => ['all', '全部', '所有', '全体'].includes(tok.toLowerCase()));
  return { ...(buy !== undefined ? { buy } : {}), ...(all ? { all } : {}), ...(tokens.length && !all ? { names: tokens.join(' ') } : {}) };
}

/**
 * `/paid`, `/delivered`, `/unpaid` and `/undelivered` (admins): `[buy-id] @member|all`, or as a reply to the
 * member's message. Delivery records a purchase per participant (once, however often it is marked) and tells them
 * privately; un-marking a delivery removes that purchase and raises `purchase.undelivered`, so what the delivery
 * started (points, a review request, a repurchase reminder) is undone by the features that started it.
 */
export async function markSignUps(ctx: HandlerContext, mark: Mark, input: MarkTargets): Promise<void> {
  if (!ctx.group) throw new UserError('generic.group_only');
  const { buyId, mentions } = input;
  const tokens = input.names.flatMap((n) => n.split(/\s+/)).filter(Boolean);
  const wantsAll = input.all === true;
  if (!wantsAll && tokens.length === 0 && mentions.length === 0) throw new UserError('mark.usage', { command: mark });

  const buy = await findMarkableBuy(ctx, buyId);
  const status = say(ctx, `buy.status.${buy.status}`);
  // A buy that did not go ahead has nothing to pay or deliver: say so, not "not formed yet" or "already marked".
  if ((mark === 'paid' || mark === 'delivered') && (buy.status === 'failed' || buy.status === 'cancelled')) {
    throw new UserError(mark === 'paid' ? 'mark.nobody_pays' : 'mark.nothing_to_deliver', { id: buy.id, status });
  }
  if (mark === 'delivered' && buy.status !== 'formed') throw new UserError('mark.needs_formed', { id: buy.id });
  const signUps = await ctx.tx.listSignUps(buy.id);
  const { active } = splitSignUps(signUps);
  if (active.length === 0) throw new UserError('mark.no_participants', { id: buy.id });
  const targets = wantsAll ? active : resolveTargets(active, tokens, mentions, buy.id);

  const undo = mark === 'unpaid' || mark === 'undelivered';
  const field = mark === 'paid' || mark === 'unpaid' ? 'paidAt' : 'deliveredAt';
  const changed = targets.filter((s) => (undo ? s[field] !== null : s[field] === null));
  const markWord = say(ctx, field === 'paidAt' ? 'card.paid_mark' : 'card.delivered_mark');
  if (changed.length === 0) {
    replyInChat(ctx, say(ctx, undo ? 'mark.nothing_to_unmark' : 'mark.nothing', { id: buy.id, mark: markWord }));
    return;
  }
  for (const s of changed) {
    await ctx.tx.updateSignUp(s.id, { [field]: undo ? null : ctx.now });
    const lang = memberLanguage(s, ctx.group, ctx.lang);
    if (mark === 'delivered') {
      await ctx.tx.recordPurchase({
        memberId: s.memberId, groupId: buy.groupId, buyId: buy.id, signUpId: s.id, product: buy.productKey ?? deriveProductKey(buy.title),
        quantity: s.quantity, unitPriceCents: unitPriceOf(buy, signUps, s), purchasedAt: buy.closedAt ?? ctx.now, deliveredAt: ctx.now,
      });
      ctx.out.push({ kind: 'message', to: { memberId: s.memberId }, text: t(lang, 'mark.delivered_dm', { id: buy.id, title: buy.title }) });
      // Other features react (a review request later, points and level, an invitation to share): domain events.
      await emit(ctx, 'purchase.delivered', {
        buy, memberId: s.memberId, signUpId: s.id, quantity: s.quantity, unitPriceCents: unitPriceOf(buy, signUps, s), deliveredAt: ctx.now, language: lang,
      });
    }
    if (mark === 'undelivered') {
      await ctx.tx.removePurchase(s.id);
      ctx.out.push({ kind: 'message', to: { memberId: s.memberId }, text: t(lang, 'mark.undelivered_dm', { id: buy.id, title: buy.title }) });
      await emit(ctx, 'purchase.undelivered', { buy, memberId: s.memberId, signUpId: s.id, deliveredAt: s.deliveredAt! });
    }
  }
  await ctx.tx.logAdminAction({ groupId: ctx.group.id, actorId: ctx.member.id, action: `signup.${mark}`, detail: { buyId: buy.id, signUps: changed.map((s) => s.id) }, at: ctx.now });
  const names = listOf(ctx.lang, changed.map((s) => s.displayName));
  replyInChat(ctx, say(ctx, `mark.${mark}_done`, { id: buy.id, names }));
  ctx.out.refreshCard(`buy:${buy.id}`);
}

/** The buy an after-close command means: the given id, else the newest open or formed buy in this chat. */
export async function findMarkableBuy(ctx: HandlerContext, buyId: number | undefined): Promise<BuyRecord> {
  if (buyId !== undefined) {
    const buy = await ctx.tx.getBuy(buyId, { lock: true });
    if (!buy || buy.groupId !== ctx.group?.id) throw new UserError('buy.not_found', { id: buyId });
    return buy;
  }
  const latest = await ctx.tx.latestBuy(ctx.event.chat.id, ['open', 'formed']);
  if (!latest) throw new UserError('buy.none_open');
  return (await ctx.tx.getBuy(latest.id, { lock: true }))!;
}

function resolveTargets(active: SignUpView[], tokens: string[], mentions: MentionedMember[], buyId: number): SignUpView[] {
  const found = new Map<number, SignUpView>();
  for (const m of mentions) {
    const s = active.find((a) => a.memberId === m.id);
    if (!s) throw new UserError('mark.not_participant', { who: m.displayName, id: buyId });
    found.set(s.id, s);
  }
  // Names may contain spaces: match the whole rest first, then token by token.
  const rest = tokens.join(' ').trim();
  const byName = (name: string) => {
    const clean = name.replace(/^@/, '').toLowerCase();
    return active.find((a) => a.username?.toLowerCase() === clean) ?? active.find((a) => a.displayName.toLowerCase() === clean);
  };
  if (rest) {
    const whole = byName(rest);
    if (whole) found.set(whole.id, whole);
    else {
      for (const token of tokens) {
        const s = byName(token);
        if (!s) throw new UserError('mark.not_participant', { who: token, id: buyId });
        found.set(s.id, s);
      }
    }
  }
  return [...found.values()];
}
