/**
 * Near-duplicate texts across accounts (core/moderation/text-signals.ts): the offline finder on templated praise
 * and on ordinary reviews, and the LLM finder against the local OpenAI-compatible server, with its fallback.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AuthoredText } from '../../core/moderation/text-signals.js';
import { LlmTextSimilarity, createTextSimilarity, type TextSimilarityFallback } from '../../llm/llm-text-similarity.js';
import { MemoryLlmUsageLog } from '../../llm/llm-usage-log.js';
import { OfflineTextSimilarity, normalizeForSimilarity } from '../../llm/offline/text-similarity.js';
import { closedPortBaseUrl, startFakeOpenAiServer, type ChatCompletionRequest, type FakeOpenAiServer } from '../support/fake-openai-server.js';

const API_KEY = 'sk-test-secret-key-1234567890';

const puppetPraise: AuthoredText[] = [
  { id: 'r1', memberId: 'puppet-a', text: '好评！质量超好，物流超快👍' },
  { id: 'r2', memberId: 'puppet-b', text: '好评!!质量超级好,物流超快' },
  { id: 'r3', memberId: 'puppet-c', text: '好评～质量超好 物流超快👍👍👍' },
  { id: 'r4', memberId: 'puppet-d', text: '质量超好，物流超快，好评！' },
];

const ordinaryReviews: AuthoredText[] = [
  { id: 'o1', memberId: 'amy', text: '苹果很脆很甜，下次还买' },
  { id: 'o2', memberId: 'ben', text: '物流有点慢，但是东西不错' },
  { id: 'o3', memberId: 'cat', text: '草莓有几个压坏了，其他都很新鲜' },
  { id: 'o4', memberId: 'dan', text: '牛奶日期很新，孩子爱喝' },
  { id: 'o5', memberId: 'eve', text: '包装很好，一个都没坏，甜度一般' },
  { id: 'o6', memberId: 'fay', text: 'Strawberries were fresh and sweet, will buy again' },
];

describe('OfflineTextSimilarity', () => {
  const finder = new OfflineTextSimilarity();

  it('reads punctuation, emoji, spaces, width and digits alike', () => {
    expect(normalizeForSimilarity('好评！！质量超好 👍 第2次买')).toBe(normalizeForSimilarity('好评!质量超好第7次买'));
  });

  it('clusters templated praise posted by several puppets', async () => {
    const clusters = await finder.findNearDuplicates([...ordinaryReviews, ...puppetPraise]);
    expect(clusters).toHaveLength(1);
    expect(clusters[0]!.memberIds).toEqual(['puppet-a', 'puppet-b', 'puppet-c', 'puppet-d']);
    expect(clusters[0]!.textIds).toEqual(['r1', 'r2', 'r3', 'r4']);
    expect(clusters[0]!.similarity).toBeGreaterThanOrEqual(0.5);
    expect(clusters[0]!.source).toBe('offline:minhash-3');
  });

  it('does not cluster ordinary, different reviews', async () => {
    expect(await finder.findNearDuplicates(ordinaryReviews)).toEqual([]);
  });

  it('needs two accounts: one member repeating their own text is no cluster', async () => {
    const own = puppetPraise.map((t) => ({ ...t, memberId: 'same' }));
    expect(await finder.findNearDuplicates(own)).toEqual([]);
  });

  it('ignores short generic praise that honest members write too', async () => {
    const short = ['好评', '好评！', '不错不错', 'good'].map((text, i) => ({ id: `s${i}`, memberId: `m${i}`, text }));
    expect(await finder.findNearDuplicates(short)).toEqual([]);
  });

  it('finds the template among many texts', async () => {
    const many: AuthoredText[] = Array.from({ length: 400 }, (_, i) => ({
      id: `n${i}`,
      memberId: `member${i}`,
      text: `第${i}号团：${['苹果', '橙子', '牛奶', '鸡蛋'][i % 4]}${['很甜', '一般', '偏小', '新鲜'][Math.floor(i / 4) % 4]}，${['下次再来', '物流慢', '包装好', '价格贵'][Math.floor(i / 16) % 4]}${i % 7 === 0 ? '！' : '。'}${'啊呀哦嗯'.repeat(i % 3)}`,
    }));
    const clusters = await finder.findNearDuplicates([...many, ...puppetPraise]);
    const puppets = clusters.find((c) => c.textIds.includes('r1'));
    expect(puppets?.textIds).toEqual(['r1', 'r2', 'r3', 'r4']);
  });
});

/** The texts of a request as the prompt delimits them. */
function textsInRequest(request: ChatCompletionRequest): { id: string; text: string }[] {
  const user = request.body.messages.filter((m) => m.role === 'user').map((m) => m.content).join('\n');
  return [...user.matchAll(/<text id="([^"]*)">\n([\s\S]*?)\n<\/text>/g)].map((m) => ({ id: m[1]!, text: m[2]! }));
}

/** A fake model that groups the texts mentioning 物流超快 (the puppets' template). */
function groupTemplate(request: ChatCompletionRequest) {
  const ids = textsInRequest(request).filter((t) => t.text.includes('物流超快')).map((t) => t.id);
  return { kind: 'structured' as const, value: { groups: ids.length >= 2 ? [{ ids, similarity: 0.9 }] : [] } };
}

