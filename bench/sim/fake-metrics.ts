/** Account-level quality of a set of flagged accounts against a simulated community's truth. */
import type { Community, FakeKind } from './communities.js';

export interface FakeScore {
  precision: number;
  recall: number;
  f1: number;
  recallByKind: Record<FakeKind, number>;
  /** Share of friend-squad members and of round/task members flagged. */
  squadFlagged: number;
  roundFlagged: number;
  veryActiveFlagged: number;
  flagged: number;
}

export function scoreFlags(community: Community, flagged: Iterable<string>): FakeScore {
  const set = new Set(flagged);
  let truePositives = 0;
  for (const user of set) if (community.fakes.has(user)) truePositives++;
  const byKind = { puppets: [0, 0], ring: [0, 0], burst: [0, 0] } as Record<FakeKind, [number, number]>;
  for (const [user, kind] of community.fakes) {
    byKind[kind][1]++;
    if (set.has(user)) byKind[kind][0]++;
  }
  const share = (group: Set<string>) => {
    const honest = [...group].filter((u) => !community.fakes.has(u));
    return honest.length ? honest.filter((u) => set.has(u)).length / honest.length : 0;
  };
  const precision = set.size ? truePositives / set.size : 1;
  const recall = community.fakes.size ? truePositives / community.fakes.size : 1;
  return {
    precision,
    recall,
    f1: precision + recall ? (2 * precision * recall) / (precision + recall) : 0,
    recallByKind: Object.fromEntries(Object.entries(byKind).map(([k, [hit, all]]) => [k, all ? hit / all : 1])) as Record<FakeKind, number>,
    squadFlagged: share(community.squadMembers),
    roundFlagged: share(community.roundMembers),
    veryActiveFlagged: share(community.veryActive),
    flagged: set.size,
  };
}
