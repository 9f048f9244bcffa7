import type { HandlerContext } from '../context.js';
import { UserError } from '../errors.js';
import type { MentionedMember } from '../events.js';
import { pointedMember } from '../kernel/pointed-member.js';
import type { MemberRecord } from '../store.js';

/**
 * Whose data a `/mydata` or `/forgetme` is about: the actor's own, or (an admin in a group, acting on a member's
 * request) the member they point at. Only a member seen in this group can be pointed at; anyone else pointing at
 * someone is refused, and nothing is read or changed.
 */
export async function dataSubject(ctx: HandlerContext, typed: string, mentions: MentionedMember[]): Promise<{ member: MemberRecord; self: boolean }> {
  if (!typed.trim() && mentions.length === 0) return { member: ctx.member, self: true };
  if (!ctx.group) throw new UserError('privacy.others_in_group');
  if (!ctx.isAdmin) throw new UserError('privacy.others_admin_only');
  const { target, typed: word } = await pointedMember(ctx.tx, ctx.group.id, typed, mentions);
  if (!target && !word.startsWith('@')) throw new UserError('privacy.usage');
  const member = target && (await ctx.tx.isGroupMember(ctx.group.id, target.id)) ? await ctx.tx.getMember(target.id) : null;
  if (!member) throw new UserError('privacy.unknown_member', { who: target?.displayName ?? word });
  return { member, self: member.id === ctx.member.id };
}
