/**
 * `npm run likes:scan` as a user runs it: a child process (tsx) on JSON-lines files from the simulated community.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simulateCommunity, type Community } from '../../bench/sim/communities.js';
import { seededRandom } from '../../bench/sim/random.js';
import { detectFakeEngagement } from '../../core/moderation/detect.js';
import { PROJECT_ROOT } from '../../prisma/engine.js';
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
const kinds = (report: { flagged: Record<string, unknown>[] }) => report.flagged.map((f) => `${f.user as string} ${f.kind as string}`).sort();

/** Runs the scan on standard input, written by `feed` as it likes (in pieces, as large as it likes). */
async function scanStdin(name: string, feed: (write: (text: string) => Promise<void>) => Promise<void>) {
  const output = join(dir, `${name}.json`);
  const child = spawn('npx', ['tsx', 'scripts/likes-scan.ts', '--input', '-', '--output', output], { cwd: PROJECT_ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const closed = once(child, 'close');
  await feed(async (text) => {
    if (!child.stdin.write(text)) await once(child.stdin, 'drain');
  });
  child.stdin.end();
  const [code] = (await closed) as [number];
  return { code, stderr, report: JSON.parse(await readFile(output, 'utf8')) as { flagged: Record<string, unknown>[] } };
}

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

  it('reports exactly what the bot’s detector finds in the same history (one detector, however the lines are read)', async () => {
    const { report } = await scan('same-as-bot', lines);
    expect(report).toEqual(JSON.parse(JSON.stringify({ flagged: detectFakeEngagement(community.events).flagged })));
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

  it('scans a file in no order at all like the sorted one', async () => {
    const random = seededRandom(8);
    const shuffled = [...lines];
    for (let i = shuffled.length - 1; i > 0; i--) {
      const j = Math.floor(random.next() * (i + 1));
      [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
    }
    const clean = await scan('sorted', lines);
    const { code, stderr, report } = await scan('shuffled', shuffled);
    expect(code).toBe(0);
    expect(stderr).toMatch(/note: \d+ line\(s\) earlier than a line before them/);
    expect(kinds(report)).toEqual(kinds(clean.report));
  });

  it('scans every line written twice exactly like the file once, counting the repeats', async () => {
    const clean = await scan('once', lines);
    const { code, stderr, report } = await scan('twice', [...lines, ...lines]);
    const count = (type: string) => community.events.filter((e) => e.type === type).length;
    expect(code).toBe(0);
    expect(report).toEqual(clean.report);
    // Each like a second time, beside the likes the history itself repeats.
    const repeated = Number(/note: (\d+) like\(s\) of a share the account already liked/.exec(clean.stderr)?.[1] ?? 0);
    expect(stderr).toContain(`note: ${count('like') + repeated} like(s) of a share the account already liked`);
    expect(stderr).toContain(`note: ${count('member') + count('post')} repeated post or member line(s)`);
    expect(stderr).toContain(`note: ${count('purchase')} purchase line(s) repeated exactly`);
  });

  it('ignores likes timed before their share was posted, and join times the account’s own likes contradict, saying how many', async () => {
    const events = community.events;
    const honest = (user: string) => !community.fakes.has(user) && !community.squadMembers.has(user) && !community.roundMembers.has(user);
    const posts = events.filter((e): e is Extract<typeof e, { type: 'post' }> => e.type === 'post').slice(100, 110);
    const early = posts.map((p, k) => JSON.stringify({ type: 'like', post: p.post, user: `m${k}`, at: '2020-01-01T00:00:00.000Z' }));
    // Five honest members whose member line now says they joined after the history ends, long after their likes.
    const likers = [...new Set(events.flatMap((e) => (e.type === 'like' && honest(e.user) ? [e.user] : [])))].slice(0, 5);
    const moved = lines.map((line, i) => {
      const e = events[i]!;
      return e.type === 'member' && likers.includes(e.user) ? JSON.stringify({ ...e, at: '2027-01-01T00:00:00.000Z' }) : line;
    });
    const clean = await scan('consistent', lines);
    const { code, stderr, report } = await scan('contradictory', [...moved, ...early]);
    expect(code).toBe(0);
    expect(stderr).toContain('note: 10 like(s) or unlike(s) timed before their share was posted ignored');
    expect(stderr).toContain('note: 5 account(s) liked, posted or bought before the time of their member line');
    expect(kinds(report)).toEqual(kinds(clean.report));
  });

  it('streams a huge input from standard input in bounded memory: a runaway line, half a million bad lines, the good lines scanned', async () => {
    // The baseline takes the same road (standard input, the same pieces) without the bad data, so the difference
    // is what the bad data cost.
    const clean = await scanStdin('plain-stdin', async (write) => {
      for (let i = 0; i < lines.length; i += 5000) await write(`${lines.slice(i, i + 5000).join('\n')}\n`);
    });
    const { code, stderr, report } = await scanStdin('huge', async (write) => {
      await write(`${lines.slice(0, 1000).join('\n')}\n`);
      // 200 MB without a newline, then half a million malformed and ignored lines, then the rest of the history.
      for (let k = 0; k < 200; k++) await write('x'.repeat(1 << 20));
      await write('\n');
      const junk = `${Array.from({ length: 1000 }, (_, i) => (i % 2 ? 'not json at all' : '{"type":"sticker","user":"u1"}')).join('\n')}\n`;
      for (let k = 0; k < 500; k++) await write(junk);
      for (let i = 1000; i < lines.length; i += 5000) await write(`${lines.slice(i, i + 5000).join('\n')}\n`);
    });
    expect(code).toBe(1);
    expect(kinds(report)).toEqual(kinds(clean.report));
    expect(stderr).toContain('line 1001 skipped: longer than 1000000 characters');
    expect(stderr.match(/ skipped: /g)).toHaveLength(20);
    expect(stderr).toContain('warning: 250001 malformed line(s) skipped, by problem: 250000 not valid JSON; 1 longer than 1000000 characters');
    expect(stderr).toContain('note: line(s) of types the scan does not read ignored: 250000 sticker');
    const peak = Number(/peak memory (\d+) MB/.exec(stderr)![1]);
    const cleanPeak = Number(/peak memory (\d+) MB/.exec(clean.stderr)![1]);
    // Holding the 200 MB runaway line alone would cost more than 150 MB above the clean run (the reader before this
    // one peaked 240 MB above it with a 40 MB line and twice these bad lines). Streaming costs about 80 MB here: the
    // peak resident size is a high-water mark that moves with the collector, so the bound sits between the two.
    expect(peak - cleanPeak).toBeLessThan(150);
  }, 120_000);

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
