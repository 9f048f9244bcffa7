import { memberLanguage, type UseCaseEnv } from '../context.js';
import { t } from '../i18n/translate.js';
import { formatMoney } from '../money.js';
import { emit } from '../kernel/domain-events.js';
import './group-buy-events.js';
import type { BuyRecord, GroupRecord, SignUpView } from '../store.js';
import { buyLanguage } from './buy-language.js';
import { splitSignUps, unitsTaken } from './buy-card.js';
import { priceFor, tierIndex } from './pricing.js';
import { listOf } from '../i18n/words.js';

/**
 * Moves waitlisted members in, in queue order, while their quantity fits under max. A member who needs more
 * than is free does not block a later one who fits (noted in docs/decisions/002-group-buy-rules.md).
 * Promoted members are told privately; the group is told who moved in. `actor`: the member whose own change (a
 * smaller quantity they wait for) made them fit is answered by that change as a join, so they get no message here
 * and their `signup.joined` is the join's.
 */
export async function promoteFromWaitlist(env: UseCaseEnv, buy: BuyRecord, group: GroupRecord, options: { actor?: string } = {}): Promise<SignUpView[]> {
  // No one waiting (the usual case): counted, not read sign-up by sign-up.
  if ((await env.tx.buyTally(buy.id)).waitlisted === 0) return [];
  const signUps = await env.tx.listSignUps(buy.id);
  let taken = unitsTaken(signUps);
  // Each variant has its own stock, and so its own queue: a waitlisted 大份 moves in when 大份 frees up.
  const variantTaken = new Map<string, number>();
  for (const s of signUps) if (s.status === 'active' && s.variant) variantTaken.set(s.variant, (variantTaken.get(s.variant) ?? 0) + s.quantity);
  const promoted: SignUpView[] = [];
  for (const s of splitSignUps(signUps).waitlist) {
    if (taken + s.quantity > buy.maxUnits) continue;
    const variant = s.variant ? buy.variants.find((v) => v.name === s.variant) : undefined;
    if (variant && (variantTaken.get(variant.name) ?? 0) + s.quantity > variant.stock) continue;
    await env.tx.updateSignUp(s.id, { status: 'active', joinedAt: env.now, waitlistedAt: null });
    taken += s.quantity;
    if (variant) variantTaken.set(variant.name, (variantTaken.get(variant.name) ?? 0) + s.quantity);
    promoted.push(s);
    if (s.memberId === options.actor) continue;
    await emit(env, 'signup.joined', { groupId: group.id, memberId: s.memberId, buyId: buy.id, quantity: s.quantity, via: 'waitlist' });
    const lang = memberLanguage(s, group, env.defaultLanguage);
    env.out.push({ kind: 'message', to: { memberId: s.memberId }, text: t(lang, 'waitlist.promoted_dm', { id: buy.id, title: buy.title, qty: s.quantity }) });
  }
  const others = promoted.filter((p) => p.memberId !== options.actor);
  if (others.length > 0) {
    const lang = await buyLanguage(env.tx, buy, group, env.defaultLanguage);
    env.out.push({ kind: 'message', to: { chatId: buy.chatId }, text: t(lang, 'waitlist.promoted', { names: listOf(lang, others.map((p) => `${p.displayName} ×${p.quantity}`)) }) });
  }
  return promoted;
}

/** Announces a tier crossing (price drop) or a fall back below a tier, comparing units before and after. */
export async function announceTierChange(env: UseCaseEnv, buy: BuyRecord, group: GroupRecord, unitsBefore: number): Promise<void> {
  if (buy.tiers.length === 0) return;
  const unitsAfter = (await env.tx.buyTally(buy.id)).activeUnits;
  const before = tierIndex(unitsBefore, buy.tiers);
  const after = tierIndex(unitsAfter, buy.tiers);
  if (before === after) return;
  const lang = await buyLanguage(env.tx, buy, group, env.defaultLanguage);
  const price = formatMoney(priceFor(unitsAfter, buy.unitPriceCents, buy.tiers), group.currency);
  const text =
    after > before
      ? t(lang, 'tier.crossed', { id: buy.id, price, units: buy.tiers[after]!.minUnits })
      : t(lang, 'tier.dropped', { id: buy.id, price });
  env.out.push({ kind: 'message', to: { chatId: buy.chatId }, text });
}
