/**
 * Confirmation before a destructive admin command (`/cancelbuy` naming no buy, `/pointrules reset`): the command
 * asks, a Confirm/Keep pair answers. The question is stored (so a restart loses nothing and a double press answers
 * once); only the member who asked may press, and only within CONFIRM_TTL_MS. Modules declare what a confirmed
 * action does (`FeatureModule.confirmations`); the kernel's basics module owns the two buttons.
 */
import { replyInChat, type HandlerContext } from '../context.js';
import { UserError } from '../errors.js';
import { t } from '../i18n/translate.js';
import type { ConfirmationRecord, StoreTx } from '../store.js';
import type { ButtonSpec, ButtonTarget, FeatureModule } from './module.js';

export type { ConfirmationSpec } from './module.js';

/** How long a question waits for its answer: long enough to read it, short enough that a stale one cannot surprise. */
export const CONFIRM_TTL_MS = 5 * 60_000;


/**
 * Asks the actor (an admin, already checked, or a member about their own data) to confirm `action` with `data`;
 * nothing changes until they press. In a private chat the question belongs to that chat (stored as its group).
 */
export async function askConfirmation(
  ctx: HandlerContext,
  input: { action: string; data: Record<string, unknown>; question: string; confirmLabel: string },
): Promise<ConfirmationRecord> {
  const confirmation = await ctx.tx.createConfirmation({
    groupId: askedIn(ctx),
    chatId: ctx.event.chat.id,
    memberId: ctx.member.id,
    action: input.action,
    data: input.data,
    createdAt: ctx.now,
    expiresAt: new Date(ctx.now.getTime() + CONFIRM_TTL_MS),
  });
  replyInChat(ctx, `${input.question}\n${t(ctx.lang, 'confirm.hint', { minutes: CONFIRM_TTL_MS / 60_000 })}`, {
    buttons: [[
      { label: input.confirmLabel, action: `cf:ok:${confirmation.id}`, style: 'danger' },
      { label: t(ctx.lang, 'confirm.keep'), action: `cf:no:${confirmation.id}`, style: 'secondary' },
    ]],
  });
  return confirmation;
}

/** Where a question is asked and must be answered: the group, or the private chat. */
function askedIn(ctx: HandlerContext): string {
  return ctx.group?.id ?? ctx.event.chat.id;
}

async function confirmationTarget(store: StoreTx, id: number): Promise<ButtonTarget | null> {
  const c = await store.getConfirmation(id);
  return c && { groupId: c.groupId, chatId: c.chatId, ownerId: c.memberId };
}

/** The Confirm and Keep buttons (owner-only: the kernel refuses anyone but the member who asked). */
export function confirmationButtons(modules: () => readonly FeatureModule[]): ButtonSpec[] {
  const answer = async (ctx: HandlerContext, id: number, confirmed: boolean): Promise<void> => {
    const c = await ctx.tx.getConfirmation(id, { lock: true });
    // Handlers act on the chat the press comes from: a press forged into another group is refused, not run there.
    if (!c || askedIn(ctx) !== c.groupId) throw new UserError('generic.stale_button');
    if (c.answeredAt) throw new UserError('confirm.answered');
    if (c.expiresAt.getTime() <= ctx.now.getTime()) throw new UserError('confirm.expired', { minutes: CONFIRM_TTL_MS / 60_000 });
    await ctx.tx.answerConfirmation(c.id, ctx.now);
    // The question loses its buttons either way, so nobody presses it again.
    const closeQuestion = (text: string) => {
      if (ctx.event.kind === 'button' && ctx.event.messageId) ctx.out.push({ kind: 'edit', chatId: ctx.event.chat.id, messageId: ctx.event.messageId, text, buttons: [] });
    };
    if (!confirmed) {
      closeQuestion(t(ctx.lang, 'confirm.kept'));
      ctx.out.push({ kind: 'toast', text: t(ctx.lang, 'confirm.kept') });
      return;
    }
    const spec = modules().flatMap((m) => m.confirmations ?? []).find((s) => s.action === c.action);
    if (!spec) throw new UserError('generic.stale_button');
    closeQuestion(spec.confirmedText?.(ctx) ?? t(ctx.lang, 'confirm.confirmed', { name: ctx.member.displayName }));
    await spec.run(ctx, c.data);
  };
  return [
    { prefix: 'cf:ok', access: 'owner', target: confirmationTarget, run: (ctx, id) => answer(ctx, id, true) },
    { prefix: 'cf:no', access: 'owner', target: confirmationTarget, run: (ctx, id) => answer(ctx, id, false) },
  ];
}
