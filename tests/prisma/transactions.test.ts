import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, hasPostgres, needsPostgres, type TestDatabase } from '../support/database.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.close();
});
beforeEach(async () => {
  await db.reset();
  await db.prisma.group.create({ data: { id: 'tg:-100', platform: 'tg', title: 'Neighbours' } });
  await db.prisma.groupBuy.create({
    data: {
      groupId: 'tg:-100',
      chatId: 'tg:-100',
      title: 'Mangoes',
      unitPriceCents: 3990,
      minUnits: 1,
      maxUnits: 100,
      endsAt: new Date(Date.now() + 3600_000),
      createdById: 'tg:1',
    },
  });
});

describe(`interactive transactions (${hasPostgres ? 'PostgreSQL' : 'PGlite'})`, () => {
  it('SELECT ... FOR UPDATE serialises concurrent read-modify-write', async () => {
    const buy = await db.prisma.groupBuy.findFirstOrThrow();
    const bump = () =>
      db.prisma.$transaction(async (tx) => {
        const [row] = await tx.$queryRaw<{ minUnits: number }[]>`
          SELECT "minUnits" FROM "GroupBuy" WHERE id = ${buy.id} FOR UPDATE`;
        // Yield so that, without the row lock, the other transactions would read the same value.
        await new Promise((resolve) => setTimeout(resolve, 5));
        await tx.groupBuy.update({ where: { id: buy.id }, data: { minUnits: row!.minUnits + 1 } });
      });
    await Promise.all(Array.from({ length: 10 }, bump));
    expect((await db.prisma.groupBuy.findUniqueOrThrow({ where: { id: buy.id } })).minUnits).toBe(11);
  });

  it('rolls back everything when the callback throws', async () => {
    await expect(
      db.prisma.$transaction(async (tx) => {
        await tx.member.create({ data: { id: 'tg:2', platform: 'tg', displayName: 'Bo' } });
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    expect(await db.prisma.member.count()).toBe(0);
  });

  it('pg-boss SQL and Prisma share the database', async () => {
    const { rows } = await db.executeSql('SELECT count(*)::int AS n FROM "GroupBuy" WHERE title = $1', ['Mangoes']);
    expect(rows).toEqual([{ n: 1 }]);
    // Multi-statement text without values, as pg-boss sends for its schema.
    const multi = await db.executeSql('SELECT 1 AS a; SELECT 2 AS b');
    expect(multi.rows).toEqual([{ a: 1 }, { b: 2 }]);
  });
});

describe.runIf(hasPostgres)('row locks on PostgreSQL', () => {
  it('a second FOR UPDATE waits for the first transaction to commit', async () => {
    const buy = await db.prisma.groupBuy.findFirstOrThrow();
    const events: string[] = [];
    let releaseFirst!: () => void;
    const firstHolds = new Promise<void>((resolve) => (releaseFirst = resolve));
    let firstLocked!: () => void;
    const locked = new Promise<void>((resolve) => (firstLocked = resolve));
    const first = db.prisma.$transaction(async (tx) => {
      await tx.$queryRaw`SELECT id FROM "GroupBuy" WHERE id = ${buy.id} FOR UPDATE`;
      events.push('first locked');
      firstLocked();
      await firstHolds;
      events.push('first commits');
    });
    await locked;
    const second = db.prisma.$transaction(async (tx) => {
      await tx.$queryRaw`SELECT id FROM "GroupBuy" WHERE id = ${buy.id} FOR UPDATE`;
      events.push('second locked');
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    events.push('released');
    releaseFirst();
    await Promise.all([first, second]);
    expect(events).toEqual(['first locked', 'released', 'first commits', 'second locked']);
  });
});

describe.skipIf(hasPostgres)(`PostgreSQL-only checks are skipped here: ${needsPostgres}`, () => {
  it('runs on PGlite, where transactions run one at a time', () => {
    expect(db.kind).toBe('pglite');
  });
});
