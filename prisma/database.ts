/**
 * Opens the app's database: PGlite (embedded PostgreSQL in a folder, the default) or a PostgreSQL server
 * (when a URL is given), with a Prisma client on the matching driver adapter and migrations applied.
 */
import { access, constants, mkdir } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type pg from 'pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { silentLogger, type Logger } from '../core/ports.js';
import { lockDataDir, notWritable, type DataDirLock } from './data-dir-lock.js';
import { MIGRATIONS_DIR, PROJECT_ROOT, applyMigrations, pgliteMigrationFactory } from './engine.js';
import { PrismaClient } from './generated/client.js';
import { DirectSql, pgDriver, pgliteDriver, registerDirectSql } from './direct-sql.js';
import { withOneExchangeQueries } from './pglite-queries.js';

/** Which database a Database talks to. */
export type DatabaseKind = 'pglite' | 'postgres';

/** Options of openDatabase. With `url` it is PostgreSQL; otherwise PGlite in `dataDir`, or in memory. */
export interface OpenDatabaseOptions {
  /** PostgreSQL connection string. */
  url?: string;
  /** PGlite folder; relative paths are taken from the project root. Default `.data/pglite`. */
  dataDir?: string;
  /** PGlite in memory (tests): nothing is written to disk. */
  memory?: boolean;
  /** PGlite starts from this `PGlite.dumpDataDir()` tarball (tests start from a migrated template this way). */
  initialDump?: Blob;
  /** Apply pending migrations at open. Default true. */
  migrate?: boolean;
  /** Size of the PostgreSQL connection pool used by Prisma. Default 10. */
  poolSize?: number;
  /** How long a PostgreSQL connection may take before the open fails. Default 10 000 ms. */
  connectTimeoutMs?: number;
  /** Folder of migrations to apply. Default prisma/migrations. */
  migrationsDir?: string;
  logger?: Logger;
  /** Called with every SQL statement Prisma sends (the hot-paths bench counts statements per event). */
  onQuery?: (sql: string, durationMs: number) => void;
}

/** Rows of a raw query, in the shape pg-boss expects from `executeSql`. */
export interface SqlResult {
  rows: Record<string, unknown>[];
}

/** An open database. Close it once; the Prisma client is unusable afterwards. */
export interface Database {
  prisma: PrismaClient;
  kind: DatabaseKind;
  /** Raw SQL outside Prisma (pg-boss's `db.executeSql`). Without values, `text` may hold several statements. */
  executeSql(text: string, values?: unknown[]): Promise<SqlResult>;
  close(): Promise<void>;
  /** Names of the migrations applied when this database was opened (empty when none were pending). */
  appliedMigrations: string[];
  /** The PGlite instance (kind 'pglite'), shared by Prisma and pg-boss. */
  pglite?: PGlite;
  /** The connection string (kind 'postgres'). Contains the password: log redactUrl(url) instead. */
  url?: string;
}

/** Prisma's query events, only when someone listens (they cost a little on every statement). */
function queryLog(options: OpenDatabaseOptions): { log?: [{ emit: 'event'; level: 'query' }] } {
  return options.onQuery ? { log: [{ emit: 'event', level: 'query' }] } : {};
}

function withQueryHook(prisma: PrismaClient, options: OpenDatabaseOptions): PrismaClient {
  const onQuery = options.onQuery;
  if (onQuery) (prisma as unknown as { $on(event: 'query', fn: (e: { query: string; duration: number }) => void): void }).$on('query', (e) => onQuery(e.query, Number(e.duration)));
  return prisma;
}

/** Default PGlite folder, relative to the project root. */
export const DEFAULT_DATA_DIR = '.data/pglite';

/** Database options from the environment: DATABASE_URL, else PGlite in DATA_DIR (default `.data/pglite`). */
export function databaseOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): OpenDatabaseOptions {
  const url = env.DATABASE_URL?.trim();
  if (url) return { url, poolSize: env.DATABASE_POOL_SIZE ? Number(env.DATABASE_POOL_SIZE) : undefined };
  return { dataDir: env.DATA_DIR?.trim() || DEFAULT_DATA_DIR };
}

