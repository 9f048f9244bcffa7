import { describe, expect, it } from 'vitest';
import { UserError } from '../../../core/errors.js';
import { matchField, parseNewBuy, parseTiers, splitParts } from '../../../core/group-buy/parse-new-buy.js';
import { formatDateTime } from '../../../core/time/parse-when.js';

// 2026-12-20 10:00 in Shanghai.
const now = new Date('2026-12-20T02:00:00Z');
const parse = (args: string, zone = 'Asia/Shanghai') => parseNewBuy(args, now, zone, (d) => formatDateTime(d, zone));

/** The UserError a parse throws, as key and parameters. */
function refusal(args: string): { key: string; params: unknown } {
  try {
    parse(args);
  } catch (error) {
    if (error instanceof UserError) return { key: error.key, params: error.params };
    throw error;
  }
  throw new Error(`expected "${args}" to be refused`);
}

describe('parseNewBuy', () => {
  it('reads the English example with every optional part', () => {
    expect(parse('Organic strawberries 1.5kg | 39.9 | min 10 | max 50 | ends 2h | limit 2 | tiers 20:35.9,40:32.9 | pickup East gate')).toEqual({
      title: 'Organic strawberries 1.5kg',
      productKey: 'organic-strawberries-1.5kg',
      unitPriceCents: 3990,
      minUnits: 10,
      maxUnits: 50,
      endsAt: new Date('2026-12-20T04:00:00Z'),
      perMemberLimit: 2,
      tiers: [
        { minUnits: 20, priceCents: 3590 },
        { minUnits: 40, priceCents: 3290 },
      ],
      pickup: 'East gate',
      description: undefined,
      photoFileId: undefined,
      variants: [],
    });
  });

  it('reads the Chinese example from the issue', () => {
    expect(parse('有机草莓 3斤装 | 39.9 | 最少 10 | 最多 50 | 截止 2h | 限购 2 | 阶梯 20:35.9,40:32.9')).toEqual({
      title: '有机草莓 3斤装',
      productKey: '有机草莓-3斤装',
      unitPriceCents: 3990,
      minUnits: 10,
      maxUnits: 50,
      endsAt: new Date('2026-12-20T04:00:00Z'),
      perMemberLimit: 2,
      tiers: [
        { minUnits: 20, priceCents: 3590 },
        { minUnits: 40, priceCents: 3290 },
      ],
      pickup: undefined,
      description: undefined,
      photoFileId: undefined,
      variants: [],
    });
  });

  it('accepts full-width bars, colons and commas, and Chinese keywords without a space', () => {
    const spec = parse('草莓｜¥39.9｜最少10｜最多：50｜截止：3天｜阶梯 20：35.9，40：32.9｜自提 小区东门');
    expect(spec).toMatchObject({ title: '草莓', unitPriceCents: 3990, minUnits: 10, maxUnits: 50, pickup: '小区东门' });
    expect(spec.endsAt).toEqual(new Date(now.getTime() + 3 * 86_400_000));
    expect(spec.tiers).toEqual([{ minUnits: 20, priceCents: 3590 }, { minUnits: 40, priceCents: 3290 }]);
  });

  it('reads an absolute deadline in the given time zone', () => {
    expect(parse('Tea | 10 | min 1 | max 5 | ends 2026-12-24 20:00').endsAt).toEqual(new Date('2026-12-24T12:00:00Z'));
    expect(parse('Tea | 10 | min 1 | max 5 | ends 2026-12-24 20:00', 'Europe/Berlin').endsAt).toEqual(new Date('2026-12-24T19:00:00Z'));
  });

  it('reads keywords in any case and parts in any order', () => {
    expect(parse('Tea | 10 | ENDS 90m | Max 5 | MIN 1')).toMatchObject({ minUnits: 1, maxUnits: 5, endsAt: new Date(now.getTime() + 90 * 60_000) });
  });

  it('has no limit, no tiers and no pickup when they are left out', () => {
    expect(parse('Tea | 10 | min 1 | max 5 | ends 2h')).toMatchObject({ perMemberLimit: undefined, tiers: [], pickup: undefined });
  });

  it.each([
    ['Tea', 'newbuy.usage'],
    [' | 10 | min 1 | max 5 | ends 2h', 'newbuy.usage'],
    [`${'x'.repeat(101)} | 10 | min 1 | max 5 | ends 2h`, 'newbuy.bad_title'],
    ['Tea | ten | min 1 | max 5 | ends 2h', 'newbuy.bad_price'],
    ['Tea | 0 | min 1 | max 5 | ends 2h', 'newbuy.bad_price'],
    ['Tea | 10 | max 5 | ends 2h', 'newbuy.missing_field'],
    ['Tea | 10 | min 1 | ends 2h', 'newbuy.missing_field'],
    ['Tea | 10 | min 1 | max 5', 'newbuy.missing_field'],
    ['Tea | 10 | min | max 5 | ends 2h', 'newbuy.missing_field'],
    ['Tea | 10 | min 0 | max 5 | ends 2h', 'newbuy.bad_number'],
    ['Tea | 10 | min 1.5 | max 5 | ends 2h', 'newbuy.bad_number'],
    ['Tea | 10 | min 10 | max 5 | ends 2h', 'newbuy.max_below_min'],
    ['Tea | 10 | min 1 | max 5 | ends someday', 'newbuy.bad_when'],
    ['Tea | 10 | min 1 | max 5 | ends 2026-12-19 20:00', 'newbuy.when_past'],
    ['Tea | 10 | min 1 | max 5 | ends 91d', 'newbuy.when_too_far'],
    ['Tea | 10 | min 1 | max 5 | ends 2h | limit 6', 'newbuy.limit_above_max'],
    ['Tea | 10 | min 1 | max 50 | ends 2h | tiers 20:12', 'newbuy.bad_tiers'],
    ['Tea | 10 | min 1 | max 50 | ends 2h | tiers 20:9,40:9.5', 'newbuy.bad_tiers'],
    ['Tea | 10 | min 1 | max 50 | ends 2h | tiers 40:9,20:8', 'newbuy.bad_tiers'],
    ['Tea | 10 | min 1 | max 50 | ends 2h | tiers cheap', 'newbuy.bad_tiers'],
    ['Tea | 10 | min 1 | max 50 | ends 2h | tiers 1:9', 'newbuy.bad_tiers'],
    ['Tea | 10 | min 1 | max 50 | ends 2h | tiers 60:9', 'newbuy.tier_above_max'],
    ['Tea | 10 | min 1 | max 5 | ends 2h | colour red', 'newbuy.unknown_part'],
    ['Tea | 10 | min 1 | max 5 | ends 2h | minute 3', 'newbuy.unknown_part'],
    ['Tea | 10 | min 1 | max 5 | ends 2h | min 2', 'newbuy.duplicate_part'],
  ])('refuses %j with %s', (args, key) => {
    expect(refusal(args).key).toBe(key);
  });

  it('names what is wrong in the refusal', () => {
    expect(refusal('Tea | 10 | max 5 | ends 2h').params).toEqual({ field: 'min' });
    expect(refusal('Tea | 10 | min 10 | max 5 | ends 2h').params).toEqual({ min: 10, max: 5 });
    expect(refusal('Tea | 10 | min 1 | max 5 | ends 2h | limit 6').params).toEqual({ limit: 6, max: 5 });
    expect(refusal('Tea | 10 | min 1 | max 5 | ends 2h | colour red').params).toEqual({ part: 'colour red' });
    expect(refusal('Tea | 10 | min 1 | max 5 | ends 2026-12-19 20:00').params).toEqual({ value: '2026-12-19 20:00' });
  });
});

