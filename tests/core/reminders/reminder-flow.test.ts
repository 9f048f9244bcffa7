import { describe, expect, it } from 'vitest';
import { DAY, GROUP, HOUR, MINUTE, alice, anna, bob, useCoreHarness, wang } from '../../support/core-harness.js';
import { answer, deliveredBuy, remindersTo } from './reminder-support.js';

describe('repurchase reminders', () => {
  const h = useCoreHarness();

  it('sends one reminder the lead time before a delivered purchase runs out, with buttons that work once', async () => {
    await h.openBuy('Tea | 10 | min 1 | max 50 | ends 2h');
    await h.command(anna, '/product tea lasts 14d');
    await h.command(alice, '/join');
    await h.command(anna, '/closebuy');
    await h.command(anna, '/delivered all');

    await h.advance(11 * DAY - MINUTE, { runDueJobs: true });
    expect(remindersTo(h, alice)).toEqual([]);
    await h.advance(MINUTE, { runDueJobs: true });
    const [reminder] = remindersTo(h, alice);
    expect(reminder?.text).toBe(
      '🔔 Running low on tea? By your past orders in Strawberry friends it runs out around 2027-01-03.\n' +
        'No buy of it is open in Strawberry friends right now.',
    );
    expect(reminder?.buttons.map((b) => b.label)).toEqual(['Remind me in 3 days', 'Remind me in 7 days', 'Already bought', 'No more reminders for this product']);
    await h.advance(DAY, { runDueJobs: true });
    expect(remindersTo(h, alice)).toHaveLength(1);

    await answer(h, alice, 'bought');
    expect(h.lastToast()).toBe('Noted. Next reminder around 2027-01-12.');
    await answer(h, alice, 'bought');
    expect(h.lastToast()).toBe('This reminder was already answered.');
    await answer(h, alice, 'later');
    expect(h.lastToast()).toBe('This reminder was already answered.');
    // "Already bought" reset the clock: one unit from the answer, 14 days, minus the 3-day lead.
    await h.advance(11 * DAY - MINUTE, { runDueJobs: true });
    expect(remindersTo(h, alice)).toHaveLength(1);
    await h.advance(MINUTE, { runDueJobs: true });
    expect(remindersTo(h, alice)).toHaveLength(2);
    expect(h.errors()).toEqual([]);
  });

  it('speaks the member’s language', async () => {
    await deliveredBuy(h, [wang], '红茶', '红茶');
    await h.command(anna, '/product 红茶 lasts 10d');
    await h.advance(7 * DAY, { runDueJobs: true });
    expect(remindersTo(h, wang).map((r) => r.text)).toEqual([
      '🔔 红茶 快用完了吗？按你在 Strawberry friends 的购买记录，大约 2026-12-30 用完。\nStrawberry friends 目前没有这个商品的拼团。',
    ]);
    expect(remindersTo(h, wang)[0]?.buttons.map((b) => b.label)).toEqual(['3 天后提醒我', '7 天后提醒我', '已经买了', '不再提醒这个商品']);
  });

  it('reminds again later when asked', async () => {
    await h.command(anna, '/reviewconfig cap 9'); // review requests and their reminders would take the cap
    await deliveredBuy(h, [alice]);
    await h.command(anna, '/product tea lasts 5d');
    await h.advance(2 * DAY, { runDueJobs: true });
    expect(remindersTo(h, alice)).toHaveLength(1);
    await answer(h, alice, 'later', 0);
    expect(h.lastToast()).toBe("OK, I'll remind you in 3 days.");
    await h.advance(3 * DAY - MINUTE, { runDueJobs: true });
    expect(remindersTo(h, alice)).toHaveLength(1);
    await h.advance(MINUTE, { runDueJobs: true });
    expect(remindersTo(h, alice)).toHaveLength(2);
  });

  it('learns the pace from the member’s own purchases, without any setting', async () => {
    await h.command(anna, '/reviewconfig cap 9');
    await deliveredBuy(h, [alice]);
    await h.advance(10 * DAY);
    await deliveredBuy(h, [alice]);
    await h.advance(10 * DAY);
    await deliveredBuy(h, [alice]);
    // Every 10 days: due 7 days after the last delivery.
    await h.advance(7 * DAY - MINUTE, { runDueJobs: true });
    expect(remindersTo(h, alice)).toEqual([]);
    await h.advance(MINUTE, { runDueJobs: true });
    expect(remindersTo(h, alice)).toHaveLength(1);
  });

  it('plans nothing for a member with one purchase of a product nobody has learned yet', async () => {
    await deliveredBuy(h, [alice]);
    await h.advance(60 * DAY, { runDueJobs: true });
    expect(remindersTo(h, alice)).toEqual([]);
    expect(await h.db.prisma.reminderPlan.count({ where: { status: 'pending' } })).toBe(0);
  });

  it('waits for the end of quiet hours', async () => {
    await h.advance(13 * HOUR); // 23:00 in Shanghai
    await deliveredBuy(h, [alice]);
    await h.command(anna, '/product tea lasts 4d');
    await h.advance(1 * DAY, { runDueJobs: true }); // due at 23:00, inside 22:00-08:00
    expect(remindersTo(h, alice)).toEqual([]);
    await h.advance(9 * HOUR - MINUTE, { runDueJobs: true });
    expect(remindersTo(h, alice)).toEqual([]);
    await h.advance(MINUTE, { runDueJobs: true }); // 08:00
    expect(remindersTo(h, alice)).toHaveLength(1);
  });

  it('shares the weekly cap with review requests', async () => {
    await h.command(anna, '/reviewconfig cap 1');
    await h.command(anna, '/reviewconfig delay 1d');
    await deliveredBuy(h, [alice]);
    await h.command(anna, '/product tea lasts 5d'); // due in 2 days
    await h.advance(1 * DAY, { runDueJobs: true });
    expect(h.dmsTo(alice).filter((text) => text.startsWith('📝'))).toHaveLength(1);
    await h.advance(1 * DAY, { runDueJobs: true });
    expect(remindersTo(h, alice)).toEqual([]);
    // The review request's slot frees a week after it went.
    await h.advance(6 * DAY - MINUTE, { runDueJobs: true });
    expect(remindersTo(h, alice)).toEqual([]);
    await h.advance(MINUTE, { runDueJobs: true });
    expect(remindersTo(h, alice)).toHaveLength(1);
    expect(await h.db.prisma.outboundMessage.count({ where: { memberId: alice.id } })).toBe(2);
  });

  it('holds /stop reminders until /start reminders', async () => {
    await deliveredBuy(h, [alice, bob]);
    await h.command(anna, '/product tea lasts 5d');
    await h.command(alice, '/stop reminders', { chat: 'private' });
    expect(h.dmsTo(alice).at(-1)).toBe('OK: no more repurchase reminders. Send /start reminders to get them again.');
    await h.advance(3 * DAY, { runDueJobs: true });
    expect(remindersTo(h, alice)).toEqual([]);
    expect(remindersTo(h, bob)).toHaveLength(1);
    await h.command(alice, '/start reminders', { chat: 'private' });
    await h.advance(MINUTE, { runDueJobs: true });
    expect(remindersTo(h, alice)).toHaveLength(1);
  });

  it('stops one product’s reminders with its button, and no other product’s', async () => {
    await deliveredBuy(h, [alice], 'Tea');
    await deliveredBuy(h, [alice], 'Rice');
    await h.command(anna, '/product tea lasts 5d');
    await h.command(anna, '/product rice lasts 5d');
    await h.advance(2 * DAY, { runDueJobs: true });
    expect(remindersTo(h, alice).map((r) => r.text.split('?')[0])).toEqual(['🔔 Running low on tea', '🔔 Running low on rice']);
    await answer(h, alice, 'stop');
    expect(h.lastToast()).toBe('OK: no more reminders for rice. Other products still get theirs (/stop reminders stops all, /start reminders brings all back).');
    await answer(h, alice, 'stop');
    expect(h.lastToast()).toBe('This reminder was already answered.');
    expect(await h.db.prisma.reminderOptOut.findMany({ select: { memberId: true, productKey: true } })).toEqual([{ memberId: alice.id, productKey: 'rice' }]);
    await h.command(anna, '/reviewconfig cap 9');
    await h.advance(3 * DAY, { runDueJobs: true });
    expect(remindersTo(h, alice)).toHaveLength(2);

    // /start reminders brings every product back.
    await h.command(alice, '/start reminders', { chat: 'private' });
    expect(h.dmsTo(alice).at(-1)).toBe("OK: you'll get repurchase reminders again, for every product.");
    await h.advance(MINUTE, { runDueJobs: true });
    expect(remindersTo(h, alice).map((r) => r.text.split('?')[0])).toEqual(['🔔 Running low on tea', '🔔 Running low on rice', '🔔 Running low on rice']);
    expect(await h.db.prisma.reminderOptOut.count()).toBe(0);
  });

  it('sends nothing for a product that is not a consumable', async () => {
    await deliveredBuy(h, [alice], 'Rice cooker');
    await h.command(anna, '/product rice-cooker durable');
    expect(h.lastMessageIn()).toContain('rice-cooker: not a consumable (no reminders)');
    await h.advance(10 * DAY);
    await deliveredBuy(h, [alice], 'Rice cooker');
    await h.advance(10 * DAY);
    await deliveredBuy(h, [alice], 'Rice cooker');
    await h.advance(60 * DAY, { runDueJobs: true });
    expect(remindersTo(h, alice)).toEqual([]);
  });

  it('sends nothing to a member who left the group', async () => {
    await deliveredBuy(h, [alice, bob]);
    await h.command(anna, '/product tea lasts 5d');
    await h.send({ key: h.nextKey(), platform: 'tg', kind: 'member_left', actor: alice, chat: GROUP, at: h.clock.now() });
    await h.advance(3 * DAY, { runDueJobs: true });
    expect(remindersTo(h, alice)).toEqual([]);
    expect(remindersTo(h, bob)).toHaveLength(1);
  });

  it('brings the reminders of members due soon forward when a buy of the product opens, one message each', async () => {
    await deliveredBuy(h, [alice, bob]);
    await h.command(anna, '/product tea lasts 14d');
    await h.advance(8 * DAY, { runDueJobs: true });
    expect(remindersTo(h, alice)).toEqual([]);
    // Due in 3 days: before this buy closes in 4 days.
    const first = await h.openBuy('Tea | 9 | min 1 | max 50 | ends 4d');
    const second = await h.openBuy('Tea refill | 9 | min 1 | max 50 | ends 5d | product tea');
    await h.runDueJobs();
    const reminders = remindersTo(h, alice);
    expect(reminders).toHaveLength(1);
    expect(reminders[0]?.text).toContain(`Buy #${second.id} Tea refill is open until`);
    expect(reminders[0]?.buttons[0]).toEqual({ label: `Join #${second.id}`, action: expect.stringMatching(new RegExp(`^rm:join:\\d+:\\w+:${second.id}$`)) });
    expect(remindersTo(h, bob)).toHaveLength(1);
    await answer(h, alice, 'join');
    expect(h.lastToast()).toBe(`Alice joined #${second.id} ×1.`);
    expect(await h.participants(second.id)).toEqual(['Alice ×1']);
    await answer(h, alice, 'join');
    expect(h.lastToast()).toBe('This reminder was already answered.');
    expect(await h.participants(first.id)).toEqual([]);
  });

  it('refuses a reminder’s buttons to anyone else', async () => {
    await deliveredBuy(h, [alice]);
    await h.command(anna, '/product tea lasts 5d');
    await h.advance(2 * DAY, { runDueJobs: true });
    const action = remindersTo(h, alice)[0]!.buttons.find((b) => b.action.startsWith('rm:bought:'))!.action;
    await h.press(bob, action, { chat: 'private' });
    expect(h.lastToast()).toBe('This button is not for you.');
    expect(await h.db.prisma.reminderPlan.findFirstOrThrow({ where: { memberId: alice.id } })).toMatchObject({ status: 'sent' });
  });

  it('re-schedules pending reminders at start-up, and runs a duplicate job once', async () => {
    await deliveredBuy(h, [alice]);
    await h.command(anna, '/product tea lasts 5d');
    const job = h.scheduler.jobs.filter((j) => j.name === 'reminder.send').at(-1)!;
    await h.core.reconcileSchedules();
    expect(h.scheduler.jobs.filter((j) => j.key === job.key).length).toBeGreaterThanOrEqual(2);
    await h.advance(2 * DAY, { runDueJobs: true });
    await h.core.runJob(job.name, job.data);
    expect(remindersTo(h, alice)).toHaveLength(1);
  });
});
