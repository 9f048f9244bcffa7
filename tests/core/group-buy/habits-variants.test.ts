/**
 * What 接龙 and 快团团 users expect, through the core: habits typed as plain messages, variants (规格) with their own
 * price, stock and waitlist, notes (备注), "+1" that adds a unit per press, offers when fewer are left than asked,
 * and `/join N` that asks when it could mean buy #N.
 */
import { describe, expect, it } from 'vitest';
import type { Button } from '../../../core/replies.js';
import { alice, anna, bob, carol, useCoreHarness, wang, zhang } from '../../support/core-harness.js';

const h = useCoreHarness();

/** The last message in the group, with its buttons' labels and actions. */
function lastWithButtons(): { text: string; buttons: Pick<Button, 'label' | 'action'>[] } {
  const d = h.port.delivered.filter((x) => x.reply.kind === 'message' && 'chatId' in x.reply.to && x.reply.to.chatId === 'tg:-100').at(-1);
  if (!d || d.reply.kind !== 'message') throw new Error('no message in the group');
  return { text: d.reply.text, buttons: (d.reply.buttons ?? []).flat().map((b) => ({ label: b.label, action: b.action })) };
}

const replyToCard = (buyId?: number) => ({ replyTo: { messageId: h.cardMessage(buyId)!.messageId!, byBot: true } });

