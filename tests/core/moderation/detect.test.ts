import { describe, expect, it } from 'vitest';
import { detectFakeEngagement, type HistoryEvent } from '../../../core/moderation/detect.js';
import { seededRandom } from '../../../bench/sim/random.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const T0 = Date.UTC(2026, 2, 1);
const at = (ms: number) => new Date(T0 + ms);

/** A small honest group: 40 older members, 30 shares over ten days, each liked by eight random members hours apart. */
function background(): HistoryEvent[] {
  const random = seededRandom(11);
  const events: HistoryEvent[] = [];
  for (let m = 0; m < 40; m++) events.push({ type: 'member', user: `m${m}`, chat: 'g1', at: new Date(T0 - 200 * DAY) });
  for (let p = 0; p < 30; p++) {
    const posted = p * 8 * HOUR;
    events.push({ type: 'post', post: `b${p}`, author: `m${p % 40}`, chat: 'g1', at: at(posted) });
    const likers = new Set<number>();
    while (likers.size < 8) likers.add(Math.floor(random.next() * 40));
    for (const m of likers) events.push({ type: 'like', post: `b${p}`, user: `m${m}`, at: at(posted + random.exponential(1 / (6 * HOUR))) });
  }
  return events;
}

const scan = (events: HistoryEvent[]) => {
  const sorted = [...events].sort((a, b) => (a.type === 'round' ? a.start : a.at).getTime() - (b.type === 'round' ? b.start : b.at).getTime());
  return detectFakeEngagement(sorted).flagged;
};
const member = (user: string, ms: number): HistoryEvent => ({ type: 'member', user, chat: 'g1', at: at(ms) });
const post = (id: string, author: string, ms: number): HistoryEvent => ({ type: 'post', post: id, author, chat: 'g1', at: at(ms) });
const like = (id: string, user: string, ms: number): HistoryEvent => ({ type: 'like', post: id, user, at: at(ms) });

/** `accounts` like each of `shares` (posted by `authorOf`) within seconds of one another. */
function lockstep(accounts: string[], shares: string[], authorOf: (i: number) => string, firstAt: number, gapMs: number): HistoryEvent[] {
  const events: HistoryEvent[] = [];
  shares.forEach((id, i) => {
    const posted = firstAt + i * 20 * HOUR;
    events.push(post(id, authorOf(i), posted));
    accounts.forEach((user, k) => events.push(like(id, user, posted + 5 * MINUTE + k * gapMs)));
  });
  return events;
}

