import { describe, expect, it } from 'vitest';
import { predictChurn, predictNextOrders, type ProductFacts, type PurchaseFact } from '../../../core/reminders/predict.js';
import { simulateHouseholds } from '../../../bench/sim/households.js';
import { actualOrderDays, pairKey, scoreChurn, scoreTiming, trueNextOrders } from '../../../bench/sim/reminder-metrics.js';

const DAY = 86_400_000;
const START = Date.UTC(2026, 0, 1, 10);
const day = (n: number) => new Date(START + n * DAY);
const NO_FACTS = new Map<string, ProductFacts>();

/** A member buying `product` on the given days, one unit each unless `quantities` says otherwise. */
function buys(memberId: string, product: string, days: number[], quantities: number[] = []): PurchaseFact[] {
  return days.map((d, i) => ({ memberId, product, at: day(d), quantity: quantities[i] ?? 1, source: 'buy' as const }));
}

/** Twenty buyers of milk whose unit lasts 8-12 days, each with their own pace, phase and day-to-day scatter. */
function milkBuyers(): PurchaseFact[] {
  const out: PurchaseFact[] = [];
  const scatter = [1.2, -0.8, 0.4, -1.3, 0.9, -0.4];
  for (let m = 0; m < 20; m++) {
    const pace = 8 + (m % 5);
    let at = m;
    const days = scatter.map((s, i) => (at += i === 0 ? 0 : pace + s * (1 + (m % 3) / 2)));
    out.push(...buys(`b${m}`, 'milk', days));
  }
  return out;
}

const find = (orders: ReturnType<typeof predictNextOrders>, memberId: string, product = 'milk') => {
  const order = orders.find((o) => o.memberId === memberId && o.product === product);
  if (!order) throw new Error(`no prediction for ${memberId}/${product}`);
  return order;
};

describe('predictNextOrders', () => {
  const asOf = day(80);

  it('scales with the quantity last bought: two cans last about twice as long as one', () => {
    const history = [...milkBuyers(), ...buys('one', 'milk', [70]), ...buys('two', 'milk', [70], [2])];
    const orders = predictNextOrders(history, NO_FACTS, asOf);
    const daysAfter = (memberId: string) => (find(orders, memberId).medianOrderAt!.getTime() - day(70).getTime()) / DAY;
    expect(daysAfter('one')).toBeGreaterThan(8);
    expect(daysAfter('one')).toBeLessThan(12);
    expect(daysAfter('two') / daysAfter('one')).toBeCloseTo(2, 5);
  });

  it('learns per unit from intervals after multi-unit orders', () => {
    const history = [...milkBuyers(), ...buys('bulk', 'milk', [0, 40, 80], [4, 4, 1])];
    const order = find(predictNextOrders(history, NO_FACTS, day(80)), 'bulk');
    expect(order.unitDays).toBeGreaterThan(9);
    expect(order.unitDays).toBeLessThan(10.5);
  });

  it('draws a member with little history toward the product, and trusts a long history', () => {
    const history = [
      ...milkBuyers(), ...buys('fresh', 'milk', [70]), ...buys('new', 'milk', [40, 60]), ...buys('old', 'milk', [-100, -80, -60, -40, -20, 0, 20, 40, 60]),
    ];
    const orders = predictNextOrders(history, NO_FACTS, asOf);
    const product = find(orders, 'fresh').unitDays; // no interval of their own: the product's pace
    expect(product).toBeGreaterThan(9);
    expect(product).toBeLessThan(11);
    const newcomer = find(orders, 'new');
    const regular = find(orders, 'old');
    expect(newcomer.unitDays).toBeGreaterThan(product + 1);
    expect(newcomer.unitDays).toBeLessThan(regular.unitDays - 1);
    expect(regular.unitDays).toBeGreaterThan(18.5);
    expect(regular.unitDays).toBeLessThanOrEqual(20);
    expect(regular.basis).toBe('member');
  });

  it('is not thrown by one long gap (a holiday, a restock bought elsewhere)', () => {
    const history = [...milkBuyers(), ...buys('m', 'milk', [0, 10, 20, 30, 90, 100, 110])];
    const order = find(predictNextOrders(history, NO_FACTS, day(112)), 'm');
    expect(order.unitDays).toBeGreaterThan(9.5);
    expect(order.unitDays).toBeLessThan(11.5);
  });

  it('keeps the product pace when one buyer is far off the others', () => {
    const outlier = buys('slow', 'milk', [0, 200, 400, 600]);
    const orders = predictNextOrders([...milkBuyers(), ...outlier, ...buys('new', 'milk', [70])], NO_FACTS, asOf);
    expect(find(orders, 'new').unitDays).toBeGreaterThan(9);
    expect(find(orders, 'new').unitDays).toBeLessThan(11.5);
  });

  it('restarts the clock at a "bought elsewhere" answer, which teaches no interval', () => {
    const own = buys('m', 'milk', [0, 10, 20, 30, 40]);
    const withAnswer = [...milkBuyers(), ...own, { memberId: 'm', product: 'milk', at: day(55), source: 'elsewhere' as const }];
    const before = find(predictNextOrders([...milkBuyers(), ...own], NO_FACTS, day(56)), 'm');
    const after = find(predictNextOrders(withAnswer, NO_FACTS, day(56)), 'm');
    expect(after.unitDays).toBeCloseTo(before.unitDays, 10);
    expect((after.medianOrderAt!.getTime() - day(55).getTime()) / DAY).toBeCloseTo(after.unitDays, 5);
    expect(after.nextOrderAt.getTime()).toBeGreaterThan(day(60).getTime());
  });

  it('never dates the next order before asOf, and ignores purchases after it', () => {
    const history = [...milkBuyers(), ...buys('late', 'milk', [0, 10, 20, 30]), ...buys('late', 'milk', [90])];
    const order = find(predictNextOrders(history, NO_FACTS, day(60)), 'late');
    expect(order.nextOrderAt.getTime()).toBeGreaterThanOrEqual(day(60).getTime());
    expect(order.medianOrderAt!.getTime()).toBeLessThan(day(60).getTime());
  });

  it('uses what the admin set for a product nobody has rebought, and skips durables', () => {
    const history = [...buys('m', 'cat-food', [70]), ...buys('m', 'rice-cooker', [70])];
    const facts = new Map<string, ProductFacts>([
      ['cat-food', { key: 'cat-food', unitDays: 20, consumable: true }],
      ['rice-cooker', { key: 'rice-cooker', consumable: false }],
    ]);
    const orders = predictNextOrders(history, facts, asOf);
    expect(orders.map((o) => o.product)).toEqual(['cat-food']);
    expect(orders[0]!.basis).toBe('admin');
    expect((orders[0]!.medianOrderAt!.getTime() - day(70).getTime()) / DAY).toBeCloseTo(20, 5);
    expect(predictNextOrders(buys('m', 'unknown', [70]), NO_FACTS, asOf)).toEqual([]);
  });
});

