import { memberLanguage, replyInChat, say, type HandlerContext } from '../context.js';
import { UserError } from '../errors.js';
import { t } from '../i18n/translate.js';
import type { BuyRecord } from '../store.js';
import { formatDateTime } from '../time/parse-when.js';
import { closingSoonJob } from './announce-urgency.js';
import { splitSignUps } from './buy-card.js';
import { parseBuyId } from './find-buy.js';
import { deadlineJob } from './open-group-buy.js';
import { parseDeadline } from './parse-new-buy.js';

/** How long after closing a buy may be reopened: a mistake is noticed at once; later, members have moved on. */
export const REOPEN_WINDOW_MS = 30 * 60_000;

/** Reads `[buy-id] <when>` as typed, like /extendbuy. */
export function parseReopenText(args: string): { ends?: string; buy?: number } {
  const tokens = args.trim().split(/\s+/).filter(Boolean);
  if (tokens.length === 0) throw new UserError('reopen.usage', { minutes: REOPEN_WINDOW_MS / 60_000 });
  let buy: number | undefined;
  if (tokens.length >= 2 && parseBuyId(tokens[0]!) !== undefined) buy = parseBuyId(tokens.shift()!);
  return { ends: tokens.join(' '), ...(buy !== undefined ? { buy } : {}) };
}

/**
 * `/reopenbuy [buy-id] <new deadline>` (admins): opens a buy closed by mistake again, within REOPEN_WINDOW_MS of
 * its close (formed, failed or cancelled; refused once a delivery is marked: un-mark it first). Sign-ups, the
 * waitlist and paid marks stay as they were; the final price is dropped (it is decided again at the new close).
 * Everyone who was told how it ended (members and the waitlist) is told privately that it is open again.
 */
export async function reopenGroupBuy(ctx: HandlerContext, input: { ends?: string; buyId?: number }): Promise<void> {
  if (!ctx.group) throw new UserError('generic.group_only');
  const minutes = REOPEN_WINDOW_MS / 60_000;
  if (!input.ends?.trim()) throw new UserError('reopen.usage', { minutes });
  const tz = ctx.group.timeZone;
  const endsAt = parseDeadline(input.ends, ctx.now, tz, (d) => formatDateTime(d, tz));
  const buy = await findClosedBuy(ctx, input.buyId);
  if (buy.status === 'open') throw new UserError('reopen.still_open', { id: buy.id });
  const closedAt = buy.closedAt ?? buy.endsAt;
  if (ctx.now.getTime() - closedAt.getTime() > REOPEN_WINDOW_MS) {
    throw new UserError('reopen.too_late', { id: buy.id, closed: formatDateTime(closedAt, tz), zone: tz, minutes });
  }
  const signUps = await ctx.tx.listSignUps(buy.id);
  if (signUps.some((s) => s.deliveredAt)) throw new UserError('reopen.delivered', { id: buy.id });

  const reopened = await ctx.tx.updateBuy(buy.id, { status: 'open', endsAt, closedAt: null, closedReason: null, finalPriceCents: null });
  await ctx.tx.logAdminAction({
    groupId: ctx.group.id, actorId: ctx.member.id, action: 'buy.reopen',
    detail: { buyId: buy.id, was: buy.status, closedAt: closedAt.toISOString(), endsAt: endsAt.toISOString() }, at: ctx.now,
  });
  ctx.out.schedule(deadlineJob(reopened));
  const soon = closingSoonJob(reopened);
  if (soon) ctx.out.schedule(soon);

  const when = formatDateTime(endsAt, tz);
  const { active, waitlist } = splitSignUps(signUps);
  for (const s of [...active, ...waitlist]) {
    const lang = memberLanguage(s, ctx.group, ctx.lang);
    ctx.out.push({ kind: 'message', to: { memberId: s.memberId }, text: t(lang, 'reopen.dm', { id: buy.id, title: buy.title, when, zone: tz }) });
  }
  replyInChat(ctx, say(ctx, 'reopen.done', { id: buy.id, title: buy.title, when, zone: tz }));
  ctx.out.refreshCard(`buy:${buy.id}`);
}

/** The given buy (of this group), else the newest closed one in this chat; locked. */
async function findClosedBuy(ctx: HandlerContext, buyId: number | undefined): Promise<BuyRecord> {
  if (buyId !== undefined) {
    const buy = await ctx.tx.getBuy(buyId, { lock: true });
    if (!buy || buy.groupId !== ctx.group?.id) throw new UserError('buy.not_found', { id: buyId });
    return buy;
  }
  const latest = await ctx.tx.latestBuy(ctx.event.chat.id, ['formed', 'failed', 'cancelled']);
  if (!latest) throw new UserError('reopen.none');
  return (await ctx.tx.getBuy(latest.id, { lock: true }))!;
}
