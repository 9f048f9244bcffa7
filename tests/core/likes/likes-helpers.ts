/** Helpers for the likes tests: shares with photos, reactions on cards, and what a share card shows now. */
import type { HandleResult } from '../../../core/app.js';
import type { Actor, Attachment } from '../../../core/events.js';
import type { Reply } from '../../../core/replies.js';
import { GROUP, type CoreHarness, type SendOptions } from '../../support/core-harness.js';

/** `/share <args>`, optionally with a photo, as a member in the group. */
export function share(h: CoreHarness, actor: Actor, args: string, options: SendOptions & { photo?: string } = {}): Promise<HandleResult> {
  const attachments: Attachment[] | undefined = options.photo ? [{ kind: 'photo', fileId: options.photo }] : undefined;
  return h.send({
    key: options.key ?? h.nextKey(), platform: 'tg', actor, chat: h.chatOf(actor, options.chat), at: h.clock.now(),
    kind: 'command', name: 'share', args, ...(attachments ? { attachments } : {}),
  });
}

type MessageDelivery = { reply: Extract<Reply, { kind: 'message' }>; chatId?: string; messageId?: string };

/** The message that carries a live card (`share:1`, `round:1`). */
export function cardOf(h: CoreHarness, card: string): MessageDelivery {
  const found = h.port.delivered.find((d) => d.reply.kind === 'message' && d.reply.card === card) as MessageDelivery | undefined;
  if (!found) throw new Error(`no card ${card} was posted`);
  return found;
}

/** What a live card shows now (its last edit), after pending edits were sent. */
export async function cardNow(h: CoreHarness, card: string): Promise<{ text: string; buttons: string[]; photo?: string }> {
  await h.flushCards();
  const message = cardOf(h, card);
  const edits = h.port.delivered.filter((d) => d.reply.kind === 'edit' && d.reply.chatId === message.chatId && d.reply.messageId === message.messageId);
  const last = edits.at(-1)?.reply as Extract<Reply, { kind: 'edit' }> | undefined;
  const shown = last ?? message.reply;
  return { text: shown.text, buttons: (shown.buttons ?? []).flat().map((b) => b.label), photo: shown.photo?.fileId };
}

/** A native reaction added to (or removed from) a card's message. */
export function react(h: CoreHarness, actor: Actor, card: string, added: boolean, emoji = '👍', options: SendOptions = {}): Promise<HandleResult> {
  const message = cardOf(h, card);
  return h.send({
    key: options.key ?? h.nextKey(), platform: 'tg', actor, chat: GROUP, at: h.clock.now(), kind: 'reaction', messageId: message.messageId!, emoji, added,
  });
}
