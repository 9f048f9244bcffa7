/**
 * Raw statements straight on the driver (prisma/direct-sql.ts) give and take the same values as Prisma's own
 * `$queryRaw`, keep one transaction with the model queries that enter Prisma inside it, and are reported to
 * `onQuery`. Runs on PostgreSQL too when TEST_DATABASE_URL is set (the same assertions).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { directSqlOf, type DirectSql } from '../../prisma/direct-sql.js';
import { Prisma } from '../../prisma/generated/client.js';
import { PrismaStore } from '../../prisma/store.js';
import { createTestDatabase, hasPostgres, type TestDatabase } from '../support/database.js';

const GROUP = 'tg:-100';
const statements: string[] = [];
let db: TestDatabase;
let direct: DirectSql;
beforeAll(async () => {
  db = await createTestDatabase({ onQuery: (sql) => statements.push(sql) });
  direct = directSqlOf(db.prisma)!;
});
afterAll(() => db?.close());
beforeEach(async () => {
  await db.reset();
  await db.prisma.group.create({ data: { id: GROUP, platform: 'tg', title: 'Neighbours' } });
  await db.prisma.member.create({ data: { id: 'tg:1', platform: 'tg', displayName: 'Anna' } });
  statements.length = 0;
});

/** Typed expressions, each with NULL of its type beside it. */
const EXPRESSIONS = [
  `1::int2`, `-7::int4`, `9007199254740993::int8`, `26::oid`, `1.5::float4`, `-2.25::float8`, `'NaN'::float8`, `'Infinity'::float8`,
  `12.3400::numeric`, `'1e-20'::numeric`, `true`, `false`, `'a''b "c" \\ 王'::text`, `'x'::varchar(3)`, `'ab'::char(4)`, `'n'::name`,
  `'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid`, `'{"a":[1,"x",null],"b":{"c":true}}'::jsonb`, `'[1,2]'::json`,
  `'null'::jsonb`, `'"s"'::json`, `'\\x00ff10'::bytea`, `'2026-03-04'::date`, `'05:06:07.089'::time`, `'05:06:07+02'::timetz`,
  `'2026-03-04 05:06:07.089'::timestamp(3)`, `'2026-03-04 05:06:07'::timestamp`, `'2026-03-04 05:06:07.089+00'::timestamptz(3)`,
  `'waitlisted'::"SignUpStatus"`, `ARRAY[1, NULL, 3]::int4[]`, `ARRAY[9007199254740993]::int8[]`, `ARRAY['a', 'b"c', 'd\\e', 'f,g', NULL, 'NULL', '']::text[]`,
  `ARRAY[true, false]`, `ARRAY[1.5, 2]::numeric[]`, `ARRAY['2026-03-04 05:06:07.089'::timestamp(3)]`, `ARRAY['{"a":1}'::jsonb, '[2]'::jsonb]`,
  `ARRAY['2026-03-04'::date]`, `ARRAY[1.25::float8]`, `ARRAY['a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid]`,
  `ARRAY[]::int4[]`, `ARRAY['\\x01'::bytea]`, `'12.50'::money`,
];

const selectAll = EXPRESSIONS.map((e, i) => `${e} AS "c${i}", NULL::${typeOf(e)} AS "n${i}"`).join(', ');

/** The cast type of an expression, for its NULL twin (arrays and booleans have none written out). */
function typeOf(expression: string): string {
  if (/^(true|false)$/.test(expression)) return 'boolean';
  if (expression === 'ARRAY[true, false]') return 'boolean[]';
  const cast = expression.match(/::("?[\w ]+"?(?:\(\d+\))?(?:\[\])?)$/);
  if (cast) return cast[1]!;
  if (expression.startsWith("ARRAY['2026-03-04 05")) return 'timestamp(3)[]';
  if (expression.startsWith("ARRAY['{")) return 'jsonb[]';
  if (expression.startsWith("ARRAY['2026-03-04'")) return 'date[]';
  if (expression.startsWith('ARRAY[1.25')) return 'float8[]';
  if (expression.startsWith("ARRAY['a0")) return 'uuid[]';
  if (expression.startsWith("ARRAY['\\x01'")) return 'bytea[]';
  throw new Error(`no type for ${expression}`);
}

