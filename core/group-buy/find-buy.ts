import type { HandlerContext } from '../context.js';
import { UserError } from '../errors.js';
import { parseId } from '../kernel/args.js';
import type { BuyRecord } from '../store.js';

/** Parses a buy id as users write it: `12` or `#12` (the kernel's id grammar). */
export const parseBuyId = parseId;

/**
 * Finds the buy a command means: the given id (it must belong to this chat's group), else the newest open buy
 * in this chat. With `lock`, the buy's row stays locked until the transaction ends.
 */
export async function findBuy(ctx: HandlerContext, buyId: number | undefined, options: { lock?: boolean } = {}): Promise<BuyRecord> {
  if (buyId !== undefined) {
    const buy = await ctx.tx.getBuy(buyId, options);
    if (!buy || !belongsHere(ctx, buy)) throw new UserError('buy.not_found', { id: buyId });
    return buy;
  }
  const latest = await ctx.tx.latestOpenBuy(ctx.event.chat.id, options);
  if (!latest) throw new UserError('buy.none_open');
  return latest;
}

function belongsHere(ctx: HandlerContext, buy: BuyRecord): boolean {
  if (ctx.group) return buy.groupId === ctx.group.id;
  return false;
}

/** Refuses changes to a buy that is closed, or whose deadline has passed (it is being closed). */
export function assertOpen(ctx: { now: Date }, buy: BuyRecord, statusLabel: (status: BuyRecord['status']) => string): void {
  if (buy.status !== 'open') throw new UserError('buy.not_open', { id: buy.id, status: statusLabel(buy.status) });
  if (buy.endsAt.getTime() <= ctx.now.getTime()) throw new UserError('buy.deadline_passed', { id: buy.id });
}
