import { describe, expect, it } from 'vitest';
import { START, HOUR, MINUTE, anna, bob, laoLi, useCoreHarness } from '../../support/core-harness.js';

const h = useCoreHarness();

/** The last reply the bot gave, with whether it asks for an answer. */
/** The dialogue in progress (there is at most one in these tests). */
async function draft(): Promise<{ step: string; data: unknown } | undefined> {
  const rows = await h.db.prisma.dialogue.findMany({ select: { step: true, data: true } });
  return rows[0];
}

function lastQuestion(): { text: string; expectAnswer: boolean } {
  const last = h.port.delivered.filter((d) => d.reply.kind === 'message').at(-1)!.reply as { text: string; expectAnswer?: boolean };
  return { text: last.text, expectAnswer: last.expectAnswer === true };
}

describe('the guided /newbuy dialogue', () => {
  it('asks one question per field and keeps each answer in the database', async () => {
    await h.command(anna, '/newbuy');
    expect(lastQuestion()).toEqual({ text: "Let's open a group buy (send /cancel to stop at any time). What is the product title?", expectAnswer: true });
    await h.text(anna, 'Organic strawberries');
    expect(lastQuestion().text).toBe('Unit price? (e.g. 39.9)');
    await h.text(anna, '39.9');
    expect(lastQuestion().text).toBe('Minimum units for the buy to go ahead? (e.g. 10)');
    await h.text(anna, '10');
    expect(lastQuestion().text).toBe('Maximum units? (e.g. 50)');
    await h.text(anna, '50');
    expect(lastQuestion().text).toBe('Deadline? A date and time (2026-12-24 20:00) or a duration (90m, 2h, 3d).');
    await h.text(anna, '2026-12-24 20:00');
    expect(lastQuestion().text).toBe('Limit per member in units? Send "-" for no limit.');
    await h.text(anna, '2');
    expect(lastQuestion().text).toBe('Tier prices? e.g. 20:35.9,40:32.9 (units:price). Send "-" for none.');
    await h.text(anna, '20:35.9,40:32.9');
    expect(lastQuestion().text).toBe('Pickup point or delivery note? Send "-" to skip.');

    expect(await draft()).toEqual({
      step: 'pickup',
      data: {
        title: 'Organic strawberries', unitPriceCents: 3990, minUnits: 10, maxUnits: 50, endsAt: '2026-12-24T12:00:00.000Z', perMemberLimit: 2,
        tiers: [{ minUnits: 20, priceCents: 3590 }, { minUnits: 40, priceCents: 3290 }],
      },
    });
    expect(await h.db.prisma.groupBuy.count()).toBe(0);
  });

  it('opens the buy when the last question is answered', async () => {
    await h.command(anna, '/newbuy');
    for (const answer of ['Organic strawberries', '39.9', '10', '50', '2026-12-24 20:00', '2', '20:35.9,40:32.9']) await h.text(anna, answer);
    await h.text(anna, 'East gate');
    expect(lastQuestion().text).toBe('A few words about the product (shown on the card)? Send "-" to skip.');
    await h.text(anna, 'Picked this morning');
    expect(lastQuestion().text).toBe('Variants (sizes, flavours), each name:price:stock, e.g. small:10:20 large:18:10? Send "-" for none.');
    await h.text(anna, '-');

    const [buy] = await h.db.prisma.groupBuy.findMany();
    expect(buy).toMatchObject({
      title: 'Organic strawberries', unitPriceCents: 3990, minUnits: 10, maxUnits: 50, perMemberLimit: 2, description: 'Picked this morning', variants: [],
      endsAt: new Date('2026-12-24T12:00:00Z'), pickup: 'East gate', status: 'open',
      tiers: [{ minUnits: 20, priceCents: 3590 }, { minUnits: 40, priceCents: 3290 }],
    });
    expect(await h.cardText()).toContain('🛒 Group buy #1: Organic strawberries');
    expect(h.scheduler.jobs.filter((j) => j.name === 'buy.deadline').map((j) => j.runAt)).toEqual([new Date('2026-12-24T12:00:00Z')]);
    expect(await h.db.prisma.dialogue.count()).toBe(0);
  });

  it('re-checks admin rights on the last answer: an admin who lost them opens nothing', async () => {
    await h.command(anna, '/newbuy');
    for (const answer of ['Tea', '10', '1', '5', '2h', '-', '-', 'East gate', '-']) await h.text(anna, answer);
    h.port.admins.delete(anna.id);
    await h.text(anna, '-');
    expect(h.lastMessageIn()).toBe('Sorry, only group admins can do that.');
    expect(await h.db.prisma.groupBuy.count()).toBe(0);
  });

  it('talks Chinese with a Chinese admin and takes 不限 and 无 to skip optional fields', async () => {
    await h.command(laoLi, '/newbuy');
    expect(lastQuestion().text).toBe('我们来发起拼团（随时发送 /cancel 结束）。商品标题是什么？');
    for (const answer of ['有机草莓', '39.9', '10', '50', '2小时']) await h.text(laoLi, answer);
    expect(lastQuestion().text).toBe('每人限购几份？发送“-”表示不限。');
    await h.text(laoLi, '不限');
    expect(lastQuestion().text).toBe('阶梯价？例如 20:35.9,40:32.9（数量:价格）。发送“-”表示没有。');
    await h.text(laoLi, '无');
    expect(lastQuestion().text).toBe('自提点或配送说明？发送“-”跳过。');
    expect(await draft()).toEqual({
      step: 'pickup',
      data: { title: '有机草莓', unitPriceCents: 3990, minUnits: 10, maxUnits: 50, endsAt: new Date(START.getTime() + 2 * HOUR).toISOString() },
    });
  });

  it('repeats the question after a bad answer, saying what was wrong, and keeps the earlier answers', async () => {
    await h.command(anna, '/newbuy');
    await h.text(anna, 'Tea');
    await h.text(anna, 'cheap');
    expect(lastQuestion()).toEqual({
      text: '"cheap" is not a price. Write it like 39.9 (greater than 0, at most 2 decimals).\nUnit price? (e.g. 39.9)',
      expectAnswer: true,
    });
    await h.text(anna, '10');
    await h.text(anna, '5');
    await h.text(anna, '3');
    expect(lastQuestion().text).toBe('max (3) must be at least min (5).\nMaximum units? (e.g. 50)');
    await h.text(anna, '8');
    await h.text(anna, 'yesterday');
    expect(lastQuestion().text).toMatch(/^The deadline .* is already past\.\nDeadline\?/);
    await h.text(anna, '3d');
    await h.text(anna, '9');
    expect(lastQuestion().text).toBe('limit (9) cannot be more than max (8).\nLimit per member in units? Send "-" for no limit.');
    await h.text(anna, '-');
    await h.text(anna, '20:9');
    expect(lastQuestion().text).toBe('A tier at 20 units can never be reached: max is 8.\nTier prices? e.g. 20:35.9,40:32.9 (units:price). Send "-" for none.');
    await h.text(anna, '-');

    expect(await draft()).toEqual({
      step: 'pickup',
      data: { title: 'Tea', unitPriceCents: 1000, minUnits: 5, maxUnits: 8, endsAt: new Date(START.getTime() + 3 * 24 * HOUR).toISOString() },
    });
  });

  it('refuses a pickup or description longer than the card allows instead of cutting it, and asks again', async () => {
    await h.command(anna, '/newbuy');
    for (const answer of ['Tea', '10', '1', '5', '3d', '-', '-']) await h.text(anna, answer);
    await h.text(anna, 'p'.repeat(201));
    expect(lastQuestion().text).toBe('The pickup can be at most 200 characters; this one has 201. Shorten it.\nPickup point or delivery note? Send "-" to skip.');
    await h.text(anna, 'p'.repeat(200));
    await h.text(anna, '描'.repeat(501));
    expect(lastQuestion().text).toBe('The description can be at most 500 characters; this one has 501. Shorten it (it is one line of the card).\nA few words about the product (shown on the card)? Send "-" to skip.');
    expect(await draft()).toMatchObject({ step: 'description', data: { pickup: 'p'.repeat(200) } });
    await h.text(anna, '描'.repeat(500));
    await h.text(anna, '-');
    const [buy] = await h.db.prisma.groupBuy.findMany();
    expect(buy).toMatchObject({ pickup: 'p'.repeat(200), description: '描'.repeat(500) });
  });

  it('repeats a Chinese question in Chinese after a bad answer', async () => {
    await h.command(laoLi, '/newbuy');
    await h.text(laoLi, '大米');
    await h.text(laoLi, '免费');
    expect(lastQuestion().text).toBe('“免费”不是有效价格。请写成 39.9 这样（大于 0，最多两位小数）。\n单价是多少？（例如 39.9）');
  });

  it('stops on /cancel and creates nothing', async () => {
    await h.command(anna, '/newbuy');
    await h.text(anna, 'Tea');
    await h.command(anna, '/cancel');
    expect(h.lastMessageIn()).toBe('OK, stopped. Nothing was created.');
    await h.text(anna, '10');
    expect(h.lastMessageIn()).toBe('OK, stopped. Nothing was created.');
    expect(await h.db.prisma.groupBuy.count()).toBe(0);
    expect(await h.db.prisma.dialogue.count()).toBe(0);

    await h.command(laoLi, '/cancel');
    expect(h.lastMessageIn()).toBe('当前没有可以结束的对话。');
  });

  it('listens only to the admin who started it', async () => {
    await h.command(anna, '/newbuy');
    await h.text(bob, 'Not the title');
    await h.text(anna, 'Tea');
    expect(lastQuestion().text).toBe('Unit price? (e.g. 39.9)');
    expect(await h.db.prisma.dialogue.findMany({ select: { memberId: true, step: true, data: true } })).toEqual([
      { memberId: anna.id, step: 'price', data: { title: 'Tea' } },
    ]);
  });

  it('is for admins only', async () => {
    await h.command(bob, '/newbuy');
    expect(h.lastMessageIn()).toBe('Sorry, only group admins can do that.');
    expect(await h.db.prisma.dialogue.count()).toBe(0);
  });

  it('refuses to open a buy whose deadline passed while the dialogue went on', async () => {
    await h.command(anna, '/newbuy');
    // Within the dialogue's 15 minutes: a deadline only minutes away can pass before the last answer.
    for (const answer of ['Tea', '10', '1', '5', '10m', '-', '-', '-', '-']) await h.text(anna, answer);
    h.clock.advance(12 * MINUTE);
    await h.text(anna, '-');
    expect(h.lastMessageIn()).toBe('The deadline 2026-12-20 10:10 is already past.\nDeadline? A date and time (2026-12-24 20:00) or a duration (90m, 2h, 3d).');
    expect(await h.db.prisma.groupBuy.count()).toBe(0);
  });
});

