import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../prisma/database.js';
import { createJobQueue, jobId, type JobQueue } from '../../prisma/job-queue.js';
import { createTestDatabase, hasPostgres, type TestDatabase } from '../support/database.js';

async function waitFor(check: () => boolean, timeoutMs: number): Promise<number> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > timeoutMs) throw new Error(`not done within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return Date.now() - started;
}

describe(`job queue (${hasPostgres ? 'PostgreSQL' : 'PGlite'})`, () => {
  let db: TestDatabase;
  let queue: JobQueue;
  const runs: { name: string; data: Record<string, unknown>; at: number }[] = [];
  beforeAll(async () => {
    db = await createTestDatabase();
    queue = createJobQueue(db, { retryDelaySeconds: 1 });
    let failOnce = true;
    await queue.start(
      {
        'buy.deadline': async (data) => {
          runs.push({ name: 'buy.deadline', data, at: Date.now() });
        },
        'flaky': async (data) => {
          if (failOnce) {
            failOnce = false;
            throw new Error('first attempt fails');
          }
          runs.push({ name: 'flaky', data, at: Date.now() });
        },
        'sweep': async (data) => {
          runs.push({ name: 'sweep', data, at: Date.now() });
        },
      },
      { ticks: { sweep: 0.2 } },
    );
  });
  afterAll(async () => {
    await queue?.stop();
    await db?.close();
  });

  it('runs a job soon after it is due', async () => {
    const runAt = Date.now() + 1000;
    await queue.schedule({ name: 'buy.deadline', runAt: new Date(runAt), key: 'buy:1', data: { buyId: 1 } });
    await waitFor(() => runs.some((r) => r.data.buyId === 1), 8000);
    const run = runs.find((r) => r.data.buyId === 1)!;
    expect(run.at).toBeGreaterThanOrEqual(runAt - 50);
    // Polling every second: picked up within about 2 s of being due.
    expect(run.at - runAt).toBeLessThan(2500);
  });

  it('schedules a key once: a second schedule, before or after the run, does nothing', async () => {
    const job = { name: 'buy.deadline' as const, runAt: new Date(), key: 'buy:2', data: { buyId: 2 } };
    await queue.schedule(job);
    await queue.schedule({ ...job, data: { buyId: 2, second: true } });
    await waitFor(() => runs.some((r) => r.data.buyId === 2), 8000);
    await queue.schedule(job);
    await new Promise((resolve) => setTimeout(resolve, 2500));
    expect(runs.filter((r) => r.data.buyId === 2)).toHaveLength(1);
    expect(runs.find((r) => r.data.buyId === 2)?.data.second).toBeUndefined();
  });

  it('schedules many jobs at once as schedule would: each runs once at its time, a key already scheduled is kept', async () => {
    const soon = Date.now() + 800;
    await queue.schedule({ name: 'buy.deadline', runAt: new Date(soon), key: 'buy:30', data: { buyId: 30 } });
    await queue.scheduleMany([
      { name: 'buy.deadline', runAt: new Date(soon), key: 'buy:30', data: { buyId: 30, again: true } },
      { name: 'buy.deadline', runAt: new Date(soon), key: 'buy:31', data: { buyId: 31 } },
      { name: 'buy.deadline', runAt: new Date(soon), key: 'buy:31', data: { buyId: 31, twice: true } },
      { name: 'sweep', runAt: new Date(soon), key: 'sweep:32', data: { n: 32 } },
      { name: 'buy.deadline', runAt: new Date(Date.now() + 3_600_000), key: 'buy:33', data: { buyId: 33 } },
    ]);
    await waitFor(() => runs.some((r) => r.data.buyId === 30) && runs.some((r) => r.data.buyId === 31) && runs.some((r) => r.data.n === 32), 8000);
    await new Promise((resolve) => setTimeout(resolve, 2000));
    expect(runs.filter((r) => r.data.buyId === 30).map((r) => r.data)).toEqual([{ buyId: 30 }]);
    expect(runs.filter((r) => r.data.buyId === 31).map((r) => r.data)).toEqual([{ buyId: 31 }]);
    expect(runs.find((r) => r.data.buyId === 31)!.at).toBeGreaterThanOrEqual(soon - 50);
    // Not due for an hour: waiting in the queue, not run.
    expect(runs.some((r) => r.data.buyId === 33)).toBe(false);
    const b = await queue.boss();
    expect((await b.getJobById('buy.deadline', jobId('buy.deadline', 'buy:33')))?.state).toBe('created');
  });

  it('retries a failed job', async () => {
    await queue.schedule({ name: 'flaky' as never, runAt: new Date(), key: 'f:1', data: { n: 1 } });
    await waitFor(() => runs.some((r) => r.name === 'flaky'), 15000);
  });

  it('runs ticks repeatedly', async () => {
    await waitFor(() => runs.filter((r) => r.name === 'sweep').length >= 3, 5000);
  });

  it('derives the same valid UUID from the same name and key', () => {
    expect(jobId('buy.deadline', 'buy:1')).toBe(jobId('buy.deadline', 'buy:1'));
    expect(jobId('buy.deadline', 'buy:1')).not.toBe(jobId('buy.deadline', 'buy:2'));
    expect(jobId('a', 'b')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});

describe('job queue across a restart (PGlite folder)', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  it('a job scheduled before closing runs after reopening', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tuanbot-jobs-'));
    dirs.push(dir);
    const first = await openDatabase({ dataDir: dir });
    const before = createJobQueue(first);
    const runAt = Date.now() + 1500;
    await before.schedule({ name: 'buy.deadline', runAt: new Date(runAt), key: 'buy:9', data: { buyId: 9 } });
    await before.stop();
    await first.close();

    const second = await openDatabase({ dataDir: dir });
    const after = createJobQueue(second);
    const ran: unknown[] = [];
    try {
      await after.start({ 'buy.deadline': async (data) => void ran.push(data) });
      const waited = await waitFor(() => ran.length > 0, 10_000);
      expect(ran).toEqual([{ buyId: 9 }]);
      console.info(`job ran ${Date.now() - runAt} ms after it was due (waited ${waited} ms after restart)`);
      expect(Date.now() - runAt).toBeLessThan(5000);
    } finally {
      await after.stop();
      await second.close();
    }
  });
});
