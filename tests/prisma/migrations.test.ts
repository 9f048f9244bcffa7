import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { createMigration } from '../../prisma/cli/create-migration.js';
import { openDatabase } from '../../prisma/database.js';
import { allRecorded, applyMigrations, pgliteMigrationFactory, readMigrations } from '../../prisma/engine.js';
import { createTestDatabase, hasPostgres, needsPostgres, testDatabaseUrl } from '../support/database.js';

const APP_TABLES = ['AdminAction', 'Dialogue', 'Group', 'GroupBuy', 'GroupMember', 'Member', 'ProcessedUpdate', 'Purchase', 'SignUp'];

async function tables(executeSql: (text: string) => Promise<{ rows: Record<string, unknown>[] }>): Promise<string[]> {
  const { rows } = await executeSql(`SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename`);
  return rows.map((row) => String(row.tablename));
}

describe('migrations on PGlite', () => {
  it('apply on an empty database, then applying again is a no-op', async () => {
    const pglite = await PGlite.create();
    try {
      const factory = pgliteMigrationFactory(pglite);
      const { migrations } = await readMigrations();
      const started = Date.now();
      expect(await applyMigrations(factory)).toEqual(migrations.map((m) => m.name));
      console.info(`PGlite: migrations applied in ${Date.now() - started} ms`);
      expect(await applyMigrations(factory)).toEqual([]);
      const names = await tables((text) => pglite.query(text) as never);
      expect(names).toEqual(expect.arrayContaining([...APP_TABLES, '_prisma_migrations']));
      const applied = await pglite.query<{ migration_name: string; finished_at: Date | null }>(
        'SELECT migration_name, finished_at FROM _prisma_migrations ORDER BY migration_name',
      );
      expect(applied.rows.map((r) => r.migration_name)).toEqual(migrations.map((m) => m.name));
      expect(applied.rows.every((r) => r.finished_at !== null)).toBe(true);
    } finally {
      await pglite.close();
    }
  });

  it('a failing migration is reported and not recorded as applied', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tuanbot-migrations-'));
    const pglite = await PGlite.create();
    try {
      const { writeFile, mkdir } = await import('node:fs/promises');
      await mkdir(join(dir, '20200101000000_broken'));
      await writeFile(join(dir, '20200101000000_broken', 'migration.sql'), 'CREATE TABLE "a" (id int);\nSELECT * FROM "missing";\n');
      await expect(applyMigrations(pgliteMigrationFactory(pglite), dir)).rejects.toThrow(/missing/);
      const { rows } = await pglite.query<{ finished_at: Date | null }>('SELECT finished_at FROM _prisma_migrations');
      expect(rows).toEqual([{ finished_at: null }]);
    } finally {
      await pglite.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('a start with every migration recorded skips the schema engine; any difference goes to it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tuanbot-migrations-'));
    const pglite = await PGlite.create();
    const query = async (sql: string) => (await pglite.query<Record<string, unknown>>(sql)).rows;
    try {
      const { writeFile, mkdir } = await import('node:fs/promises');
      await mkdir(join(dir, '20200101000000_a'));
      await writeFile(join(dir, '20200101000000_a', 'migration.sql'), 'CREATE TABLE "a" (id int);\n');
      // A new database has no record: the engine applies.
      expect(await allRecorded((await readMigrations(dir)).migrations, query)).toBe(false);
      expect(await applyMigrations(pgliteMigrationFactory(pglite), dir, query)).toEqual(['20200101000000_a']);
      expect(await allRecorded((await readMigrations(dir)).migrations, query)).toBe(true);
      // A factory that would fail if the engine ran: with everything recorded it is never used.
      const unusable = { ...pgliteMigrationFactory(pglite), connect: () => Promise.reject(new Error('engine used')) };
      expect(await applyMigrations(unusable, dir, query)).toEqual([]);
      // A new migration folder: not all recorded, the engine applies it.
      await mkdir(join(dir, '20200102000000_b'));
      await writeFile(join(dir, '20200102000000_b', 'migration.sql'), 'CREATE TABLE "b" (id int);\n');
      expect(await allRecorded((await readMigrations(dir)).migrations, query)).toBe(false);
      expect(await applyMigrations(pgliteMigrationFactory(pglite), dir, query)).toEqual(['20200102000000_b']);
      // An applied migration edited afterwards: its checksum differs, the engine decides (as without the shortcut).
      await writeFile(join(dir, '20200101000000_a', 'migration.sql'), 'CREATE TABLE "a" (id bigint);\n');
      expect(await allRecorded((await readMigrations(dir)).migrations, query)).toBe(false);
      await writeFile(join(dir, '20200101000000_a', 'migration.sql'), 'CREATE TABLE "a" (id int);\n');
      // A failed migration on record (started, never finished): the engine reports it.
      await pglite.query(`UPDATE _prisma_migrations SET finished_at = NULL WHERE migration_name = '20200102000000_b'`);
      expect(await allRecorded((await readMigrations(dir)).migrations, query)).toBe(false);
    } finally {
      await pglite.close();
      await rm(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it('openDatabase on a PGlite folder migrates once and reopens without changes', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tuanbot-pglite-'));
    try {
      const first = await openDatabase({ dataDir: dir });
      expect(first.appliedMigrations.length).toBeGreaterThan(0);
      await first.prisma.member.create({ data: { id: 'tg:1', platform: 'tg', displayName: 'Ann' } });
      await first.close();
      const second = await openDatabase({ dataDir: dir });
      expect(second.appliedMigrations).toEqual([]);
      expect(await second.prisma.member.count()).toBe(1);
      await second.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('creating migrations', () => {
  it('says "no changes" after init', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tuanbot-empty-'));
    try {
      // Nothing is written when the schema matches the existing migrations.
      expect(await createMigration('noop')).toBeNull();
      // From an empty folder, the first migration creates every table, plus the lock file.
      const folder = await createMigration('init', { migrationsDir: dir, now: new Date('2026-01-02T03:04:05Z') });
      expect(folder).toBe(join(dir, '20260102030405_init'));
      const { migrations, lockfile } = await readMigrations(dir);
      expect(lockfile).toContain('provider = "postgresql"');
      expect(migrations[0]?.sql).toContain('CREATE TABLE "GroupBuy"');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    // The schema engine replays every migration into a shadow database twice: CPU-bound, slow on a loaded machine.
  }, 120_000);
});

describe.runIf(hasPostgres)('migrations on PostgreSQL', () => {
  const admin = testDatabaseUrl ?? '';
  const name = `tuanbot_migrate_${process.pid}`;
  const url = () => {
    const parsed = new URL(admin);
    parsed.pathname = `/${name}`;
    return parsed.toString();
  };
  const adminQuery = async (sql: string) => {
    const client = new pg.Client({ connectionString: admin });
    await client.connect();
    await client.query(sql).finally(() => client.end());
  };
  afterAll(async () => {
    if (admin) await adminQuery(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  });

  it('apply on an empty database, then applying again is a no-op', async () => {
    await adminQuery(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await adminQuery(`CREATE DATABASE "${name}"`);
    const started = Date.now();
    const first = await openDatabase({ url: url() });
    console.info(`PostgreSQL: open + migrations applied in ${Date.now() - started} ms`);
    const { migrations } = await readMigrations();
    expect(first.appliedMigrations).toEqual(migrations.map((m) => m.name));
    expect(await tables((text) => first.executeSql(text))).toEqual(expect.arrayContaining([...APP_TABLES, '_prisma_migrations']));
    await first.close();
    const second = await openDatabase({ url: url() });
    expect(second.appliedMigrations).toEqual([]);
    await second.close();
  });
});

describe('test databases', () => {
  it(`are migrated and fast (${hasPostgres ? 'PostgreSQL' : `PGlite; ${needsPostgres}`})`, async () => {
    const started = Date.now();
    const db = await createTestDatabase();
    const ms = Date.now() - started;
    console.info(`createTestDatabase (${db.kind}): ${ms} ms`);
    try {
      expect(db.kind).toBe(hasPostgres ? 'postgres' : 'pglite');
      expect(db.appliedMigrations).toEqual(hasPostgres ? (await readMigrations()).migrations.map((m) => m.name) : []);
      await db.prisma.member.create({ data: { id: 'tg:1', platform: 'tg', displayName: 'Ann' } });
      await db.reset();
      expect(await db.prisma.member.count()).toBe(0);
      expect(ms).toBeLessThan(5000);
    } finally {
      await db.close();
    }
  });
});
