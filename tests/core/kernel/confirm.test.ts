import { describe, expect, it } from 'vitest';
import { CONFIRM_TTL_MS } from '../../../core/kernel/confirm.js';
import { MINUTE, OTHER_GROUP, alice, anna, laoLi, useCoreHarness } from '../../support/core-harness.js';

const h = useCoreHarness();

/** The Confirm/Keep buttons of the bot's newest question, by label. */
function questionButtons(): { label: string; action: string }[] {
  const question = h.port.delivered.filter((d) => d.reply.kind === 'message' && d.reply.buttons?.flat().some((b) => b.action.startsWith('cf:'))).at(-1);
  if (!question || question.reply.kind !== 'message') throw new Error('no question was asked');
  return question.reply.buttons!.flat().map((b) => ({ label: b.label, action: b.action }));
}

describe('/cancelbuy without an id', () => {
  it('asks first, names the buy it means, and cancels it only on Confirm by the admin who asked', async () => {
    await h.openBuy('Tea | 10 | min 2 | max 5 | ends 2h');
    await h.openBuy('Rice | 10 | min 2 | max 5 | ends 2h');
    await h.command(alice, '/join #2');
    await h.command(anna, '/cancelbuy');
    expect(h.lastMessageIn()).toBe(
      'Cancel #2 Rice? Nobody will pay, and its 1 member is told.\nOnly you can answer, within 5 minutes. Nothing changes until you press.',
    );
    expect(questionButtons().map((b) => b.label)).toEqual(['Cancel #2', 'Keep']);
    expect((await h.buy(2))?.status).toBe('open');

    const [confirm] = questionButtons();
    await h.press(laoLi, confirm!.action);
    expect(h.lastToast()).toBe('这个按钮不是给你的。');
    await h.press(alice, confirm!.action);
    expect((await h.buy(2))?.status).toBe('open');

    await h.press(anna, confirm!.action);
    expect((await h.buy(2))?.status).toBe('cancelled');
    expect((await h.buy(1))?.status).toBe('open');
    expect(h.lastMessageIn()).toBe('🚫 Group buy #2 Rice was cancelled by an admin. No one pays.');
    expect(await h.db.prisma.adminAction.count({ where: { action: 'buy.cancel', actorId: anna.id } })).toBe(1);
    // A second press (or the platform redelivering it) answers nothing more.
    await h.press(anna, confirm!.action);
    expect(h.lastToast()).toBe('This question was already answered.');
  });

  it('runs only in the group it was asked in: a press forged into another chat is refused', async () => {
    await h.openBuy('Tea | 10 | min 2 | max 5 | ends 2h');
    await h.command(anna, '/pointrules reset');
    const [confirm] = questionButtons();
    await h.press(anna, confirm!.action, { chat: OTHER_GROUP });
    expect(h.lastToast()).toBe('This button is no longer valid.');
    expect(await h.db.prisma.confirmation.count({ where: { answeredAt: { not: null } } })).toBe(0);
  });

  it('changes nothing on Keep, nor after the question expired', async () => {
    await h.openBuy('Tea | 10 | min 2 | max 5 | ends 2h');
    await h.command(laoLi, '/cancelbuy');
    expect(h.lastMessageIn()).toMatch(/^确定取消 #1 Tea 吗？所有人都无需付款，并会通知 0 位成员。\n只有你可以回答，5 分钟内有效。/);
    const [, keep] = questionButtons();
    expect(keep!.label).toBe('保留');
    await h.press(laoLi, keep!.action);
    expect(h.lastToast()).toBe('已保留：没有任何改动。');

    await h.command(anna, '/cancelbuy');
    const [confirm] = questionButtons();
    await h.advance(CONFIRM_TTL_MS + MINUTE);
    await h.press(anna, confirm!.action);
    expect(h.lastToast()).toBe('This question has expired (answers are taken for 5 minutes). Nothing was changed: send the command again.');
    expect((await h.buy(1))?.status).toBe('open');
  });

  it('cancels at once when the admin names the buy', async () => {
    await h.openBuy('Tea | 10 | min 2 | max 5 | ends 2h');
    await h.command(anna, '/cancelbuy #1');
    expect((await h.buy(1))?.status).toBe('cancelled');
    expect(await h.db.prisma.confirmation.count()).toBe(0);
  });
});

describe('/pointrules reset', () => {
  it('asks first, and resets the rules only on Confirm', async () => {
    await h.command(anna, '/pointrules checkin 9');
    await h.command(anna, '/pointrules reset');
    expect(h.lastMessageIn()).toMatch(/^Reset every point rule to its default\? Custom amounts, daily caps, cooldowns/);
    expect(await h.db.prisma.adminAction.count({ where: { action: 'points.rules' } })).toBe(1);
    const [confirm] = questionButtons();
    expect(confirm!.label).toBe('Reset rules');
    expect(h.messagesIn().filter((m) => m.startsWith('Saved.')).at(-1)).toContain('(checkin): 9 ');
    await h.press(anna, confirm!.action);
    expect(h.lastMessageIn()).toMatch(/^Saved\./);
    expect(h.lastMessageIn()).not.toContain('(checkin): 9 ');
    expect(await h.db.prisma.adminAction.count({ where: { action: 'points.rules' } })).toBe(2);
    await h.command(alice, '/pointrules reset');
    expect(h.lastMessageIn()).toBe('Sorry, only group admins can do that.');
  });
});
