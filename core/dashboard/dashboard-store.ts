/** The dashboard's data: one-time sign-in links, browser sessions, and the reads its pages make (core/dashboard). */
import type { BuyRecord, SignUpView } from '../group-buy/records.js';
import type { Language } from '../kernel/language.js';

/** A sign-in link as stored: the token itself is never kept, only its hash. */
export interface DashboardLinkRecord {
  id: number;
  memberId: string;
  groupId: string;
  chatId: string;
  createdAt: Date;
  expiresAt: Date;
  usedAt: Date | null;
}

/** A group a session may look at, and the chat where its admin rights are asked. */
export interface SessionGroup {
  groupId: string;
  chatId: string;
}

/** A signed-in browser. */
export interface DashboardSessionRecord {
  id: number;
  memberId: string;
  csrfToken: string;
  language: Language | null;
  createdAt: Date;
  expiresAt: Date;
  groups: SessionGroup[];
}

/** A member of a group as the Members page lists it: names, level, points, latest check-in, badges. */
export interface GroupMemberRow {
  memberId: string;
  displayName: string;
  username: string | null;
  level: number;
  isModerator: boolean;
  firstSeenAt: Date;
  /** The member's points balance in this group (the ledger's sum). */
  points: number;
  lastCheckIn: { day: string; streak: number } | null;
  badges: string[];
}

/** A like round as the Likes page lists it: its entries, who completed it (null while open). */
export interface LikeRoundHistoryRow {
  id: number;
  status: string;
  opensAt: Date;
  endsAt: Date;
  entries: { memberId: string; displayName: string; shareId: number; completed: boolean | null }[];
}

/** A like task as the Likes page lists it: the shares posted while it ran, and the ones that reached its goal. */
export interface LikeTaskHistoryRow {
  id: number;
  goalLikes: number;
  withinMinutes: number;
  rewardPoints: number;
  active: boolean;
  createdAt: Date;
  endedAt: Date | null;
  /** Shares posted in the group while the task ran (from its creation to its end, or now). */
  sharesDuring: number;
  completions: { memberId: string; displayName: string; shareId: number; completedAt: Date }[];
}

export interface DashboardStore {
  createLink(link: { tokenHash: string; memberId: string; groupId: string; chatId: string; createdAt: Date; expiresAt: Date }): Promise<void>;
  /**
   * Marks the link used if it is unused and not expired at `now`, in one conditional write (two browsers racing with
   * one link: one wins). Otherwise says why not.
   */
  claimLink(tokenHash: string, now: Date): Promise<{ ok: true; link: DashboardLinkRecord } | { ok: false; reason: 'unknown' | 'used' | 'expired' }>;
  createSession(session: { tokenHash: string; memberId: string; csrfToken: string; createdAt: Date; expiresAt: Date }): Promise<DashboardSessionRecord>;
  getSession(tokenHash: string): Promise<DashboardSessionRecord | null>;
  addSessionGroup(sessionId: number, group: SessionGroup, at: Date): Promise<void>;
  setSessionLanguage(sessionId: number, language: Language | null): Promise<void>;
  deleteSession(sessionId: number): Promise<void>;
  /** Keeps a message for the session's next page (replacing one not yet shown). */
  setFlash(sessionId: number, flash: { ok: boolean; text: string }): Promise<void>;
  /** Takes the session's pending message in one write: of two pages asking at once, one gets it. */
  takeFlash(sessionId: number): Promise<{ ok: boolean; text: string } | null>;
  /** Deletes links and sessions that expired before `before` (housekeeping); how many rows went. */
  deleteExpired(before: Date): Promise<number>;

  /** A group's buys, newest first, at most `limit`. */
  listBuysOfGroup(groupId: string, limit: number): Promise<BuyRecord[]>;
  /** The sign-ups of these buys (every status), with the members' names. */
  listSignUpsOfBuys(buyIds: readonly number[]): Promise<SignUpView[]>;
  /** The group's present members (not left), in the order they were first seen. */
  listGroupMembers(groupId: string): Promise<GroupMemberRow[]>;
  /** The group's like rounds, newest first, at most `limit`, with their entries and the members' names. */
  listLikeRounds(groupId: string, limit: number): Promise<LikeRoundHistoryRow[]>;
  /** The group's like tasks (running and ended), newest first, at most `limit`, with completions and shares posted meanwhile. */
  listLikeTasks(groupId: string, limit: number, now: Date): Promise<LikeTaskHistoryRow[]>;
  /** The group's latest admin actions (the audit trail), newest first, with the actor's name. */
  listAdminActions(groupId: string, limit: number): Promise<{ at: Date; actorId: string; actorName: string; action: string; detail: Record<string, unknown> }[]>;
}
