/**
 * A fake Discord for tests: a REST server (node:http) and a gateway (ws) on one port, so a real discord.js Client
 * logs in, receives READY and GUILD_CREATE, and gets interactions and reactions as Discord dispatches them. It
 * records every REST call, keeps the messages the bot posted (with their edits, ephemeral ones marked with their one
 * viewer), and refuses what Discord refuses: a second acknowledgement of an interaction, DMs to members who do not
 * accept them (50007). Members can also write to the bot in DMs (text and files, as MESSAGE_CREATE), and the bot can
 * pin messages.
 *
 * Sharded as Discord is: each gateway session is the shard its IDENTIFY names (`shard: [id, count]`, `[0, 1]` when
 * absent); a guild's events (GUILD_CREATE at READY, interactions, messages, reactions) go only to the sessions whose
 * shard is `(guild_id >> 22) % count`, direct messages to shard 0; an event whose shard has no session is lost, as an
 * interaction is on Discord. `/gateway/bot` reports the recommended shard count and the session start limit (with
 * `identifyLimit`, a second IDENTIFY within 5 s is refused with Invalid Session, as `max_concurrency: 1` means). A
 * RESUME is refused the same way (the fake keeps no missed events), so a client identifies again. Each process of a
 * test can talk REST through its own base (`apiBaseFor(tag)`), so calls say which process made them.
 *
 * @example
 * const server = await FakeDiscordServer.start();
 * const guild = server.guild('Tea lovers');
 * const alice = server.member(guild, { username: 'alice' }, { admin: true });
 * // createDiscordBot({ token: server.token, applicationId: server.applicationId, apiBase: server.apiBase, ... })
 * server.slashCommand(alice, guild.channelId, 'join', [{ name: 'quantity', type: 4, value: 2 }]);
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

/** Discord's epoch, for snowflakes that carry their creation time. */
const EPOCH = 1_420_070_400_000n;
const MANAGE_GUILD = 1n << 5n;
const MEMBER_PERMISSIONS = (1n << 10n) | (1n << 11n) | (1n << 6n) | (1n << 16n); // view, send, add reactions, history

export interface RecordedCall {
  method: string;
  /** Path after `/api/v10`, e.g. `/channels/1/messages`. */
  path: string;
  query: Record<string, string>;
  body: any;
  files: { name: string; content: Buffer }[];
  /** Milliseconds since the interaction it answers was dispatched (interaction callbacks only). */
  afterMs?: number;
  /** When the request arrived (ms since the epoch). */
  at: number;
  /** The tag of the REST base the caller used (`apiBaseFor(tag)`), if any. */
  via?: string;
}

/** One gateway connection that identified: the shard it serves. */
export interface GatewaySession {
  sessionId: string;
  /** `[shard id, shard count]` from IDENTIFY. */
  shard: [number, number];
  intents: number;
  identifiedAt: number;
  closedAt?: number;
  /** Dispatches sent to this session (READY excluded). */
  dispatches: number;
}

export interface FakeUser {
  id: string;
  username: string;
  global_name: string | null;
  discriminator: '0';
  avatar: null;
  bot?: boolean;
  /** The client language, sent as the interaction's `locale`. */
  locale: string;
}

export interface FakeGuild {
  id: string;
  name: string;
  ownerId: string;
  /** The text channel scenarios play in. */
  channelId: string;
  adminRoleId: string;
  roles: any[];
  channels: any[];
  members: Map<string, { user: FakeUser; roles: string[]; nick: string | null }>;
}

/** A message as members see it now. `ephemeralTo`: only this user sees it. */
export interface StoredMessage {
  id: string;
  channel_id: string;
  content: string;
  components: any[];
  attachments: { filename: string; content: Buffer }[];
  /** Embeds as the bot sent them (a share's photo is an embed image). */
  embeds: any[];
  flags: number;
  ephemeralTo?: string;
  /** The user whose interaction this message answers, if any. */
  interactionUser?: string;
  /** The interaction it answers, if any. */
  interactionId?: string;
  edits: number;
  deleted?: boolean;
  /** A deferred response's "thinking" placeholder, not yet filled. */
  placeholder?: boolean;
  /** A member's own message (`memberMessage`); absent for the bot's. */
  author?: FakeUser;
  /** A member message's attachments, as Discord describes them (from `attachment()`). */
  uploaded?: any[];
}

/** What changed that a member could see, in order. */
export type Visible = { kind: 'posted'; message: StoredMessage } | { kind: 'edited'; message: StoredMessage };

interface InteractionRecord {
  id: string;
  token: string;
  type: number;
  user: FakeUser;
  channelId: string;
  guildId?: string;
  dispatchedAt: number;
  /** The gateway sessions it was sent to (none: its shard had no session, and it is lost). */
  deliveredTo: string[];
  /** Callback type of the first (and only allowed) acknowledgement. */
  ackType?: number;
  original?: StoredMessage;
  modal?: any;
  message?: StoredMessage;
}

const EPHEMERAL = 64;

