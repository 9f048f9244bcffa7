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

/** Latin words inside a Chinese text (after normalizeText). */
const LATIN_WORD = /[a-z]{2,}/g;

/** Feature strings for a Chinese text (before hashing): character 1-3-grams over the text without spaces. */
export function chineseFeatureStrings(text: string): string[] {
  const normalized = normalizeText(text);
  const chars = Array.from(normalized.replace(/\s+/g, ' '));
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
  for (const word of normalized.match(LATIN_WORD) ?? []) feats.push(`w:${word}`);
  return feats;
}

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** FNV-1a continued over `text` from state `h` (not yet made unsigned): fnv1a(a + b) = fnvMore(fnvMore(offset, a), b). */
function fnvMore(h: number, text: string, start = 0, end = text.length): number {
  for (let i = start; i < end; i++) h = Math.imul(h ^ text.charCodeAt(i), FNV_PRIME);
  return h;
}

/**
 * Collects hashed ids without duplicates, in first-seen order (the order the feature strings come in, so training
 * sums in the same order as before). A stamp per bucket instead of a Set: one array per hash size, reused.
 */
class IdCollector {
  private stamps: Uint32Array;
  private stamp = 0;
  private buffer = new Int32Array(1024);
  length = 0;
  readonly mask: number;

  constructor(bits: number) {
    this.mask = (1 << bits) - 1;
    this.stamps = new Uint32Array(1 << bits);
  }

  start(): void {
    this.length = 0;
    if (++this.stamp === 0xffffffff) {
      this.stamps.fill(0);
      this.stamp = 1;
    }
  }

  /** Adds the id of an FNV state (before `>>> 0`). */
  add(hash: number): void {
    const id = hash & this.mask;
    if (this.stamps[id] === this.stamp) return;
    this.stamps[id] = this.stamp;
    if (this.length === this.buffer.length) {
      const bigger = new Int32Array(this.buffer.length * 2);
      bigger.set(this.buffer);
      this.buffer = bigger;
    }
    this.buffer[this.length++] = id;
  }

  ids(): Int32Array {
    return this.buffer.slice(0, this.length);
  }
}

const collectors = new Map<number, IdCollector>();
function collectorFor(bits: number): IdCollector {
  let c = collectors.get(bits);
  if (!c) collectors.set(bits, (c = new IdCollector(bits)));
  c.start();
  return c;
}

/** End of the code point starting at `i` (a surrogate pair is one character, as for Array.from). */
function charEnd(s: string, i: number): number {
  return (s.charCodeAt(i) & 0xfc00) === 0xd800 && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00 ? i + 2 : i + 1;
}

/** The Chinese ids of `chineseFeatureStrings` without building the strings: each n-gram's hash extends the shorter one's. */
function chineseIds(text: string, out: IdCollector): void {
  const normalized = normalizeText(text);
  const s = normalized.replace(/\s+/g, ' ');
  // A character outside the BMP is two UTF-16 units, both hashed, as fnv1a does with the string.
  const n = s.length;
  let i = 0;
  while (i < n) {
    const end1 = charEnd(s, i);
    if (s.charCodeAt(i) !== 32) {
      const h1 = fnvMore(FNV_OFFSET, s, i, end1);
      out.add(h1);
      if (end1 < n && s.charCodeAt(end1) !== 32) {
        const end2 = charEnd(s, end1);
        const h2 = fnvMore(h1, s, end1, end2);
        out.add(h2);
        if (end2 < n && s.charCodeAt(end2) !== 32) {
          const end3 = charEnd(s, end2);
          out.add(fnvMore(h2, s, end2, end3));
        }
      }
    }
    i = end1;
  }
  const latin = normalized.match(LATIN_WORD);
  if (latin) {
    const prefix = fnvMore(FNV_OFFSET, 'w:');
    for (const word of latin) out.add(fnvMore(prefix, word));
  }
}

const HAN_CHAR = /^\p{Script=Han}/u;

