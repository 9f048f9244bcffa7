import { say, type HandlerContext } from '../context.js';
import { UserError } from '../errors.js';
import { emit } from '../kernel/domain-events.js';
import './group-buy-events.js';
import type { BuyRecord } from '../store.js';
import { splitSignUps, unitsTaken } from './buy-card.js';
import { announceFewLeft } from './announce-urgency.js';
import { assertOpen, findBuy } from './find-buy.js';
import { announceTierChange, promoteFromWaitlist } from './sign-up-changes.js';

export interface JoinInput {
  buyId?: number;
  /** Units wanted; a button press asks for 1 and never changes an existing sign-up. */
  quantity: number;
  viaButton: boolean;
}

export type JoinOutcome =
  | { kind: 'joined' | 'changed' | 'unchanged'; buy: BuyRecord; quantity: number }
  | { kind: 'waitlisted' | 'still_waitlisted'; buy: BuyRecord; quantity: number; position: number };

/**
 * Joins the actor to a buy, or changes their quantity by joining again. Runs with the buy's row locked, so
 * concurrent joins are serialised and max is never oversold; a repeated press or update changes nothing.
 * When the buy is full the member goes on the waitlist.
 */
export async function joinGroupBuy(ctx: HandlerContext, input: JoinInput): Promise<JoinOutcome> {
  if (!ctx.group) throw new UserError('generic.group_only');
  const group = ctx.group;
  const buy = await findBuy(ctx, input.buyId, { lock: true });
  assertOpen(ctx, buy, (s) => say(ctx, `buy.status.${s}`));
  const qty = input.quantity;
  if (buy.perMemberLimit && qty > buy.perMemberLimit) throw new UserError('join.over_limit', { limit: buy.perMemberLimit });

  const signUps = await ctx.tx.listSignUps(buy.id);
  const taken = unitsTaken(signUps);
  const existing = signUps.find((s) => s.memberId === ctx.member.id);
  const waitPosition = (memberId: string) => splitSignUps(signUps).waitlist.findIndex((s) => s.memberId === memberId) + 1;

  let outcome: JoinOutcome;
  if (existing?.status === 'active') {
    if (input.viaButton || existing.quantity === qty) return { kind: 'unchanged', buy, quantity: existing.quantity };
    const available = buy.maxUnits - taken;
    if (qty - existing.quantity > available) {
      throw new UserError('join.not_enough_room', { id: buy.id, qty: existing.quantity, available });
    }
    await ctx.tx.updateSignUp(existing.id, { quantity: qty });
    if (qty < existing.quantity) await promoteFromWaitlist(ctx, buy, group);
    outcome = { kind: 'changed', buy, quantity: qty };
  } else if (existing?.status === 'waitlisted') {
    if (input.viaButton || existing.quantity === qty) {
      return { kind: 'still_waitlisted', buy, quantity: existing.quantity, position: waitPosition(ctx.member.id) };
    }
    await ctx.tx.updateSignUp(existing.id, { quantity: qty });
    const promoted = await promoteFromWaitlist(ctx, buy, group);
    outcome = promoted.some((p) => p.id === existing.id)
      ? { kind: 'joined', buy, quantity: qty }
      : { kind: 'still_waitlisted', buy, quantity: qty, position: waitPosition(ctx.member.id) };
  } else {
    const fits = taken + qty <= buy.maxUnits;
    const fields = fits
      ? { status: 'active' as const, quantity: qty, joinedAt: ctx.now, waitlistedAt: null }
      : { status: 'waitlisted' as const, quantity: qty, joinedAt: ctx.now, waitlistedAt: ctx.now };
    if (existing) await ctx.tx.updateSignUp(existing.id, { ...fields, leftAt: null });
    else await ctx.tx.createSignUp({ buyId: buy.id, memberId: ctx.member.id, ...fields });
    outcome = fits
      ? { kind: 'joined', buy, quantity: qty }
      : { kind: 'waitlisted', buy, quantity: qty, position: splitSignUps(signUps).waitlist.length + 1 };
  }
  if (outcome.kind === 'joined') await emit(ctx, 'signup.joined', { groupId: group.id, memberId: ctx.member.id, buyId: buy.id, quantity: outcome.quantity, via: 'join' });
  await announceTierChange(ctx, buy, group, taken);
  await announceFewLeft(ctx, buy.id, group);
  ctx.out.refreshCard(`buy:${buy.id}`);
  return outcome;
}
