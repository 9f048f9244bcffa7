/** Money is handled in integer cents so that sums are exact. */

/** Parses a price as users type it ("39.9", "39.90", "¥39.9", "39,9"); undefined when it is not a price > 0. */
export function parsePriceCents(input: string): number | undefined {
  const cleaned = input.trim().replace(/^[¥￥$€]/, '').replace(/元$/, '').replace(',', '.').trim();
  if (!/^\d{1,7}(\.\d{1,2})?$/.test(cleaned)) return undefined;
  const [whole, frac = ''] = cleaned.split('.');
  const cents = Number(whole) * 100 + Number(frac.padEnd(2, '0'));
  return cents > 0 ? cents : undefined;
}

/** Formats cents with the group's currency symbol: 3990 -> "¥39.90". */
export function formatMoney(cents: number, currency: string): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  return `${sign}${currency}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** Plain decimal for files (CSV): 3990 -> "39.90". */
export function formatDecimal(cents: number): string {
  return formatMoney(cents, '');
}
