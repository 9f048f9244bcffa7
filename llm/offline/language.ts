/**
 * Language of a review from its script: the share of Han characters among letters, counting a run of Latin
 * letters as one word (so "iPhone 很好用" is Chinese, as a reader would say).
 */
const HAN = /\p{Script=Han}/u;

export type ReviewLanguage = 'zh' | 'en' | 'other';

/** Han share at or above which a text is Chinese. */
export const ZH_THRESHOLD = 0.3;

export function detectLanguage(text: string): ReviewLanguage {
  let han = 0;
  let latinWords = 0;
  let otherLetters = 0;
  for (const ch of text) if (HAN.test(ch)) han++;
  latinWords = text.match(/[A-Za-z\u00c0-\u024f]+/g)?.length ?? 0;
  otherLetters = (text.match(/[^\p{Script=Han}\p{Script=Latin}\P{L}]/gu) ?? []).length;
  const units = han + latinWords + otherLetters;
  if (units === 0) return 'other';
  if (han / units >= ZH_THRESHOLD) return 'zh';
  // Japanese kana, Hangul, Cyrillic... : not a language either model was trained on.
  if (otherLetters > latinWords) return 'other';
  if (latinWords === 0) return 'other';
  // Latin script with accented letters (é, ñ, ü, ß...) is French, Spanish, German...: not what the English model knows.
  const accented = text.match(/[\u00c0-\u024f]/g)?.length ?? 0;
  return accented >= 2 ? 'other' : 'en';
}
