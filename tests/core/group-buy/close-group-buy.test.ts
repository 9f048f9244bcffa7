import { describe, expect, it } from 'vitest';
import { HOUR, START, alice, anna, bob, carol, laoLi, useCoreHarness, wang } from '../../support/core-harness.js';

const h = useCoreHarness();

describe('closing at the deadline', () => {
  it('closes as formed when min is reached, announces it and tells every participant in their own language', async () => {
    const buy = await h.openBuy('Strawberries | 39.9 | min 3 | max 4 | ends 2h | tiers 4:35.9 | pickup East gate');
    await h.command(alice, '/join 2');
    await h.command(wang, '/join 2');
    await h.command(carol, '/join 1');

    h.clock.advance(2 * HOUR);
    await h.core.runJob('buy.deadline', { buyId: buy.id });

    expect(await h.buy(buy.id)).toMatchObject({ status: 'formed', finalPriceCents: 3590, closedReason: 'deadline', closedAt: h.clock.now() });
    expect(h.lastMessageIn()).toBe('✅ Group buy #1 Strawberries is formed: 4 units from 2 members at ¥35.90 per unit.');
    expect(h.dmsTo(alice)).toEqual(['✅ #1 Strawberries is formed. You have ×2 at ¥35.90: ¥71.80 in total. Pickup: East gate.']);
    expect(h.dmsTo(wang)).toEqual(['✅ #1 Strawberries 已成团。你参团 ×2，单价 ¥35.90，合计 ¥71.80。自提：East gate。']);
    expect(h.dmsTo(carol)).toEqual(['#1 Strawberries has closed and no place opened for you on the waitlist.']);

    const card = await h.cardText(buy.id);
    expect(card).toContain('✅ Formed at ¥35.90 per unit. Sign-ups are closed.');
    expect(card).not.toContain('⏰');
    expect(await h.cardButtons(buy.id)).toEqual([]);
  });

  it('closes as failed when min is not reached, in the group language and each member language', async () => {
    await h.command(laoLi, '/lang zh');
    const buy = await h.openBuy('Tea | 10 | min 3 | max 5 | ends 90m');
    await h.command(bob, '/join 1');
    await h.command(wang, '/join 1');

    h.clock.advance(2 * HOUR);
    expect(await h.core.sweepDue()).toBe(1);

    expect(await h.buy(buy.id)).toMatchObject({ status: 'failed', finalPriceCents: null, closedReason: 'deadline' });
    expect(h.lastMessageIn()).toBe('❌ 拼团 #1 Tea 未成团：只报了 2 份，需要 3 份。无需付款。');
    expect(h.dmsTo(bob)).toEqual(['❌ #1 Tea did not reach its minimum and will not go ahead. You pay nothing.']);
    expect(h.dmsTo(wang)).toEqual(['❌ #1 Tea 未达到成团数量，本次不成团，你无需付款。']);
    expect(await h.cardText()).toContain('❌ 未成团：只报了 2 份，需要 3 份。报名已截止，无需付款。');
  });

  it('does nothing before the deadline, and nothing the second time', async () => {
    const buy = await h.openBuy('Tea | 10 | min 1 | max 5 | ends 2h');
    await h.command(alice, '/join');
    h.clock.advance(HOUR);
    await h.core.runJob('buy.deadline', { buyId: buy.id });
    expect(await h.core.sweepDue()).toBe(0);
    expect((await h.buy(buy.id))?.status).toBe('open');

    h.clock.advance(HOUR);
    expect(await h.core.sweepDue()).toBe(1);
    await h.flushCards();
    const sent = h.port.delivered.length;
    expect(await h.core.sweepDue()).toBe(0);
    await h.core.runJob('buy.deadline', { buyId: buy.id });
    await h.flushCards();
    expect(h.port.delivered.length).toBe(sent);
  });

  it('closes when the recorded job comes due', async () => {
    const buy = await h.openBuy('Tea | 10 | min 1 | max 5 | ends 2h');
    await h.command(alice, '/join');
    await h.advanceAndRunJobs(2 * HOUR - 1);
    expect((await h.buy(buy.id))?.status).toBe('open');
    await h.advanceAndRunJobs(1);
    expect((await h.buy(buy.id))?.status).toBe('formed');
  });

  it('refuses joins and leaves once closed, naming the status in the member language', async () => {
    const buy = await h.openBuy('Tea | 10 | min 1 | max 5 | ends 2h');
    await h.command(alice, '/join');
    await h.advanceAndRunJobs(2 * HOUR);

    await h.press(bob, `join:${buy.id}`);
    expect(h.lastToast()).toBe('Buy #1 is formed: it no longer takes changes.');
    await h.command(wang, `/join ${buy.id} 1`);
    expect(h.lastMessageIn()).toBe('拼团 #1 已成团，不能再修改。');
    await h.command(alice, '/leave 1');
    expect(h.lastMessageIn()).toBe('Buy #1 is formed: it no longer takes changes.');
    await h.command(bob, '/join');
    expect(h.lastMessageIn()).toBe('There is no open buy in this chat right now.');
    expect(await h.participants(buy.id)).toEqual(['Alice ×1']);
  });
});

