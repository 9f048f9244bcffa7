/**
 * Prisma on PGlite through pglite-queries.ts (each statement in one exchange): values of every kind the schema uses
 * go in and come back as they were, errors keep their meaning, and the raw store statements of the hot paths give
 * what the Prisma model queries gave. Runs on PostgreSQL too when TEST_DATABASE_URL is set (the same assertions).
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { toParam } from '../../prisma/pglite-queries.js';
import { PrismaStore } from '../../prisma/store.js';
import { hasPostgres, type TestDatabase } from '../support/database.js';
import { useTestDatabase } from '../support/use-test-database.js';

const GROUP = 'tg:-100';
const database = useTestDatabase();
let db: TestDatabase;
beforeEach(async () => {
  db = database.current;
  await db.prisma.group.create({ data: { id: GROUP, platform: 'tg', title: 'Neighbours' } });
  await db.prisma.member.create({ data: { id: 'tg:1', platform: 'tg', displayName: 'Anna' } });
});

describe('parameters as PostgreSQL text', () => {
  it('writes array literals with quotes, backslashes, commas and nulls escaped', () => {
    expect(toParam(['a', 'b"c', 'd\\e', 'f,g', null])).toBe('{"a","b\\"c","d\\\\e","f,g",NULL}');
    expect(toParam([1, 2])).toBe('{"1","2"}');
    expect(toParam(true)).toBe('true');
    expect(toParam(12n)).toBe('12');
    expect(toParam({ a: [1, 'x'] })).toBe('{"a":[1,"x"]}');
    expect(toParam(null)).toBeNull();
  });
});

describe(`Prisma through one exchange per statement (${hasPostgres ? 'PostgreSQL' : 'PGlite'})`, () => {
  it('round-trips text with quotes, dates to the millisecond, JSON, enums, null and lists in filters', async () => {
    const name = `O'Brien "the" \\ 王`;
    const at = new Date('2026-03-04T05:06:07.089Z');
    await db.prisma.member.create({ data: { id: 'tg:2', platform: 'tg', displayName: name } });
    const buy = await db.prisma.groupBuy.create({
      data: {
        groupId: GROUP, chatId: GROUP, title: 'Tea', unitPriceCents: 1050, minUnits: 1, maxUnits: 10, endsAt: at, createdById: 'tg:1',
        tiers: [{ minUnits: 5, priceCents: 900 }], variants: [],
      },
    });
    await db.prisma.signUp.create({ data: { buyId: buy.id, memberId: 'tg:2', quantity: 2, status: 'waitlisted', joinedAt: at, waitlistedAt: at, updatedAt: at } });
    const row = await db.prisma.signUp.findFirstOrThrow({ where: { memberId: { in: ['tg:404', 'tg:2'] }, status: { in: ['waitlisted', 'left'] } }, include: { member: true, buy: true } });
    expect(row.member.displayName).toBe(name);
    expect(row.joinedAt.toISOString()).toBe(at.toISOString());
    expect(row.status).toBe('waitlisted');
    expect(row.leftAt).toBeNull();
    expect(row.buy.tiers).toEqual([{ minUnits: 5, priceCents: 900 }]);
    const [raw] = await db.prisma.$queryRaw<{ n: bigint; s: string; ok: boolean }[]>`SELECT COUNT(*) AS n, ${name}::text AS s, ${true}::boolean AS ok FROM "SignUp"`;
    expect(raw).toEqual({ n: 1n, s: name, ok: true });
  });

  it('reports a unique violation as Prisma does, and the transaction rolls back', async () => {
    await db.prisma.pointEntry.create({ data: { groupId: GROUP, memberId: 'tg:1', amount: 1, reason: 'x', key: 'k1' } });
    await expect(db.prisma.pointEntry.create({ data: { groupId: GROUP, memberId: 'tg:1', amount: 1, reason: 'x', key: 'k1' } })).rejects.toMatchObject({ code: 'P2002' });
    await expect(
      db.prisma.$transaction(async (tx) => {
        await tx.pointEntry.create({ data: { groupId: GROUP, memberId: 'tg:1', amount: 5, reason: 'x', key: 'k2' } });
        await tx.pointEntry.create({ data: { groupId: GROUP, memberId: 'tg:1', amount: 5, reason: 'x', key: 'k1' } });
      }),
    ).rejects.toMatchObject({ code: 'P2002' });
    expect(await db.prisma.pointEntry.count()).toBe(1);
    // The connection is usable afterwards.
    expect(await db.prisma.pointEntry.count({ where: { key: 'k2' } })).toBe(0);
  });

  it('counts affected rows (createMany skipping duplicates, updateMany)', async () => {
    const data = [{ groupId: GROUP, memberId: 'tg:1', amount: 1, reason: 'x', key: 'a' }, { groupId: GROUP, memberId: 'tg:1', amount: 2, reason: 'x', key: 'b' }];
    expect((await db.prisma.pointEntry.createMany({ data, skipDuplicates: true })).count).toBe(2);
    expect((await db.prisma.pointEntry.createMany({ data, skipDuplicates: true })).count).toBe(0);
    expect((await db.prisma.pointEntry.updateMany({ where: { key: { in: ['a', 'b', 'c'] } }, data: { note: 'n' } })).count).toBe(2);
  });
});

describe(`raw hot-path store statements (${hasPostgres ? 'PostgreSQL' : 'PGlite'})`, () => {
  it('updateSignUp sets the fields given, leaves the others, and clears the ones given as null', async () => {
    const store = new PrismaStore(db.prisma);
    const at = new Date('2026-03-04T05:06:07.089Z');
    const buy = await store.createBuy({
      groupId: GROUP, chatId: GROUP, title: 'Tea', unitPriceCents: 1000, minUnits: 1, maxUnits: 10, endsAt: at, createdById: 'tg:1', tiers: [], variants: [],
    } as never);
    const created = await store.createSignUp({ buyId: buy.id, memberId: 'tg:1', quantity: 1, status: 'waitlisted', joinedAt: at, waitlistedAt: at, note: 'no sugar' });
    expect(created).toMatchObject({ quantity: 1, status: 'waitlisted', waitlistedAt: at, note: 'no sugar', variant: null, leftAt: null });
    const later = new Date(at.getTime() + 60_000);
    const updated = await store.updateSignUp(created.id, { status: 'active', joinedAt: later, waitlistedAt: null });
    expect(updated).toMatchObject({ quantity: 1, status: 'active', joinedAt: later, waitlistedAt: null, note: 'no sugar' });
    expect(await store.getSignUp(buy.id, 'tg:1')).toEqual(updated);
    const [view] = await store.listSignUps(buy.id);
    expect(view).toMatchObject({ ...updated, displayName: 'Anna', username: null, memberLanguage: null });
    await expect(store.updateSignUp(999_999, { note: 'x' })).rejects.toThrow(/no sign-up/);
  });
});
