/**
 * One scan of a group's stored history by the fake-engagement detector, turning its flags into cases. Scans of
 * one group are serialised (a lock per group) and each case's evidence key is unique per group, so two processes
 * scanning at once raise one case; evidence already covered by a case (open, dismissed or confirmed) is never
 * raised again. At most ALERTS_PER_HOUR cases are alerted one by one per group and hour; the rest wait for the
 * digest job.
 */
import type { UseCaseEnv } from '../context.js';
import type { ScheduledJob } from '../ports.js';
import { detectFakeEngagement, type Flag, type FlagEvidence, type FlagKind } from './detect.js';
import type { FlagCaseRecord } from './moderation-store.js';

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

interface Candidate {
  kind: FlagKind;
  evidence: FlagEvidence;
  members: { memberId: string; score: number; reasons: string[] }[];
}

/** The detector's flags grouped by case: one candidate per case, its evidence from its first flag. */
export function candidates(flags: Flag[]): Candidate[] {
  const byCase = new Map<string, Candidate>();
  for (const flag of flags) {
    const found = byCase.get(flag.case);
    const member = { memberId: flag.user, score: flag.score, reasons: flag.reasons };
    if (found) found.members.push(member);
    else byCase.set(flag.case, { kind: flag.kind, evidence: flag.evidence, members: [member] });
  }
  return [...byCase.values()];
}

/** The case's identity: its kind, shares and accounts, sorted (the detector's case names change between scans). */
export function evidenceKey(candidate: Candidate): string {
  const accounts = [...new Set(candidate.members.map((m) => m.memberId))].sort();
  const posts = [...new Set(candidate.evidence.posts)].sort();
  return `${candidate.kind}|${posts.join(',')}|${accounts.join(',')}`;
}

/** Whether a stored case already holds this evidence: all its accounts and shares, whatever was decided. */
function covered(candidate: Candidate, cases: FlagCaseRecord[]): boolean {
  return cases.some((c) => {
    const accounts = new Set(c.members.map((m) => m.memberId));
    const posts = new Set(c.evidence.posts);
    return candidate.members.every((m) => accounts.has(m.memberId)) && candidate.evidence.posts.every((p) => posts.has(p));
  });
}

export interface ScanResult {
  /** New cases to alert now, one message each (already marked alerted). */
  alertNow: FlagCaseRecord[];
  /** New cases held back for the digest. */
  heldBack: number;
}

/** Scans one group and records new cases; the caller alerts `alertNow` after the commit. */
export async function scanGroup(env: UseCaseEnv, groupId: string): Promise<ScanResult> {
  const result: ScanResult = { alertNow: [], heldBack: 0 };
  const group = await env.tx.getGroup(groupId);
  if (!group) return result;
  await env.tx.moderation.lockScans(groupId);
  env.out.schedule(scanJob(groupId, new Date(env.now.getTime() + SCAN_INTERVAL_MS)));

  const report = detectFakeEngagement(await env.tx.moderation.history(groupId));
  const existing = await env.tx.moderation.listCases(groupId);
  let alerted = await env.tx.moderation.countAlertedSince(groupId, new Date(env.now.getTime() - HOUR_MS));
  for (const candidate of candidates(report.flagged)) {
    if (candidate.evidence.posts.length === 0 || covered(candidate, existing)) continue;
    const firstPost = candidate.evidence.posts[0]!;
    const share = /^\d+$/.test(firstPost) ? await env.tx.likes.getShare(Number(firstPost)) : null;
    const created = await env.tx.moderation.createCase({
      groupId, chatId: share?.chatId ?? groupId, kind: candidate.kind, evidenceKey: evidenceKey(candidate), evidence: candidate.evidence, createdAt: env.now, members: candidate.members,
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
