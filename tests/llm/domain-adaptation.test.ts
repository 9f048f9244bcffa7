/**
 * Self-training adaptation of the offline tagger to a domain's unlabelled texts (llm/offline/domain-adaptation.ts)
 * and the tagger the bot runs with it per group (llm/offline/domain-adaptive-tagger.ts). On a tiny made-up domain:
 * the source model knows 好/差; the domain's texts pair those with words it never saw (情节 with 好, 印刷 with 差),
 * and adaptation must learn the new words from the texts alone.
 */
import { describe, expect, it } from 'vitest';
import { adaptModel, ADAPTATION, domainText, type AdaptationSettings } from '../../llm/offline/domain-adaptation.js';
import { DomainAdaptiveTagger } from '../../llm/offline/domain-adaptive-tagger.js';
import { chineseFeatureStrings, fnv1a, hanFeatureIds, hashedFeatures, hashedFeaturesFromStrings } from '../../llm/offline/features.js';
import { encodeText, margin, type LanguageModel, type SentimentModels } from '../../llm/offline/linear-model.js';
import { OfflineReviewTagger, OFFLINE_TAGGER_NAME } from '../../llm/offline/offline-tagger.js';
import { trainLogistic } from '../../llm/offline/train-logistic.js';

const BITS = 14;
const SMALL: AdaptationSettings = { ...ADAPTATION, minTexts: 20 };

function sourceModel(): LanguageModel {
  const rows: [string, 0 | 1][] = [];
  for (let i = 0; i < 40; i++) {
    rows.push([`东西很好${i % 7 === 0 ? '，满意' : ''}`, 1], [`非常好，推荐${'!'.repeat(i % 3)}`, 1]);
    rows.push([`东西很差${i % 7 === 0 ? '，失望' : ''}`, 0], [`非常差，不推荐${'!'.repeat(i % 3)}`, 0]);
  }
  return trainLogistic(rows.map(([t, label]) => ({ ...encodeText(t, 'zh', BITS), label })), { bits: BITS, epochs: 5, learningRate: 0.3, l2: 1e-5, seed: 1 });
}

/** The domain's texts, unlabelled: praise comes with 情节, complaints with 印刷. */
function domainTexts(): string[] {
  const out: string[] = [];
  for (let i = 0; i < 30; i++) out.push(`很好，情节精彩${'。'.repeat(i % 3)}`, `很差，印刷模糊${'。'.repeat(i % 3)}`, `${['这本', '那本', '这套'][i % 3]}情节精彩`, `${['这本', '那本', '这套'][i % 3]}印刷模糊`);
  return out;
}

const z = (model: LanguageModel, text: string) => margin(model, encodeText(text, 'zh', BITS));

