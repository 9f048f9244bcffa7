/**
 * The store's raw statements and transactions straight on the driver (node-postgres or PGlite), Prisma entered
 * only when a model query needs it (ADR 019, third pass).
 *
 * The hot paths' statements are raw SQL already (`this.db.$queryRaw\`...\``), yet each one crossed Prisma's query
 * interpreter (about 0.4 ms of CPU more than the driver) and each transaction was Prisma's interactive transaction
 * (about 0.5-0.7 ms more than BEGIN and COMMIT). Here:
 *
 * - A store transaction is BEGIN ... COMMIT on one pooled pg connection, or a PGlite transaction. Its database
 *   object sends `$queryRaw`, `$executeRaw` and their Unsafe forms to that connection, with parameters and results
 *   converted as Prisma converts them (raw-values.ts). A model query (`db.groupBuy.create(...)`) enters Prisma the
 *   first time one is needed: an interactive transaction is started on the same client whose driver adapter, for
 *   that start only, adopts the open connection instead of taking another one and sending BEGIN; its COMMIT and
 *   ROLLBACK are left to this file. Model and raw statements then share one connection and one transaction.
 * - Outside transactions, raw statements go to the pool (or PGlite) directly; model queries to Prisma as before.
 * - Every statement sent this way is reported to `onQuery` as Prisma's query events report theirs, and so is the
 *   COMMIT (Prisma reports its own when it was entered), so the bench's statement counts stay whole.
 *
 * Adoption is told apart from every other transaction start by two things together: the isolation level
 * READ UNCOMMITTED (PostgreSQL runs it as READ COMMITTED, its default; nothing else in the app asks for it) and a
 * connection waiting to be adopted, and adoptions run one at a time, so a start can only take its own connection.
 */
import { performance } from 'node:perf_hooks';
import type { PGlite, Transaction as PgliteTransaction } from '@electric-sql/pglite';
import type { IsolationLevel, SqlDriverAdapter, SqlDriverAdapterFactory, Transaction } from '@prisma/driver-adapter-utils';
import type pg from 'pg';
import { Prisma, type PrismaClient } from './generated/client.js';
import { exchangeLocked, oneExchangeTransaction, type TextResult } from './pglite-queries.js';
import { rawParam, rawRows } from './raw-values.js';

/** One connection: a statement's values as text; what Prisma's adapter uses as its client on it. */
interface Connection {
  /** `named`: the text is one of a fixed set (a tagged template), so the driver may prepare it once by name. */
  run(text: string, values: readonly unknown[], named: boolean): Promise<TextResult>;
  adapterClient: unknown;
}

/** A store transaction may run this long; then its statements fail and it rolls back (Prisma's `timeout` before). */
const TRANSACTION_TIMEOUT_MS = 60_000;
/** The isolation level that marks an adoption (see the file's comment). */
const ADOPT: IsolationLevel = 'READ UNCOMMITTED';

type OnQuery = (sql: string, durationMs: number) => void;
type TxClient = Prisma.TransactionClient;

/** Raw SQL on the driver under a Prisma client. Made by openDatabase; found by `directSqlOf(prisma)`. */
export class DirectSql {
  /** The connection the next adopting transaction start takes. */
  private waiting: unknown;
  /** Adoptions one at a time. */
  private adopting: Promise<void> = Promise.resolve();
  private adapter: SqlDriverAdapter | undefined;

  constructor(
    private readonly driver: Driver,
    private readonly onQuery?: OnQuery,
  ) {}

  /** Prisma's adapter factory, wrapped so that an adopting transaction start takes the waiting connection. */
  wrapFactory<F extends SqlDriverAdapterFactory>(factory: F): F {
    const connect = async (): Promise<SqlDriverAdapter> => {
      const adapter = await factory.connect();
      this.adapter = adapter;
      const wrapped = Object.create(adapter) as SqlDriverAdapter;
      wrapped.startTransaction = (isolationLevel?: IsolationLevel) => {
        const client = this.waiting;
        if (isolationLevel !== ADOPT || client === undefined) return adapter.startTransaction(isolationLevel);
        this.waiting = undefined;
        return Promise.resolve(adoptedTransaction(adapter, client));
      };
      return wrapped;
    };
    return Object.assign(Object.create(factory) as F, { connect });
  }

