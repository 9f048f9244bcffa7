/**
 * `npm run purchases:predict` as a user runs it: a child process (tsx) on small generated JSON-lines files.
 */
import { createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runScript, type ScriptRun } from '../support/run-script.js';

const DAY = 86_400_000;
const START = Date.UTC(2026, 0, 1, 9);
const at = (day: number) => new Date(START + day * DAY).toISOString();
const purchase = (user: string, day: number, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ type: 'purchase', user, chat: 'g1', amount: 20, product: 'milk', at: at(day), ...extra });

/** Eight regular milk buyers every ~10 days, one buyer of two products, one with a single purchase, noise around. */
function eventLines(): string[] {
  const lines: string[] = [JSON.stringify({ type: 'member', user: 'u0', chat: 'g1', at: at(0) })];
  for (let m = 0; m < 8; m++) for (let d = m; d < 90; d += 9 + (m % 3)) lines.push(purchase(`u${m}`, d));
  lines.push(purchase('two', 5, { product: 'rice', quantity: 2 }), purchase('two', 55, { product: 'rice' }), purchase('two', 60));
  lines.push(purchase('once', 70));
  lines.push(JSON.stringify({ type: 'like', user: 'u1', chat: 'g1', at: at(3), post: 'p1' }), JSON.stringify({ type: 'sticker', user: 'u1' }));
  return lines;
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'purchases-predict-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function runCli(args: string[], nodeOptions = ''): Promise<ScriptRun> {
  return runScript('scripts/purchases-predict.ts', args, { ...process.env, NODE_OPTIONS: nodeOptions });
}

async function input(name: string, lines: string[]): Promise<string> {
  const file = join(dir, name);
  await writeFile(file, `${lines.join('\n')}\n`);
  return file;
}

const parse = (text: string) => text.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);

