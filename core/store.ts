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
import type { ReminderStore } from './reminders/reminder-store.js';
import type { ReviewStore } from './reviews/review-store.js';

// The records live with their owners (the kernel, group-buy); re-exported here for the store's users.
export type { BuyRecord, BuyStatus, MemberSignUp, NewBuyRecord, SignUpRecord, SignUpStatus, SignUpView, Variant } from './group-buy/records.js';
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
  /** Dashboard sign-in links, sessions, and the reads its pages make (core/dashboard/dashboard-store.ts). */
  readonly dashboard: DashboardStore;

  /** Records an update key; false when it was already recorded (the update is a duplicate). */
  claimUpdate(key: string, at: Date): Promise<boolean>;

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
  latestOpenBuy(chatId: string): Promise<BuyRecord | null>;
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
      | 'unitPriceCents' | 'minUnits' | 'maxUnits' | 'perMemberLimit' | 'pickup' | 'closingSoonSentAt' | 'fewLeftSentAt'>>,
  ): Promise<BuyRecord>;
  /** Gives a buy's recorded purchases another product key (an admin corrected the buy's product). */
  relabelPurchases(buyId: number, product: string): Promise<void>;

  listSignUps(buyId: number): Promise<SignUpView[]>;
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
