/**
 * Start-up: time to ready and idle memory of `npm start` (node with the flags package.json gives; the playground,
 * the embedded default) on an existing data folder, beside node opening the same PGlite folder alone, each in a fresh
 * process, alternating, in the same run. Goals (issue 11): ready in at most 2 s, idle RSS at most 1.2× PGlite alone.
 * Each row also gives the CPU time (user + system) used until ready, which depends less on how loaded the machine is,
 * and the time to the answer to a first command (`/help`, sent at ready): start-up work deferred until after ready
 * (ADR 017) shows there.
 *
 * Run alone with `npx tsx bench/startup.bench.ts`, or with every bench via `npm run bench`. Builds dist/ first when
 * it is missing or older than the sources. STARTUP_BENCH_ROUNDS (default 3) sets the rounds; STARTUP_BENCH_DEV=1
 * adds `npm run dev` (the sources through tsx); STARTUP_BENCH_BEFORE=<checkout> adds another checkout's start on the
 * same folder (e.g. the commit before some start-up work) for comparison: its `npm start` when that checkout was
 * built, else its `tsx bots/main.ts`; STARTUP_BENCH_ALONE_FLAGS=1 adds PGlite alone run with `npm start`'s node flags
 * (how much of a flag's saving any process on PGlite would get). Idle RSS is VmRSS (file-backed pages included, mostly
 * node's own binary); the anonymous part (RssAnon) is printed beside it.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { staleBuildSource } from '../bots/build-check.js';
import { PROJECT_ROOT } from '../prisma/project-root.js';

const ROUNDS = Number(process.env.STARTUP_BENCH_ROUNDS ?? 3);
/** How long a started process is left idle before its resident memory is read. */
const IDLE_MS = 3000;
const READY_TIMEOUT_MS = 180_000;

/** What each variant runs (from the project root) and the output line that says it is ready. */
interface Variant {
  name: string;
  args: string[];
  ready: string;
  cwd?: string;
  /** A first command sent at ready, and the output that answers it: the time to that answer is reported too. */
  probe?: { input: string; answer: string };
}

/** The playground's first command: `/help`, answered by the bot in the group ("🤖 [group, message 1]"). */
const HELP_PROBE = { input: '/help\n', answer: '🤖 [' };

/** The PGlite-alone reference: open the folder, answer one query, say so, then idle until standard input ends. */
const PGLITE_ALONE = `
const { PGlite } = await import('@electric-sql/pglite');
const db = await PGlite.create({ dataDir: process.env.DATA_DIR });
await db.query('select 1');
process.stdout.write('pglite ready\\n');
process.stdin.resume();
process.stdin.on('end', async () => { await db.close(); process.exit(0); });
`;

/** The node arguments of a checkout's `npm start` (package.json: `node <flags> dist/bots/main.js`). */
function startArgs(checkout: string): string[] {
  const script: string = JSON.parse(readFileSync(join(checkout, 'package.json'), 'utf8')).scripts?.start ?? '';
  const [command, ...args] = script.trim().split(/\s+/);
  if (command !== 'node' || !args.includes('dist/bots/main.js')) throw new Error(`${checkout}: npm start is not "node … dist/bots/main.js": ${script}`);
  return args;
}

const variants: Variant[] = [
  { name: 'npm start', args: startArgs(PROJECT_ROOT), ready: 'tuanbot playground', probe: HELP_PROBE },
  { name: 'node + PGlite alone, same folder', args: ['--input-type=module', '-e', PGLITE_ALONE], ready: 'pglite ready' },
];
if (process.env.STARTUP_BENCH_ALONE_FLAGS === '1') {
  const flags = startArgs(PROJECT_ROOT).filter((arg) => arg.startsWith('--'));
  variants.push({ name: "PGlite alone with npm start's flags", args: [...flags, '--input-type=module', '-e', PGLITE_ALONE], ready: 'pglite ready' });
}
if (process.env.STARTUP_BENCH_DEV === '1') {
  variants.push({ name: 'npm run dev (tsx bots/main.ts)', args: ['--import', 'tsx', 'bots/main.ts'], ready: 'tuanbot playground', probe: HELP_PROBE });
}
const before = process.env.STARTUP_BENCH_BEFORE;
if (before) {
  // Its compiled start when that checkout was built (like for like), else its sources through tsx.
  variants.push(
    existsSync(join(before, 'dist', 'bots', 'main.js'))
      ? { name: 'before: npm start (other checkout)', args: startArgs(before), ready: 'tuanbot playground', cwd: before, probe: HELP_PROBE }
      : { name: 'before: tsx bots/main.ts (other checkout)', args: ['--import', 'tsx', 'bots/main.ts'], ready: 'tuanbot playground', cwd: before, probe: HELP_PROBE },
  );
}

interface Sample {
  readyMs: number;
  idleRssMiB: number;
  /** The anonymous part of idle RSS (heaps, WebAssembly memory and code), without file-backed pages. */
  idleAnonMiB: number;
  /** CPU time (user + system) the process had used when it said it was ready: less sensitive to a loaded machine. */
  readyCpuMs: number;
  /** From the start to the answer to the variant's first command (its probe), when it has one. */
  answerMs?: number;
}

/** Resident memory of a live process, all of it and its anonymous part, from /proc (Linux). */
function residentMiB(pid: number): { rss: number; anon: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1]);
  return { rss: kb('VmRSS') / 1024, anon: kb('RssAnon') / 1024 };
}

