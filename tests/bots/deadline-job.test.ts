import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../core/app.js';
import { systemClock } from '../../core/clock.js';
import { silentLogger } from '../../core/ports.js';
import { createJobQueue, type JobQueue } from '../../prisma/job-queue.js';
import { PrismaStore } from '../../prisma/store.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { RecordingPort } from '../support/core-harness.js';
import { createTestCore } from '../support/test-core.js';

/**
 * The deadline as it runs in production: the real clock, the real durable queue (pg-boss on the test database),
 * and a buy that closes by itself within seconds of its deadline.
 */
describe('a buy at its deadline, with the real job queue', () => {
  let db: TestDatabase;
  let queue: JobQueue;
  let core: Core;
  const port = new RecordingPort();

  beforeAll(async () => {
    db = await createTestDatabase();
    queue = createJobQueue(db, { pollingIntervalSeconds: 0.5 });
    core = createTestCore({ store: new PrismaStore(db.prisma), clock: systemClock, scheduler: queue, logger: silentLogger });
    core.registerPlatform('tg', port);
    port.admins.add('tg:1');
    await queue.start({ 'buy.deadline': (data) => core.runJob('buy.deadline', data) });
  });

  afterAll(async () => {
    core.stop();
    await queue.stop();
    await db.close();
  });

  it('closes by itself within seconds of the deadline and tells the group', async () => {
    const chat = { id: 'tg:-100', kind: 'group' as const, title: 'Tea' };
    const admin = { id: 'tg:1', displayName: 'Anna', languageCode: 'en' };
    const member = { id: 'tg:2', displayName: 'Bob', languageCode: 'en' };
    const at = new Date();
    // A deadline 3 s away: commands take minutes at the finest, so the buy is opened for 90 minutes, then moved.
    await core.handle({ kind: 'command', key: 'k2', platform: 'tg', actor: admin, chat, at, name: 'newbuy', args: 'Tea | 10 | min 1 | max 5 | ends 90m' });
    await core.handle({ kind: 'command', key: 'k3', platform: 'tg', actor: member, chat, at, name: 'join', args: '' });
    const deadline = new Date(Date.now() + 3000);
    await db.prisma.groupBuy.update({ where: { id: 1 }, data: { endsAt: deadline } });
    await queue.schedule({ name: 'buy.deadline', runAt: deadline, key: `buy.deadline:1:${deadline.getTime()}`, data: { buyId: 1 } });

    const formed = async () => (await db.prisma.groupBuy.findUniqueOrThrow({ where: { id: 1 } })).status === 'formed';
    const started = Date.now();
    while (!(await formed()) && Date.now() - started < 15_000) await new Promise((r) => setTimeout(r, 200));
    const closedAt = (await db.prisma.groupBuy.findUniqueOrThrow({ where: { id: 1 } })).closedAt!;

    expect(await formed()).toBe(true);
    expect(closedAt.getTime() - deadline.getTime()).toBeGreaterThanOrEqual(0);
    expect(closedAt.getTime() - deadline.getTime()).toBeLessThan(5000);
    const texts = port.delivered.map((d) => ('text' in d.reply ? d.reply.text : ''));
    expect(texts.some((t) => t.startsWith('✅ Group buy #1 Tea is formed'))).toBe(true);
    expect(port.delivered.some((d) => d.reply.kind === 'message' && 'memberId' in d.reply.to && d.reply.to.memberId === 'tg:2')).toBe(true);
  });
});
