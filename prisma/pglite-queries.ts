/**
 * PGlite as Prisma's PGlite adapter (pglite-prisma-adapter) sees it, with each statement sent in one protocol
 * exchange. PGlite's own `query()` makes five exchanges with the database per statement (Parse, Describe statement,
 * Bind, Describe portal with Execute, Sync) and, because the adapter passes its own parsers, copies PGlite's table
 * of about 320 type parsers for every statement (about 0.3 ms each on a loaded 2-core machine: a third of a /join).
 *
 * Here a statement is Parse, Bind, Describe, Execute and Sync in one message, as node-postgres sends it to a
 * PostgreSQL server (and Prisma's SQL is written for that): parameters go as text with their types left to the
 * server (byte arrays as binary), rows come back as text and are read with the adapter's parser for the column's
 * type, else PGlite's. The result has the shape PGlite's `query()` returns with `rowMode: 'array'`, which is all the
 * adapter reads. Locking is PGlite's: a statement outside a transaction waits for the transaction lock, as `query()`
 * does; inside one, the transaction holds it.
 */
import { protocol, types, type PGlite, type Results, type Transaction } from '@electric-sql/pglite';

type Parser = (text: string, typeId: number) => unknown;
interface QueryOptions {
  rowMode?: 'array' | 'object';
  parsers?: Record<number, Parser>;
}
interface Field {
  name: string;
  dataTypeID: number;
}
/** The backend messages this reads (pg-protocol's classes, as PGlite's execProtocol returns them). */
type Message =
  | { name: 'rowDescription'; fields: Field[] }
  | { name: 'dataRow'; fields: (string | null)[] }
  | { name: 'commandComplete'; text: string }
  | { name: string };

const { serialize } = protocol as unknown as {
  serialize: {
    parse(p: { text: string; name?: string; types?: number[] }): Uint8Array;
    bind(p: { values: (string | Uint8Array | null)[]; statement?: string }): Uint8Array;
    describe(p: { type: 'P' | 'S' }): Uint8Array;
    execute(p?: object): Uint8Array;
    sync(): Uint8Array;
  };
};
const defaultParsers = (types as unknown as { parsers?: Record<number, Parser> }).parsers ?? {};
/** The parts of PGlite's message that are the same for every statement. */
const TAIL = concat([serialize.describe({ type: 'P' }), serialize.execute({}), serialize.sync()]);

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** A parameter as PostgreSQL's text input reads it (node-postgres's rules): arrays as array literals, objects as JSON. */
export function toParam(value: unknown): string | Uint8Array | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value;
  if (value instanceof Uint8Array) return value;
  if (ArrayBuffer.isView(value)) return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return arrayLiteral(value);
  if (typeof value === 'object') return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
  return String(value);
}

function arrayLiteral(values: unknown[]): string {
  const items = values.map((v) => {
    if (v === null || v === undefined) return 'NULL';
    if (Array.isArray(v)) return arrayLiteral(v);
    if (v instanceof Uint8Array) return `"\\\\x${Buffer.from(v).toString('hex')}"`;
    const text = toParam(v) as string;
    return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
  });
  return `{${items.join(',')}}`;
}

/** A statement's result with each value as the text PostgreSQL wrote (null for NULL). */
export interface TextResult {
  fields: Field[];
  rows: (string | null)[][];
  affectedRows: number;
}

/** Statements prepared by name on a PGlite, by their text (see `exchange`). */
const prepared = new WeakMap<PGlite, Map<string, string>>();
let preparedCount = 0;

/**
 * Runs one statement in one exchange and gives the values as text; the caller holds PGlite's locks.
 *
 * With `named`, the statement is prepared once under a name (its own exchange, the first time its text is seen) and
 * then only bound and executed: PostgreSQL parses and analyses it once and may keep its plan (after five runs, when
 * a generic plan costs no more than the custom ones), where an unnamed statement is parsed, analysed and planned at
 * every run. Only for texts from a fixed set (the store's tagged templates): each name stays for the session.
 * A prepared statement outlives the transaction it was made in, committed or not.
 */
