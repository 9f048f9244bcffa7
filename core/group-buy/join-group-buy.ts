import { say, type HandlerContext } from '../context.js';
import { UserError } from '../errors.js';
import { emit } from '../kernel/domain-events.js';
import './group-buy-events.js';
import type { BuyRecord, BuyTally, SignUpRecord, SignUpView, Variant } from '../store.js';
import { splitSignUps, unitsTaken } from './buy-card.js';
import { announceFewLeft } from './announce-urgency.js';
import { assertOpen, findBuy } from './find-buy.js';
import { announceTierChange, promoteFromWaitlist } from './sign-up-changes.js';

/** The most units one request can name; beyond it a number is not a quantity at all. */
export const MAX_QUANTITY = 100_000;

export interface JoinInput {
  buyId?: number;
  /**
   * `set`: the member's quantity becomes `quantity` (/join 2, 接龙 2, a "take what is left" button);
   * `add`: one more unit each press (the "+1" button; the first press joins with 1; a waitlisted member waits for
   *   one more, keeping their place);
   * `waitlist`: join the waitlist for `quantity` (the button offered when the buy or variant is full);
   * `once`: join with `quantity` unless already in (then nothing changes): a reminder's Join button.
   */
  mode: 'set' | 'add' | 'waitlist' | 'once';
  quantity: number;
  /** The variant by name (case-insensitive) or by position; required when the buy has variants and the member has none yet. */
  variant?: string | number;
  /** The member's note (备注); undefined leaves it as it is. */
  note?: string;
}

export type JoinOutcome =
  | { kind: 'joined' | 'changed' | 'unchanged'; buy: BuyRecord; quantity: number; variant: string | null }
  | {
      /** `waitlist_changed`: a waiting member changed what they wait for (quantity or variant) and keeps their place. */
      kind: 'waitlisted' | 'still_waitlisted' | 'waitlist_changed';
      buy: BuyRecord;
      quantity: number;
      variant: string | null;
      position: number;
      /** Units left when the member chose to wait for more. */
      left?: number;
      /** Queued because their variant is sold out while the buy still has room (the buy is not full). */
      soldOut?: boolean;
    }
  /**
   * Fewer units are left than asked for: nothing changed; the member is offered to take what is left (`total`, their
   * whole quantity after taking it) or to wait for the full quantity.
   */
  | { kind: 'short'; buy: BuyRecord; wanted: number; left: number; total: number; variant: string | null; variantIndex?: number; alreadyIn?: boolean };

/** Units held by active sign-ups of one variant. */
export function variantTaken(signUps: readonly SignUpView[], name: string): number {
  return signUps.reduce((sum, s) => (s.status === 'active' && s.variant === name ? sum + s.quantity : sum), 0);
}

/** Units still free for a variant (or, without one, for the buy): the lower of the buy's room and the variant's stock. */
export function roomFor(buy: BuyRecord, signUps: readonly SignUpView[], variant: Variant | undefined, ignoreSignUpId?: number): number {
  const others = signUps.filter((s) => s.id !== ignoreSignUpId);
  const buyRoom = buy.maxUnits - unitsTaken(others);
  return Math.max(0, variant ? Math.min(buyRoom, variant.stock - variantTaken(others, variant.name)) : buyRoom);
}

/** roomFor on the counts the database made (StoreTx.buyTally), leaving out `ignore` (the member's own sign-up). */
export function roomInTally(buy: BuyRecord, tally: BuyTally, variant: Variant | undefined, ignore?: SignUpRecord | null): number {
  const own = ignore?.status === 'active' ? ignore.quantity : 0;
  const buyRoom = buy.maxUnits - (tally.activeUnits - own);
  if (!variant) return Math.max(0, buyRoom);
  const ownInVariant = ignore?.status === 'active' && ignore.variant === variant.name ? ignore.quantity : 0;
  return Math.max(0, Math.min(buyRoom, variant.stock - ((tally.variantUnits[variant.name] ?? 0) - ownInVariant)));
}

