import { replyInChat, say, type HandlerContext } from '../context.js';
import { UserError } from '../errors.js';
import { parseBuyId } from '../group-buy/find-buy.js';
import { parseProductKey } from '../group-buy/product-key.js';
import { t } from '../i18n/translate.js';
import type { Language } from '../kernel/language.js';
import { parseDurationMs } from '../time/parse-when.js';
import { DAY_MS, DEFAULT_LEAD_DAYS, productFacts, productHistory, replanProduct } from './plan-reminder.js';
import { predictNextOrders } from './predict.js';
import type { ProductRecord } from './reminder-store.js';

/** What one unit may last, in days: shorter is a typo, longer is no consumable worth a reminder. */
export const UNIT_DAYS_RANGE = { min: 1, max: 365 } as const;
/** How many days before the run-out a reminder may go. */
export const LEAD_DAYS_RANGE = { min: 0, max: 30 } as const;

export type ProductSetting = 'show' | 'lasts' | 'durable' | 'consumable' | 'lead' | 'buy';

const settingWords: Record<Exclude<ProductSetting, 'buy'>, RegExp> = {
  show: /^(show|查看)$/i,
  lasts: /^(lasts|last|持续|可用|用)$/i,
  durable: /^(durable|nonconsumable|non-consumable|耐用品|耐用|非消耗品)$/i,
  consumable: /^(consumable|消耗品|易耗品)$/i,
  lead: /^(lead|提前)$/i,
};

