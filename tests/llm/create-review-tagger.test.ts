import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../bots/config.js';
import { LlmConfigError, createReviewTagger, llmSettings } from '../../llm/create-review-tagger.js';
import { OfflineReviewTagger } from '../../llm/offline/offline-tagger.js';
import { formatTaggedLine, parseReviewLine } from '../../llm/review-jsonl.js';

const offline = OfflineReviewTagger.load();

describe('createReviewTagger', () => {
  it('is offline only when neither OPENAI_API_KEY nor OPENAI_BASE_URL is set', () => {
    const tagger = createReviewTagger(loadConfig({}), { offline });
    expect(tagger.usesLlm).toBe(false);
    expect(tagger.name).toBe(offline.name);
  });

  it('uses the LLM with a key (default model) or with a base URL and a model', () => {
    expect(llmSettings(loadConfig({ OPENAI_API_KEY: 'sk-x' }))).toEqual({ model: 'gpt-4o-mini', apiKey: 'sk-x' });
    const local = loadConfig({ OPENAI_BASE_URL: 'http://127.0.0.1:11434/v1', LLM_MODEL: 'qwen2.5:7b' });
    expect(llmSettings(local)).toEqual({ model: 'qwen2.5:7b', apiKey: 'no-key', baseURL: 'http://127.0.0.1:11434/v1' });
    const tagger = createReviewTagger(local, { offline });
    expect(tagger.usesLlm).toBe(true);
    expect(tagger.name).toBe(`llm:qwen2.5:7b|${offline.name}`);
  });

  it('refuses a base URL without a model', () => {
    expect(() => createReviewTagger(loadConfig({ OPENAI_BASE_URL: 'http://127.0.0.1:8000/v1' }), { offline })).toThrow(LlmConfigError);
  });
});

describe('LLM configuration', () => {
  it('has defaults for timeout, batch size and retries', () => {
    expect(loadConfig({})).toMatchObject({ LLM_TIMEOUT_MS: 30_000, LLM_BATCH_SIZE: 20, LLM_MAX_RETRIES: 2 });
    expect(loadConfig({}).OPENAI_API_KEY).toBeUndefined();
  });

  it('names a bad value without printing the key', () => {
    let error: unknown;
    try {
      loadConfig({ OPENAI_API_KEY: 'sk-very-secret', OPENAI_BASE_URL: 'not a url', LLM_BATCH_SIZE: '0' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toContain('OPENAI_BASE_URL must be an http(s) URL');
    expect(message).toContain('LLM_BATCH_SIZE must be a whole number from 1 to 100');
    expect(message).not.toContain('sk-very-secret');
  });
});

describe('reviews:tag lines', () => {
  it('reads a review line, rating optional', () => {
    expect(parseReviewLine('{"id":"r1","text":"好","rating":4}')).toEqual({ ok: true, review: { id: 'r1', text: '好', rating: 4 } });
    expect(parseReviewLine('{"id":7,"text":"ok"}')).toEqual({ ok: true, review: { id: '7', text: 'ok' } });
  });

  it('says what is wrong with a bad line', () => {
    expect(parseReviewLine('{')).toMatchObject({ ok: false, problem: expect.stringContaining('not valid JSON') });
    expect(parseReviewLine('[1]')).toEqual({ ok: false, problem: 'not a JSON object' });
    expect(parseReviewLine('{"text":"x"}')).toEqual({ ok: false, problem: '"id" must be a non-empty string' });
    expect(parseReviewLine('{"id":"a","text":"  "}')).toEqual({ ok: false, problem: '"text" is empty' });
    expect(parseReviewLine('{"id":"a","text":"x","rating":6}')).toEqual({ ok: false, problem: '"rating" must be a whole number from 1 to 5 when given' });
  });

  it('writes id first, then the tags', () => {
    const line = formatTaggedLine('r1', { tagger: 't', language: 'en', flags: [], aspects: [], score: 0.5, sentiment: 'positive' });
    expect(line).toBe('{"id":"r1","sentiment":"positive","score":0.5,"aspects":[],"flags":[],"language":"en","tagger":"t"}');
  });
});
