/** Shared steps of the reminder tests: delivered buys of a product, the reminder DMs and their buttons. */
import type { Actor } from '../../../core/events.js';
import type { Button } from '../../../core/replies.js';
import { anna, type CoreHarness } from '../../support/core-harness.js';

/** Opens a buy of a product, signs the members up, closes it (formed) and marks everyone delivered; returns its id. */
export async function deliveredBuy(h: CoreHarness, members: Actor[], title = 'Tea', product?: string): Promise<number> {
  const buy = await h.openBuy(`${title} | 10 | min 1 | max 50 | ends 2h${product ? ` | product ${product}` : ''}`);
  for (const member of members) await h.command(member, `/join #${buy.id}`);
  await h.command(anna, `/closebuy ${buy.id}`);
  await h.command(anna, `/delivered ${buy.id} all`);
  return buy.id;
}

/** The repurchase reminders the member received, oldest first. */
export function remindersTo(h: CoreHarness, actor: Actor): { text: string; buttons: Button[] }[] {
  return h.port.delivered.flatMap((d) =>
    d.reply.kind === 'message' && 'memberId' in d.reply.to && d.reply.to.memberId === actor.id && d.reply.text.startsWith('🔔')
      ? [{ text: d.reply.text, buttons: (d.reply.buttons ?? []).flat() }]
      : [],
  );
}

/** Presses the button of the member's latest reminder whose action starts with `rm:<answer>` (in their private chat). */
export function answer(h: CoreHarness, actor: Actor, answer: 'join' | 'later' | 'bought' | 'stop', nth = 0) {
  const button = remindersTo(h, actor).at(-1)?.buttons.filter((b) => b.action.startsWith(`rm:${answer}:`))[nth];
  if (!button) throw new Error(`no ${answer} button in ${actor.displayName}'s latest reminder`);
  return h.press(actor, button.action, { chat: 'private' });
}
