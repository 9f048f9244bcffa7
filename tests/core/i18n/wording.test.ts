import { describe, expect, it } from 'vitest';
import { en } from '../../../core/i18n/en.js';
import { zhCN } from '../../../core/i18n/zh-CN.js';
import { formatDuration, formatRange, listOf, plural, remarks, statesOf } from '../../../core/i18n/words.js';

type Message = (params?: unknown) => string;

/**
 * Renders every message with realistic parameters: numbers 1 and 2 (to catch "1 units"), names, and lists of
 * several items, so text built from parameters (a list of names, a duration) is scanned too.
 */
function renderAll(catalog: Record<string, Message>, value: (name: string) => unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, message] of Object.entries(catalog)) {
    const params = new Proxy({}, { get: (_target, name) => (typeof name === 'string' ? value(name) : undefined) });
    out[key] = message(params);
  }
  return out;
}

const CJK = '[\\u3400-\\u9fff\\u3000-\\u303f\\uff00-\\uffef]';

describe('the Chinese catalog', () => {
  const samples = [1, 2].map((n) =>
    renderAll(zhCN as Record<string, Message>, (name) => {
      if (name === 'choices') return 'V2|V3|V4';
      if (name === 'unit') return 'days';
      if (/name|title|group|who|admin|product|key|value|clause|text|reason|quote|example|setting|source|perk|note|code/i.test(name)) return '小刚';
      if (/names/.test(name)) return '小刚、小李';
      return n;
    }),
  );

  it('has no ASCII comma or bracket between Chinese characters', () => {
    const offending: string[] = [];
    const ascii = new RegExp(`${CJK}\\s*[,(]\\s*${CJK}|${CJK}\\s*\\(|\\)\\s*${CJK}|${CJK},`);
    for (const sample of samples) for (const [key, text] of Object.entries(sample)) if (ascii.test(text)) offending.push(`${key}: ${text}`);
    expect(offending).toEqual([]);
  });

  it('writes no English unit words next to Chinese text (2d 内, 3 days, units)', () => {
    const offending: string[] = [];
    const englishUnit = new RegExp(`\\d\\s*(d|h|min|mins|s|days?|hours?|minutes?|units?|rows?|points?)\\s*${CJK}|\\b(units?|rows?|day\\(s\\)|unit\\(s\\)|member\\(s\\))\\b`);
    for (const sample of samples) for (const [key, text] of Object.entries(sample)) if (englishUnit.test(text)) offending.push(`${key}: ${text}`);
    expect(offending).toEqual([]);
  });
});

describe('the English catalog', () => {
  it('writes no "(s)" plurals and no "1 units": counts use the plural helper', () => {
    const one = renderAll(en as Record<string, Message>, (name) => (name === 'unit' ? 'count' : name === 'choices' ? 'a|b' : 1));
    const offending = Object.entries(one).filter(([, text]) => /\(s\)|(?<![/\d])\b1 (units|rows|members|photos|videos|reviews|days|shares|warnings|prompts|likes|buyers)\b/.test(text));
    expect(offending).toEqual([]);
  });
});

describe('wording helpers', () => {
  it('write plurals, lists, remarks, durations and ranges per language', () => {
    expect([plural(1, 'unit'), plural(2, 'unit'), plural(0, 'reply', 'replies')]).toEqual(['1 unit', '2 units', '0 replies']);
    expect(listOf('zh-CN', ['小刚', '小李'])).toBe('小刚、小李');
    expect(listOf('en', ['Bob', 'Carol'])).toBe('Bob, Carol');
    expect(listOf('en', ['V2', 'V3', 'V4'], 'or')).toBe('V2, V3 or V4');
    expect(listOf('zh-CN', ['V2', 'V3', 'V4'], 'or')).toBe('V2、V3 或 V4');
    expect(remarks('zh-CN', ['已付', '已送达'])).toBe('（已付，已送达）');
    expect(remarks('en', ['paid', 'delivered'])).toBe(' (paid, delivered)');
    expect(remarks('en', [])).toBe('');
    expect(statesOf('zh-CN', ['已成团', '已付款'])).toBe('已成团，已付款');
    expect(formatDuration('zh-CN', 2 * 86_400_000)).toBe('2天');
    expect(formatDuration('zh-CN', 90 * 60_000)).toBe('1小时30分钟');
    expect(formatDuration('en', 86_400_000 + 3_600_000)).toBe('1 day 1 hour');
    expect(formatDuration('en', 30 * 60_000)).toBe('30 minutes');
    expect(formatRange('en', 'hours', 0, 2160)).toBe('from 0 days to 90 days');
    expect(formatRange('zh-CN', 'minutes', 1, 43_200)).toBe('1分钟 到 30天');
    expect(formatRange('en', 'points', 0, 10_000)).toBe('from 0 points to 10000 points');
  });
});
