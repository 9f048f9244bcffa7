import { describe, expect, it } from 'vitest';
import { DAY, HOUR, alice, anna, bob, useCoreHarness, wang } from '../../support/core-harness.js';
import { deliveredBuy, writeReview } from './review-support.js';

const h = useCoreHarness();

const requestsTo = (who: typeof alice) => h.dmsTo(who).filter((m) => m.startsWith('📝'));
const remindersTo = (who: typeof alice) => h.dmsTo(who).filter((m) => m.startsWith('⏰ A gentle') || m.startsWith('⏰ 温馨'));

describe('review requests', () => {
  it('are created at delivery and sent by DM after the delay, in each member\'s language', async () => {
    const buyId = await deliveredBuy(h);
    const jobs = h.scheduler.jobs.filter((j) => j.name === 'review.request');
    expect(jobs).toHaveLength(3);
    expect(jobs.every((j) => j.runAt.getTime() === h.clock.now().getTime() + 3 * DAY)).toBe(true);
    expect(await h.db.prisma.reviewRequest.count({ where: { buyId, status: 'pending' } })).toBe(3);

    await h.advanceAndRunJobs(3 * DAY - HOUR);
    expect(requestsTo(alice)).toEqual([]);
    await h.advanceAndRunJobs(HOUR);
    expect(requestsTo(alice)).toEqual([
      '📝 How was #1 Strawberries (Strawberry friends)? Tap the stars to rate it, then tell us in a few words.\n' +
        'Every honest review earns 10 points, good or bad alike.\n' +
        '+10 more for 3 photos or a video of 15 s.\n' +
        'Or in one line: /review 1 <1-5> <text>. No more requests: /stop reviews',
    ]);
    expect(requestsTo(wang)[0]).toMatch(/^📝 #1 Strawberries（Strawberry friends）用得怎么样？/);
    const request = h.port.delivered.find((d) => d.reply.kind === 'message' && 'memberId' in d.reply.to && d.reply.to.memberId === alice.id && d.reply.text.startsWith('📝'));
    expect(request?.reply).toMatchObject({ buttons: [[1, 2, 3, 4, 5].map((n) => ({ label: `${n}⭐`, action: `rv:rate:${buyId}:${n}` }))] });
  });

  it('marking delivered twice creates one request per member', async () => {
    const buyId = await deliveredBuy(h);
    await h.command(anna, `/delivered ${buyId} all`);
    expect(await h.db.prisma.reviewRequest.count()).toBe(3);
    expect(h.scheduler.jobs.filter((j) => j.name === 'review.request')).toHaveLength(3);
  });

  it('wait for the end of quiet hours in the group\'s time zone', async () => {
    h.clock.advance(13 * HOUR); // 23:00 in Shanghai
    await deliveredBuy(h, [alice]);
    await h.advanceAndRunJobs(3 * DAY); // due at 23:00, three days later
    expect(requestsTo(alice)).toEqual([]);
    const postponed = h.scheduler.jobs.at(-1)!;
    expect(postponed.runAt.toISOString()).toBe('2026-12-24T00:00:00.000Z'); // 08:00 in Shanghai
    await h.advanceAndRunJobs(9 * HOUR);
    expect(requestsTo(alice)).toHaveLength(1);
  });

  it('follow the group\'s time zone and quiet hours settings', async () => {
    await h.command(anna, '/timezone Europe/Berlin'); // 03:00 in Berlin now
    await h.command(anna, '/reviewconfig delay 0h');
    await deliveredBuy(h, [alice]);
    await h.runDueJobs();
    expect(requestsTo(alice)).toEqual([]);
    await h.advanceAndRunJobs(5 * HOUR); // 08:00 Berlin
    expect(requestsTo(alice)).toHaveLength(1);
  });

  it('send reminders only to members who have not reviewed, then stop', async () => {
    const buyId = await deliveredBuy(h, [alice, bob]);
    await h.advanceAndRunJobs(3 * DAY);
    await writeReview(h, alice, buyId, 4, 'Good');
    await h.advanceAndRunJobs(3 * DAY);
    expect(remindersTo(alice)).toEqual([]);
    expect(remindersTo(bob)).toHaveLength(1);
    expect(remindersTo(bob)[0]).toMatch(/^⏰ A gentle reminder: your review of #1 Strawberries/);
    await h.advanceAndRunJobs(10 * DAY);
    expect(remindersTo(bob)).toHaveLength(1);
    expect(requestsTo(bob)).toHaveLength(1);
    const statuses = await h.db.prisma.reviewRequest.findMany({ orderBy: { memberId: 'asc' }, select: { memberId: true, status: true, remindersSent: true, nextAt: true } });
    expect(statuses).toEqual([
      { memberId: alice.id, status: 'reviewed', remindersSent: 0, nextAt: null },
      { memberId: bob.id, status: 'sent', remindersSent: 1, nextAt: null },
    ]);
  });

  it('send as many reminders as configured, the configured interval apart', async () => {
    await h.command(anna, '/reviewconfig reminders 2');
    await h.command(anna, '/reviewconfig interval 2d');
    await h.command(anna, '/reviewconfig cap 5');
    await deliveredBuy(h, [bob]);
    await h.advanceAndRunJobs(3 * DAY);
    await h.advanceAndRunJobs(2 * DAY - HOUR);
    expect(remindersTo(bob)).toHaveLength(0);
    await h.advanceAndRunJobs(HOUR);
    expect(remindersTo(bob)).toHaveLength(1);
    await h.advanceAndRunJobs(2 * DAY);
    await h.advanceAndRunJobs(2 * DAY);
    expect(remindersTo(bob)).toHaveLength(2);
  });

  it('use a buy\'s own delay over the group default', async () => {
    const buy = await h.openBuy('Tea | 10 | min 1 | max 5 | ends 2h');
    await h.command(alice, '/join');
    await h.command(anna, '/closebuy');
    await h.command(anna, `/reviewconfig #${buy.id} delay 1d`);
    expect(h.lastMessageIn()).toContain('• Request: 1 day after delivery');
    await h.command(anna, '/delivered all');
    await h.advanceAndRunJobs(DAY);
    expect(requestsTo(alice)).toHaveLength(1);
  });

  it('respect the weekly cap: the third request waits until a slot frees up', async () => {
    for (const title of ['Tea', 'Rice', 'Honey']) await deliveredBuy(h, [alice], title);
    await h.advanceAndRunJobs(3 * DAY);
    expect(requestsTo(alice).map((m) => m.slice(0, 22))).toEqual(['📝 How was #1 Tea (Str', '📝 How was #2 Rice (St']);
    await h.advanceAndRunJobs(3 * DAY); // reminders are due, but two messages went out this week
    expect(h.dmsTo(alice).filter((m) => /^(📝|⏰)/.test(m))).toHaveLength(2);
    await h.advanceAndRunJobs(DAY - HOUR);
    expect(h.dmsTo(alice).filter((m) => /^(📝|⏰)/.test(m))).toHaveLength(2);
    await h.advanceAndRunJobs(3 * DAY + HOUR); // a week after the first two: two slots free again
    const sent = await h.db.prisma.outboundMessage.findMany({ where: { memberId: alice.id }, orderBy: { sentAt: 'asc' } });
    for (let i = 2; i < sent.length; i++) expect(sent[i]!.sentAt.getTime() - sent[i - 2]!.sentAt.getTime()).toBeGreaterThanOrEqual(7 * DAY);
    expect(requestsTo(alice).some((m) => m.startsWith('📝 How was #3 Honey'))).toBe(true);
    expect(sent).toHaveLength(4);
  });

  it('skip members who opted out with /stop reviews, and reach them again after /start reviews', async () => {
    await h.command(bob, '/stop reviews', { chat: 'private' });
    expect(h.dmsTo(bob).at(-1)).toBe('OK: no more review requests. Send /start reviews to get them again.');
    await h.command(wang, '/stop 评价', { chat: 'private' });
    expect(h.dmsTo(wang).at(-1)).toBe('好的：不再向你发送评价邀请。发送 /start reviews 可恢复。');
    await h.command(bob, '/stop', { chat: 'private' });
    expect(h.dmsTo(bob).at(-1)).toBe('To stop review requests, send /stop reviews (and /start reviews to get them again).\nTo stop repurchase reminders, send /stop reminders (and /start reminders to get them again).');
    await deliveredBuy(h, [alice, bob], 'Tea');
    await h.advanceAndRunJobs(3 * DAY);
    expect(requestsTo(alice)).toHaveLength(1);
    expect(requestsTo(bob)).toHaveLength(0);
    expect((await h.db.prisma.reviewRequest.findFirst({ where: { memberId: bob.id } }))!.status).toBe('opted_out');

    await h.command(bob, '/start reviews', { chat: 'private' });
    expect(h.dmsTo(bob).at(-1)).toBe('OK: you will be asked for reviews again after deliveries.');
    await h.command(bob, '/start', { chat: 'private' });
    expect(h.dmsTo(bob).at(-1)).toMatch(/^Hi! I run group buys in your groups/);
    await deliveredBuy(h, [bob], 'Rice');
    await h.advanceAndRunJobs(3 * DAY);
    expect(requestsTo(bob)).toHaveLength(1);
  });

  it('run once however often the job is delivered or scheduled', async () => {
    await deliveredBuy(h, [alice]);
    const job = h.scheduler.jobs.find((j) => j.name === 'review.request')!;
    h.clock.advance(3 * DAY);
    await h.core.runJob(job.name, job.data);
    await h.core.runJob(job.name, job.data);
    expect(requestsTo(alice)).toHaveLength(1);
    // Rescheduling at start-up gives the same key as the job already queued.
    const before = h.scheduler.jobs.length;
    await h.core.reconcileSchedules();
    const rescheduled = h.scheduler.jobs.slice(before).filter((j) => j.name === 'review.request');
    expect(rescheduled.map((j) => j.key)).toEqual([h.scheduler.jobs.filter((j) => j.name === 'review.request').at(-2)!.key]);
  });
});
