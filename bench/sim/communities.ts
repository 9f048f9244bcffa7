/**
 * A simulated community with honest activity and planted fake engagement, for the fake-engagement detector's
 * tests and benchmark (bench/likes-scan.bench.ts). Fixed seed, same world on every machine. What it holds:
 * - honest members with heavy-tailed activity (a few very active ones), most joined before the history starts,
 *   the rest during it; shares by activity-weighted authors; likes by activity-weighted members, hours after the
 *   share (exponential), with about 1% viral shares drawing ten to thirty times the likes;
 * - friend squads: 4-8 honest members who like each other's shares minutes after they appear, most of the time;
 * - like rounds and like tasks the bot ran (a `round` event each): 10-40 honest members liking each other's dropped
 *   shares, or a task's shares, inside the window;
 * - sock puppets: 3-5 fresh accounts liking one owner's shares seconds after one another, and a popular share or
 *   two as camouflage;
 * - rings: 10-60 accounts (a third of them older honest members) liking the same 10-25 customers' shares within
 *   minutes (tight) or over hours (loose), with camouflage likes on popular shares;
 * - bought bursts: 15-60 accounts joining minutes before liking one share, then silent (a few like one popular share).
 */
import type { HistoryEvent } from '../../core/moderation/detect.js';
import { seededRandom, type Random } from './random.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
export const COMMUNITY_EPOCH = Date.UTC(2026, 0, 1);

export type FakeKind = 'puppets' | 'ring' | 'burst';

export interface CommunityOptions {
  seed: number;
  members: number;
  shares: number;
  /** Honest likes, roughly (planted ones come on top). */
  likes: number;
  days?: number;
  squads?: number;
  rounds?: number;
  tasks?: number;
  puppetCases?: number;
  rings?: number;
  bursts?: number;
}

export interface Community {
  events: HistoryEvent[];
  /** Every planted fake account and its kind. */
  fakes: Map<string, FakeKind>;
  /** Honest accounts the detector must leave alone, by why they might look suspicious. */
  squadMembers: Set<string>;
  roundMembers: Set<string>;
  veryActive: Set<string>;
}

/** Cumulative weights for picking by weight in O(log n). */
function weightedPicker(random: Random, weights: number[]): () => number {
  const cumulative = new Float64Array(weights.length);
  let total = 0;
  weights.forEach((w, i) => (cumulative[i] = total += w));
  return () => {
    const x = random.next() * total;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! > x) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  };
}

