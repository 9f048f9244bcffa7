/**
 * Tags a JSON-lines file of reviews, for batch work and evaluation:
 *
 *   npm run -s reviews:tag -- --input reviews.jsonl --output tagged.jsonl [--db]
 *
 * Input lines `{"id": "...", "text": "...", "rating": 4}` (rating optional); output lines keep `id` and add
 * sentiment, score, aspects, flags, language and tagger, in input order. `-` means standard input / output.
 * The LLM is used when configured (OPENAI_API_KEY or OPENAI_BASE_URL, LLM_MODEL...), else the offline tagger;
 * reviews the LLM fails on are tagged offline. A summary goes to standard error.
 *
 * Cache: in memory for the run (identical texts are tagged once) unless --db is given; then the app's database
 * (DATABASE_URL, else PGlite in DATA_DIR) holds the tag cache and the LlmCall usage log, shared with the bot.
 * Do not use --db on a PGlite folder a running bot has open.
 *
 * Bad input lines (not JSON, no id, no text, rating not 1-5) are skipped with a warning naming the line; the
 * good lines are still tagged and written. Exit status: 0 all lines tagged, 1 some lines skipped, 2 nothing
 * done (bad arguments, bad configuration, unreadable input).
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import type { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import { loadConfig } from '../bots/config.js';
import { createReviewTagger } from '../llm/create-review-tagger.js';
import type { TagFallback } from '../llm/fallback-tagger.js';
import { MemoryLlmUsageLog, type LlmCallRecord, type LlmUsageLog } from '../llm/llm-usage-log.js';
import { formatTaggedLine, parseReviewLine } from '../llm/review-jsonl.js';
import type { ReviewInput, ReviewTags } from '../core/llm/review-tags.js';
import { MemoryTagCache, type TagCache } from '../llm/tag-cache.js';

const USAGE = 'usage: npm run -s reviews:tag -- --input <reviews.jsonl|-> --output <tagged.jsonl|-> [--db]';
/** Reviews handed to the tagger at once: several LLM batches, so they can run concurrently; memory stays bounded. */
const CHUNK = 200;
/** Bad lines listed one by one in the summary; more are counted. */
const LISTED_BAD_LINES = 20;

class UsageError extends Error {}

async function main(): Promise<number> {
  const started = performance.now();
  const { values } = parseArgs({
    options: { input: { type: 'string' }, output: { type: 'string' }, db: { type: 'boolean', default: false }, help: { type: 'boolean' } },
    strict: true,
  });
  if (values.help) {
    process.stderr.write(`${USAGE}\n`);
    return 0;
  }
  if (!values.input || !values.output) throw new UsageError(`--input and --output are required\n${USAGE}`);

  const config = loadConfig(process.env);
  const usage = new MemoryLlmUsageLog();
  let cache: TagCache = new MemoryTagCache();
  let usageLog: LlmUsageLog = usage;
  let closeDb: (() => Promise<void>) | undefined;
  if (values.db) {
    // Loaded only with --db: the offline and in-memory paths need no database at all.
    const { databaseOptionsFromEnv, openDatabase } = await import('../prisma/database.js');
    const { PrismaLlmUsageLog, PrismaTagCache } = await import('../prisma/llm-store.js');
    const db = await openDatabase(databaseOptionsFromEnv(process.env));
    closeDb = () => db.close();
    cache = new PrismaTagCache(db.prisma);
    const stored = new PrismaLlmUsageLog(db.prisma);
    usageLog = { record: async (call: LlmCallRecord) => void (await Promise.all([usage.record(call), stored.record(call)])) };
  }

  const fallbacks: TagFallback[] = [];
  const tagger = createReviewTagger(config, {
    cache,
    usageLog,
    onFallback: (batch) => {
      fallbacks.push(...batch);
      const reasons = [...new Set(batch.map((f) => f.reason))].join(', ');
      process.stderr.write(`warning: ${batch.length} review(s) tagged offline after an LLM failure (${reasons}): ${batch[0]!.message}\n`);
    },
  });

  const input = values.input === '-' ? process.stdin : createReadStream(values.input);
  const inputOpened = values.input === '-' ? Promise.resolve() : once(input, 'open').then(() => undefined);
  await inputOpened.catch((error: Error) => {
    throw new UsageError(`cannot read ${values.input}: ${error.message}`);
  });
  const output: Writable = values.output === '-' ? process.stdout : createWriteStream(values.output);

  const badLines: { line: number; problem: string }[] = [];
  const byTagger = new Map<string, number>();
  const bySentiment = new Map<string, number>();
  let tagged = 0;
  let pending: ReviewInput[] = [];

  const flush = async () => {
    if (pending.length === 0) return;
    const tags: ReviewTags[] = await tagger.tag(pending);
    let text = '';
    pending.forEach((review, i) => {
      const t = tags[i]!;
      text += `${formatTaggedLine(review.id, t)}\n`;
      byTagger.set(t.tagger, (byTagger.get(t.tagger) ?? 0) + 1);
      bySentiment.set(t.sentiment, (bySentiment.get(t.sentiment) ?? 0) + 1);
    });
    tagged += pending.length;
    pending = [];
    if (!output.write(text)) await once(output, 'drain');
  };

  try {
    let lineNumber = 0;
    for await (const line of createInterface({ input, crlfDelay: Infinity })) {
      lineNumber++;
      if (line.trim() === '') continue;
      const parsed = parseReviewLine(line);
      if (!parsed.ok) {
        badLines.push({ line: lineNumber, problem: parsed.problem });
        if (badLines.length <= LISTED_BAD_LINES) process.stderr.write(`warning: line ${lineNumber} skipped: ${parsed.problem}\n`);
        continue;
      }
      pending.push(parsed.review);
      if (pending.length >= CHUNK) await flush();
    }
    await flush();
  } finally {
    if (output !== process.stdout) await new Promise<void>((resolve) => output.end(resolve));
    await closeDb?.();
  }

  const seconds = (performance.now() - started) / 1000;
  const totals = usage.totals();
  const list = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k} ${n}`).join(', ') || 'none';
  const reasons = new Map<string, number>();
  for (const f of fallbacks) reasons.set(f.reason, (reasons.get(f.reason) ?? 0) + 1);
  const summary = [
    `reviews:tag: ${tagged} tagged, ${badLines.length} bad line(s) skipped, in ${seconds.toFixed(2)} s (${tagger.usesLlm ? 'LLM configured' : 'offline only'})`,
    `  tagger:    ${list(byTagger)}`,
    `  sentiment: ${list(bySentiment)}`,
    `  fallbacks: ${fallbacks.length}${fallbacks.length > 0 ? ` (${list(reasons)})` : ''}`,
    `  llm calls: ${totals.calls} (${totals.failed} failed), tokens: ${totals.promptTokens} prompt + ${totals.completionTokens} completion = ${totals.totalTokens}`,
  ];
  if (badLines.length > 0) {
    const shown = badLines.slice(0, LISTED_BAD_LINES).map((b) => `line ${b.line} (${b.problem})`);
    summary.push(`  bad lines: ${shown.join('; ')}${badLines.length > LISTED_BAD_LINES ? `; and ${badLines.length - LISTED_BAD_LINES} more` : ''}`);
  }
  process.stderr.write(`${summary.join('\n')}\n`);
  return badLines.length > 0 ? 1 : 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // ConfigError and LlmConfigError name the variable, never its value.
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`reviews:tag: ${message}\n`);
    process.exitCode = 2;
  },
);
