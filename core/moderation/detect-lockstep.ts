/**
 * Lockstep groups: accounts that like the same shares close together in time, again and again.
 *
 * From SynchroTrap: pairs of accounts are compared on their actions matched within a time window (here two likes
 * of one share at most `windowMs` apart). From FRAUDAR: each matched share counts 1/ln(likes + 5), so liking
 * popular shares together (camouflage, or just a viral share) adds little, and the similarity divides by each
 * account's own weighted activity, so very active members do not pair with everyone. From CopyCatch: a group is
 * kept only if its members share a set of shares (each liked by a good part of the group) in lockstep; members
 * that touch too few of them are dropped. Pairs must match on at least `minShared` shares.
 */
import type { PackedHistory } from './detect-history.js';

export interface LockstepOptions {
  windowMs: number;
  minShared: number;
  minSimilarity: number;
  /** Shares with more likes than this are not paired (they weigh almost nothing, and would cost the square). */
  maxShareLikes: number;
}

export const DEFAULT_LOCKSTEP: LockstepOptions = { windowMs: 3 * 3_600_000, minShared: 3, minSimilarity: 0.3, maxShareLikes: 400 };

/** Likes grouped by share (each group in time order) and by account: offsets into one index array each. */
export interface LikeIndex {
  postStart: Int32Array;
  byPost: Int32Array;
  userStart: Int32Array;
  byUser: Int32Array;
  postWeight: Float64Array;
}

function group(keys: Int32Array, count: number, buckets: number): { start: Int32Array; order: Int32Array } {
  const start = new Int32Array(buckets + 1);
  for (let i = 0; i < count; i++) start[keys[i]! + 1]!++;
  for (let b = 0; b < buckets; b++) start[b + 1]! += start[b]!;
  const next = start.slice(0, buckets);
  const order = new Int32Array(count);
  for (let i = 0; i < count; i++) order[next[keys[i]!]!++] = i;
  return { start, order };
}

export function indexLikes(h: PackedHistory): LikeIndex {
  // The packed likes are ordered by share and by time within a share (detect-history.ts), so by share they are
  // already grouped: check that, and fall back to grouping and sorting for a history packed some other way.
  let byShare = true;
  for (let i = 1; i < h.likeCount && byShare; i++) {
    const a = h.likePost[i - 1]!;
    const b = h.likePost[i]!;
    byShare = a < b || (a === b && h.likeAt[i - 1]! <= h.likeAt[i]!);
  }
  let posts: { start: Int32Array; order: Int32Array };
  if (byShare) {
    const start = new Int32Array(h.postIds.length + 1);
    for (let i = 0; i < h.likeCount; i++) start[h.likePost[i]! + 1]!++;
    for (let p = 0; p < h.postIds.length; p++) start[p + 1]! += start[p]!;
    const order = new Int32Array(h.likeCount);
    for (let i = 0; i < h.likeCount; i++) order[i] = i;
    posts = { start, order };
  } else {
    posts = group(h.likePost, h.likeCount, h.postIds.length);
    for (let p = 0; p < h.postIds.length; p++) {
      const from = posts.start[p]!;
      const to = posts.start[p + 1]!;
      let sorted = true;
      for (let i = from + 1; i < to && sorted; i++) sorted = h.likeAt[posts.order[i - 1]!]! <= h.likeAt[posts.order[i]!]!;
      if (!sorted) posts.order.subarray(from, to).sort((a, b) => h.likeAt[a]! - h.likeAt[b]! || a - b);
    }
  }
  const users = group(h.likeUser, h.likeCount, h.userIds.length);
  const postWeight = new Float64Array(h.postIds.length);
  for (let p = 0; p < postWeight.length; p++) postWeight[p] = 1 / Math.log(posts.start[p + 1]! - posts.start[p]! + 5);
  return { postStart: posts.start, byPost: posts.order, userStart: users.start, byUser: users.order, postWeight };
}

/**
 * The likes that can link two accounts, share by share in time order: on shares with 2 to `maxShareLikes` likes,
 * by accounts with at least `minShared` likes. The pairs found over these likes are exactly the pairs over all.
 */
interface PairableLikes {
  /** By position (share by share, time order): the account, the time, the share's weight, the share's range. */
  user: Int32Array;
  at: Float64Array;
  weight: Float64Array;
  from: Int32Array;
  to: Int32Array;
  /** By account: where its likes start when listed by account (a prefix sum of their counts). */
  userStart: Int32Array;
}