describe('the product a buy sells', () => {
  it('is named with product, sku, 商品编码 or 品类, in lower case', () => {
    expect(parse('Milk 900g | 89 | min 1 | max 9 | ends 2h | product Milk-900g').productKey).toBe('milk-900g');
    expect(parse('Milk 900g | 89 | min 1 | max 9 | ends 2h | sku milk.900').productKey).toBe('milk.900');
    expect(parse('牛奶 | 89 | 最少 1 | 最多 9 | 截止 2h | 商品编码 牛奶900g').productKey).toBe('牛奶900g');
    expect(parse('牛奶 | 89 | 最少 1 | 最多 9 | 截止 2h | 品类：牛奶').productKey).toBe('牛奶');
  });

  it('is derived from the title when not named', () => {
    expect(parse('Organic Strawberries, 1.5 kg! | 10 | min 1 | max 9 | ends 2h').productKey).toBe('organic-strawberries-1.5-kg');
    expect(parse('东北大米 5kg | 10 | min 1 | max 9 | ends 2h').productKey).toBe('东北大米-5kg');
  });

  it.each(['milk 900g', 'milk/900', '-milk', 'x'.repeat(41)])('refuses the key %j, saying what a key may hold', (key) => {
    expect(refusal(`Milk | 89 | min 1 | max 9 | ends 2h | product ${key}`)).toEqual({ key: 'product.bad_key', params: { value: key, max: 40 } });
  });
});

describe('splitParts', () => {
  it('splits on ASCII and full-width bars and trims each part', () => {
    expect(splitParts(' a | b｜c ')).toEqual(['a', 'b', 'c']);
  });
});