/** CPU time (user + system) a live process has used so far, from /proc (Linux; clock ticks of 10 ms). */
function cpuMs(pid: number): number {
  // The fields after the command name (which may hold spaces) start at field 3; utime and stime are fields 14 and 15.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** Starts one variant on `dataDir`, waits for its ready line, idles, reads its RSS, then ends it via standard input. */
function measure(variant: Variant, dataDir: string): Promise<Sample> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, variant.args, {
      cwd: variant.cwd ?? PROJECT_ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', LANG: 'C.UTF-8', DATA_DIR: dataDir },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let readyMs: number | undefined;
    let idleRssMiB: number | undefined;
    let idleAnonMiB = 0;
    let readyCpuMs = 0;
    let answerMs: number | undefined;
    let afterReady = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${variant.name}: not ready within ${READY_TIMEOUT_MS} ms\n${stderr.slice(-2000)}`));
    }, READY_TIMEOUT_MS);
    child.stdout.on('data', (chunk: Buffer) => {
      if (readyMs !== undefined) {
        afterReady += chunk;
        if (variant.probe && answerMs === undefined && afterReady.includes(variant.probe.answer)) answerMs = performance.now() - started;
        return;
      }
      stdout += chunk;
      if (!stdout.includes(variant.ready)) return;
      readyMs = performance.now() - started;
      readyCpuMs = cpuMs(child.pid!);
      if (variant.probe) child.stdin.write(variant.probe.input);
      setTimeout(() => {
        const resident = residentMiB(child.pid!);
        idleRssMiB = resident.rss;
        idleAnonMiB = resident.anon;
        child.stdin.end('/quit\n');
      }, IDLE_MS);
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code !== 0 || readyMs === undefined || idleRssMiB === undefined) {
        reject(new Error(`${variant.name}: exit code ${code}\n${stderr.slice(-2000)}`));
      } else resolve({ readyMs, idleRssMiB, idleAnonMiB, readyCpuMs, answerMs });
    });
  });
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};
/** The median time to the first answer, or a dash for a variant without a first command. */
const answer = (list: Sample[]) => {
  const times = list.flatMap((s) => (s.answerMs === undefined ? [] : [s.answerMs]));
  return times.length ? `${(median(times) / 1000).toFixed(2)} s` : '-';
};
const load = () => loadavg().map((x) => x.toFixed(2)).join(' ');

const stale = existsSync(join(PROJECT_ROOT, 'dist', 'bots', 'main.js')) ? staleBuildSource() : 'dist/bots/main.js';
if (stale) {
  console.log(`building dist/ (${stale} is newer than its build)`);
  const build = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: PROJECT_ROOT, stdio: 'inherit' });
  if (build.status !== 0) process.exit(1);
}

const root = await mkdtemp(join(tmpdir(), 'tuanbot-startup-bench-'));
const dataDir = join(root, 'pglite');
try {
  console.log(`load average before: ${load()} (${ROUNDS} rounds, RSS read ${IDLE_MS / 1000} s after ready)`);
  // An existing data folder: created and migrated by a first start, not measured.
  const firstStart = performance.now();
  await measure(variants[0]!, dataDir);
  console.log(`first start on a new folder (created, migrated): ${((performance.now() - firstStart) / 1000).toFixed(1)} s including ${IDLE_MS / 1000} s idle`);
  const samples = new Map<string, Sample[]>(variants.map((v) => [v.name, []]));
  for (let round = 0; round < ROUNDS; round++) {
    for (const variant of variants) samples.get(variant.name)!.push(await measure(variant, dataDir));
  }
  const reference = median(samples.get(variants[1]!.name)!.map((s) => s.idleRssMiB));
  console.log('\nvariant                                   ready p50   ready max   CPU to ready p50   first answer p50   idle RSS p50   × PGlite alone   anon p50');
  for (const variant of variants) {
    const list = samples.get(variant.name)!;
    const ready = list.map((s) => s.readyMs);
    const rss = median(list.map((s) => s.idleRssMiB));
    console.log(
      `${variant.name.padEnd(40)}  ${(median(ready) / 1000).toFixed(2).padStart(7)} s  ${(Math.max(...ready) / 1000).toFixed(2).padStart(7)} s  ${(median(list.map((s) => s.readyCpuMs)) / 1000).toFixed(2).padStart(14)} s  ${answer(list).padStart(16)}  ${rss.toFixed(0).padStart(9)} MiB  ${(rss / reference).toFixed(2).padStart(10)}  ${median(list.map((s) => s.idleAnonMiB)).toFixed(0).padStart(9)} MiB`,
    );
  }
  const start = samples.get(variants[0]!.name)!;
  const readyP50 = median(start.map((s) => s.readyMs)) / 1000;
  const ratio = median(start.map((s) => s.idleRssMiB)) / reference;
  console.log(`\ngoals: ready ≤ 2 s: ${readyP50.toFixed(2)} s ${readyP50 <= 2 ? 'met' : 'NOT met'}; idle RSS ≤ 1.2× PGlite alone: ${ratio.toFixed(2)}× ${ratio <= 1.2 ? 'met' : 'NOT met'}`);
  console.log(`load average after: ${load()} (2 cores: figures above a load of 2 include waiting for a core)`);
} finally {
  await rm(root, { recursive: true, force: true });
}
