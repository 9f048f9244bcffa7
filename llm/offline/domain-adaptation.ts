/**
 * Adapts the Chinese sentiment model to a review domain from that domain's own UNLABELLED texts (self-training):
 * the model reads the texts, the ones it is most sure about on each side become pseudo-labelled examples, and the
 * weights are fine-tuned on them with L2 pulling back towards the shipped weights; repeated, taking more texts each
 * round. The share of positive pseudo-labels follows the model's own reading of the texts (clamped), so a group
 * whose reviews are mostly positive is not forced to look balanced. No label is ever read: the input is texts.
 *
 * Why it helps: a category the model never saw (books, milk on Weibo, computers) has its own words for praise and
 * complaint ("情节", "倒闭", "死机"); the texts the model already reads confidently teach it those words. Measured
 * with a nested leave-one-category-out in docs/decisions/003-offline-sentiment-model.md (书籍 0.77 -> 0.90 with
 * settings chosen without its labels). Optional variants (settings in adaptation-settings.ts): every n-gram moves,
 * an ensemble with the general model, the average of the last rounds, a label-share prior. The bot adapts per
 * group, on the group's stored reviews (DomainAdaptiveTagger).
 *
 * @example
 *   const adapted = adaptModel(models.zh, groupTexts.map((t) => domainText(t, models.zh.bits)));
 */
import { hanFeatureIds, hashedFeatures } from './features.js';
import { featureValue, margin, sigmoid, type EncodedText, type LanguageModel } from './linear-model.js';
import { mulberry32, shuffleInPlace } from './sentiment-data.js';
import { ADAPTATION, type AdaptationSettings } from './adaptation-settings.js';

export { ADAPTATION, ADAPTATION_CANDIDATES, SELF_TRAINING, type AdaptationCandidate, type AdaptationSettings } from './adaptation-settings.js';

/** One text of the domain: its feature ids, and the ids adaptation may move (default: all of them). */
export interface DomainText extends EncodedText {
  adaptable?: Int32Array;
}

/**
 * A Chinese text as adaptation reads it: all its n-gram ids (for the model's reading), and as adaptable only the
 * n-grams with a Han character (URL pieces, user names and numbers keep their shipped weights; see hanFeatureIds).
 * Built from the text alone: there is no place for a label.
 */
export function domainText(text: string, bits: number): DomainText {
  return { ids: hashedFeatures(text, 'zh', bits), adaptable: hanFeatureIds(text, bits) };
}

/** One example as the fine-tuning reads it. */
interface PseudoExample {
  ids: Int32Array;
  adaptable: Int32Array;
  label: 0 | 1;
}

/**
 * Fine-tunes a copy of `base` on pseudo-labelled examples: AdaGrad on the touched weights with L2 towards the base
 * weights (not towards zero), so a word the domain's texts do not contradict keeps what the labelled data taught.
 */
function fineTune(base: LanguageModel, examples: readonly PseudoExample[], s: AdaptationSettings): LanguageModel {
  const weights = Float32Array.from(base.weights);
  const gradSquares = new Float32Array(weights.length).fill(1e-8);
  const baseWeights = base.weights;
  let bias = base.bias;
  let biasGradSquare = 1e-8;
  const order = examples.map((_, i) => i);
  const rng = mulberry32(s.seed);
  for (let epoch = 0; epoch < s.epochs; epoch++) {
    shuffleInPlace(order, rng);
    for (const index of order) {
      const x = examples[index] as PseudoExample;
      const ids = x.ids;
      const v = featureValue(ids.length);
      let sum = 0;
      for (let k = 0; k < ids.length; k++) sum += weights[ids[k] as number] as number;
      const error = sigmoid(bias + sum * v) - x.label;
      const adaptable = x.adaptable;
      for (let k = 0; k < adaptable.length; k++) {
        const j = adaptable[k] as number;
        const w = weights[j] as number;
        const g = error * v + s.l2 * (w - (baseWeights[j] as number));
        gradSquares[j] = (gradSquares[j] as number) + g * g;
        weights[j] = w - (s.learningRate * g) / Math.sqrt(gradSquares[j] as number);
      }
      biasGradSquare += error * error;
      bias -= (s.learningRate * error) / Math.sqrt(biasGradSquare);
    }
  }
  return { bits: base.bits, weights, bias };
}

