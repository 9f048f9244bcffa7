import { beforeEach, describe, expect, it } from 'vitest';
import { PrismaStore } from '../../prisma/store.js';
import { hasPostgres, type TestDatabase } from '../support/database.js';
import { useTestDatabase } from '../support/use-test-database.js';

const GROUP = 'tg:-100';
const MEMBER = 'tg:7';
const at = new Date('2026-12-20T02:00:00Z');

const database = useTestDatabase();
let db: TestDatabase;
beforeEach(async () => {
  db = database.current;
  await db.prisma.group.create({ data: { id: GROUP, platform: 'tg', title: 'Neighbours' } });
  await db.prisma.member.create({ data: { id: MEMBER, platform: 'tg', displayName: 'Alice' } });
});

const entry = (reason: string, key: string) => ({ groupId: GROUP, memberId: MEMBER, amount: 5, reason, key, at });

describe(`what a transaction keeps of the last check-in (${hasPostgres ? 'PostgreSQL' : 'PGlite'})`, () => {
  it('brings the badges held and whether a review was paid, and follows the writes of the transaction', async () => {
    await db.prisma.checkIn.create({ data: { groupId: GROUP, memberId: MEMBER, day: '2026-12-19', streak: 3, createdAt: new Date('2026-12-19T01:02:03.456Z') } });
    await db.prisma.badgeAward.create({ data: { groupId: GROUP, memberId: MEMBER, badge: 'first_share', awardedAt: new Date('2026-12-01T00:00:00.789Z') } });
    const seen = await new PrismaStore(db.prisma).transaction(async (tx) => {
      const last = await tx.points.lastCheckIn(GROUP, MEMBER);
      const badges = await tx.points.listBadges(GROUP, MEMBER);
      const before = await tx.points.hasEntry(GROUP, MEMBER, 'review');
      await tx.addPointEntry(entry('checkin', 'c:1'));
      const afterCheckinEntry = await tx.points.hasEntry(GROUP, MEMBER, 'review');
      await tx.addPointEntry(entry('review', 'r:1'));
      const afterReview = await tx.points.hasEntry(GROUP, MEMBER, 'review');
      await tx.points.awardBadge(GROUP, MEMBER, 'first_review', at);
      await tx.points.addCheckIn(GROUP, MEMBER, { day: '2026-12-20', streak: 4, at });
      return { last, badges, before, afterCheckinEntry, afterReview, badgesAfter: await tx.points.listBadges(GROUP, MEMBER), lastAfter: await tx.points.lastCheckIn(GROUP, MEMBER) };
    });
    expect(seen.last).toEqual({ day: '2026-12-19', streak: 3, at: new Date('2026-12-19T01:02:03.456Z') });
    expect(seen.badges).toEqual([{ badge: 'first_share', at: new Date('2026-12-01T00:00:00.789Z') }]);
    expect([seen.before, seen.afterCheckinEntry, seen.afterReview]).toEqual([false, false, true]);
    expect(seen.badgesAfter.map((b) => b.badge)).toEqual(['first_share', 'first_review']);
    expect(seen.lastAfter).toEqual({ day: '2026-12-20', streak: 4, at });
  });

  it('reads nothing for a member who never checked in, and a review paid before the transaction', async () => {
    await db.prisma.pointEntry.create({ data: { groupId: GROUP, memberId: MEMBER, amount: 10, reason: 'review', key: 'r:0', createdAt: at } });
    const seen = await new PrismaStore(db.prisma).transaction(async (tx) => ({
      last: await tx.points.lastCheckIn(GROUP, MEMBER),
      badges: await tx.points.listBadges(GROUP, MEMBER),
      reviewed: await tx.points.hasEntry(GROUP, MEMBER, 'review'),
    }));
    expect(seen).toEqual({ last: null, badges: [], reviewed: true });
  });
});
