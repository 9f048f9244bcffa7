/**
 * Turns a review into hashed feature ids for the linear sentiment model. Chinese text gives character 1-3-grams
 * (negation such as 不好 / 不太好 is captured by the 2- and 3-grams); English text gives words and word bigrams
 * with negation marking (`not good` -> `good` seen as `!good` until the next punctuation) plus character 3-5-grams
 * inside words, which cope with spelling variants and unseen inflections. Feature hashing keeps the model a fixed
 * size with no vocabulary to ship.
 */

/** Which of the two models reads a text. Text in other scripts goes to the English (Latin) model. */
export type ModelLanguage = 'zh' | 'en';

/** Normalises width (全角 -> half width), case and runs of repeated punctuation. */
export function normalizeText(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/([!?.~。！？～…])\1+/g, '$1$1');
}

/** 32-bit FNV-1a over UTF-16 code units: stable across runs and platforms, which the committed weights rely on. */
export function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

const WORD_CHAR = /[\p{L}\p{N}']/u;
const EN_NEGATORS = new Set([
  'not', 'no', 'never', 'none', 'nothing', 'nobody', 'nor', 'neither', 'without', 'hardly', 'barely',
  "don't", "doesn't", "didn't", "isn't", "wasn't", "aren't", "weren't", "won't", "wouldn't", "can't", "cannot",
  "couldn't", "shouldn't", "haven't", "hasn't", "hadn't", 'dont', 'doesnt', 'didnt', 'isnt', 'wasnt', 'cant',
  'wont', 'couldnt', 'wouldnt', 'shouldnt', "ain't",
]);

/** Splits English text into word and punctuation tokens; `n't` stays on its word. */
export function englishTokens(text: string): string[] {
  return normalizeText(text).match(/[\p{L}\p{N}]+(?:['’][\p{L}]+)*|[!?]|[.,;:()]/gu)?.map((t) => t.replace('’', "'")) ?? [];
}

/**
 * Marks tokens in the scope of a negator (until the next punctuation) with a leading `!`.
 * Exported so aspect rules and tests can see exactly what the model sees.
 */
export function markNegation(tokens: readonly string[]): string[] {
  const out: string[] = [];
  let negated = false;
  for (const token of tokens) {
    if (/^[.,;:!?()]$/.test(token)) {
      negated = false;
      out.push(token);
    } else if (EN_NEGATORS.has(token) || token.endsWith("n't")) {
      negated = true;
      out.push(token);
    } else out.push(negated ? `!${token}` : token);
  }
  return out;
}

/** Feature strings for an English text (before hashing). */
export function englishFeatureStrings(text: string): string[] {
  const tokens = markNegation(englishTokens(text));
  const feats: string[] = [];
  let prev = '<s>';
  for (const token of tokens) {
    feats.push(`w:${token}`, `b:${prev} ${token}`);
    prev = token;
    const word = token.startsWith('!') ? token.slice(1) : token;
    if (word.length >= 3 && WORD_CHAR.test(word)) {
      const padded = `<${word}>`;
      const neg = token.startsWith('!') ? '!' : '';
      for (let n = 3; n <= 5; n++) {
        for (let i = 0; i + n <= padded.length; i++) feats.push(`c${neg}:${padded.slice(i, i + n)}`);
      }
    }
  }
  feats.push(`b:${prev} </s>`);
  return feats;
}

/** Feature strings for a Chinese text (before hashing): character 1-3-grams over the text without spaces. */
export function chineseFeatureStrings(text: string): string[] {
  const chars = Array.from(normalizeText(text).replace(/\s+/g, ' '));
  const feats: string[] = [];
  for (let i = 0; i < chars.length; i++) {
    const c1 = chars[i] as string;
    if (c1 === ' ') continue;
    feats.push(c1);
    const c2 = chars[i + 1];
    if (c2 === undefined || c2 === ' ') continue;
    feats.push(c1 + c2);
    const c3 = chars[i + 2];
    if (c3 !== undefined && c3 !== ' ') feats.push(c1 + c2 + c3);
  }
  // Latin words inside Chinese reviews (brand names, "ok", "wifi") as whole words too.
  for (const word of normalizeText(text).match(/[a-z]{2,}/g) ?? []) feats.push(`w:${word}`);
  return feats;
}

/**
 * Hashed, de-duplicated feature ids for one text, in [0, 2^bits). Presence (not counts) is what the model reads:
 * long reviews repeat words without adding evidence.
 */
export function hashedFeatures(text: string, language: ModelLanguage, bits: number): Int32Array {
  const strings = language === 'zh' ? chineseFeatureStrings(text) : englishFeatureStrings(text);
  const mask = (1 << bits) - 1;
  const ids = new Set<number>();
  for (const s of strings) ids.add(fnv1a(s) & mask);
  return Int32Array.from(ids);
}
