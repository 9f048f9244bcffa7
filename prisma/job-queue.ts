/**
 * Durable jobs on pg-boss, in the app's own database: PGlite through the shared instance, PostgreSQL through
 * its own pool. Jobs survive restarts; on PostgreSQL several bot processes share one queue.
 */
import { createHash } from 'node:crypto';
import type { ConstructorOptions, Job, PgBoss } from 'pg-boss';
import { silentLogger, type Logger, type ScheduledJob, type Scheduler } from '../core/ports.js';
import type { Database } from './database.js';

/** Runs one job. Throwing makes pg-boss retry it later (see JobQueueOptions.retryLimit). */
export type JobHandler = (data: Record<string, unknown>) => Promise<unknown>;

/**
 * Work to repeat every N seconds in this process (sweeps). Every process runs its own ticks, so `run` must be
 * idempotent. Not persisted: a tick missed while stopped is simply not run; overlapping runs are skipped.
 */
export interface TickOptions {
  everySeconds: number;
  run: () => Promise<unknown>;
  /** For logs. */
  name?: string;
}

/** Options of createJobQueue. */
export interface JobQueueOptions {
  logger?: Logger;
  /** How often workers look for due jobs, in seconds (pg-boss minimum 0.5). Default 1. */
  pollingIntervalSeconds?: number;
  /** Attempts after the first failure. Default 5, with exponential backoff from retryDelaySeconds. */
  retryLimit?: number;
  /** Default 10. */
  retryDelaySeconds?: number;
  /**
   * How long finished jobs are kept, in days. A key can be scheduled again only after its job is deleted,
   * so this is also how long "scheduled once" holds. Default 90.
   */
  keepDays?: number;
  /** PostgreSQL schema pg-boss installs into. Default "pgboss". */
  schema?: string;
}

/** Options of JobQueue.start. */
export interface StartOptions {
  /** Handlers (by their name in the handlers map) to run every N seconds, e.g. `{ 'buy.sweep': 30 }`. */
  ticks?: Record<string, number>;
  /** Other work to repeat, not tied to a handler. */
  tick?: TickOptions | TickOptions[];
}

/** A Scheduler whose jobs run in this process once `start` is called. */
export interface JobQueue extends Scheduler {
  /** Schedules a job; a second call with the same name and key changes nothing (even after the job ran). */
  schedule(job: ScheduledJob): Promise<void>;
  /** `schedule` for many jobs, in one insert per job name. */
  scheduleMany(jobs: readonly ScheduledJob[]): Promise<void>;
  /** Starts working jobs whose name has a handler, and the ticks. Call once. */
  start(handlers: Record<string, JobHandler>, options?: StartOptions): Promise<void>;
  /** Stops workers and ticks, waiting up to 10 s for running handlers. The database stays open. */
  stop(): Promise<void>;
  /** The pg-boss instance, for inspection in tests and admin tools. Started lazily by the other methods. */
  boss(): Promise<PgBoss>;
  /** Jobs waiting in each queue, counted now: `ready` are due, `deferred` wait for their time (metrics). */
  depths(): Promise<QueueDepth[]>;
}

/** Waiting jobs of one queue (JobQueue.depths). */
export interface QueueDepth {
  queue: string;
  ready: number;
  deferred: number;
}

/**
 * The job id for a name and key: pg-boss ignores an insert whose id exists (ON CONFLICT DO NOTHING), so a
 * deterministic id makes scheduling idempotent for as long as the job row is kept, whatever its state.
 */
