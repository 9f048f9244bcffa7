/**
 * The small pieces of wording every message shares, one per language: counts with their plural, lists, durations
 * and ranges. Catalogs and use cases call these instead of joining with ", " or writing "2d" or "unit(s)", so
 * Chinese text gets Chinese units and punctuation (2天、小刚、小李) and English gets proper plurals (1 unit, 2 units).
 */
import type { Language } from '../kernel/language.js';

/**
 * A count with its English noun, singular for 1 and plural otherwise.
 * @example plural(1, 'unit') // "1 unit"; plural(3, 'unit') // "3 units"; plural(2, 'reply', 'replies')
 */
export function plural(count: number | string, singular: string, pluralForm = `${singular}s`): string {
  return `${count} ${Number(count) === 1 ? singular : pluralForm}`;
}

/**
 * Items as one list, e.g. names after a colon: "Bob, Carol, Dave" in English, "小刚、小李、小王" in Chinese (the
 * enumeration comma). `or` lists alternatives: "V2, V3 or V4", "V2、V3 或 V4".
 */
export function listOf(lang: Language, items: readonly string[], conjunction: 'and' | 'or' = 'and'): string {
  if (items.length <= 1) return items[0] ?? '';
  if (conjunction === 'and') return items.join(lang === 'zh-CN' ? '、' : ', ');
  const head = items.slice(0, -1);
  const last = items.at(-1)!;
  return lang === 'zh-CN' ? `${head.join('、')} 或 ${last}` : `${head.join(', ')} or ${last}`;
}

/**
 * Remarks on one thing, in brackets after it: " (paid, delivered)" in English, "（已付，已送达）" in Chinese
 * (full-width brackets and comma, no space). Empty when there is none.
 */
export function remarks(lang: Language, items: readonly string[]): string {
  if (items.length === 0) return '';
  return lang === 'zh-CN' ? `（${items.join('，')}）` : ` (${items.join(', ')})`;
}

/** Several states of one thing in a line: "formed, paid" / "已成团，已付款". */
export function statesOf(lang: Language, items: readonly string[]): string {
  return items.join(lang === 'zh-CN' ? '，' : ', ');
}

const MINUTE_MS = 60_000;

/**
 * A duration in words, largest units first, at minute precision: "2 days", "1 hour 30 minutes" in English,
 * "2天", "1小时30分钟" in Chinese. Zero reads "0 minutes" / "0分钟".
 */
export function formatDuration(lang: Language, ms: number): string {
  const total = Math.max(0, Math.round(ms / MINUTE_MS));
  const days = Math.floor(total / 1440);
  const hours = Math.floor((total % 1440) / 60);
  const minutes = total % 60;
  const parts: [number, string, string][] = [
    [days, 'day', '天'],
    [hours, 'hour', '小时'],
    [minutes, 'minute', '分钟'],
  ];
  const shown = parts.filter(([n]) => n > 0);
  if (shown.length === 0) shown.push([0, 'minute', '分钟']);
  return lang === 'zh-CN' ? shown.map(([n, , zh]) => `${n}${zh}`).join('') : shown.map(([n, en]) => plural(n, en)).join(' ');
}

/** What a setting's number measures, so its allowed range reads in words. */
export type SettingUnit = 'count' | 'points' | 'days' | 'hours' | 'minutes' | 'yuan' | 'characters';

/** One amount of a unit in words: "10 points", "3 days", "2 hours" ("积分"/"天"/"小时" in Chinese). */
export function formatAmount(lang: Language, unit: SettingUnit, n: number | string): string {
  const value = Number(n);
  if (Number.isFinite(value) && value !== 0) {
    if (unit === 'hours') return formatDuration(lang, value * 60 * MINUTE_MS);
    if (unit === 'minutes') return formatDuration(lang, value * MINUTE_MS);
    if (unit === 'days') return formatDuration(lang, value * 1440 * MINUTE_MS);
  }
  if (lang === 'zh-CN') {
    const zh: Record<SettingUnit, string> = { count: '', points: ' 积分', days: ' 天', hours: ' 小时', minutes: ' 分钟', yuan: ' 元', characters: ' 个字' };
    return `${n}${zh[unit] ?? ''}`;
  }
  const en: Record<SettingUnit, [string, string] | undefined> = {
    count: undefined, points: ['point', 'points'], days: ['day', 'days'], hours: ['hour', 'hours'], minutes: ['minute', 'minutes'],
    yuan: ['yuan', 'yuan'], characters: ['character', 'characters'],
  };
  const noun = en[unit];
  return noun ? plural(n, noun[0], noun[1]) : String(n);
}

const DURATION_MINUTES: Partial<Record<SettingUnit, number>> = { minutes: 1, hours: 60, days: 1440 };

/** An inclusive range in words: "from 0 to 10000 points", "0 积分 到 10000 积分", "from 0 days to 90 days". */
export function formatRange(lang: Language, unit: SettingUnit, min: number | string, max: number | string): string {
  const perUnit = DURATION_MINUTES[unit];
  if (perUnit && Number(min) === 0 && Number.isFinite(Number(max))) {
    // Zero reads in the unit the maximum is written in: "from 0 days to 90 days", not "from 0 hours to 90 days".
    const maxMinutes = Number(max) * perUnit;
    unit = maxMinutes % 1440 === 0 ? 'days' : maxMinutes % 60 === 0 ? 'hours' : 'minutes';
    max = maxMinutes / DURATION_MINUTES[unit]!;
  }
  return lang === 'zh-CN' ? `${formatAmount(lang, unit, min)} 到 ${formatAmount(lang, unit, max)}` : `from ${formatAmount(lang, unit, min)} to ${formatAmount(lang, unit, max)}`;
}
