/**
 * Databases for tests. With TEST_DATABASE_URL (an admin URL of a PostgreSQL server) each call creates a fresh,
 * uniquely named database on that server and drops it on close; otherwise PGlite in memory. Both are migrated.
 *
 * Creating a PGlite database runs initdb, about 2-3 s here. So the first use builds a migrated template once
 * (with the real schema engine) and caches its dump in node_modules/.cache; every test database then loads
 * that dump (about 0.5 s) and the schema engine confirms nothing is pending.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { MIGRATIONS_DIR, PROJECT_ROOT, applyMigrations, pgliteMigrationFactory, readMigrations } from '../../prisma/engine.js';
import { openDatabase, type Database, type OpenDatabaseOptions } from '../../prisma/database.js';

/** A test database. `reset` empties every app table (keeping the migrations) so one database can serve a file. */
export type TestDatabase = Database & { reset(): Promise<void> };

/** PostgreSQL admin URL from the environment, if any. */
export const testDatabaseUrl: string | undefined = process.env.TEST_DATABASE_URL?.trim() || undefined;

/** Which kind of database createTestDatabase gives in this run. */
export const testDatabaseKind: 'pglite' | 'postgres' = testDatabaseUrl ? 'postgres' : 'pglite';

/** True when tests run on a PostgreSQL server: `describe.runIf(hasPostgres)` for tests that need real concurrency. */
export const hasPostgres: boolean = testDatabaseKind === 'postgres';

/** Reason to show when a PostgreSQL-only test is skipped. */
export const needsPostgres = 'needs PostgreSQL: set TEST_DATABASE_URL (see .ci/run)';

/** A fresh, migrated database for one test file (or test). Close it when done. */
export async function createTestDatabase(options: Pick<OpenDatabaseOptions, 'logger' | 'poolSize' | 'onQuery'> = {}): Promise<TestDatabase> {
  return testDatabaseUrl ? createPostgresDatabase(testDatabaseUrl, options) : createPgliteDatabase(options);
}

async function createPostgresDatabase(
  adminUrl: string,
  options: Pick<OpenDatabaseOptions, 'logger' | 'poolSize' | 'onQuery'>,
): Promise<TestDatabase> {
  const name = `tuanbot_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  await adminQuery(adminUrl, `CREATE DATABASE "${name}"`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  let db: Database;
  try {
    db = await openDatabase({ ...options, url: url.toString() });
  } catch (error) {
    await adminQuery(adminUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`).catch(() => {});
    throw error;
  }
  const close = db.close.bind(db);
  return Object.assign(db, {
    reset: () => truncateAppTables(db),
    async close() {
      await close();
      // FORCE: a pg-boss pool the test forgot to stop must not keep the database alive.
      await adminQuery(adminUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    },
  });
}

/**
 * An empty database (nothing migrated) on the TEST_DATABASE_URL server, for tests whose processes migrate it
 * themselves (start-up, several processes): its URL, and `drop` (FORCE: connections still open are ended).
 */
export async function createEmptyPostgresDatabase(prefix: string): Promise<{ url: string; drop(): Promise<void> }> {
  if (!testDatabaseUrl) throw new Error(`createEmptyPostgresDatabase ${needsPostgres}`);
  const adminUrl = testDatabaseUrl;
  const name = `${prefix}_${randomBytes(4).toString('hex')}`;
  await adminQuery(adminUrl, `CREATE DATABASE "${name}"`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => adminQuery(adminUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`) };
}

async function adminQuery(adminUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

async function createPgliteDatabase(options: Pick<OpenDatabaseOptions, 'logger' | 'onQuery'>): Promise<TestDatabase> {
  const db = await openDatabase({ ...options, memory: true, initialDump: await pgliteTemplate() });
  return Object.assign(db, { reset: () => truncateAppTables(db) });
}

async function truncateAppTables(db: Database): Promise<void> {
  const { rows } = await db.executeSql(
    `SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> '_prisma_migrations'`,
  );
  if (rows.length === 0) return;
  const tables = rows.map((row) => `"public"."${String(row.tablename)}"`).join(', ');
  await db.executeSql(`TRUNCATE ${tables} RESTART IDENTITY CASCADE`);
}

let template: Promise<Blob> | undefined;

/**
 * The migrated PGlite template, built on first use. Its cache file is named after the PGlite version and the
 * migrations' exact text, so a new or edited migration builds a new template.
 */
export function pgliteTemplate(): Promise<Blob> {
  template ??= (async () => {
    const file = await templatePath();
    const cached = await readFile(file).catch(() => null);
    if (cached) return new Blob([cached]);
    const pglite = await PGlite.create();
    try {
      await applyMigrations(pgliteMigrationFactory(pglite), MIGRATIONS_DIR);
      const dump = await pglite.dumpDataDir('none');
      const bytes = Buffer.from(await dump.arrayBuffer());
      await mkdir(join(file, '..'), { recursive: true });
      // Parallel workers may build it at once; rename makes whichever finishes last win whole.
      const partial = `${file}.${process.pid}.${randomBytes(3).toString('hex')}`;
      await writeFile(partial, bytes);
      await rename(partial, file);
      return new Blob([bytes]);
    } finally {
      await pglite.close();
    }
  })();
  template.catch(() => {
    template = undefined;
  });
  return template;
}

async function templatePath(): Promise<string> {
  const require = createRequire(import.meta.url);
  const pgliteVersion = (JSON.parse(
    await readFile(join(require.resolve('@electric-sql/pglite'), '..', '..', 'package.json'), 'utf8'),
  ) as { version: string }).version;
  const { migrations } = await readMigrations(MIGRATIONS_DIR);
  const hash = createHash('sha256').update(pgliteVersion);
  for (const m of migrations) hash.update(`\u0000${m.name}\u0000${m.sql}`);
  return join(PROJECT_ROOT, 'node_modules', '.cache', 'tuanbot-tests', `pglite-${hash.digest('hex').slice(0, 16)}.tar`);
}

/** vitest globalSetup: builds the PGlite template once before the workers start, instead of once per worker. */
export async function setup(): Promise<void> {
  if (!testDatabaseUrl) await pgliteTemplate();
}
