/** Points and badges as the likes feature pays them: shares and likes through the real commands and buttons. */
import { describe, expect, it } from 'vitest';
import { anna, bob, carol, textsOf, useCoreHarness, zhang } from '../../support/core-harness.js';
import { share } from '../likes/likes-helpers.js';
import { balanceOf } from './points-support.js';

const h = useCoreHarness();

const badgeNews = () => h.messagesIn().filter((m) => m.startsWith('🏅'));

describe('points from shares and likes', () => {
  it('pays shares and capped likes, and makes a member who likes different members 互助达人 once', async () => {
    await h.command(anna, '/pointrules helpful 2 2');
    await h.command(anna, '/pointrules like_given cap 1');
    await share(h, bob, 'Fresh strawberries');
    await share(h, carol, 'Great tea');
    expect(badgeNews()).toEqual([
      '🏅 Bob earned the badge “First share”: a first share posted.',
      '🏅 Carol earned the badge “First share”: a first share posted.',
    ]);

    await h.press(zhang, 'lk:1');
    const second = await h.press(zhang, 'lk:2');
    expect(textsOf(second)).toContain('🏅 张伟 获得徽章「互助达人」：为至少 2 位不同成员点赞共 2 次。');
    // Unlike and like again: nothing is paid twice and the badge is not announced again.
    await h.press(zhang, 'lk:2');
    await h.press(zhang, 'lk:2');
    expect(badgeNews()).toHaveLength(3);
    expect(await balanceOf(h, zhang)).toBe(1); // like_given capped at 1 a day
    expect(await balanceOf(h, bob)).toBe(10 + 1);
    expect(await balanceOf(h, carol)).toBe(10 + 1);
  });
});