describe('/extendbuy', () => {
  it('moves the deadline, schedules a new job, and the old job then does nothing', async () => {
    const buy = await h.openBuy('Tea | 10 | min 1 | max 5 | ends 2h');
    await h.command(alice, '/join');
    await h.command(anna, '/extendbuy 2026-12-24 20:00');

    expect(h.lastMessageIn()).toBe('⏰ #1 now ends 2026-12-24 20:00 (Asia/Shanghai).');
    const endsAt = new Date('2026-12-24T12:00:00Z');
    expect((await h.buy(buy.id))?.endsAt).toEqual(endsAt);
    expect(h.scheduler.jobs.filter((j) => j.name === 'buy.deadline').map((j) => j.key)).toEqual([`buy.deadline:1:${START.getTime() + 2 * HOUR}`, `buy.deadline:1:${endsAt.getTime()}`]);
    expect(await h.cardText()).toContain('⏰ Ends 2026-12-24 20:00 (Asia/Shanghai)');

    await h.advanceAndRunJobs(3 * HOUR);
    expect((await h.buy(buy.id))?.status).toBe('open');
    expect(h.lastMessageIn()).toBe('⏰ #1 now ends 2026-12-24 20:00 (Asia/Shanghai).');

    h.clock.set(endsAt);
    await h.runDueJobs();
    expect((await h.buy(buy.id))?.status).toBe('formed');
    expect(await h.db.prisma.adminAction.findMany({ where: { action: 'buy.extend' }, select: { actorId: true } })).toEqual([{ actorId: anna.id }]);
  });

  it('takes a buy id and a duration, and answers in Chinese for a Chinese admin', async () => {
    await h.openBuy('Tea | 10 | min 1 | max 5 | ends 2h');
    await h.openBuy('Rice | 10 | min 1 | max 5 | ends 2h');
    await h.command(laoLi, '/extendbuy #1 3d');
    expect(h.lastMessageIn()).toBe('⏰ #1 截止时间改为 2026-12-23 10:00 (Asia/Shanghai)。');
    expect((await h.buy(1))?.endsAt).toEqual(new Date(START.getTime() + 72 * HOUR));
    expect((await h.buy(2))?.endsAt).toEqual(new Date(START.getTime() + 2 * HOUR));
  });

  it('refuses a past deadline or no deadline and changes nothing', async () => {
    const buy = await h.openBuy('Tea | 10 | min 1 | max 5 | ends 2h');
    await h.command(anna, '/extendbuy 2026-12-19 10:00');
    expect(h.lastMessageIn()).toBe('The deadline 2026-12-19 10:00 is already past.');
    await h.command(anna, '/extendbuy');
    expect(h.lastMessageIn()).toBe('Usage: /extendbuy [buy-id] <when>, e.g. /extendbuy #12 2h or /extendbuy 2026-12-24 20:00.');
    expect((await h.buy(buy.id))?.endsAt).toEqual(buy.endsAt);
    expect(h.scheduler.jobs.filter((j) => j.name === 'buy.deadline')).toHaveLength(1);
  });

  it('refuses a closed buy', async () => {
    const buy = await h.openBuy('Tea | 10 | min 1 | max 5 | ends 2h');
    await h.command(anna, `/cancelbuy ${buy.id}`);
    await h.command(anna, `/extendbuy ${buy.id} 2h`);
    expect(h.lastMessageIn()).toBe('Buy #1 is cancelled: it no longer takes changes.');
    expect((await h.buy(buy.id))?.endsAt).toEqual(buy.endsAt);
  });
});