describe('adaptModel (self-training on unlabelled texts)', () => {
  const base = sourceModel();
  const texts = domainTexts().map((t) => encodeText(t, 'zh', BITS));

  it('learns the domain words from the texts alone', () => {
    const adapted = adaptModel(base, texts, SMALL);
    expect(z(adapted, '情节精彩')).toBeGreaterThan(z(base, '情节精彩'));
    expect(z(adapted, '印刷模糊')).toBeLessThan(z(base, '印刷模糊'));
    expect(z(adapted, '情节精彩')).toBeGreaterThan(0);
    expect(z(adapted, '印刷模糊')).toBeLessThan(0);
    // What the source model knew still holds.
    expect(z(adapted, '东西很好')).toBeGreaterThan(0);
    expect(z(adapted, '东西很差')).toBeLessThan(0);
  });

  it('is deterministic and leaves the base model untouched', () => {
    const before = Float32Array.from(base.weights);
    const a = adaptModel(base, texts, SMALL);
    const b = adaptModel(base, texts, SMALL);
    expect(Buffer.from(a.weights.buffer).equals(Buffer.from(b.weights.buffer))).toBe(true);
    expect(a.bias).toBe(b.bias);
    expect(Buffer.from(base.weights.buffer).equals(Buffer.from(before.buffer))).toBe(true);
  });

  it('moves only the adaptable ids: n-grams without a Han character keep their weights', () => {
    const withUrls = domainTexts().map((t, i) => `${t} http:t.cn/z${i % 5}x`);
    const adapted = adaptModel(base, withUrls.map((t) => domainText(t, BITS)), SMALL);
    const mask = (1 << BITS) - 1;
    const han = new Set(withUrls.flatMap((t) => Array.from(hanFeatureIds(t, BITS))));
    let moved = 0;
    for (const f of new Set(withUrls.flatMap((t) => chineseFeatureStrings(t)))) {
      const j = fnv1a(f) & mask;
      if (han.has(j)) continue;
      expect(adapted.weights[j]).toBe(base.weights[j]);
      moved++;
    }
    expect(moved).toBeGreaterThan(10); // the URL pieces were there, and stayed put
    expect(z(adapted, '情节精彩')).toBeGreaterThan(0);
  });

  it('mixes the general and the adapted weights with keepBase (an ensemble of the two linear models)', () => {
    const adapted = adaptModel(base, texts, SMALL);
    const mixed = adaptModel(base, texts, { ...SMALL, keepBase: 0.3 });
    for (const text of ['情节精彩', '印刷模糊', '东西很好']) {
      expect(z(mixed, text)).toBeCloseTo(0.3 * z(base, text) + 0.7 * z(adapted, text), 4);
    }
  });

  it('averages the last rounds\' models with averageLast, still learning the domain words', () => {
    const averaged = adaptModel(base, texts, { ...SMALL, averageLast: 4 });
    const last = adaptModel(base, texts, { ...SMALL, averageLast: 1 });
    expect(Buffer.from(averaged.weights.buffer).equals(Buffer.from(last.weights.buffer))).toBe(false);
    expect(z(averaged, '情节精彩')).toBeGreaterThan(0);
    expect(z(averaged, '印刷模糊')).toBeLessThan(0);
  });

  it('with matchShare reads as many texts positive as the general model did', () => {
    // A domain the general model reads three quarters positive.
    const skewed = [...domainTexts(), ...domainTexts().filter((t) => t.includes('情节'))].map((t) => encodeText(t, 'zh', BITS));
    const positives = (m: LanguageModel) => skewed.filter((x) => margin(m, x) >= 0).length;
    const adapted = adaptModel(base, skewed, { ...SMALL, matchShare: true });
    expect(positives(adapted)).toBe(positives(base));
  });

  it('with a committee averages the models adapted with each member setting (their margins, as the model is linear)', () => {
    const members: AdaptationSettings[] = [SMALL, { ...SMALL, rounds: 12, rampRounds: 8 }, { ...SMALL, share: 0.8 }];
    const committee = adaptModel(base, texts, { ...SMALL, committee: members });
    const each = members.map((m) => adaptModel(base, texts, m));
    for (const text of ['情节精彩', '印刷模糊', '东西很好', '东西很差']) {
      expect(z(committee, text)).toBeCloseTo(each.reduce((s, m) => s + z(m, text), 0) / each.length, 4);
    }
    expect(z(committee, '情节精彩')).toBeGreaterThan(0);
    expect(z(committee, '印刷模糊')).toBeLessThan(0);
    // The committee's own minTexts decides; the members' do not.
    expect(adaptModel(base, texts.slice(0, 19), { ...SMALL, committee: members })).toBe(base);
    const strictMembers = members.map((m) => ({ ...m, minTexts: 1000 }));
    expect(z(adaptModel(base, texts, { ...SMALL, committee: strictMembers }), '情节精彩')).toBeCloseTo(z(committee, '情节精彩'), 6);
  });

  it('returns the base model when there are fewer texts than minTexts', () => {
    expect(adaptModel(base, texts.slice(0, 19), SMALL)).toBe(base);
    expect(adaptModel(base, [], SMALL)).toBe(base);
  });
});

describe('OfflineReviewTagger.adaptedTo', () => {
  const models: SentimentModels = { zh: sourceModel(), en: { bits: 10, weights: new Float32Array(1 << 10), bias: 0 } };
  const tagger = new OfflineReviewTagger(models);

  it('adapts the Chinese model and says so in the tagger name of Chinese reviews only', () => {
    const adapted = tagger.adaptedTo(domainTexts(), SMALL);
    expect(adapted).not.toBe(tagger);
    expect(adapted.name).toBe(`${OFFLINE_TAGGER_NAME}+adapted`);
    expect(adapted.probability('情节精彩')).toBeGreaterThan(tagger.probability('情节精彩'));
    expect(adapted.tagOne({ id: '1', text: '情节精彩' }).tagger).toBe(`${OFFLINE_TAGGER_NAME}+adapted`);
    expect(adapted.tagOne({ id: '2', text: 'great plot' }).tagger).toBe(OFFLINE_TAGGER_NAME);
  });

  it('counts only Chinese texts towards minTexts', () => {
    const english = Array.from({ length: 100 }, (_, i) => `great plot number ${i}`);
    expect(tagger.adaptedTo([...english, ...domainTexts().slice(0, 19)], SMALL)).toBe(tagger);
  });
});