describe('detectFakeEngagement', () => {
  it('leaves an honest group alone', () => {
    expect(scan(background())).toEqual([]);
  });

  it('flags sock puppets liking one owner’s shares seconds apart, with the owner, the shares and the accounts’ ages', () => {
    const alts = ['alt1', 'alt2', 'alt3'];
    const shares = ['o1', 'o2', 'o3', 'o4', 'o5'];
    const events = [...background(), ...alts.map((a) => member(a, -2 * DAY)), ...lockstep(alts, shares, () => 'm5', 0, 20_000)];
    const flagged = scan(events);
    expect(flagged.map((f) => f.user).sort()).toEqual(alts);
    for (const flag of flagged) {
      expect(flag).toMatchObject({ kind: 'puppets', case: flagged[0]!.case });
      expect(flag.score).toBeGreaterThanOrEqual(0.5);
      expect(flag.evidence).toMatchObject({ owner: 'm5', authors: ['m5'], medianGapSeconds: 20 });
      expect([...flag.evidence.accounts].sort()).toEqual(alts);
      expect([...flag.evidence.posts].sort()).toEqual(shares);
      expect(flag.evidence.accountAgeHours![flag.user]).toBeGreaterThanOrEqual(48);
      expect(flag.evidence.otherActivity![flag.user]).toEqual({ likes: 0, posts: 0, purchases: 0 });
      expect(flag.reasons.join(' ')).toContain("m5's shares");
    }
  });

  it('flags a ring liking the same customers’ shares in lockstep, older members and camouflage included', () => {
    const ring = Array.from({ length: 12 }, (_, k) => (k < 4 ? `m${20 + k}` : `r${k}`));
    const shares = ['t1', 't2', 't3', 't4', 't5', 't6'];
    const events = [...background(), ...ring.filter((u) => u.startsWith('r')).map((u) => member(u, -5 * DAY))];
    events.push(...lockstep(ring, shares, (i) => `c${i}`, 12 * HOUR, 30_000));
    for (const user of ring) for (const p of ['b1', 'b2']) events.push(like(p, user, 3 * DAY + ring.indexOf(user) * 3 * HOUR));
    const flagged = scan(events);
    expect(flagged.map((f) => f.user).sort()).toEqual([...ring].sort());
    expect(new Set(flagged.map((f) => f.case)).size).toBe(1);
    expect(flagged[0]!.kind).toBe('ring');
    expect([...flagged[0]!.evidence.posts].sort()).toEqual(shares);
    expect(flagged[0]!.evidence.authors.sort()).toEqual(['c0', 'c1', 'c2', 'c3', 'c4', 'c5']);
  });

  it('flags a bought burst: newcomers liking one share minutes after joining, then silent', () => {
    const events = [...background()];
    for (let k = 0; k < 12; k++) {
      events.push(member(`n${k}`, 40 * HOUR + k * MINUTE));
      events.push(like('b5', `n${k}`, 40 * HOUR + k * MINUTE + 3 * MINUTE));
    }
    const flagged = scan(events);
    expect(flagged.map((f) => f.user).sort()).toEqual(Array.from({ length: 12 }, (_, k) => `n${k}`).sort());
    expect(flagged[0]).toMatchObject({ kind: 'burst', evidence: { posts: ['b5'], authors: ['m5'] } });
    expect(flagged[0]!.evidence.accountAgeHours!.n0).toBe(0.1);
  });

  it('leaves a friend squad alone: friends liking each other’s shares within minutes, often', () => {
    const squad = ['m30', 'm31', 'm32', 'm33', 'm34'];
    const events = [...background()];
    for (let i = 0; i < 10; i++) {
      const author = squad[i % squad.length]!;
      events.push(post(`f${i}`, author, i * 18 * HOUR + HOUR));
      squad.filter((u) => u !== author).forEach((u, k) => events.push(like(`f${i}`, u, i * 18 * HOUR + HOUR + (k + 1) * 2 * MINUTE)));
    }
    expect(scan(events)).toEqual([]);
  });

  it('leaves a like round the bot ran alone, while the same likes without the round would be a ring', () => {
    const people = Array.from({ length: 15 }, (_, k) => `m${k + 10}`);
    const start = 2 * DAY;
    const likes: HistoryEvent[] = [];
    const shares = ['q1', 'q2', 'q3', 'q4', 'q5'];
    shares.forEach((id, i) => {
      likes.push(post(id, `m${i}`, start + i * MINUTE));
      people.forEach((u, k) => likes.push(like(id, u, start + 10 * MINUTE + i * 5 * MINUTE + k * 20_000)));
    });
    const round: HistoryEvent = { type: 'round', chat: 'g1', posts: shares, start: at(start), end: at(start + 2 * HOUR) };
    expect(scan([...background(), round, ...likes])).toEqual([]);
    expect(scan([...background(), ...likes]).length).toBeGreaterThan(0);
  });

  it('leaves a viral share and a very active member alone', () => {
    const events = [...background()];
    for (let k = 0; k < 40; k++) events.push(like('b3', `v${k}`, 24 * HOUR + k * 30_000), member(`v${k}`, -100 * DAY));
    for (let p = 0; p < 30; p++) events.push(like(`b${p}`, 'busy', p * 8 * HOUR + 10 * MINUTE));
    events.push(member('busy', -300 * DAY));
    expect(scan(events)).toEqual([]);
  });

  it('drops a like that was undone, and counts contradictions instead of failing', () => {
    const base = background();
    const liked = base.find((e): e is Extract<HistoryEvent, { type: 'like' }> => e.type === 'like')!;
    const events = [...base, like(liked.post, liked.user, 9 * DAY), { type: 'unlike', post: 'b1', user: 'zz', at: at(9 * DAY) } as HistoryEvent];
    events.push(like('nowhere', 'm2', 10 * DAY), post('b1', 'm9', 11 * DAY));
    const report = detectFakeEngagement(events);
    expect(report.problems).toEqual({ unknownPosts: 1, repeatedLikes: 1, unlikesWithoutLike: 1, repeatedDefinitions: 1, likesBeforePost: 0, actedBeforeJoining: 0, repeatedPurchases: 0 });
    const undone = detectFakeEngagement([...base, { type: 'unlike', post: liked.post, user: liked.user, at: at(20 * DAY) }]);
    expect(undone.problems).toEqual({ unknownPosts: 0, repeatedLikes: 0, unlikesWithoutLike: 0, repeatedDefinitions: 0, likesBeforePost: 0, actedBeforeJoining: 0, repeatedPurchases: 0 });
  });
});