describe('接龙 habits as plain group messages', () => {
  it('joins by a reply to the card: +1, +2 with a note, 接龙 2, 我要 3 — each answered in the member language', async () => {
    const buy = await h.openBuy('Tea | 10 | min 2 | max 20 | ends 2h');
    await h.text(alice, '+1', replyToCard());
    expect(h.lastMessageIn()).toBe('Alice joined #1 ×1.');
    await h.text(bob, '+2 no coriander', replyToCard());
    expect(h.lastMessageIn()).toBe('Bob joined #1 ×2.\nNote: no coriander');
    await h.text(wang, '接龙 2', replyToCard());
    expect(h.lastMessageIn()).toBe('王芳 参加了 #1 ×2。');
    await h.text(zhang, '我要 3 备注：周五自提', replyToCard());
    expect(h.lastMessageIn()).toBe('张伟 参加了 #1 ×3。\n备注：周五自提');
    await h.text(carol, 'join', replyToCard());
    expect(h.lastMessageIn()).toBe('Carol joined #1 ×1.');
    expect(await h.participants(buy.id)).toEqual(['Alice ×1', 'Bob ×2', '王芳 ×2', '张伟 ×3', 'Carol ×1']);
    const notes = await h.db.prisma.signUp.findMany({ where: { note: { not: null } }, orderBy: { id: 'asc' } });
    expect(notes.map((s) => s.note)).toEqual(['no coriander', '周五自提']);
    // The card is public: notes are not on it.
    expect(await h.cardText()).not.toMatch(/coriander|周五/);
  });

  it('a habit repeated changes the quantity like /join does (the number is how many in all), and a duplicate update counts once', async () => {
    const buy = await h.openBuy('Tea | 10 | min 2 | max 20 | ends 2h');
    await h.text(alice, '+2', { ...replyToCard(), key: 'tg:900' });
    await h.text(alice, '+2', { ...replyToCard(), key: 'tg:900' });
    await h.text(alice, '+3', replyToCard());
    expect(h.lastMessageIn()).toBe('Alice now has ×3 in #1.');
    expect(await h.participants(buy.id)).toEqual(['Alice ×3']);
  });

  it('overheard messages (privacy mode off) join only in the exact habit forms, never chat like "+1 agreed" or a +1 to someone else', async () => {
    const buy = await h.openBuy('Tea | 10 | min 2 | max 20 | ends 2h');
    const before = h.port.delivered.length;
    await h.text(alice, '+1 agreed', { ambient: true });
    await h.text(bob, '+1', { ambient: true, replyTo: { messageId: '555', byBot: false } });
    await h.text(carol, 'see you at 5', { ambient: true });
    await h.text(carol, '参加了吗', { ambient: true });
    expect(h.port.delivered.length).toBe(before);
    expect(await h.participants(buy.id)).toEqual([]);

    await h.text(alice, '+1', { ambient: true });
    expect(h.lastMessageIn()).toBe('Alice joined #1 ×1.');
    await h.text(wang, '参加', { ambient: true });
    expect(h.lastMessageIn()).toBe('王芳 参加了 #1 ×1。');
    expect(await h.participants(buy.id)).toEqual(['Alice ×1', '王芳 ×1']);
  });

  it('costs nothing for overheard chat, and stays silent for a habit with no open buy in the chat', async () => {
    await h.text(alice, 'good morning', { ambient: true });
    expect(await h.db.prisma.member.count()).toBe(0);
    await h.text(alice, '+1', { ambient: true });
    await h.text(alice, '接龙 2', { ambient: true });
    expect(h.port.delivered).toEqual([]);
    expect(await h.db.prisma.signUp.count()).toBe(0);
  });

  it('answers a reply to the card that is not a habit with how to join, and a too-large habit with the real limit', async () => {
    await h.openBuy('Tea | 10 | min 2 | max 20 | ends 2h | limit 3');
    await h.text(alice, 'when is pickup?', replyToCard());
    expect(h.lastMessageIn()).toBe('To join #1, reply to its card with +1 (or +2, 接龙 2, 我要 3; add a note after it: +1 no coriander), or press Join.');
    await h.text(wang, '谢谢', replyToCard());
    expect(h.lastMessageIn()).toMatch(/^要参加 #1：回复拼团卡片 \+1/);
    await h.text(alice, '+5', replyToCard());
    expect(h.lastMessageIn()).toBe('The limit is 3 per member.');
    await h.text(wang, '+0', replyToCard());
    expect(h.lastMessageIn()).toBe('“0”不是有效数量：请用不小于 1 的整数。');
    expect(await h.participants(1)).toEqual([]);
  });

  it('a reply to an older card joins that buy, not the newest', async () => {
    const first = await h.openBuy('Tea | 10 | min 2 | max 20 | ends 2h');
    const firstCard = replyToCard(first.id);
    await h.openBuy('Rice | 10 | min 2 | max 20 | ends 2h');
    await h.text(alice, '+2', firstCard);
    expect(h.lastMessageIn()).toBe('Alice joined #1 ×2.');
    await h.text(bob, '+1', { ambient: true });
    expect(h.lastMessageIn()).toBe('Bob joined #2 ×1.');
  });
});

describe('接龙 habits with odd input', () => {
  it('reads full-width digits and Chinese numbers with a counting word; keeps a note that starts with a number', async () => {
    const buy = await h.openBuy('Tea | 10 | min 1 | max 20 | ends 2h');
    await h.text(wang, '＋２', replyToCard());
    expect(h.lastMessageIn()).toBe('王芳 参加了 #1 ×2。');
    await h.text(zhang, '接龙 ３', replyToCard());
    expect(h.lastMessageIn()).toBe('张伟 参加了 #1 ×3。');
    await h.text(alice, '我要两份', replyToCard());
    expect(h.lastMessageIn()).toBe('Alice joined #1 ×2.');
    await h.text(bob, '+1 2号楼自提', replyToCard());
    expect(h.lastMessageIn()).toBe('Bob joined #1 ×1.\nNote: 2号楼自提');
    // Overheard (not a reply): a full-width +２ is a habit like +2; "参加一下" is chat, not a quantity.
    await h.text(carol, '+２', { ambient: true });
    expect(h.lastMessageIn()).toBe('Carol joined #1 ×2.');
    const said = h.messagesIn().length;
    await h.text(anna, '参加一下', { ambient: true });
    expect(h.messagesIn().length).toBe(said);
    expect(await h.participants(buy.id)).toEqual(['王芳 ×2', '张伟 ×3', 'Alice ×2', 'Bob ×1', 'Carol ×2']);
  });

  it('answers a quantity that is not one as such (not with how to join, not as a note), in the member language', async () => {
    const buy = await h.openBuy('Tea | 10 | min 1 | max 20 | ends 2h');
    for (const [text, value] of [['+-1', '-1'], ['+1e3', '1e3'], ['接龙 two', 'two'], ['join 2.5', '2.5'], ['参加 -1', '-1']] as const) {
      await h.text(alice, text, replyToCard());
      expect(h.lastMessageIn(), text).toBe(`"${value}" is not a quantity: use a whole number of at least 1.`);
    }
    await h.text(wang, '+-1', replyToCard());
    expect(h.lastMessageIn()).toBe('“-1”不是有效数量：请用不小于 1 的整数。');
    // Not a number at all: how to join, as before.
    await h.text(alice, '+ok', replyToCard());
    expect(h.lastMessageIn()).toMatch(/^To join #1, reply to its card with \+1/);
    expect(await h.participants(buy.id)).toEqual([]);
  });

  it('on a buy with variants, says a bad quantity before asking which variant, and reads a variant in any case', async () => {
    const buy = await h.openBuy('Mooncakes | variants Small:10:5 Large:18:5 | min 1 | ends 2h');
    await h.text(alice, '+0', replyToCard());
    expect(h.lastMessageIn()).toBe('"0" is not a quantity: use a whole number of at least 1.');
    await h.text(alice, '+2  LARGE ', replyToCard());
    expect(h.lastMessageIn()).toBe('Alice joined #1 ×2 Large.');
    await h.text(wang, '＋１ small 不要香菜', replyToCard());
    expect(h.lastMessageIn()).toBe('王芳 参加了 #1 ×1 Small。\n备注：不要香菜');
    expect(await h.participants(buy.id)).toEqual(['Alice ×2', '王芳 ×1']);
  });
});

describe('variants (规格)', () => {
  it('shows each variant with price and stock, one +1 button each; a variant by button or /join 2 大份; per-variant stock and waitlist', async () => {
    await h.command(anna, '/lang zh');
    const buy = await h.openBuy('月饼 | 规格 小份:10:3 大份:18:2 | 最少 1 | 截止 2h | 描述 广式五仁');
    expect(await h.cardText()).toContain('🛒 拼团 #1：月饼\n广式五仁\n💰 规格：\n· 小份 ¥10.00 · 剩 3/3 份\n· 大份 ¥18.00 · 剩 2/2 份\n📦 ░░░░░░░░░░ 0/5（最少 1）');
    expect(await h.cardButtons()).toEqual(['join:1:0', 'join:1:1', 'leave:1']);

    await h.press(alice, `join:${buy.id}:1`);
    // The group speaks Chinese: answers are in Chinese for everyone.
    expect(h.lastToast()).toBe('Alice 参加了 #1 ×1 大份。');
    await h.command(wang, '/join 2 小份 备注 不要香菜');
    expect(h.lastMessageIn()).toBe('王芳 参加了 #1 ×2 小份。\n备注：不要香菜');
    await h.command(bob, '/join 大份');
    // 4 of 5 taken: the group also hears that only one is left (once per buy).
    expect(h.messagesIn().slice(-2)).toEqual(['Bob 参加了 #1 ×1 大份。', '🔥 #1 月饼 只剩 1 份了！']);
    // 大份 is sold out: its button offers the waitlist, 小份 still +1.
    expect(await h.cardText()).toContain('· 大份 ¥18.00 · 已售罄（可候补）');
    expect(await h.cardButtons()).toEqual(['join:1:0', 'jw:1:1:1', 'leave:1']);
    await h.press(zhang, 'jw:1:1:1');
    // 4 of 5 taken: #1 is not full, 大份 is: the answer names it.
    expect(h.lastToast()).toBe('#1 的“大份”已售罄，张伟 已进入它的候补（×1，第 1 位）。有空出时会通知你。');
    // Bob leaves: 大份 frees up and 张伟 moves in; 小份's stock never mattered to him.
    await h.command(bob, '/leave');
    expect(await h.participants(buy.id)).toEqual(['Alice ×1', '王芳 ×2', '张伟 ×1']);
    const rows = await h.db.prisma.signUp.findMany({ where: { status: 'active' }, orderBy: { id: 'asc' } });
    expect(rows.map((r) => [r.variant, r.quantity])).toEqual([['大份', 1], ['小份', 2], ['大份', 1]]);
    expect(await h.cardText()).toMatch(/1\. Alice ×1 大份\n2\. 王芳 ×2 小份\n3\. 张伟 ×1 大份/);
  });

  it('a member queued for a sold-out variant of a buy that is not full is told the variant is sold out, not that the buy is full', async () => {
    const buy = await h.openBuy('Mooncakes | variants small:10:3 large:18:2 | min 1 | ends 2h');
    await h.command(alice, '/join 2 large');
    await h.command(bob, '/join 2 large');
    // Typed: one message naming the variant, with the queue position (as on the card).
    expect(h.lastMessageIn()).toBe('"large" is sold out in #1, so Bob is on the waitlist for it (×2, position 1). You\'ll be told if one frees up.');
    await h.press(wang, 'jw:1:1:1');
    expect(h.lastToast()).toBe('#1 的“large”已售罄，王芳 已进入它的候补（×1，第 2 位）。有空出时会通知你。');
    expect(await h.participants(buy.id, 'waitlisted')).toEqual(['Bob ×2', '王芳 ×1']);
    // When the whole buy is full it says so, as before.
    await h.command(carol, '/join 3 small');
    await h.command(zhang, '/join small');
    expect(await h.cardText()).toContain('FULL');
    expect(h.lastMessageIn()).toBe('#1 已满，张伟 已进入候补（×1，第 3 位）。有空位时会通知你。');
  });

  it('asks a new member which variant, names the variants for a wrong one, and refuses tiers of stock beyond what is left', async () => {
    await h.openBuy('Mooncakes | variants small:10:3 large:18:2 | min 1 | ends 2h');
    await h.command(alice, '/join 2');
    expect(h.lastMessageIn()).toBe('#1 comes in variants: small or large. Press a variant\'s button, or e.g. /join 2 small.');
    await h.command(alice, '/join 2 medium');
    expect(h.lastMessageIn()).toBe('#1 has no variant "medium". Pick small or large.');
    // More than the variant has in all could never be had, not even from its waitlist: its size is named.
    await h.command(alice, '/join 3 large');
    expect(h.lastMessageIn()).toBe('#1 has 2 large in all: ask for 2 or fewer.');
    await h.command(carol, '/join 1 large');
    await h.command(alice, '/join 2 large');
    expect(lastWithButtons()).toEqual({
      text: 'Alice, only 1 unit is left in #1 (you asked for 2). Take 1, or wait for 2 on the waitlist?',
      buttons: [{ label: 'Take 1', action: 'jq:1:1:1' }, { label: 'Waitlist for 2', action: 'jw:1:2:1' }],
    });
    await h.command(carol, '/leave');
    await h.press(alice, 'jq:1:2:1');
    expect(h.lastToast()).toBe('Alice joined #1 ×2 large.');
    // A member already in keeps their variant with /join 3, and a press of its +1 adds one.
    await h.command(bob, '/join 1 small');
    await h.press(bob, 'join:1:0');
    expect(h.lastToast()).toBe('Bob now has ×2 small in #1.');
    expect(await h.participants(1)).toEqual(['Alice ×2', 'Bob ×2']);
    // Another variant's button does not switch silently; /join with the variant does (stock permitting).
    await h.press(bob, 'join:1:1');
    expect(h.lastToast()).toBe('You have ×2 small in #1. One variant per member: to switch, /join 2 large.');
    // small has 3 in stock and Bob holds 2: switching to 2 small is more than is left.
    await h.command(alice, '/join 2 small');
    expect(lastWithButtons()).toEqual({
      text: 'Alice, only 1 small is left in #1 (you asked for 2); you keep what you have. Take 1?',
      buttons: [{ label: 'Take 1', action: 'jq:1:1:0' }],
    });
    await h.command(alice, '/join 1 small');
    expect(h.lastMessageIn()).toBe('Alice now has ×1 small in #1.');
    await h.command(bob, '/join 2 large');
    expect(h.lastMessageIn()).toBe('Bob now has ×2 large in #1.');
    const rows = await h.db.prisma.signUp.findMany({ where: { status: 'active' }, orderBy: { id: 'asc' } });
    expect(rows.map((r) => [r.variant, r.quantity])).toEqual([['small', 1], ['large', 2]]);
  });

  it('keeps buys without variants as they were: tiers still apply', async () => {
    await h.openBuy('Strawberries | 39.9 | min 2 | max 10 | ends 2h | tiers 3:35.9');
    await h.command(alice, '/join 3');
    expect(h.messagesIn().slice(-2)).toEqual(['Alice joined #1 ×3.', '🎉 #1 reached 3 units: the price drops to ¥35.90 for everyone.']);
  });
});

describe('notes (备注)', () => {
  it('/note changes or removes it, shows it in /mybuys (private), and refuses a member who is not in', async () => {
    await h.openBuy('Tea | 10 | min 2 | max 20 | ends 2h');
    await h.command(alice, '/note pick up Friday');
    expect(h.lastMessageIn()).toBe('You are not signed up to #1.');
    await h.command(alice, '/join 2 note: pick up Friday');
    await h.command(alice, '/note #1 pick up Saturday');
    expect(h.lastMessageIn()).toBe('Your note on #1: pick up Saturday');
    await h.command(alice, '/mybuys');
    expect(h.dmsTo(alice).at(-1)).toBe('Your sign-ups:\n#1 Tea ×2 · in · Strawberry friends\n   note: pick up Saturday');
    await h.command(alice, '/note -');
    expect(h.lastMessageIn()).toBe('Your note on #1 is removed.');
    await h.command(wang, '/note');
    expect(h.lastMessageIn()).toBe('用法：/note [#团号] <内容>，例如 /note 不要香菜。/note - 删除备注。');
  });
});

describe('rough edges of joining', () => {
  it('/join N with several buys open and a buy #N asks which was meant, with two buttons that do each', async () => {
    await h.openBuy('Tea | 10 | min 2 | max 20 | ends 2h');
    await h.openBuy('Rice | 10 | min 2 | max 20 | ends 2h');
    await h.openBuy('Milk | 10 | min 2 | max 20 | ends 2h');
    await h.command(alice, '/join 2');
    expect(lastWithButtons()).toEqual({
      text: 'Did you mean 2 units of the newest buy #3, or joining buy #2? (Next time: /join #2 names a buy.)',
      buttons: [{ label: '2 of #3', action: 'jq:3:2' }, { label: 'Join #2', action: 'jq:2:1' }],
    });
    expect(await h.db.prisma.signUp.count()).toBe(0);
    await h.press(alice, 'jq:2:1');
    expect(h.lastToast()).toBe('Alice joined #2 ×1.');
    await h.command(wang, '/join 2');
    expect(lastWithButtons().text).toBe('你是想在最新的 #3 报 2 份，还是参加 #2 团？（下次可用 /join #2 指定团号。）');
    await h.press(wang, 'jq:3:2');
    expect(h.lastToast()).toBe('王芳 参加了 #3 ×2。');
    // Unambiguous forms do not ask: no buy #7, a #, or two numbers.
    await h.command(bob, '/join 7');
    expect(h.lastMessageIn()).toBe('Bob joined #3 ×7.');
    await h.command(carol, '/join #1');
    expect(h.lastMessageIn()).toBe('Carol joined #1 ×1.');
  });

  it('asking for more than is left says what is left and offers it (not the waitlist silently); a full buy offers the waitlist on its button', async () => {
    const buy = await h.openBuy('Tea | 10 | min 2 | max 6 | ends 2h');
    await h.command(alice, '/join 4');
    await h.command(bob, '/join 3');
    expect(lastWithButtons()).toEqual({
      text: 'Bob, only 2 units are left in #1 (you asked for 3). Take 2, or wait for 3 on the waitlist?',
      buttons: [{ label: 'Take 2', action: 'jq:1:2' }, { label: 'Waitlist for 3', action: 'jw:1:3' }],
    });
    expect(await h.participants(buy.id, 'waitlisted')).toEqual([]);
    await h.command(wang, '/join 3');
    expect(lastWithButtons().buttons.map((b) => b.label)).toEqual(['要这 2 份', '候补 3 份']);
    // Choosing the waitlist with units left: not "full", and says what is left.
    await h.press(wang, 'jw:1:3');
    expect(h.lastToast()).toBe('王芳 已进入 #1 的候补（×3，第 1 位）；目前还剩 2 份。有空位时会通知你。');
    await h.press(bob, 'jq:1:2');
    expect(h.lastToast()).toBe('Bob joined #1 ×2.');
    const card = await h.cardText();
    expect(card).toContain('🈵 FULL: new sign-ups go on the waitlist');
    expect(await h.cardButtons()).toEqual(['jw:1:1', 'leave:1']);
    await h.press(carol, 'jw:1:1');
    expect(h.lastToast()).toBe("#1 is full, so Carol is on the waitlist (×1, position 2). You'll be told if a place opens.");
    await h.press(alice, `join:${buy.id}`);
    expect(h.lastToast()).toBe('Nothing more is left in #1; you keep ×4.');
  });

  it('a waitlist button pressed after a place opened joins instead of queueing; it never changes what a member has', async () => {
    const buy = await h.openBuy('Tea | 10 | min 2 | max 3 | ends 2h');
    await h.command(alice, '/join 2');
    await h.command(bob, '/join 1');
    await h.command(wang, '/join 2'); // nothing left: waitlisted for 2
    expect(await h.cardButtons()).toEqual(['jw:1:1', 'leave:1']);
    // Bob leaves; Wang (waiting for 2) does not fit the 1 unit freed, so she keeps waiting.
    await h.command(bob, '/leave');
    expect(await h.participants(buy.id, 'waitlisted')).toEqual(['王芳 ×2']);
    // Carol presses "Join waitlist" on the card she saw FULL: the unit is free, so she is in, not queued behind it.
    await h.press(carol, 'jw:1:1');
    expect(h.lastToast()).toBe('Carol joined #1 ×1.');
    expect(await h.participants(buy.id)).toEqual(['Alice ×2', 'Carol ×1']);
    // A member in (Alice ×2) or waiting (Wang ×2) who presses a waitlist button keeps what they have.
    await h.press(alice, 'jw:1:1');
    expect(h.lastToast()).toBe('You are already in #1 with ×2, so there is no waitlist place to take. To change it: /join 1 <qty>.');
    await h.press(wang, 'jw:1:1');
    expect(h.lastToast()).toBe('你在 #1 的候补中（×2，第 1 位）。');
    expect(await h.participants(buy.id)).toEqual(['Alice ×2', 'Carol ×1']);
    expect(await h.participants(buy.id, 'waitlisted')).toEqual(['王芳 ×2']);
  });
});
