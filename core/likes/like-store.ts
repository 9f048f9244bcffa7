/**
 * The likes feature's data, as the core sees it (implemented in prisma/like-store.ts). Reached as `tx.likes`.
 * Shares, who likes them now (ShareLike), the append-only history of every like and unlike (LikeEvent, read
 * by the points feature's badges and by the fake-engagement detector), like tasks, rounds and warnings.
 */

export interface ShareRecord {
  id: number;
  groupId: string;
  chatId: string;
  memberId: string;
  buyId: number | null;
  text: string;
  photoFileId: string | null;
  postedChatId: string | null;
  postedMessageId: string | null;
  likeCount: number;
  roundId: number | null;
  createdAt: Date;
}

/** Where a like came from: the card's button, a native reaction on the card. */
export type LikeSource = 'button' | 'reaction';

/** What a press asks for: the button toggles; a reaction added likes, one removed unlikes. */
export type LikeIntent = 'toggle' | 'like' | 'unlike';

export interface LikeEventRecord {
  id: number;
  shareId: number;
  groupId: string;
  likerId: string;
  authorId: string;
  /** `void`: a moderator confirmed the like fake and it was taken off (core/moderation). */
  action: 'like' | 'unlike' | 'void';
  /** `moderation` for voided likes. */
  source: LikeSource | 'moderation';
  platform: string;
  createdAt: Date;
}

export interface LikeTaskRecord {
  id: number;
  groupId: string;
  goalLikes: number;
  withinMinutes: number;
  rewardPoints: number;
  rewardCodes: string[];
  active: boolean;
  createdById: string;
  createdAt: Date;
  endedAt: Date | null;
}

export interface LikeTaskCompletionRecord {
  taskId: number;
  shareId: number;
  memberId: string;
  rewardCode: string | null;
  completedAt: Date;
}

export type RoundStatus = 'open' | 'closed';

export interface LikeRoundRecord {
  id: number;
  groupId: string;
  chatId: string;
  status: RoundStatus;
  createdById: string;
  opensAt: Date;
  endsAt: Date;
  listChatId: string | null;
  listMessageId: string | null;
  closedAt: Date | null;
}

export interface RoundEntryView {
  roundId: number;
  memberId: string;
  shareId: number;
  joinedAt: Date;
  completed: boolean | null;
  warned: boolean;
  displayName: string;
  memberLanguage: string | null;
}

export interface LikeStore {
  readonly feature: 'likes';

  createShare(share: Omit<ShareRecord, 'id' | 'postedChatId' | 'postedMessageId' | 'likeCount' | 'roundId'>): Promise<ShareRecord>;
  /** Reads a share; with `lock`, holds its row until the transaction ends (serialises likes on one share). */
  getShare(id: number, options?: { lock?: boolean }): Promise<ShareRecord | null>;
  /** The share whose card is this message (reactions name a message, not a share). */
  findShareByMessage(chatId: string, messageId: string): Promise<ShareRecord | null>;
  latestShareOf(groupId: string, memberId: string): Promise<ShareRecord | null>;
  updateShare(id: number, patch: Partial<Pick<ShareRecord, 'postedChatId' | 'postedMessageId' | 'roundId'>>): Promise<void>;

  /**
   * One member's press on a share, decided and written in one go (call with the share's row locked, by someone
   * other than its author): `like` adds the member's like unless it is there, `unlike` removes it if it is there,
   * `toggle` does whichever applies. A change recounts `likeCount` from the ShareLike rows and appends its
   * LikeEvent. Returns the change (null: nothing to change) and the count after it.
   */
  pressLike(press: {
    share: ShareRecord; likerId: string; intent: LikeIntent; source: LikeSource; platform: string; at: Date;
  }): Promise<{ change: 'like' | 'unlike' | null; count: number }>;
  /** Sets `likeCount` from the ShareLike rows (call with the share locked) and returns it. */
  recountLikes(shareId: number): Promise<number>;
  listLikeEvents(shareId: number): Promise<LikeEventRecord[]>;
  /** Current likes given by `likerId` among these shares: the shares' ids. */
  likedAmong(likerId: string, shareIds: number[]): Promise<number[]>;
  /** Current likers of a share. */
  likersOf(shareId: number): Promise<string[]>;

  createTask(task: Omit<LikeTaskRecord, 'id' | 'active' | 'endedAt'>): Promise<LikeTaskRecord>;
  getTask(id: number, options?: { lock?: boolean }): Promise<LikeTaskRecord | null>;
  listActiveTasks(groupId: string): Promise<LikeTaskRecord[]>;
  endTask(id: number, at: Date): Promise<void>;
  /** Records that a share reached a task's goal; false when it already had (the reward is given once). */
  addCompletion(completion: LikeTaskCompletionRecord): Promise<boolean>;
  listCompletions(taskId: number): Promise<LikeTaskCompletionRecord[]>;
  completionsOfShare(shareId: number): Promise<LikeTaskCompletionRecord[]>;

  createRound(round: Omit<LikeRoundRecord, 'id' | 'status' | 'listChatId' | 'listMessageId' | 'closedAt'>): Promise<LikeRoundRecord>;
  getRound(id: number, options?: { lock?: boolean }): Promise<LikeRoundRecord | null>;
  openRoundOf(groupId: string): Promise<LikeRoundRecord | null>;
  listOpenRounds(): Promise<LikeRoundRecord[]>;
  listOpenRoundsDue(now: Date): Promise<LikeRoundRecord[]>;
  updateRound(id: number, patch: Partial<Pick<LikeRoundRecord, 'status' | 'closedAt' | 'listChatId' | 'listMessageId'>>): Promise<void>;
  addEntry(entry: { roundId: number; memberId: string; shareId: number; joinedAt: Date }): Promise<void>;
  listEntries(roundId: number): Promise<RoundEntryView[]>;
  markEntry(roundId: number, memberId: string, result: { completed: boolean; warned: boolean }): Promise<void>;

  addWarning(warning: { groupId: string; memberId: string; reason: string; reference: string; at: Date }): Promise<void>;
  /** Warnings not lifted yet. */
  activeWarnings(groupId: string, memberId: string): Promise<number>;
  /** Lifts every active warning; returns how many. */
  liftWarnings(groupId: string, memberId: string, byId: string, at: Date): Promise<number>;
  isExcluded(groupId: string, memberId: string): Promise<boolean>;
  setExcluded(groupId: string, memberId: string, excluded: boolean): Promise<void>;

  /** The group's raw `settings.likes` value (validated by the core), or undefined when never set. */
  getSettings(groupId: string): Promise<unknown>;
  /** Replaces `settings.likes`, keeping the other features' settings. */
  saveSettings(groupId: string, likes: unknown): Promise<void>;
}
