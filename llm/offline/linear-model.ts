/**
 * The sentiment model: one hashed logistic regression per script (Chinese, English). `probability` is the model's
 * P(positive); everything above it (neutral band, score, aspects) is rule code in the tagger. The English model also
 * reads a few dense lexicon features (lexicon.ts) with their own weights.
 */
import { hashedFeatures, englishTokens, type ModelLanguage } from './features.js';
import { lexiconFeatures, type Lexicon } from './lexicon.js';

export interface LanguageModel {
  /** log2 of the number of hashed buckets. */
  bits: number;
  weights: Float32Array;
  bias: number;
  /** Lexicons whose scores are dense features (3 per lexicon, see `lexiconFeatures`), and their weights. */
  lexicons?: readonly Lexicon[];
  denseWeights?: Float64Array;
}

export type SentimentModels = Record<ModelLanguage, LanguageModel>;

/** One text as the model reads it: hashed feature ids and, for a model with lexicons, the dense features. */
export interface EncodedText {
  ids: Int32Array;
  dense?: Float64Array;
}

/**
 * Feature value for a text with `n` distinct features: 1/sqrt(n), so every text's feature vector has length 1
 * and a long review does not get a more extreme probability just for being long.
 */
export function featureValue(n: number): number {
  return n > 0 ? 1 / Math.sqrt(n) : 0;
}

/** Encodes a text for a model: hashed ids, plus lexicon features when the model has lexicons. */
export function encodeText(text: string, language: ModelLanguage, bits: number, lexicons?: readonly Lexicon[]): EncodedText {
  if (language === 'zh' || !lexicons?.length) return { ids: hashedFeatures(text, language, bits) };
  const tokens = englishTokens(text);
  return { ids: hashedFeatures(text, language, bits, tokens), dense: lexiconFeatures(text, lexicons, tokens) };
}

/** Raw margin w·x + b for an encoded text (hashed ids, optional dense features). */
export function margin(model: LanguageModel, x: EncodedText): number {
  const ids = x.ids;
  const v = featureValue(ids.length);
  let sum = 0;
  for (let i = 0; i < ids.length; i++) sum += model.weights[ids[i] as number] as number;
  let m = model.bias + sum * v;
  const dense = x.dense;
  const dw = model.denseWeights;
  if (dense && dw) for (let d = 0; d < dense.length; d++) m += (dw[d] as number) * (dense[d] as number);
  return m;
}

export function sigmoid(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

/** P(positive) for a text under one language's model. */
export function probability(model: LanguageModel, text: string, language: ModelLanguage): number {
  return sigmoid(margin(model, encodeText(text, language, model.bits, model.lexicons)));
}
