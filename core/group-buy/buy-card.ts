import type { Language } from '../kernel/language.js';
import { t } from '../i18n/translate.js';
import { formatMoney } from '../money.js';
import type { Button } from '../replies.js';
import type { BuyRecord, GroupRecord, SignUpView } from '../store.js';
import { formatDateTime } from '../time/parse-when.js';
import { nextTier, priceFor } from './pricing.js';
import { remarks } from '../i18n/words.js';

/** How many participant lines a card shows before summarising the rest (keeps cards within message limits). */
export const CARD_LIST_LIMIT = 40;

export interface BuyCard {
  text: string;
  buttons: Button[][];
}

/** Units held by active sign-ups. */
export function unitsTaken(signUps: readonly SignUpView[]): number {
  return signUps.reduce((sum, s) => (s.status === 'active' ? sum + s.quantity : sum), 0);
}

/** Active sign-ups in join order, and the waitlist in queue order. */
export function splitSignUps(signUps: readonly SignUpView[]): { active: SignUpView[]; waitlist: SignUpView[] } {
  const active = signUps.filter((s) => s.status === 'active').sort((a, b) => a.joinedAt.getTime() - b.joinedAt.getTime() || a.id - b.id);
  const waitlist = signUps
    .filter((s) => s.status === 'waitlisted')
    .sort((a, b) => (a.waitlistedAt?.getTime() ?? 0) - (b.waitlistedAt?.getTime() ?? 0) || a.id - b.id);
  return { active, waitlist };
}

/** Cells in the card's progress bar. */
const BAR_CELLS = 10;

/** A text bar of units taken against max, e.g. `▓▓▓▓▓░░░░░` for 5 of 10 (at least one cell once anyone joined). */
export function progressBar(taken: number, max: number): string {
  const filled = taken <= 0 ? 0 : Math.max(1, Math.min(BAR_CELLS, Math.round((taken / Math.max(1, max)) * BAR_CELLS)));
  return '▓'.repeat(filled) + '░'.repeat(BAR_CELLS - filled);
}

/** Time left as people say it: `2 h 15 min` / `2小时15分`, days and hours when it is long, whole minutes (rounded up). */
export function formatTimeLeft(ms: number, lang: Language): string {
  const minutesLeft = Math.max(0, Math.ceil(ms / 60_000));
  const days = Math.floor(minutesLeft / 1440);
  const hours = Math.floor((minutesLeft % 1440) / 60);
  const minutes = minutesLeft % 60;
  // Past a day, minutes are noise.
  return t(lang, 'card.duration', days > 0 ? { days, hours, minutes: 0 } : { days, hours, minutes });
}

/** The unit price a buy has now (or had when it closed). */
export function currentPrice(buy: BuyRecord, signUps: readonly SignUpView[]): number {
  return buy.finalPriceCents ?? priceFor(unitsTaken(signUps), buy.unitPriceCents, buy.tiers);
}

/**
 * The unit price one sign-up pays: its variant's price, else the buy's current (tiered or final) price, given as
 * the sign-ups (counted here) or as that price already counted (`currentPrice`, once for many lines).
 */
export function unitPriceOf(buy: BuyRecord, signUps: readonly SignUpView[] | number, signUp: Pick<SignUpView, 'variant'>): number {
  const variant = signUp.variant ? buy.variants.find((v) => v.name === signUp.variant) : undefined;
  return variant ? variant.priceCents : typeof signUps === 'number' ? signUps : currentPrice(buy, signUps);
}

/**
 * Renders the live sign-up card: title, current price and next tier, units against min and max, deadline,
 * limit, pickup, participants and waitlist, and Join/Leave buttons while the buy is open. `now` gives the time
 * left (the card is re-rendered on every change and when the closing-soon announcement goes out).
 */
