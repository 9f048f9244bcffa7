import { describe, expect, it } from 'vitest';
import { DAY, GROUP, HOUR, MINUTE, START, anna, bob, laoLi, useCoreHarness, wang } from '../../support/core-harness.js';

const h = useCoreHarness();
const deadlineJobs = () => h.scheduler.jobs.filter((j) => j.name === 'buy.deadline');

const englishExample = 'Organic strawberries 1.5kg | 39.9 | min 10 | max 50 | ends 2h | limit 2 | tiers 20:35.9,40:32.9 | pickup East gate';
const chineseExample = '有机草莓 3斤装 | 39.9 | 最少 10 | 最多 50 | 截止 2h | 限购 2 | 阶梯 20:35.9,40:32.9';

describe('/newbuy in one line', () => {
  it('opens a buy from the English example, posts its card and schedules its deadline', async () => {
    const buy = await h.openBuy(englishExample, anna);

    expect(buy).toMatchObject({
      title: 'Organic strawberries 1.5kg',
      unitPriceCents: 3990,
      minUnits: 10,
      maxUnits: 50,
      perMemberLimit: 2,
      tiers: [{ minUnits: 20, priceCents: 3590 }, { minUnits: 40, priceCents: 3290 }],
      pickup: 'East gate',
      status: 'open',
      endsAt: new Date(START.getTime() + 2 * HOUR),
      createdById: anna.id,
      chatId: GROUP.id,
      cardChatId: GROUP.id,
    });
    expect(await h.cardText(buy.id)).toBe(
      [
        '🛒 Group buy #1: Organic strawberries 1.5kg',
        '💰 Price: ¥39.90 per unit',
        '⬇️ 20 more units and it drops to ¥35.90',
        '📊 Tiers: 20+ ¥35.90 · 40+ ¥32.90',
        '📦 ░░░░░░░░░░ 0/50 (min 10)',
        '⏳ 10 more to reach the minimum',
        '⏰ Ends 2026-12-20 12:00 (Asia/Shanghai)',
        '⌛ Closes in 2 h',
        '👤 Limit 2 per member',
        '📍 Pickup: East gate',
        '',
        'No one yet: be the first!',
      ].join('\n'),
    );
    expect(await h.cardButtons(buy.id)).toEqual(['join:1', 'leave:1']);
    expect(h.scheduler.jobs).toEqual([
      { name: 'buy.deadline', runAt: buy.endsAt, key: `buy.deadline:1:${buy.endsAt.getTime()}`, data: { buyId: 1 } },
      // A buy of more than an hour also gets its closing-soon announcement, an hour before the deadline.
      { name: 'buy.closing-soon', runAt: new Date(buy.endsAt.getTime() - HOUR), key: `buy.closing-soon:1:${buy.endsAt.getTime()}`, data: { buyId: 1 } },
    ]);
    expect(await h.db.prisma.adminAction.findMany({ select: { action: true, actorId: true } })).toEqual([{ action: 'buy.open', actorId: anna.id }]);
  });

  it('opens a buy from the Chinese example and posts its card in Chinese', async () => {
    const buy = await h.openBuy(chineseExample, laoLi);

    expect(buy).toMatchObject({ title: '有机草莓 3斤装', unitPriceCents: 3990, minUnits: 10, maxUnits: 50, perMemberLimit: 2, pickup: null });
    expect(await h.cardText(buy.id)).toBe(
      [
        '🛒 拼团 #1：有机草莓 3斤装',
        '💰 单价：¥39.90',
        '⬇️ 再 20 份降到 ¥35.90',
        '📊 阶梯：20+ ¥35.90 · 40+ ¥32.90',
        '📦 ░░░░░░░░░░ 0/50（最少 10）',
        '⏳ 还差 10 份成团',
        '⏰ 截止 2026-12-20 12:00（Asia/Shanghai）',
        '⌛ 还剩 2小时',
        '👤 每人限购 2 份',
        '',
        '还没有人参加，快来第一个！',
      ].join('\n'),
    );
  });

  it('writes the card in the group language once the group has one, whoever opens the buy', async () => {
    await h.command(anna, '/lang zh');
    await h.openBuy('Tea | 10 | min 1 | max 5 | ends 2h', anna);
    expect(await h.cardText()).toContain('🛒 拼团 #1：Tea');

    await h.command(laoLi, '/lang en');
    await h.openBuy('Rice | 10 | min 1 | max 5 | ends 2h', laoLi);
    expect(await h.cardText(2)).toContain('🛒 Group buy #2: Rice');
  });

  it.each([
    ['90m', 90 * MINUTE],
    ['2h', 2 * HOUR],
    ['3d', 3 * DAY],
    ['2小时', 2 * HOUR],
  ])('reads the duration %s from now', async (when, ms) => {
    const buy = await h.openBuy(`Tea | 10 | min 1 | max 5 | ends ${when}`);
    expect(buy.endsAt).toEqual(new Date(START.getTime() + ms));
    expect(deadlineJobs().map((j) => j.runAt)).toEqual([buy.endsAt]);
  });

  it('reads an absolute deadline in the group time zone, Asia/Shanghai by default', async () => {
    const buy = await h.openBuy('Tea | 10 | min 1 | max 5 | ends 2026-12-24 20:00');
    expect(buy.endsAt).toEqual(new Date('2026-12-24T12:00:00Z'));
    expect(await h.cardText()).toContain('⏰ Ends 2026-12-24 20:00 (Asia/Shanghai)');
  });

  it('reads an absolute deadline in Europe/Berlin after /timezone Europe/Berlin', async () => {
    await h.command(anna, '/timezone europe/berlin');
    expect(h.lastMessageIn()).toBe("Done: this group's time zone is Europe/Berlin (now 2026-12-20 03:00).");

    const buy = await h.openBuy('Tea | 10 | min 1 | max 5 | ends 2026-12-24 20:00');
    expect(buy.endsAt).toEqual(new Date('2026-12-24T19:00:00Z'));
    expect(await h.cardText()).toContain('⏰ Ends 2026-12-24 20:00 (Europe/Berlin)');
  });

  it('shows open cards in the new time zone after /timezone', async () => {
    await h.openBuy('Tea | 10 | min 1 | max 5 | ends 2026-12-24 20:00');
    await h.command(laoLi, '/timezone Europe/Berlin');
    expect(h.lastMessageIn()).toBe('好的：本群时区为 Europe/Berlin（当前时间 2026-12-20 03:00）。');
    expect(await h.cardText()).toContain('⏰ Ends 2026-12-24 13:00 (Europe/Berlin)');
  });

  it('refuses an unknown time zone and keeps the old one', async () => {
    await h.command(anna, '/timezone Europe/Berlin');
    await h.command(anna, '/timezone Mars/Olympus');
    expect(h.lastMessageIn()).toBe('"Mars/Olympus" is not a time zone I know. Use an IANA name such as Asia/Shanghai or Europe/Berlin.');
    expect((await h.store.getGroup(GROUP.id))?.timeZone).toBe('Europe/Berlin');
  });

  describe('refuses bad input in the admin language and creates nothing', () => {
    it.each([
      ['missing min', 'Tea | 10 | max 5 | ends 2h', 'Missing field: min.', '缺少：最少。'],
      ['max below min', 'Tea | 10 | min 10 | max 5 | ends 2h', 'max (5) must be at least min (10).', '最多（5）不能小于最少（10）。'],
      ['a bad price', 'Tea | abc | min 1 | max 5 | ends 2h', '"abc" is not a price. Write it like 39.9 (greater than 0, at most 2 decimals).', '“abc”不是有效价格。请写成 39.9 这样（大于 0，最多两位小数）。'],
      ['a past deadline', 'Tea | 10 | min 1 | max 5 | ends 2026-12-19 20:00', 'The deadline 2026-12-19 20:00 is already past.', '截止时间 2026-12-19 20:00 已经过去了。'],
      ['a deadline it cannot read', 'Tea | 10 | min 1 | max 5 | ends someday', '"someday" is not a deadline I understand. Use a date and time like 2026-12-24 20:00 or a duration like 90m, 2h, 3d.', '看不懂截止时间“someday”。请写日期时间如 2026-12-24 20:00，或时长如 90分钟、2小时、3天。'],
      ['bad tiers', 'Tea | 10 | min 1 | max 50 | ends 2h | tiers 20:12', 'Tiers "20:12" are not valid. Write units:price pairs, units rising and prices falling below the base price, e.g. 20:35.9,40:32.9.', '阶梯价“20:12”无效。请写“数量:价格”，数量递增、价格递减且低于原价，例如 20:35.9,40:32.9。'],
      ['an unreachable tier', 'Tea | 10 | min 1 | max 10 | ends 2h | tiers 20:9', 'A tier at 20 units can never be reached: max is 10.', '20 份的阶梯永远达不到：最多只有 10 份。'],
      ['an unknown part', 'Tea | 10 | min 1 | max 5 | ends 2h | colour red', 'I don\'t understand "colour red". Known parts: min, max, ends, limit, tiers, pickup, product, variants, description.', '看不懂“colour red”。可用项：最少、最多、截止、限购、阶梯、自提、商品编码、规格、描述。'],
      ['a limit above max', 'Tea | 10 | min 1 | max 5 | ends 2h | limit 6', 'limit (6) cannot be more than max (5).', '限购（6）不能大于最多（5）。'],
      ['no parts at all', 'Tea', 'Usage: /newbuy <title> | <price> | min <n> | max <n> | ends <when> [| limit <n>] [| tiers <n>:<price>,...] [| pickup <text>] [| product <key>]', '用法：/newbuy <标题> | <价格> | 最少 <n> | 最多 <n> | 截止 <时间> [| 限购 <n>] [| 阶梯 <数量>:<价格>,...] [| 自提 <地点>] [| 商品编码 <编码>]'],
    ])('%s', async (_what, args, english, chinese) => {
      await h.command(anna, `/newbuy ${args}`);
      expect(h.lastMessageIn()).toBe(english);
      await h.command(laoLi, `/newbuy ${args}`);
      expect(h.lastMessageIn()).toBe(chinese);

      expect(await h.db.prisma.groupBuy.count()).toBe(0);
      expect(h.scheduler.jobs).toEqual([]);
      expect(h.port.delivered.some((d) => d.reply.kind === 'message' && d.reply.card)).toBe(false);
    });

    it('names the field in Chinese for a Chinese admin', async () => {
      await h.command(laoLi, '/newbuy 草莓 | 10 | 最多 5 | 截止 2h');
      expect(h.lastMessageIn()).toBe('缺少：最少。');
      await h.command(laoLi, '/newbuy 草莓 | 10 | 最少 0 | 最多 5 | 截止 2h');
      expect(h.lastMessageIn()).toBe('最少：“0”应为不小于 1 的整数。');
      await h.command(laoLi, '/newbuy 草莓 | 10 | 最少 1 | 最多 5 | 截止 2h | 限购 1 | 限购 2');
      expect(h.lastMessageIn()).toBe('限购 重复填写了。');
    });
  });

  it('lets only admins open a buy, in each member language', async () => {
    await h.command(bob, `/newbuy ${englishExample}`);
    expect(h.lastMessageIn()).toBe('Sorry, only group admins can do that.');
    await h.command(wang, `/newbuy ${chineseExample}`);
    expect(h.lastMessageIn()).toBe('抱歉，只有群管理员可以这样做。');
    expect(await h.db.prisma.groupBuy.count()).toBe(0);
  });

  it('works only in a group chat', async () => {
    await h.command(anna, `/newbuy ${englishExample}`, { chat: 'private' });
    expect(h.dmsTo(anna)).toEqual(['This command works in a group chat.']);
    expect(await h.db.prisma.groupBuy.count()).toBe(0);
  });

  it('opens one buy when the same update arrives twice', async () => {
    await h.command(anna, `/newbuy ${englishExample}`);
    const again = await h.resend();
    expect(again).toEqual({ replies: [], duplicate: true });
    expect(await h.db.prisma.groupBuy.count()).toBe(1);
    expect(deadlineJobs()).toHaveLength(1);
  });
});
