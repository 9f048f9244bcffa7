/**
 * The points feature's data (rules, check-ins, levels, badges, leaderboards, the ledger as admins read it),
 * implemented in prisma/points-store.ts. Reached as `tx.points`, so every read and write commits with the event.
 * The ledger itself (`addPointEntry`, `pointsBalance`) lives on StoreTx, shared with the features that pay.
 */
import type { PointEntryInput } from '../kernel/records.js';

/** The limits an award is paid within (addEntriesWithin). */
export interface AwardLimits {
  /** At most `limit` points of the entry's reason since `since` (the start of the group's day). */
  dailyCap?: { limit: number; since: Date };
  /** Nothing when an entry of the reason with a positive amount was made after this instant (the cooldown). */
  paidAfter?: Date;
}

export interface CheckInRecord {
  /** The date in the group's time zone, `YYYY-MM-DD`. */
  day: string;
  streak: number;
  at: Date;
}

export interface LedgerEntry {
  id: number;
  amount: number;
  reason: string;
  reference: string | null;
  actorId: string | null;
  actorName: string | null;
  note: string | null;
  at: Date;
}

export interface LeaderboardRow {
  memberId: string;
  displayName: string;
  points: number;
}

export interface PointsStore {
  readonly feature: 'points';

  /** The stored `settings.points` of a group (unvalidated), or undefined. */
  getSettings(groupId: string): Promise<unknown>;
  /** Replaces `settings.points` only, under a lock on the group row (other features' keys are kept). */
  saveSettings(groupId: string, points: unknown): Promise<void>;

  /**
   * Locks one member's membership row until the transaction ends (creating it if needed), so one member's
   * check-ins are decided one at a time (the streak reads yesterday, then writes today).
   */
  lockMember(groupId: string, memberId: string, at: Date): Promise<void>;
  /**
   * Serialises the awards of one source to one member until the transaction ends (caps and cooldowns are read,
   * then written), for each award listed, in the order listed (in one statement). Keyed by source so that a like
   * paying the liker and the author never waits in a cycle.
   */
  lockAwards(awards: { groupId: string; memberId: string; source: string }[]): Promise<void>;
  /**
   * Reads in one go what `/me` shows and checks of one member (level, purchase figures with orders since
   * `ordersSince`, badges, last check-in, shares, whether a review was paid, likes given, balance, points since
   * `since`) and keeps it for the later reads of this transaction that ask the same; this store's and the ledger's
   * writes in the transaction drop or update what they change. A no-op outside a transaction.
   */
  primeMember(groupId: string, memberId: string, at: { ordersSince: Date; since: Date }): Promise<void>;
  /**
   * Adds positive ledger entries within their limits, in one statement that decides each as it inserts it: the
   * amount is cut to what the daily cap leaves, nothing is paid in the cooldown or when the key was already paid.
   * Call under lockAwards for each entry's member and reason, with at most one entry per member and reason.
   * Returns the amount each paid (0: nothing), in the order given.
   */
  addEntriesWithin(entries: { entry: PointEntryInput; limits: AwardLimits }[]): Promise<number[]>;
  /** A member's points (all reasons) since an instant: this week's or month's total. */
  pointsSince(groupId: string, memberId: string, since: Date): Promise<number>;
  /** The sum and number of a member's entries whose key is one of `keys` or starts with one of `keyPrefixes`. */
  entryTotals(groupId: string, memberId: string, match: { keys: string[]; keyPrefixes: string[] }): Promise<{ amount: number; count: number }>;
  /** Whether the member has any entry with this reason (e.g. a first review). */
  hasEntry(groupId: string, memberId: string, reason: string): Promise<boolean>;

  lastCheckIn(groupId: string, memberId: string): Promise<CheckInRecord | null>;
  /** Records a check-in; false when that day is already recorded. */
  addCheckIn(groupId: string, memberId: string, checkIn: CheckInRecord): Promise<boolean>;

  /** Spend (all time) and orders delivered since `ordersSince`, in this group. */
  purchaseStats(groupId: string, memberId: string, ordersSince: Date): Promise<{ spendCents: number; orders: number }>;
  /** The stored level (1-4). */
  getLevel(groupId: string, memberId: string): Promise<number>;
  /** Raises the stored level to `level`; false when it was already as high (someone else raised it first). */
  raiseLevel(groupId: string, memberId: string, level: number, at: Date): Promise<boolean>;

  /** Likes the member gives now on other members' shares in the group, and to how many different authors. */
  likesGiven(groupId: string, memberId: string): Promise<{ likes: number; authors: number }>;
  sharesBy(groupId: string, memberId: string): Promise<number>;
  /** Records a badge; false when the member already has it. */
  awardBadge(groupId: string, memberId: string, badge: string, at: Date): Promise<boolean>;
  listBadges(groupId: string, memberId: string): Promise<{ badge: string; at: Date }[]>;

  /**
   * Members with an entry since `since` (all time when null), highest first, totals of zero included (a member
   * whose points were all taken back stays on the board); negative season totals are left out.
   */
  leaderboard(groupId: string, since: Date | null, limit: number): Promise<LeaderboardRow[]>;
  /** The member's place on that board (1 is first; ties go by member id, as the board's order), or null when not on it. */
  leaderboardRank(groupId: string, since: Date | null, memberId: string): Promise<{ rank: number; points: number } | null>;
  /** A member's newest entries, newest first. */
  ledger(groupId: string, memberId: string, limit: number): Promise<LedgerEntry[]>;
}