  /** The root client's database object: raw statements on the driver, the rest Prisma's. */
  rootDb(prisma: PrismaClient): PrismaClient {
    const raw = this.rawMethods(this.driver.root);
    return new Proxy(prisma, {
      get: (target, prop, receiver) => (typeof prop === 'string' && Object.hasOwn(raw, prop) ? raw[prop as keyof typeof raw] : Reflect.get(target, prop, receiver)),
    });
  }

  /**
   * Runs `fn` in one transaction on the driver: COMMIT when it resolves, ROLLBACK when it throws. `fn` gets the
   * transaction's database object (raw statements straight, model queries through Prisma entered on demand).
   */
  async transaction<T>(prisma: PrismaClient, fn: (db: TxClient) => Promise<T>): Promise<T> {
    let prismaEntered = false;
    let fnEnded = 0;
    const result = await this.driver.transaction(async (conn) => {
      let expired = false;
      const timer = setTimeout(() => (expired = true), TRANSACTION_TIMEOUT_MS);
      const guarded: Connection = {
        adapterClient: conn.adapterClient,
        run: (text, values, named) => {
          if (expired) return Promise.reject(new TransactionExpiredError());
          return conn.run(text, values, named);
        },
      };
      let entered: Promise<Entered> | undefined;
      const enter = () => (entered ??= this.enterPrisma(prisma, conn.adapterClient));
      const db = this.transactionDb(guarded, enter, () => entered);
      try {
        const value = await fn(db);
        if (expired) throw new TransactionExpiredError();
        if (entered) {
          prismaEntered = true;
          await (await entered).finish();
        }
        fnEnded = performance.now();
        return value;
      } catch (error) {
        if (entered) {
          prismaEntered = true;
          await (await entered.catch(() => undefined))?.finish(error).catch(() => {});
        }
        throw error;
      } finally {
        clearTimeout(timer);
      }
    });
    // Prisma reports the COMMIT of a transaction it was entered in (its adopted transaction's); else it is ours.
    if (!prismaEntered) this.onQuery?.('COMMIT', performance.now() - fnEnded);
    return result;
  }

  /** Starts Prisma's interactive transaction on the open connection; `finish` ends it (COMMIT and ROLLBACK are ours). */
  private async enterPrisma(prisma: PrismaClient, client: unknown): Promise<Entered> {
    const previous = this.adopting;
    let done!: () => void;
    this.adopting = new Promise((resolve) => (done = resolve));
    await previous;
    let release!: () => void;
    let fail!: (error: unknown) => void;
    const held = new Promise<void>((resolve, reject) => {
      release = resolve;
      fail = reject;
    });
    let gotClient!: (tx: TxClient) => void;
    const txClient = new Promise<TxClient>((resolve) => (gotClient = resolve));
    try {
      this.waiting = client;
      const ended = prisma.$transaction(
        async (tx) => {
          gotClient(tx);
          await held;
        },
        { isolationLevel: Prisma.TransactionIsolationLevel.ReadUncommitted, maxWait: TRANSACTION_TIMEOUT_MS, timeout: TRANSACTION_TIMEOUT_MS },
      );
      const tx = await Promise.race([
        txClient,
        ended.then(() => {
          throw new Error('Prisma ended the adopted transaction before it began');
        }),
      ]);
      if (this.waiting !== undefined) throw new Error('Prisma started the adopted transaction without its connection');
      return {
        client: tx,
        finish: async (error?: unknown) => {
          if (error === undefined) release();
          else fail(error);
          await ended.catch((e: unknown) => {
            if (error === undefined) throw e;
          });
        },
      };
    } finally {
      this.waiting = undefined;
      done();
    }
  }