/** Words that are a number but not one the bot reads as a quantity (`-1`, `2.5`, `1e3`, `1,000`, `two`). */
export function looksLikeQuantity(token: string): boolean {
  return /^[+-]?\d/.test(token) || /^(?:zero|one|two|three|four|five|six|seven|eight|nine|ten)$/i.test(token);
}

/** Finds a buy's variant by name (case-insensitive) or 0-based position; a UserError listing the names otherwise. */
export function pickVariant(buy: BuyRecord, wanted: string | number | undefined): Variant | undefined {
  if (buy.variants.length === 0) {
    // A buy with one price has nothing to pick: a number word was meant as a quantity (`/join two`), another word
    // as a variant the buy does not have (`/join 2 large`).
    if (wanted !== undefined) throw new UserError(typeof wanted === 'string' && looksLikeQuantity(wanted.trim()) ? 'join.bad_quantity' : 'join.no_variants', { id: buy.id, value: String(wanted).trim() });
    return undefined;
  }
  if (wanted === undefined) return undefined;
  const found = typeof wanted === 'number' ? buy.variants[wanted] : buy.variants.find((v) => v.name.toLowerCase() === wanted.trim().toLowerCase());
  if (!found) throw new UserError('join.unknown_variant', { id: buy.id, value: String(wanted), choices: buy.variants.map((v) => v.name).join('|') });
  return found;
}

/**
 * Joins the actor to a buy, changes their quantity, variant or note, or puts them on the waitlist. Runs with the
 * buy's row locked, so concurrent joins are serialised and neither max nor a variant's stock is ever oversold; a
 * repeated update changes nothing (the kernel drops it by its key). Asking for more than is left changes nothing
 * and says what is left (`short`); only an explicit waitlist request queues a member behind a full buy.
 */
