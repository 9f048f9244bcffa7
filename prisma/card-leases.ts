/**
 * Live-card leases in PostgreSQL (table "CardLease"), for several bot processes on one database (ADR 022). Each call
 * is one statement on one row, atomic by the row's lock; times are the database's clock, so processes on machines
 * whose clocks differ agree. The statements go straight to the driver (`Database.executeSql`): through Prisma's
 * query engine each cost about four times as long on a loaded machine.
 */
import { randomUUID } from 'node:crypto';
import type { CardLeases, CardTake } from '../core/ports.js';
import type { Database } from './database.js';

/** A free lease whose last edit is old enough; a retry (not a change) takes it only while the card is dirty. */
const FREE = `l."leaseUntil" <= clock_timestamp()
  AND (l."lastEditAt" IS NULL OR l."lastEditAt" + $4::float8 * interval '1 millisecond' <= clock_timestamp())
  AND ($5::boolean OR l.dirty)`;

/** Milliseconds until the card may be taken: the lease's end, or the last edit plus the interval. */
const WAIT = `GREATEST(0, EXTRACT(epoch FROM GREATEST("leaseUntil", COALESCE("lastEditAt" + $4::float8 * interval '1 millisecond', "leaseUntil")) - clock_timestamp()) * 1000)::float8`;

const TAKE = `
INSERT INTO "CardLease" AS l (key, holder, seq, "leaseUntil", dirty)
VALUES ($1, $2, 1, clock_timestamp() + $3::float8 * interval '1 millisecond', false)
ON CONFLICT (key) DO UPDATE SET
  holder = CASE WHEN ${FREE} THEN EXCLUDED.holder ELSE l.holder END,
  seq = CASE WHEN ${FREE} THEN l.seq + 1 ELSE l.seq END,
  dirty = CASE WHEN ${FREE} THEN false WHEN $5::boolean THEN true ELSE l.dirty END,
  "leaseUntil" = CASE WHEN ${FREE} THEN EXCLUDED."leaseUntil" ELSE l."leaseUntil" END
RETURNING holder IS NOT DISTINCT FROM $2 AS granted, seq, dirty, ${WAIT} AS "retryInMs"`;

const RENEW = `
UPDATE "CardLease" SET "leaseUntil" = clock_timestamp() + $3::float8 * interval '1 millisecond'
WHERE key = $1 AND seq = $2 AND holder IS NOT NULL AND "leaseUntil" > clock_timestamp()
RETURNING seq`;

const RELEASE = `
UPDATE "CardLease" SET holder = NULL, "leaseUntil" = clock_timestamp(),
  "lastEditAt" = CASE WHEN $3::boolean THEN clock_timestamp() ELSE "lastEditAt" END
WHERE key = $1 AND seq = $2 AND holder IS NOT NULL
RETURNING dirty, ${WAIT} AS "retryInMs"`;

/**
 * `CardLeases` on the app's PostgreSQL.
 *
 * @example
 * const core = createCore({ ..., cardLeases: new PrismaCardLeases(db) });
 */
export class PrismaCardLeases implements CardLeases {
  constructor(private readonly db: Pick<Database, 'executeSql'>) {}

  async take(key: string, options: { change: boolean; minIntervalMs: number; leaseMs: number }): Promise<CardTake> {
    // Each take has its own holder id: the row says who took it last, so RETURNING tells this caller apart.
    const holder = randomUUID();
    const { rows } = await this.db.executeSql(TAKE, [key, holder, options.leaseMs, options.minIntervalMs, options.change]);
    const row = rows[0] as { granted: boolean; seq: number; dirty: boolean; retryInMs: number } | undefined;
    if (!row) throw new Error(`card lease ${key}: no row returned`);
    if (row.granted) return { granted: true, seq: Number(row.seq) };
    return { granted: false, pending: row.dirty, retryInMs: Number(row.retryInMs) };
  }

  async renew(key: string, seq: number, leaseMs: number): Promise<boolean> {
    const { rows } = await this.db.executeSql(RENEW, [key, seq, leaseMs]);
    return rows.length === 1;
  }

  async release(key: string, seq: number, options: { edited: boolean; minIntervalMs: number }): Promise<{ dirty: boolean; retryInMs: number }> {
    const { rows } = await this.db.executeSql(RELEASE, [key, seq, options.edited, options.minIntervalMs]);
    const row = rows[0] as { dirty: boolean; retryInMs: number } | undefined;
    // Taken over (this process stalled past its lease): the new holder renders; nothing is left to this one.
    if (!row) return { dirty: false, retryInMs: 0 };
    return { dirty: row.dirty, retryInMs: Number(row.retryInMs) };
  }
}
