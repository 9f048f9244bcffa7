import { describe, expect, it } from 'vitest';
import { parseEventLine, parseInstant } from '../../../core/kernel/event-lines.js';

const line = (value: Record<string, unknown>) => JSON.stringify(value);
const purchase = { type: 'purchase', user: 'u1', chat: 'g1', amount: 12.5, at: '2026-03-01T10:00:00Z' };

describe('parseEventLine', () => {
  it('reads a purchase with its optional product and quantity, ids as strings and the time as a Date', () => {
    expect(parseEventLine(line({ ...purchase, user: 7, product: 'milk-900g', quantity: 2 }))).toEqual({
      kind: 'event',
      event: { type: 'purchase', user: '7', chat: 'g1', amount: 12.5, product: 'milk-900g', quantity: 2, at: new Date('2026-03-01T10:00:00Z') },
    });
    expect(parseEventLine(line({ ...purchase, at: '2026-03-01T18:00:00+08:00' }))).toMatchObject({ event: { at: new Date('2026-03-01T10:00:00Z') } });
  });

  it('reads the other known types with their own fields, and ignores unknown ones', () => {
    const at = '2026-03-01T10:00:00Z';
    const time = new Date(at);
    expect(parseEventLine(line({ type: 'member', user: 'u1', chat: 'g1', at }))).toEqual({ kind: 'event', event: { type: 'member', user: 'u1', chat: 'g1', at: time } });
    expect(parseEventLine(line({ type: 'post', post: 'p1', author: 'u1', chat: 'g1', at }))).toEqual({
      kind: 'event',
      event: { type: 'post', post: 'p1', author: 'u1', chat: 'g1', at: time },
    });
    for (const type of ['like', 'unlike']) {
      expect(parseEventLine(line({ type, post: 'p1', user: 2, at }))).toEqual({ kind: 'event', event: { type, post: 'p1', user: '2', at: time } });
    }
    expect(parseEventLine(line({ type: 'round', chat: 'g1', posts: ['p1', 2], start: at, end: '2026-03-01T11:00:00Z' }))).toEqual({
      kind: 'event',
      event: { type: 'round', chat: 'g1', posts: ['p1', '2'], start: time, end: new Date('2026-03-01T11:00:00Z') },
    });
    expect(parseEventLine(line({ type: 'refund', user: 'u1' }))).toEqual({ kind: 'ignored', type: 'refund' });
  });

  it.each([
    ['not json', 'not valid JSON'],
    ['[1, 2]', 'not a JSON object'],
    [line({ user: 'u1' }), '"type" must be a string'],
    [line({ ...purchase, amount: undefined }), '"amount" must be a number'],
    [line({ ...purchase, amount: -1 }), '"amount" must not be negative'],
    [line({ ...purchase, quantity: 0 }), '"quantity" must be more than 0'],
    [line({ ...purchase, user: ' ' }), '"user" must be a non-empty string or a number'],
    [line({ ...purchase, at: '2026-03-01T10:00' }), '"at" must be an ISO 8601 time with a zone'],
    [line({ ...purchase, at: '2026-02-30T10:00:00Z' }), '"at" must be an ISO 8601 time with a zone'],
    [line({ type: 'post', post: 'p1', user: 'u1', chat: 'g1', at: '2026-03-01T10:00:00Z' }), '"author"'],
    [line({ type: 'like', user: 'u1', at: '2026-03-01T10:00:00Z' }), '"post"'],
    [line({ type: 'round', chat: 'g1', posts: 'p1', start: '2026-03-01T10:00:00Z', end: '2026-03-01T11:00:00Z' }), '"posts" must be an array'],
    [line({ type: 'round', chat: 'g1', posts: [], start: '2026-03-01T10:00:00Z', end: '2026-03-01T09:00:00Z' }), '"end" must not be before "start"'],
  ])('says what is wrong with %s', (text, problem) => {
    const parsed = parseEventLine(text);
    expect(parsed.kind).toBe('malformed');
    expect(parsed.kind === 'malformed' && parsed.problem).toContain(problem);
  });
});

describe('parseInstant', () => {
  it('takes ISO times with a zone and bare dates (midnight UTC), nothing vaguer', () => {
    expect(parseInstant('2026-03-01')).toEqual(new Date('2026-03-01T00:00:00Z'));
    expect(parseInstant('2026-03-01T08:00:00.5+08:00')).toEqual(new Date('2026-03-01T00:00:00.500Z'));
    expect(parseInstant('2026-03-01 08:00')).toBeUndefined();
    expect(parseInstant('March 1')).toBeUndefined();
  });
});
