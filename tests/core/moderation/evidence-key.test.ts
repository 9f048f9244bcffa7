/** A case's evidence key (core/moderation/scan-group.ts): its identity across scans, short enough for the unique index. */
import { describe, expect, it } from 'vitest';
import { evidenceKey } from '../../../core/moderation/scan-group.js';
import type { CaseCandidate } from '../../../core/moderation/text-evidence.js';

const candidate = (accounts: string[], posts: string[], kind: CaseCandidate['kind'] = 'burst'): CaseCandidate => ({
  kind,
  evidence: { accounts, posts, authors: ['dc:1'] },
  members: accounts.map((memberId) => ({ memberId, score: 0.9, reasons: [] })),
});

describe('evidenceKey', () => {
  it('names the same evidence the same way whatever the order, and other evidence otherwise', async () => {
    const key = await evidenceKey(candidate(['tg:2', 'tg:1'], ['7', '3']));
    expect(key).toMatch(/^burst:2x2:[0-9a-f]{64}$/);
    expect(await evidenceKey(candidate(['tg:1', 'tg:2'], ['3', '7']))).toBe(key);
    expect(await evidenceKey(candidate(['tg:1', 'tg:2', 'tg:3'], ['3', '7']))).not.toBe(key);
    expect(await evidenceKey(candidate(['tg:1', 'tg:2'], ['3']))).not.toBe(key);
    expect(await evidenceKey(candidate(['tg:1', 'tg:2'], ['3', '7'], 'ring'))).not.toBe(key);
  });

  it('stays short for a burst of a thousand bought accounts (a b-tree index row holds about 2.7 kB)', async () => {
    const accounts = Array.from({ length: 1000 }, (_, i) => `dc:${100000000000000000n + BigInt(i)}`);
    expect((await evidenceKey(candidate(accounts, ['12']))).length).toBeLessThan(100);
  });
});
