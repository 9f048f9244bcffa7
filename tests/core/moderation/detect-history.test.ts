import { describe, expect, it } from 'vitest';
import { HistoryPacker, IdTable, packHistory } from '../../../core/moderation/detect-history.js';
import { detectFakeEngagement, type HistoryEvent } from '../../../core/moderation/detect.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const T0 = Date.UTC(2026, 2, 1);
const at = (ms: number) => new Date(T0 + ms);
const member = (user: string, ms: number): HistoryEvent => ({ type: 'member', user, chat: 'g1', at: at(ms) });
const post = (id: string, author: string, ms: number): HistoryEvent => ({ type: 'post', post: id, author, chat: 'g1', at: at(ms) });
const like = (id: string, user: string, ms: number): HistoryEvent => ({ type: 'like', post: id, user, at: at(ms) });
const bytes = (text: string) => new TextEncoder().encode(text);

describe('IdTable', () => {
  it('gives one number per id, whether it comes as a string or as bytes, short, long or not ASCII', () => {
    const table = new IdTable();
    const ids = ['u1', 'u2', 'a-rather-long-account-id-of-40-characters', '用户七', 'u1\u0000', 'x'.repeat(17), 'x'.repeat(16), ''];
    const numbers = ids.map((id) => table.intern(id));
    expect(numbers).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    for (const id of ids.filter((i) => /^[\x00-\x7f]*$/.test(i))) {
      const line = bytes(`"${id}"`);
      expect(table.internAscii(line, 1, line.length - 1)).toBe(table.intern(id));
    }
    expect(table.intern('用户七')).toBe(3);
    expect(table.toStrings()).toEqual(ids);
  });

  it('keeps every id apart through many rehashes', () => {
    const table = new IdTable();
    const ids = Array.from({ length: 50_000 }, (_, i) => (i % 3 === 0 ? `m${i}` : i % 3 === 1 ? `p${i}-${'z'.repeat(i % 23)}` : `成员${i}`));
    expect(ids.map((id) => table.intern(id))).toEqual(ids.map((_, i) => i));
    const ascii = ids.flatMap((id, i) => (i % 3 === 2 ? [] : [[id, i] as const]));
    expect(ascii.map(([id]) => table.internAscii(bytes(id), 0, bytes(id).length))).toEqual(ascii.map(([, i]) => i));
    expect(table.size).toBe(ids.length);
    expect(table.toStrings()).toEqual(ids);
  });
});

