import type { HandlerContext } from '../context.js';
import { say } from '../context.js';
import { UserError } from '../errors.js';
import { emit } from '../kernel/domain-events.js';
import './group-buy-events.js';
import type { BuyRecord } from '../store.js';
import { announceFewLeft } from './announce-urgency.js';
import { assertOpen, findBuy } from './find-buy.js';
import { announceTierChange, promoteFromWaitlist } from './sign-up-changes.js';

/**
 * Takes the actor out of a buy (or off its waitlist) and promotes the first waitlisted members who now fit.
 * Leaving twice changes nothing the second time.
 */
export async function leaveGroupBuy(ctx: HandlerContext, input: { buyId?: number }): Promise<BuyRecord> {
  if (!ctx.group) throw new UserError('generic.group_only');
  const buy = await findBuy(ctx, input.buyId, { lock: true });
  assertOpen(ctx, buy, (s) => say(ctx, `buy.status.${s}`));
  const tally = await ctx.tx.buyTally(buy.id, ctx.member.id);
  const mine = tally.mine && tally.mine.status !== 'left' ? tally.mine : undefined;
  if (!mine) throw new UserError('leave.not_joined', { id: buy.id });
  const before = tally.activeUnits;
  await ctx.tx.updateSignUp(mine.id, { status: 'left', leftAt: ctx.now, waitlistedAt: null });
  await emit(ctx, 'signup.left', { groupId: ctx.group.id, memberId: ctx.member.id, buyId: buy.id, wasActive: mine.status === 'active' });
  if (mine.status === 'active') {
    if (tally.waitlisted > 0) await promoteFromWaitlist(ctx, buy, ctx.group);
    await announceTierChange(ctx, buy, ctx.group, before);
    await announceFewLeft(ctx, buy, ctx.group);
  }
  ctx.out.refreshCard(`buy:${buy.id}`);
  return buy;
}
