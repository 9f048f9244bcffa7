/**
 * `npm run reviews:tag` as a user runs it: a child process (tsx) on a small JSON-lines file, offline and against
 * the fake OpenAI-compatible server.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OfflineReviewTagger } from '../../llm/offline/offline-tagger.js';
import { runScript, type ScriptRun } from '../support/run-script.js';
import { reviewsInRequest, startFakeOpenAiServer, tagEveryReview, type FakeOpenAiServer } from '../support/fake-openai-server.js';

const OFFLINE = OfflineReviewTagger.load().name;

const INPUT = [
  JSON.stringify({ id: 'r1', text: '草莓很甜，就是快递有点慢', rating: 4 }),
  JSON.stringify({ id: 'r2', text: 'Terrible, half the box was rotten.' }),
  'this is not json',
  '',
  JSON.stringify({ id: 'r3' }),
  JSON.stringify({ id: 'r4', text: 'Great value, will buy again!', rating: 5 }),
  JSON.stringify({ id: 'r5', text: 'Terrible, half the box was rotten.', rating: 1 }),
].join('\n');

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'reviews-tag-'));
  await writeFile(join(dir, 'reviews.jsonl'), `${INPUT}\n`);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Runs the CLI with only the given LLM settings (none of the caller's OPENAI_* / LLM_* / database variables). */
function runCli(args: string[], llmEnv: Record<string, string> = {}): Promise<ScriptRun> {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!/^(OPENAI_|LLM_|DATABASE_URL$|DATA_DIR$)/.test(key)) env[key] = value;
  }
  Object.assign(env, llmEnv);
  return runScript('scripts/reviews-tag.ts', args, env);
}

async function outputLines(file: string): Promise<Record<string, unknown>[]> {
  return (await readFile(file, 'utf8')).trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('reviews:tag', () => {
  it('tags offline when no LLM is configured, skips bad lines with their numbers, exits 1', async () => {
    const output = join(dir, 'offline.jsonl');
    const { code, stderr } = await runCli(['--input', join(dir, 'reviews.jsonl'), '--output', output]);
    expect(code).toBe(1);
    const lines = await outputLines(output);
    expect(lines.map((l) => l.id)).toEqual(['r1', 'r2', 'r4', 'r5']);
    for (const line of lines) {
      expect(Object.keys(line)).toEqual(['id', 'sentiment', 'score', 'aspects', 'flags', 'language', 'tagger']);
      expect(line.tagger).toBe(OFFLINE);
    }
    expect(lines.map((l) => l.sentiment)).toEqual(['positive', 'negative', 'positive', 'negative']);
    expect(stderr).toContain('warning: line 3 skipped: not valid JSON');
    expect(stderr).toContain('warning: line 5 skipped: "text" must be a string');
    expect(stderr).toMatch(/reviews:tag: 4 tagged, 2 bad line\(s\) skipped, in [\d.]+ s \(offline only\)/);
    expect(stderr).toContain(`tagger:    ${OFFLINE} 4`);
    expect(stderr).toContain('sentiment: positive 2, negative 2');
    expect(stderr).toContain('llm calls: 0 (0 failed), tokens: 0 prompt + 0 completion = 0');
    expect(stderr).toMatch(/bad lines: line 3 \(not valid JSON.*\); line 5 \("text" must be a string\)/);
  }, 30_000);

  describe('against an OpenAI-compatible server', () => {
    let server: FakeOpenAiServer;
    beforeAll(async () => {
      server = await startFakeOpenAiServer();
    });
    afterAll(async () => {
      await server.close();
    });

    it('uses the LLM, tags the repeated text once, and reports tokens', async () => {
      server.requests.length = 0;
      server.setHandler(tagEveryReview(undefined, { prompt_tokens: 200, completion_tokens: 40, total_tokens: 240 }));
      const output = join(dir, 'llm.jsonl');
      const { code, stderr } = await runCli(['--input', join(dir, 'reviews.jsonl'), '--output', output], {
        OPENAI_BASE_URL: server.baseURL,
        OPENAI_API_KEY: 'sk-cli-secret-abcdef',
        LLM_MODEL: 'fake-model',
        LLM_BATCH_SIZE: '2',
      });
      expect(code).toBe(1);
      const lines = await outputLines(output);
      // The fake model's keyword rule: "慢" (slow) makes r1 negative, unlike the offline tagger.
      expect(lines.map((l) => [l.id, l.sentiment, l.tagger])).toEqual([
        ['r1', 'negative', 'llm:fake-model'],
        ['r2', 'negative', 'llm:fake-model'],
        ['r4', 'positive', 'llm:fake-model'],
        ['r5', 'negative', 'llm:fake-model'],
      ]);
      // r5 repeats r2's text: three distinct texts, batches of two.
      expect(server.requests.map((r) => reviewsInRequest(r).length)).toEqual([2, 1]);
      expect(stderr).toContain('(LLM configured)');
      expect(stderr).toContain('tagger:    llm:fake-model 4');
      expect(stderr).toContain('llm calls: 2 (0 failed), tokens: 400 prompt + 80 completion = 480');
      expect(stderr).not.toContain('sk-cli-secret-abcdef');
    }, 30_000);

    it('falls back to the offline tagger when the answers are malformed, and says so', async () => {
      server.requests.length = 0;
      server.setHandler(() => ({ kind: 'rawArguments', text: '{"results": "nope"}' }));
      const output = join(dir, 'fallback.jsonl');
      const { stderr } = await runCli(['--input', join(dir, 'reviews.jsonl'), '--output', output], {
        OPENAI_BASE_URL: server.baseURL,
        LLM_MODEL: 'fake-model',
        LLM_MAX_RETRIES: '0',
      });
      const lines = await outputLines(output);
      expect(lines.map((l) => l.tagger)).toEqual([OFFLINE, OFFLINE, OFFLINE, OFFLINE]);
      expect(stderr).toMatch(/warning: 4 review\(s\) tagged offline after an LLM failure \(malformed\)/);
      expect(stderr).toContain('fallbacks: 4 (malformed 4)');
      expect(stderr).toMatch(/llm calls: 1 \(1 failed\), tokens: 120 prompt \+ 30 completion = 150/);
    }, 30_000);

    it('refuses a base URL without a model, exit 2, naming the variable', async () => {
      const { code, stderr } = await runCli(['--input', join(dir, 'reviews.jsonl'), '--output', join(dir, 'x.jsonl')], {
        OPENAI_BASE_URL: server.baseURL,
      });
      expect(code).toBe(2);
      expect(stderr).toContain('LLM_MODEL must be set when OPENAI_BASE_URL is set');
    }, 30_000);
  });

  it('exits 2 with the usage when arguments are missing, and when the input cannot be read', async () => {
    const missing = await runCli(['--input', join(dir, 'reviews.jsonl')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--input and --output are required');
    const unreadable = await runCli(['--input', join(dir, 'nope.jsonl'), '--output', join(dir, 'y.jsonl')]);
    expect(unreadable.code).toBe(2);
    expect(unreadable.stderr).toContain('cannot read');
  }, 30_000);
});
