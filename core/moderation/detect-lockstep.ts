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
  const posts = group(h.likePost, h.likeCount, h.postIds.length);
  // Lines are read in time order, so each share's likes already are; sort anyway for out-of-order input.
  for (let p = 0; p < h.postIds.length; p++) {
    const from = posts.start[p]!;
    const to = posts.start[p + 1]!;
    let sorted = true;
    for (let i = from + 1; i < to && sorted; i++) sorted = h.likeAt[posts.order[i - 1]!]! <= h.likeAt[posts.order[i]!]!;
    if (!sorted) posts.order.subarray(from, to).sort((a, b) => h.likeAt[a]! - h.likeAt[b]!);
  }
  const users = group(h.likeUser, h.likeCount, h.userIds.length);
  const postWeight = new Float64Array(h.postIds.length);
  for (let p = 0; p < postWeight.length; p++) postWeight[p] = 1 / Math.log(posts.start[p + 1]! - posts.start[p]! + 5);
  return { postStart: posts.start, byPost: posts.order, userStart: users.start, byUser: users.order, postWeight };
}

/** Accounts linked by strong lockstep pairs, as groups of at least three (each member linked to two others). */
export function lockstepGroups(h: PackedHistory, index: LikeIndex, options: LockstepOptions = DEFAULT_LOCKSTEP): number[][] {
  const users = h.userIds.length;
  const likesOf = (u: number) => index.userStart[u + 1]! - index.userStart[u]!;
  const weightedDegree = new Float64Array(users);
  for (let i = 0; i < h.likeCount; i++) weightedDegree[h.likeUser[i]!]! += index.postWeight[h.likePost[i]!]!;

  // Row by row (SynchroTrap's pair comparison as a sparse product): for each account u, every later-numbered
  // account v that liked a share within the window of u's like is accumulated in dense arrays, then reset.
  const eligible = (u: number) => likesOf(u) >= options.minShared;
  const n = h.likeCount;
  const positionOf = new Int32Array(n);
  const userAt = new Int32Array(n);
  const timeAt = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const like = index.byPost[i]!;
    positionOf[like] = i;
    userAt[i] = h.likeUser[like]!;
    timeAt[i] = h.likeAt[like]!;
  }
  const count = new Int32Array(users);
  const weight = new Float64Array(users);
  const touched = new Int32Array(users);
  const neighbours = new Map<number, number[]>();
  const link = (a: number, b: number) => (neighbours.get(a) ?? neighbours.set(a, []).get(a)!).push(b);
  for (let u = 0; u < users; u++) {
    if (!eligible(u)) continue;
    let touchedCount = 0;
    for (let i = index.userStart[u]!; i < index.userStart[u + 1]!; i++) {
      const like = index.byUser[i]!;
      const p = h.likePost[like]!;
      const from = index.postStart[p]!;
      const to = index.postStart[p + 1]!;
      if (to - from < 2 || to - from > options.maxShareLikes) continue;
      const w = index.postWeight[p]!;
      const k = positionOf[like]!;
      const t = timeAt[k]!;
      const visit = (j: number) => {
        const v = userAt[j]!;
        if (v <= u || !eligible(v)) return;
        if (count[v] === 0) touched[touchedCount++] = v;
        count[v]!++;
        weight[v]! += w;
      };
      for (let j = k + 1; j < to && timeAt[j]! - t <= options.windowMs; j++) visit(j);
      for (let j = k - 1; j >= from && t - timeAt[j]! <= options.windowMs; j--) visit(j);
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
