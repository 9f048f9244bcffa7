/**
 * Guided dialogues (a question, the member's next message answers it) end three ways: the last answer, /cancel, or
 * another command that starts a dialogue in the same chat; and they expire when left unanswered, so a plain "5"
 * typed an hour later is never taken as an old question's answer.
 */
import type { HandlerContext } from '../context.js';
import type { DialogueRecord } from './records.js';

/** An unanswered dialogue expires this long after its last question (15 minutes). */
export const DIALOGUE_TIMEOUT_MS = 15 * 60_000;

/** The member's dialogue in this chat: open, expired (removed now), or none. */
export async function currentDialogue(ctx: HandlerContext): Promise<{ open: DialogueRecord } | { expired: DialogueRecord } | undefined> {
  const dialogue = await ctx.tx.getDialogue(ctx.event.chat.id, ctx.member.id);
  if (!dialogue) return undefined;
  if (ctx.now.getTime() - dialogue.updatedAt.getTime() <= DIALOGUE_TIMEOUT_MS) return { open: dialogue };
  await ctx.tx.deleteDialogue(ctx.event.chat.id, ctx.member.id);
  return { expired: dialogue };
}
