/**
 * The data the core reads and writes, as an interface. prisma/store.ts implements it on the Prisma client;
 * the core never imports Prisma. Everything inside `transaction` commits or rolls back together.
 */
import type { Language } from './kernel/language.js';
import type { BuyRecord, BuyStatus, MemberSignUp, NewBuyRecord, SignUpRecord, SignUpView } from './group-buy/records.js';
import type { ConfirmationRecord, DialogueRecord, GroupRecord, MemberRecord, PointEntryInput } from './kernel/records.js';

import type { DashboardStore } from './dashboard/dashboard-store.js';
import type { LikeStore } from './likes/like-store.js';
import type { MessageStore } from './messages/message-store.js';
import type { ModerationStore } from './moderation/moderation-store.js';
import type { PointsStore } from './points/points-store.js';
import type { PrivacyStore } from './privacy/privacy-store.js';
import type { ReminderStore } from './reminders/reminder-store.js';
import type { ReviewStore } from './reviews/review-store.js';

// The records live with their owners (the kernel, group-buy); re-exported here for the store's users.
export type { BuyRecord, BuyStatus, MemberSignUp, NewBuyRecord, SignUpRecord, SignUpStatus, SignUpView, Variant } from './group-buy/records.js';

/** A membership's last-seen time is rewritten only when older than this (recordPresence). */
export const SEEN_REFRESH_MS = 5 * 60_000;

/** A buy's sign-ups counted (StoreTx.buyTally). */
export interface BuyTally {
  /** Units held by active sign-ups. */
  activeUnits: number;
  /** Units held by active sign-ups, per variant name (sign-ups without a variant are not listed); empty unless asked. */
  variantUnits: Record<string, number>;
  /** Waitlisted sign-ups. */
  waitlisted: number;
  /** The asked member's sign-up in any status (left too), or null. */
  mine: SignUpRecord | null;
}
export type { ConfirmationRecord, DialogueRecord, GroupRecord, MemberRecord, PointEntryInput } from './kernel/records.js';

/** Reads and writes inside one transaction (or, on the Store itself, outside any). */
export interface StoreTx {
  /** The review feature's data (core/reviews/review-store.ts). */
  readonly reviews: ReviewStore;
  /** Shares, likes, like tasks and rounds (core/likes/like-store.ts). */
  readonly likes: LikeStore;
  /** Levels, badges, check-ins and leaderboards (core/points/points-store.ts). */
  readonly points: PointsStore;
  /** Products, reminder plans, opt-outs and churn digests (core/reminders/reminder-store.ts). */
  readonly reminders: ReminderStore;
  /** The log of prompts sent to members, for the weekly cap every kind of prompt shares (core/messages). */
  readonly messages: MessageStore;
  /** Fake-engagement cases, the history the detector reads, voided likes (core/moderation/moderation-store.ts). */
  readonly moderation: ModerationStore;
  /** Members' data rights: everything held about a member, and erasing it (core/privacy/privacy-store.ts). */
  readonly privacy: PrivacyStore;
  /** Dashboard sign-in links, sessions, and the reads its pages make (core/dashboard/dashboard-store.ts). */
  readonly dashboard: DashboardStore;

  /** Records an update key; false when it was already recorded (the update is a duplicate). */
  claimUpdate(key: string, at: Date): Promise<boolean>;
  /**
   * Forgets update keys recorded before `before` (past the platforms' redelivery window; ADR 018); how many. Telegram
   * numbers updates afresh at random after a quiet week, so a key kept forever could swallow a new update.
   */
  pruneUpdates(before: Date): Promise<number>;

  /**
   * Records a member as the platform shows them now. `language` is the platform's hint (their app's language): it
   * becomes the member's language unless they chose one with /lang.
   */
  upsertMember(member: { id: string; platform: string; displayName: string; username?: string; language?: Language }): Promise<MemberRecord>;
  getMember(id: string): Promise<MemberRecord | null>;
  /**
   * Sets the member's language: `chosen` (their /lang choice, which platform hints no longer change), or not chosen
   * (/lang auto: `language` is their app's language as far as known, and later hints replace it).
   */
  setMemberLanguage(id: string, language: Language | null, chosen: boolean): Promise<void>;
  /** The language of the group the member was most recently seen in among those with a language set (null: none). */
  latestGroupLanguage(memberId: string): Promise<Language | null>;
  /** Finds a member of a group by @username (case-insensitive). */
  findGroupMemberByUsername(groupId: string, username: string): Promise<MemberRecord | null>;

  ensureGroup(group: { id: string; platform: string; title?: string }): Promise<GroupRecord>;
  getGroup(id: string): Promise<GroupRecord | null>;
  updateGroup(id: string, patch: { language?: Language | null; timeZone?: string }): Promise<GroupRecord>;
  /**
   * What every event records first, in one read: the member as the platform shows them now (as upsertMember), and
   * in a group the group (as ensureGroup) and that the member was seen in it (as touchGroupMember, or
   * markGroupMemberLeft when `left`). Writes only what is new or changed: a name or title that changed, a language
   * hint to follow, a membership that is new, left, or last seen more than SEEN_REFRESH_MS ago. So the events of one
   * group do not queue on the group's row, nor a member's on their own.
   */
  recordPresence(p: {
    member: { id: string; platform: string; displayName: string; username?: string; language?: Language };
    group?: { id: string; platform: string; title?: string };
    at: Date;
    left?: boolean;
    /** Claims this update key first (as claimUpdate); null, and nothing recorded, when it was already claimed. */
    updateKey?: string;
  }): Promise<{ member: MemberRecord; group: GroupRecord | null } | null>;
  /** Records that the member was seen in the group (and is in it again, if they had left). */
  touchGroupMember(groupId: string, memberId: string, at: Date): Promise<void>;
  /** Records that the platform said the member left the group. */
  markGroupMemberLeft(groupId: string, memberId: string, at: Date): Promise<void>;
  /** Whether the member was seen in the group and has not left it since. */
  isGroupMember(groupId: string, memberId: string): Promise<boolean>;
  setModerator(groupId: string, memberId: string, isModerator: boolean): Promise<void>;
  isModerator(groupId: string, memberId: string): Promise<boolean>;