/** See the module comment. */
export class FakeDiscordServer {
  readonly token = 'MTAxMDEwMTAxMDEwMTAxMDEw.fake.discord-token';
  readonly applicationId: string;
  readonly bot: FakeUser;
  /** Called for every visible change, in order (the scenario driver reads what members saw from it). */
  onVisible: (change: Visible) => void = () => {};
  private readonly server: Server;
  private readonly gateway: WebSocketServer;
  private readonly sockets = new Set<WebSocket>();
  private readonly recorded: RecordedCall[] = [];
  private readonly guilds = new Map<string, FakeGuild>();
  private readonly users = new Map<string, FakeUser>();
  private readonly channels = new Map<string, any>();
  private readonly messages = new Map<string, StoredMessage>();
  private readonly dmChannels = new Map<string, string>();
  private readonly refusesDms = new Set<string>();
  private readonly interactions = new Map<string, InteractionRecord>();
  private readonly byToken = new Map<string, InteractionRecord>();
  /** Files members uploaded, by URL path, as the CDN serves them. */
  private readonly uploads = new Map<string, { contentType: string; content: Buffer }>();
  /** Pinned message ids per channel, in the order they were pinned. */
  private readonly pins = new Map<string, string[]>();
  private counter = 0n;
  private pendingRequests = 0;
  /** Requests to answer 429 (see rateLimitNext). */
  private readonly floods: { method: string; path: RegExp; times: number; retryAfter: number }[] = [];
  /** Open gateway sessions, by connection; every session ever identified, in order. */
  private readonly sessions = new Map<WebSocket, GatewaySession & { sequence: number }>();
  private readonly sessionLog: GatewaySession[] = [];
  /** Message deletions are refused (403 Missing Permissions), as for a bot that lost Manage Messages. */
  private refusingDeletes = false;
  /** The `[shard id, shard count]` of the last IDENTIFY (discord.js sends `[0, 1]` without sharding). */
  identifiedShard: [number, number] | undefined;
  /** Session starts left (`session_start_limit.remaining`). */
  private sessionStartsLeft = 1000;
  private lastIdentifyAt = -Infinity;
  /** IDENTIFYs refused for coming within 5 s of the previous one (`identifyLimit`). */
  refusedIdentifies = 0;

  private constructor(private readonly options: FakeDiscordOptions = {}) {
    this.applicationId = this.snowflake();
    this.bot = { id: this.applicationId, username: 'tuanbot', global_name: 'tuanbot', discriminator: '0', avatar: null, bot: true, locale: 'en-US' };
    this.users.set(this.bot.id, this.bot);
    this.server = createServer((req, res) => void this.serve(req, res));
    this.gateway = new WebSocketServer({ noServer: true });
    this.server.on('upgrade', (req, socket, head) => this.gateway.handleUpgrade(req, socket, head, (ws) => this.connect(ws)));
  }

