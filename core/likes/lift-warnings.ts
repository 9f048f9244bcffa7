import { replyInChat, say, type HandlerContext } from '../context.js';
import type { MentionedMember } from '../events.js';
import { UserError } from '../errors.js';
import { pointedMember } from '../kernel/pointed-member.js';

/** `/liftwarnings @member` (admins, or as a reply to the member): lifts their warnings and lets them into rounds again. */
export async function liftWarnings(ctx: HandlerContext, args: string, mentions: MentionedMember[] = []): Promise<void> {
  if (!ctx.group) throw new UserError('generic.group_only');
  const { target, typed: name } = await pointedMember(ctx.tx, ctx.group.id, args, mentions);
  if (!target && !name) throw new UserError('likes.lift_usage');
  if (!target) throw new UserError('likes.lift_unknown_member', { who: name });
  const lifted = await ctx.tx.likes.liftWarnings(ctx.group.id, target.id, ctx.member.id, ctx.now);
  const wasExcluded = await ctx.tx.likes.isExcluded(ctx.group.id, target.id);
  await ctx.tx.likes.setExcluded(ctx.group.id, target.id, false);
  await ctx.tx.logAdminAction({ groupId: ctx.group.id, actorId: ctx.member.id, action: 'likes.lift_warnings', detail: { memberId: target.id, lifted, wasExcluded }, at: ctx.now });
  replyInChat(ctx, lifted === 0 && !wasExcluded ? say(ctx, 'likes.lift_nothing', { name: target.displayName }) : say(ctx, 'likes.lifted', { name: target.displayName, count: lifted }));
}
