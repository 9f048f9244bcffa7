import { describe, expect, it } from 'vitest';
import { createTestCore } from '../support/test-core.js';
import { alice, anna, bob, HOUR, RecordingPort, useCoreHarness } from '../support/core-harness.js';

describe('after a restart (issue 11)', () => {
  const h = useCoreHarness();

  it('re-renders every open buy\'s card from the database: edits pending at a kill are caught up', async () => {
    const open = await h.openBuy('Tea | 10 | min 1 | max 50 | ends 2h', anna);
    const closed = await h.openBuy('Cake | 20 | min 1 | max 5 | ends 2h', anna);
    await h.command(alice, `/join #${open.id} 2`);
    await h.command(anna, `/cancelbuy #${closed.id}`);
    expect(await h.cardText(open.id)).toContain('2/50');
    // A sign-up committed by a process killed before its card edit went out.
    await h.store.upsertMember({ id: bob.id, platform: 'tg', displayName: bob.displayName });
    await h.db.prisma.signUp.create({ data: { buyId: open.id, memberId: bob.id, quantity: 3, status: 'active', joinedAt: h.clock.now() } });

    // The next process: a new core on the same database.
    const port = new RecordingPort();
    const restarted = createTestCore({ store: h.store, clock: h.clock, scheduler: h.scheduler, logger: h.logger });
    restarted.registerPlatform('tg', port);
    expect(await restarted.refreshLiveCards()).toBe(1);
    await restarted.flushCards();
    restarted.stop();

    const edits = port.delivered.filter((d) => d.reply.kind === 'edit');
    expect(edits).toHaveLength(1);
    expect(edits[0]!.reply.kind === 'edit' && edits[0]!.reply.text).toContain('5/50');
  });

  it('forgets update keys past the redelivery window, and only those', async () => {
    await h.command(alice, '/help', { key: 'tg:bot1:100' });
    h.clock.advance(47 * HOUR);
    await h.command(alice, '/help', { key: 'tg:bot1:101' });
    h.clock.advance(2 * HOUR);

    expect(await h.core.pruneUpdates(48)).toBe(1);
    const kept = await h.db.prisma.processedUpdate.findMany({ select: { key: true } });
    expect(kept.map((k) => k.key)).toEqual(['tg:bot1:101']);
    // The pruned key is a new update again; the kept one is still a duplicate.
    expect((await h.command(alice, '/help', { key: 'tg:bot1:101' })).duplicate).toBe(true);
    expect((await h.command(alice, '/help', { key: 'tg:bot1:100' })).duplicate).toBe(false);
  });
});
