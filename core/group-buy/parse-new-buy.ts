import { UserError } from '../errors.js';
import { parsePriceCents } from '../money.js';
import { parseWhen } from '../time/parse-when.js';
import type { Tier } from './pricing.js';
import type { Variant } from './records.js';
import { deriveProductKey, parseProductKey } from './product-key.js';

/** A buy as an admin described it, validated. */
export interface NewBuySpec {
  title: string;
  unitPriceCents: number;
  minUnits: number;
  maxUnits: number;
  endsAt: Date;
  perMemberLimit?: number;
  tiers: Tier[];
  pickup?: string;
  /** The product it sells (given, or derived from the title). */
  productKey: string;
  description?: string;
  /** The product's photo (a platform file id), attached to /newbuy. */
  photoFileId?: string;
  /** Variants (规格) with their own price and stock; empty for a one-price buy. */
  variants?: Variant[];
}

type Field = 'min' | 'max' | 'ends' | 'limit' | 'tiers' | 'pickup' | 'product' | 'variants' | 'description';

/** Keywords per field, English and Chinese; matched case-insensitively at the start of a part. */
const keywords: Record<Field, string[]> = {
  min: ['min', 'minimum', '最少', '最低', '起团', '成团'],
  max: ['max', 'maximum', '最多', '上限'],
  ends: ['ends', 'end', 'until', 'deadline', '截止', '截团', '结束'],
  limit: ['limit', '限购', '每人限购'],
  tiers: ['tiers', 'tier', '阶梯', '阶梯价'],
  pickup: ['pickup', 'pick-up', '自提', '自提点', '取货'],
  product: ['product', 'sku', '商品编码', '品类', '产品'],
  variants: ['variants', 'variant', 'options', '规格', '款式', '口味'],
  description: ['description', 'desc', 'about', '描述', '介绍', '说明'],
};

/** A description is at most this long (characters): it is one line of the card. */
export const DESCRIPTION_MAX_LENGTH = 500;
/** A pickup place or time is at most this long (characters). */
export const PICKUP_MAX_LENGTH = 200;

/** A description as stored: whitespace runs become one space; refused (not cut) when longer than the card allows. */
export function checkedDescription(raw: string): string {
  const description = raw.replace(/\s+/g, ' ').trim();
  const length = [...description].length;
  if (length > DESCRIPTION_MAX_LENGTH) throw new UserError('newbuy.description_too_long', { max: DESCRIPTION_MAX_LENGTH, length });
  return description;
}

/** A pickup as stored; refused (not cut) when longer than PICKUP_MAX_LENGTH. */
export function checkedPickup(raw: string): string {
  const pickup = raw.replace(/\s+/g, ' ').trim();
  const length = [...pickup].length;
  if (length > PICKUP_MAX_LENGTH) throw new UserError('newbuy.pickup_too_long', { max: PICKUP_MAX_LENGTH, length });
  return pickup;
}

/** At most this many variants: one Join button each, and a card that still fits a screen. */
export const MAX_VARIANTS = 10;

/**
 * Parses variants as `name:price:stock` separated by spaces or commas: `小份:10:20 大份:18:10`,
 * `small:10:20, large:18:10` (full-width colons and commas too). Names are unique (case-insensitive), at most 20
 * characters, and not a number (so `/join 2 大份` can tell the quantity from the variant).
 */
