/**
 * Text signals for fake-engagement cases: near-identical or templated share and review texts posted by several
 * accounts (puppets posting the same praise). A text signal is supporting evidence for a case that the like
 * history already raised, never the sole reason to flag an account: honest members copy a friend's wording too.
 *
 * The port only; the implementations live in `llm/` (an offline text-similarity one, and one asking an
 * OpenAI-compatible model that falls back to the offline one), so the core imports no LLM library.
 *
 * @example
 *   const clusters = await textSimilarity.findNearDuplicates([
 *     { id: 'share:1', memberId: 'u1', text: '好评！质量超好，物流超快👍' },
 *     { id: 'share:2', memberId: 'u2', text: '好评!!质量超级好,物流超快' },
 *   ]);
 *   // [{ memberIds: ['u1', 'u2'], textIds: ['share:1', 'share:2'], similarity: 0.55, source: 'offline:minhash-3' }]
 */

/** One share or review text and the account that posted it. `id` is the caller's (e.g. `review:42`). */
export interface AuthoredText {
  id: string;
  memberId: string;
  text: string;
}

/** Texts judged near-identical or filled from one template, posted by at least two accounts. */
export interface TextCluster {
  /** The distinct accounts, sorted; always two or more. */
  memberIds: string[];
  /** The texts of the cluster, in input order. */
  textIds: string[];
  /**
   * 0..1, how alike the texts are: for the offline finder the lowest Jaccard similarity among the pairs that joined
   * the cluster; for an LLM the model's own estimate.
   */
  similarity: number;
  /** Who found it: `offline:minhash-3`, `llm:<model>`. */
  source: string;
}

/** Finds clusters of near-duplicate texts across accounts. Implementations never throw for a model failure. */
export interface TextSimilarity {
  readonly name: string;
  findNearDuplicates(texts: readonly AuthoredText[]): Promise<TextCluster[]>;
}
