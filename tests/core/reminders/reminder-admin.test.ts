import { describe, expect, it } from 'vitest';
import { DAY, GROUP, alice, anna, bob, laoLi, useCoreHarness, wang } from '../../support/core-harness.js';
import { deliveredBuy, remindersTo } from './reminder-support.js';

describe('/product and /products', () => {
  const h = useCoreHarness();

  it.each([
    ['/product nope lasts 14d', 'No buy or purchase of this group has the product "nope". /products lists the keys. Nothing was changed.'],
    ['/product tea lasts 0d', '"0d" is not how long one unit lasts: write days from 1 to 365, e.g. 14d or 2w. Nothing was changed.'],
    ['/product tea lasts 1000d', '"1000d" is not how long one unit lasts: write days from 1 to 365, e.g. 14d or 2w. Nothing was changed.'],
    ['/product tea lasts forever', '"forever" is not how long one unit lasts: write days from 1 to 365, e.g. 14d or 2w. Nothing was changed.'],
    ['/product tea lead 45d', '"45d" is not a lead time: write days from 0 to 30, e.g. 3d. Nothing was changed.'],
    ['/product tea sometimes', 'Usage: /product <key> [lasts 14d | durable | consumable | lead 3d | #<buy-id>]. /products lists the keys. Nothing was changed.'],
    ['/product milk/900 lasts 3d', '"milk/900" is not a product key. Use letters, digits, Chinese characters, - _ or . (at most 40), e.g. milk-900g. Nothing was changed.'],
  ])('refuses %j in words and changes nothing', async (command, refusal) => {
    await deliveredBuy(h, [alice]);
    await h.command(anna, command);
    expect(h.lastMessageIn()).toBe(refusal);
    expect(await h.db.prisma.product.count()).toBe(0);
  });

  it('refuses in Chinese to a Chinese admin', async () => {
    await deliveredBuy(h, [alice]);
    await h.command(laoLi, '/product tea lasts 2年');
    expect(h.lastMessageIn()).toBe('“2年”不是有效的可用时长：请写 1 到 365 天，例如 14天 或 2周。没有做任何更改。');
  });

  it('is for admins only', async () => {
    await deliveredBuy(h, [alice]);
    await h.command(bob, '/product tea lasts 14d');
    expect(h.lastMessageIn()).toBe('Sorry, only group admins can do that.');
    expect(await h.db.prisma.product.count()).toBe(0);
  });

  it('lists the products with what was set and what was learned', async () => {
    await deliveredBuy(h, [alice, bob]);
    await h.advance(8 * DAY);
    await deliveredBuy(h, [alice, bob]);
    await h.advance(8 * DAY);
    await deliveredBuy(h, [alice]);
    await deliveredBuy(h, [wang], 'Rice cooker');
    await h.command(anna, '/product rice-cooker not consumable');
    await h.command(anna, '/product tea lead 2d');
    await h.command(anna, '/products');
    expect(h.lastMessageIn()).toBe(
      [
        'Products:',
        '• rice-cooker: not a consumable (no reminders); learned: not enough repeat purchases yet; 1 purchases here',
        '• tea: how long one unit lasts: not set; learned: about 8 days per unit (2 buyers); reminders 2 days before running out; 5 purchases here',
        'Change one with /product <key> lasts 14d, durable, consumable or lead 3d.',
      ].join('\n'),
    );
  });

  it('moves a buy to another product, its purchases with it', async () => {
    const id = await deliveredBuy(h, [alice], 'Green tea 250g');
    await h.command(anna, `/product tea #${id}`);
    expect(h.lastMessageIn()).toBe(`Buy #${id} now sells the product "tea"; its purchases count for it.`);
    expect((await h.buy(id))?.productKey).toBe('tea');
    expect(await h.db.prisma.purchase.findMany({ select: { product: true } })).toEqual([{ product: 'tea' }]);
    await h.command(anna, '/product tea lasts 4d');
    await h.advance(1 * DAY, { runDueJobs: true });
    expect(remindersTo(h, alice)).toHaveLength(1);
  });
});

