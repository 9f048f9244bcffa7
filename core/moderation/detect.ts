/**
 * Fake-engagement detection over a group's like history: pure functions shared by the bot (core/moderation) and the
 * `likes:scan` command line. No database, no clock. Every flag carries its reasons and evidence so a moderator can
 * judge it.
 *
 * Two detectors feed the cases: lockstep groups (detect-lockstep.ts: accounts liking the same shares close in time,
 * popular shares weighed down) judged here as sock puppets, rings, or friends who like each other's shares; and
 * bought bursts (detect-burst.ts: newcomers liking one share minutes after joining). Likes inside a like round or
 * like task the bot ran are context, never evidence (detect-history.ts). ADR 011 says why and how well.
 */
import type { HistoryEvent } from './history-event.js';
import { packHistory, type HistoryProblems, type PackedHistory } from './detect-history.js';
import { findBursts, type Burst } from './detect-burst.js';
import { DEFAULT_LOCKSTEP, indexLikes, lockstepGroups, type LikeIndex, type LockstepOptions } from './detect-lockstep.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

export type { HistoryEvent } from './history-event.js';

export type FlagKind = 'puppets' | 'ring' | 'burst';

/** Evidence a moderator can read: who acted together, on which shares, how tightly, how old the accounts were. */
export interface FlagEvidence {
  /** The accounts acting together (the case's members). */
  accounts: string[];
  /** The shares they liked together. */
  posts: string[];
  /** The authors those shares belong to. */
  authors: string[];
  /** The median seconds between the case's likes on one share. */
  medianGapSeconds?: number;
  /** Account ages at their first like in the case, in hours (when the join is known). */
  accountAgeHours?: Record<string, number>;
  /** What else each account did: likes outside the case, shares, purchases. */
  otherActivity?: Record<string, { likes: number; posts: number; purchases: number }>;
  [more: string]: unknown;
}

export interface Flag {
  user: string;
  /** 0..1: how sure the detector is. */
  score: number;
  kind: FlagKind;
  /** The case (cluster) this account belongs to: one alert per case. */
  case: string;
  /** The reasons in words (English; the bot words alerts from `evidence`). */
  reasons: string[];
  evidence: FlagEvidence;
}

export interface ScanReport {
  flagged: Flag[];
  /** What the history reader could not take as given (not part of the likes:scan output). */
  problems?: HistoryProblems;
}

export interface DetectOptions {
  /** Only flags at or above this score are reported (default 0.5). */
  minScore?: number;
  /** Tuning of the lockstep pairs (time window, shares in common, similarity). */
  lockstep?: Partial<LockstepOptions>;
}

/** Members' likes this close to another member's like of the same share count as in step. */
const STEP_MS = 30 * 60_000;
/** Accounts younger than this at their first like in a case count as fresh. */
const FRESH_MS = 30 * DAY_MS;
/** A group whose likes go this much to authors who like the same shares themselves is friends, not a ring. */
const FRIENDS_RECIPROCITY = 0.35;
/** One author owning this much of a small group's liked shares makes it sock puppets. */
const PUPPET_AUTHOR_SHARE = 0.7;
const MAX_PUPPETS = 8;
const MIN_RING = 5;
const MIN_CASE_POSTS = 3;
/** A member who liked fewer of the case's shares than this is not flagged with it. */
const MIN_PARTICIPATION = 0.4;

const median = (values: number[]) => {
  if (!values.length) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};
const round = (x: number, digits = 2) => Math.round(x * 10 ** digits) / 10 ** digits;
const ratio = (x: number) => `${Math.round(x * 100)}%`;

interface MemberFacts {
  user: number;
  caseLikes: number;
  participation: number;
  inStep: number;
  focus: number;
  ageMs: number;
  firstCaseLikeAt: number;
}

interface GroupFacts {
  members: MemberFacts[];
  casePosts: number[];
  reciprocity: number;
  topAuthor: number;
  topAuthorShare: number;
  medianGapMs: number;
}