  /** A transaction's database object: raw statements on `conn`, model queries through Prisma once entered. */
  private transactionDb(conn: Connection, enter: () => Promise<Entered>, entered: () => Promise<Entered> | undefined): TxClient {
    const raw = this.rawMethods(conn);
    let client: TxClient | undefined;
    const models = new Map<string, object>();
    const model = (name: string) => {
      let delegate = models.get(name);
      if (!delegate) {
        delegate = new Proxy(
          {},
          {
            get: (_t, method) =>
              typeof method !== 'string' || method === 'then'
                ? undefined
                : (...args: unknown[]) =>
                    enter().then((e) => {
                      client = e.client;
                      return (e.client as unknown as Record<string, Record<string, (...a: unknown[]) => unknown>>)[name]![method]!(...args);
                    }),
          },
        );
        models.set(name, delegate);
      }
      return delegate;
    };
    return new Proxy({} as TxClient, {
      get: (_t, prop) => {
        if (typeof prop !== 'string' || prop === 'then') return undefined;
        if (Object.hasOwn(raw, prop)) return raw[prop as keyof typeof raw];
        if (client && entered()) return (client as unknown as Record<string, unknown>)[prop];
        return model(prop);
      },
    });
  }

  private rawMethods(conn: Connection) {
    const run = async (text: string, values: readonly unknown[], named = false): Promise<TextResult> => {
      const params = values.map(rawParam);
      const started = this.onQuery ? performance.now() : 0;
      try {
        return await conn.run(text, params, named);
      } catch (error) {
        throw rawQueryFailed(error);
      } finally {
        this.onQuery?.(text, performance.now() - started);
      }
    };
    const sqlOf = (query: TemplateStringsArray | Prisma.Sql, values: unknown[]) => (query instanceof Prisma.Sql ? query : new Prisma.Sql(query, values));
    return {
      $queryRaw: async (query: TemplateStringsArray | Prisma.Sql, ...values: unknown[]) => {
        const sql = sqlOf(query, values);
        const { fields, rows } = await run(sql.text, sql.values, true);
        return rawRows(fields, rows);
      },
      $executeRaw: async (query: TemplateStringsArray | Prisma.Sql, ...values: unknown[]) => {
        const sql = sqlOf(query, values);
        return (await run(sql.text, sql.values, true)).affectedRows;
      },
      $queryRawUnsafe: async (text: string, ...values: unknown[]) => {
        const { fields, rows } = await run(text, values);
        return rawRows(fields, rows);
      },
      $executeRawUnsafe: async (text: string, ...values: unknown[]) => (await run(text, values)).affectedRows,
    };
  }
}

interface Entered {
  client: TxClient;
  /** Ends Prisma's side: with an error its transaction fails (nothing is sent: the ROLLBACK is ours). */
  finish(error?: unknown): Promise<void>;
}

/** Prisma's transaction over an already open connection: its statements run there; COMMIT and ROLLBACK are ours. */
function adoptedTransaction(adapter: SqlDriverAdapter, client: unknown): Transaction {
  const queryable = Object.create(adapter, { client: { value: client } }) as SqlDriverAdapter;
  const tx = Object.create(queryable) as Transaction & Record<string, unknown>;
  const statement = (sql: string) => queryable.executeRaw({ sql, args: [], argTypes: [] }).then(() => undefined);
  Object.assign(tx, {
    options: { usePhantomQuery: true },
    commit: async () => {},
    rollback: async () => {},
    createSavepoint: (name: string) => statement(`SAVEPOINT ${name}`),
    rollbackToSavepoint: (name: string) => statement(`ROLLBACK TO SAVEPOINT ${name}`),
    releaseSavepoint: (name: string) => statement(`RELEASE SAVEPOINT ${name}`),
  });
  return tx;
}

/** A store transaction that ran longer than TRANSACTION_TIMEOUT_MS: it is rolled back. */
export class TransactionExpiredError extends Error {
  constructor() {
    super(`Transaction already closed: it ran for more than ${TRANSACTION_TIMEOUT_MS} ms and was rolled back`);
    this.name = 'TransactionExpiredError';
  }
}

