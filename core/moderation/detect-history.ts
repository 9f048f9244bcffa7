/**
 * The history the detector reads, packed into integer-indexed arrays: a million likes cost a few flat arrays
 * instead of a million objects. Likes undone by an `unlike` are dropped; likes made inside a like round or like
 * task the bot ran on that share are kept apart as sanctioned (context, never evidence).
 */
import type { HistoryEvent } from './history-event.js';

/** Stores in the history what the reader could not take as given, so a caller can say so. */
export interface HistoryProblems {
  /** Shares liked (or named by a round) that no `post` line introduced (kept: the share may predate the file). */
  unknownPosts: number;
  /** A like of a share the account already likes (kept once). */
  repeatedLikes: number;
  /** An unlike with no like before it (ignored). */
  unlikesWithoutLike: number;
  /** A second `post` or `member` line for the same share or account (the first is kept). */
  repeatedDefinitions: number;
}

export interface PackedHistory {
  userIds: string[];
  postIds: string[];
  /** By user: join time in ms, NaN when no `member` line. */
  joinedAt: number[];
  /** By user: shares posted, purchases. */
  postsBy: number[];
  purchasesBy: number[];
  /** By post: author's user index (-1 unknown), posting time (NaN unknown). */
  authorOf: number[];
  postedAt: number[];
  /** The live, unsanctioned likes: parallel arrays. */
  likePost: Int32Array;
  likeUser: Int32Array;
  likeAt: Float64Array;
  likeCount: number;
  /** By user: sanctioned likes (inside a round or task the bot ran). */
  sanctionedBy: number[];
  problems: HistoryProblems;
}