/** A connection string safe to log: the password is replaced by `***`. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    for (const key of [...parsed.searchParams.keys()]) {
      if (/pass|secret|key|token/i.test(key)) parsed.searchParams.set(key, '***');
    }
    return parsed.toString();
  } catch {
    // Not a URL (e.g. "host=... password=..."): say nothing rather than risk printing a secret.
    return 'postgres (connection string not shown)';
  }
}

/** Where a PGlite folder lives on disk. */
export function resolveDataDir(dataDir: string = DEFAULT_DATA_DIR): string {
  return isAbsolute(dataDir) ? dataDir : join(PROJECT_ROOT, dataDir);
}

/** Opens the database described by `options`, applying pending migrations unless `migrate: false`. */
export async function openDatabase(options: OpenDatabaseOptions = {}): Promise<Database> {
  return options.url ? openPostgres(options.url, options) : openPglite(options);
}

async function openPglite(options: OpenDatabaseOptions): Promise<Database> {
  const logger = options.logger ?? silentLogger;
  let where = 'memory';
  let pglite: PGlite;
  let lock: DataDirLock | undefined;
  if (options.memory) {
    pglite = await PGlite.create({ loadDataDir: options.initialDump });
  } else {
    where = resolveDataDir(options.dataDir);
    try {
      await mkdir(where, { recursive: true });
      await access(where, constants.W_OK);
    } catch (error) {
      throw notWritable(where, where, error);
    }
    // One process per folder (data-dir-lock.ts); also where a read-only parent folder shows.
    lock = lockDataDir(where);
    try {
      pglite = await PGlite.create({ dataDir: where, loadDataDir: options.initialDump });
    } catch (error) {
      lock.release();
      throw error;
    }
  }
  try {
    const appliedMigrations =
      options.migrate === false
        ? []
        : await applyMigrations(pgliteMigrationFactory(pglite), options.migrationsDir, async (sql) => (await pglite.query<Record<string, unknown>>(sql)).rows);
    if (appliedMigrations.length) logger.info({ database: `pglite:${where}`, appliedMigrations }, 'migrations applied');
    // Each statement in one exchange with PGlite (pglite-queries.ts), not five; the store's raw statements and
    // transactions straight on PGlite (direct-sql.ts).
    const direct = new DirectSql(pgliteDriver(pglite), options.onQuery);
    const prisma = withQueryHook(new PrismaClient({ adapter: direct.wrapFactory(new PrismaPGlite(withOneExchangeQueries(pglite))), ...queryLog(options) }), options);
    registerDirectSql(prisma, direct);
    // fromPglite runs parameterless text with exec() (pg-boss sends multi-statement DDL) and rolls back an
    // aborted transaction after an error, as a pooled connection would be discarded. pg-boss is loaded at the first
    // raw query, not at open (ADR 017).
    let boss: Promise<{ executeSql(text: string, values?: unknown[]): Promise<SqlResult> }> | undefined;
    const rawSql = () => (boss ??= import('pg-boss').then(({ fromPglite }) => fromPglite(pglite)));
    let closed = false;
    return {
      prisma,
      kind: 'pglite',
      pglite,
      appliedMigrations,
      executeSql: async (text, values) => (await rawSql()).executeSql(text, values),
      async close() {
        if (closed) return;
        closed = true;
        await prisma.$disconnect();
        await pglite.close();
        lock?.release();
      },
    };
  } catch (error) {
    await pglite.close().catch(() => {});
    lock?.release();
    throw error;
  }
}

/** The PostgreSQL driver and its Prisma adapter, loaded only when DATABASE_URL is set (ADR 017). */
async function loadPg(): Promise<{ pg: typeof pg; PrismaPg: typeof import('@prisma/adapter-pg').PrismaPg }> {
  const [{ default: driver }, { PrismaPg }] = await Promise.all([import('pg'), import('@prisma/adapter-pg')]);
  return { pg: driver, PrismaPg };
}

