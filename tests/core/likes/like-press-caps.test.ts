/**
 * Like presses racing each other near the daily caps (the toggle decided by the like's INSERT, the caps inside the
 * points' INSERT). Runs on PGlite and, with TEST_DATABASE_URL, on a PostgreSQL server, where the presses truly
 * run at once under READ COMMITTED.
 */
import { describe, expect, it } from 'vitest';
import { Outbox } from '../../../core/context.js';
import type { Actor } from '../../../core/events.js';
import { awardPointsTogether } from '../../../core/points/award-points.js';
import { anna, GROUP, useCoreHarness, type CoreHarness } from '../../support/core-harness.js';
import { share } from './likes-helpers.js';

const people = (first: number, n: number, name: string): Actor[] =>
  Array.from({ length: n }, (_, i) => ({ id: `tg:${first + i}`, displayName: `${name} ${i}`, languageCode: 'en' }));

async function paid(h: CoreHarness, reason: string, memberId?: string): Promise<{ sum: number; entries: number }> {
  const rows = await h.db.prisma.pointEntry.findMany({ where: { groupId: GROUP.id, reason, ...(memberId ? { memberId } : {}) } });
  return { sum: rows.reduce((s, r) => s + r.amount, 0), entries: rows.length };
}

describe('like presses near the daily caps', () => {
  const h = useCoreHarness({ poolSize: 20 });

  it('pays a liker up to the like_given cap, never past it, when their presses on eight shares arrive at once', { timeout: 120_000 }, async () => {
    await h.command(anna, '/pointrules like_given cap 3');
    const authors = people(3000, 8, 'Author');
    for (const author of authors) await share(h, author, `Share by ${author.displayName}`);
    const [liker] = people(3100, 1, 'Liker');
    // One like already paid today: the cap leaves 2.
    await h.press(liker!, 'lk:1');

    const results = await Promise.all(authors.slice(1).map((_, i) => h.press(liker!, `lk:${i + 2}`)));

    expect(results.every((r) => !r.duplicate)).toBe(true);
    expect(h.logger.entries.filter((e) => e.level === 'error')).toEqual([]);
    expect(await paid(h, 'like_given', liker!.id)).toEqual({ sum: 3, entries: 3 });
    // Every author is paid for the like received (their own caps are far), and every share counts its one like.
    expect(await paid(h, 'like_received')).toEqual({ sum: 8, entries: 8 });
    const shares = await h.db.prisma.share.findMany({ orderBy: { id: 'asc' } });
    expect(shares.map((s) => s.likeCount)).toEqual(Array(8).fill(1));
    expect(await h.db.prisma.shareLike.count({ where: { likerId: liker!.id } })).toBe(8);
  });

  it('pays an author up to the like_received cap, and each press once, when many members press at once, some twice', { timeout: 120_000 }, async () => {
    await h.command(anna, '/pointrules like_received cap 5');
    const [author] = people(3200, 1, 'Author');
    await share(h, author!, 'Racing strawberries');
    const likers = people(3300, 12, 'Liker');
    // The first three press twice (two updates): the two presses of one member toggle, so they end up not liking.
    const presses = likers.flatMap((liker, i) => (i < 3 ? [h.press(liker, 'lk:1'), h.press(liker, 'lk:1')] : [h.press(liker, 'lk:1')]));

    const results = await Promise.all(presses);

    expect(results.every((r) => !r.duplicate)).toBe(true);
    expect(h.logger.entries.filter((e) => e.level === 'error')).toEqual([]);
    const likes = await h.db.prisma.shareLike.findMany({ where: { shareId: 1 } });
    expect(likes.map((l) => l.likerId).sort()).toEqual(likers.slice(3).map((l) => l.id).sort());
    expect((await h.db.prisma.share.findUniqueOrThrow({ where: { id: 1 } })).likeCount).toBe(9);
    const events = await h.db.prisma.likeEvent.findMany({ where: { shareId: 1 }, orderBy: { id: 'asc' } });
    expect(events.filter((e) => e.action === 'like')).toHaveLength(12);
    expect(events.filter((e) => e.action === 'unlike').map((e) => e.likerId).sort()).toEqual(likers.slice(0, 3).map((l) => l.id).sort());
    // Each member's unlike comes after their like.
    for (const liker of likers.slice(0, 3)) expect(events.filter((e) => e.likerId === liker.id).map((e) => e.action)).toEqual(['like', 'unlike']);
    expect(await paid(h, 'like_received', author!.id)).toEqual({ sum: 5, entries: 5 });
    // Each liker was paid once for giving (the unlike takes nothing back; their own cap of 10 is far).
    expect(await paid(h, 'like_given')).toEqual({ sum: 12, entries: 12 });
  });

  it('waits for an award of the same member and source still open elsewhere, and counts it against the cap', { timeout: 120_000 }, async () => {
    await h.command(anna, '/pointrules like_given cap 3');
    const authors = people(3400, 3, 'Author');
    for (const author of authors) await share(h, author, `Share by ${author.displayName}`);
    const [liker] = people(3500, 1, 'Liker');
    await h.press(liker!, 'lk:1');
    await h.press(liker!, 'lk:2');
    // Another transaction pays the liker's last like_given of the day and stays open a while before it commits.
    let paidOpen = (_: number) => {};
    const opened = new Promise<number>((resolve) => (paidOpen = resolve));
    const open = h.store.transaction(async (tx) => {
      const env = { tx, now: h.clock.now(), defaultLanguage: 'en' as const, out: new Outbox() };
      const [paidThere] = await awardPointsTogether(env, [{ groupId: GROUP.id, memberId: liker!.id, source: 'like_given', reference: 'elsewhere', key: 'like_given:elsewhere' }]);
      paidOpen(paidThere!);
      await new Promise((resolve) => setTimeout(resolve, 500));
    });
    expect(await opened).toBe(1);
    // The press starts while that payment is not committed: it must wait for it and then find the cap reached.
    const press = h.press(liker!, 'lk:3');
    await open;
    await press;

    expect(h.logger.entries.filter((e) => e.level === 'error')).toEqual([]);
    expect(await paid(h, 'like_given', liker!.id)).toEqual({ sum: 3, entries: 3 });
    expect((await h.db.prisma.share.findUniqueOrThrow({ where: { id: 3 } })).likeCount).toBe(1);
  });
});
