/**
 * `npx tsx scripts/dashboard-memory.ts [--runs 3] [--no-png]`: how much resident memory the web dashboard adds to the bot.
 * Each run starts two fresh Node processes that open the embedded database (PGlite in memory, migrated) and build
 * the core with every feature, as `npm start` does: one without the dashboard (DASHBOARD_PORT=off: nothing of it is
 * imported), one that imports it, serves it on a free port and renders every page once (sign-in, Buys with its
 * charts' data, Members, Reviews, Likes, Settings, the like graph's PNG (resvg), chart.js itself). After a forced GC each reports its resident set size. The figure that
 * counts is measured inside the second process (RSS before loading the dashboard and after serving it), since two
 * processes' RSS differ by tens of MB on their own; the bound is 50 MB.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const MB = 1024 * 1024;

/** Resident set size after a forced GC and a moment to settle. */
async function settledRss(): Promise<{ rss: number; heap: number }> {
  // RSS falls for a while after start-up as freed pages go back to the system: wait until it is still.
  let last = 0;
  for (let i = 0; i < 10; i += 1) {
    (globalThis as { gc?: () => void }).gc?.();
    await new Promise((resolve) => setTimeout(resolve, 300));
    const { rss } = process.memoryUsage();
    if (Math.abs(rss - last) < 1024 * 1024) break;
    last = rss;
  }
  const m = process.memoryUsage();
  return { rss: m.rss, heap: m.heapUsed + m.external };
}

/** RSS with the core running, and (dashboard on) again after the dashboard was loaded, started and every page served. */
async function measure(on: boolean, png: boolean): Promise<{ before: { rss: number; heap: number }; after: { rss: number; heap: number } }> {
  const { openDatabase } = await import('../prisma/database.js');
  const { PrismaStore } = await import('../prisma/store.js');
  const { createCore } = await import('../core/features.js');
  const { ManualClock } = await import('../core/clock.js');
  const { silentLogger } = await import('../core/ports.js');
  const db = await openDatabase({ memory: true });
  const store = new PrismaStore(db.prisma);
  const clock = new ManualClock(new Date('2026-03-10T02:00:00Z'));
  const scheduler = { schedule: async () => {} };
  let url: string | undefined;
  const access = on ? (await import('../bots/dashboard/access.js')).createDashboardAccess(() => url) : undefined;
  const core = createCore({ store, clock, scheduler, logger: silentLogger, dashboard: access });
  // A platform whose only admin is the one member here: the dashboard asks it on every request.
  core.registerPlatform('pg', { deliver: async () => undefined, isChatAdmin: async (_chat, member) => member === 'pg:anna' });
  await store.upsertMember({ id: 'pg:anna', platform: 'pg', displayName: 'Anna' });
  await store.ensureGroup({ id: 'pg:group', platform: 'pg', title: 'Group' });
  const before = await settledRss();
  if (on && access) {
    const { startDashboard } = await import('../bots/dashboard/server.js');
    const server = await startDashboard(
      { core, store, access, clock, logger: silentLogger, defaultLanguage: 'en', secureCookies: false },
      { port: 0, host: '127.0.0.1' },
    );
    url = server.localUrl;
    const token = access.newToken();
    await store.dashboard.createLink({ tokenHash: access.hashToken(token), memberId: 'pg:anna', groupId: 'pg:group', chatId: 'pg:group', createdAt: clock.now(), expiresAt: new Date(clock.now().getTime() + 600_000) });
    const signIn = await fetch(`${url}/signin`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ token }) });
    const cookie = signIn.headers.getSetCookie()[0]!.split(';')[0]!;
    // The like graph's PNG loads the resvg renderer (native, shared with the chat's pictures): `--no-png` leaves it out.
    const pages = ['buys', 'members', 'reviews', 'likes', 'settings', 'api/buys', ...(png ? ['likes/graph.png'] : [])].map((p) => `/g/pg%3Agroup/${p}`);
    for (const path of [...pages, '/assets/chart.umd.js', '/assets/dashboard.js']) {
      const response = await fetch(`${url}${path}`, { headers: { cookie } });
      if (response.status !== 200) throw new Error(`${path}: ${response.status}`);
      await response.arrayBuffer();
    }
  }
  return { before, after: await settledRss() };
}

function child(on: boolean): { before: { rss: number; heap: number }; after: { rss: number; heap: number } } {
  const result = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', fileURLToPath(import.meta.url), '--child', on ? 'on' : 'off', ...(withPng ? [] : ['--no-png'])], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(result.stderr);
  return JSON.parse(result.stdout.trim().split('\n').at(-1)!) as ReturnType<typeof child>;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

const args = process.argv.slice(2);
const withPng = !args.includes('--no-png');
if (args[0] === '--child') {
  process.stdout.write(`${JSON.stringify(await measure(args[1] === 'on', withPng))}\n`);
  process.exit(0);
} else {
  const runs = Number(args[args.indexOf('--runs') + 1]) || 3;
  const off: number[] = [];
  const on: number[] = [];
  const added: number[] = [];
  const heap: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    off.push(child(false).after.rss);
    const run = child(true);
    on.push(run.after.rss);
    added.push(run.after.rss - run.before.rss);
    heap.push(run.after.heap - run.before.heap);
  }
  const mb = (bytes: number) => (bytes / MB).toFixed(1);
  process.stdout.write(`resident memory (RSS after GC), ${runs} runs each, medians\n`);
  process.stdout.write(`  process without the dashboard (DASHBOARD_PORT=off): ${mb(median(off))} MB  (runs: ${off.map(mb).join(', ')})\n`);
  process.stdout.write(`  process with it, every page served once: ${mb(median(on))} MB  (runs: ${on.map(mb).join(', ')})\n`);
  process.stdout.write(`  added in the same process by loading, starting and serving it: ${mb(median(added))} MB  (runs: ${added.map(mb).join(', ')}; bound: 50 MB)\n`);
  process.stdout.write(`  of which JS heap and external memory: ${mb(median(heap))} MB  (runs: ${heap.map(mb).join(', ')})\n`);
}