export function simulateCommunity(options: CommunityOptions): Community {
  const random = seededRandom(options.seed);
  const days = options.days ?? 60;
  const end = COMMUNITY_EPOCH + days * DAY;
  const scale = options.members / 10_000;
  const count = (given: number | undefined, per10k: number) => given ?? Math.max(1, Math.round(per10k * scale));
  const events: HistoryEvent[] = [];
  const chat = 'g1';
  const fakes = new Map<string, FakeKind>();
  const squadMembers = new Set<string>();
  const roundMembers = new Set<string>();
  const uniform = (from: number, to: number) => from + random.next() * (to - from);

  // Honest members.
  const joined: number[] = [];
  const activity: number[] = [];
  for (let m = 0; m < options.members; m++) {
    joined.push(random.next() < 0.75 ? COMMUNITY_EPOCH - uniform(1, 720) * DAY : uniform(COMMUNITY_EPOCH, end - DAY));
    activity.push(Math.exp(random.normal(0, 1.2)));
    events.push({ type: 'member', user: `m${m}`, chat, at: new Date(joined[m]!) });
  }
  for (let m = 0; m < options.members; m++) {
    for (let k = Math.floor(random.exponential(1) * Math.min(3, activity[m]!)); k > 0; k--) {
      const at = uniform(Math.max(COMMUNITY_EPOCH, joined[m]!), end);
      events.push({ type: 'purchase', user: `m${m}`, chat, amount: Math.round(uniform(10, 200)), at: new Date(at) });
    }
  }
  const byActivity = [...activity.keys()].sort((a, b) => activity[b]! - activity[a]!);
  const veryActive = new Set(byActivity.slice(0, Math.ceil(options.members / 100)).map((m) => `m${m}`));
  const pickMember = weightedPicker(random, activity);

  // Shares and honest likes.
  const postAt: number[] = [];
  const postAuthor: number[] = [];
  const postLikes: number[] = [];
  let posts = 0;
  const like = (post: number, user: string, at: number) => {
    if (at < end) events.push({ type: 'like', post: `p${post}`, user, at: new Date(at) });
  };
  const share = (author: number | string, at: number) => {
    const p = posts++;
    postAt.push(at);
    postAuthor.push(typeof author === 'number' ? author : -1);
    postLikes.push(0);
    events.push({ type: 'post', post: `p${p}`, author: typeof author === 'number' ? `m${author}` : author, chat, at: new Date(at) });
    return p;
  };
  const likesPerShare = options.likes / options.shares;
  const appeal: number[] = [];
  for (let s = 0; s < options.shares; s++) {
    let author = pickMember();
    for (let tries = 0; tries < 5 && joined[author]! > end - DAY; tries++) author = pickMember();
    share(author, uniform(Math.max(COMMUNITY_EPOCH, joined[author]!), end));
    appeal.push(random.next() < 0.01 ? uniform(10, 30) : random.gamma(2, 2));
  }
  const meanAppeal = appeal.reduce((a, b) => a + b, 0) / appeal.length;
  for (let p = 0; p < options.shares; p++) {
    const wanted = Math.round((appeal[p]! / meanAppeal) * likesPerShare);
    const seen = new Set<number>([postAuthor[p]!]);
    for (let k = 0; k < wanted; k++) {
      const at = postAt[p]! + random.exponential(1 / (5 * HOUR));
      const m = pickMember();
      if (seen.has(m) || joined[m]! > at) continue;
      seen.add(m);
      postLikes[p]!++;
      like(p, `m${m}`, at);
    }
  }
  const popular = [...postLikes.keys()].sort((a, b) => postLikes[b]! - postLikes[a]!).slice(0, Math.max(20, Math.ceil(options.shares / 200)));
  const camouflage = (user: string, from: number, n: number) => {
    for (let k = 0; k < n; k++) {
      const p = random.pick(popular);
      like(p, user, Math.max(postAt[p]!, from) + uniform(0, 2 * DAY));
    }
  };
  const oldMember = () => {
    for (;;) {
      const m = Math.floor(random.next() * options.members);
      if (joined[m]! < COMMUNITY_EPOCH && !squadMembers.has(`m${m}`)) return m;
    }
  };

  // Friend squads: older members who like each other's shares within minutes, often.
  for (let s = 0; s < count(options.squads, 15); s++) {
    const squad = Array.from({ length: 4 + Math.floor(random.next() * 5) }, oldMember);
    for (const m of squad) squadMembers.add(`m${m}`);
    for (let k = 0; k < 6 + Math.floor(random.next() * 10); k++) {
      const author = random.pick(squad);
      const p = share(author, uniform(COMMUNITY_EPOCH, end));
      for (const m of squad) if (m !== author && random.next() < 0.8) like(p, `m${m}`, postAt[p]! + random.exponential(1 / (8 * MINUTE)));
    }
  }

  // Like rounds (members drop shares and like each other's) and like tasks (members like the task's shares).
  const sanctioned = (kind: 'round' | 'task') => {
    const start = uniform(COMMUNITY_EPOCH, end - 2 * DAY);
    const length = kind === 'round' ? 2 * HOUR : DAY;
    const people = Array.from({ length: 10 + Math.floor(random.next() * 30) }, oldMember);
    for (const m of people) roundMembers.add(`m${m}`);
    const shares = kind === 'round' ? people.map((m) => share(m, start + uniform(0, 10 * MINUTE))) : Array.from({ length: 5 + Math.floor(random.next() * 6) }, () => share(oldMember(), start));
    events.push({ type: 'round', chat, posts: shares.map((p) => `p${p}`), start: new Date(start), end: new Date(start + length) });
    for (const p of shares) for (const m of people) if (postAuthor[p] !== m && random.next() < 0.85) like(p, `m${m}`, start + 10 * MINUTE + uniform(0, length - 10 * MINUTE));
  };
  for (let r = 0; r < count(options.rounds, 4); r++) sanctioned('round');
  for (let r = 0; r < count(options.tasks, 4); r++) sanctioned('task');

  let fakeId = 0;
  const freshAccount = (kind: FakeKind, at: number) => {
    const user = `x${fakeId++}`;
    fakes.set(user, kind);
    events.push({ type: 'member', user, chat, at: new Date(at) });
    return user;
  };

  // Sock puppets: fresh alts liking one owner's shares seconds apart.
  for (let c = 0; c < count(options.puppetCases, 6); c++) {
    const owner = oldMember();
    const start = uniform(COMMUNITY_EPOCH, end - 20 * DAY);
    const alts = Array.from({ length: 3 + Math.floor(random.next() * 3) }, () => freshAccount('puppets', start - uniform(1, 5) * DAY));
    for (const alt of alts) camouflage(alt, start, 1 + Math.floor(random.next() * 2));
    for (let k = 0; k < 5 + Math.floor(random.next() * 8); k++) {
      const p = share(owner, start + uniform(0, 18 * DAY));
      let at = postAt[p]! + uniform(1, 20) * MINUTE;
      for (const alt of alts) {
        if (random.next() < 0.9) like(p, alt, at);
        at += uniform(3, 40) * 1000;
      }
    }
  }

  // Rings: fresh and older accounts liking the same customers' shares, tight or loose, with camouflage.
  for (let r = 0; r < count(options.rings, 3); r++) {
    const loose = r % 2 === 1;
    const start = uniform(COMMUNITY_EPOCH, end - 20 * DAY);
    const size = 10 + Math.floor(random.next() * 51);
    const ring: string[] = [];
    for (let k = 0; k < size; k++) {
      if (random.next() < 1 / 3) {
        const user = `m${oldMember()}`;
        if (fakes.has(user) || roundMembers.has(user)) continue;
        fakes.set(user, 'ring');
        ring.push(user);
      } else ring.push(freshAccount('ring', start - uniform(1, 20) * DAY));
    }
    for (const user of ring) camouflage(user, start, 5 + Math.floor(random.next() * 10));
    for (let t = 0; t < 10 + Math.floor(random.next() * 16); t++) {
      const customer = oldMember();
      const p = share(customer, start + uniform(0, 18 * DAY));
      const go = postAt[p]! + uniform(5, 60) * MINUTE;
      for (const user of ring) if (random.next() < 0.75) like(p, user, go + (loose ? uniform(0, 4 * HOUR) : uniform(0, 8 * MINUTE)));
    }
  }

  // Bought bursts: fresh accounts joining minutes before liking one share, then silent.
  for (let b = 0; b < count(options.bursts, 4); b++) {
    const p = Math.floor(random.next() * options.shares);
    const at = Math.min(end - 2 * HOUR, postAt[p]! + uniform(0, 6 * HOUR));
    const size = 15 + Math.floor(random.next() * 46);
    for (let k = 0; k < size; k++) {
      const joinAt = at + uniform(0, 40) * MINUTE;
      const user = freshAccount('burst', joinAt);
      like(p, user, joinAt + uniform(1, 12) * MINUTE);
      if (random.next() < 0.2) camouflage(user, joinAt, 1);
    }
  }

  // Stable time order (the detector and the command line read a file in time order).
  const at = (e: HistoryEvent) => (e.type === 'round' ? e.start : e.at).getTime();
  const keyed = events.map((e, i) => ({ e, t: at(e), i }));
  keyed.sort((a, b) => a.t - b.t || a.i - b.i);
  return { events: keyed.map((k) => k.e), fakes, squadMembers, roundMembers, veryActive };
}