/**
 * The subset of a Chinese text's ids whose n-gram has at least one Han character: the ids domain adaptation may
 * move. N-grams made only of Latin letters, digits and punctuation (URL pieces such as `htt`, `.cn`, user names,
 * order numbers) say nothing about a domain's sentiment, and self-training would otherwise teach them whatever the
 * posts that carry them were first read as.
 */
export function hanFeatureIds(text: string, bits: number): Int32Array {
  const out = collectorFor(bits);
  const s = normalizeText(text).replace(/\s+/g, ' ');
  const n = s.length;
  let i = 0;
  while (i < n) {
    const end1 = charEnd(s, i);
    if (s.charCodeAt(i) !== 32) {
      const han1 = HAN_CHAR.test(s.slice(i, end1));
      const h1 = fnvMore(FNV_OFFSET, s, i, end1);
      if (han1) out.add(h1);
      if (end1 < n && s.charCodeAt(end1) !== 32) {
        const end2 = charEnd(s, end1);
        const han2 = han1 || HAN_CHAR.test(s.slice(end1, end2));
        const h2 = fnvMore(h1, s, end1, end2);
        if (han2) out.add(h2);
        if (end2 < n && s.charCodeAt(end2) !== 32) {
          const end3 = charEnd(s, end2);
          if (han2 || HAN_CHAR.test(s.slice(end2, end3))) out.add(fnvMore(h2, s, end2, end3));
        }
      }
    }
    i = end1;
  }
  return out.ids();
}

const C_PREFIX = fnvMore(FNV_OFFSET, 'c:');
const C_NEG_PREFIX = fnvMore(FNV_OFFSET, 'c!:');
const W_PREFIX = fnvMore(FNV_OFFSET, 'w:');
const B_PREFIX = fnvMore(FNV_OFFSET, 'b:');

/** The English ids of `englishFeatureStrings`, hashing prefixes once and character n-grams incrementally. */
function englishIds(tokens: readonly string[], out: IdCollector): void {
  let prev = '<s>';
  for (const token of tokens) {
    out.add(fnvMore(W_PREFIX, token));
    out.add(fnvMore(fnvMore(fnvMore(B_PREFIX, prev), ' '), token));
    prev = token;
    const negated = token.startsWith('!');
    const word = negated ? token.slice(1) : token;
    if (word.length >= 3 && WORD_CHAR.test(word)) {
      const padded = `<${word}>`;
      const prefix = negated ? C_NEG_PREFIX : C_PREFIX;
      // Same order as englishFeatureStrings: all 3-grams, then all 4-grams, then all 5-grams.
      for (let len = 3; len <= 5; len++) {
        for (let i = 0; i + len <= padded.length; i++) out.add(fnvMore(prefix, padded, i, i + len));
      }
    }
  }
  out.add(fnvMore(fnvMore(B_PREFIX, prev), ' </s>'));
}

/**
 * Hashed, de-duplicated feature ids for one text, in [0, 2^bits). Presence (not counts) is what the model reads:
 * long reviews repeat words without adding evidence. The ids are those of the feature strings above, hashed with
 * fnv1a and masked, in first-seen order; the strings themselves are never built (this is the tagger's hot path).
 * `tokens` (English only) saves tokenising twice when the caller has them.
 */
export function hashedFeatures(text: string, language: ModelLanguage, bits: number, tokens?: readonly string[]): Int32Array {
  const out = collectorFor(bits);
  if (language === 'zh') chineseIds(text, out);
  else englishIds(markNegation(tokens ?? englishTokens(text)), out);
  return out.ids();
}

/** Reference implementation of `hashedFeatures` from the feature strings (tests check the two agree). */
export function hashedFeaturesFromStrings(text: string, language: ModelLanguage, bits: number): Int32Array {
  const strings = language === 'zh' ? chineseFeatureStrings(text) : englishFeatureStrings(text);
  const mask = (1 << bits) - 1;
  const ids = new Set<number>();
  for (const s of strings) ids.add(fnv1a(s) & mask);
  return Int32Array.from(ids);
}
