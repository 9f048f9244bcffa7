/**
 * Issue 11, "several processes on one PostgreSQL": the pm2 example (deploy/ecosystem.config.cjs) started as pm2 would
 * start it, two real bot processes on one fresh PostgreSQL database, Telegram in webhook mode behind a round-robin load
 * balancer (tests/support/load-balancer.ts, as the nginx example behaves), the fake Bot API delivering each update to
 * the webhook and again when the delivery was not answered 200, as Telegram does.
 *
 * - 1,000 members press Join on one buy of 600 units, raced across both processes: no oversell, one sign-up of one
 *   unit per member, every press answered; the deadline passes while both processes sweep: one announcement, one
 *   private message per member; the card's last edit shows the database.
 * - kill -9 of one process in the middle of a burst: every update ends in exactly one sign-up, and every press is
 *   answered (the one being handled at the kill perhaps without its toast, ADR 018).
 *
 * PostgreSQL only (PGlite is one process's database); the static checks of the example files run everywhere.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Message, User } from 'grammy/types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buyLanguage } from '../../core/group-buy/buy-language.js';
import { renderBuyCard } from '../../core/group-buy/buy-card.js';
import { PROJECT_ROOT, readMigrations } from '../../prisma/engine.js';
import { openDatabase, type Database } from '../../prisma/database.js';
import { PrismaStore } from '../../prisma/store.js';
import { BotProcess, eventually } from '../support/bot-process.js';
import { createEmptyPostgresDatabase, hasPostgres, needsPostgres } from '../support/database.js';
import { FakeTelegramServer } from '../support/fake-telegram-server.js';
import { LoadBalancer } from '../support/load-balancer.js';
import { appEnv, freePort, pm2Apps, startApp } from '../support/pm2-apps.js';

const NGINX = 'deploy/nginx-tuanbot.conf';
const apps = pm2Apps;

const MEMBERS = 1000;
const UNITS = 600;
const KILL_BURST = 300;
const WEBHOOK_PATH = '/tuanbot/telegram';

describe('the example process manager and load balancer configurations', () => {
  it('declare several processes running npm start’s command, each with its own ports, and nginx lists exactly their webhook ports', () => {
    expect(apps.length).toBeGreaterThanOrEqual(2);
    const start = (JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } }).scripts.start;
    for (const app of apps) {
      // What `npm start` runs, in the project folder, one process per app (pm2's cluster mode would share one port).
      expect(['node', app.node_args, app.script].filter(Boolean).join(' ')).toBe(start);
      expect(resolve(app.cwd ?? '.')).toBe(PROJECT_ROOT);
      expect(app.exec_mode ?? 'fork').toBe('fork');
      expect(app.instances ?? 1).toBe(1);
      // pm2 sends SIGTERM and waits this long before SIGKILL: longer than the bot's own bounded shutdown (30 s).
      expect(app.kill_timeout).toBeGreaterThan(30_000);
      for (const name of ['TELEGRAM_WEBHOOK_PORT', 'METRICS_PORT', 'DATABASE_POOL_SIZE']) expect(app.env[name], `${app.name} ${name}`).toMatch(/^\d+$/);
    }
    const distinct = (name: string) => new Set(apps.map((app) => app.env[name])).size;
    expect(distinct('TELEGRAM_WEBHOOK_PORT')).toBe(apps.length);
    expect(distinct('METRICS_PORT')).toBe(apps.length);
    expect(distinct('DISCORD_SHARD_ID')).toBe(apps.length);
    expect(apps.every((app) => app.env.DISCORD_SHARD_COUNT === String(apps.length))).toBe(true);
    const dashboards = apps.map((app) => app.env.DASHBOARD_PORT).filter((port) => port !== 'off');
    expect(new Set(dashboards).size).toBe(dashboards.length);

    const nginx = readFileSync(join(PROJECT_ROOT, NGINX), 'utf8');
    const upstream = /upstream tuanbot_webhook \{([^}]*)\}/.exec(nginx)?.[1] ?? '';
    const ports = [...upstream.matchAll(/server 127\.0\.0\.1:(\d+)/g)].map((m) => m[1]);
    expect(ports.sort()).toEqual(apps.map((app) => app.env.TELEGRAM_WEBHOOK_PORT).sort());
    expect(nginx).toContain(`location = ${WEBHOOK_PATH} {`);
  });
});

describe.skipIf(!hasPostgres)(`two bot processes on one PostgreSQL behind a load balancer, started from the pm2 example${hasPostgres ? '' : ` (skipped: ${needsPostgres})`}`, () => {
  let server: FakeTelegramServer;
  let balancer: LoadBalancer;
  let databaseUrl: string;
  let dropDatabase: () => Promise<void>;
  let db: Database;
  const bots: BotProcess[] = [];
  const metricsPorts: number[] = [];
  let admin: User;

  beforeAll(async () => {
    const database = await createEmptyPostgresDatabase('tuanbot_two');
    databaseUrl = database.url;
    dropDatabase = database.drop;

    server = await FakeTelegramServer.start({ deliverWebhooks: true });
    admin = server.user({ first_name: 'Anna', language_code: 'en' });
    // Each app's ports, moved to free ones (other tests run beside this one); everything else is the file's.
    const ports = await Promise.all(apps.map(async () => ({ webhook: await freePort(), metrics: await freePort(), dashboard: await freePort() })));
    balancer = await LoadBalancer.start(ports.map((p) => ({ host: '127.0.0.1', port: p.webhook })));
    const secret = randomBytes(16).toString('hex');
    const started = Date.now();
    apps.forEach((app, i) => {
      const env = appEnv(app);
      env.TELEGRAM_WEBHOOK_PORT = String(ports[i]!.webhook);
      env.METRICS_PORT = String(ports[i]!.metrics);
      if (env.DASHBOARD_PORT !== 'off') env.DASHBOARD_PORT = String(ports[i]!.dashboard);
      metricsPorts.push(ports[i]!.metrics);
      // What the operator puts in the environment pm2 is started in.
      Object.assign(env, {
        DATABASE_URL: databaseUrl,
        TELEGRAM_BOT_TOKEN: server.token,
        TELEGRAM_API_ROOT: server.apiRoot,
        TELEGRAM_WEBHOOK_URL: `http://127.0.0.1:${balancer.port}${WEBHOOK_PATH}`,
        TELEGRAM_WEBHOOK_SECRET: secret,
        DEFAULT_LANGUAGE: 'en',
        // The one test-only setting: the safety-net sweep every 5 s instead of 30, so the deadline is seen quickly.
        SWEEP_INTERVAL_SECONDS: '5',
      });
      // The app's script is npm start's compiled file (checked above); its source runs here through tsx, as in the
      // other process tests: startup.test.ts rebuilds dist/ while other test files run, and covers the compiled start.
      expect(app.script).toBe('dist/bots/main.js');
      bots.push(startApp(app, env));
    });
    // Both start at once on the fresh database: the migrations are applied once, under the advisory lock (checked below).
    await Promise.all(bots.map((bot) => bot.waitForLog('telegram adapter running')));
    console.info(`two processes: both ready ${((Date.now() - started) / 1000).toFixed(1)} s after starting together`);
    db = await openDatabase({ url: databaseUrl, migrate: false, poolSize: 2 });
  }, 300_000);

  afterAll(async () => {
    for (const bot of bots) if (bot.running) bot.kill('SIGKILL');
    await Promise.all(bots.map((bot) => bot.exited));
    await db?.close();
    await balancer?.close();
    await server?.close();
    await dropDatabase?.();
  }, 60_000);

  /** Opens a buy in a new group and returns the group and its card. */
  async function openBuy(title: string, spec: string): Promise<{ chat: { id: number; type: 'supergroup'; title: string }; card: Message; buyId: number }> {
    const chat = server.group(title);
    server.setAdmins(chat.id, [admin.id], admin.id);
    server.command(admin, chat, `/newbuy@tuanbot_bot ${spec}`);
    const card = await eventually(() => server.botMessages(chat.id).find((m) => m.reply_markup?.inline_keyboard.flat().some((b) => b.text.includes('Join'))), 60_000, 'the buy card');
    const join = card.reply_markup!.inline_keyboard.flat().find((b) => 'callback_data' in b && /^join:\d+$/.test(b.callback_data));
    return { chat, card, buyId: Number((join as { callback_data: string }).callback_data.split(':')[1]) };
  }

  const toasted = () => new Set(server.calls('answerCallbackQuery').filter((c) => typeof c.params.text === 'string' && c.params.text.length > 0).map((c) => String(c.params.callback_query_id)));
  const signUps = (buyId: number) => db.prisma.signUp.findMany({ where: { buyId }, select: { memberId: true, quantity: true, status: true } });
  const cardEdits = (chatId: number, messageId: number) => server.calls('editMessageText').filter((c) => Number(c.params.chat_id) === chatId && Number(c.params.message_id) === messageId).length;

  /** The card's text as the bot would render it from the database now. */
  async function cardFromDatabase(buyId: number): Promise<string> {
    const store = new PrismaStore(db.prisma);
    const buy = (await store.getBuy(buyId))!;
    const group = (await store.getGroup(buy.groupId))!;
    return renderBuyCard(buy, await store.listSignUps(buyId), group, await buyLanguage(store, buy, group, 'en'), new Date()).text;
  }

  /** Waits until no edit of the card has reached Telegram for `quietMs` (every process's pending edit went out). */
  async function cardSettled(chatId: number, messageId: number, quietMs: number): Promise<void> {
    let seen = -1;
    let since = Date.now();
    for (;;) {
      const now = cardEdits(chatId, messageId);
      if (now !== seen) [seen, since] = [now, Date.now()];
      if (Date.now() - since >= quietMs) return;
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  it(
    `${MEMBERS} members press Join on one buy of ${UNITS} units across both processes: no oversell, each once, every press answered; one deadline announcement; the card shows the database`,
    async () => {
      // Started together on the empty database: one applied every migration, the other found nothing left to do.
      const { migrations } = await readMigrations();
      const applied = bots.map((bot) => (bot.logs.find((line) => line.msg === 'database ready')?.migrations as string[] | undefined)?.length);
      expect(applied.sort((a, b) => (a ?? -1) - (b ?? -1))).toEqual([0, migrations.length]);
      const recorded = await db.prisma.$queryRaw<{ n: number; rows: number }[]>`SELECT count(DISTINCT migration_name)::int AS n, count(*)::int AS rows FROM _prisma_migrations WHERE finished_at IS NOT NULL`;
      expect(recorded[0]).toEqual({ n: migrations.length, rows: migrations.length });
      // Each process is ready (database and Telegram reachable); a check may miss its 2 s bound on a loaded machine
      // just after the start, so it is asked again for a while.
      for (const port of metricsPorts) {
        let answer = await readyz(port);
        if (answer.status !== 200) console.info(`two processes: /readyz on ${port} first answered ${answer.status} ${answer.body.trim()}`);
        for (const deadline = Date.now() + 30_000; answer.status !== 200 && Date.now() < deadline; answer = await readyz(port)) {
          await new Promise((r) => setTimeout(r, 500));
        }
        expect(answer.status, answer.body).toBe(200);
      }
      const { chat, card, buyId } = await openBuy('Tea lovers', `Tea | 10 | min 1 | max ${UNITS} | ends 90m`);

      const crowd = Array.from({ length: MEMBERS }, (_, i) => server.user({ first_name: `M${i}`, language_code: 'en' }));
      const servedBefore = [...balancer.served.values()].reduce((a, b) => a + b, 0);
      const burstStart = Date.now();
      const presses = crowd.map((member) => server.press(member, card, { data: `join:${buyId}` }));
      const queryIds = presses.map((p) => p.callback_query!.id);
      await eventually(() => queryIds.every((id) => server.answeredQueryIds().has(id)), 240_000, 'every press answered');
      await eventually(() => server.unconfirmedUpdates().length === 0, 30_000, 'every update delivered');
      const burstSeconds = (Date.now() - burstStart) / 1000;

      // Both processes took a real share of the burst.
      const served = [...balancer.served.values()];
      expect(served).toHaveLength(apps.length);
      for (const count of served) expect(count).toBeGreaterThan((MEMBERS / apps.length) * 0.3);
      expect(served.reduce((a, b) => a + b, 0) - servedBefore).toBeGreaterThanOrEqual(MEMBERS);

      const rows = await signUps(buyId);
      expect(rows).toHaveLength(MEMBERS);
      expect(new Set(rows.map((r) => r.memberId)).size).toBe(MEMBERS);
      // One unit each: a press handled twice (the button adds a unit per press) would show as ×2.
      expect(rows.every((r) => r.quantity === 1)).toBe(true);
      const active = rows.filter((r) => r.status === 'active');
      expect(active.reduce((sum, r) => sum + r.quantity, 0)).toBe(UNITS);
      expect(rows.filter((r) => r.status === 'waitlisted')).toHaveLength(MEMBERS - UNITS);
      // Every press was told what happened (joined, or its place on the waitlist), once.
      const told = toasted();
      expect(queryIds.filter((id) => !told.has(id))).toEqual([]);
      expect(server.calls('answerCallbackQuery').filter((c) => queryIds.includes(String(c.params.callback_query_id))).length).toBe(MEMBERS);

      // The deadline passes; both processes run the sweep every 5 s (and the deadline job would run on either).
      await db.prisma.groupBuy.update({ where: { id: buyId }, data: { endsAt: new Date(Date.now() - 1000) } });
      const announcements = () => server.calls('sendMessage').filter((c) => Number(c.params.chat_id) === chat.id && String(c.params.text).startsWith(`✅ Group buy #${buyId} Tea is formed`));
      await eventually(() => announcements().length > 0, 60_000, 'the formed announcement');
      const announcedAt = Date.now();
      const dmsTo = (id: number) => server.calls('sendMessage').filter((c) => Number(c.params.chat_id) === id && String(c.params.text).includes(`#${buyId} Tea`));
      // One private message per member (formed for those in, closed for those waiting), sent once whoever swept.
      await eventually(() => crowd.every((member) => dmsTo(member.id).length > 0), 120_000, 'a private message to every member');
      // At least two more sweeps of each process after the close.
      await new Promise((r) => setTimeout(r, Math.max(0, announcedAt + 11_000 - Date.now())));
      expect(announcements()).toHaveLength(1);
      expect(announcements()[0]!.params.text).toContain(`${UNITS} units from ${UNITS} members`);
      expect(crowd.filter((member) => dmsTo(member.id).length !== 1)).toEqual([]);
      const buy = await db.prisma.groupBuy.findUniqueOrThrow({ where: { id: buyId } });
      expect(buy.status).toBe('formed');

      // The card: the last edit Telegram accepted shows what the database holds.
      await cardSettled(chat.id, card.message_id, 10_000);
      const shown = server.message(chat.id, card.message_id)!;
      // Two processes edit this card: the lease per card (ADR 022) keeps an older render from landing last.
      expect(shown.text).toBe(await cardFromDatabase(buyId));
      expect(shown.reply_markup).toBeUndefined();
      // Nothing failed inside either process (error-level log lines: a failed update, a failed job, a rejection).
      const errors = bots.flatMap((bot, i) => bot.logs.filter((line) => (line.level ?? 0) >= 50).map((line) => `${apps[i]!.name}: ${JSON.stringify(line).slice(0, 300)}`));
      expect(errors).toEqual([]);
      console.info(
        `two processes: ${MEMBERS} presses answered in ${burstSeconds.toFixed(1)} s (${(MEMBERS / burstSeconds).toFixed(0)}/s), ` +
          `load balancer shares ${served.join('/')}, card edits ${cardEdits(chat.id, card.message_id)}`,
      );
    },
    600_000,
  );

  it(
    `kill -9 of one process in the middle of a burst of ${KILL_BURST}: every update ends in exactly one sign-up, every press is answered`,
    async () => {
      const { chat, card, buyId } = await openBuy('Coffee club', `Coffee | 12 | min 1 | max 1000 | ends 90m`);
      const crowd = Array.from({ length: KILL_BURST }, (_, i) => server.user({ first_name: `K${i}`, language_code: 'en' }));
      const attemptsBefore = server.webhookAttempts().length;
      const presses = crowd.map((member) => server.press(member, card, { data: `join:${buyId}` }));
      const queryIds = presses.map((p) => p.callback_query!.id);
      const answered = () => queryIds.filter((id) => server.answeredQueryIds().has(id)).length;

      await eventually(() => answered() >= KILL_BURST / 5, 180_000, `${KILL_BURST / 5} answered presses`);
      const victim = bots[0]!;
      victim.kill('SIGKILL');
      expect((await victim.exited).signal).toBe('SIGKILL');
      const answeredAtKill = answered();
      expect(answeredAtKill).toBeLessThan(KILL_BURST);

      await eventually(() => answered() === KILL_BURST, 240_000, 'every press answered by the survivor');
      await eventually(() => server.unconfirmedUpdates().length === 0, 60_000, 'every update delivered');

      // Telegram saw failed deliveries (the killed process's requests) and sent those updates again.
      const ids = new Set(presses.map((p) => p.update_id));
      const attempts = server.webhookAttempts().slice(attemptsBefore).filter((a) => ids.has(a.updateId));
      const failed = attempts.filter((a) => a.status === 'error' || a.status >= 300);
      expect(failed.length).toBeGreaterThan(0);
      // Each update was delivered (answered 200) exactly once in the end.
      const delivered = attempts.filter((a) => a.status === 200).map((a) => a.updateId);
      expect(new Set(delivered).size).toBe(KILL_BURST);
      expect(delivered).toHaveLength(KILL_BURST);

      const rows = await signUps(buyId);
      expect(rows).toHaveLength(KILL_BURST);
      expect(new Set(rows.map((r) => r.memberId)).size).toBe(KILL_BURST);
      expect(rows.every((r) => r.quantity === 1 && r.status === 'active')).toBe(true);
      // Told once each, but for at most the one update the killed process had committed and not yet answered (a chat's
      // updates run one at a time in a process): its repeat is answered without its toast (ADR 018).
      const told = toasted();
      const untold = queryIds.filter((id) => !told.has(id)).length;
      expect(untold).toBeLessThanOrEqual(1);

      // The survivor's card shows all of them.
      await cardSettled(chat.id, card.message_id, 10_000);
      expect(server.message(chat.id, card.message_id)!.text).toBe(await cardFromDatabase(buyId));

      const survivor = bots[1]!;
      survivor.kill('SIGTERM');
      expect((await survivor.exited).code, survivor.stderr.slice(-3000)).toBe(0);
      console.info(
        `two processes, kill -9: ${answeredAtKill} of ${KILL_BURST} answered at the kill, ${failed.length} failed deliveries sent again, ` +
          `${untold} press(es) answered without their toast, load balancer 502s after send ${balancer.failedAfterSend}`,
      );
    },
    600_000,
  );
});

/** One /readyz answer. */
async function readyz(port: number): Promise<{ status: number; body: string }> {
  const response = await fetch(`http://127.0.0.1:${port}/readyz`);
  return { status: response.status, body: await response.text() };
}

/** A TCP port free right now on the loopback interface. */
