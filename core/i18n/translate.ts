import type { Language } from '../kernel/language.js';
import { en, type MessageKey, type MessageParams } from './en.js';
import { zhCN } from './zh-CN.js';

export type { MessageKey, MessageParams };

const catalogs = { en, 'zh-CN': zhCN } as const;

/**
 * Turns a message id and its parameters into words in one language.
 * @example t('en', 'join.over_limit', { limit: 2 }) // "The limit is 2 per member."
 */
export function t<K extends MessageKey>(language: Language, key: K, ...params: MessageParams<K> extends undefined ? [] : [MessageParams<K>]): string {
  const fn = catalogs[language][key] as (p?: unknown) => string;
  return fn(params[0]);
}

/**
 * Maps a platform's language hint (Telegram `language_code`, Discord locale) to a supported language: Chinese
 * (`zh`, `zh-hans`, `zh-TW`...) is zh-CN, any other language English (a German or Russian app reads English more
 * likely than Chinese); no hint is undefined (ADR 014).
 */
export function languageFromHint(hint: string | null | undefined): Language | undefined {
  if (!hint?.trim()) return undefined;
  return hint.trim().toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}

/** Parses what a user types after /lang. */
export function parseLanguageArg(arg: string): Language | 'auto' | undefined {
  const v = arg.trim().toLowerCase();
  if (['zh', 'zh-cn', 'cn', '中文', 'chinese', '简体中文'].includes(v)) return 'zh-CN';
  if (['en', 'english', '英文', '英语'].includes(v)) return 'en';
  if (['auto', '自动'].includes(v)) return 'auto';
  return undefined;
}

export const supportedLanguages: readonly Language[] = ['zh-CN', 'en'];

/** Whether a message id exists (for ids built from a declaration's name, such as `usage.<command>`). */
export function hasMessage(key: string): key is MessageKey {
  return Object.hasOwn(en, key);
}
