/**
 * A moderator's decision on a case, from the alert's buttons. The case's row is locked first and only an open case
 * is decided, so a second press, or two moderators pressing at once, change nothing the second time; the ledger's
 * unique keys (`reversal:<key of the award>`) hold even if that were bypassed.
 */
import { say, type HandlerContext } from '../context.js';
import { UserError } from '../errors.js';
import { renderMembers, statusText } from './case-text.js';
import type { FlagCaseRecord } from './moderation-store.js';

/** The ledger reason of the entries that take back points for voided likes. */
export const REVERSAL_REASON = 'moderation_reversal';

async function openCase(ctx: HandlerContext, id: number): Promise<FlagCaseRecord | null> {
  const flagCase = await ctx.tx.moderation.getCase(id, { lock: true });
  if (!flagCase) throw new UserError('generic.stale_button');
  if (flagCase.status === 'open') return flagCase;
  ctx.out.push({ kind: 'toast', text: say(ctx, 'flag.already_handled', { id, status: await statusText(ctx.tx, flagCase, ctx.lang) }), alert: true });
  return null;
}

/** Dismiss: a false alarm. The case keeps its evidence key, so the same evidence is never raised again. */
export async function dismissCase(ctx: HandlerContext, id: number): Promise<void> {
  const flagCase = await openCase(ctx, id);
  if (!flagCase) return;
  await ctx.tx.moderation.decideCase(id, { status: 'dismissed', byId: ctx.member.id, at: ctx.now });
  await ctx.tx.logAdminAction({ groupId: flagCase.groupId, actorId: ctx.member.id, action: 'moderation.dismiss', detail: { caseId: id, accounts: flagCase.members.map((m) => m.memberId) }, at: ctx.now });
  ctx.out.push({ kind: 'toast', text: say(ctx, 'flag.dismissed', { id }), alert: true });
}

/**
 * Confirm: the flagged accounts' likes on the case's shares stop counting. Each share is locked (in id order, as a
 * like locks it) while its likes are voided and recounted; the points paid for those likes (to the liker and to
 * the author), and like-goal rewards the share no longer reaches, are taken back by new negative ledger entries.
 * The confirmed, unlifted flag itself leaves the accounts out of rounds (`dropShare`) and like tasks
 * (`reachLikeGoals`) until /unflag; the three-warnings exclusion of rounds is a separate matter, left alone.
 */
export async function confirmCase(ctx: HandlerContext, id: number): Promise<void> {
  const flagCase = await openCase(ctx, id);
  if (!flagCase) return;
  await ctx.tx.moderation.decideCase(id, { status: 'confirmed', byId: ctx.member.id, at: ctx.now });
  const accounts = flagCase.members.filter((m) => m.liftedAt === null).map((m) => m.memberId);
  const shareIds = [...new Set(flagCase.evidence.posts)].filter((p) => /^\d+$/.test(p)).map(Number).sort((a, b) => a - b);
  let likes = 0;
  const keys: string[] = [];
  for (const shareId of shareIds) {
    const share = await ctx.tx.likes.getShare(shareId, { lock: true });
    if (!share || share.groupId !== flagCase.groupId) continue;
    let voided = 0;
    for (const account of accounts) {
      if (account === share.memberId) continue;
      if (await ctx.tx.moderation.voidLike(share, account, ctx.now, ctx.event.platform)) voided++;
      keys.push(`like_given:${share.id}:${account}`, `like_received:${share.id}:${account}`);
    }
    if (voided === 0) continue;
    likes += voided;
    const count = await ctx.tx.likes.recountLikes(share.id);
    for (const completion of await ctx.tx.likes.completionsOfShare(share.id)) {
      const task = await ctx.tx.likes.getTask(completion.taskId);
      if (task && count < task.goalLikes) keys.push(`like_goal:${task.id}:${share.id}`);
    }
    ctx.out.refreshCard(`share:${share.id}`);
  }
  let points = 0;
  for (const paid of await ctx.tx.moderation.paidForKeys(keys)) {
    if (paid.amount <= 0) continue;
    const reversed = await ctx.tx.addPointEntry({
      groupId: flagCase.groupId, memberId: paid.memberId, amount: -paid.amount, reason: REVERSAL_REASON, ...(paid.reference ? { reference: paid.reference } : {}),
      actorId: ctx.member.id, note: `case:${id}`, key: `reversal:${paid.key}`, at: ctx.now,
    });
    if (reversed) points += paid.amount;
  }
  await ctx.tx.logAdminAction({ groupId: flagCase.groupId, actorId: ctx.member.id, action: 'moderation.confirm', detail: { caseId: id, accounts, likes, points }, at: ctx.now });
  ctx.out.push({ kind: 'toast', text: say(ctx, 'flag.confirmed', { id, likes, points, accounts: accounts.length }), alert: true });
}

/** Members: who is in the case and which shares, privately to the moderator who asked. */
export async function showCaseMembers(ctx: HandlerContext, id: number): Promise<void> {
  const flagCase = await ctx.tx.moderation.getCase(id);
  if (!flagCase) throw new UserError('generic.stale_button');
  ctx.out.push({ kind: 'message', to: { memberId: ctx.member.id }, text: await renderMembers(ctx.tx, flagCase, ctx.lang) });
}