describe('predictChurn', () => {
  const regulars = (offset: number) => [...Array(15).keys()].flatMap((m) => buys(`r${m}`, 'milk', [0, 10, 20, 30, 40, 50, 60].map((d) => d + offset + m / 3)));

  it('sees a regular who is due as active, and one silent for many intervals as gone', () => {
    const history = [...regulars(0), ...buys('due', 'milk', [0, 10, 20, 30, 40, 50, 60]), ...buys('gone', 'milk', [0, 10, 20])];
    const risks = new Map(predictChurn(history, day(68), 30).map((r) => [r.memberId, r]));
    expect(risks.get('due')!.churnRisk).toBeLessThan(0.3);
    expect(risks.get('due')!.expectedOrders).toBeGreaterThan(1.5);
    expect(risks.get('gone')!.churnRisk).toBeGreaterThan(0.9);
    expect(risks.get('gone')!.nextOrderAt).toBeNull();
    expect(risks.get('due')!.nextOrderAt!.getTime()).toBeGreaterThanOrEqual(day(68).getTime());
  });

  it('risks less over a longer horizon', () => {
    const history = [...regulars(0), ...buys('m', 'milk', [0, 10, 20, 30, 40, 50, 60])];
    const at = (h: number) => predictChurn(history, day(62), h).find((r) => r.memberId === 'm')!;
    expect(at(60).churnRisk).toBeLessThan(at(5).churnRisk);
    expect(at(60).expectedOrders).toBeGreaterThan(at(5).expectedOrders);
  });

  it('is calibrated on simulated households: mean risk matches the share who buy nothing, totals match', () => {
    const group = simulateHouseholds({ seed: 11, households: 800, historyDays: 365, futureDays: 60 });
    const history = group.purchases.filter((p) => p.at <= group.asOf);
    const score = scoreChurn(predictChurn(history, group.asOf, 30), actualOrderDays(group.purchases, group.asOf, 30));
    expect(Math.abs(score.meanRisk - score.churnedShare)).toBeLessThan(0.04);
    expect(Math.abs(score.predictedTotal - score.actualTotal) / score.actualTotal).toBeLessThan(0.1);
    expect(score.auc).toBeGreaterThan(0.85);
  });

  it('times reminders within the week before the true next order for most simulated households', () => {
    const group = simulateHouseholds({ seed: 11, households: 800, historyDays: 365, futureDays: 365 });
    const history = group.purchases.filter((p) => p.at <= group.asOf);
    const predicted = new Map(predictNextOrders(history, NO_FACTS, group.asOf).map((o) => [pairKey(o.memberId, o.product), o.nextOrderAt]));
    const score = scoreTiming(predicted, trueNextOrders(group.purchases, group.asOf));
    expect(score.pairs).toBeGreaterThan(300);
    expect(score.inWindow).toBeGreaterThan(0.45);
  });
});
