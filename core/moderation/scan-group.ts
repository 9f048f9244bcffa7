/**
 * One scan of a group's stored history by the fake-engagement detector, turning its flags into cases. The reading
 * and the thinking (the detector, then the text signals, which may ask an LLM) happen outside any transaction; the
 * new cases are then recorded in one transaction under a lock per group, and each case's evidence key is unique per
 * group, so two processes scanning at once raise one case; evidence already covered by a case (open, dismissed or
 * confirmed) is never raised again. At most ALERTS_PER_HOUR cases are alerted one by one per group and hour; the
 * rest wait for the digest job.
 */
import type { UseCaseEnv } from '../context.js';
import type { KernelServices } from '../kernel/module.js';
import type { StoreTx } from '../store.js';
import type { ScheduledJob } from '../ports.js';
import { followsOf } from './case-text.js';
import { detectFakeEngagement, type Flag } from './detect.js';
import type { FlagCaseRecord } from './moderation-store.js';
import { withTextSignals, type CaseCandidate } from './text-evidence.js';
import type { TextSimilarity } from './text-signals.js';

export const ALERTS_PER_HOUR = 3;
/** How often every group with shares is scanned. */
export const SCAN_INTERVAL_MS = 6 * 3600_000;
/** How soon a scan follows a like from a fresh account (the burst may still be growing). */
export const EARLY_SCAN_DELAY_MS = 2 * 60_000;
/** An account this new in the group makes its likes worth an early scan. */
export const FRESH_ACCOUNT_MS = 24 * 3600_000;
const HOUR_MS = 3600_000;

/** The periodic scan of a group, one per interval slot (the key makes a second schedule of it a no-op). */
export function scanJob(groupId: string, runAt: Date, reason: 'periodic' | 'early' = 'periodic'): ScheduledJob {
  const slotMs = reason === 'periodic' ? SCAN_INTERVAL_MS : 10 * 60_000;
  const slot = Math.floor(runAt.getTime() / slotMs);
  return { name: 'moderation.scan', runAt, key: `moderation.scan:${groupId}:${reason}:${slot}`, data: { groupId } };
}

/** The digest of the cases held back this hour, sent an hour after the hour's first alert. */
export function digestJob(groupId: string, runAt: Date): ScheduledJob {
  return { name: 'moderation.digest', runAt, key: `moderation.digest:${groupId}:${Math.floor(runAt.getTime() / HOUR_MS)}`, data: { groupId } };
}

/** The detector's flags grouped by case: one candidate per case, its evidence from its first flag. */
export function candidates(flags: Flag[]): CaseCandidate[] {
  const byCase = new Map<string, CaseCandidate>();
  for (const flag of flags) {
    const found = byCase.get(flag.case);
    const member = { memberId: flag.user, score: flag.score, reasons: flag.reasons };
    if (found) found.members.push(member);
    else byCase.set(flag.case, { kind: flag.kind, evidence: flag.evidence, members: [member] });
  }
  return [...byCase.values()];
}

/**
 * The case's identity: its kind, shares and accounts, sorted (the detector's case names change between scans), as
 * `<kind>:<accounts>x<shares>:<SHA-256 of the sorted lists>`. Hashed so a burst of hundreds of bought accounts still
 * fits the unique index (PostgreSQL's b-tree rows stop at about 2.7 kB).
 */
