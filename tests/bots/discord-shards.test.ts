/**
 * Issue 11, Discord with several processes: the pm2 example's apps (deploy/ecosystem.config.cjs) started as pm2 starts
 * them, Discord only, each process connecting its gateway shard (`DISCORD_SHARD_ID` 0 and 1 of `DISCORD_SHARD_COUNT`
 * 2) to the fake Discord server, which routes as Discord does: a server's events to shard `(server id >> 22) % 2`,
 * direct messages to shard 0 (tests/support/fake-discord-server.ts). One fresh PostgreSQL database.
 *
 * - Members press Join in a server on each shard: each interaction reaches one process, the one owning its server's
 *   shard, and is answered once, by it; no oversell, each member once. A DM command goes to shard 0.
 * - Both admins close their buys at once: both processes send their members' private messages together, and the
 *   combined rate of calls under Discord's global limit stays within 50 a second (the budget shared in PostgreSQL).
 * - A buy's deadline passes while both processes sweep: announced once, each member told once.
 * - Every card's final content is the card rendered from the database.
 * - kill -9 of shard 1's process in the middle of a burst: Discord does not redeliver interactions, so presses it was
 *   handling or that came while it was down are lost (the member sees no answer); nothing is half-written, shard 0
 *   keeps answering, and a restarted process identifies again and serves shard 1.
 *
 * Each process talks REST through its own base (`DISCORD_API_BASE` tagged p0/p1: the one deviation from the pm2 file,
 * so that the fake knows which process made a call). PostgreSQL only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buyLanguage } from '../../core/group-buy/buy-language.js';
import { renderBuyCard } from '../../core/group-buy/buy-card.js';
import { cardEditBody } from '../../bots/discord/render.js';
import { loadConfig } from '../../bots/config.js';
import { openDatabase, type Database } from '../../prisma/database.js';
import { PrismaStore } from '../../prisma/store.js';
import { BotProcess, eventually } from '../support/bot-process.js';
import { createEmptyPostgresDatabase, hasPostgres, needsPostgres } from '../support/database.js';
import { appEnv, pm2Apps, startApp, freePort } from '../support/pm2-apps.js';
import { FakeDiscordServer, type FakeGuild, type FakeUser, type RecordedCall, type StoredMessage } from '../support/fake-discord-server.js';

const apps = pm2Apps;

/** Members pressing Join per server, on a buy of UNITS units. */
const MEMBERS = 40;
const UNITS = 25;
/** Members joining the buy whose deadline passes. */
const DEADLINE_MEMBERS = 6;
/** The kill: presses per server in the burst, presses in shard 1's server while its process is down, and after. */
const KILL_BURST = 30;
const WHILE_DOWN = 5;
const AFTER_RESTART = 5;
/** Discord's global limit, 50 requests a second (bots/discord/shared-rest-budget.ts). */
const GLOBAL_PER_SECOND = 50;

const tag = (shard: number) => `p${shard}`;
/** Calls under Discord's global limit: everything but interaction answers and follow-ups. */
const underGlobalLimit = (c: RecordedCall) => c.via !== undefined && !/^\/(interactions|webhooks)\//.test(c.path);

describe('Discord shard settings of the pm2 example and of a process', () => {
  it('give every shard of the count one process, each setting valid', () => {
    const count = apps.length;
    const shards = apps.map((app) => {
      const config = loadConfig(Object.fromEntries(Object.entries(app.env).filter(([, v]) => v !== undefined)) as NodeJS.ProcessEnv);
      expect(config.DISCORD_SHARD_COUNT, app.name).toBe(count);
      return config.DISCORD_SHARD_ID;
    });
    expect(shards.sort()).toEqual(Array.from({ length: count }, (_, i) => i));
  });

  it('a process given a shard id not below the count, or an id without a count, stops at once naming the variable', async () => {
    const started = [
      new BotProcess({ DISCORD_TOKEN: 'token', DISCORD_APPLICATION_ID: '1', DISCORD_SHARD_ID: '2', DISCORD_SHARD_COUNT: '2' }),
      new BotProcess({ DISCORD_TOKEN: 'token', DISCORD_APPLICATION_ID: '1', DISCORD_SHARD_ID: '1' }),
    ];
    const exits = await Promise.all(started.map((bot) => bot.exited));
    expect(exits.map((e) => e.code)).toEqual([2, 2]);
    expect(started[0]!.stderr).toContain('DISCORD_SHARD_ID: DISCORD_SHARD_ID must be below DISCORD_SHARD_COUNT (2)');
    expect(started[1]!.stderr).toContain('DISCORD_SHARD_COUNT: DISCORD_SHARD_ID and DISCORD_SHARD_COUNT must be set together');
  }, 120_000);
});