  static async start(options: FakeDiscordOptions = {}): Promise<FakeDiscordServer> {
    const fake = new FakeDiscordServer(options);
    await new Promise<void>((resolve) => fake.server.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** REST base URL for discord.js (`rest.api`) and DISCORD_API_BASE. */
  get apiBase(): string {
    return `http://127.0.0.1:${this.port}/api`;
  }

  /** The same REST API under a base whose calls are recorded with `via: tag` (one per process in a test). */
  apiBaseFor(tag: string): string {
    return `http://127.0.0.1:${this.port}/via/${encodeURIComponent(tag)}/api`;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.terminate();
    this.gateway.close();
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  // ---- the world -----------------------------------------------------------------------------------------------

  snowflake(): string {
    this.counter += 1n;
    return String(((BigInt(Date.now()) - EPOCH) << 22n) | (this.counter & 0x3fffffn));
  }

  /** A snowflake whose shard is `shard` of `count` (its time moved up to `count - 1` ms ahead). */
  snowflakeOnShard(shard: number, count: number): string {
    this.counter += 1n;
    let time = BigInt(Date.now()) - EPOCH;
    time += (BigInt(shard) - (time % BigInt(count)) + BigInt(count)) % BigInt(count);
    return String((time << 22n) | (this.counter & 0x3fffffn));
  }

  user(spec: { username: string; global_name?: string; locale?: string }): FakeUser {
    const user: FakeUser = { id: this.snowflake(), username: spec.username, global_name: spec.global_name ?? null, discriminator: '0', avatar: null, locale: spec.locale ?? 'en-US' };
    this.users.set(user.id, user);
    return user;
  }

  /**
   * A guild with one text channel and an admin role (Manage Server); the bot is a member. Dispatched to its shard's
   * sessions once connected. `onShard: [id, count]` picks an id that falls on that shard.
   */
  guild(name: string, options: { onShard?: [number, number] } = {}): FakeGuild {
    const id = options.onShard ? this.snowflakeOnShard(...options.onShard) : this.snowflake();
    const channelId = this.snowflake();
    const adminRoleId = this.snowflake();
    const guild: FakeGuild = {
      id,
      name,
      // An owner who is not in the scenarios (not a member the bot saw), but a real user the bot can DM.
      ownerId: this.user({ username: `owner-${id.slice(-4)}` }).id,
      channelId,
      adminRoleId,
      roles: [
        { id, name: '@everyone', permissions: String(MEMBER_PERMISSIONS), position: 0, color: 0, hoist: false, managed: false, mentionable: false, flags: 0 },
        { id: adminRoleId, name: 'Shopkeepers', permissions: String(MANAGE_GUILD | MEMBER_PERMISSIONS), position: 1, color: 0, hoist: false, managed: false, mentionable: false, flags: 0 },
      ],
      channels: [{ id: channelId, type: 0, name: 'group-buys', guild_id: id, position: 0, permission_overwrites: [], nsfw: false, parent_id: null, topic: null, last_message_id: null, rate_limit_per_user: 0 }],
      members: new Map(),
    };
    guild.members.set(this.bot.id, { user: this.bot, roles: [], nick: null });
    this.guilds.set(id, guild);
    this.channels.set(channelId, guild.channels[0]);
    this.dispatch('GUILD_CREATE', this.guildPayload(guild), id);
    return guild;
  }

  /** Adds a member; `admin` gives them the guild's Manage Server role; `roles` adds other roles. */
  member(guild: FakeGuild, spec: { username: string; global_name?: string; locale?: string }, options: { admin?: boolean; roles?: string[]; acceptsDms?: boolean } = {}): FakeUser {
    const user = this.user(spec);
    guild.members.set(user.id, { user, roles: [...(options.admin ? [guild.adminRoleId] : []), ...(options.roles ?? [])], nick: null });
    if (options.acceptsDms === false) this.refusesDms.add(user.id);
    return user;
  }

  /** A role without special permissions (for configured admin or moderator roles). */
  role(guild: FakeGuild, name: string): string {
    const id = this.snowflake();
    guild.roles.push({ id, name, permissions: String(MEMBER_PERMISSIONS), position: guild.roles.length, color: 0, hoist: false, managed: false, mentionable: false, flags: 0 });
    return id;
  }

  /** The member has written to the bot in DMs: from then on the bot may message them, as on Discord. */
  allowDms(user: FakeUser): void {
    this.refusesDms.delete(user.id);
  }

  /** The DM channel between the bot and a user (created on first use, as `POST /users/@me/channels` does). */
  dmChannelOf(user: FakeUser): string {
    let id = this.dmChannels.get(user.id);
    if (!id) {
      id = this.snowflake();
      this.dmChannels.set(user.id, id);
      this.channels.set(id, { id, type: 1, recipients: [publicUser(user)], last_message_id: null, flags: 0 });
    }
    return id;
  }

  /** Whose DM channel this is, if it is one. */
  dmRecipient(channelId: string): string | undefined {
    for (const [userId, id] of this.dmChannels) if (id === channelId) return userId;
    return undefined;
  }

  // ---- acting as members ---------------------------------------------------------------------------------------

  /** A member runs a slash command in a guild channel or in their DMs with the bot. Returns the interaction id. */
  slashCommand(user: FakeUser, channelId: string, name: string, options: any[] = [], resolved?: any): string {
    return this.interaction(user, channelId, 2, { id: this.snowflake(), name, type: 1, options, ...(resolved ? { resolved } : {}) });
  }

  /** A member presses a button on a message. */
  pressButton(user: FakeUser, message: StoredMessage, customId: string): string {
    return this.interaction(user, message.channel_id, 3, { custom_id: customId, component_type: 2 }, message);
  }

  /** A member submits a form the bot showed them (its one text field). */
  submitModal(user: FakeUser, message: StoredMessage | undefined, customId: string, fieldId: string, value: string): string {
    const data = { custom_id: customId, components: [{ type: 1, components: [{ type: 4, custom_id: fieldId, value }] }] };
    return this.interaction(user, message?.channel_id ?? '', 5, data, message);
  }

  /** A member adds or removes an emoji reaction on a message. */
  react(user: FakeUser, message: StoredMessage, emoji: string, added = true): void {
    const guildId = this.channels.get(message.channel_id)?.guild_id as string | undefined;
    const member = guildId ? this.guilds.get(guildId)?.members.get(user.id) : undefined;
    this.dispatchTo(this.sessionsFor(guildId), added ? 'MESSAGE_REACTION_ADD' : 'MESSAGE_REACTION_REMOVE', {
      user_id: user.id,
      channel_id: message.channel_id,
      message_id: message.id,
      ...(guildId ? { guild_id: guildId } : {}),
      emoji: { id: null, name: emoji },
      ...(added && member ? { member: this.memberPayload(member), message_author_id: this.bot.id, burst: false, type: 0 } : {}),
    });
  }

  /**
   * A file as Discord describes it once uploaded (an attachment object), for a DM or a slash command's attachment
   * option. `duration_secs` only when given: Discord sends it for voice messages, not for ordinary video uploads.
   * The fake serves the file at its URL (signed with an expiry, as Discord's CDN URLs are), like the CDN.
   */
  attachment(spec: { filename: string; contentType: string; durationSecs?: number }): any {
    const id = this.snowflake();
    const path = `/attachments/${id}/${id}/${spec.filename}`;
    this.uploads.set(path, { contentType: spec.contentType, content: Buffer.from(`fake ${spec.contentType} ${spec.filename}`) });
    const url = `http://127.0.0.1:${this.port}${path}?ex=${(Math.floor(Date.now() / 1000) + 86_400).toString(16)}&is=0&hm=fake`;
    return {
      id, filename: spec.filename, size: 1024, url, proxy_url: url.replace('cdn.discordapp.com', 'media.discordapp.net'), content_type: spec.contentType,
      ...(spec.durationSecs !== undefined ? { duration_secs: spec.durationSecs } : {}),
    };
  }

  /**
   * A member writes to the bot in their DMs (MESSAGE_CREATE, content included as Discord sends it for DMs), with
   * attachments from `attachment()`. Writing to the bot lets it message them from then on. Returns the message id.
   */
  directMessage(user: FakeUser, content: string, attachments: any[] = []): string {
    this.allowDms(user);
    const id = this.snowflake();
    this.dispatchTo(this.sessionsFor(undefined), 'MESSAGE_CREATE', {
      id, channel_id: this.dmChannelOf(user), type: 0, content, author: publicUser(user), attachments, embeds: [], mentions: [], mention_roles: [],
      mention_everyone: false, pinned: false, tts: false, flags: 0, timestamp: new Date().toISOString(), edited_timestamp: null, components: [],
    });
    return id;
  }

  /** A slash command with attachment options: `files` maps option names to `attachment()` objects. */
  slashCommandWithFiles(user: FakeUser, channelId: string, name: string, options: any[], files: Record<string, any>): string {
    const attachments: Record<string, any> = {};
    const withFiles = [...options];
    for (const [option, file] of Object.entries(files)) {
      attachments[file.id] = file;
      withFiles.push({ name: option, type: 11, value: file.id });
    }
    return this.slashCommand(user, channelId, name, withFiles, { attachments });
  }

  /**
   * A member posts a message in a channel (with files from `attachment()`), optionally as a reply to another message
   * (`mentionAuthor`: the reply pings its author, Discord's default). Dispatched as Discord does: MESSAGE_CREATE only
   * with the GUILD_MESSAGES intent, and its content (and attachments) empty unless the bot has the privileged
   * MESSAGE_CONTENT intent or is mentioned (a reply that pings the bot counts). Returns the message; `dispatched`
   * tells whether the bot was sent it.
   */
  memberMessage(
    user: FakeUser, channelId: string, content: string, attachments: any[] = [], options: { replyTo?: StoredMessage; mentionAuthor?: boolean } = {},
  ): StoredMessage & { dispatched: boolean } {
    const message: StoredMessage = {
      id: this.snowflake(), channel_id: channelId, content, components: [], attachments: [], embeds: [], flags: 0, edits: 0, author: user, uploaded: attachments,
    };
    this.messages.set(message.id, message);
    const guildId = this.channels.get(channelId)?.guild_id;
    // Each session sees it as its own intents allow.
    const receivers = guildId ? this.sessionsFor(guildId).filter((s) => s.intents & GUILD_MESSAGES_INTENT) : [];
    for (const session of receivers) {
      const target = options.replyTo;
      const repliedAuthor = target ? target.author ?? this.bot : undefined;
      const mentions = target && options.mentionAuthor !== false && repliedAuthor ? [publicUser(repliedAuthor)] : [];
      const readable = (session.intents & MESSAGE_CONTENT_INTENT) !== 0 || mentions.some((m: any) => m.id === this.bot.id);
      const member = this.guilds.get(guildId!)?.members.get(user.id);
      this.dispatchTo([session], 'MESSAGE_CREATE', {
        id: message.id, channel_id: channelId, guild_id: guildId, type: target ? 19 : 0, content: readable ? content : '', author: publicUser(user),
        ...(member ? { member: { roles: member.roles, nick: member.nick, joined_at: new Date(0).toISOString(), deaf: false, mute: false, flags: 0 } } : {}),
        attachments: readable ? attachments : [], embeds: [], mentions, mention_roles: [], mention_everyone: false, pinned: false, tts: false, flags: 0,
        timestamp: new Date().toISOString(), edited_timestamp: null, components: [],
        ...(target ? { message_reference: { type: 0, message_id: target.id, channel_id: channelId, guild_id: guildId }, referenced_message: this.messagePayload(target) } : {}),
      });
    }
    return Object.assign(message, { dispatched: receivers.length > 0 });
  }

  /** A member runs a message command ("Apps" menu of a message) on a message. Returns the interaction id. */
  messageCommand(user: FakeUser, message: StoredMessage, name: string): string {
    const data = { id: this.snowflake(), name, type: 3, target_id: message.id, resolved: { messages: { [message.id]: this.messagePayload(message) } } };
    return this.interaction(user, message.channel_id, 2, data);
  }

  /** Sends the same dispatch again (a redelivery after a resume). */
  redispatchInteraction(id: string): void {
    const packet = this.sentInteractions.get(id);
    if (packet) this.dispatchTo(this.sessionsFor(packet.guild_id), 'INTERACTION_CREATE', packet);
  }

  // ---- what the bot did ------------------------------------------------------------------------------------------

  calls(filter?: (call: RecordedCall) => boolean): RecordedCall[] {
    return filter ? this.recorded.filter(filter) : [...this.recorded];
  }

  message(id: string): StoredMessage | undefined {
    return this.messages.get(id);
  }

  /** Message ids pinned in a channel, in the order they were pinned. */
  pinned(channelId: string): string[] {
    return [...(this.pins.get(channelId) ?? [])];
  }

  /** Visible messages in a channel, oldest first. */
  channelMessages(channelId: string): StoredMessage[] {
    return [...this.messages.values()].filter((m) => m.channel_id === channelId && !m.deleted && !m.placeholder);
  }

  interactionRecord(id: string): InteractionRecord | undefined {
    return this.interactions.get(id);
  }

  /** Every interaction has its acknowledgement, and no "thinking" placeholder is left unfilled. */
  interactionsSettled(): boolean {
    for (const record of this.interactions.values()) {
      if (record.ackType === undefined) return false;
      if (record.original?.placeholder && !record.original.deleted) return false;
    }
    return true;
  }

  /** No REST request is being served. */
  idle(): boolean {
    return this.pendingRequests === 0;
  }

  /** The next `times` requests of `method` on a path matching `path` answer 429 with `retry_after`, as under a rate limit. */
  rateLimitNext(method: string, path: RegExp, retryAfterSeconds = 0.5, times = 1): void {
    this.floods.push({ method, path, times, retryAfter: retryAfterSeconds });
  }

  /** From now on message deletions are refused (403 Missing Permissions). */
  refuseDeletes(): void {
    this.refusingDeletes = true;
  }

  /** A gateway session is up and its guilds went out. */
  isReady(): boolean {
    return this.sessions.size > 0;
  }

  /** Every gateway session that identified, in order, open or closed. */
  gatewaySessions(): GatewaySession[] {
    return this.sessionLog.map((s) => ({ ...s }));
  }

  /** The shard of a guild among `count`: `(guild_id >> 22) % count`, as Discord computes it. */
  static shardOf(guildId: string, count: number): number {
    return Number((BigInt(guildId) >> 22n) % BigInt(count));
  }

  async waitFor<T>(check: () => T | undefined | null | false, timeoutMs = 3000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = check();
      if (value) return value;
      if (Date.now() > deadline) {
        const seen = this.recorded.map((c) => `${c.method} ${c.path} ${String(JSON.stringify(c.body)).slice(0, 200)}`).join('\n');
        throw new Error(`waitFor timed out after ${timeoutMs} ms; REST calls so far:\n${seen}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  // ---- gateway --------------------------------------------------------------------------------------------------

  private readonly sentInteractions = new Map<string, any>();

  private connect(ws: WebSocket): void {
    this.sockets.add(ws);
    ws.on('close', () => {
      this.sockets.delete(ws);
      const session = this.sessions.get(ws);
      if (session) {
        this.sessions.delete(ws);
        this.sessionLog.find((s) => s.sessionId === session.sessionId)!.closedAt = Date.now();
      }
    });
    ws.on('message', (raw) => {
      const packet = JSON.parse(String(raw)) as { op: number; d: any };
      if (packet.op === 1) ws.send(JSON.stringify({ op: 11 }));
      // The fake keeps no missed events to replay: a RESUME is refused and the client identifies anew.
      if (packet.op === 6) ws.send(JSON.stringify({ op: 9, d: false }));
      if (packet.op === 2) this.identify(ws, packet.d);
    });
    ws.send(JSON.stringify({ op: 10, d: { heartbeat_interval: 41_250 } }));
  }

  private identify(ws: WebSocket, d: any): void {
    if (d?.token !== `Bot ${this.token}` && d?.token !== this.token) {
      ws.close(4004, 'Authentication failed.');
      return;
    }
    const shard: [number, number] = Array.isArray(d?.shard) ? [Number(d.shard[0]), Number(d.shard[1])] : [0, 1];
    if (!(Number.isInteger(shard[0]) && Number.isInteger(shard[1]) && shard[1] >= 1 && shard[0] >= 0 && shard[0] < shard[1])) {
      ws.close(4010, 'Invalid shard.');
      return;
    }
    // max_concurrency 1: one IDENTIFY per 5 s for the whole bot; a second is told its session is invalid.
    if (this.options.identifyLimit && Date.now() - this.lastIdentifyAt < IDENTIFY_WINDOW_MS) {
      this.refusedIdentifies += 1;
      ws.send(JSON.stringify({ op: 9, d: false }));
      return;
    }
    this.lastIdentifyAt = Date.now();
    this.sessionStartsLeft -= 1;
    this.identifiedShard = Array.isArray(d?.shard) ? shard : undefined;
    const session = { sessionId: `session-${Math.random().toString(36).slice(2)}`, shard, intents: Number(d?.intents ?? 0), identifiedAt: Date.now(), dispatches: 0, sequence: 0 };
    this.sessions.set(ws, session);
    const { sequence: _sequence, ...logged } = session;
    this.sessionLog.push(logged);
    const mine = [...this.guilds.values()].filter((g) => FakeDiscordServer.shardOf(g.id, shard[1]) === shard[0]);
    const url = `ws://127.0.0.1:${this.port}`;
    ws.send(JSON.stringify({
      op: 0,
      t: 'READY',
      s: ++session.sequence,
      d: {
        v: 10,
        user: publicUser(this.bot),
        guilds: mine.map((g) => ({ id: g.id, unavailable: true })),
        session_id: session.sessionId,
        resume_gateway_url: url,
        shard,
        application: { id: this.applicationId, flags: 0 },
      },
    }));
    for (const guild of mine) this.dispatchTo([session], 'GUILD_CREATE', this.guildPayload(guild));
  }

  /** The open sessions that receive a guild's events (`undefined`: a DM, shard 0). */
  private sessionsFor(guildId: string | undefined): (GatewaySession & { sequence: number })[] {
    const shardOf = (count: number) => (guildId ? FakeDiscordServer.shardOf(guildId, count) : 0);
    return [...this.sessions.values()].filter((s) => shardOf(s.shard[1]) === s.shard[0]);
  }

  /** Sends any gateway dispatch as Discord would (routed by its `guild_id`), e.g. a malformed one a test wants the bot to survive. */
  dispatchRaw(t: string, d: unknown): void {
    const guildId = d && typeof d === 'object' && 'guild_id' in d ? String((d as { guild_id: unknown }).guild_id) : undefined;
    this.dispatch(t, d, guildId);
  }

  /** Dispatches to the sessions of a guild's shard (none given: shard 0, as DMs); returns the session ids reached. */
  private dispatch(t: string, d: unknown, guildId?: string): string[] {
    return this.dispatchTo(this.sessionsFor(guildId), t, d);
  }

  private dispatchTo(sessions: (GatewaySession & { sequence: number })[], t: string, d: unknown): string[] {
    for (const [ws, session] of this.sessions) {
      if (!sessions.includes(session)) continue;
      session.dispatches += 1;
      this.sessionLog.find((s) => s.sessionId === session.sessionId)!.dispatches += 1;
      ws.send(JSON.stringify({ op: 0, t, s: ++session.sequence, d }));
    }
    return sessions.map((s) => s.sessionId);
  }

  private guildPayload(guild: FakeGuild): unknown {
    return {
      id: guild.id,
      name: guild.name,
      owner_id: guild.ownerId,
      icon: null,
      splash: null,
      discovery_splash: null,
      afk_channel_id: null,
      afk_timeout: 300,
      verification_level: 0,
      default_message_notifications: 0,
      explicit_content_filter: 0,
      mfa_level: 0,
      system_channel_id: null,
      system_channel_flags: 0,
      rules_channel_id: null,
      vanity_url_code: null,
      description: null,
      banner: null,
      premium_tier: 0,
      preferred_locale: 'en-US',
      public_updates_channel_id: null,
      nsfw_level: 0,
      premium_progress_bar_enabled: false,
      features: [],
      roles: guild.roles,
      emojis: [],
      stickers: [],
      channels: guild.channels,
      threads: [],
      members: [...guild.members.values()].map((m) => this.memberPayload(m)),
      member_count: guild.members.size,
      presences: [],
      voice_states: [],
      stage_instances: [],
      guild_scheduled_events: [],
      soundboard_sounds: [],
      large: false,
      unavailable: false,
      joined_at: new Date().toISOString(),
    };
  }

  private memberPayload(member: { user: FakeUser; roles: string[]; nick: string | null }): any {
    return { user: publicUser(member.user), roles: member.roles, nick: member.nick, joined_at: new Date().toISOString(), deaf: false, mute: false, flags: 0, avatar: null, premium_since: null, pending: false };
  }

  private permissionsOf(guild: FakeGuild, userId: string): bigint {
    if (guild.ownerId === userId) return (1n << 41n) - 1n;
    const member = guild.members.get(userId);
    let permissions = BigInt(guild.roles[0].permissions);
    for (const roleId of member?.roles ?? []) permissions |= BigInt(guild.roles.find((r) => r.id === roleId)?.permissions ?? '0');
    return permissions;
  }

  private interaction(user: FakeUser, channelId: string, type: number, data: any, message?: StoredMessage): string {
    const id = this.snowflake();
    const token = `itoken-${id}`;
    const channel = this.channels.get(channelId);
    const guildId = channel?.guild_id as string | undefined;
    const guild = guildId ? this.guilds.get(guildId) : undefined;
    const member = guild?.members.get(user.id);
    const payload: any = {
      id,
      application_id: this.applicationId,
      type,
      token,
      version: 1,
      locale: user.locale,
      app_permissions: String(MEMBER_PERMISSIONS),
      entitlements: [],
      attachment_size_limit: 10_485_760,
      channel_id: channelId,
      channel,
      data,
      ...(message ? { message: this.messagePayload(message) } : {}),
    };
    if (guild && member) {
      payload.guild_id = guild.id;
      payload.guild_locale = 'en-US';
      payload.guild = { id: guild.id, locale: 'en-US', features: [] };
      payload.member = { ...this.memberPayload(member), permissions: String(this.permissionsOf(guild, user.id)) };
      payload.authorizing_integration_owners = { '0': guild.id };
      payload.context = 0;
    } else {
      payload.user = publicUser(user);
      payload.authorizing_integration_owners = { '0': '0' };
      payload.context = 1;
    }
    const record: InteractionRecord = { id, token, type, user, channelId, ...(guildId ? { guildId } : {}), dispatchedAt: Date.now(), deliveredTo: [], ...(message ? { message } : {}) };
    this.interactions.set(id, record);
    this.byToken.set(token, record);
    this.sentInteractions.set(id, payload);
    record.deliveredTo = this.dispatch('INTERACTION_CREATE', payload, payload.guild_id);
    return id;
  }

  // ---- REST -----------------------------------------------------------------------------------------------------

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.pendingRequests += 1;
    try {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const upload = req.method === 'GET' ? this.uploads.get(decodeURIComponent(url.pathname)) : undefined;
      if (upload) {
        this.recorded.push({ method: 'GET', path: url.pathname, query: Object.fromEntries(url.searchParams), body: undefined, files: [], at: Date.now() });
        res.writeHead(200, { 'content-type': upload.contentType, 'content-length': String(upload.content.length) }).end(upload.content);
        return;
      }
      const tagged = /^\/via\/([^/]+)(\/.*)$/.exec(url.pathname);
      const via = tagged ? decodeURIComponent(tagged[1]!) : undefined;
      const path = decodeURIComponent(tagged ? tagged[2]! : url.pathname).replace(/^\/api\/v\d+/, '');
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const { body, files } = await parseBody(Buffer.concat(chunks), req.headers['content-type']);
      const call: RecordedCall = { method: req.method ?? 'GET', path, query: Object.fromEntries(url.searchParams), body, files, at: Date.now(), ...(via ? { via } : {}) };
      this.recorded.push(call);
      if (req.method !== 'GET' && !/^\/interactions\//.test(path) && !/^\/webhooks\//.test(path) && req.headers.authorization !== `Bot ${this.token}`) {
        return reply(res, 401, { message: '401: Unauthorized', code: 0 });
      }
      const flood = this.floods.find((f) => f.times > 0 && f.method === call.method && f.path.test(path));
      if (flood) {
        flood.times -= 1;
        res.writeHead(429, { 'content-type': 'application/json', 'retry-after': String(Math.ceil(flood.retryAfter)), 'x-ratelimit-scope': 'user' });
        res.end(JSON.stringify({ message: 'You are being rate limited.', retry_after: flood.retryAfter, global: false }));
        return;
      }
      const [status, result] = this.route(call);
      reply(res, status, result);
    } catch (error) {
      reply(res, 500, { message: String(error), code: 0 });
    } finally {
      this.pendingRequests -= 1;
    }
  }

  private route(call: RecordedCall): [number, unknown] {
    const { method, path, body } = call;
    let m: RegExpExecArray | null;
    if (method === 'GET' && path === '/gateway/bot') {
      return [200, { url: `ws://127.0.0.1:${this.port}`, shards: this.options.shards ?? 1, session_start_limit: { total: 1000, remaining: this.sessionStartsLeft, reset_after: 86_400_000, max_concurrency: 1 } }];
    }
    if (method === 'GET' && path === '/users/@me') return [200, publicUser(this.bot)];
    if ((m = /^\/interactions\/(\d+)\/([^/]+)\/callback$/.exec(path)) && method === 'POST') return this.callback(m[1]!, m[2]!, call);
    if ((m = /^\/webhooks\/(\d+)\/([^/]+)\/messages\/@original$/.exec(path))) {
      const record = this.byToken.get(m[2]!);
      if (!record?.original || record.original.deleted) return [404, { message: 'Unknown Message', code: 10008 }];
      if (method === 'DELETE') {
        record.original.deleted = true;
        return [204, undefined];
      }
      if (method === 'PATCH') return [200, this.messagePayload(this.editMessage(record.original, body, call.files))];
    }
    if ((m = /^\/webhooks\/(\d+)\/([^/]+)$/.exec(path)) && method === 'POST') {
      const record = this.byToken.get(m[2]!);
      if (!record?.ackType) return [404, { message: 'Unknown Webhook', code: 10015 }];
      return [200, this.messagePayload(this.postMessage(record.channelId, body, call.files, record))];
    }
    if ((m = /^\/channels\/(\d+)\/messages$/.exec(path)) && method === 'POST') {
      const channelId = m[1]!;
      if (!this.channels.has(channelId)) return [404, { message: 'Unknown Channel', code: 10003 }];
      const recipient = this.dmRecipient(channelId);
      if (recipient && this.refusesDms.has(recipient)) return [403, { message: 'Cannot send messages to this user', code: 50007 }];
      return [200, this.messagePayload(this.postMessage(channelId, body, call.files))];
    }
    if ((m = /^\/channels\/(\d+)\/messages\/(\d+)$/.exec(path)) && method === 'DELETE') {
      const message = this.messages.get(m[2]!);
      if (!message || message.channel_id !== m[1] || message.deleted) return [404, { message: 'Unknown Message', code: 10008 }];
      if (this.refusingDeletes) return [403, { message: 'Missing Permissions', code: 50013 }];
      message.deleted = true;
      return [204, undefined];
    }
    if ((m = /^\/channels\/(\d+)\/messages\/(\d+)$/.exec(path)) && method === 'PATCH') {
      const message = this.messages.get(m[2]!);
      if (!message || message.channel_id !== m[1] || message.deleted) return [404, { message: 'Unknown Message', code: 10008 }];
      return [200, this.messagePayload(this.editMessage(message, body, call.files))];
    }
    if ((m = /^\/channels\/(\d+)\/(?:messages\/)?pins\/(\d+)$/.exec(path)) && method === 'PUT') {
      const message = this.messages.get(m[2]!);
      if (!message || message.channel_id !== m[1] || message.deleted) return [404, { message: 'Unknown Message', code: 10008 }];
      const pinned = this.pins.get(m[1]!) ?? [];
      if (!pinned.includes(message.id)) pinned.push(message.id);
      this.pins.set(m[1]!, pinned);
      return [204, undefined];
    }
    if ((m = /^\/channels\/(\d+)$/.exec(path)) && method === 'GET') {
      const channel = this.channels.get(m[1]!);
      return channel ? [200, channel] : [404, { message: 'Unknown Channel', code: 10003 }];
    }
    if (path === '/users/@me/channels' && method === 'POST') {
      const user = this.users.get(String(body?.recipient_id));
      if (!user) return [404, { message: 'Unknown User', code: 10013 }];
      return [200, this.channels.get(this.dmChannelOf(user))];
    }
    if ((m = /^\/users\/(\d+)$/.exec(path)) && method === 'GET') {
      const user = this.users.get(m[1]!);
      return user ? [200, publicUser(user)] : [404, { message: 'Unknown User', code: 10013 }];
    }
    if ((m = /^\/guilds\/(\d+)\/members\/(\d+)$/.exec(path)) && method === 'GET') {
      const member = this.guilds.get(m[1]!)?.members.get(m[2]!);
      return member ? [200, this.memberPayload(member)] : [404, { message: 'Unknown Member', code: 10007 }];
    }
    if ((m = /^\/applications\/(\d+)(?:\/guilds\/(\d+))?\/commands$/.exec(path)) && method === 'PUT') {
      if (m[1] !== this.applicationId) return [403, { message: 'Missing Access', code: 50001 }];
      const commands = (body as any[]).map((c) => ({ ...c, id: this.snowflake(), application_id: this.applicationId, version: this.snowflake(), ...(m![2] ? { guild_id: m![2] } : {}) }));
      return [200, commands];
    }
    return [404, { message: '404: Not Found', code: 0 }];
  }

  private callback(id: string, token: string, call: RecordedCall): [number, unknown] {
    const record = this.interactions.get(id);
    if (!record || record.token !== token) return [404, { message: 'Unknown interaction', code: 10062 }];
    call.afterMs = Date.now() - record.dispatchedAt;
    if (record.ackType !== undefined) return [400, { message: 'Interaction has already been acknowledged.', code: 40060 }];
    const { type, data } = call.body as { type: number; data?: any };
    record.ackType = type;
    let message: StoredMessage | undefined;
    if (type === 4) message = record.original = this.postMessage(record.channelId, data ?? {}, call.files, record);
    else if (type === 5) {
      message = record.original = this.postMessage(record.channelId, { content: '', flags: data?.flags ?? 0 }, [], record, true);
    } else if (type === 7 && record.message) message = this.editMessage(record.message, data ?? {}, call.files);
    else if (type === 9) record.modal = data;
    if (call.query.with_response !== 'true') return [204, undefined];
    return [200, { interaction: { id, type: record.type }, ...(message ? { resource: { type, message: this.messagePayload(message) } } : { resource: { type } }) }];
  }

  private postMessage(channelId: string, body: any, files: RecordedCall['files'], answering?: InteractionRecord, placeholder = false): StoredMessage {
    const flags = Number(body?.flags ?? 0);
    const ephemeral = answering && flags & EPHEMERAL ? answering.user.id : undefined;
    const message: StoredMessage = {
      id: this.snowflake(),
      channel_id: channelId,
      content: String(body?.content ?? ''),
      components: body?.components ?? [],
      attachments: files.map((f) => ({ filename: f.name, content: f.content })),
      embeds: body?.embeds ?? [],
      flags,
      ...(ephemeral ? { ephemeralTo: ephemeral } : {}),
      ...(answering ? { interactionUser: answering.user.id, interactionId: answering.id } : {}),
      edits: 0,
      ...(placeholder ? { placeholder: true } : {}),
    };
    this.messages.set(message.id, message);
    if (!placeholder) this.onVisible({ kind: 'posted', message });
    return message;
  }

  private editMessage(message: StoredMessage, body: any, files: RecordedCall['files']): StoredMessage {
    if (body?.content !== undefined) message.content = String(body.content);
    if (body?.components !== undefined) message.components = body.components;
    if (body?.embeds !== undefined) message.embeds = body.embeds;
    if (files.length) message.attachments = files.map((f) => ({ filename: f.name, content: f.content }));
    // An attachment list without new files keeps only the listed ones (by their index), as Discord does.
    else if (Array.isArray(body?.attachments)) message.attachments = body.attachments.flatMap((a: { id: unknown }) => message.attachments[Number(a.id)] ?? []);
    if (message.placeholder) {
      message.placeholder = false;
      this.onVisible({ kind: 'posted', message });
    } else {
      message.edits += 1;
      this.onVisible({ kind: 'edited', message });
    }
    return message;
  }

  private messagePayload(message: StoredMessage): unknown {
    return {
      id: message.id,
      channel_id: message.channel_id,
      type: message.interactionId ? 20 : 0,
      content: message.content,
      components: message.components,
      author: publicUser(message.author ?? this.bot),
      attachments: message.uploaded ?? message.attachments.map((a, i) => ({ id: String(i), filename: a.filename, size: a.content.length, url: `http://127.0.0.1/${a.filename}`, proxy_url: `http://127.0.0.1/${a.filename}` })),
      embeds: message.embeds,
      mentions: [],
      mention_roles: [],
      mention_everyone: false,
      pinned: [...this.pins.values()].some((ids) => ids.includes(message.id)),
      tts: false,
      flags: message.flags,
      timestamp: new Date().toISOString(),
      edited_timestamp: message.edits ? new Date().toISOString() : null,
      ...(message.interactionId ? { webhook_id: this.applicationId, application_id: this.applicationId } : {}),
      ...(message.author ? { guild_id: this.channels.get(message.channel_id)?.guild_id } : {}),
    };
  }
}

/** How the fake behaves beyond the defaults. */
export interface FakeDiscordOptions {
  /** The shard count `/gateway/bot` recommends (default 1). */
  shards?: number;
  /** Refuse a second IDENTIFY within 5 s (Invalid Session), as Discord does with `max_concurrency: 1`. Default off. */
  identifyLimit?: boolean;
}

/** `max_concurrency` IDENTIFYs are allowed per this window. */
const IDENTIFY_WINDOW_MS = 5000;

/** Gateway intents the server honours as Discord does (bits of IDENTIFY's `intents`). */
const GUILD_MESSAGES_INTENT = 1 << 9;
const MESSAGE_CONTENT_INTENT = 1 << 15;

function publicUser(user: FakeUser): unknown {
  return { id: user.id, username: user.username, global_name: user.global_name, discriminator: '0', avatar: null, ...(user.bot ? { bot: true } : {}) };
}

function reply(res: ServerResponse, status: number, body: unknown): void {
  if (status === 204 || body === undefined) {
    res.writeHead(204).end();
    return;
  }
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

/** JSON bodies, and multipart ones as discord.js sends files: `payload_json` plus `files[n]`. */
async function parseBody(raw: Buffer, contentType: string | undefined): Promise<{ body: any; files: RecordedCall['files'] }> {
  if (raw.length === 0) return { body: undefined, files: [] };
  if (contentType?.startsWith('multipart/form-data')) {
    const form = await new Response(raw, { headers: { 'content-type': contentType } }).formData();
    const files: RecordedCall['files'] = [];
    let body: any;
    for (const [key, value] of form.entries()) {
      if (key === 'payload_json') body = JSON.parse(String(value));
      else if (typeof value !== 'string') files.push({ name: (value as File).name, content: Buffer.from(await (value as File).arrayBuffer()) });
    }
    return { body, files };
  }
  return { body: JSON.parse(raw.toString('utf8')), files: [] };
}
