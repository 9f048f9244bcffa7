/**
 * Text signals in the moderation scan (core/moderation/text-evidence.ts, ADR 013): near-identical texts among a
 * case's accounts add a reason, evidence and a little score, found offline or by an LLM (the local OpenAI-compatible
 * fake server), and never flag anyone by themselves: honest members posting the same words stay unflagged.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../../core/events.js';
import { detectFakeEngagement } from '../../../core/moderation/detect.js';
import type { TextSignal } from '../../../core/moderation/text-evidence.js';
import type { TextSimilarity } from '../../../core/moderation/text-signals.js';
import { LlmTextSimilarity } from '../../../llm/llm-text-similarity.js';
import { OfflineTextSimilarity } from '../../../llm/offline/text-similarity.js';
import { alice, anna, bob, carol, GROUP, HOUR, laoLi, MINUTE, useCoreHarness, type CoreHarness } from '../../support/core-harness.js';
import { startFakeOpenAiServer, type ChatCompletionRequest, type FakeOpenAiServer } from '../../support/fake-openai-server.js';
import { accounts, friendSquad, likeInTurn, likeRound, oldMembers, ringLikes, shares } from './fake-engagement.js';

const ring = accounts(6, 600, 'Ringer');
const friends = accounts(5, 700, 'Friend');
const rounders = accounts(5, 800, 'Rounder');
const neighbours = accounts(12, 900, 'Neighbour');
const dave: Actor = { id: 'tg:14', displayName: 'Dave', username: 'dave', languageCode: 'en' };

/** The puppets' praise, six ways (one cluster offline: weakest link 0.545). */
const praise = ['好评！质量超好，物流超快👍', '好评!!质量超级好,物流超快', '好评～质量超好 物流超快👍👍👍', '质量超好，物流超快，好评！', '好评！！质量超好，物流超快', '质量超好物流超快，好评👍'];
/** What five friends all wrote about the same strawberries (one cluster offline). */
const friendsWords = ['这次的草莓又大又甜，孩子很喜欢，下次还来', '这次的草莓又大又甜，孩子很喜欢！下次还来👍', '这次草莓又大又甜，孩子很喜欢，下次还来~', '这次的草莓又大又甜 孩子很喜欢 下次还来', '这次的草莓又大又甜，孩子很喜欢，下次还来！！'];

/**
 * A ring whose accounts each posted `words(i)` first, then liked three customers' shares in lockstep, with
 * camouflage: each also liked two of Bob's shares hours apart from the others (so their focus, and score, is not 1).
 */
async function ringThatWrites(h: CoreHarness, words: (i: number) => string): Promise<void> {
  await oldMembers(h, [anna, laoLi, bob, ...ring.slice(0, 2)]);
  for (const [i, account] of ring.entries()) await shares(h, account, words(i));
  for (let k = 0; k < 2; k++) {
    const id = await shares(h, bob, `Bob's market day ${k + 1}`);
    await likeInTurn(h, id, ring, 40 * MINUTE);
  }
  await ringLikes(h, [alice, carol, dave], ring);
}

/** Friends, a like round and a popular share, the friends all saying the same: nothing the detector flags. */
async function honestGroup(h: CoreHarness): Promise<void> {
  await oldMembers(h, [anna, laoLi, bob, ...neighbours]);
  await friendSquad(h, friends, (i) => friendsWords[i]!);
  await likeRound(h, anna, rounders);
  const popular = await shares(h, carol, 'Everyone wants these peaches');
  await likeInTurn(h, popular, neighbours, 20 * MINUTE);
  await likeInTurn(h, popular, friends, 5 * MINUTE);
}

const signalsOf = async (h: CoreHarness): Promise<TextSignal[]> => ((await h.db.prisma.flagCase.findFirstOrThrow()).evidence as { textSignals?: TextSignal[] }).textSignals ?? [];