/**
 * Self-training on a domain's unlabelled texts (already encoded for `base`). Returns `base` itself when there are
 * fewer than `settings.minTexts` texts. Deterministic for the same texts in the same order. Hashed n-gram models
 * only: dense (lexicon) features, as the English model has, are not adapted, so this is for the Chinese model.
 */
export function adaptModel(base: LanguageModel, texts: readonly DomainText[], settings: AdaptationSettings = ADAPTATION): LanguageModel {
  if (texts.length < settings.minTexts || texts.length === 0) return base;
  if (settings.committee?.length) {
    const members = settings.committee.map((member) => adaptModel(base, texts, { ...member, minTexts: 0 }));
    const weights = new Float32Array(base.weights.length);
    for (const m of members) for (let j = 0; j < weights.length; j++) weights[j] = (weights[j] as number) + (m.weights[j] as number) / members.length;
    return { bits: base.bits, weights, bias: members.reduce((s, m) => s + m.bias, 0) / members.length };
  }
  const clampShare = (share: number) => Math.min(settings.maxClassShare, Math.max(1 - settings.maxClassShare, share));
  const averageFrom = settings.rounds - Math.max(1, settings.averageLast ?? 1);
  let model = base;
  let sum: Float32Array | undefined;
  let sumBias = 0;
  for (let round = 0; round < settings.rounds; round++) {
    const margins = texts.map((x) => margin(model, x));
    let positives = 0;
    for (const m of margins) if (m >= 0) positives++;
    const positiveShare = clampShare(positives / texts.length);
    // Most positive first; ties by position, so the order (and the result) does not depend on the sort's stability.
    const order = margins.map((_, i) => i).sort((a, b) => (margins[b] as number) - (margins[a] as number) || a - b);
    const share = settings.share * Math.min(1, (round + 1) / settings.rampRounds);
    const nPositive = Math.round(texts.length * share * positiveShare);
    const nNegative = Math.round(texts.length * share * (1 - positiveShare));
    const example = (i: number, label: 0 | 1): PseudoExample => {
      const t = texts[i] as DomainText;
      return { ids: t.ids, adaptable: settings.moveOnlyHan === false ? t.ids : (t.adaptable ?? t.ids), label };
    };
    const examples: PseudoExample[] = [
      ...order.slice(0, nPositive).map((i) => example(i, 1)),
      ...order.slice(order.length - nNegative).map((i) => example(i, 0)),
    ];
    // Always from the shipped weights: each round only re-chooses the pseudo-labels.
    model = fineTune(base, examples, settings);
    if (round >= averageFrom && averageFrom < settings.rounds - 1) {
      if (!sum) sum = new Float32Array(model.weights.length);
      for (let j = 0; j < sum.length; j++) sum[j] = (sum[j] as number) + (model.weights[j] as number);
      sumBias += model.bias;
    }
  }
  if (sum) {
    const n = settings.rounds - averageFrom;
    for (let j = 0; j < sum.length; j++) sum[j] = (sum[j] as number) / n;
    model = { bits: base.bits, weights: sum, bias: sumBias / n };
  }
  const keep = settings.keepBase ?? 0;
  if (keep > 0) {
    const weights = new Float32Array(model.weights.length);
    for (let j = 0; j < weights.length; j++) weights[j] = keep * (base.weights[j] as number) + (1 - keep) * (model.weights[j] as number);
    model = { bits: base.bits, weights, bias: keep * base.bias + (1 - keep) * model.bias };
  }
  if (settings.matchShare) {
    // Label-proportion prior: move the bias so the adapted model reads as many texts positive as the general model
    // did (clamped as above): adaptation may learn the domain's words but not drift in how positive the domain is.
    let basePositives = 0;
    for (const x of texts) if (margin(base, x) >= 0) basePositives++;
    const nPositive = Math.round(clampShare(basePositives / texts.length) * texts.length);
    const margins = texts.map((x) => margin(model, x)).sort((a, b) => b - a);
    // Threshold between the nPositive-th and the next margin.
    const lo = margins[Math.min(nPositive, margins.length - 1)] as number;
    const hi = margins[Math.max(0, nPositive - 1)] as number;
    const threshold = nPositive <= 0 ? hi + 1e-6 : nPositive >= margins.length ? lo - 1e-6 : (lo + hi) / 2;
    model = { ...model, bias: model.bias - threshold };
  }
  return model;
}
