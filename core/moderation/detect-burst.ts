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
  for (let p = 0; p < h.postIds.length; p++) {
    const from = index.postStart[p]!;
    const to = index.postStart[p + 1]!;
    if (to - from < options.minAccounts) continue;
    let run: number[] = [];
    const close = () => {
      if (run.length >= options.minAccounts) {
        const first = h.likeAt[run[0]!]!;
        const last = h.likeAt[run.at(-1)!]!;
        let during = 0;
        for (let i = from; i < to; i++) {
          const at = h.likeAt[index.byPost[i]!]!;
          if (at >= first && at <= last) during++;
        }
        if (run.length / during >= options.minNewcomerShare) bursts.push({ post: p, likes: run, likesDuring: during });
      }
      run = [];
    };
    for (let i = from; i < to; i++) {
      const like = index.byPost[i]!;
      const age = h.likeAt[like]! - h.joinedAt[h.likeUser[like]!]!;
      if (!(age >= 0 && age <= options.freshMs)) continue;
      if (run.length && h.likeAt[like]! - h.likeAt[run.at(-1)!]! > options.gapMs) close();
      run.push(like);
    }
    close();
  }
  return bursts;
}
