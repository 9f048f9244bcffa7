/**
 * What the LLM tasks (review tagging, text similarity) share: a ChatOpenAI client with function-calling structured
 * output (see ADR 004 for why not `jsonSchema`), one usage-log record per call, and API-key redaction of error texts.
 * LangChain (about 0.6 s and 45 MB) is imported at the first call, so a process that never asks the LLM does not
 * load it (ADR 017).
 */
import type { BaseMessage } from '@langchain/core/messages';
import type { z } from 'zod';
import type { Logger } from '../core/ports.js';
import type { LlmUsageLog } from './llm-usage-log.js';
import type { PromptMessage } from './prompt-template.js';

export const DEFAULT_LLM_TIMEOUT_MS = 30_000;
export const DEFAULT_LLM_MAX_RETRIES = 2;

/** The client settings every LLM task takes. */
export interface ChatModelOptions {
  model: string;
  /** Sent as the bearer token; local servers that need none still get a placeholder. Never logged. */
  apiKey: string;
  /** OpenAI-compatible endpoint including `/v1`; unset: api.openai.com. */
  baseURL?: string;
  /** Per HTTP attempt. */
  timeoutMs?: number;
  /** Retries after the first attempt (timeouts, connection errors, 429, 5xx), with LangChain's backoff. */
  maxRetries?: number;
}

/** A structured-output runnable with includeRaw: the raw message, and the parsed answer when it fit the schema. */
export interface StructuredCall<T> {
  /** Sends a rendered prompt template (system and user sections). */
  invoke(prompt: readonly PromptMessage[]): Promise<{ raw: BaseMessage; parsed: T | null }>;
}

/**
 * functionCalling, not jsonSchema: with json_schema the OpenAI SDK parses the reply inside the request, so a
 * malformed answer throws there (retried, its tokens lost). With a tool call, includeRaw hands back the raw message
 * and a null `parsed`, and the caller can keep what is valid and record the tokens.
 */
export function structuredChatCall<T>(options: ChatModelOptions, schema: z.ZodType<T>, toolName: string): StructuredCall<T> {
  interface Runnable {
    invoke(messages: BaseMessage[]): Promise<{ raw: BaseMessage; parsed: T | null }>;
  }
  let runnable: Promise<{ call: Runnable; messages: (prompt: readonly PromptMessage[]) => BaseMessage[] }> | undefined;
  const load = async () => {
    const [{ ChatOpenAI }, { HumanMessage, SystemMessage }] = await Promise.all([import('@langchain/openai'), import('@langchain/core/messages')]);
    const chat = new ChatOpenAI({
      model: options.model,
      apiKey: options.apiKey,
      configuration: options.baseURL ? { baseURL: options.baseURL } : {},
      timeout: options.timeoutMs ?? DEFAULT_LLM_TIMEOUT_MS,
      maxRetries: options.maxRetries ?? DEFAULT_LLM_MAX_RETRIES,
    });
    return {
      call: chat.withStructuredOutput(schema, { name: toolName, method: 'functionCalling', includeRaw: true }) as unknown as Runnable,
      messages: (prompt: readonly PromptMessage[]) => prompt.map((m) => (m.role === 'system' ? new SystemMessage(m.content) : new HumanMessage(m.content))),
    };
  };
  return {
    async invoke(prompt) {
      runnable ??= load();
      const { call, messages } = await runnable.catch((error: unknown) => {
        runnable = undefined;
        throw error;
      });
      return call.invoke(messages(prompt));
    },
  };
}

/** An error text with the API key taken out, whatever put it there. */
export function redactApiKey(text: string, apiKey: string): string {
  return apiKey.length >= 4 ? text.split(apiKey).join('***') : text;
}

interface UsageMetadata {
  input_tokens?: number;
  output_tokens?: number;
  total_tokens?: number;
}

/** One LlmCall record with the tokens of the raw answer (none when the call failed); a log failure is only logged. */
export async function recordLlmCall(
  usageLog: LlmUsageLog | undefined,
  logger: Logger,
  call: { purpose: string; model: string; apiKey: string; durationMs: number; ok: boolean; error: string | null; raw: BaseMessage | undefined },
): Promise<void> {
  if (!usageLog) return;
  const usage = call.raw && 'usage_metadata' in call.raw ? (call.raw as { usage_metadata?: UsageMetadata }).usage_metadata : undefined;
  const promptTokens = usage?.input_tokens ?? 0;
  const completionTokens = usage?.output_tokens ?? 0;
  try {
    await usageLog.record({
      purpose: call.purpose,
      model: call.model,
      promptTokens,
      completionTokens,
      totalTokens: usage?.total_tokens ?? promptTokens + completionTokens,
      durationMs: Math.max(0, Math.round(call.durationMs)),
      ok: call.ok,
      error: call.error === null ? null : redactApiKey(call.error, call.apiKey).slice(0, 1000),
    });
  } catch (error) {
    logger.warn({ err: String(error) }, 'LLM usage log: write failed');
  }
}

/**
 * The structured answer when the whole of it did not fit the schema: the raw tool call's arguments, or JSON in the
 * content from servers that ignore tool_choice; undefined when there is neither.
 */
export function rawStructuredAnswer(raw: BaseMessage): unknown {
  const toolCalls = (raw as { tool_calls?: { args?: unknown }[] }).tool_calls;
  if (toolCalls && toolCalls.length > 0) return toolCalls[0]!.args;
  if (typeof raw.content !== 'string' || raw.content.trim() === '') return undefined;
  try {
    return JSON.parse(raw.content);
  } catch {
    return undefined;
  }
}