export function renderBuyCard(buy: BuyRecord, signUps: readonly SignUpView[], group: GroupRecord, lang: Language, now: Date): BuyCard {
  const money = (cents: number) => formatMoney(cents, group.currency);
  const taken = unitsTaken(signUps);
  const price = currentPrice(buy, signUps);
  const { active, waitlist } = splitSignUps(signUps);
  const lines: string[] = [t(lang, 'card.title', { id: buy.id, title: buy.title })];
  if (buy.description) lines.push(oneLineName(buy.description, 500));

  if (buy.variants.length > 0) lines.push(...variantLines(buy, signUps, lang, money));
  else lines.push(t(lang, 'card.price', { price: money(price) }));
  if (buy.status === 'open') {
    const next = nextTier(taken, buy.tiers);
    if (next) lines.push(t(lang, 'card.next_tier', { more: next.more, price: money(next.tier.priceCents) }));
  }
  if (buy.tiers.length > 0) {
    const list = buy.tiers.map((tier) => `${tier.minUnits}+ ${money(tier.priceCents)}`).join(' · ');
    lines.push(t(lang, 'card.tiers', { list }));
  }
  lines.push(t(lang, 'card.units', { bar: progressBar(taken, buy.maxUnits), taken, min: buy.minUnits, max: buy.maxUnits }));
  const full = taken >= buy.maxUnits;
  if (buy.status === 'open') {
    if (full) lines.push(t(lang, 'card.full'));
    lines.push(taken >= buy.minUnits ? t(lang, 'card.min_reached') : t(lang, 'card.min_missing', { more: buy.minUnits - taken }));
    lines.push(t(lang, 'card.deadline', { when: formatDateTime(buy.endsAt, group.timeZone), zone: group.timeZone }));
    const left = buy.endsAt.getTime() - now.getTime();
    lines.push(left > 0 ? t(lang, 'card.time_left', { left: formatTimeLeft(left, lang) }) : t(lang, 'card.closing_now'));
  }
  if (buy.perMemberLimit) lines.push(t(lang, 'card.limit', { limit: buy.perMemberLimit }));
  if (buy.pickup) lines.push(t(lang, 'card.pickup', { pickup: buy.pickup }));

  lines.push('');
  if (active.length === 0) {
    // Only an open buy invites; a closed one says how it ended below.
    lines.push(buy.status === 'open' ? t(lang, 'card.no_participants') : t(lang, 'card.nobody_joined'));
  } else {
    lines.push(t(lang, 'card.participants', { count: active.length }));
    active.slice(0, CARD_LIST_LIMIT).forEach((s, i) => lines.push(`${i + 1}. ${participantLine(s, lang)}`));
    if (active.length > CARD_LIST_LIMIT) lines.push(t(lang, 'card.more', { count: active.length - CARD_LIST_LIMIT }));
  }
  if (waitlist.length > 0) {
    lines.push(t(lang, 'card.waitlist', { count: waitlist.length }));
    waitlist.slice(0, 10).forEach((s, i) => lines.push(`${i + 1}. ${oneLineName(s.displayName)} ×${s.quantity}${s.variant ? ` ${oneLineName(s.variant)}` : ''}`));
    if (waitlist.length > 10) lines.push(t(lang, 'card.more', { count: waitlist.length - 10 }));
  }

  if (buy.status !== 'open') {
    lines.push('');
    if (buy.status === 'formed') lines.push(t(lang, 'card.status.formed', { price: money(price) }));
    if (buy.status === 'failed') lines.push(t(lang, 'card.status.failed', { taken, min: buy.minUnits }));
    if (buy.status === 'cancelled') lines.push(t(lang, 'card.status.cancelled'));
  }

  const buttons: Button[][] = buy.status === 'open' ? joinButtons(buy, signUps, lang) : [];
  return { text: lines.join('\n'), buttons };
}

/** One line per variant: its price and what is left of its stock (or that it is sold out). */
function variantLines(buy: BuyRecord, signUps: readonly SignUpView[], lang: Language, money: (cents: number) => string): string[] {
  const lines = [t(lang, 'card.variants')];
  for (const v of buy.variants) {
    const left = Math.max(0, v.stock - variantTakenOf(signUps, v.name));
    lines.push(t(lang, left > 0 ? 'card.variant' : 'card.variant_out', { name: v.name, price: money(v.priceCents), left, stock: v.stock }));
  }
  return lines;
}

function variantTakenOf(signUps: readonly SignUpView[], name: string): number {
  return signUps.reduce((sum, s) => (s.status === 'active' && s.variant === name ? sum + s.quantity : sum), 0);
}

/**
 * The card's buttons while the buy is open: "+1" (a press adds one unit; the first joins), one per variant, or
 * "Waitlist" where nothing is left (the press queues the member explicitly); then Leave.
 */
function joinButtons(buy: BuyRecord, signUps: readonly SignUpView[], lang: Language): Button[][] {
  const free = buy.maxUnits - unitsTaken(signUps);
  const join: Button[] =
    buy.variants.length === 0
      ? [free > 0
          ? { label: t(lang, 'button.join'), action: `join:${buy.id}`, style: 'primary' }
          : { label: t(lang, 'button.join_waitlist'), action: `jw:${buy.id}:1`, style: 'secondary' }]
      : buy.variants.map((v, i) =>
          free > 0 && v.stock - variantTakenOf(signUps, v.name) > 0
            ? { label: t(lang, 'button.join_variant', { name: v.name }), action: `join:${buy.id}:${i}`, style: 'primary' as const }
            : { label: t(lang, 'button.waitlist_variant', { name: v.name }), action: `jw:${buy.id}:1:${i}`, style: 'secondary' as const },
        );
  const rows: Button[][] = [];
  // At most three join buttons a row, so variant names stay readable on a phone.
  for (let i = 0; i < join.length; i += 3) rows.push(join.slice(i, i + 3));
  rows.push([{ label: t(lang, 'button.leave'), action: `leave:${buy.id}`, style: 'secondary' }]);
  if (buy.variants.length === 0) return [[...rows[0]!, ...rows[1]!]];
  return rows;
}

function participantLine(s: SignUpView, lang: Language): string {
  const marks: string[] = [];
  if (s.paidAt) marks.push(t(lang, 'card.paid_mark'));
  if (s.deliveredAt) marks.push(t(lang, 'card.delivered_mark'));
  // The member's note is not shown here: the card is public; the note is for the admin's export and the member.
  const variant = s.variant ? ` ${oneLineName(s.variant)}` : '';
  return `${oneLineName(s.displayName)} ×${s.quantity}${variant}${remarks(lang, marks)}`;
}

/** Names are user-controlled: kept on one line (and short) so they cannot forge card lines. */
export function oneLineName(name: string, max = 64): string {
  return name.replace(/\s+/g, ' ').trim().slice(0, max);
}
