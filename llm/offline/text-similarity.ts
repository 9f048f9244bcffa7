/**
 * The offline near-duplicate finder behind the `TextSimilarity` port (core/moderation/text-signals.ts): no network,
 * no model. Texts are normalised (NFKC, lower case; punctuation, emoji, symbols and spaces dropped, every digit read
 * as 0) so `好评！质量超好👍` and `好评!!质量超好` are one text, cut into character 3-grams, and compared by Jaccard
 * similarity of their 3-gram sets. MinHash signatures with LSH banding pick the candidate pairs, so a group's whole
 * history can be scanned without comparing every pair; each candidate pair is then scored exactly. Pairs at or
 * above the threshold are joined (single linkage), and a cluster is kept when it spans two or more accounts.
 *
 * @example
 *   const clusters = await new OfflineTextSimilarity().findNearDuplicates(texts);
 */
import type { AuthoredText, TextCluster, TextSimilarity } from '../../core/moderation/text-signals.js';
import { fnv1a } from './features.js';

export const OFFLINE_TEXT_SIMILARITY_NAME = 'offline:minhash-3';

export interface OfflineTextSimilarityOptions {
  /**
   * Jaccard similarity of the 3-gram sets at which two texts are near-duplicates (default 0.5). A templated praise
   * with one word changed (超好 / 超级好) scores about 0.55; unrelated reviews of one product stay below 0.2.
   */
  threshold?: number;
  /**
   * Texts shorter than this after normalisation are skipped (default 6 characters): "好评", "不错", "good" are what
   * honest members write too, so their sameness is no evidence.
   */
  minChars?: number;
}

const SHINGLE = 3;
/** 32 bands of 2 rows: a pair at Jaccard 0.5 becomes a candidate with probability 1 - (1 - 0.5^2)^32 > 0.9999. */
const BANDS = 32;
const ROWS = 2;
const HASHES = BANDS * ROWS;

/**
 * The text as compared: NFKC and lower case, only letters and digits kept (punctuation, emoji, symbols and spaces
 * dropped), digits read as 0 (so order numbers and quantities do not tell templated texts apart).
 */
export function normalizeForSimilarity(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '').replace(/\p{N}/gu, '0');
}

/** The set of character 3-grams (the whole text when shorter), as 32-bit hashes. */
export function shingles(normalized: string): Set<number> {
  const chars = Array.from(normalized);
  const out = new Set<number>();
  if (chars.length === 0) return out;
  if (chars.length < SHINGLE) out.add(fnv1a(normalized));
  for (let i = 0; i + SHINGLE <= chars.length; i++) out.add(fnv1a(chars.slice(i, i + SHINGLE).join('')));
  return out;
}

export function jaccard(a: ReadonlySet<number>, b: ReadonlySet<number>): number {
  if (a.size === 0 && b.size === 0) return 1;
  let shared = 0;
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  for (const x of small) if (large.has(x)) shared++;
  return shared / (a.size + b.size - shared);
}

/** Fixed odd multipliers and offsets for the MinHash permutations (deterministic: same input, same clusters). */
const PERMUTATIONS = Array.from({ length: HASHES }, (_, i) => ({
  a: (Math.imul(i + 1, 0x9e3779b1) | 1) >>> 0,
  b: Math.imul(i + 7, 0x85ebca6b) >>> 0,
}));

function minHash(set: ReadonlySet<number>): Uint32Array {
  const signature = new Uint32Array(HASHES).fill(0xffffffff);
  for (const x of set) {
    for (let i = 0; i < HASHES; i++) {
      const p = PERMUTATIONS[i]!;
      let h = (Math.imul(x, p.a) + p.b) >>> 0;
      h = (h ^ (h >>> 16)) >>> 0;
      h = Math.imul(h, 0x7feb352d) >>> 0;
      h = (h ^ (h >>> 15)) >>> 0;
      if (h < signature[i]!) signature[i] = h;
    }
  }
  return signature;
}

/** Union-find over text indexes, remembering the weakest link that joined each cluster. */
class Clusters {
  private readonly parent: number[];
  private readonly weakest: number[];

  constructor(size: number) {
    this.parent = Array.from({ length: size }, (_, i) => i);
    this.weakest = new Array<number>(size).fill(1);
  }

  root(i: number): number {
    while (this.parent[i] !== i) {
      this.parent[i] = this.parent[this.parent[i]!]!;
      i = this.parent[i]!;
    }
    return i;
  }

  join(i: number, j: number, similarity: number): void {
    const a = this.root(i);
    const b = this.root(j);
    const weakest = Math.min(this.weakest[a]!, this.weakest[b]!, similarity);
    if (a !== b) this.parent[b] = a;
    this.weakest[a] = weakest;
  }

  weakestOf(root: number): number {
    return this.weakest[root]!;
  }
}

export class OfflineTextSimilarity implements TextSimilarity {
  readonly name = OFFLINE_TEXT_SIMILARITY_NAME;
  private readonly threshold: number;
  private readonly minChars: number;

  constructor(options: OfflineTextSimilarityOptions = {}) {
    this.threshold = options.threshold ?? 0.5;
    this.minChars = options.minChars ?? 6;
  }

  async findNearDuplicates(texts: readonly AuthoredText[]): Promise<TextCluster[]> {
    return this.clusters(texts);
  }

  /** The same as `findNearDuplicates`, synchronously (for the LLM finder's fallback and for scripts). */
  clusters(texts: readonly AuthoredText[]): TextCluster[] {
    const kept = texts.flatMap((text, index) => {
      const normalized = normalizeForSimilarity(text.text);
      return Array.from(normalized).length >= this.minChars ? [{ index, set: shingles(normalized) }] : [];
    });
    const clusters = new Clusters(texts.length);
    const compared = new Set<string>();
    const buckets = new Map<string, number[]>();
    const signatures = kept.map((k) => minHash(k.set));
    for (let band = 0; band < BANDS; band++) {
      buckets.clear();
      signatures.forEach((signature, k) => {
        const key = Array.from(signature.subarray(band * ROWS, band * ROWS + ROWS)).join(',');
        const bucket = buckets.get(key);
        if (bucket) bucket.push(k);
        else buckets.set(key, [k]);
      });
      for (const bucket of buckets.values()) {
        for (let x = 0; x < bucket.length; x++) {
          for (let y = x + 1; y < bucket.length; y++) {
            const [p, q] = [kept[bucket[x]!]!, kept[bucket[y]!]!];
            const pair = `${p.index}:${q.index}`;
            if (compared.has(pair)) continue;
            compared.add(pair);
            const similarity = jaccard(p.set, q.set);
            if (similarity >= this.threshold) clusters.join(p.index, q.index, similarity);
          }
        }
      }
    }
    return this.collect(texts, clusters);
  }

  private collect(texts: readonly AuthoredText[], clusters: Clusters): TextCluster[] {
    const members = new Map<number, number[]>();
    texts.forEach((_, i) => {
      const root = clusters.root(i);
      members.set(root, [...(members.get(root) ?? []), i]);
    });
    const out: TextCluster[] = [];
    for (const [root, indexes] of members) {
      const memberIds = [...new Set(indexes.map((i) => texts[i]!.memberId))].sort();
      if (memberIds.length < 2) continue;
      out.push({
        memberIds,
        textIds: indexes.map((i) => texts[i]!.id),
        similarity: Math.round(clusters.weakestOf(root) * 1000) / 1000,
        source: this.name,
      });
    }
    return out;
  }
}