export async function evidenceKey(candidate: CaseCandidate): Promise<string> {
  const accounts = [...new Set(candidate.members.map((m) => m.memberId))].sort();
  const posts = [...new Set(candidate.evidence.posts)].sort();
  const digest = await globalThis.crypto.subtle.digest('SHA-256', new TextEncoder().encode(`${candidate.kind}|${posts.join(',')}|${accounts.join(',')}`));
  const hex = [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${candidate.kind}:${accounts.length}x${posts.length}:${hex}`;
}

/** Whether a stored case already holds this evidence: all its accounts and shares, whatever was decided. */
function covered(candidate: CaseCandidate, cases: FlagCaseRecord[]): boolean {
  return cases.some((c) => {
    const accounts = new Set(c.members.map((m) => m.memberId));
    const posts = new Set(c.evidence.posts);
    return candidate.members.every((m) => accounts.has(m.memberId)) && candidate.evidence.posts.every((p) => posts.has(p));
  });
}

/** Whether a candidate shares accounts and shares with a stored case (the same cluster, seen again). */
function overlaps(candidate: CaseCandidate, stored: FlagCaseRecord): boolean {
  const accounts = new Set(stored.members.map((m) => m.memberId));
  const posts = new Set(stored.evidence.posts);
  return candidate.members.some((m) => accounts.has(m.memberId)) && candidate.evidence.posts.some((p) => posts.has(p));
}

/** The candidate narrowed to these accounts and shares (figures about other accounts dropped). */
function narrowed(candidate: CaseCandidate, members: CaseCandidate['members'], posts: string[], follows: number[]): CaseCandidate {
  const ids = new Set(members.map((m) => m.memberId));
  const only = <V>(record: Record<string, V> | undefined) => record && Object.fromEntries(Object.entries(record).filter(([id]) => ids.has(id)));
  const { accountAgeHours, otherActivity, ...rest } = candidate.evidence;
  const evidence = {
    ...rest,
    accounts: candidate.evidence.accounts.filter((a) => ids.has(a)),
    posts,
    ...(accountAgeHours ? { accountAgeHours: only(accountAgeHours) } : {}),
    ...(otherActivity ? { otherActivity: only(otherActivity) } : {}),
    follows,
  };
  return { kind: candidate.kind, evidence, members };
}

/**
 * What a scan does with a candidate, given the group's stored cases:
 * - nothing, when a case holds all of it (a rescan never re-alerts), or when it adds nothing to what moderators
 *   decided (accounts a dismissed case holds are not raised again in its cluster);
 * - narrowed to what is new when it overlaps decided cases: the accounts beyond them (a dismissed case's cluster
 *   recruiting, a confirmed ring's new members, who need a decision of their own), or, after a Confirm with no new
 *   account, the confirmed accounts' likes on shares the case did not hold (Confirm voided only the case's);
 * - then an open case of the same kind it overlaps grows by it (one update when moderators saw it smaller),
 *   else it is a new case (naming the decided cases it grew out of).
 */
export function planCandidate(candidate: CaseCandidate, cases: FlagCaseRecord[]): { action: 'skip' } | { action: 'extend'; open: FlagCaseRecord; candidate: CaseCandidate } | { action: 'create'; candidate: CaseCandidate } {
  if (covered(candidate, cases)) return { action: 'skip' };
  let found = candidate;
  const decided = cases.filter((c) => c.status !== 'open' && overlaps(candidate, c));
  if (decided.length) {
    const judged = new Set(decided.flatMap((c) => c.members.map((m) => m.memberId)));
    const follows = decided.map((c) => c.id).sort((a, b) => a - b);
    const newcomers = candidate.members.filter((m) => !judged.has(m.memberId));
    if (newcomers.length) found = narrowed(candidate, newcomers, candidate.evidence.posts, follows);
    else {
      const confirmed = decided.filter((c) => c.status === 'confirmed');
      const confirmedShares = new Set(confirmed.flatMap((c) => c.evidence.posts));
      const stillFlagged = new Set(confirmed.flatMap((c) => c.members.filter((m) => m.liftedAt === null).map((m) => m.memberId)));
      const posts = candidate.evidence.posts.filter((p) => !confirmedShares.has(p));
      const members = candidate.members.filter((m) => stillFlagged.has(m.memberId));
      if (posts.length === 0 || members.length === 0) return { action: 'skip' };
      found = narrowed(candidate, members, posts, follows);
    }
    if (covered(found, cases)) return { action: 'skip' };
  }
  const open = cases.find((c) => c.status === 'open' && c.kind === found.kind && overlaps(found, c));
  return open ? { action: 'extend', open, candidate: found } : { action: 'create', candidate: found };
}

/** A stored case grown by what a later scan saw: the union of accounts and shares, the newer figures winning. */
function grow(stored: FlagCaseRecord, candidate: CaseCandidate): CaseCandidate {
  const union = (a: readonly string[], b: readonly string[]) => [...new Set([...a, ...b])];
  const before = stored.evidence;
  const after = candidate.evidence;
  const evidence = {
    ...before,
    ...after,
    accounts: union(before.accounts, after.accounts),
    posts: union(before.posts, after.posts),
    authors: union(before.authors, after.authors),
    ...(before.accountAgeHours || after.accountAgeHours ? { accountAgeHours: { ...before.accountAgeHours, ...after.accountAgeHours } } : {}),
    ...(before.otherActivity || after.otherActivity ? { otherActivity: { ...before.otherActivity, ...after.otherActivity } } : {}),
    ...(followsOf(before).length || followsOf(after).length ? { follows: [...new Set([...followsOf(before), ...followsOf(after)])].sort((a, b) => a - b) } : {}),
  };
  const members = [...stored.members.map(({ memberId, score, reasons }) => ({ memberId, score, reasons }))];
  for (const m of candidate.members) if (!members.some((o) => o.memberId === m.memberId)) members.push(m);
  return { kind: stored.kind, evidence, members };
}

/** An open case moderators were alerted to that has gained accounts since: the accounts not named to them yet. */
export interface CaseUpdate {
  flagCase: FlagCaseRecord;
  added: string[];
}

export interface ScanResult {
  /** New cases to alert now, one message each (already marked alerted). */
  alertNow: FlagCaseRecord[];
  /** Alerted cases that gained accounts, to announce now (one update each, counted in the hourly limit). */
  updateNow: CaseUpdate[];
  /** New cases and updates held back for the digest. */
  heldBack: number;
}

export interface ScanOptions {
  /** Finds near-identical texts among a case's accounts (supporting evidence); none: no text signals. */
  textSimilarity?: TextSimilarity;
}

/**
 * Scans one group and records new cases; the caller alerts `alertNow` (after the commit, which this has done).
 * The detector decides who is flagged; text signals only add to its cases.
 */
export async function scanGroup(services: KernelServices, groupId: string, options: ScanOptions = {}): Promise<ScanResult> {
  const { store } = services;
  if (!(await store.getGroup(groupId))) return { alertNow: [], updateNow: [], heldBack: 0 };
  const report = detectFakeEngagement(await store.moderation.history(groupId));
  // Evidence a case already holds needs no more thought (and no LLM call); the transaction checks again under the lock.
  const known = await store.moderation.listCases(groupId);
  const fresh: CaseCandidate[] = [];
  for (const candidate of candidates(report.flagged)) {
    if (candidate.evidence.posts.length === 0) continue;
    const plan = planCandidate(candidate, known);
    if (plan.action === 'skip') continue;
    const found = plan.candidate === candidate ? candidate : await withAuthors(store, plan.candidate);
    fresh.push(options.textSimilarity ? await withTextSignals(store, groupId, found, options.textSimilarity, services.logger) : found);
  }
  return services.transact((env) => recordCases(env, groupId, fresh));
}

/** A narrowed candidate's authors: those of the shares it kept. */
async function withAuthors(store: StoreTx, candidate: CaseCandidate): Promise<CaseCandidate> {
  const authors: string[] = [];
  for (const post of candidate.evidence.posts) {
    const share = /^\d+$/.test(post) ? await store.likes.getShare(Number(post)) : null;
    if (share && !authors.includes(share.memberId)) authors.push(share.memberId);
  }
  return { ...candidate, evidence: { ...candidate.evidence, authors: authors.length ? authors : candidate.evidence.authors } };
}

/**
 * Records what the candidates add to the stored cases, under the group's scan lock (planCandidate again: another
 * process may have recorded them meanwhile), and schedules the next scan. At most ALERTS_PER_HOUR alerts and
 * updates go out one by one per group and hour; the rest wait for the digest.
 */
export async function recordCases(env: UseCaseEnv, groupId: string, found: CaseCandidate[]): Promise<ScanResult> {
  const result: ScanResult = { alertNow: [], updateNow: [], heldBack: 0 };
  const { moderation } = env.tx;
  await moderation.lockScans(groupId);
  env.out.schedule(scanJob(groupId, new Date(env.now.getTime() + SCAN_INTERVAL_MS)));
  const existing = await moderation.listCases(groupId);
  let alerted = await moderation.countAlertedSince(groupId, new Date(env.now.getTime() - HOUR_MS));
  const holdBack = () => {
    result.heldBack++;
    env.out.schedule(digestJob(groupId, new Date(env.now.getTime() + HOUR_MS)));
  };
  for (const candidate of found) {
    const plan = planCandidate(candidate, existing);
    if (plan.action === 'skip') continue;
    if (plan.action === 'extend') {
      // A cluster still growing (a burst still buying, a ring recruiting) while its case is open is that case, grown.
      const { open } = plan;
      const grown = grow(open, plan.candidate);
      const added = grown.members.filter((m) => !open.members.some((o) => o.memberId === m.memberId));
      if (await moderation.extendCase(open.id, { evidenceKey: await evidenceKey(grown), evidence: grown.evidence, members: added })) {
        const now = (await moderation.getCase(open.id))!;
        existing[existing.indexOf(open)] = now;
        // Moderators who saw it smaller hear once of the accounts it gained (a case not alerted yet waits for the
        // digest, which shows it whole; new shares alone change nothing they decide on).
        if (added.length === 0 || now.alertedAt === null) continue;
        const unnamed = now.members.filter((m) => !m.announced).map((m) => m.memberId);
        const queued = result.updateNow.find((u) => u.flagCase.id === now.id);
        if (queued) {
          queued.flagCase = now;
          queued.added = unnamed;
        } else if (alerted < ALERTS_PER_HOUR) {
          alerted++;
          result.updateNow.push({ flagCase: now, added: unnamed });
        } else {
          holdBack();
        }
        continue;
      }
    }
    const { candidate: raised } = plan;
    const firstPost = raised.evidence.posts[0]!;
    const share = /^\d+$/.test(firstPost) ? await env.tx.likes.getShare(Number(firstPost)) : null;
    const created = await moderation.createCase({
      groupId, chatId: share?.chatId ?? groupId, kind: raised.kind, evidenceKey: await evidenceKey(raised), evidence: raised.evidence, createdAt: env.now, members: raised.members,
    });
    if (!created) continue;
    existing.push(created);
    if (alerted < ALERTS_PER_HOUR) {
      alerted++;
      await moderation.markAlerted([created.id], env.now);
      await moderation.recordNotice({ caseId: created.id, groupId, kind: 'alert', accounts: created.members.map((m) => m.memberId), at: env.now });
      result.alertNow.push({ ...created, alertedAt: env.now, members: created.members.map((m) => ({ ...m, announced: true })) });
    } else {
      holdBack();
    }
  }
  for (const update of result.updateNow) {
    await moderation.recordNotice({ caseId: update.flagCase.id, groupId, kind: 'update', accounts: update.added, at: env.now });
  }
  return result;
}
