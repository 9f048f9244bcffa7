/**
 * PrismaStore's line for transactions (ADR 019): beyond `concurrency`, transactions wait in the process (first in,
 * first out) instead of timing out on the pool, and a wait longer than `queueWaitMs` fails clearly.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrismaStore } from '../../prisma/store.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase({ poolSize: 4 });
});
afterAll(async () => {
  await db?.close();
});

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('PrismaStore transactions in line', () => {
  it('runs at most `concurrency` at once, and every one of 30 runs, none failing', { timeout: 60_000 }, async () => {
    const store = new PrismaStore(db.prisma, { concurrency: 2 });
    let running = 0;
    let most = 0;
    const started: number[] = [];
    const results = await Promise.allSettled(
      Array.from({ length: 30 }, (_, i) =>
        store.transaction(async (tx) => {
          started.push(i);
          running++;
          most = Math.max(most, running);
          await tx.claimUpdate(`queue:${i}`, new Date());
          await pause(2);
          running--;
          return i;
        }),
      ),
    );
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    expect(most).toBeLessThanOrEqual(2);
    expect(new Set(started).size).toBe(30);
    expect(await db.prisma.processedUpdate.count({ where: { key: { startsWith: 'queue:' } } })).toBe(30);
  });

  it('fails a transaction that waited in line longer than queueWaitMs, and runs the rest', async () => {
    const store = new PrismaStore(db.prisma, { concurrency: 1, queueWaitMs: 100 });
    const slow = store.transaction(async () => pause(400));
    const waiting = store.transaction(async () => 'ran');
    await expect(waiting).rejects.toThrow(/stayed busy/);
    await slow;
    await expect(store.transaction(async () => 'after')).resolves.toBe('after');
  });
});
