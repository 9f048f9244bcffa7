/**
 * Fake-engagement detection over a group's like history: pure functions shared by the bot (core/moderation) and the
 * `likes:scan` command line. No database, no clock. Every flag carries its reasons and evidence so a moderator can
 * judge it.
 *
 * This first version only states the API with a deliberately simple body (fresh accounts that like one author's
 * shares within minutes of each other); the detection work of issue 9 replaces the bodies, keeping these names.
 */

const MINUTE_MS = 60_000;

/** What the detector reads: the group's history in time order (the `likes:scan` event lines, typed). */
export type HistoryEvent =
  | { type: 'member'; user: string; chat: string; at: Date }
  | { type: 'post'; post: string; author: string; chat: string; at: Date }
  | { type: 'like'; post: string; user: string; at: Date }
  | { type: 'unlike'; post: string; user: string; at: Date }
  | { type: 'purchase'; user: string; chat: string; at: Date; amount?: number; product?: string; quantity?: number }
  /** A like round or like task the bot itself ran: sanctioned context, not evidence. */
  | { type: 'round'; chat: string; posts: string[]; start: Date; end: Date };

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
}

export interface DetectOptions {
  /** Only flags at or above this score are reported (default 0.5). */
  minScore?: number;
}

/** Scans a history (in time order) and returns the accounts to flag, grouped into cases. */
export function detectFakeEngagement(events: Iterable<HistoryEvent>, options: DetectOptions = {}): ScanReport {
  const minScore = options.minScore ?? 0.5;
  const joined = new Map<string, Date>();
  const authorOf = new Map<string, string>();
  const likes = new Map<string, { user: string; at: Date }[]>();
  for (const event of events) {
    if (event.type === 'member') joined.set(event.user, event.at);
    else if (event.type === 'post') authorOf.set(event.post, event.author);
    else if (event.type === 'like') likes.set(event.post, [...(likes.get(event.post) ?? []), { user: event.user, at: event.at }]);
  }
  // Fresh accounts (joined within a day of their like) liking one share within 10 minutes of each other.
  const flagged: Flag[] = [];
  let cases = 0;
  for (const [post, list] of likes) {
    const fresh = list.filter((l) => {
      const at = joined.get(l.user);
      return at !== undefined && l.at.getTime() - at.getTime() < 24 * 60 * MINUTE_MS;
    });
    if (fresh.length < 3) continue;
    const span = fresh.at(-1)!.at.getTime() - fresh[0]!.at.getTime();
    if (span > 10 * MINUTE_MS) continue;
    const id = `c${++cases}`;
    const accounts = [...new Set(fresh.map((l) => l.user))];
    for (const user of accounts) {
      const score = 0.6;
      if (score < minScore) continue;
      flagged.push({
        user, score, kind: 'burst', case: id,
        reasons: [`one of ${accounts.length} accounts that joined within a day and liked share ${post} within ${Math.round(span / 1000)} s`],
        evidence: { accounts, posts: [post], authors: [authorOf.get(post) ?? ''] },
      });
    }
  }
  return { flagged };
}