/** What a lockstep group did together: the shares a good part of it liked, how tightly, whose shares. */
function describeGroup(h: PackedHistory, index: LikeIndex, group: number[]): GroupFacts {
  const inGroup = new Set(group);
  const hits = new Map<number, number[]>();
  for (const u of group) {
    for (let i = index.userStart[u]!; i < index.userStart[u + 1]!; i++) {
      const like = index.byUser[i]!;
      const p = h.likePost[like]!;
      (hits.get(p) ?? hits.set(p, []).get(p)!).push(h.likeAt[like]!);
    }
  }
  // The case's shares: those a good part of the group liked in step (camouflage likes on popular shares are not).
  const needed = Math.max(2, Math.ceil(0.3 * group.length));
  const inStepCount = (times: number[]) => {
    times.sort((a, b) => a - b);
    let n = 0;
    for (let k = 0; k < times.length; k++) {
      if ((k > 0 && times[k]! - times[k - 1]! <= STEP_MS) || (k + 1 < times.length && times[k + 1]! - times[k]! <= STEP_MS)) n++;
    }
    return n;
  };
  const casePosts = [...hits].filter(([, times]) => times.length >= needed && inStepCount(times) >= needed).map(([p]) => p).sort((a, b) => a - b);
  const facts = new Map(group.map((u) => [u, { user: u, caseLikes: 0, participation: 0, inStep: 0, focus: 0, ageMs: Number.NaN, firstCaseLikeAt: Infinity }]));
  // Friends like each other: a like counts as returned when the share's author liked one of the case's shares too
  // (a ring's customers and a puppet master do not take part in what the group likes).
  const caseSet = new Set(casePosts);
  const returned = new Map<number, boolean>();
  const likesBack = (author: number) => {
    if (author < 0) return false;
    let answer = returned.get(author);
    if (answer === undefined) {
      answer = false;
      for (let i = index.userStart[author]!; i < index.userStart[author + 1]! && !answer; i++) answer = caseSet.has(h.likePost[index.byUser[i]!]!);
      returned.set(author, answer);
    }
    return answer;
  };
  const gaps: number[] = [];
  const byAuthor = new Map<number, number>();
  let memberLikes = 0;
  let toMembers = 0;
  for (const p of casePosts) {
    const likes: number[] = [];
    for (let i = index.postStart[p]!; i < index.postStart[p + 1]!; i++) {
      const like = index.byPost[i]!;
      if (inGroup.has(h.likeUser[like]!)) likes.push(like);
    }
    const author = h.authorOf[p]!;
    memberLikes += likes.length;
    byAuthor.set(author, (byAuthor.get(author) ?? 0) + likes.length);
    if (likesBack(author)) toMembers += likes.length;
    for (let k = 0; k < likes.length; k++) {
      const at = h.likeAt[likes[k]!]!;
      const f = facts.get(h.likeUser[likes[k]!]!)!;
      f.caseLikes++;
      f.firstCaseLikeAt = Math.min(f.firstCaseLikeAt, at);
      const before = k > 0 ? at - h.likeAt[likes[k - 1]!]! : Infinity;
      const after = k + 1 < likes.length ? h.likeAt[likes[k + 1]!]! - at : Infinity;
      if (Math.min(before, after) <= STEP_MS) f.inStep++;
      if (k > 0) gaps.push(before);
    }
  }
  let topAuthor = -1;
  let topAuthorLikes = 0;
  for (const [author, n] of byAuthor) if (n > topAuthorLikes) [topAuthor, topAuthorLikes] = [author, n];
  const members = [...facts.values()].map((f) => {
    const likes = index.userStart[f.user + 1]! - index.userStart[f.user]!;
    return {
      ...f,
      participation: casePosts.length ? f.caseLikes / casePosts.length : 0,
      inStep: f.caseLikes ? f.inStep / f.caseLikes : 0,
      focus: likes ? f.caseLikes / likes : 0,
      ageMs: f.firstCaseLikeAt - h.joinedAt[f.user]!,
    };
  });
  return {
    members,
    casePosts,
    reciprocity: memberLikes ? toMembers / memberLikes : 0,
    topAuthor,
    topAuthorShare: memberLikes ? topAuthorLikes / memberLikes : 0,
    medianGapMs: median(gaps),
  };
}

