import { describe, expect, it } from 'vitest';
import { parseEditText } from '../../../core/group-buy/edit-group-buy.js';
import { alice, anna, bob, carol, laoLi, useCoreHarness, wang } from '../../support/core-harness.js';

const h = useCoreHarness();

describe('/editbuy grammar', () => {
  it('reads an optional buy id, the field and the value', () => {
    expect(parseEditText('#3 price 8')).toEqual({ buy: 3, field: 'price', value: '8' });
    expect(parseEditText('price 8')).toEqual({ field: 'price', value: '8' });
    expect(parseEditText('3 自提 东门 北侧')).toEqual({ buy: 3, field: '自提', value: '东门 北侧' });
  });
});

describe('/editbuy', () => {
  it('lowers the price, tells everyone signed up privately in their own language, re-renders the card and audits', async () => {
    await h.openBuy('Tea | 10 | min 2 | max 3 | ends 2h');
    await h.command(alice, '/join 2');
    await h.command(wang, '/join 1');
    await h.command(bob, '/join 1'); // waitlisted
    await h.command(anna, '/editbuy price 8');

    expect(h.lastMessageIn()).toBe('✏️ #1 changed (price: ¥10.00 → ¥8.00). 3 members were told privately.');
    expect(h.dmsTo(alice)).toEqual(['✏️ #1 Tea was changed by an admin: price: ¥10.00 → ¥8.00. Your sign-up stays as it is; /leave 1 if it no longer suits you.']);
    expect(h.dmsTo(wang)).toEqual(['✏️ 管理员修改了 #1 Tea：单价：¥10.00 → ¥8.00。你的报名保持不变；如不再合适，可发送 /leave 1 退出。']);
    expect(h.dmsTo(bob)).toHaveLength(1);
    expect(await h.cardText()).toContain('💰 Price: ¥8.00 per unit');
    expect((await h.buy(1))?.unitPriceCents).toBe(800);
    const audit = await h.db.prisma.adminAction.findMany({ where: { action: 'buy.edit' } });
    expect(audit.map((a) => a.detail)).toEqual([{ buyId: 1, field: 'price', from: 1000, to: 800 }]);
  });

  it('refuses a price raise naming the rule, in the admin language, and changes nothing', async () => {
    await h.openBuy('Tea | 10 | min 2 | max 3 | ends 2h');
    await h.command(alice, '/join 2');
    await h.command(anna, '/editbuy #1 price 12');
    expect(h.lastMessageIn()).toBe('The price of #1 can only go down: members joined at the current price. Send a lower price. Nothing was changed.');
    await h.command(laoLi, '/editbuy 价格 12');
    expect(h.lastMessageIn()).toBe('#1 的单价只能降低：成员是按当前价格参团的。请发送更低的价格。没有任何改动。');
    await h.command(anna, '/editbuy price cheap');
    expect(h.lastMessageIn()).toBe('"cheap" is not a price. Write it like 39.9 (greater than 0, at most 2 decimals).');
    expect((await h.buy(1))?.unitPriceCents).toBe(1000);
    expect(h.dmsTo(alice)).toEqual([]);
  });

  it('keeps the price above the tier prices', async () => {
    await h.openBuy('Tea | 10 | min 2 | max 10 | ends 2h | tiers 5:9,8:8.5');
    await h.command(anna, '/editbuy price 9');
    expect(h.lastMessageIn()).toBe('The price must stay above the tier prices (the highest is ¥9.00), so tiers remain a discount. Nothing was changed.');
    await h.command(anna, '/editbuy price 9.5');
    expect((await h.buy(1))?.unitPriceCents).toBe(950);
  });

  it('raising max moves waitlisted members in; lowering it below the units taken is refused', async () => {
    await h.openBuy('Tea | 10 | min 1 | max 2 | ends 2h');
    await h.command(alice, '/join 2');
    await h.command(carol, '/join 2');
    expect(await h.participants(1, 'waitlisted')).toEqual(['Carol ×2']);
    await h.command(anna, '/editbuy max 1');
    expect(h.lastMessageIn()).toBe('2 units of #1 are already taken: max can be 2 or more. Nothing was changed.');
    await h.command(anna, '/editbuy max 5');
    expect(await h.participants(1)).toEqual(['Alice ×2', 'Carol ×2']);
    expect(h.dmsTo(carol)).toContain('Good news: a place opened in #1 Tea. You are in with ×2.');
    expect(await h.cardText()).toContain('📦 ▓▓▓▓▓▓▓▓░░ 4/5 (min 1)');
  });

  it('changes min, the limit and the pickup, and clears the optional ones with off', async () => {
    await h.openBuy('Tea | 10 | min 2 | max 10 | ends 2h | limit 3');
    await h.command(anna, '/editbuy min 12');
    expect(h.lastMessageIn()).toBe('max (10) must be at least min (12).');
    expect((await h.buy(1))?.minUnits).toBe(2);
    await h.command(anna, '/editbuy min 4');
    await h.command(anna, '/editbuy limit off');
    await h.command(anna, '/editbuy pickup West gate, 6 pm');
    expect(h.lastMessageIn()).toBe('✏️ #1 changed (pickup: none → West gate, 6 pm). 0 members were told privately.');
    expect(await h.buy(1)).toMatchObject({ minUnits: 4, perMemberLimit: null, pickup: 'West gate, 6 pm' });
    await h.command(anna, '/editbuy pickup West gate, 6 pm');
    expect(h.lastMessageIn()).toBe('#1 already has that value. Nothing was changed.');
  });

  it('explains what it takes, and leaves photo and description alone here', async () => {
    await h.openBuy('Tea | 10 | min 2 | max 10 | ends 2h');
    await h.command(anna, '/editbuy colour red');
    expect(h.lastMessageIn()).toMatch(/^Usage: \/editbuy \[buy-id\] <what> <value>, where <what> is price \(only lower\), min, max, limit or pickup/);
    await h.command(laoLi, '/editbuy');
    expect(h.lastMessageIn()).toMatch(/^用法：\/editbuy \[团号\] <项目> <新值>/);
  });

  it('is for admins, and only while the buy is open', async () => {
    await h.openBuy('Tea | 10 | min 2 | max 10 | ends 2h');
    await h.command(alice, '/editbuy price 5');
    expect(h.lastMessageIn()).toBe('Sorry, only group admins can do that.');
    await h.command(anna, '/closebuy');
    await h.command(anna, '/editbuy #1 price 5');
    expect(h.lastMessageIn()).toBe('Buy #1 is failed: it no longer takes changes.');
    expect((await h.buy(1))?.unitPriceCents).toBe(1000);
  });
});
