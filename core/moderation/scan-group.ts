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
import type { ScheduledJob } from '../ports.js';
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
  };
  const members = [...stored.members.map(({ memberId, score, reasons }) => ({ memberId, score, reasons }))];
  for (const m of candidate.members) if (!members.some((o) => o.memberId === m.memberId)) members.push(m);
  return { kind: stored.kind, evidence, members };
}

export interface ScanResult {
  /** New cases to alert now, one message each (already marked alerted). */
  alertNow: FlagCaseRecord[];
  /** New cases held back for the digest. */
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
  if (!(await store.getGroup(groupId))) return { alertNow: [], heldBack: 0 };
  const report = detectFakeEngagement(await store.moderation.history(groupId));
  // Evidence a case already holds needs no more thought (and no LLM call); the transaction checks again under the lock.
  const known = await store.moderation.listCases(groupId);
  const fresh: CaseCandidate[] = [];
  for (const candidate of candidates(report.flagged)) {
    if (candidate.evidence.posts.length === 0 || covered(candidate, known)) continue;
    fresh.push(options.textSimilarity ? await withTextSignals(store, groupId, candidate, options.textSimilarity, services.logger) : candidate);
  }
  return services.transact((env) => recordCases(env, groupId, fresh));
}

/** Records the candidates no stored case covers, under the group's scan lock, and schedules the next scan. */
export async function recordCases(env: UseCaseEnv, groupId: string, found: CaseCandidate[]): Promise<ScanResult> {
  const result: ScanResult = { alertNow: [], heldBack: 0 };
  await env.tx.moderation.lockScans(groupId);
  env.out.schedule(scanJob(groupId, new Date(env.now.getTime() + SCAN_INTERVAL_MS)));
  const existing = await env.tx.moderation.listCases(groupId);
  let alerted = await env.tx.moderation.countAlertedSince(groupId, new Date(env.now.getTime() - HOUR_MS));
  for (const candidate of found) {
    if (covered(candidate, existing)) continue;
    // A cluster still growing (a burst still buying, a ring recruiting) while its case is open is that case, grown:
    // no second alert. Once decided, new accounts or shares are new evidence, raised as a case of their own.
    const open = existing.find((c) => c.status === 'open' && c.kind === candidate.kind && overlaps(candidate, c));
    if (open) {
      const grown = grow(open, candidate);
      const added = grown.members.filter((m) => !open.members.some((o) => o.memberId === m.memberId));
      if (await env.tx.moderation.extendCase(open.id, { evidenceKey: await evidenceKey(grown), evidence: grown.evidence, members: added })) {
        existing[existing.indexOf(open)] = (await env.tx.moderation.getCase(open.id))!;
        continue;
      }
    }
    const firstPost = candidate.evidence.posts[0]!;
    const share = /^\d+$/.test(firstPost) ? await env.tx.likes.getShare(Number(firstPost)) : null;
    const created = await env.tx.moderation.createCase({
      groupId, chatId: share?.chatId ?? groupId, kind: candidate.kind, evidenceKey: await evidenceKey(candidate), evidence: candidate.evidence, createdAt: env.now, members: candidate.members,
    });
    if (!created) continue;
    existing.push(created);
    if (alerted < ALERTS_PER_HOUR) {
      alerted++;
      await env.tx.moderation.markAlerted([created.id], env.now);
      result.alertNow.push({ ...created, alertedAt: env.now });
    } else {
      result.heldBack++;
      env.out.schedule(digestJob(groupId, new Date(env.now.getTime() + HOUR_MS)));
    }
  }
  return result;
}
