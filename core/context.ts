import type { Language } from './kernel/language.js';
import type { CoreEvent } from './events.js';
import { t, type MessageKey, type MessageParams } from './i18n/translate.js';
import type { ScheduledJob } from './ports.js';
import type { Button, Reply } from './replies.js';
import type { GroupRecord, MemberRecord, StoreTx } from './store.js';

/** Work to do once the transaction has committed (never inside it: the database may be single-writer). */
export type AfterCommit =
  | { kind: 'schedule'; job: ScheduledJob }
  | { kind: 'refresh-card'; buyId: number }
  /** A live card other than a buy's changed, by its card key (`share:3`, `round:2`). */
  | { kind: 'refresh-live-card'; card: string }
  /**
   * A review changed: when `submitted` (new or edited text), tag it and alert admins if it is negative; then post
   * or update its card in the group if its author agreed.
   */
  | { kind: 'review-changed'; reviewId: number; submitted: boolean };

/** Replies and follow-up work a handler collects; nothing leaves before the transaction commits. */
export class Outbox {
  readonly replies: Reply[] = [];
  readonly after: AfterCommit[] = [];

  push(reply: Reply): void {
    this.replies.push(reply);
  }
  schedule(job: ScheduledJob): void {
    this.after.push({ kind: 'schedule', job });
  }
  reviewChanged(reviewId: number, submitted: boolean): void {
    const same = this.after.find((a) => a.kind === 'review-changed' && a.reviewId === reviewId);
    if (same && same.kind === 'review-changed') same.submitted ||= submitted;
    else this.after.push({ kind: 'review-changed', reviewId, submitted });
  }
  /** Marks a live card (`share:3`, `round:2`) for an edit after the commit. */
  refreshLiveCard(card: string): void {
    if (!this.after.some((a) => a.kind === 'refresh-live-card' && a.card === card)) this.after.push({ kind: 'refresh-live-card', card });
  }
  refreshCard(buyId: number): void {
    if (!this.after.some((a) => a.kind === 'refresh-card' && a.buyId === buyId)) this.after.push({ kind: 'refresh-card', buyId });
  }
}

/** What every use case needs, also those run by scheduled jobs (no event, no actor). */
export interface UseCaseEnv {
  tx: StoreTx;
  now: Date;
  defaultLanguage: Language;
  out: Outbox;
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
