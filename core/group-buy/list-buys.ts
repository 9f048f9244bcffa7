import { replyInChat, say, type HandlerContext } from '../context.js';
import { UserError } from '../errors.js';
import { formatMoney } from '../money.js';
import { formatDateTime } from '../time/parse-when.js';
import { currentPrice, unitsTaken } from './buy-card.js';
import { statesOf } from '../i18n/words.js';

/** `/buys`: the open buys in this chat. */
export async function listOpenBuys(ctx: HandlerContext): Promise<void> {
  if (!ctx.group) throw new UserError('generic.group_only');
  const buys = await ctx.tx.listOpenBuys(ctx.event.chat.id);
  if (buys.length === 0) {
    replyInChat(ctx, say(ctx, 'buys.none'));
    return;
  }
  const lines = [say(ctx, 'buys.header')];
  for (const buy of buys) {
    const signUps = await ctx.tx.listSignUps(buy.id);
    lines.push(
      say(ctx, 'buys.line', {
        id: buy.id,
        title: buy.title,
        price: formatMoney(currentPrice(buy, signUps), ctx.group.currency),
        taken: unitsTaken(signUps),
        max: buy.maxUnits,
        when: formatDateTime(buy.endsAt, ctx.group.timeZone),
      }),
    );
  }
  replyInChat(ctx, lines.join('\n'));
}

/** `/mybuys`: the actor's sign-ups across every group, sent privately (a group only gets a pointer to it). */
export async function listMyBuys(ctx: HandlerContext): Promise<void> {
  const mine = await ctx.tx.listSignUpsOfMember(ctx.member.id);
  const lang = ctx.member.language ?? ctx.lang;
  const lines: string[] = [];
  if (mine.length === 0) lines.push(say({ ...ctx, lang }, 'mybuys.none'));
  else {
    lines.push(say({ ...ctx, lang }, 'mybuys.header'));
    for (const { signUp, buy, groupTitle } of mine) {
      const state =
        buy.status === 'open'
          ? say({ ...ctx, lang }, signUp.status === 'waitlisted' ? 'mybuys.state.waitlisted' : 'mybuys.state.active')
          : say({ ...ctx, lang }, `buy.status.${buy.status}`);
      const marks = [signUp.paidAt ? say({ ...ctx, lang }, 'mybuys.paid') : '', signUp.deliveredAt ? say({ ...ctx, lang }, 'mybuys.delivered') : ''].filter(Boolean);
      const title = signUp.variant ? `${buy.title} ${signUp.variant}` : buy.title;
      lines.push(say({ ...ctx, lang }, 'mybuys.line', { id: buy.id, title, qty: signUp.quantity, state: statesOf(lang, [state, ...marks]), group: groupTitle ?? '' }));
      // The note is the member's own: shown here (a private message) and in the admin's export, never on the card.
      if (signUp.note) lines.push(say({ ...ctx, lang }, 'mybuys.note', { note: signUp.note }));
    }
  }
  // The dispatcher adds a "sent privately" pointer in the group, or asks the member to start a private chat.
  ctx.out.push({ kind: 'message', to: { memberId: ctx.member.id }, text: lines.join('\n'), private: true });
}
