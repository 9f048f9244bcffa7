import type { Language } from '../kernel/language.js';
import { replyInChat, say, type HandlerContext } from '../context.js';
import type { MentionedMember } from '../events.js';
import { UserError } from '../errors.js';
import { t, type MessageKey } from '../i18n/translate.js';
import { formatDateTime } from '../time/parse-when.js';
import { awardPoints } from './award-points.js';
import { POINT_SOURCES } from './point-sources.js';

const MAX_ADJUSTMENT = 100_000;
const LEDGER_LINES = 15;
const AMOUNT = /^[+-]?\d+$/;

/** The member a command points at: the replied-to or mentioned member, else `@username` as the first word. */
async function resolveTarget(ctx: HandlerContext, tokens: string[], mentions: MentionedMember[]): Promise<{ id: string; displayName: string } | null> {
  const group = ctx.group!;
  const mentioned = mentions[0];
  if (mentioned) {
    await ctx.tx.upsertMember({ id: mentioned.id, platform: ctx.event.platform, displayName: mentioned.displayName, username: mentioned.username });
    await ctx.tx.touchGroupMember(group.id, mentioned.id, ctx.now);
    // A mention leaves the member's name (one or more words) before the amount: drop it.
    const amountAt = tokens.findIndex((tok) => AMOUNT.test(tok));
    tokens.splice(0, amountAt >= 0 ? amountAt : tokens.length);
    return mentioned;
  }
  if (!tokens[0]?.startsWith('@')) return null;
  const who = tokens.shift()!;
  const found = await ctx.tx.findGroupMemberByUsername(group.id, who.slice(1));
  if (!found) throw new UserError('points.member_not_found', { who });
  return found;
}

/**
 * `/points @member <+/-n> <reason>` (admins): a ledger entry with the admin as its actor and the reason as its
 * note, also logged as an admin action. The ledger is append-only: a correction is another adjustment.
 */
export interface PointsAdjustment {
  member?: MentionedMember;
  /** `@username` as typed, when no member was pointed at. */
  name?: string;
  amount?: number;
  reason?: string;
}

/** Reads `@member <+/-n> <reason>` (or, replying to the member, `<+/-n> <reason>`) as typed. */
export function parseAdjustment(args: string, mentions: readonly MentionedMember[] = []): PointsAdjustment {
  const tokens = args.trim().split(/\s+/).filter(Boolean);
  const member = mentions[0];
  let name: string | undefined;
  if (member) {
    // A mention leaves the member's name (one or more words) before the amount: drop it.
    const amountAt = tokens.findIndex((tok) => AMOUNT.test(tok));
    tokens.splice(0, amountAt >= 0 ? amountAt : tokens.length);
  } else if (tokens[0]?.startsWith('@')) {
    name = tokens.shift()!;
  } else {
    throw new UserError('points.adjust_usage');
  }
  const rawAmount = tokens.shift() ?? '';
  if (!AMOUNT.test(rawAmount)) throw new UserError('points.adjust_usage');
  const amount = Number(rawAmount);
  if (amount === 0 || Math.abs(amount) > MAX_ADJUSTMENT) throw new UserError('points.adjust_bad_amount', { value: rawAmount, max: MAX_ADJUSTMENT });
  const reason = tokens.join(' ').trim();
  if (!reason) throw new UserError('points.adjust_usage');
  return { ...(member ? { member } : {}), ...(name ? { name } : {}), amount, reason };
}

export async function adjustPoints(ctx: HandlerContext, input: PointsAdjustment): Promise<void> {
  if (!ctx.group) throw new UserError('generic.group_only');
  const { amount, reason } = input;
  if (amount === undefined || !reason?.trim()) throw new UserError('points.adjust_usage');
  if (amount === 0 || Math.abs(amount) > MAX_ADJUSTMENT) throw new UserError('points.adjust_bad_amount', { value: String(amount), max: MAX_ADJUSTMENT });
  const target = await resolveTarget(ctx, input.name ? [input.name] : [], input.member ? [input.member] : []);
  if (!target) throw new UserError('points.adjust_usage');

  if (amount < 0) {
    // A balance never goes below zero: the deduction is refused, naming what the member has and what may be taken.
    // Decided under the lock of the member's admin entries, so two racing deductions cannot pass zero together.
    await ctx.tx.points.lockAwards([{ groupId: ctx.group.id, memberId: target.id, source: 'admin' }]);
    const before = await ctx.tx.pointsBalance(ctx.group.id, target.id);
    if (before + amount < 0) {
      throw new UserError('points.adjust_below_zero', { name: target.displayName, balance: before, value: String(amount), min: -Math.max(before, 0), max: MAX_ADJUSTMENT });
    }
  }
  await awardPoints(ctx, {
    groupId: ctx.group.id, memberId: target.id, source: 'admin', amount, reference: `admin:${ctx.event.key}`, key: `admin:${ctx.event.key}`,
    actorId: ctx.member.id, note: reason,
  });
  await ctx.tx.logAdminAction({ groupId: ctx.group.id, actorId: ctx.member.id, action: 'points.adjust', detail: { memberId: target.id, amount, reason }, at: ctx.now });
  const balance = await ctx.tx.pointsBalance(ctx.group.id, target.id);
  replyInChat(ctx, say(ctx, 'points.adjusted', { admin: ctx.member.displayName, name: target.displayName, amount: signed(amount), reason, balance }));
}

/**
 * `/ledger [@member]`: the newest entries of a member's points, sent privately. Admins may read anyone's;
 * everyone may read their own.
 */
export async function showLedger(ctx: HandlerContext, args: string, mentions: MentionedMember[] = []): Promise<void> {
  if (!ctx.group) throw new UserError('generic.group_only');
  const tokens = args.trim().split(/\s+/).filter(Boolean);
  const target = (await resolveTarget(ctx, tokens, mentions)) ?? ctx.member;
  if (target.id !== ctx.member.id && !ctx.isAdmin) throw new UserError('generic.admin_only');
  const lang = ctx.member.language ?? ctx.lang;
  const entries = await ctx.tx.points.ledger(ctx.group.id, target.id, LEDGER_LINES);
  const balance = await ctx.tx.pointsBalance(ctx.group.id, target.id);
  const lines = [t(lang, 'points.ledger_title', { name: target.displayName, group: ctx.group.title ?? '', balance })];
  if (entries.length === 0) lines.push(t(lang, 'points.ledger_none'));
  for (const e of entries) {
    const line = t(lang, 'points.ledger_line', { when: formatDateTime(e.at, ctx.group.timeZone), amount: signed(e.amount), reason: reasonName(lang, e.reason) });
    lines.push(e.actorName ? `${line} ${t(lang, 'points.ledger_by', { admin: e.actorName, note: e.note ?? '' })}` : line);
  }
  ctx.out.push({ kind: 'message', to: { memberId: ctx.member.id }, text: lines.join('\n'), private: true });
}

function signed(amount: number): string {
  return amount > 0 ? `+${amount}` : String(amount);
}

/** A ledger reason in words; reasons of features this version does not know are shown as stored. */
export function reasonName(lang: Language, reason: string): string {
  return (POINT_SOURCES as readonly string[]).includes(reason) ? t(lang, `points.reason.${reason}` as MessageKey & `points.reason.${string}`) : reason;
}