function pairableLikes(h: PackedHistory, index: LikeIndex, options: LockstepOptions): PairableLikes {
  const users = h.userIds.length;
  const pairable = (p: number) => {
    const likes = index.postStart[p + 1]! - index.postStart[p]!;
    return likes >= 2 && likes <= options.maxShareLikes;
  };
  const eligible = new Uint8Array(users);
  for (let u = 0; u < users; u++) eligible[u] = index.userStart[u + 1]! - index.userStart[u]! >= options.minShared ? 1 : 0;
  let n = 0;
  for (let p = 0; p < h.postIds.length; p++) {
    if (!pairable(p)) continue;
    for (let i = index.postStart[p]!; i < index.postStart[p + 1]!; i++) n += eligible[h.likeUser[index.byPost[i]!]!]!;
  }
  const out: PairableLikes = {
    user: new Int32Array(n), at: new Float64Array(n), weight: new Float64Array(n), from: new Int32Array(n), to: new Int32Array(n),
    userStart: new Int32Array(users + 1),
  };
  let k = 0;
  for (let p = 0; p < h.postIds.length; p++) {
    if (!pairable(p)) continue;
    const first = k;
    for (let i = index.postStart[p]!; i < index.postStart[p + 1]!; i++) {
      const like = index.byPost[i]!;
      const u = h.likeUser[like]!;
      if (!eligible[u]) continue;
      out.user[k] = u;
      out.at[k] = h.likeAt[like]!;
      out.weight[k] = index.postWeight[p]!;
      out.from[k] = first;
      k++;
      out.userStart[u + 1]!++;
    }
    out.to.fill(k, first, k);
  }
  for (let u = 0; u < users; u++) out.userStart[u + 1]! += out.userStart[u]!;
  return out;
}

/** Accounts linked by strong lockstep pairs, as groups of at least three (each member linked to two others). */
export function lockstepGroups(h: PackedHistory, index: LikeIndex, options: LockstepOptions = DEFAULT_LOCKSTEP): number[][] {
  const users = h.userIds.length;
  const weightedDegree = new Float64Array(users);
  for (let i = 0; i < h.likeCount; i++) weightedDegree[h.likeUser[i]!]! += index.postWeight[h.likePost[i]!]!;

  // Row by row (SynchroTrap's pair comparison as a sparse product): for each account u, every later-numbered
  // account v that liked a share within the window of u's like is accumulated in dense arrays, then reset.
  const likes = pairableLikes(h, index, options);
  const n = likes.user.length;
  const userAt = likes.user;
  const timeAt = likes.at;
  const { userStart } = likes;
  // Each account's likes (position, the share's weight and range) in account order, so a row reads them in turn.
  const rowPosition = new Int32Array(n);
  const rowWeight = new Float64Array(n);
  const rowFrom = new Int32Array(n);
  const rowTo = new Int32Array(n);
  const fill = userStart.slice(0, users);
  for (let k = 0; k < n; k++) {
    const i = fill[userAt[k]!]!++;
    rowPosition[i] = k;
    rowWeight[i] = likes.weight[k]!;
    rowFrom[i] = likes.from[k]!;
    rowTo[i] = likes.to[k]!;
  }
  const windowMs = options.windowMs;
  const count = new Int32Array(users);
  const weight = new Float64Array(users);
  const touched = new Int32Array(users);
  const neighbours = new Map<number, number[]>();
  const link = (a: number, b: number) => (neighbours.get(a) ?? neighbours.set(a, []).get(a)!).push(b);
  for (let u = 0; u < users; u++) {
    const first = userStart[u]!;
    const last = userStart[u + 1]!;
    if (first === last) continue;
    let touchedCount = 0;
    for (let i = first; i < last; i++) {
      const k = rowPosition[i]!;
      const t = timeAt[k]!;
      const w = rowWeight[i]!;
      const to = rowTo[i]!;
      for (let j = k + 1; j < to; j++) {
        if (timeAt[j]! - t > windowMs) break;
        const v = userAt[j]!;
        if (v > u) {
          if (count[v] === 0) touched[touchedCount++] = v;
          count[v]!++;
          weight[v]! += w;
        }
      }
      const from = rowFrom[i]!;
      for (let j = k - 1; j >= from; j--) {
        if (t - timeAt[j]! > windowMs) break;
        const v = userAt[j]!;
        if (v > u) {
          if (count[v] === 0) touched[touchedCount++] = v;
          count[v]!++;
          weight[v]! += w;
        }
      }
    }
    for (let x = 0; x < touchedCount; x++) {
      const v = touched[x]!;
      if (count[v]! >= options.minShared && weight[v]! / Math.sqrt(weightedDegree[u]! * weightedDegree[v]!) >= options.minSimilarity) {
        link(u, v);
        link(v, u);
      }
      count[v] = 0;
      weight[v] = 0;
    }
  }

  // Peel accounts linked to fewer than two others (a lone coincidence is no group), then take the components.
  const degree = new Map<number, number>([...neighbours].map(([u, list]) => [u, list.length]));
  const queue = [...degree].filter(([, d]) => d < 2).map(([u]) => u);
  const removed = new Set<number>();
  while (queue.length) {
    const u = queue.pop()!;
    if (removed.has(u)) continue;
    removed.add(u);
    for (const v of neighbours.get(u)!) {
      if (removed.has(v)) continue;
      const d = degree.get(v)! - 1;
      degree.set(v, d);
      if (d < 2) queue.push(v);
    }
  }
  const groups: number[][] = [];
  const seen = new Set<number>(removed);
  for (const start of neighbours.keys()) {
    if (seen.has(start)) continue;
    const component = [start];
    seen.add(start);
    for (let i = 0; i < component.length; i++) {
      for (const v of neighbours.get(component[i]!)!) {
        if (seen.has(v)) continue;
        seen.add(v);
        component.push(v);
      }
    }
    if (component.length >= 3) groups.push(component.sort((a, b) => a - b));
  }
  return groups;
}
