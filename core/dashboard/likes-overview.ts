/**
 * The Likes page's read model: the group's newest shares with their likes, the active like tasks with how many
 * shares reached them, the open like round with who completed it (and the past rounds the bot ran), the like graph
 * (who liked whose shares, counted), and the fake-engagement cases (core/moderation). Read through tx.likes and
 * tx.moderation; the web layer renders it (bots/dashboard/pages/likes-page.ts).
 */
import type { LikeRoundRecord, LikeTaskRecord, RoundEntryView } from '../likes/like-store.js';
import type { LikeRoundHistoryRow, LikeTaskHistoryRow } from './dashboard-store.js';
import type { FlagCaseRecord } from '../moderation/moderation-store.js';
import type { GroupRecord, StoreTx } from '../store.js';

/** Shares listed (newest first) and members drawn in the graph (those with the most likes given and received). */
export const SHARES_SHOWN = 50;
export const GRAPH_MEMBERS = 24;
/** Rounds and tasks listed with their completion (newest first). */
export const HISTORY_SHOWN = 20;

/** A round or task's completion: how many of how many, as a whole percentage (null when nothing could complete). */
export interface Completion {
  done: number;
  of: number;
  percent: number | null;
}

export interface ShareRow {
  id: number;
  authorId: string;
  authorName: string;
  text: string;
  likes: number;
  createdAt: Date;
}

export interface TaskRow {
  task: LikeTaskRecord;
  /** Shares that reached the goal in time (the task's completions). */
  completions: number;
}

export interface RoundView {
  round: LikeRoundRecord;
  entries: RoundEntryView[];
  completed: number;
}

export interface LikeGraph {
  nodes: { id: string; name: string; given: number; received: number }[];
  /** liker -> author, how many of the author's shares the liker likes now. */
  edges: { from: string; to: string; likes: number }[];
}

export interface LikesOverview {
  shares: ShareRow[];
  totalShares: number;
  totalLikes: number;
  tasks: TaskRow[];
  openRound: RoundView | null;
  pastRounds: { start: Date; end: Date; shares: number }[];
  /** Every round (open and closed, newest first) with its entries and completion: completed entries of all entries. */
  rounds: (LikeRoundHistoryRow & { completion: Completion })[];
  /** Every like task (running and ended, newest first): shares that reached the goal of the shares posted meanwhile. */
  taskHistory: (LikeTaskHistoryRow & { completion: Completion })[];
  graph: LikeGraph;
  cases: FlagCaseRecord[];
}

export function completion(done: number, of: number): Completion {
  return { done, of, percent: of > 0 ? Math.round((100 * done) / of) : null };
}

export async function likesOverview(tx: StoreTx, group: GroupRecord, now: Date = new Date()): Promise<LikesOverview> {
  const history = await tx.moderation.history(group.id);
  const posts = new Map<string, { author: string; at: Date }>();
  const liked = new Map<string, Set<string>>();
  const pastRounds: LikesOverview['pastRounds'] = [];
  for (const e of history) {
    if (e.type === 'post') posts.set(e.post, { author: e.author, at: e.at });
    else if (e.type === 'like') liked.set(e.post, (liked.get(e.post) ?? new Set()).add(e.user));
    else if (e.type === 'unlike') liked.get(e.post)?.delete(e.user);
    else if (e.type === 'round') pastRounds.push({ start: e.start, end: e.end, shares: e.posts.length });
  }
  const names = new Map<string, string>();
  const nameOf = async (id: string) => {
    if (!names.has(id)) names.set(id, (await tx.getMember(id))?.displayName ?? id);
    return names.get(id)!;
  };

  const newest = [...posts.keys()].sort((a, b) => Number(b) - Number(a)).slice(0, SHARES_SHOWN);
  const shares: ShareRow[] = [];
  for (const id of newest) {
    const share = await tx.likes.getShare(Number(id));
    if (!share || share.groupId !== group.id) continue;
    shares.push({ id: share.id, authorId: share.memberId, authorName: await nameOf(share.memberId), text: share.text, likes: share.likeCount, createdAt: share.createdAt });
  }

  const tasks: TaskRow[] = [];
  for (const task of await tx.likes.listActiveTasks(group.id)) tasks.push({ task, completions: (await tx.likes.listCompletions(task.id)).length });

  const round = await tx.likes.openRoundOf(group.id);
  let openRound: RoundView | null = null;
  if (round) {
    const entries = await tx.likes.listEntries(round.id);
    openRound = { round, entries, completed: entries.filter((e) => e.completed).length };
  }

  // The graph: liker -> author, self-likes left out; the members with the most likes drawn.
  const edgeCount = new Map<string, number>();
  for (const [post, likers] of liked) {
    const author = posts.get(post)?.author;
    if (!author) continue;
    for (const liker of likers) if (liker !== author) edgeCount.set(`${liker}\n${author}`, (edgeCount.get(`${liker}\n${author}`) ?? 0) + 1);
  }
  const given = new Map<string, number>();
  const received = new Map<string, number>();
  for (const [key, n] of edgeCount) {
    const [from, to] = key.split('\n') as [string, string];
    given.set(from, (given.get(from) ?? 0) + n);
    received.set(to, (received.get(to) ?? 0) + n);
  }
  const ids = [...new Set([...given.keys(), ...received.keys()])]
    .sort((a, b) => (given.get(b) ?? 0) + (received.get(b) ?? 0) - (given.get(a) ?? 0) - (received.get(a) ?? 0) || a.localeCompare(b))
    .slice(0, GRAPH_MEMBERS);
  const drawn = new Set(ids);
  const graph: LikeGraph = {
    nodes: await Promise.all(ids.map(async (id) => ({ id, name: await nameOf(id), given: given.get(id) ?? 0, received: received.get(id) ?? 0 }))),
    edges: [...edgeCount].map(([key, likes]) => {
      const [from, to] = key.split('\n') as [string, string];
      return { from, to, likes };
    }).filter((e) => drawn.has(e.from) && drawn.has(e.to)),
  };

  return {
    shares, totalShares: posts.size, totalLikes: [...liked.values()].reduce((s, l) => s + l.size, 0), tasks, openRound,
    pastRounds: pastRounds.reverse(), graph,
    rounds: (await tx.dashboard.listLikeRounds(group.id, HISTORY_SHOWN)).map((r) => ({ ...r, completion: completion(r.entries.filter((e) => e.completed === true).length, r.entries.length) })),
    taskHistory: (await tx.dashboard.listLikeTasks(group.id, HISTORY_SHOWN, now)).map((t) => ({ ...t, completion: completion(t.completions.length, t.sharesDuring) })), cases: (await tx.moderation.listCases(group.id)).sort((a, b) => b.id - a.id),
  };
}
