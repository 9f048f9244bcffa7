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
import { commandInfos, parseCommandText } from '../../core/features.js';
import type { CommandInfo, PlatformPort } from '../../core/ports.js';
import { createDiscordBot, type DiscordBotHandle } from '../../bots/discord/create-discord-bot.js';
import { ANSWER_BUTTON_ID, discordSource } from '../../bots/discord/decode.js';
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

  /**
   * Turns a scenario command (`/join 1 2`) into the slash command and typed options a Discord client sends: the
   * core's own text grammar reads the text (parseCommandText), and each value becomes the option the core declares
   * for it (members as user options). Text a Discord form cannot carry throws InexpressibleCommand.
   */
  private slashOptions(text: string): { name: string; values: { name: string; type: number; value: string | number | boolean }[] } {
    const match = /^\/(\w+)\s*([\s\S]*)$/.exec(text.trim());
    if (!match) throw new Error(`not a command: ${text}`);
    const name = match[1]!.toLowerCase();
    const args = match[2]!.trim();
    const info = commandInfos('en').find((c) => c.name === name);
    if (!info) throw new InexpressibleCommand(`/${name} is not a slash command`);
    let parsed: Record<string, unknown>;
    try {
      parsed = parseCommandText(name, args);
    } catch (error) {
      throw new InexpressibleCommand(`a Discord client would not send /${name} ${args}: ${(error as Error).message}`);
    }
    const specs = info.args ?? [];
    const values: { name: string; type: number; value: string | number | boolean }[] = [];
    const types = { integer: 4, string: 3, member: 6, boolean: 5, attachment: 11 } as const;
    const member = specs.find((s) => s.kind === 'member');
    for (const [key, value] of Object.entries(parsed)) {
      if (value === undefined) continue;
      const spec = specs.find((s) => s.name === key);
      if (!spec) throw new Error(`/${name} has no argument ${key}`);
      if (spec.kind === 'attachment') continue; // photos travel as attachments, not typed here
      if (spec.textOnly) {
        // Members named in words (`@alice`) are picked in Discord's member option.
        const words = String(value).split(/\s+/).filter(Boolean);
        if (!member || words.length !== 1 || !words[0]!.startsWith('@')) throw new InexpressibleCommand(`"${String(value)}" is not a member a Discord client could pick`);
        values.push({ name: member.name, type: types.member, value: this.userByUsername(words[0]!.slice(1)).id });
        continue;
      }
      if (spec.kind === 'integer' && (typeof value !== 'number' || !Number.isInteger(value))) {
        // The text form carries some numbers as words (e.g. /newbuy min 10): a Discord client types them as numbers.
        if (!/^\d+$/.test(String(value))) throw new InexpressibleCommand(`${key} "${String(value)}" is not a whole number`);
        values.push({ name: key, type: types.integer, value: Number(value) });
        continue;
      }
      values.push({ name: key, type: types[spec.kind], value: value as string | number | boolean });
    }
    return { name, values };
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
