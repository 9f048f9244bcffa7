/**
 * The sentiment model: one hashed logistic regression per script (Chinese, English). `probability` is the model's
 * P(positive); everything above it (neutral band, score, aspects) is rule code in the tagger.
 */
import { hashedFeatures, type ModelLanguage } from './features.js';

export interface LanguageModel {
  /** log2 of the number of hashed buckets. */
  bits: number;
  weights: Float32Array;
  bias: number;
}

export type SentimentModels = Record<ModelLanguage, LanguageModel>;

/**
 * Feature value for a text with `n` distinct features: 1/sqrt(n), so every text's feature vector has length 1
 * and a long review does not get a more extreme probability just for being long.
 */
export function featureValue(n: number): number {
  return n > 0 ? 1 / Math.sqrt(n) : 0;
}

/** Raw margin w·x + b for already hashed feature ids. */
export function margin(model: LanguageModel, ids: Int32Array): number {
  const v = featureValue(ids.length);
  let sum = 0;
  for (let i = 0; i < ids.length; i++) sum += model.weights[ids[i] as number] as number;
  return model.bias + sum * v;
}

export function sigmoid(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

/** P(positive) for a text under one language's model. */
export function probability(model: LanguageModel, text: string, language: ModelLanguage): number {
  return sigmoid(margin(model, hashedFeatures(text, language, model.bits)));
}
