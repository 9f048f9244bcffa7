/**
 * `npm run likes:scan` as a user runs it: a child process (tsx) on JSON-lines files from the simulated community.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simulateCommunity, type Community } from '../../bench/sim/communities.js';
import { runScript, type ScriptRun } from '../support/run-script.js';

let dir: string;
let community: Community;
let lines: string[];
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'likes-scan-'));
  community = simulateCommunity({ seed: 5, members: 2000, shares: 1200, likes: 30_000, squads: 4, rounds: 2, tasks: 2, puppetCases: 2, rings: 2, bursts: 1 });
  lines = community.events.map((e) => JSON.stringify(e));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const runCli = (args: string[]): Promise<ScriptRun> => runScript('scripts/likes-scan.ts', args);

async function scan(name: string, content: string[]): Promise<ScriptRun & { report: { flagged: Record<string, unknown>[] } }> {
  const input = join(dir, `${name}.jsonl`);
  const output = join(dir, `${name}.json`);
  await writeFile(input, `${content.join('\n')}\n`);
  const run = await runCli(['--input', input, '--output', output]);
  return { ...run, report: JSON.parse(await readFile(output, 'utf8')) as { flagged: Record<string, unknown>[] } };
}

const users = (report: { flagged: Record<string, unknown>[] }) => report.flagged.map((f) => f.user as string).sort();

describe('likes:scan', () => {
  it('writes {"flagged": [...]} with user, score, kind, case, reasons and evidence, catching the planted fakes', async () => {
    const { code, report, stderr } = await scan('events', lines);
    expect(code).toBe(0);
    expect(Object.keys(report)).toEqual(['flagged']);
    expect(report.flagged.length).toBeGreaterThan(0);
    for (const flag of report.flagged) {
      expect(Object.keys(flag)).toEqual(['user', 'score', 'kind', 'case', 'reasons', 'evidence']);
      expect(['puppets', 'ring', 'burst']).toContain(flag.kind);
      expect(flag.case).toMatch(/^c\d+$/);
      expect(flag.score).toBeGreaterThanOrEqual(0.5);
      expect(flag.score).toBeLessThanOrEqual(1);
      expect((flag.reasons as string[]).length).toBeGreaterThan(0);
      expect(flag.evidence).toMatchObject({ accounts: expect.arrayContaining([flag.user]), posts: expect.any(Array), authors: expect.any(Array) });
    }
    const caught = users(report).filter((u) => community.fakes.has(u)).length;
    expect(caught / report.flagged.length).toBeGreaterThanOrEqual(0.9);
    expect(caught / community.fakes.size).toBeGreaterThanOrEqual(0.8);
    expect(stderr).toMatch(/likes:scan: \d+ line\(s\) read/);
  });

  it('skips malformed lines, names them on stderr, still reports on the good lines, and exits 1', async () => {
    const bad = [...lines];
    bad.splice(10, 0, 'not json', JSON.stringify({ type: 'like', post: 'p1', at: '2026-01-01T00:00:00Z' }), JSON.stringify({ type: 'sticker', user: 'u1' }));
    const clean = await scan('clean', lines);
    const { code, stderr, report } = await scan('malformed', bad);
    expect(code).toBe(1);
    expect(stderr).toContain('line 11 skipped: not valid JSON');
    expect(stderr).toContain('line 12 skipped: "user"');
    expect(stderr).not.toContain('line 13');
    expect(stderr).toContain('2 malformed line(s) skipped');
    expect(users(report)).toEqual(users(clean.report));
  });

  it('scans unsorted, duplicated and contradictory lines like the clean file, saying what it found', async () => {
    const messy = [...lines];
    // Swap neighbouring blocks, repeat some likes, unlike what was never liked, define a share twice.
    for (let i = 100; i + 40 < messy.length; i += 400) messy.splice(i, 20, ...messy.slice(i + 20, i + 40), ...messy.slice(i, i + 20));
    const likes = lines.filter((l) => l.includes('"type":"like"')).slice(0, 30);
    messy.push(...likes);
    messy.push(JSON.stringify({ type: 'unlike', post: 'p0', user: 'nobody', at: '2026-03-05T00:00:00.000Z' }));
    messy.push(lines.find((l) => l.includes('"type":"post"'))!);
    const clean = await scan('clean2', lines);
    const { code, stderr, report } = await scan('messy', messy);
    expect(code).toBe(0);
    expect(stderr).toMatch(/\d+ line\(s\) earlier than a line before them/);
    expect(stderr).toMatch(/like\(s\) of a share the account already liked/);
    expect(stderr).toContain('1 unlike(s) with no like before them ignored');
    expect(stderr).toContain('1 repeated post or member line(s)');
    expect(users(report)).toEqual(users(clean.report));
  });

  it('scans likes of shares the file never posted, and says how many', async () => {
    const { code, stderr } = await scan('unknown', [...lines, JSON.stringify({ type: 'like', post: 'ghost', user: 'm1', at: '2026-03-10T00:00:00Z' })]);
    expect(code).toBe(0);
    expect(stderr).toContain('1 share(s) liked but never posted in the file');
  });

  it.each([
    [['--input', 'x.jsonl']],
    [['--output', '-']],
    [['--input', 'x.jsonl', '--output', '-', '--verbose']],
    [['--input', '/nonexistent/events.jsonl', '--output', '-']],
  ])('refuses bad arguments %j with a usage message, exit 2', async (args) => {
    const { code, stderr } = await runCli(args);
    expect(code).toBe(2);
    expect(stderr).toContain('usage: npm run -s likes:scan');
  });
});
