/**
 * A case in a moderator's words: the alert (evidence and buttons), the Members view, and a one-line summary for
 * lists and digests. Worded from the case's evidence, never from the detector's English reasons (those are shown
 * as they are only in the Members view).
 */
import { t } from '../i18n/translate.js';
import type { Language } from '../kernel/language.js';
import type { Button } from '../replies.js';
import type { StoreTx } from '../store.js';
import type { FlagEvidence, FlagKind } from './detect.js';
import type { FlagCaseRecord } from './moderation-store.js';
import { textSignalsOf } from './text-evidence.js';

/** The cases a case grew out of: decided cases of the same cluster it holds what is new to (`evidence.follows`). */
export function followsOf(evidence: FlagEvidence): number[] {
  return Array.isArray(evidence.follows) ? evidence.follows.filter((id): id is number => typeof id === 'number') : [];
}

/** Cases with more accounts than this have their ages and other activity summarised, not listed, in the alert. */
const LISTED_ACCOUNTS = 6;

export function kindName(kind: FlagKind, lang: Language): string {
  return t(lang, kind === 'puppets' ? 'flag.kind_puppets' : kind === 'ring' ? 'flag.kind_ring' : 'flag.kind_burst');
}

/** Display names of members by id (authors are not the case's members). */
async function namesOf(tx: StoreTx, ids: string[]): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  for (const id of new Set(ids)) names.set(id, (await tx.getMember(id))?.displayName ?? id);
  return names;
}

export function caseButtons(flagCase: Pick<FlagCaseRecord, 'id' | 'status'>, lang: Language): Button[][] {
  const members: Button = { label: t(lang, 'flag.button_members'), action: `mod:members:${flagCase.id}` };
  if (flagCase.status !== 'open') return [[members]];
  return [
    [
      { label: t(lang, 'flag.button_dismiss'), action: `mod:dismiss:${flagCase.id}`, style: 'secondary' },
      { label: t(lang, 'flag.button_confirm'), action: `mod:confirm:${flagCase.id}`, style: 'danger' },
    ],
    [members],
  ];
}

export async function statusText(tx: StoreTx, flagCase: FlagCaseRecord, lang: Language): Promise<string> {
  if (flagCase.status === 'open') return t(lang, 'flag.status_open');
  const by = flagCase.handledById ? ((await tx.getMember(flagCase.handledById))?.displayName ?? flagCase.handledById) : '?';
  return t(lang, flagCase.status === 'dismissed' ? 'flag.status_dismissed' : 'flag.status_confirmed', { by });
}

/** The alert a moderator gets: what happened, in words, and the decision buttons. */
export async function renderCase(tx: StoreTx, flagCase: FlagCaseRecord, lang: Language, groupTitle: string): Promise<{ text: string; buttons: Button[][] }> {
  const { evidence } = flagCase;
  const names = await namesOf(tx, [...evidence.authors, ...flagCase.members.map((m) => m.memberId)]);
  const name = (id: string) => names.get(id) ?? id;
  const lines = [
    t(lang, 'flag.alert_title', { group: groupTitle, id: flagCase.id, kind: kindName(flagCase.kind, lang) }),
    t(lang, 'flag.alert_summary', { accounts: evidence.accounts.length, posts: evidence.posts.join(', '), authors: evidence.authors.filter(Boolean).map(name).join(', ') || '?' }),
  ];
  if (evidence.medianGapSeconds !== undefined) lines.push(t(lang, 'flag.alert_gap', { seconds: Math.round(evidence.medianGapSeconds) }));
  const ages = Object.entries(evidence.accountAgeHours ?? {});
  const other = Object.entries(evidence.otherActivity ?? {});
  if (ages.length > LISTED_ACCOUNTS) {
    // A large case in figures (the picture shows each account's age).
    const hours = ages.map(([, h]) => h);
    lines.push(t(lang, 'flag.alert_ages_range', { from: Math.min(...hours).toFixed(1), to: Math.max(...hours).toFixed(1), fresh: hours.filter((h) => h < 24).length, accounts: ages.length }));
  } else if (ages.length) {
    lines.push(t(lang, 'flag.alert_ages', { list: ages.map(([id, hours]) => t(lang, 'flag.age_hours', { name: name(id), hours: hours.toFixed(1) })).join(', ') }));
  }
  if (other.length > LISTED_ACCOUNTS) {
    const sum = (pick: (a: { likes: number; posts: number; purchases: number }) => number) => other.reduce((n, [, a]) => n + pick(a), 0);
    const quiet = other.filter(([, a]) => a.likes + a.posts + a.purchases === 0).length;
    lines.push(t(lang, 'flag.alert_other_summary', { quiet, accounts: other.length, likes: sum((a) => a.likes), posts: sum((a) => a.posts), purchases: sum((a) => a.purchases) }));
  } else if (other.length) {
    lines.push(t(lang, 'flag.alert_other', { list: other.map(([id, a]) => t(lang, 'flag.other_activity', { name: name(id), ...a })).join('; ') }));
  }
  for (const signal of textSignalsOf(evidence)) lines.push(t(lang, 'flag.alert_texts', { accounts: signal.accounts.length, sample: signal.sample }));
  const earlier: string[] = [];
  for (const id of followsOf(evidence)) {
    const decided = await tx.moderation.getCase(id);
    if (decided) earlier.push(t(lang, 'flag.follows_case', { id, status: await statusText(tx, decided, lang) }));
  }
  if (earlier.length) lines.push(t(lang, 'flag.follows', { cases: earlier.join(', ') }));
  if (flagCase.status === 'open') lines.push(t(lang, 'flag.alert_hint'));
  else lines.push(await statusText(tx, flagCase, lang));
  return { text: lines.join('\n'), buttons: caseButtons(flagCase, lang) };
}

/** Who is in the case and which shares: the Members button. */
export async function renderMembers(tx: StoreTx, flagCase: FlagCaseRecord, lang: Language): Promise<string> {
  const lines = [t(lang, 'flag.members_title', { id: flagCase.id })];
  // Reasons every member shares are said once (a ring of sixty would repeat them sixty times); each line keeps its own.
  const common = flagCase.members.length > 1 ? flagCase.members[0]!.reasons.filter((r) => flagCase.members.every((m) => m.reasons.includes(r))) : [];
  if (common.length) lines.push(t(lang, 'flag.members_common', { reasons: common.join('; ') }));
  for (const m of flagCase.members) {
    const own = m.reasons.filter((r) => !common.includes(r));
    const who = { name: m.displayName, username: m.username ? ` @${m.username}` : '', score: m.score.toFixed(2) };
    lines.push(own.length ? t(lang, 'flag.members_line', { ...who, reasons: own.join('; ') }) : t(lang, 'flag.members_line_plain', who));
  }
  const shares: string[] = [];
  for (const post of flagCase.evidence.posts) {
    const share = /^\d+$/.test(post) ? await tx.likes.getShare(Number(post)) : null;
    const author = share ? ((await tx.getMember(share.memberId))?.displayName ?? share.memberId) : '?';
    shares.push(t(lang, 'flag.share_of', { id: post, author }));
  }
  lines.push(t(lang, 'flag.members_shares', { list: shares.join(', ') }));
  return lines.join('\n');
}

/** One line per case, for /flags and digests. */
export function caseLine(flagCase: FlagCaseRecord, lang: Language): string {
  return t(lang, 'flag.flags_line', { id: flagCase.id, kind: kindName(flagCase.kind, lang), accounts: flagCase.members.length, posts: flagCase.evidence.posts.join(', ') });
}
