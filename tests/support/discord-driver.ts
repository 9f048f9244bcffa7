/**
 * Plays scenarios on Discord: the real adapter (createDiscordBot: a discord.js Client logged in over the fake
 * gateway, REST against the fake server) wired to the scenario's real Core. Commands typed in a scenario become
 * slash commands with typed options, as a Discord client would send them; answers to questions go through the
 * question's answer button and its form.
 *
 * What members saw is read from the fake server: messages as posted (ephemeral ones seen by one member only), and
 * cards as they are now, after every edit.
 */
import type { CoreApp, HandleResult, Language } from '../../core/app.js';
import type { CoreEvent, Platform } from '../../core/events.js';
import { parseBuyId } from '../../core/group-buy/find-buy.js';
import { matchField, splitParts } from '../../core/group-buy/parse-new-buy.js';
import type { CommandInfo, PlatformPort } from '../../core/ports.js';
import { createDiscordBot, type DiscordBotHandle } from '../../bots/discord/create-discord-bot.js';
import { ANSWER_BUTTON_ID, discordSource } from '../../bots/discord/decode.js';
import { SLASH_COMMANDS, UNLISTED_SLASH_COMMANDS } from '../../bots/discord/slash-commands.js';
import type { PlatformTraits } from '../scenarios/scenario.js';
import { FakeDiscordServer, type FakeGuild, type FakeUser, type StoredMessage, type Visible } from './fake-discord-server.js';
import type { CardView, DriverMember, DriverWorld, Output, ScenarioDriver } from './scenario-runner.js';

const SETTLE_TIMEOUT_MS = 5000;

/** A scenario command a Discord client could not send (see PlatformTraits.typedCommandOptions). */
export class InexpressibleCommand extends Error {}

/** The core as the bot sees it, counting finished events per interaction so the driver knows when one is done. */
class ObservedApp implements CoreApp {
  readonly finished = new Map<string, number>();
  inFlight = 0;

  constructor(private readonly inner: CoreApp) {}

  registerPlatform(platform: Platform, port: PlatformPort): void {
    this.inner.registerPlatform(platform, port);
  }

  async handle(event: CoreEvent): Promise<HandleResult> {
    this.inFlight += 1;
    try {
      return await this.inner.handle(event);
    } finally {
      this.inFlight -= 1;
      const id = discordSource(event)?.interaction?.id;
      if (id) this.finished.set(id, (this.finished.get(id) ?? 0) + 1);
    }
  }

  commandList(language: Language): CommandInfo[] {
    return this.inner.commandList(language);
  }

  flushCards(): Promise<void> {
    return this.inner.flushCards();
  }
}

/** See the module comment. `server` is public for Discord-specific assertions beyond the scenarios. */
export class DiscordDriver implements ScenarioDriver {
  readonly platform = 'dc' as const;
  readonly traits: PlatformTraits = { privateRepliesInPlace: true, typedCommandOptions: true, alertToasts: false };
  server!: FakeDiscordServer;
  discord: DiscordBotHandle | undefined;
  private app!: ObservedApp;
  private guild!: FakeGuild;
  private readonly users = new Map<string, FakeUser>();
  private readonly keyOfUser = new Map<string, string>();
  private readonly said: Output[] = [];
  private readonly cardIds: string[] = [];
  /** Interactions the driver sent, and how many core events each should produce. */
  private readonly expected = new Map<string, number>();
  private readonly componentInteractions = new Set<string>();

  async start(world: DriverWorld): Promise<void> {
    this.server = await FakeDiscordServer.start();
    this.server.onVisible = (change) => this.observe(change);
    this.guild = this.server.guild('Strawberry friends');
    let chinese = 0;
    for (const member of world.members) {
      const user = this.server.member(
        this.guild,
        { username: member.username, global_name: member.name, locale: localeOf(member, chinese) },
        { admin: member.admin ?? false, acceptsDms: member.acceptsDms !== false },
      );
      if (member.language === 'zh') chinese += 1;
      this.users.set(member.key, user);
      this.keyOfUser.set(user.id, member.key);
    }
    this.app = new ObservedApp(world.core);
    this.discord = createDiscordBot({
      token: this.server.token,
      applicationId: this.server.applicationId,
      apiBase: this.server.apiBase,
      app: this.app,
      logger: world.logger,
      clock: world.clock,
    });
    await this.discord.start();
  }

  async stop(): Promise<void> {
    const discord = this.discord;
    this.discord = undefined;
    try {
      await discord?.stop();
    } finally {
      await this.server?.close();
    }
  }

  groupChatId(): string {
    return `dc:${this.guild.channelId}`;
  }