/** A growable column of numbers (a million likes in a typed array, not a million boxed values). */
class Column<T extends Int32Array | Float64Array> {
  length = 0;
  constructor(public values: T) {}
  push(x: number) {
    if (this.length === this.values.length) {
      const grown = new (this.values.constructor as new (n: number) => T)(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[this.length++] = x;
  }
}

/**
 * Packs a history one event at a time (a file streams through without its lines held). Likes and unlikes are
 * paired at `finish`, in time order per share, so lines out of order still pair right.
 */
export class HistoryPacker {
  private readonly userIndex = new Map<string, number>();
  private readonly postIndex = new Map<string, number>();
  private readonly h: PackedHistory = {
    userIds: [], postIds: [], joinedAt: [], postsBy: [], purchasesBy: [], authorOf: [], postedAt: [],
    likePost: new Int32Array(0), likeUser: new Int32Array(0), likeAt: new Float64Array(0), likeCount: 0, sanctionedBy: [],
    problems: { unknownPosts: 0, repeatedLikes: 0, unlikesWithoutLike: 0, repeatedDefinitions: 0 },
  };
  /** Likes (+1) and unlikes (-1) as read. */
  private readonly actPost = new Column(new Int32Array(1024));
  private readonly actUser = new Column(new Int32Array(1024));
  private readonly actSign = new Column(new Int32Array(1024));
  private readonly actAt = new Column(new Float64Array(1024));
  private readonly rounds = new Map<number, [number, number][]>();

  private user(id: string): number {
    let i = this.userIndex.get(id);
    if (i === undefined) {
      const h = this.h;
      i = h.userIds.length;
      this.userIndex.set(id, i);
      h.userIds.push(id);
      h.joinedAt.push(Number.NaN);
      h.postsBy.push(0);
      h.purchasesBy.push(0);
      h.sanctionedBy.push(0);
    }
    return i;
  }

  private post(id: string): number {
    let i = this.postIndex.get(id);
    if (i === undefined) {
      const h = this.h;
      i = h.postIds.length;
      this.postIndex.set(id, i);
      h.postIds.push(id);
      h.authorOf.push(-1);
      h.postedAt.push(Number.NaN);
    }
    return i;
  }

  add(event: HistoryEvent): void {
    const h = this.h;
    switch (event.type) {
      case 'like':
      case 'unlike':
        this.actPost.push(this.post(event.post));
        this.actUser.push(this.user(event.user));
        this.actSign.push(event.type === 'like' ? 1 : -1);
        this.actAt.push(event.at.getTime());
        break;
      case 'member': {
        const u = this.user(event.user);
        if (Number.isNaN(h.joinedAt[u]!)) h.joinedAt[u] = event.at.getTime();
        else h.problems.repeatedDefinitions++;
        break;
      }
      case 'post': {
        const p = this.post(event.post);
        if (h.authorOf[p] !== -1) {
          h.problems.repeatedDefinitions++;
          break;
        }
        const a = this.user(event.author);
        h.authorOf[p] = a;
        h.postedAt[p] = event.at.getTime();
        h.postsBy[a]!++;
        break;
      }
      case 'purchase':
        h.purchasesBy[this.user(event.user)]!++;
        break;
      case 'round':
        for (const id of event.posts) {
          const p = this.post(id);
          (this.rounds.get(p) ?? this.rounds.set(p, []).get(p)!).push([event.start.getTime(), event.end.getTime()]);
        }
        break;
    }
  }

  finish(): PackedHistory {
    const h = this.h;
    const n = this.actPost.length;
    const post = this.actPost.values;
    const user = this.actUser.values;
    const sign = this.actSign.values;
    const at = this.actAt.values;
    for (let p = 0; p < h.postIds.length; p++) if (h.authorOf[p] === -1) h.problems.unknownPosts++;
    // Group the acts by share (counting sort keeps the reading order), then put each share's acts in time order.
    const start = new Int32Array(h.postIds.length + 1);
    for (let i = 0; i < n; i++) start[post[i]! + 1]!++;
    for (let p = 0; p < h.postIds.length; p++) start[p + 1]! += start[p]!;
    const next = start.slice(0, h.postIds.length);
    const order = new Int32Array(n);
    for (let i = 0; i < n; i++) order[next[post[i]!]!++] = i;
    // liveLike[u] is the act index of u's live like of the current share; stamp says which share it belongs to.
    const liveLike = new Int32Array(h.userIds.length).fill(-1);
    const stamp = new Int32Array(h.userIds.length).fill(-1);
    const kept = new Uint8Array(n);
    for (let p = 0; p < h.postIds.length; p++) {
      const acts = order.subarray(start[p]!, start[p + 1]!);
      for (let k = 1; k < acts.length; k++) {
        if (at[acts[k - 1]!]! > at[acts[k]!]!) {
          acts.sort((a, b) => at[a]! - at[b]! || a - b);
          break;
        }
      }
      for (const i of acts) {
        const u = user[i]!;
        const live = stamp[u] === p ? liveLike[u]! : -1;
        if (sign[i] === 1) {
          if (live >= 0) h.problems.repeatedLikes++;
          else {
            stamp[u] = p;
            liveLike[u] = i;
            kept[i] = 1;
          }
        } else if (live < 0) h.problems.unlikesWithoutLike++;
        else {
          kept[live] = 0;
          liveLike[u] = -1;
        }
      }
    }
    let likes = 0;
    for (let i = 0; i < n; i++) likes += kept[i]!;
    h.likePost = new Int32Array(likes);
    h.likeUser = new Int32Array(likes);
    h.likeAt = new Float64Array(likes);
    let count = 0;
    for (let i = 0; i < n; i++) {
      if (!kept[i]) continue;
      const windows = this.rounds.get(post[i]!);
      if (windows?.some(([from, to]) => at[i]! >= from && at[i]! <= to)) {
        h.sanctionedBy[user[i]!]!++;
        continue;
      }
      h.likePost[count] = post[i]!;
      h.likeUser[count] = user[i]!;
      h.likeAt[count] = at[i]!;
      count++;
    }
    h.likeCount = count;
    return h;
  }
}

/** Packs a whole history at once. */
export function packHistory(events: Iterable<HistoryEvent>): PackedHistory {
  const packer = new HistoryPacker();
  for (const event of events) packer.add(event);
  return packer.finish();
}
