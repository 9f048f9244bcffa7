/**
 * Reminder jobs on a PostgreSQL server, where transactions really run side by side (PGlite runs one at a time):
 * the same reminder job run by two processes at once (a retry racing the first run, or two workers) sends once.
 */
import { describe, expect, it } from 'vitest';
import { alice, anna, bob, useCoreHarness } from '../../support/core-harness.js';
import { hasPostgres } from '../../support/database.js';
import { deliveredBuy, remindersTo } from './reminder-support.js';

describe.runIf(hasPostgres)('reminder jobs on PostgreSQL', () => {
  const h = useCoreHarness({ poolSize: 10 });

  it('send each reminder once when the same jobs run concurrently', async () => {
    await deliveredBuy(h, [alice, bob]);
    await h.command(anna, '/product tea lasts 5d');
    const jobs = h.scheduler.jobs.filter((j) => j.name === 'reminder.send');
    expect(jobs).toHaveLength(2);
    h.clock.advance(2 * 86_400_000);
    await Promise.all(jobs.flatMap((job) => Array.from({ length: 8 }, () => h.core.runJob(job.name, job.data))));
    expect(remindersTo(h, alice)).toHaveLength(1);
    expect(remindersTo(h, bob)).toHaveLength(1);
    expect(await h.db.prisma.outboundMessage.count({ where: { kind: 'repurchase_reminder' } })).toBe(2);
    expect(h.errors()).toEqual([]);
  });
});