export async function joinGroupBuy(ctx: HandlerContext, input: JoinInput): Promise<JoinOutcome> {
  if (!ctx.group) throw new UserError('generic.group_only');
  const group = ctx.group;
  const buy = await findBuy(ctx, input.buyId, { lock: true });
  assertOpen(ctx, buy, (s) => say(ctx, `buy.status.${s}`));

  // Counted in the database, not read sign-up by sign-up: a join holds the buy's lock for a few statements
  // however many joined before.
  const tally = await ctx.tx.buyTally(buy.id, ctx.member.id, { variants: buy.variants.length > 0 });
  const taken = tally.activeUnits;
  const existing = tally.mine && tally.mine.status !== 'left' ? tally.mine : undefined;
  const waitPosition = async (memberId: string) => splitSignUps(await ctx.tx.listSignUps(buy.id)).waitlist.findIndex((s) => s.memberId === memberId) + 1;

  // A quantity that can never be had is said first, before asking which variant (`+0` on a buy with variants).
  if (input.mode !== 'add' && input.quantity < 1) throw new UserError('join.bad_quantity', { value: String(input.quantity) });
  if (input.mode !== 'add' && input.quantity > buy.maxUnits && input.variant === undefined && buy.variants.length > 1) {
    throw new UserError('join.over_max', { id: buy.id, max: buy.maxUnits });
  }

  let variant = pickVariant(buy, input.variant);
  if (!variant && buy.variants.length > 0) {
    // A member already in keeps their variant; a new one must say which (one button per variant, or /join 2 大份).
    variant = existing?.variant ? buy.variants.find((v) => v.name === existing.variant) : buy.variants.length === 1 ? buy.variants[0] : undefined;
    if (!variant) throw new UserError('join.pick_variant', { id: buy.id, choices: buy.variants.map((v) => v.name).join('|'), first: buy.variants[0]!.name });
  }
  const variantName = variant?.name ?? null;
  const variantIndex = variant ? buy.variants.indexOf(variant) : undefined;
  const sameVariant = !existing || existing.variant === variantName;
  // Switching variant is a choice typed out (/join 2 大份), never the side effect of another variant's button.
  if (!sameVariant && input.mode !== 'set') {
    throw new UserError(existing!.status === 'waitlisted' ? 'join.other_variant_waiting' : 'join.other_variant', { id: buy.id, qty: existing!.quantity, variant: existing!.variant ?? '', wanted: variantName ?? '' });
  }
  const note = input.note !== undefined ? cleanNote(input.note) : undefined;
  const noteChanged = note !== undefined && note !== (existing?.note ?? null);

  const current = existing && sameVariant ? existing.quantity : 0;
  const waiting = existing?.status === 'waitlisted';
  // "+1" adds a unit to what the member has, or to what they wait for (docs/decisions/002-group-buy-rules.md, Waitlist).
  const qty =
    input.mode === 'add' && existing && sameVariant ? current + 1
      : input.mode === 'once' && existing && sameVariant ? existing.quantity
        : input.quantity;
  if (qty < 1) throw new UserError('join.bad_quantity', { value: String(qty) });
  if (buy.perMemberLimit && qty > buy.perMemberLimit) {
    throw new UserError(input.mode !== 'add' ? 'join.over_limit' : waiting ? 'join.waiting_at_limit' : 'join.at_limit', { limit: buy.perMemberLimit, id: buy.id, qty: current });
  }
  // More than the buy (or the variant) has in all can never be had, not even from the waitlist: say its real size.
  // A "+1" press past it says nothing more is left (below), as it does whenever the buy is full; a waiting member's
  // "+1" past it would wait for what never comes, so it is refused like a typed quantity.
  const capacity = variant ? Math.min(variant.stock, buy.maxUnits) : buy.maxUnits;
  if (qty > capacity && (input.mode !== 'add' || waiting)) {
    throw variant
      ? new UserError('join.over_stock', { id: buy.id, variant: variant.name, stock: capacity })
      : new UserError('join.over_max', { id: buy.id, max: capacity });
  }

  const room = roomInTally(buy, tally, variant, existing);
  const fits = qty <= room;
  let outcome: JoinOutcome;
  /** Units held after this change, when known without counting again (no one was promoted). */
  let unitsAfter: number | undefined;

  if (existing?.status === 'active') {
    // A waitlist button (a stale FULL card's, or someone else's offer) never changes what a member already has.
    if (input.mode === 'waitlist') throw new UserError('join.already_in', { id: buy.id, qty: existing.quantity });
    if (qty === existing.quantity && sameVariant) {
      if (noteChanged) await ctx.tx.updateSignUp(existing.id, { note });
      return { kind: 'unchanged', buy, quantity: existing.quantity, variant: variantName };
    }
    if (!fits) {
      return { kind: 'short', buy, wanted: qty, left: Math.max(0, room - (sameVariant ? existing.quantity : 0)), total: room, variant: variantName, variantIndex, alreadyIn: true };
    }
    await ctx.tx.updateSignUp(existing.id, { quantity: qty, variant: variantName, ...(note !== undefined ? { note } : {}) });
    if (qty < existing.quantity || !sameVariant) await promoteFromWaitlist(ctx, buy, group);
    else unitsAfter = taken - existing.quantity + qty;
    outcome = { kind: 'changed', buy, quantity: qty, variant: variantName };
  } else if (existing?.status === 'waitlisted') {
    // Already waiting: a waitlist button keeps the place and the quantity asked for; "+1" and a typed /join (or
    // 接龙 N) change what they wait for, keeping their place: promotion skips whoever does not fit, so a larger
    // quantity holds nobody up behind them.
    if (input.mode === 'waitlist' || (qty === existing.quantity && sameVariant)) {
      if (noteChanged) await ctx.tx.updateSignUp(existing.id, { note });
      return { kind: 'still_waitlisted', buy, quantity: existing.quantity, variant: variantName, position: await waitPosition(ctx.member.id) };
    }
    await ctx.tx.updateSignUp(existing.id, { quantity: qty, variant: variantName, ...(note !== undefined ? { note } : {}) });
    // What they now wait for may fit what is free (a smaller quantity, another variant): then they are in, as a
    // join that fits would be. Anyone ahead in the queue who fits was moved in already, so this takes no one's place.
    const promoted = await promoteFromWaitlist(ctx, buy, group, { actor: ctx.member.id });
    outcome = promoted.some((p) => p.id === existing.id)
      ? { kind: 'joined', buy, quantity: qty, variant: variantName }
      : { kind: 'waitlist_changed', buy, quantity: qty, variant: variantName, position: await waitPosition(ctx.member.id) };
  } else {
    if (!fits && input.mode !== 'waitlist' && room > 0) {
      return { kind: 'short', buy, wanted: qty, left: room, total: room, variant: variantName, variantIndex };
    }
    // Full (nothing left), or the member asked for the waitlist: queue them. A waitlist request that fits (a place
    // opened since the card or the offer was shown) joins: nobody waits for a place that is free.
    const active = fits;
    const fields = active
      ? { status: 'active' as const, quantity: qty, joinedAt: ctx.now, waitlistedAt: null }
      : { status: 'waitlisted' as const, quantity: qty, joinedAt: ctx.now, waitlistedAt: ctx.now };
    const extra = { variant: variantName, ...(note !== undefined ? { note } : {}) };
    const previous = tally.mine;
    if (previous) await ctx.tx.updateSignUp(previous.id, { ...fields, ...extra, leftAt: null });
    else await ctx.tx.createSignUp({ buyId: buy.id, memberId: ctx.member.id, ...fields, ...extra });
    unitsAfter = active ? taken + qty : taken;
    // A sold-out variant of a buy with room: the buy is not full, its variant is (the answer names the variant).
    const soldOut = !active && room === 0 && variant !== undefined && roomInTally(buy, tally, undefined, existing) > 0;
    outcome = active
      ? { kind: 'joined', buy, quantity: qty, variant: variantName }
      : { kind: 'waitlisted', buy, quantity: qty, variant: variantName, position: tally.waitlisted + 1, ...(room > 0 ? { left: room } : {}), ...(soldOut ? { soldOut } : {}) };
  }
  if (outcome.kind === 'joined') await emit(ctx, 'signup.joined', { groupId: group.id, memberId: ctx.member.id, buyId: buy.id, quantity: outcome.quantity, via: 'join' });
  await announceTierChange(ctx, buy, group, taken);
  await announceFewLeft(ctx, buy, group, unitsAfter);
  ctx.out.refreshCard(`buy:${buy.id}`);
  return outcome;
}