describe('/churn', () => {
  const h = useCoreHarness();

  /** Alice buys every 12 days three times; Wang every 12 days until recently; Bob once. */
  async function history(): Promise<void> {
    await deliveredBuy(h, [alice, wang, bob]);
    for (let i = 0; i < 2; i++) {
      await h.advance(12 * DAY);
      await deliveredBuy(h, [alice, wang]);
    }
    for (let i = 0; i < 3; i++) {
      await h.advance(12 * DAY);
      await deliveredBuy(h, [wang]);
    }
    await h.advance(5 * DAY); // Alice's last order was 41 days ago, Wang's 5.
  }

  it('lists the members at risk privately, each with its reason in words', async () => {
    await history();
    await h.command(anna, '/churn');
    expect(h.lastMessageIn()).toBe("Anna, I've sent it to you privately.");
    const lines = h.dmsTo(anna).at(-1)!.split('\n');
    expect(lines[0]).toBe('Members at risk of not buying within 30 days in Strawberry friends:');
    expect(lines[1]).toMatch(/^• Alice: usually buys every 12 days, last order 41 days ago \(risk \d+%\)$/);
    expect(lines.slice(2)).toEqual(['1 member with one purchase has no usual pace yet and is not rated.']);
  });

  it('leaves out members who left the group', async () => {
    await history();
    await h.send({ key: h.nextKey(), platform: 'tg', kind: 'member_left', actor: alice, chat: GROUP, at: h.clock.now() });
    await h.command(laoLi, '/churn');
    expect(h.dmsTo(laoLi).at(-1)).toBe(['Strawberry friends 中 30 天内可能不再购买的成员：', '目前没有流失风险高的成员。', '1 位成员只买过一次，还没有购买节奏，不做评估。'].join('\n'));
  });

  it('sends a weekly digest to the admins who ask for it, until they stop it', async () => {
    await history();
    await h.command(anna, '/churn weekly on');
    expect(h.lastMessageIn()).toBe("OK: you'll get the churn-risk digest privately every Monday at 09:00.");
    await h.command(anna, '/churn weekly sometimes');
    expect(h.lastMessageIn()).toBe('Usage: /churn, or /churn weekly on|off for a Monday digest sent to you. Nothing was changed.');
    const before = h.dmsTo(anna).length;
    await h.advance(7 * DAY, { runDueJobs: true });
    expect(h.dmsTo(anna).slice(before).map((text) => text.split('\n')[0])).toEqual(['Weekly churn-risk digest.']);
    // The same week's job run again (a retry) sends nothing more.
    const sent = h.scheduler.jobs.filter((j) => j.name === 'reminder.churn_digest')[0]!;
    await h.core.runJob(sent.name, sent.data);
    expect(h.dmsTo(anna).slice(before)).toHaveLength(1);
    await h.command(anna, '/churn weekly off');
    await h.advance(14 * DAY, { runDueJobs: true });
    expect(h.dmsTo(anna).slice(before)).toHaveLength(1);
  });

  it('ignores purchases dated in the future', async () => {
    await history();
    // A purchase recorded with a delivery date ahead of the clock (a wrong server clock, an import): not a recent order.
    const { id } = await h.db.prisma.groupBuy.findFirstOrThrow();
    await h.db.prisma.purchase.create({
      data: { memberId: alice.id, groupId: GROUP.id, buyId: id, product: 'tea', quantity: 1, unitPriceCents: 1000, purchasedAt: new Date(h.clock.now().getTime() + 5 * DAY), deliveredAt: new Date(h.clock.now().getTime() + 5 * DAY) },
    });
    await h.command(anna, '/churn');
    expect(h.dmsTo(anna).at(-1)!.split('\n')[1]).toMatch(/^• Alice: usually buys every 12 days, last order 41 days ago/);
  });
});
