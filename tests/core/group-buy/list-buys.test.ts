import { describe, expect, it } from 'vitest';
import { GROUP, HOUR, OTHER_GROUP, alice, anna, bob, useCoreHarness, wang } from '../../support/core-harness.js';

const h = useCoreHarness();

describe('/buys', () => {
  it('lists the open buys of this chat with price, units and deadline', async () => {
    await h.openBuy('Tea | 10 | min 1 | max 5 | ends 2h');
    await h.openBuy('Strawberries | 39.9 | min 1 | max 50 | ends 2026-12-24 20:00 | tiers 2:35.9');
    await h.openBuy('Rice | 5 | min 1 | max 5 | ends 2h');
    await h.command(anna, '/cancelbuy 3');
    await h.openBuy('Elsewhere | 5 | min 1 | max 5 | ends 2h', anna, { chat: OTHER_GROUP });
    await h.command(alice, '/join 2 3');

    await h.command(bob, '/buys');
    expect(h.lastMessageIn()).toBe(
      ['Open buys:', '#1 Tea · ¥10.00 · 0/5 · ends 2026-12-20 12:00 · /join #1', '#2 Strawberries · ¥35.90 · 3/50 · ends 2026-12-24 20:00 · /join #2'].join('\n'),
    );
    await h.command(wang, '/buys');
    expect(h.lastMessageIn()).toBe(
      ['进行中的拼团：', '#1 Tea · ¥10.00 · 0/5 · 截止 2026-12-20 12:00 · /join #1', '#2 Strawberries · ¥35.90 · 3/50 · 截止 2026-12-24 20:00 · /join #2'].join('\n'),
    );
  });

  it('says when there is none, in the member language', async () => {
    await h.command(bob, '/buys');
    expect(h.lastMessageIn()).toBe('No open buys in this chat. Admins open one with /newbuy.');
    await h.command(wang, '/buys');
    expect(h.lastMessageIn()).toBe('本群没有进行中的拼团。管理员可用 /newbuy 发起。');
  });
});

describe('/mybuys', () => {
  it('sends the member their sign-ups privately and points the group to it', async () => {
    await h.openBuy('Tea | 10 | min 1 | max 2 | ends 2h');
    await h.openBuy('Rice | 5 | min 1 | max 5 | ends 2h', anna, { chat: OTHER_GROUP });
    await h.command(alice, '/join 2');
    await h.command(alice, '/join', { chat: OTHER_GROUP });
    await h.command(wang, '/join 1 1');

    await h.command(alice, '/mybuys');

    expect(h.dmsTo(alice)).toEqual(['Your sign-ups:\n#1 Tea ×2 · in · Strawberry friends\n#2 Rice ×1 · in · Tea club']);
    expect(h.lastMessageIn(GROUP.id)).toBe("Alice, I've sent it to you privately.");
  });

  it('shows waitlisted, closed, paid and delivered states in the member language', async () => {
    const buy = await h.openBuy('Tea | 10 | min 1 | max 2 | ends 2h');
    await h.command(alice, '/join 2');
    await h.command(wang, '/join 1');
    await h.command(wang, '/mybuys', { chat: 'private' });
    expect(h.dmsTo(wang).at(-1)).toBe('你的报名：\n#1 Tea ×1 · 候补中 · Strawberry friends');

    await h.advanceAndRunJobs(2 * HOUR);
    await h.command(anna, `/paid ${buy.id} @alice`);
    await h.command(anna, `/delivered ${buy.id} @alice`);
    await h.command(alice, '/mybuys', { chat: 'private' });
    expect(h.dmsTo(alice).at(-1)).toBe('Your sign-ups:\n#1 Tea ×2 · formed, paid, delivered · Strawberry friends');
  });

  it('answers in a private chat without a pointer', async () => {
    await h.command(bob, '/mybuys', { chat: 'private' });
    expect(h.dmsTo(bob)).toEqual(['You have no sign-ups.']);
    expect(h.messagesIn(GROUP.id)).toEqual([]);
  });

  it('asks the member to open a private chat when DMs are refused', async () => {
    h.port.dmBlocked.add(alice.id).add(wang.id);
    await h.command(alice, '/mybuys');
    expect(h.lastMessageIn()).toBe("Alice, I can't message you privately yet. Open a private chat with me, press Start, then try again.");
    await h.command(wang, '/mybuys');
    expect(h.lastMessageIn()).toBe('王芳，我还不能私信你。请先打开与我的私聊并点击“开始”，然后再试一次。');
    expect(h.dmsTo(alice)).toEqual([]);
  });
});
