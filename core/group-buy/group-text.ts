/**
 * 接龙 habits: plain group messages that join a buy (`+1`, `+2 不要香菜`, `接龙 2`, `参加`, `我要 3 大份`). The rule
 * (docs/decisions/002-group-buy-rules.md) keeps chat from turning into orders:
 * - a reply to a buy's card is always about that buy: a habit joins it (extra words are a variant and/or a note),
 *   anything else gets a hint how to join — never silence;
 * - any other message counts only when a buy is open in that chat, it is not a reply to someone else's message,
 *   and it is exactly a habit with no other words (`+1`, `接龙 2`; not `+1 agreed`): then it joins the newest open buy.
 * The platform decides what the bot sees: Telegram shows replies to the bot's messages (every message only when the
 * bot's privacy mode is off); Discord shows a reply's text when it mentions the bot (see README).
 */
import { replyInChat, say, type HandlerContext } from '../context.js';
import { UserError } from '../errors.js';
import type { TextEvent } from '../events.js';
import type { BuyRecord } from '../store.js';
import { buyLanguage } from './buy-language.js';
import { cleanNote, joinGroupBuy } from './join-group-buy.js';
import { answerJoinInChat } from './join-replies.js';
import { looksLikeQuantity, parseHabit } from './join-words.js';

/** Cheap check before any database work: could this group message be one of ours? */
export function mayBeHabit(event: TextEvent): boolean {
  if (event.replyTo?.byBot) return true;
  if (event.replyTo) return false;
  const habit = parseHabit(event.text);
  return habit !== undefined && habit.rest === '';
}

/** Handles a group message as a 接龙 habit; false when it is not one (the kernel then leaves it alone). */
export async function habitText(base: HandlerContext, event: TextEvent): Promise<boolean> {
  if (!base.group || event.chat.kind !== 'group') return false;
  let ctx = base;
  const habit = parseHabit(event.text);
  let buy: BuyRecord | null = null;
  if (event.replyTo?.byBot) {
    buy = await ctx.tx.findBuyByCard(event.chat.id, event.replyTo.messageId);
    if (!buy || buy.groupId !== base.group.id) return false;
    if (!habit) {
      if (!base.group.language && !base.member.language) ctx = { ...base, lang: await buyLanguage(base.tx, buy, base.group, base.lang) };
      // `+-1`, `+1e3`, `+two`: a quantity was meant, and it is not one; say so rather than how to join.
      const meant = /^[+＋]\s?(\S+)/u.exec(event.text.trim())?.[1];
      if (meant !== undefined && looksLikeQuantity(meant)) replyInChat(ctx, say(ctx, 'join.bad_quantity', { value: meant }));
      else replyInChat(ctx, say(ctx, event.text.trim() ? 'habit.hint' : 'habit.unreadable', { id: buy.id }));
      return true;
    }
  } else {
    if (event.replyTo || !habit || habit.rest !== '') return false;
    buy = await ctx.tx.latestOpenBuy(event.chat.id);
    if (!buy) return false;
  }
  // A plain message tells nothing of the member's language (Discord sends no locale with it): unless the group or the
  // member has one, the answer is in the card's language, the one the conversation is in.
  if (!base.group.language && !base.member.language) ctx = { ...base, lang: await buyLanguage(base.tx, buy, base.group, base.lang) };
  // The words after the habit: a variant name first (when the buy has one by that name), the rest a note.
  let variant: string | undefined;
  let rest = habit.rest;
  const first = rest.split(/\s+/)[0] ?? '';
  // `接龙 two`, `参加 -1`, `join 2.5`: a quantity meant and not read as one (a counted `+1 2号楼` keeps its note).
  if (!habit.counted && first && looksLikeQuantity(first) && !buy.variants.some((v) => v.name.toLowerCase() === first.toLowerCase())) {
    replyInChat(ctx, say(ctx, 'join.bad_quantity', { value: first }));
    return true;
  }
  if (first && buy.variants.some((v) => v.name.toLowerCase() === first.toLowerCase())) {
    variant = first;
    rest = rest.slice(first.length).trim();
  }
  rest = rest.replace(/^(?:备注|note)\s*[:：]?\s*/i, '');
  const note = rest ? rest : undefined;
  try {
    const outcome = await joinGroupBuy(ctx, { buyId: buy.id, mode: 'set', quantity: habit.quantity, variant, note });
    answerJoinInChat(ctx, outcome, note !== undefined ? cleanNote(note) : undefined);
  } catch (error) {
    // Refused before anything was written (joinGroupBuy checks first): said here, in the language chosen above.
    if (!(error instanceof UserError)) throw error;
    replyInChat(ctx, say(ctx, error.key, error.params as never));
  }
  return true;
}
