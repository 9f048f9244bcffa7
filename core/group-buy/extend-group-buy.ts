import { replyInChat, say, type HandlerContext } from '../context.js';
import { UserError } from '../errors.js';
import { formatDateTime } from '../time/parse-when.js';
import { findBuy, parseBuyId } from './find-buy.js';
import { closingSoonJob } from './announce-urgency.js';
import { deadlineJob } from './open-group-buy.js';
import { parseDeadline } from './parse-new-buy.js';

/** Reads `[buy-id] <when>` as typed: "#12 2h" names a buy; "12 2h" too, but "2026-12-24 20:00" or "2h" alone is only a deadline. */
export function parseExtendText(args: string): { ends?: string; buy?: number } {
  const tokens = args.trim().split(/\s+/).filter(Boolean);
  if (tokens.length === 0) throw new UserError('extend.usage');
  let buy: number | undefined;
  if (tokens.length >= 2 && parseBuyId(tokens[0]!) !== undefined) buy = parseBuyId(tokens.shift()!);
  return { ends: tokens.join(' '), ...(buy !== undefined ? { buy } : {}) };
}

/** `/extendbuy [buy-id] <when>`: moves an open buy's deadline (admins). The old deadline job then finds nothing due. */
export async function extendGroupBuy(ctx: HandlerContext, input: { ends?: string; buyId?: number }): Promise<void> {
  if (!ctx.group) throw new UserError('generic.group_only');
  if (!input.ends?.trim()) throw new UserError('extend.usage');
  const buyId = input.buyId;
  const tz = ctx.group.timeZone;
  const endsAt = parseDeadline(input.ends, ctx.now, tz, (d) => formatDateTime(d, tz));
  const buy = await findBuy(ctx, buyId, { lock: true });
  if (buy.status !== 'open') throw new UserError('buy.not_open', { id: buy.id, status: say(ctx, `buy.status.${buy.status}`) });
  const updated = await ctx.tx.updateBuy(buy.id, { endsAt });
  await ctx.tx.logAdminAction({ groupId: ctx.group.id, actorId: ctx.member.id, action: 'buy.extend', detail: { buyId: buy.id, from: buy.endsAt.toISOString(), to: endsAt.toISOString() }, at: ctx.now });
  ctx.out.schedule(deadlineJob(updated));
  const soon = closingSoonJob(updated);
  if (soon) ctx.out.schedule(soon);
  ctx.out.refreshCard(`buy:${buy.id}`);
  replyInChat(ctx, say(ctx, 'extend.done', { id: buy.id, when: `${formatDateTime(endsAt, tz)} (${tz})` }));
}
