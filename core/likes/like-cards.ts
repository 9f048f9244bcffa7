/**
 * Loading what the likes feature's live cards show, inside a transaction or on the Store (which is also a
 * StoreTx): a share's card (`share:<id>`) and a round's list (`round:<id>`).
 */
import type { Language } from '../kernel/language.js';
import type { EditReply } from '../replies.js';
import type { GroupRecord, StoreTx } from '../store.js';
import { renderRoundCard, type RoundLine } from './round-card.js';
import { renderShareCard } from './share-card.js';
import type { LikeRoundRecord, ShareRecord } from './like-store.js';

/** The language of the group's like messages: the group's, else the author's (or round opener's), else the default. */
export async function likeLanguage(tx: StoreTx, group: GroupRecord, memberId: string, fallback: Language): Promise<Language> {
  if (group.language) return group.language;
  return (await tx.getMember(memberId))?.language ?? fallback;
}

/** A share's card, in the group's like language. */
export async function loadShareCard(tx: StoreTx, share: ShareRecord, group: GroupRecord, now: Date, fallback: Language) {
  const author = await tx.getMember(share.memberId);
  const lang = group.language ?? author?.language ?? fallback;
  const card = renderShareCard(
    {
      share,
      authorName: author?.displayName ?? share.memberId,
      buy: share.buyId === null ? null : await tx.getBuy(share.buyId),
      tasks: await tx.likes.listActiveTasks(share.groupId),
      completions: await tx.likes.completionsOfShare(share.id),
      timeZone: group.timeZone,
      now,
    },
    lang,
  );
  return { card, lang };
}

/** Each entry of a round with the likes it gave to the other entries' shares. */
export async function roundLines(tx: StoreTx, round: LikeRoundRecord): Promise<RoundLine[]> {
  const entries = await tx.likes.listEntries(round.id);
  const lines: RoundLine[] = [];
  for (const entry of entries) {
    const others = entries.filter((e) => e.memberId !== entry.memberId).map((e) => e.shareId);
    const gave = (await tx.likes.likedAmong(entry.memberId, others)).length;
    lines.push({ entry, gave, expected: others.length });
  }
  return lines;
}

/** A round's list card, in the group's like language. */
export async function loadRoundCard(tx: StoreTx, round: LikeRoundRecord, group: GroupRecord, fallback: Language) {
  const lang = await likeLanguage(tx, group, round.createdById, fallback);
  return { card: renderRoundCard(round, await roundLines(tx, round), group.timeZone, lang), lang };
}

/** The edit that brings a likes card (`share:<id>` or `round:<id>`) up to date; undefined when it is not posted. */
export async function likeCardEdit(tx: StoreTx, key: string, now: Date, fallback: Language): Promise<EditReply | undefined> {
  const [kind, rawId] = key.split(':');
  const id = Number(rawId);
  if (kind === 'share') {
    const share = await tx.likes.getShare(id);
    const group = share && (await tx.getGroup(share.groupId));
    if (!share?.postedChatId || !share.postedMessageId || !group) return undefined;
    const { card } = await loadShareCard(tx, share, group, now, fallback);
    return { kind: 'edit', chatId: share.postedChatId, messageId: share.postedMessageId, text: card.text, buttons: card.buttons, ...(card.photo ? { photo: card.photo } : {}) };
  }
  if (kind === 'round') {
    const round = await tx.likes.getRound(id);
    const group = round && (await tx.getGroup(round.groupId));
    if (!round?.listChatId || !round.listMessageId || !group) return undefined;
    const { card } = await loadRoundCard(tx, round, group, fallback);
    return { kind: 'edit', chatId: round.listChatId, messageId: round.listMessageId, text: card.text, buttons: card.buttons };
  }
  return undefined;
}
