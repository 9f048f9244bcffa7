import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../../core/app.js';
import { systemClock } from '../../../core/clock.js';
import type { CoreEvent } from '../../../core/events.js';
import { silentLogger, type ScheduledJob } from '../../../core/ports.js';
import { createJobQueue, type JobQueue } from '../../../prisma/job-queue.js';
import { PrismaStore } from '../../../prisma/store.js';
import { RecordingPort } from '../../support/core-harness.js';
import { createTestDatabase, type TestDatabase } from '../../support/database.js';
import { createTestCore } from '../../support/test-core.js';

/**
 * Review requests on the real durable queue (pg-boss on the test database) and the real clock: a request
 * scheduled by one queue runs in another (a restart), and scheduling it again runs nothing twice.
 */
describe('review requests on the real job queue', () => {
  let db: TestDatabase;
  let queue: JobQueue;
  let core: Core;
  const port = new RecordingPort();
  const scheduled: ScheduledJob[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    core?.stop();
    await queue?.stop();
    await db?.close();
  });

  it('survive a restart, and run once however often they are scheduled', async () => {
    // The process that marks the delivery stops before the request is due.
    const first = createJobQueue(db, { pollingIntervalSeconds: 0.5 });
    let current: JobQueue = first;
    core = createTestCore({
      store: new PrismaStore(db.prisma), clock: systemClock, logger: silentLogger,
      scheduler: { schedule: async (job) => (scheduled.push(job), current.schedule(job)) },
    });
    core.registerPlatform('tg', port);
    port.admins.add('tg:1');
    const chat = { id: 'tg:-100', kind: 'group' as const, title: 'Tea' };
    const admin = { id: 'tg:1', displayName: 'Anna', languageCode: 'en' };
    const bob = { id: 'tg:2', displayName: 'Bob', languageCode: 'en' };
    let key = 0;
    const send = (actor: typeof admin, name: string, args = '') =>
      core.handle({ kind: 'command', key: `k${++key}`, platform: 'tg', actor, chat, at: new Date(), name, args } satisfies CoreEvent);
    await send(admin, 'reviewconfig', 'delay 0h');
    await send(admin, 'reviewconfig', 'quiet off');
    await send(admin, 'newbuy', 'Tea | 10 | min 1 | max 5 | ends 90m');
    await send(bob, 'join');
    await send(admin, 'closebuy');
    await send(admin, 'delivered', 'all');
    const job = scheduled.find((j) => j.name === 'review.request')!;
    expect(job).toBeDefined();
    await first.stop();

    // The next process: a new queue on the same database finds the job and runs it.
    queue = createJobQueue(db, { pollingIntervalSeconds: 0.5 });
    current = queue;
    await queue.schedule(job); // e.g. reconcileSchedules at start-up: the same key, no second job
    await queue.start({ 'review.request': (data) => core.runJob('review.request', data) });
    const requests = () => port.delivered.filter((d) => d.reply.kind === 'message' && 'memberId' in d.reply.to && d.reply.to.memberId === bob.id && d.reply.text.startsWith('📝'));
    const started = Date.now();
    while (requests().length === 0 && Date.now() - started < 15_000) await new Promise((r) => setTimeout(r, 100));
    expect(requests()).toHaveLength(1);

    // Delivered again by the queue (a retry after a crash) or scheduled again: nothing more is sent.
    await core.runJob(job.name, job.data);
    await queue.schedule(job);
    await new Promise((r) => setTimeout(r, 1500));
    expect(requests()).toHaveLength(1);
    const request = await db.prisma.reviewRequest.findFirstOrThrow();
    expect(request).toMatchObject({ status: 'sent', remindersSent: 0 });
    expect(request.nextAt!.getTime() - request.sentAt!.getTime()).toBe(3 * 24 * 3_600_000);
  });
});