describe('the guided /newbuy dialogue when its deadline passes before the last answer', () => {
  it('asks for the deadline again and then opens the buy with the other answers kept', async () => {
    await h.command(anna, '/newbuy');
    for (const answer of ['Tea', '10', '1', '5', '10m', '-', '-', 'East gate', '-']) await h.text(anna, answer);
    h.clock.advance(12 * MINUTE);
    await h.text(anna, '-');
    expect(h.lastMessageIn()).toContain('Deadline? A date and time');
    expect(await h.db.prisma.groupBuy.count()).toBe(0);

    await h.text(anna, '3h');
    const [buy] = await h.db.prisma.groupBuy.findMany();
    expect(buy).toMatchObject({ title: 'Tea', unitPriceCents: 1000, minUnits: 1, maxUnits: 5, pickup: 'East gate' });
    expect(buy!.endsAt.getTime()).toBe(START.getTime() + 12 * MINUTE + 3 * HOUR);
    expect(await h.db.prisma.dialogue.count()).toBe(0);
  });
});

describe('the guided /newbuy dialogue with variants (optional last step)', () => {
  it('takes variants in Chinese, refuses ones that do not fit with the allowed form, and opens a card with one button per variant', async () => {
    await h.command(laoLi, '/newbuy');
    for (const answer of ['月饼', '10', '5', '30', '2h', '-', '-', '-', '广式']) await h.text(laoLi, answer);
    expect(lastQuestion().text).toBe('规格（尺寸、口味），每个写成 名称:单价:库存，例如 小份:10:20 大份:18:10？没有请发送“-”。');
    await h.text(laoLi, '小份:10');
    expect(lastQuestion().text).toMatch(/^“小份:10”不是有效规格。每个规格写成 名称:单价:库存/);
    await h.text(laoLi, '小份:10:10 大份:18:10');
    expect(lastQuestion().text).toMatch(/^最多份数（30）不能超过各规格库存之和（20）。/);
    await h.text(laoLi, '小份:10:20 大份:18:10');
    const [buy] = await h.db.prisma.groupBuy.findMany();
    expect(buy).toMatchObject({ title: '月饼', unitPriceCents: 1000, maxUnits: 30, description: '广式', variants: [{ name: '小份', priceCents: 1000, stock: 20 }, { name: '大份', priceCents: 1800, stock: 10 }] });
    const card = await h.cardText();
    expect(card).toContain('广式\n💰 规格：\n· 小份 ¥10.00 · 剩 20/20 份\n· 大份 ¥18.00 · 剩 10/10 份');
  });
});