  async command(as: string, text: string, options: { deliveredTwice?: boolean; inPrivate?: boolean } = {}): Promise<void> {
    const user = this.user(as);
    const { name, values } = this.slashOptions(text);
    const channelId = options.inPrivate ? this.server.dmChannelOf(user) : this.guild.channelId;
    // Writing to the bot privately is what lets it message the member from then on.
    if (options.inPrivate) this.server.allowDms(user);
    const resolved = this.resolvedUsers(values);
    const id = this.server.slashCommand(user, channelId, name, values, resolved);
    this.expected.set(id, 1);
    if (options.deliveredTwice) {
      // The gateway replays the dispatch (as after a resume): the adapter must not handle it twice.
      this.server.redispatchInteraction(id);
    }
    await this.settle();
  }

  async press(as: string, action: string, cardNumber?: number): Promise<void> {
    const id = cardNumber ? this.cardIds[cardNumber - 1] : this.cardIds.at(-1);
    const card = id === undefined ? undefined : this.server.message(id);
    if (!card) throw new Error(`no card ${cardNumber ?? '(newest)'} to press ${action} on`);
    const button = buttonsOf(card).find((b) => b.custom_id.startsWith(`${action}:`));
    if (!button) throw new Error(`card ${card.id} has no ${action} button:\n${card.content}`);
    const interaction = this.server.pressButton(this.user(as), card, button.custom_id);
    this.componentInteractions.add(interaction);
    this.expected.set(interaction, 1);
    await this.settle();
  }

  async answer(as: string, text: string): Promise<void> {
    const user = this.user(as);
    const question = [...this.server.channelMessages(this.guild.channelId)]
      .reverse()
      .find((m) => m.interactionUser === user.id && buttonsOf(m).some((b) => b.custom_id === ANSWER_BUTTON_ID));
    if (!question) throw new Error(`the bot asked ${as} nothing to answer`);
    // The answer button opens a form (a modal must be the interaction's first response); the form is then submitted.
    const press = this.server.pressButton(user, question, ANSWER_BUTTON_ID);
    this.expected.set(press, 0);
    const modal = await this.server.waitFor(() => this.server.interactionRecord(press)?.modal, SETTLE_TIMEOUT_MS);
    const field = modal.components[0].components[0];
    const submit = this.server.submitModal(user, question, modal.custom_id, field.custom_id, text);
    this.expected.set(submit, 1);
    await this.settle();
  }

  async settle(): Promise<void> {
    await this.server.waitFor(() => {
      for (const [id, events] of this.expected) if ((this.app.finished.get(id) ?? 0) < events) return false;
      return this.app.inFlight === 0 && this.server.interactionsSettled() && this.server.idle();
    }, SETTLE_TIMEOUT_MS);
    await this.app.flushCards();
    await this.server.waitFor(() => this.server.idle(), SETTLE_TIMEOUT_MS);
  }

  outputs(): readonly Output[] {
    return this.said;
  }

  cards(): CardView[] {
    return this.cardIds.map((id) => {
      const message = this.server.message(id)!;
      const buttons = buttonsOf(message);
      return {
        text: message.content,
        actions: buttons.map((b) => b.custom_id.split(':')[0]!),
        labels: buttons.map((b) => b.label),
        edits: message.edits,
      };
    });
  }

