/**
 * The moderation feature's data, as the core sees it (implemented in prisma/moderation-store.ts). Reached as
 * `tx.moderation`: the group's history as the detector reads it, the cases it raised and what moderators decided,
 * and the two writes a confirmed case needs that no other feature offers (voiding a like, reading what was paid).
 */
import type { FlagEvidence, FlagKind, HistoryEvent } from './detect.js';
import type { AuthoredText } from './text-signals.js';

export type CaseStatus = 'open' | 'dismissed' | 'confirmed';

export interface CaseMemberRecord {
  memberId: string;
  displayName: string;
  username: string | null;
  score: number;
  reasons: string[];
  liftedAt: Date | null;
  /** Whether moderators were told of this account (an alert, update or digest named it). */
  announced: boolean;
}

/** What moderators were told of a case: its alert, an update naming accounts it gained, or its line in a digest. */
export type NoticeKind = 'alert' | 'update' | 'digest';

export interface FlagCaseRecord {
  id: number;
  groupId: string;
  chatId: string;
  kind: FlagKind;
  status: CaseStatus;
  evidenceKey: string;
  evidence: FlagEvidence;
  createdAt: Date;
  alertedAt: Date | null;
  handledById: string | null;
  handledAt: Date | null;
  members: CaseMemberRecord[];
}

export interface NewFlagCase {
  groupId: string;
  chatId: string;
  kind: FlagKind;
  evidenceKey: string;
  evidence: FlagEvidence;
  createdAt: Date;
  members: { memberId: string; score: number; reasons: string[] }[];
}

/** A ledger entry that paid for something a case reverses. */
export interface PaidEntry {
  key: string;
  memberId: string;
  amount: number;
  reference: string | null;
}

export interface ModerationStore {
  readonly feature: 'moderation';

  /**
   * The group's stored history in time order, in the detector's terms: members joining (first seen), shares, likes
   * and unlikes (voided likes are the bot's own act and left out), purchases, and the rounds and like tasks the bot
   * ran (as `round` events). Ids are the stored ones: member ids, share ids as decimal strings.
   */
  history(groupId: string): Promise<HistoryEvent[]>;
  /** Groups with at least one share: the ones worth scanning. */
  groupsWithShares(): Promise<string[]>;
  /** When the member was first seen in the group, or null. */
  memberSince(groupId: string, memberId: string): Promise<Date | null>;
  /** When each of these members was first seen in the group (members never seen are left out). */
  membersSince(groupId: string, memberIds: string[]): Promise<Map<string, Date>>;
  /** The likes (as first recorded, before any void) these members gave these shares of the group, in time order: a case's picture. */
  caseLikes(groupId: string, shareIds: number[], memberIds: string[]): Promise<{ shareId: number; memberId: string; at: Date }[]>;
  /**
   * What these members wrote in the group: their shares' texts (`share:<id>`) and their reviews' texts
   * (`review:<id>`), non-empty, oldest first. The text signals of a case (core/moderation/text-evidence.ts).
   */
  authoredTexts(groupId: string, memberIds: string[]): Promise<AuthoredText[]>;
  /** The group's moderators named with /mod. */
  listModerators(groupId: string): Promise<string[]>;

  /** Serialises the scans of one group until the transaction ends (two processes scanning at once raise one case). */
  lockScans(groupId: string): Promise<void>;
  /** Records a case; null when the group already has one with this evidence key. */
  createCase(flagCase: NewFlagCase): Promise<FlagCaseRecord | null>;
  /**
   * Grows an open case the detector now sees larger (more accounts or shares of the same cluster): its evidence and
   * key are replaced, the new members added. False when the key is another case's (nothing changed).
   */
  extendCase(id: number, growth: { evidenceKey: string; evidence: FlagEvidence; members: { memberId: string; score: number; reasons: string[] }[] }): Promise<boolean>;
  /** Reads a case; with `lock`, holds its row until the transaction ends (serialises decisions on it). */
  getCase(id: number, options?: { lock?: boolean }): Promise<FlagCaseRecord | null>;
  /** The group's cases, newest first; only those with a status when given. */
  listCases(groupId: string, status?: CaseStatus): Promise<FlagCaseRecord[]>;
  /** Alerts and updates sent one by one since an instant (the hourly limit; digests are not counted). */
  countAlertedSince(groupId: string, since: Date): Promise<number>;
  /** Marks cases alerted (their first alert, alone or in a digest). */
  markAlerted(caseIds: number[], at: Date): Promise<void>;
  /** Records what moderators were told of a case and which accounts it named. */
  recordNotice(notice: { caseId: number; groupId: string; kind: NoticeKind; accounts: string[]; at: Date }): Promise<void>;
  /** Open cases not alerted yet (waiting for the digest). */
  listUnalerted(groupId: string): Promise<FlagCaseRecord[]>;
  decideCase(id: number, decision: { status: 'dismissed' | 'confirmed'; byId: string; at: Date }): Promise<void>;
  /** Whether the member has a confirmed flag in the group not lifted yet (left out of rounds and like tasks). */
  isFlagged(groupId: string, memberId: string): Promise<boolean>;
  /** Lifts the member's flags in the group's confirmed cases; returns how many were lifted. */
  liftMember(groupId: string, memberId: string, at: Date): Promise<number>;

  /**
   * Takes a member's like off a share because a moderator confirmed it fake: removes the current like (the caller
   * recounts under the share's lock) and appends a `void` LikeEvent. False when the member did not like it now.
   */
  voidLike(share: { id: number; groupId: string; memberId: string }, likerId: string, at: Date, platform: string): Promise<boolean>;
  /** Ledger entries with these keys (what was actually paid for them). */
  paidForKeys(keys: string[]): Promise<PaidEntry[]>;
}
