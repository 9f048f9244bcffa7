import type { Language } from '../kernel/language.js';
import type { BuyRecord, GroupRecord, StoreTx } from '../store.js';

/**
 * The language of a buy's public messages (card, announcements): the group's language when set, else the
 * language of the admin who opened it, so a group that never chose one still reads its buys consistently.
 */
export async function buyLanguage(tx: StoreTx, buy: BuyRecord, group: GroupRecord, fallback: Language): Promise<Language> {
  if (group.language) return group.language;
  const creator = await tx.getMember(buy.createdById);
  return creator?.language ?? fallback;
}
