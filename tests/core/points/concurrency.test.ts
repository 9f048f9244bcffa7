/**
 * Points under concurrency on a PostgreSQL server (PGlite runs one transaction at a time, so these would prove
 * nothing there): check-ins, same-key awards and daily caps decided by racing transactions.
 */
import { describe, expect, it } from 'vitest';
import { Outbox } from '../../../core/context.js';
import type { Actor } from '../../../core/events.js';
import { awardPoints } from '../../../core/points/award-points.js';
import { alice, GROUP, textsOf, useCoreHarness } from '../../support/core-harness.js';
import { hasPostgres } from '../../support/database.js';
import { award, balanceOf } from './points-support.js';

describe.runIf(hasPostgres)('points under concurrency on PostgreSQL', () => {
  const h = useCoreHarness({ poolSize: 20 });

  it('checks a member in once when 50 check-ins arrive at once', { timeout: 60_000 }, async () => {
    await h.command(alice, '/me');
    const results = await Promise.all(Array.from({ length: 50 }, () => h.command(alice, '/checkin')));

    expect(h.logger.entries.filter((e) => e.level === 'error')).toEqual([]);
    const texts = results.flatMap(textsOf);
    expect(texts.filter((t) => t.startsWith('✅ Alice checked in'))).toHaveLength(1);
    expect(texts.filter((t) => t.startsWith('Alice, you have already checked in today'))).toHaveLength(49);
    expect(await h.db.prisma.checkIn.count()).toBe(1);
    expect(await balanceOf(h, alice)).toBe(5);
  });

  it('pays once for 50 concurrent awards with the same key', { timeout: 60_000 }, async () => {
    await h.command(alice, '/me');
    const paid = await Promise.all(Array.from({ length: 50 }, () => award(h, { memberId: alice.id, source: 'round_complete', key: 'round_complete:7:tg:11' })));

    expect(paid.map((p) => p.paid).sort((a, b) => b - a)).toEqual([15, ...Array(49).fill(0)]);
    expect(await h.db.prisma.pointEntry.count()).toBe(1);
    expect(await balanceOf(h, alice)).toBe(15);
  });

  it('never passes the daily cap when 40 likes given race each other', { timeout: 60_000 }, async () => {
    await h.command(alice, '/me');
    const paid = await Promise.all(Array.from({ length: 40 }, (_, i) => award(h, { memberId: alice.id, source: 'like_given', key: `like_given:${i}:tg:11` })));

    expect(paid.reduce((sum, p) => sum + p.paid, 0)).toBe(10);
    expect(await balanceOf(h, alice)).toBe(10);
  });

  it('pays each key once when 50 same-key awards with a cap race', { timeout: 60_000 }, async () => {
    await h.command(alice, '/me');
    const paid = await Promise.all(Array.from({ length: 50 }, () => award(h, { memberId: alice.id, source: 'like_received', key: 'like_received:3:tg:12' })));

    expect(paid.filter((p) => p.paid > 0)).toHaveLength(1);
    expect(await h.db.prisma.pointEntry.count({ where: { key: 'like_received:3:tg:12' } })).toBe(1);
  });

  it('pays likes between friends racing both ways without deadlocks (liker and author paid in one transaction)', { timeout: 60_000 }, async () => {
    const friends: Actor[] = Array.from({ length: 10 }, (_, i) => ({ id: `tg:${700 + i}`, displayName: `F${i}`, languageCode: 'en' }));
    for (const f of friends) await h.command(f, '/me');
    // Every friend likes every other friend's share at once, as the likes feature pays a like: liker, then author.
    const like = (liker: Actor, author: Actor) =>
      h.store.transaction(async (tx) => {
        const env = { tx, now: h.clock.now(), defaultLanguage: 'en' as const, out: new Outbox() };
        const reference = `share:${author.id}`;
        await awardPoints(env, { groupId: GROUP.id, memberId: liker.id, source: 'like_given', reference, key: `like_given:${author.id}:${liker.id}` });
        await awardPoints(env, { groupId: GROUP.id, memberId: author.id, source: 'like_received', reference, key: `like_received:${author.id}:${liker.id}` });
      });
    const pairs = friends.flatMap((a) => friends.filter((b) => b !== a).map((b) => [a, b] as const));
    const results = await Promise.allSettled(pairs.map(([a, b]) => like(a, b)));

    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    // 9 likes given (cap 10) and 9 received (cap 20) each.
    for (const f of friends) expect(await balanceOf(h, f)).toBe(18);
  });
});
