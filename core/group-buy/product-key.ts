import { UserError } from '../errors.js';

/** The longest product key: short enough to type after `/product`, long enough for `milk-powder-900g-stage2`. */
export const MAX_PRODUCT_KEY_LENGTH = 40;

const KEY_PATTERN = /^[a-z0-9\u4e00-\u9fff][a-z0-9\u4e00-\u9fff._-]*$/;

/**
 * A product key as an admin typed it (`Milk-900g`, `牛奶`), lower-cased; throws a UserError naming what is allowed
 * (letters, digits, Chinese characters, `-`, `_`, `.`; at most 40) otherwise.
 */
export function parseProductKey(value: string): string {
  const key = value.trim().toLowerCase();
  if (!key || key.length > MAX_PRODUCT_KEY_LENGTH || !KEY_PATTERN.test(key)) throw new UserError('product.bad_key', { value: value.trim(), max: MAX_PRODUCT_KEY_LENGTH });
  return key;
}

/**
 * The key a buy gets when the admin names none: its title in lower case, words joined by `-`
 * (`Organic Strawberries 1.5kg` → `organic-strawberries-1.5kg`, `东北大米 5kg` → `东北大米-5kg`).
 */
export function deriveProductKey(title: string): string {
  const words = title.toLowerCase().split(/[^a-z0-9\u4e00-\u9fff.]+/).map((w) => w.replace(/^\.+|\.+$/g, '')).filter(Boolean);
  let key = '';
  for (const word of words) {
    const next = key ? `${key}-${word}` : word;
    if (next.length > MAX_PRODUCT_KEY_LENGTH) break;
    key = next;
  }
  return key || words[0]?.slice(0, MAX_PRODUCT_KEY_LENGTH) || 'item';
}