  createBuy(buy: NewBuyRecord): Promise<BuyRecord>;
  /** Reads a buy; with `lock`, holds a row lock until the transaction ends (serialises changes to one buy). */
  getBuy(id: number, options?: { lock?: boolean }): Promise<BuyRecord | null>;
  /** The newest open buy in a chat; with `lock`, its row is locked as getBuy's. */
  latestOpenBuy(chatId: string, options?: { lock?: boolean }): Promise<BuyRecord | null>;
  /** The buy whose live card is this message, if any. */
  findBuyByCard(chatId: string, messageId: string): Promise<BuyRecord | null>;
  /** The newest buy opened in a chat with one of these statuses. */
  latestBuy(chatId: string, statuses: BuyStatus[]): Promise<BuyRecord | null>;
  listOpenBuys(chatId: string): Promise<BuyRecord[]>;
  listOpenBuysDue(now: Date): Promise<BuyRecord[]>;
  listOpenBuysAll(): Promise<BuyRecord[]>;
  updateBuy(
    id: number,
    patch: Partial<Pick<BuyRecord,
      | 'status' | 'endsAt' | 'closedAt' | 'closedReason' | 'finalPriceCents' | 'cardChatId' | 'cardMessageId' | 'productKey'
      | 'unitPriceCents' | 'minUnits' | 'maxUnits' | 'perMemberLimit' | 'pickup' | 'description' | 'photoFileId' | 'photoChatId'
      | 'photoMessageId' | 'closingSoonSentAt' | 'fewLeftSentAt'>>,
  ): Promise<BuyRecord>;
  /** Gives a buy's recorded purchases another product key (an admin corrected the buy's product). */
  relabelPurchases(buyId: number, product: string): Promise<void>;

  listSignUps(buyId: number): Promise<SignUpView[]>;
  /**
   * A buy's sign-ups counted in the database (what a join or leave needs without reading every sign-up): units held
   * by active sign-ups, in all and (with `variants`) per variant, how many wait, and `memberId`'s own sign-up (any
   * status) if asked.
   */
  buyTally(buyId: number, memberId?: string, options?: { variants?: boolean }): Promise<BuyTally>;
  getSignUp(buyId: number, memberId: string): Promise<SignUpRecord | null>;
  createSignUp(signUp: Omit<SignUpRecord, 'id' | 'paidAt' | 'deliveredAt' | 'leftAt' | 'variant' | 'note'> & Partial<Pick<SignUpRecord, 'variant' | 'note'>>): Promise<SignUpRecord>;
  updateSignUp(id: number, patch: Partial<Omit<SignUpRecord, 'id' | 'buyId' | 'memberId'>>): Promise<SignUpRecord>;
  listSignUpsOfMember(memberId: string): Promise<MemberSignUp[]>;

  /** Records a purchase once per sign-up (a second call for the same sign-up does nothing). */
  recordPurchase(purchase: {
    memberId: string; groupId: string; buyId: number; signUpId: number; product: string;
    quantity: number; unitPriceCents: number; purchasedAt: Date; deliveredAt: Date;
  }): Promise<boolean>;
  /** Removes the purchase recorded for a sign-up (its delivery was un-marked); false when there was none. */
  removePurchase(signUpId: number): Promise<boolean>;

  /** Stores a question waiting for its Confirm/Keep press. */
  createConfirmation(confirmation: Omit<ConfirmationRecord, 'id' | 'answeredAt'>): Promise<ConfirmationRecord>;
  /** Reads one; with `lock`, holds its row until the transaction ends (a double press answers once). */
  getConfirmation(id: number, options?: { lock?: boolean }): Promise<ConfirmationRecord | null>;
  answerConfirmation(id: number, at: Date): Promise<void>;

  getDialogue(chatId: string, memberId: string): Promise<DialogueRecord | null>;
  saveDialogue(dialogue: DialogueRecord): Promise<void>;
  deleteDialogue(chatId: string, memberId: string): Promise<void>;

  /**
   * Appends a points ledger entry; false when an entry with the same key exists (that award was already made).
   * The ledger is append-only: corrections are new entries.
   */
  addPointEntry(entry: PointEntryInput): Promise<boolean>;
  /** A member's balance in a group: the sum of their entries. */
  pointsBalance(groupId: string, memberId: string): Promise<number>;

  logAdminAction(action: { groupId: string; actorId: string; action: string; detail: Record<string, unknown>; at: Date }): Promise<void>;
}

export interface Store extends StoreTx {
  /** Runs `fn` in one transaction: all its writes commit together, or none do. */
  transaction<T>(fn: (tx: StoreTx) => Promise<T>): Promise<T>;
}
