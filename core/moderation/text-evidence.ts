/**
 * Text signals as supporting evidence for a case the like history raised (ADR 013): the share and review texts of
 * the case's accounts go to the text-similarity finder (an LLM when one is configured, else the offline finder);
 * near-identical or templated texts across two or more of them add a reason and evidence to the case and raise those
 * accounts' scores a little. They never make a case: only candidates the detector flagged are looked at, and an
 * account the detector did not flag is never added.
 */
import type { Logger } from '../ports.js';
import type { StoreTx } from '../store.js';
import type { FlagEvidence, FlagKind } from './detect.js';
import type { TextSimilarity } from './text-signals.js';

/** How much a flagged account's score rises when it is one of the accounts posting near-identical texts. */
export const TEXT_SIGNAL_BONUS = 0.05;
/** The longest sample text kept in the evidence (and shown in the alert). */
const SAMPLE_CHARS = 60;

/** One cluster of near-identical texts among a case's accounts, as kept in the case's evidence (`textSignals`). */
export interface TextSignal {
  /** The accounts that posted them (two or more, all in the case). */
  accounts: string[];
  /** The texts: `share:<id>`, `review:<id>`. */
  texts: string[];
  /** 0..1, how alike (see TextCluster.similarity). */
  similarity: number;
  /** Who found it: `offline:minhash-3`, `llm:<model>`. */
  source: string;
  /** One of the texts, cut short: what moderators read. */
  sample: string;
}

/** A case before it is stored: the detector's case with its members' scores and reasons. */
export interface CaseCandidate {
  kind: FlagKind;
  evidence: FlagEvidence;
  members: { memberId: string; score: number; reasons: string[] }[];
}

const round = (x: number) => Math.round(x * 100) / 100;
const cut = (text: string) => {
  const chars = [...text.replace(/\s+/g, ' ').trim()];
  return chars.length > SAMPLE_CHARS ? `${chars.slice(0, SAMPLE_CHARS - 1).join('')}…` : chars.join('');
};

/** The text signals a stored case's evidence holds (none for cases without, or evidence of another shape). */
export function textSignalsOf(evidence: FlagEvidence): TextSignal[] {
  const signals = evidence.textSignals;
  if (!Array.isArray(signals)) return [];
  return signals.filter(
    (s): s is TextSignal =>
      typeof s === 'object' && s !== null && Array.isArray(s.accounts) && Array.isArray(s.texts) && typeof s.similarity === 'number' && typeof s.source === 'string' && typeof s.sample === 'string',
  );
}

/**
 * Looks at what the case's accounts wrote and, where two or more posted near-identical texts, returns the candidate
 * with a `textSignals` evidence entry, a reason on each of those accounts and their scores raised by
 * TEXT_SIGNAL_BONUS (at most 1). Candidates without such texts come back as they were. A finder that throws (it
 * should not: the LLM finder falls back offline) costs the signal, never the case.
 */
export async function withTextSignals(tx: StoreTx, groupId: string, candidate: CaseCandidate, finder: TextSimilarity, logger: Logger): Promise<CaseCandidate> {
  const flagged = new Set(candidate.members.map((m) => m.memberId));
  const accounts = [...new Set([...candidate.evidence.accounts, ...flagged])];
  const texts = await tx.moderation.authoredTexts(groupId, accounts);
  if (new Set(texts.map((t) => t.memberId)).size < 2) return candidate;
  let clusters;
  try {
    clusters = await finder.findNearDuplicates(texts);
  } catch (error) {
    logger.warn({ err: error instanceof Error ? error.message : String(error), groupId, finder: finder.name }, 'text similarity failed; the case goes without text signals');
    return candidate;
  }
  const inCase = new Set(accounts);
  const textOf = new Map(texts.map((t) => [t.id, t.text]));
  const signals: TextSignal[] = clusters
    .map((c) => ({ ...c, memberIds: c.memberIds.filter((m) => inCase.has(m)) }))
    .filter((c) => c.memberIds.length >= 2)
    .map((c) => ({ accounts: c.memberIds, texts: c.textIds, similarity: round(c.similarity), source: c.source, sample: cut(textOf.get(c.textIds[0]!) ?? '') }));
  if (signals.length === 0) return candidate;
  const members = candidate.members.map((member) => {
    const mine = signals.filter((s) => s.accounts.includes(member.memberId));
    if (mine.length === 0) return member;
    const reasons = mine.map((s) => `${s.accounts.length} accounts posted near-identical texts (similarity ${s.similarity}, found by ${s.source}), e.g. "${s.sample}"`);
    return { ...member, score: Math.min(1, Math.round((member.score + TEXT_SIGNAL_BONUS) * 1000) / 1000), reasons: [...member.reasons, ...reasons] };
  });
  return { ...candidate, evidence: { ...candidate.evidence, textSignals: signals }, members };
}