/** Parameters of every kind the app sends, each read back as text (bytes: as bytea, below). */
const AT = new Date('2026-03-04T05:06:07.089Z');
const PARAMETERS: unknown[] = [
  null, undefined, 'O\'Brien "the" \\ 王', '', 42, -0, 1.5, 1e21, Number.NaN, true, false, 12n, AT, new Date('2026-03-04T00:00:00Z'),
  new Prisma.Decimal('12.340'), { a: [1, 'x', null], b: { c: 2n } }, ['a', 'b"c', null], [1, 2, 3], [AT],
];

describe(`direct raw statements give what Prisma's $queryRaw gives (${hasPostgres ? 'PostgreSQL' : 'PGlite'})`, () => {
  it('reads every column type the same, outside and inside a transaction', async () => {
    const viaPrisma = await db.prisma.$queryRawUnsafe<Record<string, unknown>[]>(`SELECT ${selectAll}`);
    const root = direct.rootDb(db.prisma);
    const outside = await root.$queryRawUnsafe<Record<string, unknown>[]>(`SELECT ${selectAll}`);
    const inside = await direct.transaction(db.prisma, (tx) => tx.$queryRawUnsafe<Record<string, unknown>[]>(`SELECT ${selectAll}`));
    expect(Object.keys(viaPrisma[0]!)).toHaveLength(EXPRESSIONS.length * 2);
    for (const key of Object.keys(viaPrisma[0]!)) {
      const expected = viaPrisma[0]![key];
      expect({ key, value: outside[0]![key] }).toStrictEqual({ key, value: expected });
      expect({ key, value: inside[0]![key] }).toStrictEqual({ key, value: expected });
    }
    // A few spelled out, so that a change in Prisma shows here too.
    expect(viaPrisma[0]).toMatchObject({ c2: 9007199254740993n, c8: new Prisma.Decimal('12.34'), c17: { a: [1, 'x', null], b: { c: true } }, c25: AT, c28: 'waitlisted' });
  });

  it('sends parameters the same, through tagged templates and the Unsafe form', async () => {
    for (const value of PARAMETERS) {
      const asText = (d: { $queryRaw: typeof db.prisma.$queryRaw }) => d.$queryRaw<{ t: string | null }[]>`SELECT ${value}::text AS t`;
      const expected = await asText(db.prisma);
      expect({ value, got: await asText(direct.rootDb(db.prisma)) }).toStrictEqual({ value, got: expected });
      expect({ value, got: await direct.transaction(db.prisma, (tx) => asText(tx)) }).toStrictEqual({ value, got: expected });
    }
    const typed = (d: { $queryRawUnsafe: typeof db.prisma.$queryRawUnsafe }) =>
      d.$queryRawUnsafe<Record<string, unknown>[]>(
        `SELECT $1::timestamp(3) AS ts, $2::int8 AS big, $3::numeric AS dec, $4::jsonb AS js, $5::text[] AS arr, $6::bytea AS bytes, $7::int AS n, $8::boolean AS b`,
        AT, 12n, new Prisma.Decimal('1.50'), { k: [1, 2] }, ['x', null], Buffer.from([7, 8]), 5, true,
      );
    const expected = await typed(db.prisma);
    expect(await typed(direct.rootDb(db.prisma))).toStrictEqual(expected);
    expect(expected[0]).toMatchObject({ ts: AT, big: 12n, js: { k: [1, 2] }, arr: ['x', null], n: 5, b: true });
  });

  it('counts affected rows as $executeRaw does', async () => {
    const insert = (d: { $executeRaw: typeof db.prisma.$executeRaw }, key: string) =>
      d.$executeRaw`INSERT INTO "PointEntry" ("groupId", "memberId", "amount", "reason", "key", "createdAt") VALUES (${GROUP}, 'tg:1', 1, 'x', ${key}, ${AT}) ON CONFLICT DO NOTHING`;
    expect(await insert(db.prisma, 'a')).toBe(1);
    expect(await insert(direct.rootDb(db.prisma), 'a')).toBe(0);
    expect(await direct.transaction(db.prisma, (tx) => insert(tx, 'b'))).toBe(1);
    const update = `UPDATE "PointEntry" SET "note" = $1 WHERE "memberId" = 'tg:1'`;
    expect(await direct.rootDb(db.prisma).$executeRawUnsafe(update, 'n')).toBe(await db.prisma.$executeRawUnsafe(update, 'n'));
  });

  it('fails a statement with the server\'s code, as Prisma reports a raw query that failed', async () => {
    const duplicate = (d: { $executeRawUnsafe: typeof db.prisma.$executeRawUnsafe }) =>
      d.$executeRawUnsafe(`INSERT INTO "Member" ("id", "platform", "displayName", "updatedAt") VALUES ('tg:1', 'tg', 'Again', now())`);
    const viaPrisma = await duplicate(db.prisma).catch((e: unknown) => e);
    const viaDriver = await duplicate(direct.rootDb(db.prisma)).catch((e: unknown) => e);
    expect(viaDriver).toBeInstanceOf(Prisma.PrismaClientKnownRequestError);
    expect(viaDriver).toMatchObject({ code: (viaPrisma as { code: string }).code });
    expect(String((viaDriver as Error).message)).toContain('23505');
  });
});

