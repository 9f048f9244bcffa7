/**
 * The outgoing-message budget of one bot token, shared by every process on one PostgreSQL (table "SendBucket",
 * ADR 022). Each bucket is a GCRA token bucket stored as one number, its theoretical arrival time `tat` (ms since the
 * epoch, database clock): a send is allowed at time t when `tat - (burst - 1) * everyMs <= t`, and moves `tat` to
 * `max(tat, t) + everyMs`. A send reserves its slot in every bucket that applies, at one instant, in one statement,
 * and learns how long to wait: it never asks twice. Straight to the driver (`Database.executeSql`), as Prisma's query
 * engine would add several milliseconds to every send on a loaded machine.
 */
import type { SendBucketSpec, SendBudget } from '../core/ports.js';
import type { Database } from './database.js';

/**
 * One statement per send. The buckets are locked in key order (two senders never deadlock), the database's clock is
 * read after the locks (a send that waited for them does not reserve a slot in the past), the first instant every
 * bucket allows is the slot, and every bucket moves past it.
 */
const RESERVE = `
WITH spec AS (
  SELECT * FROM unnest($1::text[], $2::float8[], $3::int[]) AS p(key, every_ms, burst)
), locked AS (
  SELECT s.key, s.tat FROM "SendBucket" s WHERE s.key = ANY ($1::text[]) ORDER BY s.key FOR UPDATE
), slot AS (
  SELECT n.now_ms, GREATEST(n.now_ms, m.need) AS at_ms
  FROM (SELECT MAX(l.tat - (p.burst - 1) * p.every_ms) AS need FROM locked l JOIN spec p USING (key)) m
  CROSS JOIN LATERAL (SELECT extract(epoch FROM clock_timestamp()) * 1000 AS now_ms) n
), moved AS (
  UPDATE "SendBucket" s SET tat = GREATEST(s.tat, slot.at_ms) + p.every_ms
  FROM slot, spec p WHERE s.key = p.key
  RETURNING s.key
)
SELECT (slot.at_ms - slot.now_ms)::float8 AS "waitMs", slot.at_ms::float8 AS "atMs", (SELECT count(*) FROM moved)::int AS moved FROM slot`;

/** A bucket's row, created at its first use (a row inserted in the same statement would not be locked by it). */
const ENSURE = `INSERT INTO "SendBucket" (key, tat) SELECT k, 0 FROM unnest($1::text[]) AS k ORDER BY k ON CONFLICT (key) DO NOTHING`;

/** After a 429: no slot before `now + ms` in this bucket, for every process. */
const HOLD = `
UPDATE "SendBucket" SET tat = GREATEST(tat, extract(epoch FROM clock_timestamp()) * 1000 + $2::float8 + ($3::int - 1) * $4::float8)
WHERE key = $1`;

/** Keys whose rows this process knows exist; a long-running bot names a bounded set of chats. */
const KNOWN_KEYS_LIMIT = 50_000;

/**
 * `SendBudget` on the app's PostgreSQL.
 *
 * @example
 * const budget = new PrismaSendBudget(db);
 * await sleep(await budget.reserve([{ key: 'tg:bot42:all', everyMs: 1000 / 30, burst: 1 }]));
 */
export class PrismaSendBudget implements SendBudget {
  private readonly known = new Set<string>();

  constructor(private readonly db: Pick<Database, 'executeSql'>) {}

  async reserve(buckets: readonly SendBucketSpec[]): Promise<number> {
    return (await this.reserveSlot(buckets)).waitMs;
  }

  /** `reserve`, also telling the slot's time on the database's clock (tests check the spacing of slots). */
  async reserveSlot(buckets: readonly SendBucketSpec[]): Promise<{ waitMs: number; atMs: number }> {
    const keys = buckets.map((b) => b.key);
    const fresh = keys.filter((key) => !this.known.has(key));
    if (fresh.length > 0) {
      await this.db.executeSql(ENSURE, [fresh]);
      if (this.known.size > KNOWN_KEYS_LIMIT) this.known.clear();
      for (const key of fresh) this.known.add(key);
    }
    const { rows } = await this.db.executeSql(RESERVE, [keys, buckets.map((b) => b.everyMs), buckets.map((b) => b.burst)]);
    const row = rows[0] as { waitMs: number; atMs: number; moved: number } | undefined;
    if (!row || row.moved !== buckets.length) {
      // A row deleted under this process (a truncated table): create it again and ask once more.
      for (const key of keys) this.known.delete(key);
      if (fresh.length === 0) return this.reserveSlot(buckets);
      throw new Error(`send budget: buckets ${keys.join(', ')} could not be reserved`);
    }
    return { waitMs: Math.max(0, Number(row.waitMs)), atMs: Number(row.atMs) };
  }

  async hold(bucket: SendBucketSpec, ms: number): Promise<void> {
    await this.db.executeSql(HOLD, [bucket.key, ms, bucket.burst, bucket.everyMs]);
  }
}
