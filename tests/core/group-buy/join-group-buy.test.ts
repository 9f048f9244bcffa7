import { describe, expect, it } from 'vitest';
import { GROUP, alice, anna, bob, carol, laoLi, textsOf, useCoreHarness, wang, zhang } from '../../support/core-harness.js';

const h = useCoreHarness();

const TEA = 'Tea | 10 | min 2 | max 5 | ends 2h';

describe('join', () => {
  it('signs a member up by command and shows them on the card, editing the same card message', async () => {
    const buy = await h.openBuy(TEA);
    const card = h.cardMessage(buy.id)!;

    const result = await h.command(alice, '/join');

    expect(textsOf(result)).toEqual(['Alice joined #1 ×1.']);
    expect(await h.participants(buy.id)).toEqual(['Alice ×1']);
    expect(await h.cardText(buy.id)).toContain('📦 ▓▓░░░░░░░░ 1/5 (min 2)\n⏳ 1 more to reach the minimum');
    expect(await h.cardText(buy.id)).toMatch(/Participants \(1\):\n1\. Alice ×1$/);
    expect(h.cardEdits(buy.id)).toHaveLength(1);
    expect(h.port.delivered.filter((d) => d.reply.kind === 'edit').every((d) => d.messageId === card.messageId && d.chatId === GROUP.id)).toBe(true);
    expect(h.port.delivered.filter((d) => d.reply.kind === 'message' && d.reply.card)).toHaveLength(1);
  });

  it('answers in the member language', async () => {
    await h.openBuy(TEA);
    await h.command(wang, '/join 2');
    expect(h.lastMessageIn()).toBe('王芳 参加了 #1 ×2。');
  });

  it('signs a member up by button, answering with a toast', async () => {
    const buy = await h.openBuy(TEA);
    const result = await h.press(bob, `join:${buy.id}`);
    expect(result.replies).toEqual([{ kind: 'toast', text: 'Bob joined #1 ×1.', alert: false }]);
    await h.press(zhang, `join:${buy.id}`);
    expect(h.lastToast()).toBe('张伟 参加了 #1 ×1。');
    expect(await h.participants(buy.id)).toEqual(['Bob ×1', '张伟 ×1']);
    expect(await h.cardText()).toMatch(/Participants \(2\):\n1\. Bob ×1\n2\. 张伟 ×1$/);
  });

  it('changes the quantity when the member joins again: /join 2 then /join 3', async () => {
    const buy = await h.openBuy(TEA);
    await h.command(alice, '/join 2');
    await h.command(alice, '/join 3');
    expect(h.lastMessageIn()).toBe('Alice now has ×3 in #1.');
    expect(await h.participants(buy.id)).toEqual(['Alice ×3']);
    expect(await h.cardText()).toContain('1. Alice ×3');

    await h.command(alice, '/join 3');
    expect(h.lastMessageIn()).toBe('You are already in #1 with ×3. To change it: /join 1 <qty>.');
    expect(await h.db.prisma.signUp.count()).toBe(1);
  });

  it('takes a buy id: /join <id> <qty> and /join #<id>', async () => {
    const first = await h.openBuy(TEA);
    await h.openBuy('Rice | 20 | min 1 | max 9 | ends 3h');

    await h.command(alice, `/join ${first.id} 2`);
    await h.command(bob, `/join #${first.id}`);
    await h.command(carol, '/join');

    expect(await h.participants(first.id)).toEqual(['Alice ×2', 'Bob ×1']);
    expect(await h.participants(2)).toEqual(['Carol ×1']);
  });

  it('adds one more unit with each press of "+1", up to the limit, which it names', async () => {
    const buy = await h.openBuy('Tea | 10 | min 2 | max 10 | ends 2h | limit 2');
    await h.press(alice, `join:${buy.id}`);
    expect(h.lastToast()).toBe('Alice joined #1 ×1.');
    await h.press(alice, `join:${buy.id}`);
    expect(h.lastToast()).toBe('Alice now has ×2 in #1.');
    await h.press(alice, `join:${buy.id}`);
    expect(h.lastToast()).toBe('You already have ×2 in #1: the limit is 2 per member.');
    expect(await h.participants(buy.id)).toEqual(['Alice ×2']);
  });

  it('never counts the same update twice', async () => {
    const buy = await h.openBuy(TEA);
    await h.command(alice, '/join 2');
    expect(await h.resend()).toEqual({ replies: [], duplicate: true });
    await h.press(bob, `join:${buy.id}`, { key: 'tg:callback:7' });
    expect(await h.press(bob, `join:${buy.id}`, { key: 'tg:callback:7' })).toEqual({ replies: [], duplicate: true });

    expect(await h.participants(buy.id)).toEqual(['Alice ×2', 'Bob ×1']);
    expect(h.messagesIn()).toEqual([expect.stringContaining('Group buy #1'), 'Alice joined #1 ×2.']);
    expect(h.toasts()).toEqual(['Bob joined #1 ×1.']);
  });

  it('holds each member to the per-member limit, in their language', async () => {
    const buy = await h.openBuy('Tea | 10 | min 2 | max 10 | ends 2h | limit 2');
    await h.command(alice, '/join 3');
    expect(h.lastMessageIn()).toBe('The limit is 2 per member.');
    await h.command(wang, '/join 3');
    expect(h.lastMessageIn()).toBe('每人限购 2 份。');
    await h.command(bob, '/join 2');
    await h.command(bob, '/join 3');
    expect(h.lastMessageIn()).toBe('The limit is 2 per member.');
    expect(await h.participants(buy.id)).toEqual(['Bob ×2']);
  });

  it('puts the member on the waitlist when the buy is full, with their position', async () => {
    const buy = await h.openBuy('Tea | 10 | min 2 | max 3 | ends 2h');
    await h.command(alice, '/join 3');
    await h.command(bob, '/join');
    expect(h.lastMessageIn()).toBe("#1 is full, so Bob is on the waitlist (×1, position 1). You'll be told if a place opens.");
    const pressed = await h.press(wang, `join:${buy.id}`);
    expect(pressed.replies).toEqual([{ kind: 'toast', text: '#1 已满，王芳 已进入候补（×1，第 2 位）。有空位时会通知你。', alert: true }]);
    // The card offers "Join waitlist" now; a press of it keeps the place and the quantity.
    await h.press(wang, `jw:${buy.id}:1`);
    expect(h.lastToast()).toBe('你在 #1 的候补中（×1，第 2 位）。');

    expect(await h.participants(buy.id)).toEqual(['Alice ×3']);
    expect(await h.participants(buy.id, 'waitlisted')).toEqual(['Bob ×1', '王芳 ×1']);
    expect(await h.cardText()).toMatch(/Participants \(1\):\n1\. Alice ×3\nWaitlist \(2\):\n1\. Bob ×1\n2\. 王芳 ×1$/);
  });

  describe('a waitlisted member changing what they wait for', () => {
    it('"+1" adds one unit to what they wait for and keeps their place in line, in their language', async () => {
      const buy = await h.openBuy('Tea | 10 | min 2 | max 3 | ends 2h');
      await h.command(alice, '/join 3');
      await h.press(bob, `join:${buy.id}`); // full: waitlisted ×1, position 1
      await h.press(wang, `join:${buy.id}`); // position 2
      await h.press(bob, `join:${buy.id}`);
      expect(h.lastToast()).toBe('Bob now waits for ×2 in #1, keeping position 1 on the waitlist.');
      await h.press(wang, `join:${buy.id}`);
      expect(h.lastToast()).toBe('王芳 在 #1 的候补改为 ×2，仍排第 2 位。');
      await h.press(bob, `join:${buy.id}`);
      expect(await h.participants(buy.id, 'waitlisted')).toEqual(['Bob ×3', '王芳 ×2']);
      expect(await h.cardText()).toMatch(/Waitlist \(2\):\n1\. Bob ×3\n2\. 王芳 ×2$/);
      // Nobody moved in, nothing else changed.
      expect(await h.participants(buy.id)).toEqual(['Alice ×3']);
    });

    it('"+1" past the per-member limit or past what the buy has in all is refused naming it, and changes nothing', async () => {
      const limited = await h.openBuy('Tea | 10 | min 1 | max 2 | ends 2h | limit 2');
      await h.command(alice, '/join 2');
      await h.command(bob, '/join 2'); // full: waits for 2
      await h.press(bob, `join:${limited.id}`);
      expect(h.lastToast()).toBe('You already wait for ×2 in #1: the limit is 2 per member.');
      await h.command(zhang, '/join');
      await h.press(zhang, `join:${limited.id}`);
      await h.press(zhang, `join:${limited.id}`);
      expect(h.lastToast()).toBe('你在 #1 已候补 ×2：每人限购 2 份。');
      expect(await h.participants(limited.id, 'waitlisted')).toEqual(['Bob ×2', '张伟 ×2']);

      const small = await h.openBuy('Rice | 10 | min 1 | max 2 | ends 2h');
      await h.command(alice, `/join #${small.id} 2`);
      await h.command(carol, `/join #${small.id} 2`); // full: waits for 2, all the buy has
      await h.press(carol, `join:${small.id}`);
      expect(h.lastToast()).toBe('#2 has 2 units in all: ask for 2 or fewer.');
      expect(await h.participants(small.id, 'waitlisted')).toEqual(['Carol ×2']);
    });

    it('a typed /join or 接龙 sets what they wait for, keeping their place; when it now fits, they are in as by a join', async () => {
      const buy = await h.openBuy('Tea | 10 | min 2 | max 5 | ends 2h');
      await h.command(alice, '/join 4');
      await h.command(bob, '/join 3');
      await h.press(bob, 'jw:1:3'); // chose to wait for 3 with 1 left
      await h.command(carol, '/join 2');
      await h.press(carol, 'jw:1:2'); // position 2
      // Carol's 接龙 2 is what she waits for already; Bob lowers his to 2: still more than the 1 left, same place.
      await h.command(bob, '/join 2');
      expect(h.lastMessageIn()).toBe('Bob now waits for ×2 in #1, keeping position 1 on the waitlist.');
      expect(await h.participants(buy.id, 'waitlisted')).toEqual(['Bob ×2', 'Carol ×2']);
      // Carol asks for 1: it fits the unit left, so she is in, answered as a join (no "good news" message to her,
      // no "moved in from the waitlist" line in the group), and Bob keeps waiting at the head of the line.
      const before = h.messagesIn().length;
      await h.command(carol, '/join 1');
      expect(h.messagesIn().slice(before)).toEqual(['Carol joined #1 ×1.']);
      expect(h.dmsTo(carol)).toEqual([]);
      expect(await h.participants(buy.id)).toEqual(['Alice ×4', 'Carol ×1']);
      expect(await h.participants(buy.id, 'waitlisted')).toEqual(['Bob ×2']);
      expect(await h.cardText()).toMatch(/1\. Alice ×4\n2\. Carol ×1\nWaitlist \(1\):\n1\. Bob ×2$/);
    });
  });

  it('refuses more than the buy or the variant has in all naming its real size, in the member language', async () => {
    const buy = await h.openBuy('Tea | 10 | min 2 | max 5 | ends 2h');
    await h.command(alice, '/join 9');
    expect(h.lastMessageIn()).toBe('#1 has 5 units in all: ask for 5 or fewer.');
    await h.command(wang, '/join 200000');
    expect(h.lastMessageIn()).toBe('#1 总共只有 5 份：最多可报 5 份。');
    await h.command(bob, '/join 99999999999999999999999');
    expect(h.lastMessageIn()).toBe('#1 has 5 units in all: ask for 5 or fewer.');
    await h.command(alice, '/join 0');
    expect(h.lastMessageIn()).toBe('"0" is not a quantity: use a whole number of at least 1.');
    const variants = await h.openBuy('Mooncakes | variants small:10:5 large:18:2 | min 1 | ends 2h');
    await h.command(alice, `/join #${variants.id} 3 large`);
    expect(h.lastMessageIn()).toBe('#2 has 2 large in all: ask for 2 or fewer.');
    await h.command(wang, `/join #${variants.id} 3 large`);
    expect(h.lastMessageIn()).toBe('#2 的large总共只有 2 份：最多可报 2 份。');
    expect(await h.participants(buy.id)).toEqual([]);
    expect(await h.participants(variants.id)).toEqual([]);
    expect(await h.participants(buy.id, 'waitlisted')).toEqual([]);
  });

  it('refuses a bigger quantity than there is room for and keeps the old one', async () => {
    const buy = await h.openBuy('Tea | 10 | min 2 | max 5 | ends 2h');
    await h.command(alice, '/join 3');
    await h.command(bob, '/join 1');
    await h.command(bob, '/join 4');
    expect(h.lastMessageIn()).toBe('Bob, you have ×1 in #1 and only 1 more unit is left: take them for ×2 in all?');
    await h.command(zhang, '/join 1');
    await h.command(zhang, '/join 5');
    expect(h.lastMessageIn()).toBe('#1 已没有余量可加；你仍保留 ×1。');
    expect(await h.participants(buy.id)).toEqual(['Alice ×3', 'Bob ×1', '张伟 ×1']);
  });

  it('announces each tier crossed and shows the tier price on the card', async () => {
    const buy = await h.openBuy('Strawberries | 39.9 | min 2 | max 10 | ends 2h | tiers 3:35.9,5:32.9');
    await h.command(alice, '/join 2');
    expect(await h.cardText()).toContain('💰 Price: ¥39.90 per unit\n⬇️ 1 more unit and it drops to ¥35.90');

    await h.command(bob, '/join');
    expect(h.messagesIn().slice(-2)).toEqual(['Bob joined #1 ×1.', '🎉 #1 reached 3 units: the price drops to ¥35.90 for everyone.']);
    expect(await h.cardText()).toContain('💰 Price: ¥35.90 per unit\n⬇️ 2 more units and it drops to ¥32.90');

    await h.command(carol, '/join 2');
    expect(h.lastMessageIn()).toBe('🎉 #1 reached 5 units: the price drops to ¥32.90 for everyone.');
    const card = await h.cardText();
    expect(card).toContain('💰 Price: ¥32.90 per unit\n📊 Tiers: 3+ ¥35.90 · 5+ ¥32.90');
    expect(card).not.toContain('⬇️');

    await h.command(carol, '/leave');
    expect(h.lastMessageIn()).toBe('#1 fell below a tier: the price is back to ¥35.90.');
    expect(await h.cardText(buy.id)).toContain('💰 Price: ¥35.90 per unit');
  });

  it('announces a tier crossing in Chinese in a Chinese group', async () => {
    await h.command(laoLi, '/lang zh');
    await h.openBuy('草莓 | 39.9 | 最少 2 | 最多 10 | 截止 2h | 阶梯 2:35.9', anna);
    await h.command(alice, '/join 2');
    expect(h.lastMessageIn()).toBe('🎉 #1 已达 2 份：全员单价降到 ¥35.90！');
    expect(await h.cardText()).toContain('💰 单价：¥35.90');
  });

  it.each([
    ['/join 0', '"0" is not a quantity: use a whole number of at least 1.'],
    ['/join two', '"two" is not a quantity: use a whole number of at least 1.'],
    ['/join 1 2 3', 'Usage: /join [qty] [variant] [note <text>], /join #<buy-id> [qty], or /join <buy-id> <qty>.'],
    // A word on a buy without variants is a variant it does not have, unless it is a number word.
    ['/join x 2', '#1 has no variants, so "x" is not something to pick. Use /join [qty].'],
    ['/join 2 large', '#1 has no variants, so "large" is not something to pick. Use /join [qty].'],
    ['/join 1e3', '"1e3" is not a quantity: use a whole number of at least 1.'],
    ['/join 1,000', '"1,000" is not a quantity: use a whole number of at least 1.'],
    ['/join 2.5', '"2.5" is not a quantity: use a whole number of at least 1.'],
    ['/join -1', '"-1" is not a quantity: use a whole number of at least 1.'],
    ['/join 99 1', 'There is no buy #99 in this chat.'],
  ])('refuses %s and changes nothing', async (command, answer) => {
    await h.openBuy(TEA);
    await h.command(alice, command);
    expect(h.lastMessageIn()).toBe(answer);
    expect(await h.db.prisma.signUp.count()).toBe(0);
  });

  describe('odd quantities as a new member types them', () => {
    it('reads full-width digits (what a Chinese input method types) and a counting word as the quantity', async () => {
      const buy = await h.openBuy('Tea | 10 | min 2 | max 20 | ends 2h');
      await h.command(wang, '/join ２');
      expect(h.lastMessageIn()).toBe('王芳 参加了 #1 ×2。');
      await h.command(zhang, '/join ＃１ ３份');
      expect(h.lastMessageIn()).toBe('张伟 参加了 #1 ×3。');
      // A number with a counting word is a quantity, never buy #N: nothing to ask.
      await h.openBuy('Rice | 10 | min 1 | max 9 | ends 2h');
      await h.command(alice, '/join 1份');
      expect(h.lastMessageIn()).toBe('Alice joined #2 ×1.');
      // The note keeps its digits as typed.
      await h.command(bob, '/join #1 1 备注 ２号楼');
      expect(h.lastMessageIn()).toBe('Bob joined #1 ×1.\nNote: ２号楼');
      expect(await h.participants(buy.id)).toEqual(['王芳 ×2', '张伟 ×3', 'Bob ×1']);
    });

    it('on a buy with variants, says a bad quantity before asking which variant, and reads a variant in any case or spacing', async () => {
      const buy = await h.openBuy('Mooncakes | variants Small:10:5 Large:18:5 | min 1 | ends 2h');
      await h.command(alice, '/join 0');
      expect(h.lastMessageIn()).toBe('"0" is not a quantity: use a whole number of at least 1.');
      await h.command(wang, '/join 1000');
      expect(h.lastMessageIn()).toBe('#1 总共只有 10 份：最多可报 10 份。');
      await h.command(alice, '/join ２ LARGE');
      expect(h.lastMessageIn()).toBe('Alice joined #1 ×2 Large.');
      await h.command(bob, '/join   small   ');
      expect(h.lastMessageIn()).toBe('Bob joined #1 ×1 Small.');
      await h.command(carol, '/join 2 medium');
      expect(h.lastMessageIn()).toBe('#1 has no variant "medium". Pick Small or Large.');
      expect(await h.participants(buy.id)).toEqual(['Alice ×2', 'Bob ×1']);
    });
  });

  it('says so when there is no open buy, in the member language', async () => {
    await h.command(alice, '/join');
    expect(h.lastMessageIn()).toBe('There is no open buy in this chat right now.');
    await h.command(wang, '/join');
    expect(h.lastMessageIn()).toBe('本群目前没有进行中的拼团。');
  });

  it('does not take a buy of another group by id', async () => {
    const buy = await h.openBuy(TEA);
    await h.command(alice, `/join ${buy.id} 1`, { chat: { id: 'tg:-200', kind: 'group', title: 'Tea club' } });
    expect(h.lastMessageIn('tg:-200')).toBe('There is no buy #1 in this chat.');
    expect(await h.db.prisma.signUp.count()).toBe(0);
  });

  it('answers a button of a buy that is gone as a stale button', async () => {
    await h.press(alice, 'join:x');
    expect(h.lastToast()).toBe('This button is no longer valid.');
    await h.press(wang, 'unknown:1');
    expect(h.lastToast()).toBe('这个按钮已经失效了。');
  });

  it('refuses joins once the deadline has passed, before the job closes the buy', async () => {
    const buy = await h.openBuy(TEA);
    h.clock.advance(3 * 60 * 60_000);
    await h.press(alice, `join:${buy.id}`);
    expect(h.lastToast()).toBe('The deadline of #1 has passed: it is closing now.');
    expect(await h.db.prisma.signUp.count()).toBe(0);
  });

  it('keeps the card creator language for the card while answering each member in theirs', async () => {
    await h.openBuy(TEA, anna);
    await h.command(wang, '/join');
    expect(h.lastMessageIn()).toBe('王芳 参加了 #1 ×1。');
    expect(await h.cardText()).toContain('Participants (1):\n1. 王芳 ×1');
  });
});
