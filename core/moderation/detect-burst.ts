/**
 * Bought bursts: many accounts that joined minutes before liking one share, together. Honest newcomers join and
 * look around first; a share that goes viral draws likes from everyone, so the newcomers are a small part of it.
 */
import type { PackedHistory } from './detect-history.js';
import type { LikeIndex } from './detect-lockstep.js';

export interface BurstOptions {
  /** A like this soon after the account joined is a newcomer's like. */
  freshMs: number;
  /** Newcomers' likes on one share this close together form one burst. */
  gapMs: number;
  minAccounts: number;
  /** Newcomers make at least this part of the share's likes during the burst. */
  minNewcomerShare: number;
}

export const DEFAULT_BURST: BurstOptions = { freshMs: 60 * 60_000, gapMs: 15 * 60_000, minAccounts: 8, minNewcomerShare: 0.5 };

export interface Burst {
  post: number;
  /** Like indices of the newcomers, in time order. */
  likes: number[];
  /** All likes on the share during the burst. */
  likesDuring: number;
}

export function findBursts(h: PackedHistory, index: LikeIndex, options: BurstOptions = DEFAULT_BURST): Burst[] {
  const bursts: Burst[] = [];
  // Accounts that can be newcomers at all (a known join), so most likes are passed over with one small lookup.
  const joined = new Uint8Array(h.userIds.length);
  for (let u = 0; u < joined.length; u++) joined[u] = Number.isFinite(h.joinedAt[u]!) ? 1 : 0;
  const run: number[] = [];
  for (let p = 0; p < h.postIds.length; p++) {
    const from = index.postStart[p]!;
    const to = index.postStart[p + 1]!;
    if (to - from < options.minAccounts) continue;
    run.length = 0;
    for (let i = from; i <= to; i++) {
      let like = -1;
      if (i < to) {
        like = index.byPost[i]!;
        const u = h.likeUser[like]!;
        if (!joined[u]) continue;
        const age = h.likeAt[like]! - h.joinedAt[u]!;
        if (!(age >= 0 && age <= options.freshMs)) continue;
        if (!run.length || h.likeAt[like]! - h.likeAt[run.at(-1)!]! <= options.gapMs) {
          run.push(like);
          continue;
        }
      }
      // The run ends (a newcomer's like too long after the last, or the share's likes end): a burst if it is one.
      if (run.length >= options.minAccounts) {
        const first = h.likeAt[run[0]!]!;
        const last = h.likeAt[run.at(-1)!]!;
        let during = 0;
        for (let k = from; k < to; k++) {
          const at = h.likeAt[index.byPost[k]!]!;
          if (at >= first && at <= last) during++;
        }
        if (run.length / during >= options.minNewcomerShare) bursts.push({ post: p, likes: [...run], likesDuring: during });
      }
      run.length = 0;
      if (like >= 0) run.push(like);
    }
  }
  return bursts;
}
