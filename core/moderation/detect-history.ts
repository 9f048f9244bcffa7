/**
 * The history the detector reads, packed into integer-indexed arrays: a million likes cost a few flat arrays
 * instead of a million objects. Likes undone by an `unlike` are dropped; likes made inside a like round or like
 * task the bot ran on that share are kept apart as sanctioned (context, never evidence).
 */
import type { HistoryEvent } from './detect.js';

/** Stores in the history what the reader could not take as given, so a caller can say so. */
export interface HistoryProblems {
  /** Likes or unlikes of a share no `post` line introduced before them (kept: the share may predate the file). */
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

/** Packs a time-ordered history (out-of-order events are still read; the caller decides whether to warn). */
export function packHistory(events: Iterable<HistoryEvent>): PackedHistory {
  const userIndex = new Map<string, number>();
  const postIndex = new Map<string, number>();
  const h: PackedHistory = {
    userIds: [], postIds: [], joinedAt: [], postsBy: [], purchasesBy: [], authorOf: [], postedAt: [],
    likePost: new Int32Array(0), likeUser: new Int32Array(0), likeAt: new Float64Array(0), likeCount: 0, sanctionedBy: [],
    problems: { unknownPosts: 0, repeatedLikes: 0, unlikesWithoutLike: 0, repeatedDefinitions: 0 },
  };
  const user = (id: string) => {
    let i = userIndex.get(id);
    if (i === undefined) {
      i = h.userIds.length;
      userIndex.set(id, i);
      h.userIds.push(id);
      h.joinedAt.push(Number.NaN);
      h.postsBy.push(0);
      h.purchasesBy.push(0);
      h.sanctionedBy.push(0);
    }
    return i;
  };
  const post = (id: string, known: boolean) => {
    let i = postIndex.get(id);
    if (i === undefined) {
      if (!known) h.problems.unknownPosts++;
      i = h.postIds.length;
      postIndex.set(id, i);
      h.postIds.push(id);
      h.authorOf.push(-1);
      h.postedAt.push(Number.NaN);
    }
    return i;
  };
  let likePost: number[] = [];
  let likeUser: number[] = [];
  let likeAt: number[] = [];
  // (post, user) -> index of the live like; 2^21 users is beyond any group.
  const live = new Map<number, number>();
  const rounds = new Map<number, [number, number][]>();
  for (const event of events) {
    switch (event.type) {
      case 'member': {
        const u = user(event.user);
        if (Number.isNaN(h.joinedAt[u]!)) h.joinedAt[u] = event.at.getTime();
        else h.problems.repeatedDefinitions++;
        break;
      }
      case 'post': {
        const p = post(event.post, true);
        if (h.authorOf[p] !== -1) {
          h.problems.repeatedDefinitions++;
          break;
        }
        const a = user(event.author);
        h.authorOf[p] = a;
        h.postedAt[p] = event.at.getTime();
        h.postsBy[a]!++;
        break;
      }
      case 'purchase':
        h.purchasesBy[user(event.user)]!++;
        break;
      case 'round':
        for (const id of event.posts) {
          const p = post(id, true);
          const list = rounds.get(p) ?? [];
          list.push([event.start.getTime(), event.end.getTime()]);
          rounds.set(p, list);
        }
        break;
      case 'like': {
        const p = post(event.post, postIndex.has(event.post));
        const u = user(event.user);
        const key = p * 2 ** 21 + u;
        if (live.has(key)) {
          h.problems.repeatedLikes++;
          break;
        }
        live.set(key, likePost.length);
        likePost.push(p);
        likeUser.push(u);
        likeAt.push(event.at.getTime());
        break;
      }
      case 'unlike': {
        const p = post(event.post, postIndex.has(event.post));
        const key = p * 2 ** 21 + user(event.user);
        const index = live.get(key);
        if (index === undefined) h.problems.unlikesWithoutLike++;
        else {
          live.delete(key);
          likePost[index] = -1;
        }
        break;
      }
    }
  }
  live.clear();
  const n = likePost.length;
  h.likePost = new Int32Array(n);
  h.likeUser = new Int32Array(n);
  h.likeAt = new Float64Array(n);
  let kept = 0;
  for (let i = 0; i < n; i++) {
    const p = likePost[i]!;
    if (p < 0) continue;
    const at = likeAt[i]!;
    const windows = rounds.get(p);
    if (windows?.some(([start, end]) => at >= start && at <= end)) {
      h.sanctionedBy[likeUser[i]!]!++;
      continue;
    }
    h.likePost[kept] = p;
    h.likeUser[kept] = likeUser[i]!;
    h.likeAt[kept] = at;
    kept++;
  }
  likePost = likeUser = likeAt = [];
  h.likeCount = kept;
  return h;
}