describe('packing a contradictory history', () => {
  const base: HistoryEvent[] = [member('m1', -100 * DAY), member('m2', -100 * DAY), post('s1', 'm1', 0), like('s1', 'm2', HOUR)];

  it('drops likes and unlikes timed before their share was posted, and counts them', () => {
    const packed = packHistory([...base, like('s1', 'm3', -HOUR), { type: 'unlike', post: 's1', user: 'm2', at: at(-MINUTE) }]);
    expect(packed.problems.likesBeforePost).toBe(2);
    expect(packed.likeCount).toBe(1);
    expect(packed.userIds[packed.likeUser[0]!]).toBe('m2');
  });

  it('does not use a join time the account’s own earlier likes, shares or purchases contradict', () => {
    const packed = packHistory([
      ...base,
      member('late', 5 * DAY),
      like('s1', 'late', DAY),
      member('buyer', 5 * DAY),
      { type: 'purchase', user: 'buyer', chat: 'g1', amount: 3, at: at(2 * DAY) },
      member('fine', DAY),
      like('s1', 'fine', 2 * DAY),
    ]);
    const joined = (user: string) => packed.joinedAt[packed.userIds.indexOf(user)];
    expect(packed.problems.actedBeforeJoining).toBe(2);
    expect(joined('late')).toBeNaN();
    expect(joined('buyer')).toBeNaN();
    expect(joined('fine')).toBe(T0 + DAY);
  });

  it('keeps the earliest of repeated member and post lines, whatever their order in the input', () => {
    const packed = packHistory([...base, member('m1', -300 * DAY), post('s1', 'm2', -DAY), post('s1', 'm9', 3 * DAY)]);
    expect(packed.problems.repeatedDefinitions).toBe(3);
    expect(packed.joinedAt[packed.userIds.indexOf('m1')]).toBe(T0 - 300 * DAY);
    const s1 = packed.postIds.indexOf('s1');
    expect(packed.userIds[packed.authorOf[s1]!]).toBe('m2');
    expect(packed.postedAt[s1]).toBe(T0 - DAY);
    expect(packed.postsBy[packed.userIds.indexOf('m1')]).toBe(0);
    expect(packed.postsBy[packed.userIds.indexOf('m2')]).toBe(1);
  });

  it('counts a purchase repeated exactly once, and keeps purchases that differ', () => {
    const buy = (amount: number, ms: number, product?: string): HistoryEvent => ({ type: 'purchase', user: 'm1', chat: 'g1', amount, at: at(ms), ...(product ? { product } : {}) });
    const packed = packHistory([...base, buy(5, DAY), buy(5, DAY), buy(5, DAY, 'eggs'), buy(6, DAY), buy(5, 2 * DAY), buy(5, DAY)]);
    expect(packed.problems.repeatedPurchases).toBe(2);
    expect(packed.purchasesBy[packed.userIds.indexOf('m1')]).toBe(4);
  });

  it('packs the same history from events in any order', () => {
    const events: HistoryEvent[] = [...base];
    for (let k = 0; k < 30; k++) events.push(member(`n${k}`, k * MINUTE), like('s1', `n${k}`, k * MINUTE + 2 * MINUTE));
    events.push({ type: 'unlike', post: 's1', user: 'n3', at: at(HOUR) }, like('s1', 'n3', 2 * HOUR));
    const inOrder = packHistory(events);
    const shuffled = packHistory([...events].reverse());
    const likes = (h: typeof inOrder) =>
      Array.from({ length: h.likeCount }, (_, i) => `${h.postIds[h.likePost[i]!]} ${h.userIds[h.likeUser[i]!]} ${h.likeAt[i]}`).sort();
    expect(likes(shuffled)).toEqual(likes(inOrder));
    expect(shuffled.problems).toEqual(inOrder.problems);
  });

  it('orders the packed likes by share and by time within a share', () => {
    const packer = new HistoryPacker();
    for (const event of [post('b', 'm1', 0), post('a', 'm1', 0), like('a', 'm2', 3 * HOUR), like('b', 'm2', HOUR), like('a', 'm3', HOUR), like('b', 'm3', 2 * HOUR)]) packer.add(event);
    const h = packer.finish();
    const rows = Array.from({ length: h.likeCount }, (_, i) => [h.likePost[i], h.likeAt[i]! - T0]);
    expect(rows).toEqual([[0, HOUR], [0, 2 * HOUR], [1, HOUR], [1, 3 * HOUR]]);
  });
});

describe('detecting on a contradictory history', () => {
  const background: HistoryEvent[] = [];
  for (let m = 0; m < 30; m++) background.push(member(`m${m}`, -200 * DAY));
  for (let p = 0; p < 20; p++) {
    background.push(post(`b${p}`, `m${p}`, p * 8 * HOUR));
    for (let k = 1; k <= 6; k++) background.push(like(`b${p}`, `m${(p + 7 * k) % 30}`, p * 8 * HOUR + k * 47 * MINUTE));
  }
  const burst = (joinOffset: number, likeOffset: number) => {
    const events: HistoryEvent[] = [];
    for (let k = 0; k < 12; k++) events.push(member(`n${k}`, 40 * HOUR + k * MINUTE + joinOffset), like('b5', `n${k}`, 40 * HOUR + k * MINUTE + likeOffset));
    return events;
  };

  it('flags newcomers liking one share minutes after joining', () => {
    expect(detectFakeEngagement([...background, ...burst(0, 3 * MINUTE)]).flagged).toHaveLength(12);
  });

  it('does not take accounts whose likes come before their join for newcomers', () => {
    const report = detectFakeEngagement([...background, ...burst(10 * MINUTE, 3 * MINUTE)]);
    expect(report.flagged).toEqual([]);
    expect(report.problems!.actedBeforeJoining).toBe(12);
  });

  it('does not count likes timed before the share was posted', () => {
    const report = detectFakeEngagement([...background, ...burst(-45 * HOUR, -45 * HOUR + 3 * MINUTE)]);
    expect(report.flagged).toEqual([]);
    expect(report.problems!.likesBeforePost).toBe(12);
  });
});
