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
 * Promoted members are told privately; the group is told who moved in.
 */
export async function promoteFromWaitlist(env: UseCaseEnv, buy: BuyRecord, group: GroupRecord): Promise<SignUpView[]> {
  const signUps = await env.tx.listSignUps(buy.id);
  let taken = unitsTaken(signUps);
  const promoted: SignUpView[] = [];
  for (const s of splitSignUps(signUps).waitlist) {
    if (taken + s.quantity > buy.maxUnits) continue;
    await env.tx.updateSignUp(s.id, { status: 'active', joinedAt: env.now, waitlistedAt: null });
    taken += s.quantity;
    promoted.push(s);
    await emit(env, 'signup.joined', { groupId: group.id, memberId: s.memberId, buyId: buy.id, quantity: s.quantity, via: 'waitlist' });
    const lang = memberLanguage(s, group, env.defaultLanguage);
    env.out.push({ kind: 'message', to: { memberId: s.memberId }, text: t(lang, 'waitlist.promoted_dm', { id: buy.id, title: buy.title, qty: s.quantity }) });
  }
  if (promoted.length > 0) {
    const lang = await buyLanguage(env.tx, buy, group, env.defaultLanguage);
    env.out.push({ kind: 'message', to: { chatId: buy.chatId }, text: t(lang, 'waitlist.promoted', { names: listOf(lang, promoted.map((p) => `${p.displayName} ×${p.quantity}`)) }) });
  }
  return promoted;
}

/** Announces a tier crossing (price drop) or a fall back below a tier, comparing units before and after. */
export async function announceTierChange(env: UseCaseEnv, buy: BuyRecord, group: GroupRecord, unitsBefore: number): Promise<void> {
  if (buy.tiers.length === 0) return;
  const unitsAfter = unitsTaken(await env.tx.listSignUps(buy.id));
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