describe('DomainAdaptiveTagger', () => {
  const models: SentimentModels = { zh: sourceModel(), en: { bits: 10, weights: new Float32Array(1 << 10), bias: 0 } };
  const base = new OfflineReviewTagger(models);

  function setup(corpora: Record<string, string[]>, extra: Partial<ConstructorParameters<typeof DomainAdaptiveTagger>[1]> = {}) {
    let now = 0;
    const reads: string[] = [];
    const warnings: object[] = [];
    const tagger = new DomainAdaptiveTagger(base, {
      corpus: async (domain) => {
        reads.push(domain);
        if (!(domain in corpora)) throw new Error('database down');
        return corpora[domain]!;
      },
      settings: SMALL,
      recheckMs: 1000,
      now: () => now,
      logger: { debug: () => {}, info: () => {}, warn: (o) => warnings.push(o), error: () => {} },
      ...extra,
    });
    return { tagger, reads, warnings, advance: (ms: number) => (now += ms) };
  }

  it("tags a group's review with the model adapted to the group's stored reviews", async () => {
    const { tagger } = setup({ books: domainTexts() });
    const [withDomain, without] = await tagger.tag([
      { id: '1', text: '印刷模糊', domain: 'books' },
      { id: '2', text: '印刷模糊' },
    ]);
    expect(withDomain!.tagger).toBe(`${OFFLINE_TAGGER_NAME}+adapted`);
    expect(withDomain!.score).toBeLessThan(without!.score);
    expect(without!.tagger).toBe(OFFLINE_TAGGER_NAME);
    expect(tagger.name).toBe(OFFLINE_TAGGER_NAME);
  });

  it('uses the shipped model for a group with too few reviews', async () => {
    const { tagger } = setup({ small: domainTexts().slice(0, 10) });
    const [tags] = await tagger.tag([{ id: '1', text: '印刷模糊', domain: 'small' }]);
    expect(tags).toEqual(base.tagOne({ id: '1', text: '印刷模糊' }));
  });

  it('reads the stored reviews once per recheck interval, also for concurrent calls, and re-adapts only after growth', async () => {
    const corpus = domainTexts();
    const { tagger, reads, advance } = setup({ books: corpus });
    const [a, b] = await Promise.all([tagger.taggerFor('books'), tagger.taggerFor('books')]);
    expect(a).toBe(b);
    expect(reads).toEqual(['books']);
    expect(await tagger.taggerFor('books')).toBe(a);
    advance(1001);
    expect(await tagger.taggerFor('books')).toBe(a); // read again, grown by less than 20%: same model
    expect(reads).toEqual(['books', 'books']);
    corpus.push(...domainTexts().slice(0, 30));
    advance(1001);
    expect(await tagger.taggerFor('books')).not.toBe(a);
  });

  it('keeps at most maxDomains adapted models', async () => {
    const { tagger, reads } = setup({ a: domainTexts(), b: domainTexts(), c: domainTexts() }, { maxDomains: 2 });
    await tagger.taggerFor('a');
    await tagger.taggerFor('b');
    await tagger.taggerFor('a');
    await tagger.taggerFor('c'); // drops b, the least recently used
    await tagger.taggerFor('a');
    await tagger.taggerFor('b');
    expect(reads).toEqual(['a', 'b', 'c', 'b']);
  });

  it('falls back to the shipped model with a warning when the stored reviews cannot be read', async () => {
    const { tagger, warnings } = setup({});
    const [tags] = await tagger.tag([{ id: '1', text: '印刷模糊', domain: 'gone' }]);
    expect(tags!.tagger).toBe(OFFLINE_TAGGER_NAME);
    expect(warnings).toHaveLength(1);
  });
});

describe('hanFeatureIds', () => {
  it('is the subset of the Chinese ids whose n-gram has a Han character', () => {
    const text = '牛奶不错 http:t.cn/zlW19ri @mark 𠀀好 々〇 ⺀x';
    const all = Array.from(hashedFeatures(text, 'zh', 20));
    const han = Array.from(hanFeatureIds(text, 20));
    const expected = [...new Set(chineseFeatureStrings(text).filter((f) => /\p{Script=Han}/u.test(f)).map((f) => fnv1a(f) & 0xfffff))];
    expect(han).toEqual(expected);
    expect(han.every((id) => all.includes(id))).toBe(true);
    expect(han).not.toContain(fnv1a('htt') & 0xfffff);
    expect(han).toContain(fnv1a('𠀀好') & 0xfffff);
  });
});

describe('hashedFeatures', () => {
  it('gives the ids of the feature strings, in the same order', () => {
    const texts = [
      '苹果很新鲜，就是快递有点慢', '  好  的 ', 'iPhone很好用 wifi OK', '𠀀𠀁𠀂 x', '\ud83d好', '好\ud800', '😀好 吃😀😀', '',
      "Not good at all!! isn't it sooo good?", 'The delivery was late, but the seller refunded me.',
    ];
    for (const text of texts) {
      for (const [language, bits] of [['zh', 20], ['en', 18]] as const) {
        expect(Array.from(hashedFeatures(text, language, bits))).toEqual(Array.from(hashedFeaturesFromStrings(text, language, bits)));
      }
    }
  });
});
