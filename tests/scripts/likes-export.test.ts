/**
 * `npm run likes:export` as a user runs it: a child process (tsx) reading a PGlite data folder the test filled,
 * writing the group's history as likes:scan JSON lines in time order; and that export scanned by `likes:scan`
 * flags what the bot's scan flags: a bought burst (ten accounts liking one share minutes after joining), not the
 * older members around it.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../prisma/database.js';
import { runScript } from '../support/run-script.js';

const at = (minute: number) => new Date(Date.UTC(2026, 11, 20, 2, minute));

describe('likes:export', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'likes-export-'));
    const db = await openDatabase({ dataDir: join(dir, 'pglite') });
    const p = db.prisma;
    await p.group.create({ data: { id: 'tg:-100', platform: 'tg', title: 'Berries' } });
    for (const [id, minute] of [['tg:1', 0], ['tg:2', 5]] as const) {
      await p.member.create({ data: { id, platform: 'tg', displayName: id } });
      await p.groupMember.create({ data: { groupId: 'tg:-100', memberId: id, firstSeenAt: at(minute), lastSeenAt: at(minute) } });
    }
    await p.share.create({ data: { groupId: 'tg:-100', chatId: 'tg:-100', memberId: 'tg:1', text: 'x', createdAt: at(1) } });
    const like = { shareId: 1, groupId: 'tg:-100', likerId: 'tg:2', authorId: 'tg:1', source: 'button', platform: 'tg' };
    await p.likeEvent.createMany({ data: [{ ...like, action: 'like', createdAt: at(6) }, { ...like, action: 'unlike', createdAt: at(7) }, { ...like, action: 'void', source: 'moderation', createdAt: at(8) }] });
    const round = await p.likeRound.create({ data: { groupId: 'tg:-100', chatId: 'tg:-100', createdById: 'tg:1', opensAt: at(2), endsAt: at(9), status: 'closed', closedAt: at(9) } });
    await p.likeRoundEntry.create({ data: { roundId: round.id, memberId: 'tg:1', shareId: 1, joinedAt: at(3) } });
    await p.purchase.create({ data: { memberId: 'tg:2', groupId: 'tg:-100', product: 'milk', quantity: 2, unitPriceCents: 1250, purchasedAt: at(10), deliveredAt: at(11) } });

    // Another group: three members of two days like a share over hours; ten accounts join and like it within minutes.
    await p.group.create({ data: { id: 'tg:-300', platform: 'tg', title: 'Peaches' } });
    const joined: [string, number][] = [
      ...['tg:31', 'tg:32', 'tg:33', 'tg:34'].map((id): [string, number] => [id, -2 * 24 * 60]),
      ...Array.from({ length: 10 }, (_, i): [string, number] => [`tg:${400 + i}`, 300 + 2 * i]),
    ];
    for (const [id, minute] of joined) {
      await p.member.upsert({ where: { id }, create: { id, platform: 'tg', displayName: id }, update: {} });
      await p.groupMember.create({ data: { groupId: 'tg:-300', memberId: id, firstSeenAt: at(minute), lastSeenAt: at(minute) } });
    }
    const peaches = await p.share.create({ data: { groupId: 'tg:-300', chatId: 'tg:-300', memberId: 'tg:31', text: 'Peaches', createdAt: at(0) } });
    const liked = (likerId: string, minute: number) => ({ shareId: peaches.id, groupId: 'tg:-300', likerId, authorId: 'tg:31', source: 'button', platform: 'tg', action: 'like', createdAt: at(minute) });
    await p.likeEvent.createMany({
      data: [liked('tg:32', 30), liked('tg:33', 120), liked('tg:34', 240), ...Array.from({ length: 10 }, (_, i) => liked(`tg:${400 + i}`, 301 + 2 * i))],
    });
    await db.close();
  }, 120_000);
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("writes the group's history as likes:scan lines in time order, voided likes left out", { timeout: 120_000 }, async () => {
    const output = join(dir, 'events.jsonl');
    const run = await runScript('scripts/likes-export.ts', ['--group', 'tg:-100', '--output', output], { ...process.env, DATA_DIR: join(dir, 'pglite'), DATABASE_URL: '' });
    expect(run.stderr).toContain('7 events of tg:-100');
    expect(run.code).toBe(0);
    const lines = (await readFile(output, 'utf8')).trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines).toEqual([
      { type: 'member', user: 'tg:1', chat: 'tg:-100', at: '2026-12-20T02:00:00.000Z' },
      { type: 'post', post: '1', author: 'tg:1', chat: 'tg:-100', at: '2026-12-20T02:01:00.000Z' },
      { type: 'round', chat: 'tg:-100', posts: ['1'], start: '2026-12-20T02:02:00.000Z', end: '2026-12-20T02:09:00.000Z' },
      { type: 'member', user: 'tg:2', chat: 'tg:-100', at: '2026-12-20T02:05:00.000Z' },
      { type: 'like', post: '1', user: 'tg:2', at: '2026-12-20T02:06:00.000Z' },
      { type: 'unlike', post: '1', user: 'tg:2', at: '2026-12-20T02:07:00.000Z' },
      { type: 'purchase', user: 'tg:2', chat: 'tg:-100', amount: 25, at: '2026-12-20T02:11:00.000Z', product: 'milk', quantity: 2 },
    ]);
  });

  it('exports a history likes:scan reads as the bot does: the bought burst flagged, the older members not', { timeout: 180_000 }, async () => {
    const events = join(dir, 'peaches.jsonl');
    const report = join(dir, 'peaches-report.json');
    const exported = await runScript('scripts/likes-export.ts', ['--group', 'tg:-300', '--output', events], { ...process.env, DATA_DIR: join(dir, 'pglite'), DATABASE_URL: '' });
    expect(exported.code).toBe(0);
    expect(exported.stderr).toContain('28 events of tg:-300');
    const scanned = await runScript('scripts/likes-scan.ts', ['--input', events, '--output', report]);
    expect(scanned.code, scanned.stderr).toBe(0);
    const { flagged } = JSON.parse(await readFile(report, 'utf8')) as { flagged: { user: string; kind: string; case: string; evidence: { posts: string[] } }[] };
    expect(flagged.map((f) => f.user).sort()).toEqual(Array.from({ length: 10 }, (_, i) => `tg:${400 + i}`));
    expect(new Set(flagged.map((f) => `${f.kind} ${f.case} ${f.evidence.posts.join(',')}`))).toEqual(new Set(['burst c1 2']));
  });

  it('refuses a group the database does not know', { timeout: 120_000 }, async () => {
    const run = await runScript('scripts/likes-export.ts', ['--group', 'tg:-999', '--output', '-'], { ...process.env, DATA_DIR: join(dir, 'pglite'), DATABASE_URL: '' });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('no group tg:-999');
  });
});
