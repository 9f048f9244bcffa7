/**
 * The usage log port: one record per LLM call (what for, which model, tokens, time, outcome), so the cost of
 * tagging is known. prisma/llm-store.ts writes it to LlmCall; MemoryLlmUsageLog sums it for the CLI's summary.
 */

export interface LlmCallRecord {
  /** What the call was for, e.g. `review-tagging`. */
  purpose: string;
  model: string;
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
  /** Wall time of the call including LangChain's retries. */
  durationMs: number;
  /** False when the call failed or its answer was rejected as a whole. */
  ok: boolean;
  /** Why it failed; never contains the API key. */
  error: string | null;
}

export interface LlmUsageLog {
  record(call: LlmCallRecord): Promise<void>;
}

/** Keeps every record in memory and sums them: the CLI's summary, tests. */
export class MemoryLlmUsageLog implements LlmUsageLog {
  readonly calls: LlmCallRecord[] = [];

  async record(call: LlmCallRecord): Promise<void> {
    this.calls.push({ ...call });
  }

  totals(): { calls: number; failed: number; promptTokens: number; completionTokens: number; totalTokens: number } {
    let promptTokens = 0;
    let completionTokens = 0;
    let totalTokens = 0;
    let failed = 0;
    for (const call of this.calls) {
      promptTokens += call.promptTokens;
      completionTokens += call.completionTokens;
      totalTokens += call.totalTokens;
      if (!call.ok) failed++;
    }
    return { calls: this.calls.length, failed, promptTokens, completionTokens, totalTokens };
  }
}