/** Reads `/product <key> [lasts 14d | durable | not consumable | consumable | lead 3d | #<buy>]`. */
export function parseProductText(text: string): { key?: string; setting?: string; value?: string } {
  const tokens = text.trim().split(/\s+/).filter(Boolean);
  const key = tokens.shift();
  if (tokens[0] && /^[#＃]\d+$/.test(tokens[0])) return { key, setting: 'buy', value: tokens.slice(0).join(' ') };
  // "not consumable" / "不是消耗品" say durable in two words.
  if (tokens[0] && /^(not|non|不是|非)$/i.test(tokens[0]) && tokens[1] && settingWords.consumable.test(tokens[1])) return { key, setting: 'durable', ...(tokens.length > 2 ? { value: tokens.slice(2).join(' ') } : {}) };
  const setting = tokens.shift();
  return { ...(key ? { key } : {}), ...(setting ? { setting } : {}), ...(tokens.length ? { value: tokens.join(' ') } : {}) };
}

function settingOf(word: string | undefined): ProductSetting {
  if (!word) return 'show';
  if (word === 'buy') return 'buy';
  for (const [setting, re] of Object.entries(settingWords)) if (re.test(word)) return setting as ProductSetting;
  throw new UserError('product.usage');
}

/** Days as admins write them: `14d`, `2w`, `36h`, or a bare number of days. */
function parseDays(value: string | undefined, range: { min: number; max: number }, key: 'product.bad_lasts' | 'product.bad_lead'): number {
  const text = (value ?? '').trim();
  const ms = /^\d+(\.\d+)?$/.test(text) ? Number(text) * DAY_MS : text === '0' ? 0 : parseDurationMs(text);
  const days = ms === undefined ? undefined : ms / DAY_MS;
  if (days === undefined || !Number.isFinite(days) || days < range.min || days > range.max) throw new UserError(key, { value: text, min: range.min, max: range.max });
  return Math.round(days * 100) / 100;
}

/** What the bot has learned of a product's pace: the median days per unit over its buyers' predictions. */
async function learnedDays(ctx: HandlerContext, key: string, product: ProductRecord | null): Promise<{ days: number; members: number } | undefined> {
  const predicted = predictNextOrders(await productHistory(ctx, key), new Map([[key, productFacts(key, { ...(product ?? { groupId: '', key, leadDays: null }), unitDays: null, consumable: true })]]), ctx.now).filter(
    (n) => n.basis !== 'admin',
  );
  if (!predicted.length) return undefined;
  const sorted = predicted.map((n) => n.unitDays).sort((a, b) => a - b);
  return { days: Math.round(sorted[Math.floor(sorted.length / 2)]! * 10) / 10, members: predicted.length };
}

async function describeProduct(ctx: HandlerContext, lang: Language, key: string, product: ProductRecord | null, purchases: number): Promise<string> {
  const learned = await learnedDays(ctx, key, product);
  const parts = [
    product?.consumable === false
      ? t(lang, 'product.durable')
      : product?.unitDays
        ? t(lang, 'product.lasts_set', { days: product.unitDays })
        : t(lang, 'product.lasts_unset'),
    learned ? t(lang, 'product.learned', { days: learned.days, members: learned.members }) : t(lang, 'product.learned_none'),
    ...(product?.consumable === false ? [] : [t(lang, 'product.lead', { days: product?.leadDays ?? DEFAULT_LEAD_DAYS })]),
    t(lang, 'product.purchases', { count: purchases }),
  ];
  return t(lang, 'product.line', { key, details: parts.join(t(lang, 'product.separator')) });
}

/**
 * `/product <key> …` (admins): shows a product, or sets what one unit lasts, whether it is a consumable, the
 * reminder's lead time, or which product a buy sells (`/product milk-900g #12` corrects a derived key). Every
 * change plans the product's buyers' reminders again.
 */
export async function configureProduct(ctx: HandlerContext, input: { key?: string; setting?: string; value?: string }): Promise<void> {
  const group = ctx.group!;
  if (!input.key) throw new UserError('product.usage');
  const key = parseProductKey(input.key);
  const setting = settingOf(input.setting);
  if (setting === 'buy') {
    const buyId = parseBuyId(input.value ?? '');
    const buy = buyId === undefined ? null : await ctx.tx.getBuy(buyId, { lock: true });
    if (!buy || buy.groupId !== group.id) throw new UserError('buy.not_found', { id: buyId ?? 0 });
    const before = buy.productKey;
    await ctx.tx.updateBuy(buy.id, { productKey: key });
    await ctx.tx.relabelPurchases(buy.id, key);
    await ctx.tx.logAdminAction({ groupId: group.id, actorId: ctx.member.id, action: 'product.buy', detail: { buyId: buy.id, from: before, to: key }, at: ctx.now });
    if (before && before !== key) await replanProduct(ctx, group.id, before);
    await replanProduct(ctx, group.id, key);
    replyInChat(ctx, say(ctx, 'product.buy_set', { id: buy.id, key }));
    return;
  }
  const existing = await ctx.tx.reminders.getProduct(group.id, key);
  if (!existing && !(await ctx.tx.reminders.productKnown(group.id, key))) throw new UserError('product.unknown', { key });
  if (setting === 'show') {
    const purchases = (await ctx.tx.reminders.listPurchases({ product: key, groupId: group.id })).length;
    replyInChat(ctx, await describeProduct(ctx, ctx.lang, key, existing, purchases));
    return;
  }
  const patch =
    setting === 'lasts' ? { unitDays: parseDays(input.value, UNIT_DAYS_RANGE, 'product.bad_lasts'), consumable: true }
    : setting === 'lead' ? { leadDays: Math.round(parseDays(input.value, LEAD_DAYS_RANGE, 'product.bad_lead')) }
    : { consumable: setting === 'consumable' };
  const saved = await ctx.tx.reminders.saveProduct(group.id, key, patch);
  await ctx.tx.logAdminAction({ groupId: group.id, actorId: ctx.member.id, action: 'product.set', detail: { key, ...patch }, at: ctx.now });
  await replanProduct(ctx, group.id, key);
  const purchases = (await ctx.tx.reminders.listPurchases({ product: key, groupId: group.id })).length;
  replyInChat(ctx, `${say(ctx, 'product.saved')}\n${await describeProduct(ctx, ctx.lang, key, saved, purchases)}`);
}

/** `/products`: the group's products (named by buys, purchases or admins) with what was set and what was learned. */
export async function listProducts(ctx: HandlerContext): Promise<void> {
  const group = ctx.group!;
  const set = new Map((await ctx.tx.reminders.listProducts(group.id)).map((p) => [p.key, p]));
  const counts = new Map<string, number>();
  for (const p of await ctx.tx.reminders.listPurchases({ groupId: group.id })) counts.set(p.product, (counts.get(p.product) ?? 0) + 1);
  const keys = [...new Set([...set.keys(), ...counts.keys()])].sort();
  if (!keys.length) {
    replyInChat(ctx, say(ctx, 'product.none'));
    return;
  }
  const lines = [say(ctx, 'product.list_title')];
  for (const key of keys) lines.push(await describeProduct(ctx, ctx.lang, key, set.get(key) ?? null, counts.get(key) ?? 0));
  lines.push(say(ctx, 'product.list_footer'));
  replyInChat(ctx, lines.join('\n'));
}
