import { describe, expect, it } from 'vitest';
import { alice, anna, bob, carol, HOUR, laoLi, textsOf, useCoreHarness, wang, zhang } from '../../support/core-harness.js';
import type { Actor } from '../../../core/events.js';
import { cardNow, react, share } from './likes-helpers.js';

const h = useCoreHarness();
const fans: Actor[] = Array.from({ length: 4 }, (_, i) => ({ id: `tg:${500 + i}`, displayName: `Fan ${i}`, languageCode: 'en' }));
const goalPoints = (memberId: string) => h.db.prisma.pointEntry.findMany({ where: { memberId, reason: 'like_goal' } });

describe('/liketask', () => {
  it('sets a goal, shows progress on share cards, and pays the reward once when the goal is reached in time', async () => {
    const created = await h.command(anna, '/liketask goal 3 | within 48h | reward 50');
    expect(textsOf(created)).toEqual(['🎯 Like task 1: collect 3 likes on a share within 2 days to earn 50 points. Share with /share!']);
    await share(h, alice, 'Look');
    expect((await cardNow(h, 'share:1')).text).toContain('🎯 Goal: 0/3 likes within 2 days (until 2026-12-22 10:00) → 50 points');
    await h.press(bob, 'lk:1');
    await h.press(carol, 'lk:1');
    expect((await cardNow(h, 'share:1')).text).toContain('🎯 Goal: 2/3');
    await h.press(fans[0]!, 'lk:1');
    expect((await cardNow(h, 'share:1')).text).toContain('✅ Goal of 3 likes reached: 50 points given');
    expect(h.dmsTo(alice).at(-1)).toBe('🎉 Your share 1 in Strawberry friends reached 3 likes: +50 points.');
    expect(h.messagesIn()).toContain("🎯 Alice's share 1 reached 3 likes!");
    // Unlike and like again, or more likes: never paid twice.
    await h.press(bob, 'lk:1');
    await h.press(bob, 'lk:1');
    await react(h, fans[1]!, 'share:1', true);
    expect((await goalPoints(alice.id)).map((p) => [p.amount, p.reference])).toEqual([[50, 'like_task:1']]);
    expect(await h.db.prisma.likeTaskCompletion.count()).toBe(1);
  });

  it('pays nothing when the goal is reached after the window', async () => {
    await h.command(anna, '/liketask goal 2 | within 1h | reward 20');
    await share(h, alice, 'Look');
    await h.press(bob, 'lk:1');
    h.clock.advance(2 * HOUR);
    await h.press(carol, 'lk:1');
    expect(await goalPoints(alice.id)).toEqual([]);
    expect((await cardNow(h, 'share:1')).text).toContain('⌛ Goal of 2 likes within 1 hour: time is up (2/2)');
  });

  it('hands out one unlock code per completion by DM, never the same twice', async () => {
    await h.command(anna, '/liketask goal 1 | within 1d | reward 5 | codes A1,B2');
    await share(h, alice, 'One');
    await share(h, bob, 'Two');
    await share(h, carol, 'Three');
    await h.press(carol, 'lk:1');
    await h.press(carol, 'lk:2');
    await h.press(alice, 'lk:3');
    expect(h.dmsTo(alice).at(-1)).toContain('Your unlock code: A1');
    expect(h.dmsTo(bob).at(-1)).toContain('Your unlock code: B2');
    expect(h.dmsTo(carol).at(-1)).toContain('All unlock codes of this task have been handed out already.');
    expect(textsOf(await h.command(bob, '/liketasks'))).toEqual(['🎯 Active like tasks:\n1. 1 like within 1 day → 5 points · reached by 3 · 0 codes left']);
  });

  it('refuses settings that would pay for likes or depend on what a share says, with the reason', async () => {
    expect(textsOf(await h.command(anna, '/liketask goal 10 | within 48h | reward ¥5 cash'))[0]).toContain('may not pay money, red packets or cash back for likes');
    expect(textsOf(await h.command(anna, '/liketask goal 10 | within 48h | reward 50 | only positive shares'))[0]).toContain('may not depend on what a share says');
    expect(textsOf(await h.command(laoLi, '/liketask 目标 10 | 48小时内 | 奖励 50 | 必须好评'))[0]).toContain('不能取决于晒单内容');
    expect(textsOf(await h.command(laoLi, '/liketask 目标 10 | 48小时内 | 红包 5'))[0]).toContain('不能用现金、红包或返现换赞');
    expect(textsOf(await h.command(anna, '/liketask goal 10 | within 48h | reward 50 | for members only'))[0]).toContain('is not a like task setting');
    expect(textsOf(await h.command(bob, '/liketask goal 10 | within 48h | reward 50'))).toEqual(['Sorry, only group admins can do that.']);
    await h.command(anna, '/likeconfig codes off');
    expect(textsOf(await h.command(anna, '/liketask goal 1 | within 1d | reward 5 | codes A1'))[0]).toContain('does not hand out unlock codes');
    expect(await h.db.prisma.likeTask.count()).toBe(0);
  });

  it('takes Chinese keywords, and ends a task with /endliketask', async () => {
    await h.command(laoLi, '/lang zh');
    expect(textsOf(await h.command(laoLi, '/liketask 集赞 2 | 时限 3天 | 奖励 30'))).toEqual(['🎯 集赞任务 1：晒单在 3天内集满 2 个赞，奖励 30 积分。用 /share 晒单吧！']);
    await share(h, wang, '好吃');
    expect((await cardNow(h, 'share:1')).text).toContain('🎯 集赞目标：0/2，3天内');
    expect(textsOf(await h.command(laoLi, '/endliketask 1'))).toEqual(['集赞任务 1 已结束，已发放的奖励保留。']);
    await h.press(zhang, 'lk:1');
    await h.press(alice, 'lk:1');
    expect(await goalPoints(wang.id)).toEqual([]);
    expect(textsOf(await h.command(zhang, '/liketasks'))).toEqual(['目前没有进行中的集赞任务。']);
  });
});
