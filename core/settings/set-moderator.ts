import { replyInChat, say, type HandlerContext } from '../context.js';
import type { MentionedMember } from '../events.js';
import { UserError } from '../errors.js';

/** `/mod @member` and `/unmod @member` (admins): moderators receive fake-engagement alerts in later features. */
export async function setModerator(ctx: HandlerContext, args: string, mentions: MentionedMember[], isModerator: boolean): Promise<void> {
  if (!ctx.group) throw new UserError('generic.group_only');
  let target: { id: string; displayName: string } | null = mentions[0] ?? null;
  if (!target) {
    const who = args.trim();
    if (!who) throw new UserError('mod.usage');
    target = await ctx.tx.findGroupMemberByUsername(ctx.group.id, who.replace(/^@/, ''));
    if (!target) throw new UserError('mod.not_found', { who });
  } else {
    await ctx.tx.upsertMember({ id: target.id, platform: ctx.event.platform, displayName: target.displayName, username: mentions[0]?.username });
    await ctx.tx.touchGroupMember(ctx.group.id, target.id, ctx.now);
  }
  await ctx.tx.setModerator(ctx.group.id, target.id, isModerator);
  await ctx.tx.logAdminAction({ groupId: ctx.group.id, actorId: ctx.member.id, action: isModerator ? 'moderator.add' : 'moderator.remove', detail: { memberId: target.id }, at: ctx.now });
  replyInChat(ctx, say(ctx, isModerator ? 'mod.added' : 'mod.removed', { name: target.displayName }));
}
