/** What a join says: the member's confirmation, or the offer when fewer units are left than asked for. */
import { say, type HandlerContext } from '../context.js';
import type { Button } from '../replies.js';
import type { JoinOutcome } from './join-group-buy.js';

/** Words for a join outcome, in the actor's language (a toast or a chat message). */
export function describeJoin(ctx: HandlerContext, outcome: JoinOutcome): string {
  const name = ctx.member.displayName;
  const id = outcome.buy.id;
  switch (outcome.kind) {
    case 'joined':
      return outcome.variant ? say(ctx, 'join.joined_variant', { name, qty: outcome.quantity, id, variant: outcome.variant }) : say(ctx, 'join.joined', { name, qty: outcome.quantity, id });
    case 'changed':
      return outcome.variant ? say(ctx, 'join.changed_variant', { name, qty: outcome.quantity, id, variant: outcome.variant }) : say(ctx, 'join.changed', { name, qty: outcome.quantity, id });
    case 'unchanged':
      return say(ctx, 'join.unchanged', { qty: outcome.quantity, id });
    case 'waitlisted':
      // Chosen with units still left (the offer's "Waitlist for N"): the buy is not full, so it does not say so.
      if (outcome.left) return say(ctx, 'join.waitlisted_chosen', { name, qty: outcome.quantity, id, position: outcome.position, left: outcome.left });
      // Only the member's variant is sold out: the buy is not full either, so the answer names the variant.
      if (outcome.soldOut && outcome.variant) return say(ctx, 'join.waitlisted_sold_out', { name, qty: outcome.quantity, id, position: outcome.position, variant: outcome.variant });
      return say(ctx, 'join.waitlisted', { name, qty: outcome.quantity, id, position: outcome.position });
    case 'still_waitlisted':
      return say(ctx, 'join.still_waitlisted', { qty: outcome.quantity, id, position: outcome.position });
    case 'waitlist_changed':
      return outcome.variant
        ? say(ctx, 'join.waitlist_changed_variant', { name, qty: outcome.quantity, id, position: outcome.position, variant: outcome.variant })
        : say(ctx, 'join.waitlist_changed', { name, qty: outcome.quantity, id, position: outcome.position });
    case 'short': {
      const had = outcome.total - outcome.left;
      if (outcome.left <= 0) return say(ctx, 'join.short_none', { id, qty: had });
      // Switching to a variant with fewer left: offer what is left of it (the waitlist is for members not yet in).
      if (outcome.alreadyIn && had === 0) return say(ctx, 'join.short_switch', { name, id, wanted: outcome.wanted, left: outcome.left, variant: outcome.variant ?? '' });
      return had > 0
        ? say(ctx, 'join.short_more', { name, id, qty: had, left: outcome.left, total: outcome.total })
        : say(ctx, 'join.short_new', { name, id, wanted: outcome.wanted, left: outcome.left });
    }
  }
}

/**
 * The buttons that go with a `short` outcome: take what is left (the member's whole quantity becomes `total`), and
 * for a member not yet in, wait for the full quantity on the waitlist. A press acts for whoever presses it.
 */
export function shortButtons(ctx: HandlerContext, outcome: JoinOutcome): Button[][] {
  if (outcome.kind !== 'short' || outcome.left <= 0) return [];
  const suffix = outcome.variantIndex !== undefined ? `:${outcome.variantIndex}` : '';
  const id = outcome.buy.id;
  const had = outcome.total - outcome.left;
  const row: Button[] = [{ label: say(ctx, 'button.take_left', { qty: had > 0 ? outcome.total : outcome.left }), action: `jq:${id}:${outcome.total}${suffix}`, style: 'primary' }];
  if (had === 0 && !outcome.alreadyIn) row.push({ label: say(ctx, 'button.wait_for', { qty: outcome.wanted }), action: `jw:${id}:${outcome.wanted}${suffix}`, style: 'secondary' });
  return [row];
}

/**
 * Answers a join typed in a chat (a command or a 接龙 message): the confirmation, with the note when one was saved,
 * before the announcements the join caused (tier crossed, waitlist moved).
 */
export function answerJoinInChat(ctx: HandlerContext, outcome: JoinOutcome, note?: string | null): void {
  const lines = [describeJoin(ctx, outcome)];
  if (note && outcome.kind !== 'short') lines.push(say(ctx, 'join.note_saved', { note }));
  const buttons = shortButtons(ctx, outcome);
  ctx.out.replies.unshift({ kind: 'message', to: { chatId: ctx.event.chat.id }, text: lines.join('\n'), ...(buttons.length ? { buttons } : {}) });
}