describe(`a store transaction on the driver (${hasPostgres ? 'PostgreSQL' : 'PGlite'})`, () => {
  it('runs model queries in the same transaction as the raw ones: both commit, or both roll back', async () => {
    const store = new PrismaStore(db.prisma);
    await store.transaction(async (tx) => {
      await tx.addPointEntry({ groupId: GROUP, memberId: 'tg:1', amount: 3, reason: 'x', key: 'raw', at: AT });
      // A model query (Prisma entered), then raw again: each sees the other's row.
      await tx.logAdminAction({ groupId: GROUP, actorId: 'tg:1', action: 'test', detail: { n: 1 }, at: AT });
      expect(await tx.pointsBalance(GROUP, 'tg:1')).toBe(3);
      const [seen] = await (tx as unknown as { db: Prisma.TransactionClient }).db.$queryRaw<{ n: number }[]>`SELECT COUNT(*)::int AS n FROM "AdminAction"`;
      expect(seen!.n).toBe(1);
    });
    expect(await db.prisma.adminAction.count()).toBe(1);
    expect(await db.prisma.pointEntry.count()).toBe(1);

    const failed = store.transaction(async (tx) => {
      await tx.addPointEntry({ groupId: GROUP, memberId: 'tg:1', amount: 5, reason: 'x', key: 'raw2', at: AT });
      await tx.logAdminAction({ groupId: GROUP, actorId: 'tg:1', action: 'test', detail: {}, at: AT });
      throw new Error('changed my mind');
    });
    await expect(failed).rejects.toThrow('changed my mind');
    expect(await db.prisma.adminAction.count()).toBe(1);
    expect(await db.prisma.pointEntry.count()).toBe(1);
    // The connection and Prisma are usable afterwards, inside a transaction and out.
    await store.transaction((tx) => tx.logAdminAction({ groupId: GROUP, actorId: 'tg:1', action: 'again', detail: {}, at: AT }));
    expect(await db.prisma.adminAction.count()).toBe(2);
  });

  it('keeps each of many transactions entering Prisma at once on its own connection', async () => {
    const store = new PrismaStore(db.prisma, { concurrency: 8 });
    const runs = Array.from({ length: 16 }, (_, i) =>
      store.transaction(async (tx) => {
        await tx.addPointEntry({ groupId: GROUP, memberId: 'tg:1', amount: 1, reason: 'x', key: `c${i}`, at: AT });
        await tx.logAdminAction({ groupId: GROUP, actorId: 'tg:1', action: `a${i}`, detail: { i }, at: AT });
        const raw = (tx as unknown as { db: Prisma.TransactionClient }).db;
        // This transaction sees its own two rows, whatever the others have done so far.
        const [mine] = await raw.$queryRaw<{ n: number }[]>`
          SELECT (SELECT COUNT(*) FROM "PointEntry" WHERE "key" = ${`c${i}`})::int + (SELECT COUNT(*) FROM "AdminAction" WHERE "action" = ${`a${i}`})::int AS n`;
        expect(mine!.n).toBe(2);
        if (i % 2) throw new Error(`odd ${i}`);
      }),
    );
    const outcomes = await Promise.allSettled(runs);
    expect(outcomes.filter((o) => o.status === 'rejected')).toHaveLength(8);
    const kept = (await db.prisma.adminAction.findMany({ select: { action: true } })).map((a) => a.action).sort();
    const keys = (await db.prisma.pointEntry.findMany({ select: { key: true } })).map((p) => p.key).sort();
    const even = Array.from({ length: 8 }, (_, k) => 2 * k);
    expect(kept).toEqual(even.map((i) => `a${i}`).sort());
    expect(keys).toEqual(even.map((i) => `c${i}`).sort());
  });

  it('rolls back the raw statements when one fails, and the next transaction runs', async () => {
    const store = new PrismaStore(db.prisma);
    const failed = store.transaction(async (tx) => {
      await tx.addPointEntry({ groupId: GROUP, memberId: 'tg:1', amount: 5, reason: 'x', key: 'k', at: AT });
      await tx.upsertMember({ id: 'tg:2', platform: 'tg', displayName: 'Bo' });
      await (tx as unknown as { db: Prisma.TransactionClient }).db.$executeRaw`INSERT INTO "Member" ("id", "platform", "displayName", "updatedAt") VALUES ('tg:1', 'tg', 'Again', now())`;
    });
    await expect(failed).rejects.toMatchObject({ code: 'P2010' });
    expect(await db.prisma.pointEntry.count()).toBe(0);
    expect(await db.prisma.member.count({ where: { id: 'tg:2' } })).toBe(0);
    await store.transaction((tx) => tx.addPointEntry({ groupId: GROUP, memberId: 'tg:1', amount: 5, reason: 'x', key: 'k', at: AT }));
    expect(await db.prisma.pointEntry.count()).toBe(1);
  });

  it('reports every statement to onQuery: the raw ones, the model ones and one COMMIT', async () => {
    const store = new PrismaStore(db.prisma);
    await store.transaction(async (tx) => {
      await tx.addPointEntry({ groupId: GROUP, memberId: 'tg:1', amount: 1, reason: 'x', key: 'q1', at: AT });
      await tx.pointsBalance(GROUP, 'tg:1');
    });
    expect(statements).toHaveLength(3);
    expect(statements[0]).toMatch(/^\s*INSERT INTO "PointEntry"/);
    expect(statements[2]).toBe('COMMIT');
    statements.length = 0;
    await store.transaction(async (tx) => {
      await tx.addPointEntry({ groupId: GROUP, memberId: 'tg:1', amount: 1, reason: 'x', key: 'q2', at: AT });
      await tx.logAdminAction({ groupId: GROUP, actorId: 'tg:1', action: 'test', detail: {}, at: AT });
    });
    // The raw INSERT, Prisma's INSERT, and one COMMIT (Prisma's report of it, as before this change).
    expect(statements.filter((s) => /COMMIT/.test(s))).toHaveLength(1);
    expect(statements.filter((s) => /INSERT INTO "public"."AdminAction"|INSERT INTO "AdminAction"/.test(s))).toHaveLength(1);
    expect(statements).toHaveLength(3);
  });
});