describe('matchField', () => {
  it('needs a separator after an English keyword but not after a Chinese one', () => {
    expect(matchField('min 3')).toEqual({ field: 'min', value: '3' });
    expect(matchField('min: 3')).toEqual({ field: 'min', value: '3' });
    expect(matchField('最少3')).toEqual({ field: 'min', value: '3' });
    expect(matchField('minimal 3')).toBeUndefined();
  });

  it('prefers the longest keyword', () => {
    expect(matchField('每人限购 2')).toEqual({ field: 'limit', value: '2' });
    expect(matchField('阶梯价 20:9')).toEqual({ field: 'tiers', value: '20:9' });
  });
});

describe('parseTiers', () => {
  it('sorts nothing itself: tiers must already rise in units and fall in price', () => {
    expect(parseTiers('20:35.9, 40:32.9', 3990)).toEqual([{ minUnits: 20, priceCents: 3590 }, { minUnits: 40, priceCents: 3290 }]);
    expect(() => parseTiers('40:32.9,20:35.9', 3990)).toThrow(UserError);
  });

  it('refuses a tier at or above the base price', () => {
    expect(() => parseTiers('20:39.9', 3990)).toThrow(UserError);
  });
});

describe('variants (规格) in the one-line /newbuy', () => {
  it('reads name:price:stock in Chinese without a buy price; max defaults to the stock together', () => {
    const spec = parse('月饼礼盒 | 规格 小份:10:20 大份:18:10 | 最少 5 | 截止 2h | 描述 广式五仁，每盒 4 个');
    expect(spec.variants).toEqual([{ name: '小份', priceCents: 1000, stock: 20 }, { name: '大份', priceCents: 1800, stock: 10 }]);
    expect(spec).toMatchObject({ unitPriceCents: 1000, minUnits: 5, maxUnits: 30, description: '广式五仁，每盒 4 个' });
  });

  it('reads English keywords, commas and full-width colons, with a price and a lower max', () => {
    const spec = parse('Mooncakes | 12 | variants small：10：20, large:18:10 | min 5 | max 25 | ends 2h | description Cantonese style');
    expect(spec.variants!.map((v) => v.name)).toEqual(['small', 'large']);
    expect(spec).toMatchObject({ unitPriceCents: 1200, maxUnits: 25, description: 'Cantonese style' });
  });

  it('refuses a description or pickup over its limit, naming the limit and the length, rather than cutting it', () => {
    expect(refusal(`Tea | 10 | min 1 | max 5 | ends 2h | description ${'好'.repeat(501)}`)).toEqual({ key: 'newbuy.description_too_long', params: { max: 500, length: 501 } });
    expect(refusal(`Tea | 10 | min 1 | max 5 | ends 2h | pickup ${'x'.repeat(201)}`)).toEqual({ key: 'newbuy.pickup_too_long', params: { max: 200, length: 201 } });
    expect(parse(`Tea | 10 | min 1 | max 5 | ends 2h | description ${'好'.repeat(500)} | pickup ${'x'.repeat(200)}`)).toMatchObject({ description: '好'.repeat(500), pickup: 'x'.repeat(200) });
  });

  it('refuses what it cannot read, naming the allowed form and the limits', () => {
    expect(refusal('M | variants small:10 | min 1 | ends 2h')).toEqual({ key: 'newbuy.bad_variants', params: { value: 'small:10' } });
    expect(refusal('M | variants 2:10:5 | min 1 | ends 2h')).toEqual({ key: 'newbuy.bad_variants', params: { value: '2:10:5' } });
    expect(refusal('M | variants a:10:0 | min 1 | ends 2h')).toEqual({ key: 'newbuy.bad_variants', params: { value: 'a:10:0' } });
    expect(refusal('M | variants a:10:5 A:12:5 | min 1 | ends 2h')).toEqual({ key: 'newbuy.duplicate_variant', params: { name: 'A' } });
    expect(refusal('M | variants a:10:5 b:12:5 | min 1 | max 11 | ends 2h')).toEqual({ key: 'newbuy.max_above_stock', params: { max: 11, stock: 10 } });
    expect(refusal('M | variants a:10:5 b:12:5 | min 1 | ends 2h | tiers 5:9')).toEqual({ key: 'newbuy.tiers_with_variants', params: undefined });
    const eleven = Array.from({ length: 11 }, (_, i) => `v${i}:1:1`).join(' ');
    expect(refusal(`M | variants ${eleven} | min 1 | ends 2h`)).toEqual({ key: 'newbuy.too_many_variants', params: { max: 10 } });
  });

  it('keeps buys without variants as they were: a price is still required', () => {
    expect(refusal('M | min 1 | max 2 | ends 2h')).toMatchObject({ key: 'newbuy.bad_price' });
  });
});
