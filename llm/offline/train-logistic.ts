/**
 * Trains one hashed logistic regression with AdaGrad and L2, in plain TypeScript and fully deterministic for a
 * given seed (the example order is a seeded shuffle per epoch). Used by scripts/train-sentiment.ts.
 * Examples may carry dense features (lexicon scores); their weights are trained alongside, without L2.
 */
import { featureValue, margin, sigmoid, type EncodedText, type LanguageModel } from './linear-model.js';
import { mulberry32, shuffleInPlace } from './sentiment-data.js';

export interface TrainingExample extends EncodedText {
  label: 0 | 1;
}

export interface TrainingOptions {
  bits: number;
  epochs: number;
  learningRate: number;
  /** L2 strength per example step, applied to the weights an example touches (lazy, sparse). */
  l2: number;
  seed: number;
  /** Optional starting weights (a prior); L2 pulls towards them instead of towards zero. */
  prior?: Float32Array;
}

export function trainLogistic(examples: readonly TrainingExample[], options: TrainingOptions): LanguageModel {
  const size = 1 << options.bits;
  const prior = options.prior;
  const weights = prior ? Float32Array.from(prior) : new Float32Array(size);
  const gradSquares = new Float32Array(size).fill(1e-8);
  const denseSize = examples[0]?.dense?.length ?? 0;
  const denseWeights = denseSize ? new Float64Array(denseSize) : undefined;
  const denseGradSquares = new Float64Array(denseSize).fill(1e-8);
  let bias = 0;
  let biasGradSquare = 1e-8;
  const model: LanguageModel = { bits: options.bits, weights, bias, ...(denseWeights ? { denseWeights } : {}) };
  const order = examples.map((_, i) => i);
  const rng = mulberry32(options.seed);
  for (let epoch = 0; epoch < options.epochs; epoch++) {
    shuffleInPlace(order, rng);
    for (const index of order) {
      const example = examples[index] as TrainingExample;
      model.bias = bias;
      const error = sigmoid(margin(model, example)) - example.label;
      const v = featureValue(example.ids.length);
      for (let k = 0; k < example.ids.length; k++) {
        const j = example.ids[k] as number;
        const w = weights[j] as number;
        const g = error * v + options.l2 * (w - (prior ? (prior[j] as number) : 0));
        gradSquares[j] = (gradSquares[j] as number) + g * g;
        weights[j] = w - (options.learningRate * g) / Math.sqrt(gradSquares[j] as number);
      }
      if (denseWeights && example.dense) {
        for (let d = 0; d < denseSize; d++) {
          const g = error * (example.dense[d] as number);
          denseGradSquares[d] = (denseGradSquares[d] as number) + g * g;
          denseWeights[d] = (denseWeights[d] as number) - (options.learningRate * g) / Math.sqrt(denseGradSquares[d] as number);
        }
      }
      biasGradSquare += error * error;
      bias -= (options.learningRate * error) / Math.sqrt(biasGradSquare);
    }
  }
  model.bias = bias;
  return model;
}

/** Share of examples whose predicted label (p >= 0.5) matches. */
export function accuracy(model: LanguageModel, examples: readonly TrainingExample[]): number {
  let right = 0;
  for (const e of examples) if ((margin(model, e) >= 0 ? 1 : 0) === e.label) right++;
  return examples.length ? right / examples.length : 0;
}
