import { describe, expect, it } from 'vitest';
import { formatTimeLeft, progressBar } from '../../../core/group-buy/buy-card.js';
import { DAY, HOUR, MINUTE, alice, anna, bob, carol, laoLi, useCoreHarness, wang } from '../../support/core-harness.js';

const h = useCoreHarness();

describe('the progress bar', () => {
  it('fills one cell per tenth of max, with at least one cell once anyone joined', () => {
    expect(progressBar(0, 10)).toBe('░░░░░░░░░░');
    expect(progressBar(5, 10)).toBe('▓▓▓▓▓░░░░░');
    expect(progressBar(1, 50)).toBe('▓░░░░░░░░░');
    expect(progressBar(10, 10)).toBe('▓▓▓▓▓▓▓▓▓▓');
  });
});

describe('time left', () => {
  it('reads as people say it, in both languages', () => {
    expect(formatTimeLeft(2 * HOUR + 15 * MINUTE, 'en')).toBe('2 h 15 min');
    expect(formatTimeLeft(2 * HOUR + 15 * MINUTE, 'zh-CN')).toBe('2小时15分');
    expect(formatTimeLeft(45 * MINUTE, 'en')).toBe('45 min');
    expect(formatTimeLeft(3 * DAY + 4 * HOUR + 59 * MINUTE, 'en')).toBe('3 d 4 h');
    expect(formatTimeLeft(3 * DAY + 4 * HOUR, 'zh-CN')).toBe('3天4小时');
    // Seconds round up: "closes in 0 min" would read as closed.
    expect(formatTimeLeft(20_000, 'en')).toBe('1 min');
  });
});

describe('the card', () => {
  it('shows units taken against min and max as a bar, and the time left', async () => {
    await h.openBuy('Tea | 10 | min 4 | max 10 | ends 2h15m');
    await h.command(alice, '/join 3');
    await h.command(bob, '/join 2');
    const card = await h.cardText();
    expect(card).toContain('📦 ▓▓▓▓▓░░░░░ 5/10 (min 4)\n✅ Minimum reached\n⏰ Ends 2026-12-20 12:15 (Asia/Shanghai)\n⌛ Closes in 2 h 15 min');
    expect(card).not.toContain('FULL');
  });

  it('says FULL in the group language when max is reached, and Join then offers the waitlist', async () => {
    await h.command(laoLi, '/lang zh');
    await h.openBuy('Tea | 10 | min 1 | max 3 | ends 2h', laoLi);
    await h.command(alice, '/join 3');
    const card = await h.cardText();
    expect(card).toContain('📦 ▓▓▓▓▓▓▓▓▓▓ 3/3（最少 1）\n🈵 已满：再报名将进入候补。');
    expect(card).toContain('⌛ 还剩 2小时');
    const labels = h.port.delivered.flatMap((d) => (d.reply.kind === 'edit' ? (d.reply.buttons ?? []).flat().map((b) => b.label) : [])).slice(-2);
    expect(labels).toEqual(['加入候补', '退出']);
    // Alice takes one less: no longer full.
    await h.command(alice, '/join 2');
    expect(await h.cardText()).not.toContain('已满');
  });

  it('never invites to join once closed: failed, cancelled and formed cards each read right', async () => {
    const failed = await h.openBuy('Tea | 10 | min 2 | max 5 | ends 2h');
    const cancelled = await h.openBuy('Rice | 10 | min 2 | max 5 | ends 2h');
    const formed = await h.openBuy('Milk | 10 | min 1 | max 5 | ends 2h');
    await h.command(carol, `/join ${formed.id} 1`);
    await h.command(anna, `/cancelbuy ${cancelled.id}`);
    await h.command(anna, `/closebuy ${failed.id}`);
    await h.command(anna, `/closebuy ${formed.id}`);

    const failedCard = await h.cardText(failed.id);
    expect(failedCard).not.toContain('be the first');
    expect(failedCard).toMatch(/\n\nNobody signed up\.\n\n❌ Did not form: 0 of 2 units needed\. Sign-ups are closed; nobody pays\.$/);
    expect(failedCard).not.toContain('Closes in');
    const cancelledCard = await h.cardText(cancelled.id);
    expect(cancelledCard).toMatch(/\n\nNobody signed up\.\n\n🚫 Cancelled by an admin\. Sign-ups are closed; nobody pays\.$/);
    expect(await h.cardButtons(cancelled.id)).toEqual([]);
    const formedCard = await h.cardText(formed.id);
    expect(formedCard).toMatch(/Participants \(1\):\n1\. Carol ×1\n\n✅ Formed at ¥10\.00 per unit\. Sign-ups are closed\.$/);
  });

  it('reads right in Chinese when closed with nobody in', async () => {
    await h.command(laoLi, '/lang zh');
    const buy = await h.openBuy('Tea | 10 | min 2 | max 5 | ends 2h', laoLi);
    await h.command(wang, '/cancelbuy 1');
    await h.command(laoLi, `/cancelbuy ${buy.id}`);
    const card = await h.cardText(buy.id);
    expect(card).not.toContain('快来第一个');
    expect(card).toMatch(/\n\n无人参团。\n\n🚫 已被管理员取消。报名已截止，无需付款。$/);
  });
});
