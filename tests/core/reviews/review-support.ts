/** Shared steps of the review tests: a delivered buy, the private review flow, points, a scripted tagger. */
import type { HandleResult } from '../../../core/app.js';
import type { Actor, Attachment } from '../../../core/events.js';
import { GROUP, alice, anna, bob, privateChat, wang, type CoreHarness } from '../../support/core-harness.js';

/** Opens a buy, signs up the members, closes it (formed) and marks everyone delivered; returns its id. */
export async function deliveredBuy(h: CoreHarness, members: Actor[] = [alice, bob, wang], title = 'Strawberries'): Promise<number> {
  const buy = await h.openBuy(`${title} | 10 | min 1 | max 50 | ends 2h`);
  for (const member of members) await h.command(member, `/join #${buy.id}`);
  await h.command(anna, `/closebuy ${buy.id}`);
  await h.command(anna, `/delivered ${buy.id} all`);
  return buy.id;
}

/** Presses a star button in the member's private chat. */
export function rate(h: CoreHarness, actor: Actor, buyId: number, stars: number): Promise<HandleResult> {
  return h.press(actor, `rv:rate:${buyId}:${stars}`, { chat: 'private' });
}

/** Sends photos or videos (with an optional caption) in the member's private chat. */
export function sendMedia(h: CoreHarness, actor: Actor, attachments: Attachment[], caption = ''): Promise<HandleResult> {
  return h.send({ key: h.nextKey(), platform: 'tg', actor, chat: privateChat(actor), at: h.clock.now(), kind: 'text', text: caption, attachments });
}

export const photos = (n: number, prefix = 'p'): Attachment[] => Array.from({ length: n }, (_, i) => ({ kind: 'photo', fileId: `${prefix}${i + 1}` }));

/** The member's review of a buy, from the database. */
export function reviewOf(h: CoreHarness, actor: Actor, buyId: number) {
  return h.db.prisma.review.findUnique({ where: { buyId_memberId: { buyId, memberId: actor.id } } });
}

/** The whole guided flow: stars, text, skip media, then yes or no to sharing. Returns the review id. */
export async function writeReview(h: CoreHarness, actor: Actor, buyId: number, stars: number, text: string, share = true): Promise<number> {
  await rate(h, actor, buyId, stars);
  await h.text(actor, text, { chat: 'private' });
  const review = await reviewOf(h, actor, buyId);
  if (!review) throw new Error(`no review by ${actor.displayName}: ${h.dmsTo(actor).at(-1)}`);
  await h.press(actor, `rv:media:${review.id}`, { chat: 'private' });
  await h.press(actor, `rv:share:${review.id}:${share ? 1 : 0}`, { chat: 'private' });
  return review.id;
}

/** A member's balance: review points plus the 25 every buyer of deliveredBuy has (5 for joining, 20 for the delivery). */
export function points(h: CoreHarness, actor: Actor): Promise<number> {
  return h.store.pointsBalance(GROUP.id, actor.id);
}

/** The review feature's ledger entries of a member, as `reason:amount` (joining and delivery pay too: core/points). */
export async function ledger(h: CoreHarness, actor: Actor): Promise<string[]> {
  const rows = await h.db.prisma.pointEntry.findMany({ where: { memberId: actor.id, reason: { startsWith: 'review' } }, orderBy: { id: 'asc' } });
  return rows.map((r) => `${r.reason}:${r.amount}`);
}

export { ScriptedTagger } from '../../support/scripted-tagger.js';
