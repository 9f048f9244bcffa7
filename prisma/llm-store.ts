/**
 * The LLM layer's ports on Prisma: TagCache in ReviewTagCache, LlmUsageLog in LlmCall (see llm/tag-cache.ts
 * and llm/llm-usage-log.ts).
 */
import type { LlmCallRecord, LlmUsageLog } from '../llm/llm-usage-log.js';
import { reviewTagsSchema, type ReviewTags } from '../core/llm/review-tags.js';
import type { TagCache, TagCacheEntry } from '../llm/tag-cache.js';
import type { Prisma, PrismaClient } from './generated/client.js';

type Db = PrismaClient | Prisma.TransactionClient;

export class PrismaTagCache implements TagCache {
  constructor(private readonly db: Db) {}

  async get(keys: readonly string[]): Promise<Map<string, ReviewTags>> {
    const found = new Map<string, ReviewTags>();
    if (keys.length === 0) return found;
    const rows = await this.db.reviewTagCache.findMany({ where: { key: { in: [...keys] } } });
    for (const row of rows) {
      // A row written by an older schema (or by hand) that no longer fits is a miss: the text is tagged again.
      const tags = reviewTagsSchema.safeParse(row.tags);
      if (tags.success) found.set(row.key, { ...tags.data, tagger: row.tagger });
    }
    return found;
  }

  async put(entries: readonly TagCacheEntry[]): Promise<void> {
    if (entries.length === 0) return;
    await this.db.reviewTagCache.createMany({
      data: entries.map((e) => {
        const { tagger: _tagger, ...tags } = e.tags;
        return { key: e.key, tagger: e.tagger, tags: tags as unknown as Prisma.InputJsonValue };
      }),
      skipDuplicates: true,
    });
  }
}

export class PrismaLlmUsageLog implements LlmUsageLog {
  constructor(private readonly db: Db) {}

  async record(call: LlmCallRecord): Promise<void> {
    await this.db.llmCall.create({ data: { ...call } });
  }
}