describe('LlmTextSimilarity', () => {
  let server: FakeOpenAiServer;
  beforeEach(async () => {
    server = await startFakeOpenAiServer(groupTemplate);
  });
  afterEach(async () => {
    await server.close();
  });

  const finder = (options: { fallbacks?: TextSimilarityFallback[]; usageLog?: MemoryLlmUsageLog; batchSize?: number; timeoutMs?: number } = {}) =>
    new LlmTextSimilarity({
      model: 'test-model',
      apiKey: API_KEY,
      baseURL: server.baseURL,
      timeoutMs: options.timeoutMs ?? 2000,
      maxRetries: 0,
      ...(options.batchSize ? { batchSize: options.batchSize } : {}),
      ...(options.usageLog ? { usageLog: options.usageLog } : {}),
      onFallback: (f) => options.fallbacks?.push(f),
    });

  it('asks the model with batch-local ids and maps its groups back to members and texts', async () => {
    const usageLog = new MemoryLlmUsageLog();
    const clusters = await finder({ usageLog }).findNearDuplicates([...ordinaryReviews, ...puppetPraise]);
    expect(server.requests).toHaveLength(1);
    const request = server.requests[0]!;
    expect(request.body.tools?.[0]?.function.name).toBe('report_templated_groups');
    expect(textsInRequest(request).map((t) => t.id)).toEqual(['1', '2', '3', '4', '5', '6', '7', '8', '9', '10']);
    expect(JSON.stringify(request.body)).not.toContain('puppet-a');
    expect(clusters).toEqual([
      { memberIds: ['puppet-a', 'puppet-b', 'puppet-c', 'puppet-d'], textIds: ['r1', 'r2', 'r3', 'r4'], similarity: 0.9, source: 'llm:test-model' },
    ]);
    expect(usageLog.calls.map((c) => [c.purpose, c.ok])).toEqual([['text-similarity', true]]);
  });

  it('sends batches of batchSize and ignores ids the batch does not have', async () => {
    server.setHandler(() => ({ kind: 'structured', value: { groups: [{ ids: ['1', '2', '99'], similarity: 0.8 }] } }));
    const clusters = await finder({ batchSize: 3 }).findNearDuplicates(ordinaryReviews);
    expect(server.requests.map((r) => textsInRequest(r).length)).toEqual([3, 3]);
    expect(clusters.map((c) => c.textIds)).toEqual([['o1', 'o2'], ['o4', 'o5']]);
  });

  it('drops a group of one account', async () => {
    const own = puppetPraise.map((t) => ({ ...t, memberId: 'same' }));
    expect(await finder().findNearDuplicates(own)).toEqual([]);
  });

  it('falls back to the offline finder on a malformed answer', async () => {
    server.setHandler(() => ({ kind: 'rawArguments', text: '{"groups": "all of them"}' }));
    const fallbacks: TextSimilarityFallback[] = [];
    const clusters = await finder({ fallbacks }).findNearDuplicates([...ordinaryReviews, ...puppetPraise]);
    expect(fallbacks.map((f) => f.reason)).toEqual(['malformed']);
    expect(clusters.map((c) => [c.source, c.textIds])).toEqual([['offline:minhash-3', ['r1', 'r2', 'r3', 'r4']]]);
  });

  it('falls back to the offline finder on a timeout and on an HTTP error, without leaking the key', async () => {
    server.setHandler(() => ({ kind: 'delay', ms: 1500, then: { kind: 'structured', value: { groups: [] } } }));
    const fallbacks: TextSimilarityFallback[] = [];
    const slow = await finder({ fallbacks, timeoutMs: 200 }).findNearDuplicates(puppetPraise);
    server.setHandler(() => ({ kind: 'http', status: 401, body: { error: { message: `bad key ${API_KEY}` } } }));
    const refused = await finder({ fallbacks }).findNearDuplicates(puppetPraise);
    expect(fallbacks.map((f) => f.reason)).toEqual(['timeout', 'refused']);
    expect(fallbacks.some((f) => f.message.includes(API_KEY))).toBe(false);
    for (const clusters of [slow, refused]) expect(clusters[0]?.source).toBe('offline:minhash-3');
  });

  it('falls back when the server is down', async () => {
    const fallbacks: TextSimilarityFallback[] = [];
    const down = new LlmTextSimilarity({ model: 'm', apiKey: API_KEY, baseURL: await closedPortBaseUrl(), maxRetries: 0, onFallback: (f) => fallbacks.push(f) });
    const clusters = await down.findNearDuplicates(puppetPraise);
    expect(fallbacks.map((f) => f.reason)).toEqual(['unavailable']);
    expect(clusters[0]!.memberIds).toHaveLength(4);
  });
});

describe('createTextSimilarity', () => {
  it('is offline without an LLM configuration, and the LLM finder with one', () => {
    expect(createTextSimilarity({}).name).toBe('offline:minhash-3');
    expect(createTextSimilarity({ OPENAI_BASE_URL: 'http://127.0.0.1:1/v1', LLM_MODEL: 'local' }).name).toBe('llm:local');
  });
});
