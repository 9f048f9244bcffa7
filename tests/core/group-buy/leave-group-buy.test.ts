import { describe, expect, it } from 'vitest';
import { alice, bob, carol, useCoreHarness, wang } from '../../support/core-harness.js';

const h = useCoreHarness();

describe('leave', () => {
  it('takes the member out and shows it on the card', async () => {
    const buy = await h.openBuy('Tea | 10 | min 2 | max 5 | ends 2h');
    await h.command(alice, '/join 2');
    await h.command(bob, '/join');
    await h.command(alice, '/leave');
    expect(h.lastMessageIn()).toBe('Alice left #1.');
    expect(await h.participants(buy.id)).toEqual(['Bob ×1']);
    expect(await h.cardText()).toMatch(/📦 ▓▓░░░░░░░░ 1\/5 \(min 2\)[\s\S]*Participants \(1\):\n1\. Bob ×1$/);
  });

  it('leaves by button, answering with a toast in the member language', async () => {
    const buy = await h.openBuy('Tea | 10 | min 2 | max 5 | ends 2h');
    await h.press(wang, `join:${buy.id}`);
    await h.press(wang, `leave:${buy.id}`);
    expect(h.lastToast()).toBe('王芳 退出了 #1。');
    expect(await h.participants(buy.id)).toEqual([]);
  });

  it('says so when the member is not signed up, and a second leave changes nothing', async () => {
    await h.openBuy('Tea | 10 | min 2 | max 5 | ends 2h');
    await h.command(alice, '/leave');
    expect(h.lastMessageIn()).toBe('You are not signed up to #1.');
    await h.command(wang, '/join');
    await h.command(wang, '/leave');
    await h.command(wang, '/leave');
    expect(h.lastMessageIn()).toBe('你没有报名 #1。');
  });

  it('lets a member who left join again, keeping one sign-up row', async () => {
    const buy = await h.openBuy('Tea | 10 | min 2 | max 5 | ends 2h');
    await h.command(alice, '/join 2');
    await h.command(alice, '/leave');
    await h.command(alice, '/join 3');
    expect(h.lastMessageIn()).toBe('Alice joined #1 ×3.');
    expect(await h.participants(buy.id)).toEqual(['Alice ×3']);
    expect(await h.db.prisma.signUp.count()).toBe(1);
  });

  it('promotes waitlisted members in queue order and tells each privately in their language', async () => {
    const buy = await h.openBuy('Tea | 10 | min 2 | max 3 | ends 2h');
    await h.command(alice, '/join 3');
    await h.command(wang, '/join 2');
    await h.command(carol, '/join 1');
    expect(await h.participants(buy.id, 'waitlisted')).toEqual(['王芳 ×2', 'Carol ×1']);

    await h.command(alice, '/leave');

    expect(h.messagesIn().slice(-2)).toEqual(['Alice left #1.', 'From the waitlist: 王芳 ×2, Carol ×1 moved in.']);
    expect(h.dmsTo(wang)).toEqual(['好消息：#1 Tea 有空位了，你已转为正式参团 ×2。']);
    expect(h.dmsTo(carol)).toEqual(['Good news: a place opened in #1 Tea. You are in with ×1.']);
    expect(await h.participants(buy.id)).toEqual(['王芳 ×2', 'Carol ×1']);
    expect(await h.participants(buy.id, 'waitlisted')).toEqual([]);
    expect(await h.cardText()).toMatch(/Participants \(2\):\n1\. 王芳 ×2\n2\. Carol ×1$/);
  });

  it('promotes the first waitlisted member who fits, leaving a bigger request waiting', async () => {
    const buy = await h.openBuy('Tea | 10 | min 2 | max 3 | ends 2h');
    await h.command(alice, '/join 2');
    await h.command(bob, '/join 1');
    await h.command(wang, '/join 2');
    await h.command(carol, '/join 1');

    await h.command(bob, '/leave');

    expect(await h.participants(buy.id)).toEqual(['Alice ×2', 'Carol ×1']);
    expect(await h.participants(buy.id, 'waitlisted')).toEqual(['王芳 ×2']);
    expect(h.dmsTo(carol)).toEqual(['Good news: a place opened in #1 Tea. You are in with ×1.']);
    expect(h.dmsTo(wang)).toEqual([]);
  });

  it('promotes from the waitlist when a member lowers their quantity', async () => {
    const buy = await h.openBuy('Tea | 10 | min 2 | max 3 | ends 2h');
    await h.command(alice, '/join 3');
    await h.command(bob, '/join 1');
    await h.command(alice, '/join 2');
    expect(h.messagesIn().slice(-2)).toEqual(['Alice now has ×2 in #1.', 'From the waitlist: Bob ×1 moved in.']);
    expect(await h.participants(buy.id)).toEqual(['Alice ×2', 'Bob ×1']);
    expect(h.dmsTo(bob)).toHaveLength(1);
  });

  it('moves a waitlisted member in when they ask for less and it now fits', async () => {
    const buy = await h.openBuy('Tea | 10 | min 2 | max 3 | ends 2h');
    await h.command(alice, '/join 2');
    await h.command(bob, '/join 2');
    expect(h.lastMessageIn()).toBe('Bob, only 1 unit is left in #1 (you asked for 2). Take 1, or wait for 2 on the waitlist?');
    await h.press(bob, `jw:${buy.id}:2`);
    expect(await h.participants(buy.id, 'waitlisted')).toEqual(['Bob ×2']);
    await h.command(bob, '/join 1');
    expect(h.messagesIn()).toContain('Bob joined #1 ×1.');
    expect(await h.participants(buy.id)).toEqual(['Alice ×2', 'Bob ×1']);
  });

  it('still tells the group when the promoted member cannot be reached privately', async () => {
    const buy = await h.openBuy('Tea | 10 | min 2 | max 3 | ends 2h');
    await h.command(alice, '/join 3');
    await h.command(bob, '/join 1');
    h.port.dmBlocked.add(bob.id);
    await h.command(alice, '/leave');
    expect(h.lastMessageIn()).toBe('From the waitlist: Bob ×1 moved in.');
    expect(await h.participants(buy.id)).toEqual(['Bob ×1']);
    expect(h.port.refused.map((r) => r.error.kind)).toEqual(['dm_blocked']);
  });
});