describe('purchases:predict', () => {
  it('writes one line per member with churnRisk, expectedOrders and nextOrderAt, ignoring events after --as-of', async () => {
    const file = await input('events.jsonl', [...eventLines(), purchase('future', 200)]);
    const { code, stdout, stderr } = await runCli(['--input', file, '--as-of', at(90), '--horizon', '30', '--output', '-']);
    expect(code).toBe(0);
    const rows = parse(stdout);
    expect(rows.map((r) => r.user)).toEqual(['once', 'two', 'u0', 'u1', 'u2', 'u3', 'u4', 'u5', 'u6', 'u7']);
    for (const row of rows) {
      expect(Object.keys(row)).toEqual(['user', 'churnRisk', 'expectedOrders', 'nextOrderAt']);
      expect(row.churnRisk).toBeGreaterThanOrEqual(0);
      expect(row.churnRisk).toBeLessThanOrEqual(1);
      expect(row.expectedOrders).toBeGreaterThanOrEqual(0);
      if (row.nextOrderAt !== null) expect(Date.parse(row.nextOrderAt as string)).toBeGreaterThanOrEqual(Date.parse(at(90)));
    }
    expect(stderr).toContain('note: 1 purchase(s) after --as-of');
    expect(stderr).toContain('note: 1 member(s) with purchases on one day only');
  }, 30_000);

  it('--by product writes one line per member and product with a date', async () => {
    const file = await input('events.jsonl', eventLines());
    const output = join(dir, 'by-product.jsonl');
    const { code } = await runCli(['--input', file, '--as-of', at(90), '--horizon', '30', '--output', output, '--by', 'product']);
    expect(code).toBe(0);
    const rows = parse(await readFile(output, 'utf8'));
    expect(rows.map((r) => `${r.user}/${r.product}`)).toEqual(['once/milk', 'two/milk', 'two/rice', ...[0, 1, 2, 3, 4, 5, 6, 7].map((m) => `u${m}/milk`)]);
    for (const row of rows) {
      expect(Object.keys(row)).toEqual(['user', 'product', 'nextOrderAt']);
      expect(new Date(row.nextOrderAt as string).toISOString()).toBe(row.nextOrderAt);
    }
  }, 30_000);

  it('gives the same answers for an unsorted file with duplicates, and says so', async () => {
    const sorted = await input('sorted.jsonl', eventLines());
    const lines = eventLines();
    const shuffled = await input('shuffled.jsonl', [...lines.slice(5), ...lines.slice(0, 5), lines[3]!]);
    const a = await runCli(['--input', sorted, '--as-of', at(90), '--horizon', '30', '--output', '-']);
    const b = await runCli(['--input', shuffled, '--as-of', at(90), '--horizon', '30', '--output', '-']);
    expect(b.code).toBe(0);
    expect(b.stdout).toBe(a.stdout);
    expect(b.stderr).toMatch(/note: \d+ purchase line\(s\) earlier than a line before them \(first: line \d+\); sorted by time/);
    expect(b.stderr).toContain('note: 1 duplicate purchase line(s)');
  }, 30_000);

  it('skips malformed lines, counts them on stderr with their numbers, still predicts, exits 1', async () => {
    const file = await input('bad.jsonl', [...eventLines(), 'not json', purchase('u1', 80, { amount: 'ten' }), purchase('u1', 81, { at: 'yesterday' })]);
    const { code, stdout, stderr } = await runCli(['--input', file, '--as-of', at(90), '--horizon', '30', '--output', '-']);
    expect(code).toBe(1);
    expect(parse(stdout)).toHaveLength(10);
    const first = eventLines().length + 1;
    expect(stderr).toContain(`warning: line ${first} skipped: not valid JSON`);
    expect(stderr).toContain(`warning: line ${first + 1} skipped: "amount" must be a number`);
    expect(stderr).toContain(`warning: line ${first + 2} skipped: "at" must be an ISO 8601 time`);
    expect(stderr).toContain('3 malformed line(s) skipped');
  }, 30_000);

  it.each([
    [['--as-of', '2026-03-01', '--horizon', '30', '--output', '-'], 'missing --input'],
    [['--input', 'x', '--as-of', 'soon', '--horizon', '30', '--output', '-'], '--as-of must be an ISO 8601 time'],
    [['--input', 'x', '--as-of', '2026-03-01', '--horizon', '0', '--output', '-'], '--horizon must be a number of days from 1 to 3650'],
    [['--input', 'x', '--as-of', '2026-03-01', '--horizon', '30', '--output', '-', '--by', 'chat'], '--by must be member or product'],
    [['--input', 'x', '--as-of', '2026-03-01', '--horizon', '30', '--output', '-', '--verbose'], "Unknown option '--verbose'"],
    [['--input', '/nonexistent/events.jsonl', '--as-of', '2026-03-01', '--horizon', '30', '--output', '-'], 'cannot read /nonexistent/events.jsonl'],
  ])('refuses bad arguments %j with a usage message, exit 2', async (args, message) => {
    const { code, stderr, stdout } = await runCli(args);
    expect(code).toBe(2);
    expect(stderr).toContain(message);
    expect(stderr).toContain('usage: npm run -s purchases:predict -- --input');
    expect(stderr).toContain('[--by member|product]');
    expect(stdout).toBe('');
  }, 30_000);

  it('streams a file larger than its heap limit, and reports a runaway line instead of holding it', async () => {
    const file = join(dir, 'large.jsonl');
    const out = createWriteStream(file);
    const like = (i: number) => `${JSON.stringify({ type: 'like', user: `u${i % 500}`, chat: 'g1', at: at(i % 90), post: `p${i}`, note: 'x'.repeat(200) })}\n`;
    for (let block = 0; block < 40; block++) {
      let text = '';
      for (let i = 0; i < 5_000; i++) text += like(block * 5_000 + i);
      if (!out.write(text)) await once(out, 'drain');
    }
    out.write(`${eventLines().join('\n')}\n`);
    out.write(`{"type":"like","note":"${'y'.repeat(1_500_000)}`); // no end: a runaway last line
    out.end();
    await once(out, 'finish');
    expect((await stat(file)).size).toBeGreaterThan(50_000_000);

    const { code, stdout, stderr } = await runCli(['--input', file, '--as-of', at(90), '--horizon', '30', '--output', '-'], '--max-old-space-size=40');
    expect(stderr).toContain('skipped: longer than 1000000 characters');
    expect(code).toBe(1);
    expect(parse(stdout)).toHaveLength(10);
  }, 60_000);
});
