/** `/flags`, `/flags <id>` and `/unflag @member`: the moderators' view of the cases, and lifting a flag. */
import { replyInChat, say, type HandlerContext } from '../context.js';
import type { MentionedMember } from '../events.js';
import { UserError } from '../errors.js';
import { pointedMember } from '../kernel/pointed-member.js';
import type { PictureRenderer } from '../ports.js';
import { caseSvg } from './alert-moderators.js';
import { caseLine, renderCase } from './case-text.js';
import type { FlagCaseRecord } from './moderation-store.js';

/**
 * One case as its alert shows it, privately to the moderator who asked: the evidence in words, its picture, and
 * Dismiss, Confirm and Members while it is open (Members only once decided). The picture's data is read here, in
 * the transaction; it is drawn after the commit (`pushPicture`), and without a renderer the case goes as text.
 */
export async function showCase(ctx: HandlerContext, flagCase: FlagCaseRecord, renderer: PictureRenderer | undefined): Promise<void> {
  const group = await ctx.tx.getGroup(flagCase.groupId);
  const shown = await renderCase(ctx.tx, flagCase, ctx.lang, group?.title ?? '');
  const to = { memberId: ctx.member.id };
  if (!renderer || !group) {
    ctx.out.push({ kind: 'message', to, text: shown.text, buttons: shown.buttons });
    return;
  }
  const svg = await caseSvg(ctx.tx, flagCase, group.timeZone, ctx.lang);
  ctx.out.pushPicture({ kind: 'photo', to, filename: `case-${flagCase.id}.png`, text: shown.text, buttons: shown.buttons }, () => renderer.png(svg));
}

/** `/flags`: the open cases; `/flags <id>`: one case with its picture and buttons. Sent privately to the moderator. */
export async function showFlags(ctx: HandlerContext, id: number | undefined, renderer?: PictureRenderer): Promise<void> {
  if (!ctx.group) throw new UserError('generic.group_only');
  const to = { memberId: ctx.member.id };
  if (id !== undefined) {
    const flagCase = await ctx.tx.moderation.getCase(id);
    if (!flagCase || flagCase.groupId !== ctx.group.id) throw new UserError('flag.case_not_found', { id });
    await showCase(ctx, flagCase, renderer);
    return;
  }
  const open = await ctx.tx.moderation.listCases(ctx.group.id, 'open');
  const text = open.length === 0
    ? say(ctx, 'flag.flags_none')
    : [say(ctx, 'flag.flags_title', { count: open.length }), ...open.map((c) => caseLine(c, ctx.lang)), say(ctx, 'flag.flags_hint')].join('\n');
  ctx.out.push({ kind: 'message', to, text });
}

/** `/unflag @member`: lifts the member's confirmed flags, which lets them into rounds and like tasks again. */
export async function unflagMember(ctx: HandlerContext, args: string, mentions: MentionedMember[] = []): Promise<void> {
  if (!ctx.group) throw new UserError('generic.group_only');
  const { target, typed: name } = await pointedMember(ctx.tx, ctx.group.id, args, mentions);
  if (!target && !name) throw new UserError('flag.unflag_usage');
  if (!target) throw new UserError('flag.unflag_unknown_member', { who: name });
  const lifted = await ctx.tx.moderation.liftMember(ctx.group.id, target.id, ctx.now);
  if (lifted === 0) {
    replyInChat(ctx, say(ctx, 'flag.unflag_nothing', { name: target.displayName }));
    return;
  }
  await ctx.tx.logAdminAction({ groupId: ctx.group.id, actorId: ctx.member.id, action: 'moderation.unflag', detail: { memberId: target.id, lifted }, at: ctx.now });
  replyInChat(ctx, say(ctx, 'flag.unflagged', { name: target.displayName }));
}
