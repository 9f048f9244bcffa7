import { describe, expect, it } from 'vitest';
import { fewLeftThreshold } from '../../../core/group-buy/announce-urgency.js';
import { HOUR, MINUTE, alice, anna, bob, carol, laoLi, useCoreHarness, wang, zhang } from '../../support/core-harness.js';

const h = useCoreHarness();
const closingSoon = (text: string) => text.startsWith('⏰ #') && text.includes('closes in');
const fewLeft = (text: string) => text.includes('🔥');

describe('"closing soon"', () => {
  it('goes out once, an hour before the deadline, and a repeated job or an extension does not repeat it', async () => {
    await h.openBuy('Tea | 10 | min 2 | max 10 | ends 3h');
    await h.command(alice, '/join');
    await h.advanceAndRunJobs(2 * HOUR - MINUTE);
    expect(h.messagesIn().filter(closingSoon)).toEqual([]);
    await h.advanceAndRunJobs(MINUTE);
    expect(h.lastMessageIn()).toBe('⏰ #1 Tea closes in 1 h. Not in yet? Press Join on the card or send /join #1.');
    expect(await h.cardText()).toContain('⌛ Closes in 1 h');

    // The queue hands the same job over again (a retry after a crash): nothing more.
    await h.core.runJob('buy.closing-soon', { buyId: 1 });
    await h.command(anna, '/extendbuy 3h');
    await h.advanceAndRunJobs(2 * HOUR + MINUTE);
    expect(h.messagesIn().filter(closingSoon)).toHaveLength(1);
    expect((await h.buy(1))?.closingSoonSentAt).toEqual(new Date(h.clock.now().getTime() - 2 * HOUR - MINUTE));
  });

  it('is said in the group language', async () => {
    await h.command(laoLi, '/lang zh');
    await h.openBuy('Tea | 10 | min 2 | max 10 | ends 1h30m', laoLi);
    await h.advanceAndRunJobs(30 * MINUTE);
    expect(h.lastMessageIn()).toBe('⏰ #1 Tea 还剩 1小时 截团。还没参加？点卡片上的“参加”或发送 /join #1。');
  });

  it('is not planned for a buy shorter than an hour, and a lost job is planned again at start-up until it went out', async () => {
    await h.openBuy('Tea | 10 | min 2 | max 10 | ends 45m');
    expect(h.scheduler.jobs.map((j) => j.name)).toEqual(['buy.deadline']);
    await h.openBuy('Rice | 10 | min 2 | max 10 | ends 3h');
    h.scheduler.jobs.length = 0;
    await h.core.reconcileSchedules();
    expect(h.scheduler.jobs.map((j) => j.key).sort()).toEqual([
      `buy.closing-soon:2:${h.clock.now().getTime() + 3 * HOUR}`,
      `buy.deadline:1:${h.clock.now().getTime() + 45 * MINUTE}`,
      `buy.deadline:2:${h.clock.now().getTime() + 3 * HOUR}`,
    ]);
    await h.advanceAndRunJobs(2 * HOUR);
    h.scheduler.jobs.length = 0;
    await h.core.reconcileSchedules();
    expect(h.scheduler.jobs.map((j) => j.name)).toEqual(['buy.deadline']);
  });
});

describe('"only N left"', () => {
  it('takes a fifth of max, at most 5, and none under 5', () => {
    expect([3, 5, 10, 12, 50, 200].map(fewLeftThreshold)).toEqual([0, 1, 2, 3, 5, 5]);
  });

  it('goes out once when the units left drop to the threshold, and not again after leaves and joins', async () => {
    await h.openBuy('Tea | 10 | min 2 | max 10 | ends 5h');
    await h.command(alice, '/join 7');
    expect(h.messagesIn().filter(fewLeft)).toEqual([]);
    await h.command(bob, '/join 1');
    expect(h.lastMessageIn()).toBe('🔥 Only 2 units left in #1 Tea.');
    await h.command(carol, '/join 1');
    await h.command(carol, '/leave');
    await h.press(carol, 'join:1');
    expect(h.messagesIn().filter(fewLeft)).toEqual(['🔥 Only 2 units left in #1 Tea.']);
    expect((await h.buy(1))?.fewLeftSentAt).not.toBeNull();
  });

  it('joins the tier announcement the same join caused: one group message, not two', async () => {
    await h.command(laoLi, '/lang zh');
    await h.openBuy('Tea | 10 | min 2 | max 10 | ends 5h | tiers 8:9', laoLi);
    const before = h.messagesIn().length;
    await h.command(wang, '/join 8');
    expect(h.messagesIn().slice(before)).toEqual(['王芳 参加了 #1 ×8。', '🎉 #1 已达 8 份：全员单价降到 ¥9.00！\n🔥 #1 Tea 只剩 2 份了！']);
  });

  it('says "closing soon" with it when both are due, and the job then stays quiet', async () => {
    await h.openBuy('Tea | 10 | min 2 | max 10 | ends 3h');
    // Inside the last hour, before the job has run (a busy queue).
    await h.advance(2 * HOUR + 10 * MINUTE);
    await h.command(zhang, '/join 8');
    expect(h.lastMessageIn()).toBe('⏰ #1 Tea closes in 50 min. Not in yet? Press Join on the card or send /join #1.\n🔥 Only 2 units left in #1 Tea.');
    await h.runDueJobs();
    expect(h.messagesIn().filter(closingSoon)).toHaveLength(1);
  });

  it('keeps one urgency message per half hour: a closing-soon right after is folded, an only-N-left waits for a later change', async () => {
    await h.openBuy('Tea | 10 | min 2 | max 10 | ends 3h');
    await h.advance(110 * MINUTE);
    await h.command(alice, '/join 8');
    expect(h.messagesIn().filter(fewLeft)).toHaveLength(1);
    await h.advanceAndRunJobs(10 * MINUTE);
    expect(h.messagesIn().filter(closingSoon)).toEqual([]);
    expect((await h.buy(1))?.closingSoonSentAt).not.toBeNull();

    await h.openBuy('Rice | 10 | min 2 | max 10 | ends 3h');
    await h.advanceAndRunJobs(2 * HOUR);
    expect(h.lastMessageIn()).toBe('⏰ #2 Rice closes in 1 h. Not in yet? Press Join on the card or send /join #2.');
    await h.advance(10 * MINUTE);
    await h.command(bob, '/join #2');
    await h.command(bob, '/join 2 8');
    expect(h.messagesIn().filter(fewLeft)).toHaveLength(1);
    await h.advance(25 * MINUTE);
    await h.command(carol, '/join 2 1');
    expect(h.lastMessageIn()).toBe('🔥 Only 1 unit left in #2 Rice.');
  });
});