describe.skipIf(!hasPostgres)(`Discord across two bot processes, one gateway shard each, on one PostgreSQL${hasPostgres ? '' : ` (skipped: ${needsPostgres})`}`, () => {
  let server: FakeDiscordServer;
  let databaseUrl: string;
  let dropDatabase: () => Promise<void>;
  let db: Database;
  const bots: BotProcess[] = [];
  const envs: Record<string, string>[] = [];
  /** Server on shard 0 and server on shard 1, with their admins. */
  const guilds: FakeGuild[] = [];
  const admins: FakeUser[] = [];

  beforeAll(async () => {
    expect(apps.map((app) => [app.env.DISCORD_SHARD_ID, app.env.DISCORD_SHARD_COUNT])).toEqual([['0', '2'], ['1', '2']]);
    const database = await createEmptyPostgresDatabase('tuanbot_dcshards');
    databaseUrl = database.url;
    dropDatabase = database.drop;
    // Discord recommends 2 shards for this bot; as Discord does with max_concurrency 1, a second IDENTIFY within 5 s
    // is refused (the processes start together: one waits its turn).
    server = await FakeDiscordServer.start({ shards: 2, identifyLimit: true });
    for (const shard of [0, 1]) {
      const guild = server.guild(`Shard ${shard} club`, { onShard: [shard, 2] });
      guilds.push(guild);
      admins.push(server.member(guild, { username: `admin${shard}` }, { admin: true }));
    }
    const started = Date.now();
    for (const [i, app] of apps.entries()) {
      const env = appEnv(app);
      env.METRICS_PORT = String(await freePort());
      if (env.DASHBOARD_PORT !== 'off') env.DASHBOARD_PORT = String(await freePort());
      Object.assign(env, {
        DATABASE_URL: databaseUrl,
        DISCORD_TOKEN: server.token,
        DISCORD_APPLICATION_ID: server.applicationId,
        DISCORD_API_BASE: server.apiBaseFor(tag(Number(env.DISCORD_SHARD_ID))),
        DEFAULT_LANGUAGE: 'en',
        // Test-only: the safety-net sweep every 5 s instead of 30, so the deadline is seen quickly.
        SWEEP_INTERVAL_SECONDS: '5',
      });
      expect(env.TELEGRAM_BOT_TOKEN).toBeUndefined();
      expect(app.script).toBe('dist/bots/main.js');
      envs.push(env);
      bots.push(startApp(app, env));
    }
    await Promise.all(bots.map((bot) => bot.waitForLog('discord adapter running')));
    console.info(`discord shards: both processes ready ${((Date.now() - started) / 1000).toFixed(1)} s after starting together`);
    db = await openDatabase({ url: databaseUrl, migrate: false, poolSize: 2 });
  }, 300_000);

  afterAll(async () => {
    for (const bot of bots) if (bot.running) bot.kill('SIGKILL');
    await Promise.all(bots.map((bot) => bot.exited));
    await db?.close();
    await server?.close();
    await dropDatabase?.();
  }, 60_000);

  /** Opens a buy with a slash command in a server and returns its card and id. */
  async function openBuy(shard: number, title: string, units: number): Promise<{ card: StoredMessage; buyId: number }> {
    const guild = guilds[shard]!;
    server.slashCommand(admins[shard]!, guild.channelId, 'newbuy', [
      { name: 'title', type: 3, value: title },
      { name: 'price', type: 3, value: '10' },
      { name: 'min', type: 4, value: 1 },
      { name: 'max', type: 4, value: units },
      { name: 'ends', type: 3, value: '90m' },
    ]);
    const card = await eventually(() => server.channelMessages(guild.channelId).find((m) => m.content.includes(title) && joinButton(m)), 60_000, `the ${title} card`);
    return { card, buyId: Number(joinButton(card)!.split(':')[1]) };
  }

  function press(members: FakeUser[], card: StoredMessage): string[] {
    return members.map((member) => server.pressButton(member, card, joinButton(card)!));
  }

  /** The REST calls made for one interaction (its acknowledgement and its follow-ups, by its id and token). */
  const restOf = (id: string) => server.calls((c) => c.path.startsWith(`/interactions/${id}/`) || c.path.includes(`/itoken-${id}`));
  /** The messages answering an interaction that members can see (its toast). */
  function answers(channelId: string): Map<string, StoredMessage[]> {
    const byInteraction = new Map<string, StoredMessage[]>();
    for (const m of server.channelMessages(channelId)) if (m.interactionId) byInteraction.set(m.interactionId, [...(byInteraction.get(m.interactionId) ?? []), m]);
    return byInteraction;
  }
  const answered = (id: string, channelId: string) => server.interactionRecord(id)?.ackType !== undefined && (answers(channelId).get(id)?.length ?? 0) > 0;

  /**
   * Every interaction reached exactly the session of its server's shard and was answered by that process alone, once
   * (with a message shown for it, unless `shown` is false: a command whose replies are public may post them to the
   * channel once it has been deferred).
   */
  function expectServedByOwner(ids: string[], shard: number, options: { shown?: boolean } = {}): void {
    const owner = server.gatewaySessions().filter((s) => s.shard[0] === shard && s.closedAt === undefined).map((s) => s.sessionId);
    expect(owner).toHaveLength(1);
    const shown = answers(guilds[shard]!.channelId);
    for (const id of ids) {
      const record = server.interactionRecord(id)!;
      expect(record.deliveredTo).toEqual(owner);
      const calls = restOf(id);
      expect(new Set(calls.map((c) => c.via))).toEqual(new Set([tag(shard)]));
      expect(calls.filter((c) => c.path.endsWith('/callback'))).toHaveLength(1);
      if (options.shown !== false) expect(shown.get(id)?.filter((m) => m.content.length > 0)).toHaveLength(1);
    }
  }

  const signUps = (buyId: number) => db.prisma.signUp.findMany({ where: { buyId }, select: { memberId: true, quantity: true, status: true } });
  /** Messages the bot sent a member privately on its own (not answers to the member's commands there). */
  const dmsTo = (member: FakeUser, text: string) => server.channelMessages(server.dmChannelOf(member)).filter((m) => !m.interactionId && m.content.includes(text));
  const formed = (shard: number, buyId: number, title: string) => server.channelMessages(guilds[shard]!.channelId).filter((m) => m.content.startsWith(`✅ Group buy #${buyId} ${title} is formed`));

  /** The card as the bot would render it from the database at `now`, as its Discord edit would carry it. */
  async function cardFromDatabase(buyId: number, now: Date): Promise<{ content: unknown; components: unknown }> {
    const store = new PrismaStore(db.prisma);
    const buy = (await store.getBuy(buyId))!;
    const group = (await store.getGroup(buy.groupId))!;
    const card = renderBuyCard(buy, await store.listSignUps(buyId), group, await buyLanguage(store, buy, group, 'en'), now);
    const body = cardEditBody(card.text, card.buttons);
    return { content: body.content, components: body.components };
  }

  /** Waits until no edit of these cards has reached the server for `quietMs`. */
  async function cardsSettled(cards: StoredMessage[], quietMs: number): Promise<void> {
    let seen = '';
    let since = Date.now();
    for (;;) {
      const now = cards.map((c) => server.message(c.id)!.edits).join(',');
      if (now !== seen) [seen, since] = [now, Date.now()];
      if (Date.now() - since >= quietMs) return;
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  /**
   * The card's last edit is the card rendered from the database now, but for its "closes in" minutes, which are those
   * of when it was rendered: some moment in the 5 s before the edit arrived (the render comes after the lease is
   * taken, and the edit may wait for the global budget).
   */
  async function expectCardShowsDatabase(card: StoredMessage, buyId: number): Promise<void> {
    const shown = server.message(card.id)!;
    const edits = server.calls((c) => c.method === 'PATCH' && c.path === `/channels/${card.channel_id}/messages/${card.id}`);
    const arrived = edits.at(-1)?.at ?? Date.now();
    const renders = await Promise.all([0, 1, 2, 3, 4, 5].map((s) => cardFromDatabase(buyId, new Date(arrived - s * 1000))));
    const actual = { content: shown.content, components: shown.components };
    expect(actual).toEqual(renders.find((r) => JSON.stringify(r) === JSON.stringify(actual)) ?? renders[0]);
  }

  it(
    `${MEMBERS} members per shard press Join: each interaction served once by its shard’s process; no oversell; closing both buys at once keeps the global budget; one deadline announcement; cards show the database`,
    async () => {
      // Each session identified its shard and was sent only its own server.
      const sessions = server.gatewaySessions();
      expect(sessions.map((s) => s.shard).sort()).toEqual([[0, 2], [1, 2]]);
      for (const [i, bot] of bots.entries()) {
        expect(bot.logs.find((l) => l.msg === 'discord bot started')?.guilds, `process ${i}`).toBe(1);
      }

      const tea = [await openBuy(0, 'Tea', UNITS), await openBuy(1, 'Tea', UNITS)];
      const coffee = await openBuy(0, 'Coffee', 1000);
      const crowds = [0, 1].map((shard) => Array.from({ length: MEMBERS }, (_, i) => server.member(guilds[shard]!, { username: `s${shard}m${i}` })));
      const burstStart = Date.now();
      // Interleaved across both servers, as they would come.
      const ids: string[][] = [[], []];
      for (let i = 0; i < MEMBERS; i += 1) for (const shard of [0, 1]) ids[shard]!.push(...press([crowds[shard]![i]!], tea[shard]!.card));
      const coffeeIds = press(crowds[0]!.slice(0, DEADLINE_MEMBERS), coffee.card);
      await eventually(() => [0, 1].every((s) => ids[s]!.every((id) => answered(id, guilds[s]!.channelId))) && coffeeIds.every((id) => answered(id, guilds[0]!.channelId)), 180_000, 'every press answered');
      const burstSeconds = (Date.now() - burstStart) / 1000;

      for (const shard of [0, 1]) {
        expectServedByOwner(ids[shard]!, shard);
        const rows = await signUps(tea[shard]!.buyId);
        expect(rows).toHaveLength(MEMBERS);
        expect(new Set(rows.map((r) => r.memberId)).size).toBe(MEMBERS);
        expect(rows.every((r) => r.quantity === 1)).toBe(true);
        expect(rows.filter((r) => r.status === 'active').length).toBe(UNITS);
        expect(rows.filter((r) => r.status === 'waitlisted').length).toBe(MEMBERS - UNITS);
      }
      expectServedByOwner(coffeeIds, 0);

      // A command in DMs goes to shard 0, whatever server the member is in; the database is one.
      const dmMember = crowds[1]![0]!;
      const dmCommand = server.slashCommand(dmMember, server.dmChannelOf(dmMember), 'mybuys');
      await eventually(() => server.interactionRecord(dmCommand)?.ackType !== undefined && server.channelMessages(server.dmChannelOf(dmMember)).some((m) => m.interactionId === dmCommand), 60_000, 'the DM command answered');
      expect(server.interactionRecord(dmCommand)!.deliveredTo).toEqual(server.gatewaySessions().filter((s) => s.shard[0] === 0).map((s) => s.sessionId));
      expect(new Set(restOf(dmCommand).map((c) => c.via))).toEqual(new Set([tag(0)]));
      expect(server.channelMessages(server.dmChannelOf(dmMember)).find((m) => m.interactionId === dmCommand)!.content).toContain(`#${tea[1]!.buyId}`);

      // The coffee buy's deadline passes; both processes sweep every 5 s.
      await db.prisma.groupBuy.update({ where: { id: coffee.buyId }, data: { endsAt: new Date(Date.now() - 1000) } });

      // Both admins close their buys at the same moment: each process tells its server's members privately.
      const closeStart = Date.now();
      const closes = [0, 1].map((shard) => server.slashCommand(admins[shard]!, guilds[shard]!.channelId, 'closebuy', [{ name: 'buy', type: 4, value: tea[shard]!.buyId }]));
      for (const shard of [0, 1]) await eventually(() => crowds[shard]!.every((m) => dmsTo(m, `#${tea[shard]!.buyId} Tea`).length > 0), 180_000, `private messages of shard ${shard}'s close`);
      const closeSeconds = (Date.now() - closeStart) / 1000;
      for (const shard of [0, 1]) {
        expectServedByOwner([closes[shard]!], shard, { shown: false });
        expect(formed(shard, tea[shard]!.buyId, 'Tea')).toHaveLength(1);
        expect(crowds[shard]!.filter((m) => dmsTo(m, `#${tea[shard]!.buyId} Tea`).length !== 1)).toEqual([]);
      }

      // Discord's global limit across both processes: in any second, at most 50 calls between them (20% slack for
      // timers that wake late on a loaded machine; each process on its own budget could send 50 a second).
      const limited = server.calls(underGlobalLimit);
      const times = limited.map((c) => c.at).sort((a, b) => a - b);
      const busiest = Math.max(...times.map((t) => times.filter((u) => u >= t && u < t + 1000).length));
      expect(busiest).toBeLessThanOrEqual(GLOBAL_PER_SECOND * 1.2);
      // The close burst: both processes sent at once (their bursts overlap), each its members' messages.
      const burst = limited.filter((c) => c.at >= closeStart);
      const byProcess = [0, 1].map((shard) => burst.filter((c) => c.via === tag(shard)));
      for (const calls of byProcess) expect(calls.length).toBeGreaterThanOrEqual(MEMBERS);
      const [first, last] = [(calls: RecordedCall[]) => calls[0]!.at, (calls: RecordedCall[]) => calls.at(-1)!.at];
      expect(first(byProcess[0]!)).toBeLessThan(last(byProcess[1]!));
      expect(first(byProcess[1]!)).toBeLessThan(last(byProcess[0]!));
      // At 50 a second the burst lasts at least (n - 1) / 50 s (slack for late timers).
      expect(burst.at(-1)!.at - burst[0]!.at).toBeGreaterThan((burst.length - 1) * (1000 / GLOBAL_PER_SECOND) * 0.8);
      const overlapStart = Math.max(first(byProcess[0]!), first(byProcess[1]!));
      const overlapEnd = Math.min(last(byProcess[0]!), last(byProcess[1]!));
      const inOverlap = burst.filter((c) => c.at >= overlapStart && c.at <= overlapEnd).length;
      const overlapRate = inOverlap / Math.max(0.001, (overlapEnd - overlapStart) / 1000);

      // The coffee buy: one announcement and one private message per member, whoever swept, after two more sweeps each.
      await eventually(() => formed(0, coffee.buyId, 'Coffee').length > 0, 60_000, 'the deadline announcement');
      const announcedAt = Date.now();
      const coffeeCrowd = crowds[0]!.slice(0, DEADLINE_MEMBERS);
      await eventually(() => coffeeCrowd.every((m) => dmsTo(m, `#${coffee.buyId} Coffee`).length > 0), 60_000, 'the deadline private messages');
      await new Promise((r) => setTimeout(r, Math.max(0, announcedAt + 11_000 - Date.now())));
      expect(formed(0, coffee.buyId, 'Coffee')).toHaveLength(1);
      expect(coffeeCrowd.filter((m) => dmsTo(m, `#${coffee.buyId} Coffee`).length !== 1)).toEqual([]);
      const announcedBy = server.calls((c) => c.method === 'POST' && c.path === `/channels/${guilds[0]!.channelId}/messages` && String(c.body?.content).startsWith(`✅ Group buy #${coffee.buyId}`)).map((c) => c.via);
      expect(announcedBy).toHaveLength(1);

      // Every card: its last edit is the card rendered from the database.
      const cards = [tea[0]!.card, tea[1]!.card, coffee.card];
      await cardsSettled(cards, 8_000);
      for (const [card, buyId] of [[tea[0]!.card, tea[0]!.buyId], [tea[1]!.card, tea[1]!.buyId], [coffee.card, coffee.buyId]] as const) await expectCardShowsDatabase(card, buyId);
      expect(server.message(tea[1]!.card.id)!.components).toEqual([]);

      const errors = bots.flatMap((bot, i) => bot.logs.filter((line) => (line.level ?? 0) >= 50).map((line) => `${apps[i]!.name}: ${JSON.stringify(line).slice(0, 300)}`));
      expect(errors).toEqual([]);
      console.info(
        `discord shards: ${2 * MEMBERS + DEADLINE_MEMBERS} presses answered in ${burstSeconds.toFixed(1)} s; IDENTIFYs refused at the start ${server.refusedIdentifies}; ` +
          `close of both buys: ${burst.length} calls under the global limit (${byProcess.map((c) => c.length).join('/')} by p0/p1) in ${closeSeconds.toFixed(1)} s, ` +
          `${overlapRate.toFixed(0)}/s together while both sent, busiest second ${busiest}; deadline announced by ${announcedBy.join()}; ` +
          `card edits ${cards.map((c) => server.message(c.id)!.edits).join('/')}`,
      );
    },
    600_000,
  );

  it(
    `kill -9 of shard 1’s process in a burst of ${KILL_BURST} presses per server: nothing half-written, shard 0 keeps answering, the restarted process serves shard 1`,
    async () => {
      const rice = [await openBuy(0, 'Rice', 1000), await openBuy(1, 'Rice', 1000)];
      const crowds = [0, 1].map((shard) => Array.from({ length: KILL_BURST }, (_, i) => server.member(guilds[shard]!, { username: `k${shard}m${i}` })));
      const ids: string[][] = [[], []];
      for (let i = 0; i < KILL_BURST; i += 1) for (const shard of [0, 1]) ids[shard]!.push(...press([crowds[shard]![i]!], rice[shard]!.card));
      const channel1 = guilds[1]!.channelId;
      const answeredIn = (shard: number) => ids[shard]!.filter((id) => answered(id, guilds[shard]!.channelId)).length;
      await eventually(() => answeredIn(1) >= KILL_BURST / 5, 120_000, `${KILL_BURST / 5} answered presses in shard 1`);
      const victim = bots[1]!;
      victim.kill('SIGKILL');
      expect((await victim.exited).signal).toBe('SIGKILL');
      const answeredAtKill = answeredIn(1);
      expect(answeredAtKill).toBeLessThan(KILL_BURST);
      // Discord sees the connection drop: no session serves shard 1 any more.
      await eventually(() => server.gatewaySessions().every((s) => s.shard[0] !== 1 || s.closedAt !== undefined), 10_000, 'shard 1’s session closed');

      // Presses in shard 1's server while its process is down reach nobody: Discord tells those members the
      // interaction failed, and nothing is written.
      const downCrowd = Array.from({ length: WHILE_DOWN }, (_, i) => server.member(guilds[1]!, { username: `down${i}` }));
      const downIds = press(downCrowd, rice[1]!.card);
      expect(downIds.map((id) => server.interactionRecord(id)!.deliveredTo)).toEqual(downIds.map(() => []));

      // Shard 0 keeps answering every press, exactly.
      await eventually(() => answeredIn(0) === KILL_BURST, 120_000, 'every press in shard 0 answered');
      expectServedByOwner(ids[0]!, 0);
      const rows0 = await signUps(rice[0]!.buyId);
      expect(rows0).toHaveLength(KILL_BURST);
      expect(new Set(rows0.map((r) => r.memberId)).size).toBe(KILL_BURST);

      // Restarted (pm2's autorestart): it identifies again and serves shard 1.
      const restarted = startApp(apps[1]!, envs[1]!);
      bots[1] = restarted;
      const restartAt = Date.now();
      await restarted.waitForLog('discord adapter running');
      const restartSeconds = (Date.now() - restartAt) / 1000;
      const shard1 = server.gatewaySessions().filter((s) => s.shard[0] === 1);
      expect(shard1).toHaveLength(2);
      expect(shard1[1]!.closedAt).toBeUndefined();
      const afterCrowd = Array.from({ length: AFTER_RESTART }, (_, i) => server.member(guilds[1]!, { username: `back${i}` }));
      const afterIds = press(afterCrowd, rice[1]!.card);
      await eventually(() => afterIds.every((id) => answered(id, channel1)), 120_000, 'presses after the restart answered');
      expectServedByOwner(afterIds, 1);

      // Shard 1's server: what the database holds is whole. Each member at most once, one unit; every member told
      // they joined has their sign-up; the presses that reached nobody left nothing; at most the one press being
      // handled at the kill (one at a time per channel) was committed without its answer.
      const rows1 = await signUps(rice[1]!.buyId);
      const memberIds = rows1.map((r) => r.memberId);
      expect(new Set(memberIds).size).toBe(rows1.length);
      expect(rows1.every((r) => r.quantity === 1 && r.status === 'active')).toBe(true);
      const signedUp = new Set(memberIds);
      const idOf = (m: FakeUser) => `dc:${m.id}`;
      const toldOf = (id: string) => (answers(channel1).get(id) ?? []).some((m) => m.content.includes('joined'));
      const burstTold = crowds[1]!.filter((m, i) => toldOf(ids[1]![i]!));
      expect(burstTold.filter((m) => !signedUp.has(idOf(m)))).toEqual([]);
      expect(downCrowd.filter((m) => signedUp.has(idOf(m)))).toEqual([]);
      expect(afterCrowd.filter((m) => !signedUp.has(idOf(m)))).toEqual([]);
      const committedUntold = crowds[1]!.filter((m, i) => signedUp.has(idOf(m)) && !toldOf(ids[1]![i]!));
      expect(committedUntold.length).toBeLessThanOrEqual(1);
      expect(rows1.length).toBe(burstTold.length + committedUntold.length + AFTER_RESTART);
      // The lost presses of the burst: delivered to the killed process, never handled or never answered.
      const lost = ids[1]!.filter((id) => !toldOf(id));
      const ackedOnly = lost.filter((id) => server.interactionRecord(id)!.ackType !== undefined).length;

      // Both cards show the database (the restarted process re-renders its live cards; a lease the killed one held
      // expires first).
      await cardsSettled([rice[0]!.card, rice[1]!.card], 12_000);
      await expectCardShowsDatabase(rice[0]!.card, rice[0]!.buyId);
      await expectCardShowsDatabase(rice[1]!.card, rice[1]!.buyId);

      for (const bot of bots) bot.kill('SIGTERM');
      for (const bot of bots) expect((await bot.exited).code, bot.stderr.slice(-3000)).toBe(0);
      console.info(
        `discord shards, kill -9: ${answeredAtKill} of ${KILL_BURST} answered in shard 1 at the kill; lost ${lost.length} ` +
          `(${ackedOnly} acknowledged without an answer, ${lost.length - ackedOnly} never acknowledged), ${committedUntold.length} committed without their answer; ` +
          `${WHILE_DOWN} presses while down reached nobody; restarted and serving in ${restartSeconds.toFixed(1)} s`,
      );
    },
    600_000,
  );
});

/** The Join button's custom id on a card, if it has one. */
function joinButton(message: StoredMessage): string | undefined {
  for (const row of message.components ?? []) for (const b of row.components ?? []) if (typeof b.custom_id === 'string' && /^join:\d+$/.test(b.custom_id)) return b.custom_id;
  return undefined;
}

/** A TCP port free right now on the loopback interface. */