async function openPostgres(url: string, options: OpenDatabaseOptions): Promise<Database> {
  const { pg, PrismaPg } = await loadPg();
  const logger = options.logger ?? silentLogger;
  const connectionTimeoutMillis = options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
  const pool = new pg.Pool({ connectionString: url, max: options.poolSize ?? 10, connectionTimeoutMillis });
  // An idle client's error (server restart, network) would otherwise crash the process.
  pool.on('error', (error) => logger.warn({ err: error.message }, 'idle PostgreSQL connection failed'));
  try {
    // The first connection of the process: where an unreachable server or a refused login shows, named.
    await pool.query('SELECT 1').catch((error: unknown) => {
      throw new DatabaseUnreachableError(url, error);
    });
    const appliedMigrations = options.migrate === false ? [] : await migratePostgres(url, options.migrationsDir);
    if (appliedMigrations.length) logger.info({ database: redactUrl(url), appliedMigrations }, 'migrations applied');
    // The store's raw statements and transactions straight on the pool (direct-sql.ts).
    const direct = new DirectSql(
      pgDriver(pool, {
        // PgBouncer in transaction mode (Prisma's `pgbouncer=true`) may not keep statements prepared on a connection.
        prepare: !/[?&]pgbouncer=true(&|$)/i.test(url),
        onConnectionError: (error) => logger.warn({ err: error.message }, 'PostgreSQL connection failed during a transaction'),
      }),
      options.onQuery,
    );
    const prisma = withQueryHook(new PrismaClient({ adapter: direct.wrapFactory(new PrismaPg(pool)), ...queryLog(options) }), options);
    registerDirectSql(prisma, direct);
    let closed = false;
    return {
      prisma,
      kind: 'postgres',
      url,
      appliedMigrations,
      async executeSql(text, values) {
        const result = await pool.query(text, values);
        // Multi-statement text yields one result per statement; keep every row, as pg-boss's own driver does.
        return { rows: Array.isArray(result) ? result.flatMap((r: pg.QueryResult) => r.rows ?? []) : result.rows };
      },
      async close() {
        if (closed) return;
        closed = true;
        await prisma.$disconnect();
        await pool.end();
      },
    };
  } catch (error) {
    await pool.end().catch(() => {});
    throw error;
  }
}

/** Same key as nothing else in the app: serialises migrations of processes started together. */
const MIGRATION_LOCK_ID = 727073690;

/** A PostgreSQL server that cannot be reached or refuses the login; the message names DATABASE_URL, never the password. */
export class DatabaseUnreachableError extends Error {
  constructor(url: string, cause: unknown) {
    const reason = cause instanceof Error ? cause.message || (cause as NodeJS.ErrnoException).code || cause.name : String(cause);
    super(
      `cannot connect to PostgreSQL at DATABASE_URL=${redactUrl(url)}: ${redactPassword(reason, url)}. ` +
        'Check DATABASE_URL (host, port, user, password, database) and that the server is running and reachable.',
    );
    this.name = 'DatabaseUnreachableError';
  }
}

const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;

/** A server's error text with the URL's password taken out, should it ever be quoted back. */
function redactPassword(text: string, url: string): string {
  try {
    const password = decodeURIComponent(new URL(url).password);
    return password.length >= 3 ? text.split(password).join('***') : text;
  } catch {
    return text;
  }
}

async function migratePostgres(url: string, migrationsDir: string = MIGRATIONS_DIR): Promise<string[]> {
  const { pg, PrismaPg } = await loadPg();
  // Both locks live on dedicated connections that end here. Ours waits for a process migrating at the same time; the
  // schema engine also takes Prisma's own advisory lock and never releases it but by closing its connection: on a
  // connection of the app's pool it stayed held while that connection served ordinary queries, and the next process
  // to start timed out waiting for it ("The database server was reached but timed out").
  const lock = new pg.Client({ connectionString: url, connectionTimeoutMillis: DEFAULT_CONNECT_TIMEOUT_MS });
  await lock.connect();
  const enginePool = new pg.Pool({ connectionString: url, max: 1 });
  try {
    await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_ID]);
    return await applyMigrations(new PrismaPg(enginePool), migrationsDir, async (sql) => (await lock.query(sql)).rows);
  } finally {
    await enginePool.end().catch(() => {});
    await lock.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_ID]).catch(() => {});
    await lock.end();
  }
}
