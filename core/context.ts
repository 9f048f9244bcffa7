import type { Language } from './kernel/language.js';
import type { CoreEvent } from './events.js';
import type { EventPublisher } from './kernel/domain-events.js';
import { t, type MessageKey, type MessageParams } from './i18n/translate.js';
import type { ScheduledJob } from './ports.js';
import type { Button, PhotoReply, Reply } from './replies.js';
import type { GroupRecord, MemberRecord, StoreTx } from './store.js';

/** Work to do once the transaction has committed (never inside it: the database may be single-writer). */
export type AfterCommit =
  | { kind: 'schedule'; job: ScheduledJob }
  /** A live card changed, by its card key (`buy:12`, `share:3`, `round:2`): edit it soon. */
  | { kind: 'refresh-card'; card: string }
  /** A module's after-commit effect (e.g. `review.changed`: tag, alert, post), once per key. */
  | { kind: 'effect'; name: string; key: string; data: Record<string, unknown> };

/** Replies and follow-up work a handler collects; nothing leaves before the transaction commits. */
export class Outbox {
  readonly replies: Reply[] = [];
  readonly after: AfterCommit[] = [];
  /** Pictures drawn after the commit, by the photo reply they fill (see `pushPicture`). */
  readonly drawings = new Map<Reply, () => Promise<Uint8Array>>();

  push(reply: Reply): void {
    this.replies.push(reply);
  }
  /**
   * A photo whose picture is drawn after the commit, right before it is sent (drawing never holds the transaction):
   * it keeps its place among the replies; when drawing fails it goes as its text with its buttons.
   */
  pushPicture(reply: Omit<PhotoReply, 'data'>, draw: () => Promise<Uint8Array>): void {
    const photo: PhotoReply = { ...reply, data: new Uint8Array(0) };
    this.drawings.set(photo, draw);
    this.replies.push(photo);
  }
  schedule(job: ScheduledJob): void {
    this.after.push({ kind: 'schedule', job });
  }
  /** Marks a live card (`buy:12`, `share:3`, `round:2`) for an edit after the commit. */
  refreshCard(card: string): void {
    if (!this.after.some((a) => a.kind === 'refresh-card' && a.card === card)) this.after.push({ kind: 'refresh-card', card });
  }
  /**
   * Asks for a module's effect after the commit, once per key: a second request with the same key merges its data
   * into the first (`merge`, default: the later data wins).
   */
  effect(name: string, key: string, data: Record<string, unknown>, merge?: (earlier: Record<string, unknown>, later: Record<string, unknown>) => Record<string, unknown>): void {
    const same = this.after.find((a) => a.kind === 'effect' && a.name === name && a.key === key);
    if (same && same.kind === 'effect') same.data = merge ? merge(same.data, data) : data;
    else this.after.push({ kind: 'effect', name, key, data });
  }
}

/** What every use case needs, also those run by scheduled jobs (no event, no actor). */
export interface UseCaseEnv {
  tx: StoreTx;
  now: Date;
  defaultLanguage: Language;
  out: Outbox;
  /** Delivers domain events raised in this transaction to the features that subscribe (see kernel/domain-events). */
  events?: EventPublisher;
}

/** Everything a handler needs about the event being handled. */
export interface HandlerContext extends UseCaseEnv {
  event: CoreEvent;
  member: MemberRecord;
  /** The group, for events in a group chat; null in a private chat. */
  group: GroupRecord | null;
  /** The language to answer this actor in, here. */
  lang: Language;
  /** Whether the actor is an admin of this chat (resolved before the transaction for admin commands). */
  isAdmin: boolean;
}

/** Words in the actor's language. */
export function say<K extends MessageKey>(ctx: HandlerContext, key: K, ...params: MessageParams<K> extends undefined ? [] : [MessageParams<K>]): string {
  return t(ctx.lang, key, ...params);
}

/** A reply in the chat the event came from. */
export function replyInChat(ctx: HandlerContext, text: string, extra: { buttons?: Button[][]; expectAnswer?: boolean; private?: boolean } = {}): void {
  ctx.out.push({ kind: 'message', to: { chatId: ctx.event.chat.id }, text, ...extra });
}

/** The language to write to a member in privately. */
export function memberLanguage(member: { language: Language | null } | { memberLanguage: Language | null }, group: GroupRecord | null, fallback: Language): Language {
  const own = 'language' in member ? member.language : member.memberLanguage;
  return own ?? group?.language ?? fallback;
}