describe('text signals, offline', { timeout: 180_000 }, () => {
  const h = useCoreHarness();

  it('add a reason, the texts and a little score to a ring whose accounts posted near-identical praise', async () => {
    await ringThatWrites(h, (i) => praise[i]!);
    const base = detectFakeEngagement(await h.store.moderation.history(GROUP.id)).flagged;
    expect(base.map((f) => f.kind)).toEqual(Array(6).fill('ring'));
    await h.core.runJob('moderation.scan', { groupId: GROUP.id });
    const [signal, ...more] = await signalsOf(h);
    expect(more).toEqual([]);
    expect(signal).toMatchObject({ accounts: ring.map((r) => r.id).sort(), source: 'offline:minhash-3', sample: praise[0] });
    expect(signal!.texts).toHaveLength(6);
    expect(signal!.similarity).toBeGreaterThanOrEqual(0.5);
    const members = await h.db.prisma.flagCaseMember.findMany();
    for (const member of members) {
      const before = base.find((f) => f.user === member.memberId)!;
      expect(before.score).toBeLessThan(1);
      expect(member.score).toBeCloseTo(Math.min(1, before.score + 0.05), 3);
      expect((member.reasons as string[]).at(-1)).toMatch(/^6 accounts posted near-identical texts \(similarity 0\.\d+, found by offline:minhash-3\), e\.g\. "好评！质量超好，物流超快👍"$/);
    }
    const alert = h.dmsTo(anna).find((text) => text.startsWith('⚠️'));
    expect(alert).toContain('6 of them posted near-identical texts, e.g. “好评！质量超好，物流超快👍”.');
    expect(h.dmsTo(laoLi).find((text) => text.startsWith('⚠️'))).toContain('其中 6 个账号发过几乎相同的文字，例如“好评！质量超好，物流超快👍”。');
  });

  it('leave a ring whose accounts wrote different things as the detector found it', async () => {
    await ringThatWrites(h, (i) => [`Fresh eggs from the farm ${'!'.repeat(i)}`, '牛奶日期很新', '橙子有点酸', '苹果很脆很甜', 'Nice box, fast delivery', '草莓压坏了两个'][i]!);
    await h.core.runJob('moderation.scan', { groupId: GROUP.id });
    expect(await signalsOf(h)).toEqual([]);
    expect(await h.db.prisma.flagCase.count()).toBe(1);
  });

  it('never flag anyone by themselves: honest friends saying the same words stay unflagged', async () => {
    await honestGroup(h);
    await h.advanceAndRunJobs(7 * HOUR);
    await h.core.runJob('moderation.scan', { groupId: GROUP.id });
    expect(await h.db.prisma.flagCase.count()).toBe(0);
    expect(h.dmsTo(anna).filter((text) => text.startsWith('⚠️'))).toEqual([]);
    // The words were near-identical all the same: the finder groups them when asked.
    const texts = await h.store.moderation.authoredTexts(GROUP.id, friends.map((f) => f.id));
    expect((await new OfflineTextSimilarity().findNearDuplicates(texts)).map((c) => c.memberIds)).toEqual([friends.map((f) => f.id).sort()]);
  });
});

describe('text signals from an LLM', { timeout: 180_000 }, () => {
  let server: FakeOpenAiServer | undefined;
  let llm: LlmTextSimilarity | undefined;
  // The core is built before the server starts; it reaches the finder through this.
  const finder: TextSimilarity = { name: 'llm:test-model', findNearDuplicates: (texts) => llm!.findNearDuplicates(texts) };
  const h = useCoreHarness({ textSimilarity: finder });

  /** A model that sees the template: texts saying 必须五星 are one group. */
  const groupTemplate = (request: ChatCompletionRequest) => {
    const user = request.body.messages.filter((m) => m.role === 'user').map((m) => m.content).join('\n');
    const ids = [...user.matchAll(/<text id="([^"]*)">\n([\s\S]*?)\n<\/text>/g)].filter((m) => m[2]!.includes('必须五星')).map((m) => m[1]!);
    return { kind: 'structured' as const, value: { groups: ids.length >= 2 ? [{ ids, similarity: 0.8 }] : [] } };
  };

  beforeAll(async () => {
    server = await startFakeOpenAiServer(groupTemplate);
    llm = new LlmTextSimilarity({ model: 'test-model', apiKey: 'sk-test-key', baseURL: server.baseURL, timeoutMs: 5000, maxRetries: 0 });
  });
  afterAll(async () => {
    await server?.close();
  });

  /** One skeleton, other words each time: character 3-grams barely overlap, a model sees the template. */
  const templated = (i: number) => `收到${['苹果', '橙子', '牛奶', '鸡蛋', '草莓', '大米'][i]}了，${['很甜', '很香', '很新鲜', '个头大', '没压坏', '颗粒饱满'][i]}，必须五星`;

  it('come from the model when one is configured; member ids never reach it', async () => {
    server!.requests.length = 0;
    server!.setHandler(groupTemplate);
    await ringThatWrites(h, templated);
    await h.core.runJob('moderation.scan', { groupId: GROUP.id });
    const [signal] = await signalsOf(h);
    expect(signal).toMatchObject({ accounts: ring.map((r) => r.id).sort(), source: 'llm:test-model', similarity: 0.8 });
    expect(server!.requests).toHaveLength(1);
    const sent = JSON.stringify(server!.requests[0]!.body);
    for (const account of ring) expect(sent).not.toContain(account.id);
    expect(sent).toContain('必须五星');
  });

  it('fall back to the offline finder when the model fails, and the case is raised all the same', async () => {
    server!.setHandler(() => ({ kind: 'http', status: 500, body: { error: { message: 'overloaded' } } }));
    await ringThatWrites(h, (i) => praise[i]!);
    await h.core.runJob('moderation.scan', { groupId: GROUP.id });
    const [signal] = await signalsOf(h);
    expect(signal).toMatchObject({ accounts: ring.map((r) => r.id).sort(), source: 'offline:minhash-3' });
    expect(await h.db.prisma.flagCase.count()).toBe(1);
  });

  it('are never asked for when the detector flags no one', async () => {
    server!.requests.length = 0;
    server!.setHandler(groupTemplate);
    await honestGroup(h);
    await h.core.runJob('moderation.scan', { groupId: GROUP.id });
    expect(await h.db.prisma.flagCase.count()).toBe(0);
    expect(server!.requests).toEqual([]);
  });
});
