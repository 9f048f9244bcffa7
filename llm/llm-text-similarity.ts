/**
 * The LLM near-duplicate finder behind the `TextSimilarity` port (core/moderation/text-signals.ts): LangChain's
 * ChatOpenAI against any OpenAI-compatible server (the review tagger's configuration), texts sent in batches with
 * batch-local ids, the answer read with function-calling structured output and checked with zod. A model sees
 * templates that character n-grams miss (the same skeleton with other words), but it is untrusted and may be down:
 * on any failure (timeout, server down, HTTP error, malformed answer) the whole call falls back to the offline
 * finder, and says so through `onFallback` and the log.
 *
 * @example
 *   const finder = createTextSimilarity(config, { usageLog, logger });
 *   const clusters = await finder.findNearDuplicates(texts); // source 'llm:<model>' or 'offline:minhash-3'
 */
import type { BaseMessage } from '@langchain/core/messages';
import { z } from 'zod';
import { silentLogger, type Logger } from '../core/ports.js';
import type { AuthoredText, TextCluster, TextSimilarity } from '../core/moderation/text-signals.js';
import { llmSettings, type ReviewTaggerConfig } from './create-review-tagger.js';
import { rawStructuredAnswer, recordLlmCall, redactApiKey, structuredChatCall, type ChatModelOptions, type StructuredCall } from './chat-model.js';
import { errorMessage, failureReason, type TagFailureReason } from './llm-tagger.js';
import type { LlmUsageLog } from './llm-usage-log.js';
import { OfflineTextSimilarity } from './offline/text-similarity.js';
import { loadPromptTemplate, type PromptMessage, type PromptTemplate } from './prompt-template.js';
import { neutraliseReviewText } from './review-tagging-prompt.js';

/** The LlmCall purpose of near-duplicate finding. */
export const TEXT_SIMILARITY_PURPOSE = 'text-similarity';
export const TEXT_SIMILARITY_PROMPT = 'text-similarity';
/** Texts per request: templated posts must share a batch to be seen together, so batches are large. */
export const DEFAULT_TEXT_SIMILARITY_BATCH_SIZE = 60;
/** Texts are short posts; a longer one is cut (templates show in the first sentences). */
export const MAX_SIMILARITY_TEXT_CHARS = 500;

export const textGroupsSchema = z
  .object({
    groups: z
      .array(
        z.object({
          ids: z.array(z.string()).describe('The id attributes of the <text> elements in this group, copied exactly; two or more'),
          similarity: z.number().min(0).max(1).describe('How alike the texts are, 0 unrelated .. 1 identical after punctuation and emoji'),
        }),
      )
      .describe('Groups of near-identical or templated texts; texts without a near-duplicate are left out'),
  })
  .describe('The templated groups among the texts of the request');

type TextGroupsAnswer = z.infer<typeof textGroupsSchema>;

/** Why a call's texts went to the offline finder: the tagger's reasons. */
export interface TextSimilarityFallback {
  reason: TagFailureReason;
  message: string;
  texts: number;
}

export interface LlmTextSimilarityOptions extends ChatModelOptions {
  /** Texts per request. */
  batchSize?: number;
  usageLog?: LlmUsageLog;
  logger?: Logger;
  /** The finder used when the model fails; default `new OfflineTextSimilarity()`. */
  offline?: OfflineTextSimilarity;
  onFallback?: (fallback: TextSimilarityFallback) => void;
  now?: () => number;
}

/** A batch that could not be read; the caller falls back. */
class BatchFailure extends Error {
  constructor(readonly reason: TagFailureReason, message: string) {
    super(message);
    this.name = 'BatchFailure';
  }
}

let template: PromptTemplate | undefined;

/** The chat messages for one batch: texts with batch-local ids ("1", "2", ...) inside `<text>` elements. */
export function renderTextSimilarityPrompt(texts: readonly string[], maxChars = MAX_SIMILARITY_TEXT_CHARS): PromptMessage[] {
  template ??= loadPromptTemplate(TEXT_SIMILARITY_PROMPT);
  return template.render({
    textCount: String(texts.length),
    texts: texts.map((text, i) => `<text id="${i + 1}">\n${neutraliseReviewText(text, maxChars)}\n</text>`).join('\n\n'),
  });
}

export class LlmTextSimilarity implements TextSimilarity {
  readonly name: string;
  readonly model: string;
  private readonly call: StructuredCall<TextGroupsAnswer>;
  private readonly batchSize: number;
  private readonly logger: Logger;
  private readonly offline: OfflineTextSimilarity;
  private readonly now: () => number;

  /** `options` is kept whole: its key, usage log and fallback listener are read per call. */
  constructor(private readonly options: LlmTextSimilarityOptions) {
    this.model = options.model;
    this.name = `llm:${options.model}`;
    this.batchSize = Math.max(2, options.batchSize ?? DEFAULT_TEXT_SIMILARITY_BATCH_SIZE);
    this.logger = options.logger ?? silentLogger;
    this.offline = options.offline ?? new OfflineTextSimilarity();
    this.now = options.now ?? (() => performance.now());
    this.call = structuredChatCall(options, textGroupsSchema, 'report_templated_groups');
  }

