/**
 * Fake-engagement detection on simulated communities (bench/sim/communities.ts), beside simple rules run in the
 * same process (bench/sim/engagement-baselines.ts), then likes:scan's speed and memory against merely reading and
 * JSON-parsing the same file. Run alone with `npx tsx bench/likes-scan.bench.ts`, or with every bench via
 * `npm run bench`. Fixed seeds: the figures change only when the code does (times change with the machine).
 */
import { spawnSync } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { detectFakeEngagement } from '../core/moderation/detect.js';
import { simulateCommunity, type Community } from './sim/communities.js';
import { coLikePairRule, densestBlocks, freshAccountRule } from './sim/engagement-baselines.js';
import { scoreFlags, type FakeScore } from './sim/fake-metrics.js';

const SEEDS = [1, 2, 3];
const QUALITY_SIZE = { members: 10_000, shares: 6_000, likes: 160_000 };
// The simulator drops repeated and too-early honest likes: asking for 1.75 million gives about 1.6 million.
const FULL_SIZE = { members: 100_000, shares: 60_000, likes: 1_750_000 };
const root = join(dirname(fileURLToPath(import.meta.url)), '..');

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
const fmt = (x: number) => x.toFixed(3);

const methods: Record<string, (c: Community) => Iterable<string>> = {
  ours: (c) => detectFakeEngagement(c.events).flagged.map((f) => f.user),
  'fresh accounts': (c) => freshAccountRule(c.events),
  'co-like pairs': (c) => coLikePairRule(c.events),
  'densest blocks': (c) => densestBlocks(c.events),
};
const results = new Map<string, FakeScore[]>(Object.keys(methods).map((m) => [m, []]));
for (const seed of SEEDS) {
  const community = simulateCommunity({ seed, ...QUALITY_SIZE });
  for (const [name, run] of Object.entries(methods)) results.get(name)!.push(scoreFlags(community, run(community)));
}
const mean = (scores: FakeScore[], pick: (s: FakeScore) => number) => scores.reduce((a, s) => a + pick(s), 0) / scores.length;
console.log(`Quality: ${SEEDS.length} seeds of ${QUALITY_SIZE.members} members, ${QUALITY_SIZE.shares} shares, ~${QUALITY_SIZE.likes} honest likes (means over seeds)`);
console.log('| method | precision | recall | F1 | puppets | ring | burst | squads flagged | round members flagged | very active flagged | flagged |');
console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
for (const [name, scores] of results) {
  console.log(
    `| ${name} | ${fmt(mean(scores, (s) => s.precision))} | ${fmt(mean(scores, (s) => s.recall))} | ${fmt(mean(scores, (s) => s.f1))} | ` +
      `${fmt(mean(scores, (s) => s.recallByKind.puppets))} | ${fmt(mean(scores, (s) => s.recallByKind.ring))} | ${fmt(mean(scores, (s) => s.recallByKind.burst))} | ` +
      `${pct(mean(scores, (s) => s.squadFlagged))} | ${pct(mean(scores, (s) => s.roundFlagged))} | ${pct(mean(scores, (s) => s.veryActiveFlagged))} | ${Math.round(mean(scores, (s) => s.flagged))} |`,
  );
}
const ours = results.get('ours')!;
const worst = (pick: (s: FakeScore) => number) => Math.min(...ours.map(pick));
const targets = [
  ['F1 >= 0.85 on every seed', worst((s) => s.f1) >= 0.85],
  ['precision >= 0.90 on every seed', worst((s) => s.precision) >= 0.9],
  ['each kind recalled >= 0.7 on every seed', worst((s) => Math.min(s.recallByKind.puppets, s.recallByKind.ring, s.recallByKind.burst)) >= 0.7],
  ['<= 2% of squad and round members flagged on every seed', Math.max(...ours.map((s) => Math.max(s.squadFlagged, s.roundFlagged))) <= 0.02],
] as const;
for (const [what, met] of targets) console.log(`target ${what}: ${met ? 'met' : 'NOT met'}`);

/** Runs a script in a child process (tsx, as npm run does) and returns its wall time and output. */
function timed(script: string, args: string[]) {
  const started = performance.now();
  const run = spawnSync(process.execPath, ['--import', 'tsx', join(root, script), ...args], { cwd: root, encoding: 'utf8', maxBuffer: 1 << 26 });
  return { seconds: (performance.now() - started) / 1000, stdout: run.stdout, stderr: run.stderr, status: run.status };
}

async function writeEvents(community: Community, file: string) {
  const out = createWriteStream(file);
  let buffer = '';
  for (const event of community.events) {
    buffer += `${JSON.stringify(event)}\n`;
    if (buffer.length > 1 << 20) {
      if (!out.write(buffer)) await once(out, 'drain');
      buffer = '';
    }
  }
  out.end(buffer);
  await once(out, 'finish');
}

const dir = await mkdtemp(join(tmpdir(), 'likes-scan-bench-'));
try {
  for (const [label, size] of [['1/10 scale', QUALITY_SIZE], ['full scale', FULL_SIZE]] as const) {
    const community = simulateCommunity({ seed: 7, ...size });
    const file = join(dir, `${label.replace(/\W/g, '')}.jsonl`);
    await writeEvents(community, file);
    const likes = community.events.filter((e) => e.type === 'like').length;
    const floor = timed('bench/sim/read-and-parse.ts', [file]);
    const floorPeak = (JSON.parse(floor.stdout) as { peakMb: number }).peakMb;
    const scan = timed('scripts/likes-scan.ts', ['--input', file, '--output', join(dir, 'report.json')]);
    const peak = Number(/peak memory (\d+) MB/.exec(scan.stderr)?.[1] ?? Number.NaN);
    const ratio = scan.seconds / floor.seconds;
    console.log(
      `\nScale, ${label}: ${size.members} members, ${size.shares} shares, ${likes} likes, ${community.events.length} lines. ` +
        `read + JSON.parse ${floor.seconds.toFixed(1)} s (peak ${floorPeak} MB); likes:scan ${scan.seconds.toFixed(1)} s (exit ${scan.status}, peak ${peak} MB): ` +
        `${ratio.toFixed(2)}x the floor (target <= 1.5x: ${ratio <= 1.5 ? 'met' : 'NOT met'}; memory <= 1 GB: ${peak <= 1024 ? 'met' : 'NOT met'})`,
    );
    const quality = scoreFlags(community, detectFakeEngagement(community.events).flagged.map((f) => f.user));
    console.log(`  quality at this scale: precision ${fmt(quality.precision)}, recall ${fmt(quality.recall)}, F1 ${fmt(quality.f1)}`);
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}