export async function exchange(pglite: PGlite, sql: string, params: readonly unknown[], syncToFs: boolean, named = false): Promise<TextResult> {
  let statement: string | undefined;
  if (named) {
    let names = prepared.get(pglite);
    if (!names) prepared.set(pglite, (names = new Map()));
    statement = names.get(sql);
    if (statement === undefined) {
      const name = `tb${++preparedCount}`;
      const { messages } = (await pglite.execProtocol(concat([serialize.parse({ name, text: sql }), serialize.sync()]), { syncToFs: false })) as unknown as { messages: Message[] };
      const failed = messages.find((m) => m.name === 'error');
      if (failed) throw failed;
      names.set(sql, (statement = name));
    }
  }
  const message = statement
    ? concat([serialize.bind({ statement, values: params.map(toParam) }), TAIL])
    : concat([serialize.parse({ text: sql }), serialize.bind({ values: params.map(toParam) }), TAIL]);
  let messages: Message[];
  try {
    ({ messages } = (await pglite.execProtocol(message, { syncToFs })) as unknown as { messages: Message[] });
  } catch (error) {
    // "cached plan must not change result type" (the schema changed): the text is prepared afresh next time.
    if (statement && (error as { code?: string }).code === '0A000') prepared.get(pglite)?.delete(sql);
    throw error;
  }
  let fields: Field[] = [];
  const rows: (string | null)[][] = [];
  let affectedRows = 0;
  for (const m of messages) {
    if (m.name === 'rowDescription') fields = (m as { fields: Field[] }).fields.map((f) => ({ name: f.name, dataTypeID: f.dataTypeID }));
    else if (m.name === 'dataRow') rows.push((m as { fields: (string | null)[] }).fields);
    else if (m.name === 'commandComplete') {
      const words = (m as { text: string }).text.split(' ');
      if (['INSERT', 'UPDATE', 'DELETE', 'COPY', 'MERGE'].includes(words[0]!)) affectedRows += Number.parseInt(words[words.length - 1]!, 10) || 0;
    }
  }
  return { fields, rows, affectedRows };
}

/** Runs one statement in one exchange, reading each column with the adapter's parser for its type, else PGlite's. */
async function run(pglite: PGlite, sql: string, params: unknown[] = [], options: QueryOptions = {}, syncToFs: boolean): Promise<Results> {
  const { fields, rows: texts, affectedRows } = await exchange(pglite, sql, params, syncToFs);
  const own = options.parsers;
  const tables = (pglite as unknown as { parsers: Record<number, Parser> }).parsers;
  const parsers = fields.map((f) => own?.[f.dataTypeID] ?? tables[f.dataTypeID] ?? defaultParsers[f.dataTypeID]);
  const rows = texts.map((row) => {
    const values = row.map((text, i) => {
      const parse = parsers[i];
      return text === null ? null : parse ? parse(text, fields[i]!.dataTypeID) : text;
    });
    return options.rowMode === 'array' ? values : Object.fromEntries(fields.map((f, i) => [f.name, values[i]]));
  });
  return { rows, fields, affectedRows } as Results;
}

/** Locks PGlite keeps for its own query() (not in its public typings). */
interface PgliteLocks {
  _runExclusiveTransaction<T>(fn: () => Promise<T>): Promise<T>;
  runExclusive<T>(fn: () => Promise<T>): Promise<T>;
}

/** A PGlite transaction as the adapter sees it, each statement in one exchange (the transaction holds the lock). */
export function oneExchangeTransaction(pglite: PGlite, tx: Transaction): Transaction {
  const locks = pglite as unknown as PgliteLocks;
  return {
    ...tx,
    query: async (sql: string, params?: unknown[], options?: QueryOptions) => {
      if (tx.closed) throw new Error('Transaction is closed');
      return locks.runExclusive(() => run(pglite, sql, params, options, false));
    },
    exec: (sql: string, options?: object) => tx.exec(sql, options),
    rollback: () => tx.rollback(),
    get closed() {
      return tx.closed;
    },
  } as Transaction;
}

/** Runs one statement in one exchange inside a transaction (or outside one: then it waits for the transaction lock). */
export function exchangeLocked(pglite: PGlite, sql: string, params: readonly unknown[], inTransaction: boolean, named = false): Promise<TextResult> {
  const locks = pglite as unknown as PgliteLocks;
  if (inTransaction) return locks.runExclusive(() => exchange(pglite, sql, params, false, named));
  return locks._runExclusiveTransaction(() => locks.runExclusive(() => exchange(pglite, sql, params, true, named)));
}

/** What the adapter calls on its client: query, exec, transaction (with query, exec, rollback). */
export function withOneExchangeQueries(pglite: PGlite): PGlite {
  const locks = pglite as unknown as PgliteLocks;
  const client = {
    query: (sql: string, params?: unknown[], options?: QueryOptions) =>
      locks._runExclusiveTransaction(() => locks.runExclusive(() => run(pglite, sql, params, options, true))),
    exec: (sql: string, options?: object) => pglite.exec(sql, options),
    transaction: <T>(callback: (tx: Transaction) => Promise<T>) => pglite.transaction((tx) => callback(oneExchangeTransaction(pglite, tx))),
  };
  return client as unknown as PGlite;
}