  async findNearDuplicates(texts: readonly AuthoredText[]): Promise<TextCluster[]> {
    if (texts.length < 2) return [];
    const links: { indexes: number[]; similarity: number }[] = [];
    try {
      for (let start = 0; start < texts.length; start += this.batchSize) {
        const batch = texts.slice(start, start + this.batchSize);
        for (const group of await this.groupsOf(batch.map((t) => t.text))) {
          links.push({ indexes: group.indexes.map((i) => start + i), similarity: group.similarity });
        }
      }
    } catch (error) {
      const reason = error instanceof BatchFailure ? error.reason : failureReason(error);
      const message = this.redact(errorMessage(error));
      this.logger.warn({ reason, error: message, texts: texts.length }, 'LLM text similarity failed; using the offline finder');
      this.options.onFallback?.({ reason, message, texts: texts.length });
      return this.offline.clusters(texts);
    }
    return clustersFromGroups(texts, links, this.name);
  }

  /** One request; the groups as indexes into the batch. Throws BatchFailure (or the client's error) on failure. */
  private async groupsOf(batch: string[]): Promise<{ indexes: number[]; similarity: number }[]> {
    const started = this.now();
    const { raw, parsed } = await this.call.invoke(renderTextSimilarityPrompt(batch)).catch(async (error: unknown) => {
      await this.record(this.now() - started, undefined, `${failureReason(error)}: ${errorMessage(error)}`);
      throw error;
    });
    const answer = parsed ?? rawStructuredAnswer(raw);
    const check = textGroupsSchema.safeParse(answer);
    if (!check.success) {
      await this.record(this.now() - started, raw, 'malformed: the answer is not a list of groups');
      throw new BatchFailure('malformed', 'the answer is not a list of groups');
    }
    await this.record(this.now() - started, raw, null);
    // Ids the batch does not have are ignored; a group keeps its known ids if two or more are left.
    return check.data.groups.flatMap((group) => {
      const indexes = [...new Set(group.ids.filter((id) => /^\d+$/.test(id)).map((id) => Number(id) - 1))].filter((i) => i >= 0 && i < batch.length);
      return indexes.length >= 2 ? [{ indexes, similarity: group.similarity }] : [];
    });
  }

  private async record(durationMs: number, raw: BaseMessage | undefined, error: string | null): Promise<void> {
    await recordLlmCall(this.options.usageLog, this.logger, {
      purpose: TEXT_SIMILARITY_PURPOSE, model: this.model, apiKey: this.options.apiKey, durationMs, ok: error === null, error, raw,
    });
  }

  private redact(text: string): string {
    return redactApiKey(text, this.options.apiKey);
  }
}

/** Groups that share a text are one cluster (the weakest similarity counts); clusters of one account are dropped. */
function clustersFromGroups(texts: readonly AuthoredText[], links: { indexes: number[]; similarity: number }[], source: string): TextCluster[] {
  const clusterOf = new Map<number, { indexes: Set<number>; similarity: number }>();
  for (const link of links) {
    const merged = { indexes: new Set(link.indexes), similarity: link.similarity };
    for (const i of link.indexes) {
      const existing = clusterOf.get(i);
      if (existing && existing !== merged) {
        for (const j of existing.indexes) merged.indexes.add(j);
        merged.similarity = Math.min(merged.similarity, existing.similarity);
      }
    }
    for (const i of merged.indexes) clusterOf.set(i, merged);
  }
  return [...new Set(clusterOf.values())].flatMap((cluster) => {
    const indexes = [...cluster.indexes].sort((a, b) => a - b);
    const memberIds = [...new Set(indexes.map((i) => texts[i]!.memberId))].sort();
    return memberIds.length >= 2 ? [{ memberIds, textIds: indexes.map((i) => texts[i]!.id), similarity: cluster.similarity, source }] : [];
  });
}

/** The app's finder: the LLM (falling back offline) when the review tagger's LLM is configured, offline otherwise. */
export function createTextSimilarity(
  config: ReviewTaggerConfig,
  deps: { usageLog?: LlmUsageLog; logger?: Logger; onFallback?: (fallback: TextSimilarityFallback) => void } = {},
): TextSimilarity {
  const settings = llmSettings(config);
  if (!settings) return new OfflineTextSimilarity();
  return new LlmTextSimilarity({
    ...settings,
    ...(config.LLM_TIMEOUT_MS !== undefined ? { timeoutMs: config.LLM_TIMEOUT_MS } : {}),
    ...(config.LLM_MAX_RETRIES !== undefined ? { maxRetries: config.LLM_MAX_RETRIES } : {}),
    ...deps,
  });
}