/** A database error of a raw statement, as Prisma reports it (P2010, the server's code and message). */
function rawQueryFailed(error: unknown): unknown {
  if (!(error instanceof Error) || typeof (error as { code?: unknown }).code !== 'string' || !('severity' in error)) return error;
  const code = (error as unknown as { code: string }).code;
  return new Prisma.PrismaClientKnownRequestError(`Raw query failed. Code: \`${code}\`. Message: \`${error.message}\``, {
    code: 'P2010',
    clientVersion: Prisma.prismaVersion.client,
    meta: { code, message: error.message },
  });
}

// ---------------------------------------------------------------- the drivers

/** Statements outside transactions, and transactions, on one database. */
interface Driver {
  root: Connection;
  transaction<T>(fn: (conn: Connection) => Promise<T>): Promise<T>;
}

/** Every column as the text the server wrote: the conversion is raw-values.ts's. */
const TEXT_TYPES = { getTypeParser: () => (text: string) => text };

function pgResult(result: pg.QueryResult<unknown[]>): TextResult {
  return {
    fields: result.fields.map((f) => ({ name: f.name, dataTypeID: f.dataTypeID })),
    rows: result.rows as (string | null)[][],
    affectedRows: result.rowCount ?? 0,
  };
}

/**
 * node-postgres: a pooled connection per transaction. With `prepare`, the store's tagged templates are prepared by
 * name on each connection the first time it runs them (PostgreSQL then parses each once per connection and may
 * keep its plan). A schema change under a running process can make a prepared `SELECT *` fail once ("cached plan
 * must not change result type"): the text then gets a new name, so every connection prepares it afresh.
 */
export function pgDriver(pool: pg.Pool, options: { prepare: boolean; onConnectionError?: (error: Error) => void }): Driver {
  const names = new Map<string, string>();
  let made = 0;
  const nameOf = (text: string) => {
    let name = names.get(text);
    if (name === undefined) names.set(text, (name = `tb${++made}`));
    return name;
  };
  const onConnectionError = options.onConnectionError;
  const on = (client: pg.Pool | pg.PoolClient): Connection => ({
    adapterClient: client,
    run: async (text, values, named) => {
      const name = named && options.prepare ? nameOf(text) : undefined;
      try {
        return pgResult(await client.query<unknown[]>({ text, values: values as unknown[], rowMode: 'array', types: TEXT_TYPES, ...(name ? { name } : {}) }));
      } catch (error) {
        if (name && (error as { code?: string }).code === '0A000' && names.get(text) === name) names.delete(text);
        throw error;
      }
    },
  });
  return {
    root: on(pool),
    async transaction(fn) {
      const client = await pool.connect();
      // A connection that fails while checked out must not crash the process (its statement fails instead).
      const onError = (error: Error) => onConnectionError?.(error);
      client.on('error', onError);
      let broken: Error | undefined;
      try {
        await client.query('BEGIN');
        const result = await fn(on(client));
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch((e: Error) => (broken = e));
        throw error;
      } finally {
        client.removeListener('error', onError);
        client.release(broken);
      }
    },
  };
}

/** PGlite: its own transaction (one at a time), each statement in one exchange (pglite-queries.ts). */
export function pgliteDriver(pglite: PGlite): Driver {
  return {
    root: { adapterClient: undefined, run: (text, values, named) => exchangeLocked(pglite, text, values, false, named) },
    transaction: (fn) =>
      pglite.transaction((tx: PgliteTransaction) =>
        fn({
          adapterClient: oneExchangeTransaction(pglite, tx),
          run: (text, values, named) => (tx.closed ? Promise.reject(new Error('Transaction is closed')) : exchangeLocked(pglite, text, values, true, named)),
        }),
      ),
  };
}

const registry = new WeakMap<object, DirectSql>();

/** Links a Prisma client to the driver under it (openDatabase does this). */
export function registerDirectSql(prisma: PrismaClient, direct: DirectSql): void {
  registry.set(prisma, direct);
}

/** The driver under a Prisma client opened by openDatabase, if any. */
export function directSqlOf(prisma: PrismaClient): DirectSql | undefined {
  return registry.get(prisma);
}