function otherActivity(h: PackedHistory, index: LikeIndex, u: number, caseLikes: number) {
  return { likes: index.userStart[u + 1]! - index.userStart[u]! - caseLikes, posts: h.postsBy[u]!, purchases: h.purchasesBy[u]! };
}

const hours = (ms: number) => (Number.isFinite(ms) ? round(ms / HOUR_MS, 1) : undefined);

function ageRecord(entries: [string, number][]): Record<string, number> | undefined {
  const known = entries.flatMap(([user, ms]) => (hours(ms) === undefined ? [] : [[user, hours(ms)!] as const]));
  return known.length ? Object.fromEntries(known) : undefined;
}

/** Sock puppets or a ring, or nothing (friends trading likes, too little in common). */
function judgeGroup(h: PackedHistory, index: LikeIndex, facts: GroupFacts, caseId: string): Flag[] {
  if (facts.casePosts.length < MIN_CASE_POSTS || facts.reciprocity >= FRIENDS_RECIPROCITY) return [];
  const members = facts.members.filter((m) => m.participation >= MIN_PARTICIPATION);
  const oneOwner = facts.topAuthorShare >= PUPPET_AUTHOR_SHARE && members.length <= MAX_PUPPETS;
  if (!oneOwner && members.length < MIN_RING) return [];
  const kind: FlagKind = oneOwner ? 'puppets' : 'ring';
  const accounts = members.map((m) => h.userIds[m.user]!);
  const authors = [...new Set(facts.casePosts.map((p) => h.authorOf[p]!).filter((a) => a >= 0))].map((a) => h.userIds[a]!);
  const evidence: FlagEvidence = {
    accounts,
    posts: facts.casePosts.map((p) => h.postIds[p]!),
    authors,
    medianGapSeconds: Math.round(facts.medianGapMs / 1000),
    accountAgeHours: ageRecord(members.map((m) => [h.userIds[m.user]!, m.ageMs])),
    otherActivity: Object.fromEntries(members.map((m) => [h.userIds[m.user]!, otherActivity(h, index, m.user, m.caseLikes)])),
    likesReturned: round(facts.reciprocity),
    ...(oneOwner ? { owner: h.userIds[facts.topAuthor] ?? null, ownerShare: round(facts.topAuthorShare) } : {}),
  };
  const gap = `median ${Math.round(facts.medianGapMs / 1000)} s between their likes of one share`;
  return members.map((m) => {
    const fresh = m.ageMs < FRESH_MS ? 1 : m.ageMs < 3 * FRESH_MS ? 0.5 : 0;
    const own = otherActivity(h, index, m.user, m.caseLikes);
    const quiet = 1 - Math.min(1, (own.posts + own.purchases) / 5);
    const score = 0.35 + 0.65 * (0.4 * m.participation + 0.3 * m.inStep + 0.15 * m.focus + 0.15 * Math.max(fresh, quiet));
    const user = h.userIds[m.user]!;
    const reasons = [
      kind === 'puppets'
        ? `one of ${accounts.length} accounts liking ${h.userIds[facts.topAuthor] ?? 'one owner'}'s shares together (${ratio(facts.topAuthorShare)} of their likes in the case go to that owner; ${gap})`
        : `one of ${accounts.length} accounts liking the same ${facts.casePosts.length} shares in lockstep (${gap}); popular shares weighed down`,
      `liked ${m.caseLikes} of the case's ${facts.casePosts.length} shares, ${ratio(m.inStep)} of them within 30 min of another member`,
      `${ratio(m.focus)} of the account's likes are in the case; it posted ${own.posts} share(s) and made ${own.purchases} purchase(s)`,
    ];
    if (Number.isFinite(m.ageMs)) reasons.push(`account ${hours(m.ageMs)} h old at its first like in the case`);
    reasons.push(`only ${ratio(facts.reciprocity)} of these likes go to authors who like the case's shares too (friends like each other; this group does not)`);
    return { user, score: round(score, 3), kind, case: caseId, reasons, evidence };
  });
}