/** A note as stored: one line, at most 200 characters; empty (or `-`) clears it. */
export function cleanNote(text: string): string | null {
  const line = text.replace(/\s+/g, ' ').trim().slice(0, 200);
  return line === '' || line === '-' ? null : line;
}

/**
 * `/note [#buy] <text>`: sets (or with `-` clears) the actor's note on their sign-up, the newest open buy by default.
 * Notes can still change after a buy formed (pick-up arrangements); not on a failed or cancelled buy.
 */
export async function setNote(ctx: HandlerContext, buyId: number | undefined, text: string): Promise<{ buy: BuyRecord; note: string | null }> {
  if (!ctx.group) throw new UserError('generic.group_only');
  if (!text.trim()) throw new UserError('note.usage');
  const buy = await findBuy(ctx, buyId, { lock: true });
  if (buy.status === 'failed' || buy.status === 'cancelled') throw new UserError('buy.not_open', { id: buy.id, status: say(ctx, `buy.status.${buy.status}`) });
  const mine = (await ctx.tx.listSignUps(buy.id)).find((s) => s.memberId === ctx.member.id && s.status !== 'left');
  if (!mine) throw new UserError('leave.not_joined', { id: buy.id });
  const note = cleanNote(text);
  await ctx.tx.updateSignUp(mine.id, { note });
  return { buy, note };
}