export function parseVariants(value: string): Variant[] {
  const items = value.replace(/[：]/g, ':').split(/[\s,，、;；]+/).filter(Boolean);
  const variants: Variant[] = [];
  for (const item of items) {
    const m = item.match(/^(.+):([^:]+):(\d+)$/);
    const priceCents = m ? parsePriceCents(m[2]!) : undefined;
    const name = m?.[1]!.trim() ?? '';
    const stock = m ? Number(m[3]) : 0;
    if (!m || priceCents === undefined || !name || name.length > 20 || /^[#＃]?\d+$/.test(name) || stock < 1 || stock > MAX_UNITS) {
      throw new UserError('newbuy.bad_variants', { value: item });
    }
    if (variants.some((v) => v.name.toLowerCase() === name.toLowerCase())) throw new UserError('newbuy.duplicate_variant', { name });
    variants.push({ name, priceCents, stock });
  }
  if (variants.length === 0) throw new UserError('newbuy.bad_variants', { value });
  if (variants.length > MAX_VARIANTS) throw new UserError('newbuy.too_many_variants', { max: MAX_VARIANTS });
  return variants;
}

const MAX_DEADLINE_MS = 90 * 86_400_000;
const MAX_UNITS = 100_000;

/** Splits on ASCII and full-width bars. */
export function splitParts(args: string): string[] {
  return args.split(/[|｜]/).map((p) => p.trim());
}

/** Recognises `<keyword> <value>` (space, colon or nothing between them for Chinese keywords). */
export function matchField(part: string): { field: Field; value: string } | undefined {
  const lower = part.toLowerCase();
  const candidates = Object.entries(keywords).flatMap(([field, words]) => words.map((w) => ({ field: field as Field, w })));
  candidates.sort((a, b) => b.w.length - a.w.length);
  for (const { field, w } of candidates) {
    if (!lower.startsWith(w)) continue;
    const rest = part.slice(w.length);
    const isCjk = /[\u4e00-\u9fff]$/.test(w);
    if (!isCjk && rest.length > 0 && !/^[\s:：=]/.test(rest)) continue;
    return { field, value: rest.replace(/^[\s:：=]+/, '').trim() };
  }
  return undefined;
}

/** Parses a whole number >= 1 for a field; throws a UserError naming the field otherwise. */
export function parseCount(field: string, value: string): number {
  if (!/^\d+$/.test(value.trim())) throw new UserError('newbuy.bad_number', { field, value });
  const n = Number(value.trim());
  if (n < 1 || n > MAX_UNITS) throw new UserError('newbuy.bad_number', { field, value });
  return n;
}

/** Parses `20:35.9,40:32.9` (also with full-width punctuation) into tiers sorted by units. */
export function parseTiers(value: string, basePriceCents: number): Tier[] {
  const normalised = value.replace(/[，、;；]/g, ',').replace(/[：]/g, ':');
  const tiers: Tier[] = [];
  for (const raw of normalised.split(',').map((s) => s.trim()).filter(Boolean)) {
    const m = raw.match(/^(\d+)\s*[:=@]\s*(.+)$/);
    const priceCents = m ? parsePriceCents(m[2]!) : undefined;
    if (!m || priceCents === undefined) throw new UserError('newbuy.bad_tiers', { value });
    tiers.push({ minUnits: Number(m[1]), priceCents });
  }
  if (tiers.length === 0) throw new UserError('newbuy.bad_tiers', { value });
  for (let i = 0; i < tiers.length; i++) {
    const t = tiers[i]!;
    const prev = tiers[i - 1];
    if (t.minUnits < 2 || t.priceCents >= basePriceCents) throw new UserError('newbuy.bad_tiers', { value });
    if (prev && (t.minUnits <= prev.minUnits || t.priceCents >= prev.priceCents)) throw new UserError('newbuy.bad_tiers', { value });
  }
  return tiers;
}

/** Parses a deadline and checks it is in the future and within 90 days. */
export function parseDeadline(value: string, now: Date, timeZone: string, formatted: (d: Date) => string): Date {
  const at = parseWhen(value, now, timeZone);
  if (!at) throw new UserError('newbuy.bad_when', { value });
  if (at.getTime() <= now.getTime()) throw new UserError('newbuy.when_past', { value: formatted(at) });
  if (at.getTime() - now.getTime() > MAX_DEADLINE_MS) throw new UserError('newbuy.when_too_far');
  return at;
}

/** A buy's fields as given: typed by a form (Discord), or read from the one-line text form. */
export interface NewBuyFields {
  title?: string;
  price?: string;
  min?: number | string;
  max?: number | string;
  ends?: string;
  limit?: number | string;
  tiers?: string;
  pickup?: string;
  product?: string;
  variants?: string;
  description?: string;
  /** A photo sent with the command (Telegram: the command as a photo's caption; Discord: the photo option). */
  photoFileId?: string;
}

/**
 * Reads the one-line form into fields:
 * `<title> | <price> | min <n> | max <n> | ends <when> [| limit <n>] [| tiers <n>:<price>,...] [| pickup <text>] [| product <key>]`
 * (Chinese keywords 最少, 最多, 截止, 限购, 阶梯, 自提, 商品编码/品类 work too). Empty text means no fields (the guided dialogue).
 * Throws a UserError saying what is wrong, in the order the checks read the line.
 */
export function newBuyFields(args: string): NewBuyFields {
  if (!args.trim()) return {};
  const parts = splitParts(args);
  if (parts.length < 2 || !parts[0]) throw new UserError('newbuy.usage');
  // Title and price are checked with the other fields (validateNewBuy), as a typed form's would be. A buy with
  // variants may leave the price out (each variant has its own): `月饼 | 规格 小份:10:20 大份:18:10 | ...`.
  const priceGiven = !(matchField(parts[1]!)?.field === 'variants');
  const fields: NewBuyFields = { title: parts[0], ...(priceGiven ? { price: parts[1]! } : {}) };
  const seen = new Set<Field>();
  for (const part of parts.slice(priceGiven ? 2 : 1)) {
    if (!part) continue;
    const m = matchField(part);
    if (!m) throw new UserError('newbuy.unknown_part', { part });
    if (seen.has(m.field)) throw new UserError('newbuy.duplicate_part', { field: m.field });
    seen.add(m.field);
    fields[m.field] = m.value;
  }
  return fields;
}

function checkTitleAndPrice(title: string, price: string): number {
  if (title.length > 100) throw new UserError('newbuy.bad_title');
  const unitPriceCents = parsePriceCents(price);
  if (unitPriceCents === undefined) throw new UserError('newbuy.bad_price', { value: price });
  return unitPriceCents;
}

/** Whether any field was given (none: the guided dialogue starts). */
export function hasNewBuyFields(fields: NewBuyFields): boolean {
  return Object.values(fields).some((v) => v !== undefined && v !== '');
}

/** Checks the fields of a new buy and makes it; throws a UserError saying what is wrong. */
export function validateNewBuy(fields: NewBuyFields, now: Date, timeZone: string, formatted: (d: Date) => string): NewBuySpec {
  const variants = fields.variants !== undefined && fields.variants !== '' ? parseVariants(fields.variants) : [];
  const hasPrice = fields.price !== undefined && fields.price !== '';
  if (!fields.title || (!hasPrice && variants.length === 0)) throw new UserError('newbuy.usage');
  const title = fields.title;
  if (title.length > 100) throw new UserError('newbuy.bad_title');
  // With variants the buy's own price is the lowest variant's (what /buys shows as "from").
  const unitPriceCents = hasPrice ? checkTitleAndPrice(title, fields.price!) : Math.min(...variants.map((v) => v.priceCents));
  const text = (value: number | string | undefined) => (value === undefined ? undefined : String(value));
  // With variants, max defaults to their stock together (it can only be lower).
  const stockTotal = variants.reduce((sum, v) => sum + v.stock, 0);
  for (const field of ['min', 'max', 'ends'] as const) {
    if (field === 'max' && variants.length > 0) continue;
    if (!text(fields[field])) throw new UserError('newbuy.missing_field', { field });
  }
  const minUnits = parseCount('min', text(fields.min)!);
  const maxUnits = text(fields.max) ? parseCount('max', text(fields.max)!) : stockTotal;
  if (variants.length > 0 && maxUnits > stockTotal) throw new UserError('newbuy.max_above_stock', { max: maxUnits, stock: stockTotal });
  if (variants.length > 0 && fields.tiers !== undefined && fields.tiers !== '') throw new UserError('newbuy.tiers_with_variants');
  if (maxUnits < minUnits) throw new UserError('newbuy.max_below_min', { min: minUnits, max: maxUnits });
  const endsAt = parseDeadline(fields.ends!, now, timeZone, formatted);

  let perMemberLimit: number | undefined;
  if (fields.limit !== undefined) {
    perMemberLimit = parseCount('limit', text(fields.limit)!);
    if (perMemberLimit > maxUnits) throw new UserError('newbuy.limit_above_max', { limit: perMemberLimit, max: maxUnits });
  }
  const tiers = fields.tiers !== undefined ? parseTiers(fields.tiers, unitPriceCents) : [];
  for (const tier of tiers) {
    if (tier.minUnits > maxUnits) throw new UserError('newbuy.tier_above_max', { units: tier.minUnits, max: maxUnits });
  }
  const pickup = fields.pickup !== undefined ? checkedPickup(fields.pickup) || undefined : undefined;
  const productKey = fields.product !== undefined && fields.product !== '' ? parseProductKey(fields.product) : deriveProductKey(title);
  const description = fields.description !== undefined ? checkedDescription(fields.description) || undefined : undefined;
  return { title, unitPriceCents, minUnits, maxUnits, endsAt, perMemberLimit, tiers, pickup, productKey, description, photoFileId: fields.photoFileId, variants };
}

/** Parses and checks the one-line form (see newBuyFields). */
export function parseNewBuy(args: string, now: Date, timeZone: string, formatted: (d: Date) => string): NewBuySpec {
  return validateNewBuy(newBuyFields(args), now, timeZone, formatted);
}