describe('/closebuy and /cancelbuy', () => {
  it('closes a buy now as formed when min is reached', async () => {
    const buy = await h.openBuy('Tea | 10 | min 2 | max 5 | ends 2h');
    await h.command(alice, '/join 2');
    await h.command(anna, '/closebuy');
    expect(await h.buy(buy.id)).toMatchObject({ status: 'formed', closedReason: 'admin', finalPriceCents: 1000 });
    expect(h.lastMessageIn()).toBe('✅ Group buy #1 Tea is formed: 2 units from 1 member at ¥10.00 per unit.');
    expect(h.dmsTo(alice)).toEqual(['✅ #1 Tea is formed. You have ×2 at ¥10.00: ¥20.00 in total.']);
    expect(await h.db.prisma.adminAction.count({ where: { action: 'buy.close' } })).toBe(1);
  });

  it('closes a buy now as failed when min is not reached, naming the buy by id', async () => {
    await h.openBuy('Tea | 10 | min 2 | max 5 | ends 2h');
    await h.openBuy('Rice | 10 | min 2 | max 5 | ends 2h');
    await h.command(laoLi, '/closebuy #1');
    expect(await h.buy(1)).toMatchObject({ status: 'failed', closedReason: 'admin' });
    expect((await h.buy(2))?.status).toBe('open');
  });

  it('cancels a buy and tells the group and each participant that no one pays', async () => {
    const buy = await h.openBuy('Tea | 10 | min 1 | max 1 | ends 2h');
    await h.command(alice, '/join');
    await h.command(wang, '/join');
    await h.command(anna, '/cancelbuy 1');

    expect(await h.buy(buy.id)).toMatchObject({ status: 'cancelled', closedReason: 'cancelled', finalPriceCents: null });
    expect(h.lastMessageIn()).toBe('🚫 Group buy #1 Tea was cancelled by an admin. No one pays.');
    expect(h.dmsTo(alice)).toEqual(['🚫 #1 Tea was cancelled by an admin. You pay nothing.']);
    expect(h.dmsTo(wang)).toEqual(['#1 Tea 已截止，候补未能转正。']);
    expect(await h.cardText()).toContain('🚫 Cancelled by an admin.');
    expect(await h.cardButtons()).toEqual([]);

    await h.advanceAndRunJobs(2 * HOUR);
    expect((await h.buy(buy.id))?.status).toBe('cancelled');
  });

  it('refuses to close a buy twice', async () => {
    await h.openBuy('Tea | 10 | min 1 | max 5 | ends 2h');
    await h.command(anna, '/cancelbuy 1');
    await h.command(laoLi, '/closebuy 1');
    expect(h.lastMessageIn()).toBe('拼团 #1 已取消，不能再修改。');
    expect((await h.buy(1))?.status).toBe('cancelled');
  });
});

describe('reconcileSchedules', () => {
  it('schedules the deadline job of every open buy again', async () => {
    const first = await h.openBuy('Tea | 10 | min 1 | max 5 | ends 2h');
    const second = await h.openBuy('Rice | 10 | min 1 | max 5 | ends 3h');
    await h.command(anna, `/cancelbuy ${second.id}`);
    h.scheduler.jobs.length = 0;
    await h.core.reconcileSchedules();
    expect(h.scheduler.jobs.map((j) => j.key)).toEqual([`buy.deadline:${first.id}:${first.endsAt.getTime()}`, `buy.closing-soon:${first.id}:${first.endsAt.getTime()}`]);
  });
});