  /** Turns a scenario command (`/join 1 2`) into the slash command and typed options a Discord client sends. */
  private slashOptions(text: string): { name: string; values: { name: string; type: number; value: string | number | boolean }[] } {
    const match = /^\/(\w+)\s*([\s\S]*)$/.exec(text.trim());
    if (!match) throw new Error(`not a command: ${text}`);
    const name = match[1]!.toLowerCase();
    const args = match[2]!.trim();
    const spec = SLASH_COMMANDS[name] ?? UNLISTED_SLASH_COMMANDS[name];
    if (!spec) throw new InexpressibleCommand(`/${name} is not a slash command`);
    const values: Record<string, string | number | boolean> = {};
    const tokens = args.split(/\s+/).filter(Boolean);
    const integer = (token: string, what: string) => {
      if (!/^\d+$/.test(token)) throw new InexpressibleCommand(`${what} "${token}" is not a whole number: a Discord client would not send /${name} ${args}`);
      return Number(token);
    };
    const buyId = (token: string) => {
      const id = parseBuyId(token);
      if (id === undefined) throw new InexpressibleCommand(`"${token}" is not a buy number`);
      return id;
    };
    switch (name) {
      case 'join':
        if (tokens.length === 1 && /^[#＃]/.test(tokens[0]!)) values.buy = buyId(tokens[0]!);
        else if (tokens.length === 1) values.quantity = integer(tokens[0]!, 'quantity');
        else if (tokens.length === 2) {
          values.buy = buyId(tokens[0]!);
          values.quantity = integer(tokens[1]!, 'quantity');
        }
        break;
      case 'leave':
      case 'closebuy':
      case 'cancelbuy':
      case 'export':
        if (tokens[0]) values.buy = buyId(tokens[0]);
        break;
      case 'extendbuy':
        if (tokens.length >= 2 && parseBuyId(tokens[0]!) !== undefined) values.buy = buyId(tokens.shift()!);
        if (tokens.length) values.ends = tokens.join(' ');
        break;
      case 'paid':
      case 'delivered':
        for (const token of tokens) {
          if (parseBuyId(token) !== undefined) values.buy = buyId(token);
          else if (token.toLowerCase() === 'all') values.all = true;
          else if (token.startsWith('@')) values.member = this.userByUsername(token.slice(1)).id;
          else throw new InexpressibleCommand(`"${token}" is not a member`);
        }
        break;
      case 'mod':
      case 'unmod':
        if (tokens[0]) values.member = this.userByUsername(tokens[0].replace(/^@/, '')).id;
        break;
      case 'lang':
        if (tokens[0]) values.language = tokens[0];
        break;
      case 'timezone':
        if (args) values.zone = args;
        break;
      case 'newbuy': {
        if (!args) break;
        const [title = '', price, ...rest] = splitParts(args);
        if (title) values.title = title;
        if (price) values.price = price;
        for (const part of rest) {
          const field = matchField(part);
          if (!field) throw new InexpressibleCommand(`"${part}" has no /newbuy option`);
          const kind = spec.options.find((o) => o.name === field.field)?.kind;
          values[field.field] = kind === 'integer' ? integer(field.value, field.field) : field.value;
        }
        break;
      }
      // Reviews, points, shares and likes: the typed options a Discord client fills in for the same text.
      case 'review':
        if (tokens.length < 3) throw new InexpressibleCommand(`/review needs a buy, a rating and a text on Discord`);
        values.buy = buyId(tokens[0]!);
        values.rating = integer(tokens[1]!, 'rating');
        values.text = tokens.slice(2).join(' ');
        break;
      case 'stop':
        if (args) values.what = args;
        break;
      case 'start':
        if (args) values.topic = args;
        break;
      case 'reviewconfig':
        if (tokens[0] && /^[#＃]\d+$/.test(tokens[0])) values.buy = buyId(tokens.shift()!);
        if (tokens[0]) values.setting = tokens.shift()!;
        if (tokens.length) values.value = tokens.join(' ');
        break;
      case 'reviews':
        if (tokens[0]) values.buy = buyId(tokens[0]);
        break;
      case 'feature':
        if (tokens[0]) values.review = integer(tokens[0].replace(/^[#＃]/, ''), 'review');
        break;
      case 'bestreviews':
        if (args) values.month = args;
        break;
      case 'top':
        if (args) values.period = args;
        break;
      case 'levels':
      case 'pointrules':
      case 'likeconfig':
        if (args) values.setting = args;
        break;
      case 'ledger':
      case 'liftwarnings':
        if (tokens[0]) values.member = this.userByUsername(tokens[0].replace(/^@/, '')).id;
        break;
      case 'points':
        if (tokens[0]) values.member = this.userByUsername(tokens.shift()!.replace(/^@/, '')).id;
        if (tokens[0]) values.amount = Number(tokens.shift()!.replace(/^\+/, ''));
        if (!Number.isInteger(values.amount)) throw new InexpressibleCommand(`/points needs a whole number of points`);
        if (tokens.length) values.reason = tokens.join(' ');
        break;
      case 'share':
        if (tokens[0] && /^[#＃]\d+$/.test(tokens[0])) values.buy = buyId(tokens.shift()!);
        if (tokens.length) values.text = tokens.join(' ');
        break;
      case 'drop':
        if (tokens[0]) values.share = integer(tokens[0].replace(/^[#＃]/, ''), 'share');
        break;
      case 'endliketask':
        if (tokens[0]) values.task = integer(tokens[0].replace(/^[#＃]/, ''), 'task');
        break;
      case 'likeround':
        if (args) values.duration = args;
        break;
      case 'liketask':
        for (const clause of args.split(/[|｜]/).map((c) => c.trim()).filter(Boolean)) {
          let m: RegExpExecArray | null;
          if ((m = /^(?:goal|目标|集赞)\s*[:：]?\s*(\d+)/i.exec(clause))) values.goal = Number(m[1]);
          else if ((m = /^(?:within|时限|限时)\s*[:：]?\s*(.+)$/i.exec(clause)) || (m = /^(.+?)\s*内$/.exec(clause))) values.within = m[1]!.trim();
          else if ((m = /^(?:reward|奖励)\s*[:：]?\s*(\d+)/i.exec(clause))) values.reward = Number(m[1]);
          else if ((m = /^(?:codes?|兑换码|解锁码)\s*[:：]?\s*(.+)$/i.exec(clause))) values.codes = m[1]!.trim();
          else throw new InexpressibleCommand(`"${clause}" has no /liketask option`);
        }
        break;
      default:
        if (args) throw new InexpressibleCommand(`/${name} takes no options`);
    }
    const types = { integer: 4, string: 3, user: 6, boolean: 5, attachment: 11 } as const;
    return {
      name,
      values: Object.entries(values).map(([option, value]) => {
        const kind = spec.options.find((o) => o.name === option)?.kind;
        if (!kind) throw new Error(`/${name} has no option ${option}`);
        return { name: option, type: types[kind], value };
      }),
    };
  }

  /** The `resolved` block Discord sends with user options. */
  private resolvedUsers(values: { type: number; value: string | number | boolean }[]): unknown {
    const ids = values.filter((v) => v.type === 6).map((v) => String(v.value));
    if (ids.length === 0) return undefined;
    const users: Record<string, unknown> = {};
    const members: Record<string, unknown> = {};
    for (const id of ids) {
      const user = [...this.users.values()].find((u) => u.id === id)!;
      users[id] = { id, username: user.username, global_name: user.global_name, discriminator: '0', avatar: null };
      members[id] = { roles: [], nick: null, joined_at: new Date().toISOString(), permissions: '0', flags: 0 };
    }
    return { users, members };
  }

  private user(key: string): FakeUser {
    const user = this.users.get(key);
    if (!user) throw new Error(`no member "${key}" in this scenario`);
    return user;
  }

  private userByUsername(username: string): FakeUser {
    const user = [...this.users.values()].find((u) => u.username === username);
    if (!user) throw new InexpressibleCommand(`no member @${username}`);
    return user;
  }

  /** Turns one visible change on the fake server into what members saw. */
  private observe(change: Visible): void {
    if (change.kind === 'edited') return; // cards are read as they are now
    const message = change.message;
    const recipient = this.server.dmRecipient(message.channel_id);
    const to = (userId: string | undefined) => (userId ? (this.keyOfUser.get(userId) ?? `user ${userId}`) : '?');
    if (message.attachments.length > 0) {
      const file = message.attachments[0]!;
      this.said.push({
        kind: 'document',
        to: to(recipient ?? message.ephemeralTo),
        filename: file.filename,
        content: file.content.toString('utf8'),
        ...(message.content ? { caption: message.content } : {}),
      });
      return;
    }
    const text = message.content;
    const buttons = buttonsOf(message);
    if (buttons.some((b) => b.custom_id === ANSWER_BUTTON_ID)) {
      this.said.push({ kind: 'question', to: to(recipient ?? message.interactionUser), text });
    } else if (recipient) {
      this.said.push({ kind: 'dm', to: to(recipient), text });
    } else if (buttons.some((b) => b.custom_id.startsWith('join:'))) {
      this.cardIds.push(message.id);
      this.said.push({ kind: 'card', text });
    } else if (message.ephemeralTo && message.interactionId && this.componentInteractions.has(message.interactionId)) {
      this.said.push({ kind: 'toast', to: to(message.ephemeralTo), text, alert: false });
    } else if (message.ephemeralTo) {
      this.said.push({ kind: 'in-place', to: to(message.ephemeralTo), text });
    } else {
      this.said.push({ kind: 'group', text });
    }
  }
}

function buttonsOf(message: StoredMessage): { custom_id: string; label: string }[] {
  return (message.components ?? []).flatMap((row: { components?: { custom_id?: string; label?: string }[] }) =>
    (row.components ?? []).flatMap((c) => (c.custom_id ? [{ custom_id: c.custom_id, label: c.label ?? '' }] : [])),
  );
}

/** Discord locales as clients send them; Chinese members alternate between zh-CN and zh-TW. */
function localeOf(member: DriverMember, chineseSoFar: number): string {
  if (member.language === 'en') return chineseSoFar % 2 === 0 ? 'en-US' : 'en-GB';
  return chineseSoFar % 2 === 0 ? 'zh-CN' : 'zh-TW';
}
