/**
 * Simple rules the fake-engagement detector is measured against (bench/likes-scan.bench.ts), each the textbook
 * form of one idea, run on the same history:
 * - fresh accounts: flag every account that liked something within a week of joining;
 * - co-like pairs (SynchroTrap-style): flag both accounts of every pair that liked at least three of the same shares
 *   within an hour of each other, with a Jaccard similarity of their liked shares of at least 0.3;
 * - densest blocks (FRAUDAR-style): greedily peel the account-share graph, shares weighted 1/ln(likes + 5), keep the
 *   densest remainder, flag its accounts; five blocks in turn.
 * None knows about rounds, friends or popularity beyond what its idea says.
 */
import type { HistoryEvent } from '../../core/moderation/detect.js';

type Like = { post: string; user: string; at: number };

function liveLikes(events: readonly HistoryEvent[]): Like[] {
  const live = new Map<string, Like>();
  for (const e of events) {
    if (e.type === 'like') live.set(`${e.post}\u0000${e.user}`, { post: e.post, user: e.user, at: e.at.getTime() });
    else if (e.type === 'unlike') live.delete(`${e.post}\u0000${e.user}`);
  }
  return [...live.values()];
}

export function freshAccountRule(events: readonly HistoryEvent[], maxAgeDays = 7): Set<string> {
  const joined = new Map<string, number>();
  const flagged = new Set<string>();
  for (const e of events) {
    if (e.type === 'member') joined.set(e.user, e.at.getTime());
    else if (e.type === 'like') {
      const at = joined.get(e.user);
      if (at !== undefined && e.at.getTime() - at <= maxAgeDays * 86_400_000) flagged.add(e.user);
    }
  }
  return flagged;
}

export function coLikePairRule(events: readonly HistoryEvent[], windowMs = 3_600_000, minShared = 3, minJaccard = 0.3): Set<string> {
  const likes = liveLikes(events);
  const perPost = new Map<string, Like[]>();
  const perUser = new Map<string, number>();
  for (const l of likes) {
    perPost.set(l.post, [...(perPost.get(l.post) ?? []), l]);
    perUser.set(l.user, (perUser.get(l.user) ?? 0) + 1);
  }
  const together = new Map<string, number>();
  for (const list of perPost.values()) {
    list.sort((a, b) => a.at - b.at);
    for (let i = 0; i < list.length; i++) {
      for (let j = i + 1; j < list.length && list[j]!.at - list[i]!.at <= windowMs; j++) {
        const [a, b] = [list[i]!.user, list[j]!.user].sort() as [string, string];
        const key = `${a}\u0000${b}`;
        together.set(key, (together.get(key) ?? 0) + 1);
      }
    }
  }
  const flagged = new Set<string>();
  for (const [key, shared] of together) {
    if (shared < minShared) continue;
    const [a, b] = key.split('\u0000') as [string, string];
    if (shared / (perUser.get(a)! + perUser.get(b)! - shared) >= minJaccard) flagged.add(a).add(b);
  }
  return flagged;
}

export function densestBlocks(events: readonly HistoryEvent[], blocks = 5): Set<string> {
  const likes = liveLikes(events);
  const flagged = new Set<string>();
  let remaining = likes;
  for (let b = 0; b < blocks && remaining.length; b++) {
    const block = peel(remaining);
    for (const u of block) flagged.add(u);
    remaining = remaining.filter((l) => !block.has(l.user));
  }
  return flagged;
}

/** FRAUDAR's greedy peeling: drop the node with the least weighted degree, keep the densest state seen. */
function peel(likes: readonly Like[]): Set<string> {
  const postDegree = new Map<string, number>();
  for (const l of likes) postDegree.set(l.post, (postDegree.get(l.post) ?? 0) + 1);
  const nodes = new Map<string, { weight: number; edges: number[]; gone: boolean }>();
  const node = (id: string) => nodes.get(id) ?? nodes.set(id, { weight: 0, edges: [], gone: false }).get(id)!;
  const edgeWeight = likes.map((l) => 1 / Math.log(postDegree.get(l.post)! + 5));
  const ends = likes.map((l) => [`u:${l.user}`, `p:${l.post}`] as const);
  let total = 0;
  ends.forEach(([u, p], i) => {
    for (const id of [u, p]) {
      const n = node(id);
      n.weight += edgeWeight[i]!;
      n.edges.push(i);
    }
    total += edgeWeight[i]!;
  });
  const edgeGone = new Uint8Array(likes.length);
  // A binary heap of (weight, id) with stale entries skipped.
  const heap: [number, string][] = [];
  const push = (entry: [number, string]) => {
    heap.push(entry);
    for (let i = heap.length - 1; i > 0; ) {
      const parent = (i - 1) >> 1;
      if (heap[parent]![0] <= heap[i]![0]) break;
      [heap[parent], heap[i]] = [heap[i]!, heap[parent]!];
      i = parent;
    }
  };
  const pop = () => {
    const top = heap[0]!;
    const last = heap.pop()!;
    if (heap.length) {
      heap[0] = last;
      for (let i = 0; ; ) {
        const [l, r] = [2 * i + 1, 2 * i + 2];
        let m = i;
        if (l < heap.length && heap[l]![0] < heap[m]![0]) m = l;
        if (r < heap.length && heap[r]![0] < heap[m]![0]) m = r;
        if (m === i) break;
        [heap[m], heap[i]] = [heap[i]!, heap[m]!];
        i = m;
      }
    }
    return top;
  };
  for (const [id, n] of nodes) push([n.weight, id]);
  let alive = nodes.size;
  let best = total / alive;
  let bestStep = 0;
  const order: string[] = [];
  while (alive > 1) {
    const [weight, id] = pop();
    const n = nodes.get(id)!;
    if (n.gone || weight !== n.weight) continue;
    n.gone = true;
    order.push(id);
    alive--;
    for (const e of n.edges) {
      if (edgeGone[e]) continue;
      edgeGone[e] = 1;
      total -= edgeWeight[e]!;
      const other = nodes.get(ends[e]![0] === id ? ends[e]![1] : ends[e]![0])!;
      other.weight -= edgeWeight[e]!;
      push([other.weight, ends[e]![0] === id ? ends[e]![1] : ends[e]![0]]);
    }
    if (total / alive > best) [best, bestStep] = [total / alive, order.length];
  }
  const removed = new Set(order.slice(0, bestStep));
  return new Set([...nodes.keys()].filter((id) => id.startsWith('u:') && !removed.has(id)).map((id) => id.slice(2)));
}