describe(`statements prepared by name (${hasPostgres ? 'PostgreSQL' : 'PGlite'})`, () => {
  it('a statement first prepared in a transaction that rolled back runs again afterwards', async () => {
    const store = new PrismaStore(db.prisma, { concurrency: 1 });
    const tag = `k${Date.now()}`;
    const read = (d: Prisma.TransactionClient) => d.$queryRaw<{ n: number }[]>`SELECT COUNT(*)::int AS n FROM "PointEntry" WHERE "key" = ${tag} /* first seen here */`;
    await expect(
      store.transaction(async (tx) => {
        expect((await read((tx as unknown as { db: Prisma.TransactionClient }).db))[0]!.n).toBe(0);
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    for (let i = 0; i < 3; i++) {
      expect((await store.transaction((tx) => read((tx as unknown as { db: Prisma.TransactionClient }).db)))[0]!.n).toBe(0);
      expect((await read(direct.rootDb(db.prisma)))[0]!.n).toBe(0);
    }
  });

  it('a prepared SELECT * follows a column added under it (at most one failure, then the new shape)', async () => {
    await db.executeSql(`CREATE TABLE IF NOT EXISTS "ShapeProbe" ("id" int)`);
    await db.executeSql(`INSERT INTO "ShapeProbe" VALUES (1)`);
    const root = direct.rootDb(db.prisma);
    const read = () => root.$queryRaw<Record<string, unknown>[]>`SELECT * FROM "ShapeProbe"`;
    for (let i = 0; i < 6; i++) expect(await read()).toEqual([{ id: 1 }]);
    await db.executeSql(`ALTER TABLE "ShapeProbe" ADD COLUMN "extra" text DEFAULT 'x'`);
    let failures = 0;
    let rows: Record<string, unknown>[] | undefined;
    for (let i = 0; i < 12 && !rows; i++) rows = await read().catch(() => void failures++);
    await db.executeSql(`DROP TABLE "ShapeProbe"`);
    // One failure per connection that had it prepared, at most (PostgreSQL: the pool's; PGlite: one).
    expect(failures).toBeLessThanOrEqual(hasPostgres ? 10 : 1);
    expect(rows).toEqual([{ id: 1, extra: 'x' }]);
    expect(await read().catch((e: unknown) => e)).toBeInstanceOf(Error);
  });
});
