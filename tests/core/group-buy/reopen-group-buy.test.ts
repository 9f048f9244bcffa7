import { describe, expect, it } from 'vitest';
import { HOUR, MINUTE, alice, anna, bob, laoLi, useCoreHarness, wang } from '../../support/core-harness.js';

const h = useCoreHarness();

describe('/reopenbuy', () => {
  it('reopens a buy closed by mistake with a new deadline, and tells everyone who heard how it ended', async () => {
    await h.openBuy('Tea | 10 | min 2 | max 3 | ends 2h');
    await h.command(alice, '/join 2');
    await h.command(wang, '/join 1');
    await h.command(bob, '/join 1'); // waitlisted
    await h.command(anna, '/closebuy');
    expect((await h.buy(1))?.status).toBe('formed');
    await h.advance(20 * MINUTE);

    await h.command(anna, '/reopenbuy 3h');
    expect(h.lastMessageIn()).toBe('🔓 #1 Tea is open again until 2026-12-20 13:20 (Asia/Shanghai).');
    expect(await h.buy(1)).toMatchObject({ status: 'open', closedAt: null, closedReason: null, finalPriceCents: null, endsAt: new Date(h.clock.now().getTime() + 3 * HOUR) });
    expect(h.dmsTo(alice).at(-1)).toBe(
      '🔓 #1 Tea was reopened by an admin and now ends 2026-12-20 13:20 (Asia/Shanghai): the earlier result no longer holds. Your sign-up stays; /leave 1 if you want out.',
    );
    expect(h.dmsTo(wang).at(-1)).toBe('🔓 管理员重开了 #1 Tea，截止 2026-12-20 13:20（Asia/Shanghai）：之前的结果作废。你的报名保留；如想退出，发送 /leave 1。');
    expect(h.dmsTo(bob).at(-1)).toMatch(/^🔓 #1 Tea was reopened/);
    expect(await h.participants(1)).toEqual(['Alice ×2', '王芳 ×1']);
    expect(await h.participants(1, 'waitlisted')).toEqual(['Bob ×1']);
    // Full again: the join button is the explicit waitlist press.
    expect(await h.cardButtons()).toEqual(['jw:1:1', 'leave:1']);
    expect(await h.db.prisma.adminAction.count({ where: { action: 'buy.reopen' } })).toBe(1);

    // It closes again at its new deadline, on its new job.
    await h.advanceAndRunJobs(3 * HOUR);
    expect((await h.buy(1))?.status).toBe('formed');
  });

  it('refuses after the window, naming it, in the admin language', async () => {
    await h.openBuy('Tea | 10 | min 2 | max 3 | ends 2h');
    await h.command(anna, '/cancelbuy 1');
    await h.advance(31 * MINUTE);
    await h.command(anna, '/reopenbuy #1 2h');
    expect(h.lastMessageIn()).toBe(
      '#1 closed at 2026-12-20 10:00 (Asia/Shanghai): a buy can be reopened only within 30 minutes of closing. Open a new one with /newbuy.',
    );
    await h.command(laoLi, '/reopenbuy #1 2h');
    expect(h.lastMessageIn()).toBe('#1 已于 2026-12-20 10:00（Asia/Shanghai）截止：只能在截团后 30 分钟内重开。请用 /newbuy 开新团。');
    expect((await h.buy(1))?.status).toBe('cancelled');
  });

  it('refuses an open buy, a buy with deliveries, a missing deadline and members', async () => {
    await h.openBuy('Tea | 10 | min 1 | max 3 | ends 2h');
    await h.command(anna, '/reopenbuy #1 2h');
    expect(h.lastMessageIn()).toBe('#1 is still open: nothing to reopen (/extendbuy moves its deadline).');
    await h.command(alice, '/join');
    await h.command(anna, '/closebuy');
    await h.command(anna, '/delivered all');
    await h.command(anna, '/reopenbuy 2h');
    expect(h.lastMessageIn()).toBe('#1 has deliveries marked: remove them with /undelivered first. Nothing was changed.');
    await h.command(anna, '/reopenbuy');
    expect(h.lastMessageIn()).toBe('Usage: /reopenbuy [buy-id] <new deadline>, e.g. /reopenbuy #3 2h, within 30 minutes of the close. Nothing was changed.');
    await h.command(alice, '/reopenbuy 2h');
    expect(h.lastMessageIn()).toBe('Sorry, only group admins can do that.');
    expect((await h.buy(1))?.status).toBe('formed');
  });
});