export function jobId(name: string, key: string): string {
  const hex = createHash('sha256').update(`${name}\u0000${key}`).digest('hex');
  // Version 8 ("custom") UUID layout, so the value is a well-formed UUID for PostgreSQL and for readers.
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${((parseInt(hex[16]!, 16) & 3) | 8).toString(16)}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** Creates a job queue over `database` (not started: `schedule` works right away, `start` runs jobs). */
export function createJobQueue(database: Database, options: JobQueueOptions = {}): JobQueue {
  const logger = options.logger ?? silentLogger;
  const pollingIntervalSeconds = Math.max(0.5, options.pollingIntervalSeconds ?? 1);
  const queueOptions = {
    retryLimit: options.retryLimit ?? 5,
    retryDelay: options.retryDelaySeconds ?? 10,
    retryBackoff: true,
    // A handler that died with its process is retried after this; deadlines should not wait the default 15 min.
    expireInSeconds: 300,
    // Jobs may be scheduled months ahead (repurchase reminders); keep them queued until well after they are due.
    retentionSeconds: 400 * 24 * 3600,
    deleteAfterSeconds: Math.round((options.keepDays ?? 90) * 24 * 3600),
  };

  const schema = options.schema ?? 'pgboss';
  let started: Promise<PgBoss> | undefined;
  const queues = new Map<string, Promise<void>>();
  const timers: NodeJS.Timeout[] = [];
  let stopped = false;

  function boss(): Promise<PgBoss> {
    if (stopped) return Promise.reject(new Error('job queue is stopped'));
    started ??= (async () => {
      // Loaded with the queue's first use, which `npm start` makes after it is ready (ADR 017).
      const { PgBoss, fromPglite } = await import('pg-boss');
      const common: ConstructorOptions = {
        schema,
        // Cron schedules are not used; skipping the cron monitor saves queries on the single PGlite connection.
        schedule: false,
      };
      const config: ConstructorOptions =
        database.kind === 'pglite' && database.pglite
          ? { ...common, db: fromPglite(database.pglite), backend: 'pglite' }
          : { ...common, connectionString: database.url, max: 4 };
      const instance = new PgBoss(config);
      // An EventEmitter 'error' without a listener would crash the process; pg-boss recovers by itself.
      instance.on('error', (error: Error) => logger.error({ err: error.message }, 'job queue error'));
      await instance.start();
      return instance;
    })();
    return started;
  }

  // Queues already in the database, read once (one query) instead of creating every queue at every start: creating
  // one that exists changes nothing (pg-boss inserts it ON CONFLICT DO NOTHING, keeping its stored options) but costs a
  // locked transaction each.
  let existing: Promise<Set<string>> | undefined;
  function existingQueues(): Promise<Set<string>> {
    existing ??= boss().then(async (b) => {
      const { rows } = await b.getDb().executeSql(`SELECT name FROM ${schema}.queue`);
      return new Set((rows as { name: string }[]).map((row) => row.name));
    });
    existing.catch(() => (existing = undefined));
    return existing;
  }

  function ensureQueue(name: string): Promise<void> {
    let ready = queues.get(name);
    if (!ready) {
      ready = existingQueues().then(async (names) => {
        if (!names.has(name)) await (await boss()).createQueue(name, queueOptions);
      });
      ready.catch(() => queues.delete(name));
      queues.set(name, ready);
    }
    return ready;
  }

  return {
    boss,

    async depths() {
      // Counted live from the job table: the queue table's counts are refreshed only by pg-boss's monitor pass.
      // Waiting states (created, retry) sort before 'active' in pg-boss's job_state enum, as its own queries use.
      const b = await boss();
      const { rows } = await b.getDb().executeSql(
        `SELECT name, count(*) FILTER (WHERE start_after <= now())::int AS ready, count(*) FILTER (WHERE start_after > now())::int AS deferred
         FROM ${schema}.job WHERE state < 'active' GROUP BY name ORDER BY name`,
      );
      return (rows as { name: string; ready: number; deferred: number }[]).map((r) => ({ queue: r.name, ready: Number(r.ready), deferred: Number(r.deferred) }));
    },

    async schedule(job) {
      await ensureQueue(job.name);
      const b = await boss();
      await b.send(job.name, job.data, {
        id: jobId(job.name, job.key),
        singletonKey: job.key,
        startAfter: job.runAt,
      });
    },

    async scheduleMany(jobs) {
      // One insert per job name; the same deterministic ids as `schedule`, so a job already there (any state) is
      // left as it is (ON CONFLICT DO NOTHING), and of a key listed twice the first is kept, as two `schedule` calls would.
      const byName = new Map<string, Map<string, ScheduledJob>>();
      for (const job of jobs) {
        const named = byName.get(job.name) ?? new Map<string, ScheduledJob>();
        const id = jobId(job.name, job.key);
        if (!named.has(id)) named.set(id, job);
        byName.set(job.name, named);
      }
      for (const [name, named] of byName) {
        await ensureQueue(name);
        const b = await boss();
        await b.insert(
          name,
          [...named].map(([id, job]) => ({ id, data: job.data, singletonKey: job.key, startAfter: job.runAt.toISOString() })),
        );
      }
    },

    async start(handlers, startOptions = {}) {
      const b = await boss();
      for (const [name, handler] of Object.entries(handlers)) {
        await ensureQueue(name);
        await b.work<Record<string, unknown>>(
          name,
          { pollingIntervalSeconds, batchSize: 1 },
          async (jobs: Job<Record<string, unknown>>[]) => {
            for (const job of jobs) {
              try {
                await handler(job.data ?? {});
              } catch (error) {
                logger.warn({ job: name, id: job.id, retry: job.retryCount, err: (error as Error).message }, 'job failed');
                throw error;
              }
            }
          },
        );
      }
      const ticks = startOptions.tick === undefined ? [] : [startOptions.tick].flat();
      for (const [name, everySeconds] of Object.entries(startOptions.ticks ?? {})) {
        const handler = handlers[name];
        if (!handler) throw new Error(`tick "${name}" has no handler`);
        ticks.push({ name, everySeconds, run: () => handler({}) });
      }
      for (const [index, tick] of ticks.entries()) {
        const name = tick.name ?? `tick${index}`;
        let running = false;
        const timer = setInterval(() => {
          // A slow sweep must not pile up behind itself.
          if (running || stopped) return;
          running = true;
          tick
            .run()
            .catch((error: unknown) => logger.warn({ tick: name, err: (error as Error).message }, 'tick failed'))
            .finally(() => {
              running = false;
            });
        }, Math.max(0.1, tick.everySeconds) * 1000);
        timer.unref();
        timers.push(timer);
      }
    },

    async stop() {
      if (stopped) return;
      stopped = true;
      for (const timer of timers) clearInterval(timer);
      if (started) {
        const b = await started.catch(() => undefined);
        // close: true ends pg-boss's own pool (PostgreSQL); a PGlite instance belongs to the Database.
        await b?.stop({ graceful: true, timeout: 10_000, close: true });
      }
    },
  };
}

/** Options of startJobQueue: the queue's options plus what `start` takes. */
export interface StartJobQueueOptions extends JobQueueOptions, StartOptions {
  handlers: Record<string, JobHandler>;
}

/** createJobQueue + start, for the app's entry point. */
export async function startJobQueue(database: Database, options: StartJobQueueOptions): Promise<JobQueue> {
  const { handlers, tick, ticks, ...queueOptions } = options;
  const queue = createJobQueue(database, queueOptions);
  await queue.start(handlers, { tick, ticks });
  return queue;
}