function judgeBurst(h: PackedHistory, index: LikeIndex, burst: Burst, caseId: string): Flag[] {
  const users = [...new Set(burst.likes.map((like) => h.likeUser[like]!))];
  const accounts = users.map((u) => h.userIds[u]!);
  const times = burst.likes.map((like) => h.likeAt[like]!);
  const gaps = times.slice(1).map((t, i) => t - times[i]!);
  const author = h.authorOf[burst.post]!;
  const ageOf = new Map(burst.likes.map((like) => [h.likeUser[like]!, h.likeAt[like]! - h.joinedAt[h.likeUser[like]!]!]));
  const evidence: FlagEvidence = {
    accounts,
    posts: [h.postIds[burst.post]!],
    authors: author >= 0 ? [h.userIds[author]!] : [],
    medianGapSeconds: Math.round(median(gaps) / 1000),
    accountAgeHours: ageRecord(users.map((u) => [h.userIds[u]!, ageOf.get(u)!])),
    otherActivity: Object.fromEntries(users.map((u) => [h.userIds[u]!, otherActivity(h, index, u, 1)])),
    newcomerShare: round(burst.likes.length / burst.likesDuring),
    spanSeconds: Math.round((times.at(-1)! - times[0]!) / 1000),
  };
  const spanMinutes = Math.max(1, Math.round((times.at(-1)! - times[0]!) / 60_000));
  return users.map((u) => {
    const own = otherActivity(h, index, u, 1);
    const silent = own.likes + own.posts + own.purchases <= 1 ? 1 : own.likes + own.posts + own.purchases <= 3 ? 0.5 : 0;
    const minutes = Math.round(ageOf.get(u)! / 60_000);
    const score = 0.5 + 0.2 * silent + 0.15 * (minutes <= 15 ? 1 : 0.5) + 0.15 * Math.min(1, users.length / 20);
    return {
      user: h.userIds[u]!,
      score: round(score, 3),
      kind: 'burst' as const,
      case: caseId,
      reasons: [
        `one of ${users.length} accounts that joined minutes before liking share ${h.postIds[burst.post]} within ${spanMinutes} min (${ratio(burst.likes.length / burst.likesDuring)} of its likes then)`,
        `liked it ${minutes} min after joining`,
        `did little else: ${own.likes} other like(s), ${own.posts} share(s), ${own.purchases} purchase(s)`,
      ],
      evidence,
    };
  });
}

/** Scans a history (in time order) and returns the accounts to flag, grouped into cases. */
export function detectFakeEngagement(events: Iterable<HistoryEvent>, options: DetectOptions = {}): ScanReport {
  return detectInHistory(packHistory(events), options);
}

/** The same scan over a history already packed (`HistoryPacker`), so a file can stream through without its lines held. */
export function detectInHistory(history: PackedHistory, options: DetectOptions = {}): ScanReport {
  const minScore = options.minScore ?? 0.5;
  const index = indexLikes(history);
  const flagged: Flag[] = [];
  const flaggedUsers = new Set<string>();
  let cases = 0;
  const add = (flags: Flag[]) => {
    const kept = flags.filter((f) => f.score >= minScore && !flaggedUsers.has(f.user));
    if (!kept.length) return;
    cases++;
    for (const f of kept) {
      flaggedUsers.add(f.user);
      flagged.push({ ...f, case: `c${cases}` });
    }
  };
  for (const burst of findBursts(history, index)) add(judgeBurst(history, index, burst, ''));
  for (const group of lockstepGroups(history, index, { ...DEFAULT_LOCKSTEP, ...options.lockstep })) {
    add(judgeGroup(history, index, describeGroup(history, index, group), ''));
  }
  return { flagged, problems: history.problems };
}
