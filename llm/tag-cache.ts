/**
 * The tag cache port: tags already produced for a text, keyed by tagger and content hash, so the same text is
 * never sent to the LLM twice. The LLM layer defines the port; prisma/llm-store.ts stores it in ReviewTagCache,
 * MemoryTagCache keeps it for one process (the CLI, tests).
 */
import { createHash } from 'node:crypto';
import type { ReviewTags } from '../core/llm/review-tags.js';

/** One cached result. `key` is `<tagger>:<sha256>` (see tagCacheKey). */
export interface TagCacheEntry {
  key: string;
  tagger: string;
  tags: ReviewTags;
}

export interface TagCache {
  /** The cached tags among `keys`; keys not in the map are misses. */
  get(keys: readonly string[]): Promise<Map<string, ReviewTags>>;
  /** Stores results; an existing key keeps its first value (a text's tags do not change under one tagger). */
  put(entries: readonly TagCacheEntry[]): Promise<void>;
}

/**
 * The text as it is hashed: Unicode NFKC (full-width and half-width forms alike), trimmed, runs of white space as
 * one space. Two reviews that differ only in such ways are the same text to a reader, and to the cache.
 */
export function normaliseReviewText(text: string): string {
  return text.normalize('NFKC').trim().replace(/\s+/gu, ' ');
}

/** `<tagger>:<sha256 hex of the normalised text>`, the ReviewTagCache key. */
export function tagCacheKey(tagger: string, text: string): string {
  return `${tagger}:${createHash('sha256').update(normaliseReviewText(text), 'utf8').digest('hex')}`;
}

/** A TagCache in memory, for one process: the CLI without a database, and tests. */
export class MemoryTagCache implements TagCache {
  private readonly entries = new Map<string, ReviewTags>();

  get size(): number {
    return this.entries.size;
  }

  async get(keys: readonly string[]): Promise<Map<string, ReviewTags>> {
    const found = new Map<string, ReviewTags>();
    for (const key of keys) {
      const tags = this.entries.get(key);
      if (tags) found.set(key, tags);
    }
    return found;
  }

  async put(entries: readonly TagCacheEntry[]): Promise<void> {
    for (const entry of entries) if (!this.entries.has(entry.key)) this.entries.set(entry.key, entry.tags);
  }
}
