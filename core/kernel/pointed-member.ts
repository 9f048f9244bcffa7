import type { MentionedMember } from '../events.js';
import type { StoreTx } from '../store.js';

/**
 * The member a moderation command points at (`/liftwarnings @bob`, `/unflag @bob`, or as a reply): the mentioned
 * member, else the group member with the typed @username. `typed` is the first word typed ('' when none), so the
 * caller can tell "no one named" from "no such member".
 */
export async function pointedMember(tx: StoreTx, groupId: string, args: string, mentions: MentionedMember[]): Promise<{ target: { id: string; displayName: string } | null; typed: string }> {
  const typed = args.trim().split(/\s+/)[0] ?? '';
  let target: { id: string; displayName: string } | null = mentions[0] ?? null;
  if (!target && typed.startsWith('@')) target = await tx.findGroupMemberByUsername(groupId, typed.slice(1));
  return { target, typed };
}
