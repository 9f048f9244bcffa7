/**
 * Issue 9's quality targets, asserted on the simulated communities `npm run bench` reports (bench/sim/communities.ts,
 * the same seeds and size as bench/likes-scan.bench.ts): account-level F1 at least 0.85 at precision at least 0.90,
 * each fake kind (sock puppets, rings, bought bursts) recalled at least 0.7, at most 2% of friend-squad members and of
 * round and like-task members flagged; and better than each simple baseline run on the same community.
 */
import { describe, expect, it } from 'vitest';
import { simulateCommunity } from '../../../bench/sim/communities.js';
import { coLikePairRule, densestBlocks, freshAccountRule } from '../../../bench/sim/engagement-baselines.js';
import { scoreFlags } from '../../../bench/sim/fake-metrics.js';
import { detectFakeEngagement } from '../../../core/moderation/detect.js';

const QUALITY_SIZE = { members: 10_000, shares: 6_000, likes: 160_000 };

describe('the detector on simulated communities', { timeout: 300_000 }, () => {
  for (const seed of [1, 2, 3]) {
    it(`meets the targets on seed ${seed}`, () => {
      const community = simulateCommunity({ seed, ...QUALITY_SIZE });
      const score = scoreFlags(community, detectFakeEngagement(community.events).flagged.map((f) => f.user));
      expect(score.precision).toBeGreaterThanOrEqual(0.9);
      expect(score.f1).toBeGreaterThanOrEqual(0.85);
      for (const kind of ['puppets', 'ring', 'burst'] as const) expect(score.recallByKind[kind], kind).toBeGreaterThanOrEqual(0.7);
      expect(score.squadFlagged).toBeLessThanOrEqual(0.02);
      expect(score.roundFlagged).toBeLessThanOrEqual(0.02);
    });
  }

  it('beats each simple baseline (fresh accounts, co-like pairs, densest blocks) on the same community', () => {
    const community = simulateCommunity({ seed: 4, members: 3_000, shares: 1_800, likes: 45_000 });
    const ours = scoreFlags(community, detectFakeEngagement(community.events).flagged.map((f) => f.user)).f1;
    for (const [name, rule] of [['fresh accounts', freshAccountRule], ['co-like pairs', coLikePairRule], ['densest blocks', densestBlocks]] as const) {
      const baseline = scoreFlags(community, rule(community.events)).f1;
      expect(ours - baseline, name).toBeGreaterThan(0.25);
    }
  });
});
