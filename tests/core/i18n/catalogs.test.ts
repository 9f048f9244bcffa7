import { describe, expect, it } from 'vitest';
import { en } from '../../../core/i18n/en.js';
import { languageFromHint, parseLanguageArg, t } from '../../../core/i18n/translate.js';
import { zhCN } from '../../../core/i18n/zh-CN.js';

type Message = (params?: unknown) => string;

/** Renders a message with every parameter replaced by a marker, and notes which parameters it read. */
function render(message: Message): { text: string; params: Set<string> } {
  const params = new Set<string>();
  const proxy = new Proxy({}, {
    get(_target, name) {
      if (typeof name !== 'string') return undefined;
      params.add(name);
      return `⟦${name}⟧`;
    },
  });
  return { text: message(proxy), params };
}

const withoutMarkers = (text: string) => text.replace(/⟦\w+⟧/g, '');

describe('message catalogs', () => {
  it('have exactly the same keys in English and Chinese', () => {
    expect(Object.keys(zhCN).sort()).toEqual(Object.keys(en).sort());
  });

  it('use the same parameters in both languages', () => {
    for (const key of Object.keys(en) as (keyof typeof en)[]) {
      const english = render(en[key] as Message).params;
      const chinese = render(zhCN[key] as Message).params;
      expect([...chinese].sort(), key).toEqual([...english].sort());
    }
  });

  it('translate every English message that has words of its own', () => {
    const untranslated: string[] = [];
    for (const key of Object.keys(en) as (keyof typeof en)[]) {
      const english = withoutMarkers(render(en[key] as Message).text);
      if (!/[A-Za-z]/.test(english)) continue;
      const chinese = withoutMarkers(render(zhCN[key] as Message).text);
      if (chinese === english || !/[\u4e00-\u9fff]/.test(chinese)) untranslated.push(key);
    }
    expect(untranslated).toEqual([]);
  });

  it('have no empty message', () => {
    for (const catalog of [en, zhCN]) {
      for (const [key, message] of Object.entries(catalog)) expect(render(message as Message).text.trim(), key).not.toBe('');
    }
  });
});

describe('t', () => {
  it('fills parameters in the chosen language', () => {
    expect(t('en', 'join.over_limit', { limit: 2 })).toBe('The limit is 2 per member.');
    expect(t('zh-CN', 'join.over_limit', { limit: 2 })).toBe('每人限购 2 份。');
  });
});

describe('languageFromHint', () => {
  it('maps platform hints to a supported language', () => {
    expect(languageFromHint('zh-hans')).toBe('zh-CN');
    expect(languageFromHint('zh-TW')).toBe('zh-CN');
    expect(languageFromHint('en-GB')).toBe('en');
    // Any other language is English: closer to most non-Chinese readers than the Chinese default.
    expect(languageFromHint('de')).toBe('en');
    expect(languageFromHint('')).toBeUndefined();
    expect(languageFromHint(undefined)).toBeUndefined();
  });
});

describe('parseLanguageArg', () => {
  it('reads what users type after /lang', () => {
    expect(parseLanguageArg('zh')).toBe('zh-CN');
    expect(parseLanguageArg('中文')).toBe('zh-CN');
    expect(parseLanguageArg('EN')).toBe('en');
    expect(parseLanguageArg('自动')).toBe('auto');
    expect(parseLanguageArg('fr')).toBeUndefined();
  });
});
