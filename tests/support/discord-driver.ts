/**
 * Plays scenarios on Discord: the real adapter (createDiscordBot: a discord.js Client logged in over the fake
 * gateway, REST against the fake server) wired to the scenario's real Core. Commands typed in a scenario become
 * slash commands with typed options, as a Discord client would send them; answers to questions go through the
 * question's answer button and its form; what members write to the bot privately are direct messages.
 *
 * What members saw is read from the fake server: messages as posted (ephemeral ones seen by one member only), and
 * cards as they are now, after every edit.
 */
import type { CoreEvent } from '../../core/events.js';
import { commandInfos, parseCommandText } from '../../core/features.js';
import { createDiscordBot, type DiscordBotHandle } from '../../bots/discord/create-discord-bot.js';
import { ANSWER_BUTTON_ID } from '../../bots/discord/decode.js';
import { MESSAGE_COMMANDS } from '../../bots/discord/slash-commands.js';
import type { PlatformTraits } from '../scenarios/scenario.js';
import { FakeDiscordServer, type FakeGuild, type FakeUser, type StoredMessage, type Visible } from './fake-discord-server.js';
import { ObservedApp } from './observed-app.js';
import { pngSize } from './png.js';
import type { ButtonView, CardView, DriverMember, DriverWorld, Output, PhotoPostView, PressTarget, ScenarioDriver } from './scenario-runner.js';

/** How long one act may take (a loaded run's first replies can be slow). */
const SETTLE_TIMEOUT_MS = 15_000;

/** A scenario command a Discord client could not send (see PlatformTraits.typedCommandOptions). */
export class InexpressibleCommand extends Error {}

/** Reactions carry no key the driver knows in advance (the gateway session and sequence): they are counted together. */
const REACTIONS = 'reactions';

/** How the driver sets up the server beyond the scenario's cast. */
export interface DiscordDriverOptions {
  /**
   * Members (by key) who are admins only through a role the bot is configured to treat as admin
   * (DISCORD_ADMIN_ROLE_IDS), without Manage Server.
   */
  adminsByRole?: string[];
}

/** See the module comment. `server`, `discord`, `guild` and `user()` are public for Discord-specific assertions. */
export class DiscordDriver implements ScenarioDriver {
  readonly platform = 'dc' as const;
  readonly traits: PlatformTraits = { privateRepliesInPlace: true, typedCommandOptions: true, alertToasts: false, overhearsGroupMessages: false };
  server!: FakeDiscordServer;
  discord: DiscordBotHandle | undefined;
  guild!: FakeGuild;
  private app!: ObservedApp<string>;
  private readonly users = new Map<string, FakeUser>();
  private readonly keyOfUser = new Map<string, string>();
  private readonly said: Output[] = [];
  private readonly cardIds: string[] = [];
  /** Group messages the bot posted to show a photo that are not cards (a buy's product photo). */
  private readonly photoPostIds: string[] = [];
  /** Event keys the driver caused, and how many core events each should produce. */
  private readonly expected = new Map<string, number>();
  private readonly componentInteractions = new Set<string>();
  /** Files members sent (attachment objects as Discord describes them), by file name. */
  private readonly files = new Map<string, any>();
  /** Messages members posted, by the name a scenario gave them. */
  private readonly posts = new Map<string, StoredMessage>();

  constructor(private readonly options: DiscordDriverOptions = {}) {}

  async start(world: DriverWorld): Promise<void> {
    this.server = await FakeDiscordServer.start();
    this.server.onVisible = (change) => this.observe(change);
    this.guild = this.server.guild('Strawberry friends');
    const adminRole = this.options.adminsByRole?.length ? this.server.role(this.guild, 'Helpers') : undefined;
    let chinese = 0;
    for (const member of world.members) {
      const byRole = adminRole !== undefined && this.options.adminsByRole!.includes(member.key);
      const user = this.server.member(
        this.guild,
        { username: member.username ?? member.key, global_name: member.name, locale: localeOf(member, chinese) },
        { admin: (member.admin ?? false) && !byRole, roles: byRole ? [adminRole] : [], acceptsDms: member.acceptsDms !== false },
      );
      if (member.language === 'zh') chinese += 1;
      this.users.set(member.key, user);
      this.keyOfUser.set(user.id, member.key);
    }
    this.app = new ObservedApp(world.core, (event: CoreEvent) => (event.kind === 'reaction' ? REACTIONS : event.key.replace(/^dc:app\d+:/, 'dc:')));
    this.discord = createDiscordBot({
      token: this.server.token,
      applicationId: this.server.applicationId,
      apiBase: this.server.apiBase,
      app: this.app,
      logger: world.logger,
      clock: world.clock,
      ...(adminRole ? { adminRoleIds: [adminRole] } : {}),
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

  memberId(key: string): string {
    return `dc:${this.user(key).id}`;
  }

  fileIdOf(name: string): string {
    const file = this.files.get(name);
    if (!file) throw new Error(`no member sent a file named ${name}`);
    return file.url;
  }

  /** The member behind a scenario key. */
  user(key: string): FakeUser {
    const user = this.users.get(key);
    if (!user) throw new Error(`no member "${key}" in this scenario`);
    return user;
  }

  async command(as: string, text: string, options: { deliveredTwice?: boolean; inPrivate?: boolean; photo?: string; replyTo?: string } = {}): Promise<void> {
    const user = this.user(as);
    if (options.replyTo !== undefined) return this.messageCommand(user, text, this.postNamed(options.replyTo));
    const { name, values } = this.slashOptions(text);
    const channelId = options.inPrivate ? this.server.dmChannelOf(user) : this.guild.channelId;
    // Writing to the bot privately is what lets it message the member from then on.
    if (options.inPrivate) this.server.allowDms(user);
    let resolved = this.resolvedUsers(values) as Record<string, unknown> | undefined;
    if (options.photo) {
      const file = this.newFile(options.photo);
      values.push(attachmentOption(name, file.id));
      resolved = { ...resolved, attachments: { [file.id]: file } };
    }
    const id = this.server.slashCommand(user, channelId, name, values, resolved);
    this.expected.set(`dc:${id}`, 1);
    if (options.deliveredTwice) {
      // The gateway replays the dispatch (as after a resume): the adapter must not handle it twice.
      this.server.redispatchInteraction(id);
    }
    await this.settle();
  }

  async press(as: string, action: string, target: PressTarget = {}): Promise<void> {
    const user = this.user(as);
    const matches = (b: { custom_id: string; label: string }) =>
      (b.custom_id === action || b.custom_id.startsWith(`${action}:`)) && (!target.label || target.label.test(b.label));
    let message: StoredMessage | undefined;
    if (target.inPrivate) {
      message = [...this.server.channelMessages(this.server.dmChannelOf(user))].reverse().find((m) => buttonsOf(m).some(matches));
      if (!message) throw new Error(`the bot sent ${as} no message with a ${action} button ${target.label ?? ''}`);
    } else if (target.inGroup) {
      message = [...this.server.channelMessages(this.guild.channelId)].reverse().find((m) => buttonsOf(m).some(matches));
      if (!message) throw new Error(`the bot posted no group message with a ${action} button ${target.label ?? ''}`);
    } else {
      const id = target.cardNumber ? this.cardIds[target.cardNumber - 1] : this.cardIds.at(-1);
      message = id === undefined ? undefined : this.server.message(id);
      if (!message) throw new Error(`no card ${target.cardNumber ?? '(newest)'} to press ${action} on`);
    }
    const button = buttonsOf(message).find(matches);
    if (!button) throw new Error(`message ${message.id} has no ${action} button ${target.label ?? ''}:\n${message.content}`);
    const interaction = this.server.pressButton(user, message, button.custom_id);
    this.componentInteractions.add(interaction);
    this.expected.set(`dc:${interaction}`, 1);
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
    const modal = await this.server.waitFor(() => this.server.interactionRecord(press)?.modal, SETTLE_TIMEOUT_MS);
    const field = modal.components[0].components[0];
    const submit = this.server.submitModal(user, question, modal.custom_id, field.custom_id, text);
    this.expected.set(`dc:${submit}`, 1);
    await this.settle();
  }

  /**
   * `replyToCard`: the post replies to that card (1-based; 0 the newest), pinging the bot as Discord does by default
   * (`replyPing: false`: the member switched the reply's "@ mention" off).
   */
  async post(
    as: string, text: string,
    options: { photos?: string[]; video?: { name: string; seconds: number }; inPrivate?: boolean; name?: string; replyToCard?: number; replyPing?: boolean } = {},
  ): Promise<void> {
    const user = this.user(as);
    // Several files travel in one message, as Discord sends them.
    const files = (options.photos ?? []).map((name) => this.newFile(name));
    if (options.video) files.push(this.newFile(options.video.name, options.video.seconds));
    if (options.inPrivate) {
      const id = this.server.directMessage(user, text, files);
      if (text.trim() || files.length) this.expected.set(`dc:${id}`, 1);
    } else {
      // Without Message Content the bot gets a server message's text only when it mentions the bot (a reply to its
      // card does); it meets other posts only through a message command on them.
      const cardId = options.replyToCard === undefined ? undefined : options.replyToCard ? this.cardIds[options.replyToCard - 1] : this.cardIds.at(-1);
      const card = cardId === undefined ? undefined : this.server.message(cardId);
      if (options.replyToCard !== undefined && !card) throw new Error('no card to reply to');
      const message = this.server.memberMessage(user, this.guild.channelId, text, files, card ? { replyTo: card, mentionAuthor: options.replyPing !== false } : {});
      if (options.name) this.posts.set(options.name, message);
      if (card && message.dispatched) this.expected.set(`dc:${message.id}`, 1);
    }
    await this.settle();
  }

  async react(as: string, emoji: string, added: boolean, cardNumber?: number): Promise<void> {
    const id = cardNumber ? this.cardIds[cardNumber - 1] : this.cardIds.at(-1);
    const card = id === undefined ? undefined : this.server.message(id);
    if (!card) throw new Error(`no card ${cardNumber ?? '(newest)'} to react on`);
    this.server.react(this.user(as), card, emoji, added);
    this.expected.set(REACTIONS, (this.expected.get(REACTIONS) ?? 0) + 1);
    await this.settle();
  }

  async settle(): Promise<void> {
    await this.server.waitFor(() => this.app.caughtUp(this.expected) && this.server.interactionsSettled() && this.server.idle(), SETTLE_TIMEOUT_MS);
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
      const photo = this.photoOf(message);
      return {
        messageId: id,
        text: message.content,
        actions: buttons.map((b) => b.custom_id.split(':')[0]!),
        labels: buttons.map((b) => b.label),
        edits: message.edits,
        ...(photo ? { photo } : {}),
      };
    });
  }

  pinned(): string[] {
    return this.server.pinned(this.guild.channelId);
  }

  photoPosts(): PhotoPostView[] {
    // A deleted photo post (a withdrawn product photo) is no longer seen.
    return this.photoPostIds.flatMap((id) => {
      const message = this.server.message(id);
      if (!message || message.deleted) return [];
      const photo = this.photoOf(message);
      return [{ text: message.content, edits: message.edits, ...(photo ? { photo } : {}) }];
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
    const text = message.content;
    const buttons = buttonsOf(message);
    if (buttons.some((b) => b.custom_id === ANSWER_BUTTON_ID)) {
      this.said.push({ kind: 'question', to: to(recipient ?? message.interactionUser), text });
    } else if (message.ephemeralTo && message.interactionId && this.componentInteractions.has(message.interactionId)) {
      this.said.push({ kind: 'toast', to: to(message.ephemeralTo), text, alert: false });
    } else if ((recipient || message.ephemeralTo) && isPicture(message.attachments[0]?.content)) {
      // A picture the bot drew, with the text and buttons it goes with: in a private chat, or shown in place to the
      // member who asked (a slash command's private answer).
      const picture = new Uint8Array(message.attachments[0]!.content);
      const buttons = allButtonsOf(message).map((b) => this.buttonView(b));
      this.said.push(recipient ? { kind: 'dm', to: to(recipient), text, buttons, picture } : { kind: 'in-place', to: to(message.ephemeralTo), text, buttons, picture });
    } else if (message.attachments.length > 0 && buttons.length === 0 && !(isPhotoPost(message) && !recipient && !message.ephemeralTo)) {
      const file = message.attachments[0]!;
      this.said.push({
        kind: 'document',
        to: to(recipient ?? message.ephemeralTo),
        filename: file.filename,
        content: file.content.toString('utf8'),
        ...(message.content ? { caption: message.content } : {}),
      });
    } else if (message.ephemeralTo) {
      this.said.push({ kind: 'in-place', to: to(message.ephemeralTo), text });
    } else if (recipient) {
      this.said.push({ kind: 'dm', to: to(recipient), text, buttons: allButtonsOf(message).map((b) => this.buttonView(b)) });
    } else if (buttons.length > 0) {
      this.cardIds.push(message.id);
      this.said.push({ kind: 'card', text });
    } else {
      if (message.embeds.some((e) => e.image?.url)) this.photoPostIds.push(message.id);
      this.said.push({ kind: 'group', text });
    }
  }

  private buttonView(button: { custom_id?: string; label?: string; url?: string; style?: number }): ButtonView {
    if (button.custom_id) return { label: button.label ?? '', action: button.custom_id };
    // A link button (style 5) to a member's profile opens their page, from which one writes to them.
    const member = [...this.users].find(([, user]) => button.style === 5 && button.url === `https://discord.com/users/${user.id}`)?.[0];
    return { label: button.label ?? '', linksTo: member ?? String(button.url) };
  }

  /** The photo a card shows, by the name its member sent it as: the copy uploaded with the card, or a link to the original. */
  private photoOf(message: StoredMessage): string | undefined {
    const url: string | undefined = message.embeds.find((e) => e.image?.url)?.image.url;
    if (!url) return undefined;
    const uploaded = url.startsWith('attachment://') ? message.attachments.find((a) => a.filename === url.slice('attachment://'.length)) : undefined;
    for (const [name, file] of this.files) {
      // The fake CDN serves each file as `fake <type> <name>`: the copy carries those bytes.
      if (uploaded ? uploaded.content.toString() === `fake ${file.content_type} ${name}` : url === file.url) return name;
    }
    return url;
  }

  private postNamed(name: string): StoredMessage {
    const message = this.posts.get(name);
    if (!message) throw new Error(`no message named ${name} was posted`);
    return message;
  }

  private newFile(name: string, durationSecs?: number): any {
    const contentType = /\.(mp4|mov|webm)$/i.test(name) ? `video/${name.split('.').pop()!.toLowerCase()}` : /\.png$/i.test(name) ? 'image/png' : 'image/jpeg';
    const file = this.server.attachment({ filename: name, contentType, ...(durationSecs !== undefined ? { durationSecs } : {}) });
    this.files.set(name, file);
    return file;
  }

  /**
   * A command about a posted message is its message command (Apps menu) on that message, which carries the message's
   * own words: the scenario's command may only repeat them (the member's own message) or say nothing more.
   */
  private async messageCommand(user: FakeUser, text: string, target: StoredMessage): Promise<void> {
    const match = /^\/(\w+)\s*([\s\S]*)$/.exec(text.trim());
    const entry = Object.entries(MESSAGE_COMMANDS).find(([, spec]) => spec.command === match?.[1]?.toLowerCase());
    if (!match || !entry) throw new InexpressibleCommand(`${text} has no message command`);
    const words = match[2]!.trim();
    const own = target.author?.id === user.id;
    if (words && !(own && words === target.content.trim())) {
      throw new InexpressibleCommand(`"${entry[0]}" takes the words of the member's own message, not "${words}"`);
    }
    const id = this.server.messageCommand(user, target, entry[0]);
    this.expected.set(`dc:${id}`, 1);
    await this.settle();
  }
}

/** The option that carries a command's attachment (`/share photo:<file>`), which slashOptions does not fill in. */
function attachmentOption(command: string, fileId: string): { name: string; type: number; value: string } {
  const option = commandInfos('en').find((c) => c.name === command)?.args?.find((o) => o.kind === 'attachment');
  if (!option) throw new InexpressibleCommand(`/${command} takes no attachment`);
  return { name: option.name, type: 11, value: fileId };
}

/** Whether an attachment is a PNG (the pictures the bot draws), not a document. */
function isPicture(content: Buffer | undefined): boolean {
  return pngSize(content === undefined ? undefined : new Uint8Array(content)) !== null;
}

/** The buttons of a message that talk to the bot (not links). */
function buttonsOf(message: StoredMessage): { custom_id: string; label: string }[] {
  return allButtonsOf(message).flatMap((c) => (c.custom_id ? [{ custom_id: c.custom_id, label: c.label ?? '' }] : []));
}

function allButtonsOf(message: StoredMessage): { custom_id?: string; label?: string; url?: string; style?: number }[] {
  return (message.components ?? []).flatMap((row: { components?: { custom_id?: string; label?: string; url?: string; style?: number }[] }) => row.components ?? []);
}

/** Discord locales as clients send them; Chinese members alternate between zh-CN and zh-TW. */
function localeOf(member: DriverMember, chineseSoFar: number): string {
  if (member.language === 'en') return chineseSoFar % 2 === 0 ? 'en-US' : 'en-GB';
  return chineseSoFar % 2 === 0 ? 'zh-CN' : 'zh-TW';
}

/** A message in the channel showing a photo (a buy's product photo above its card): what members see is its text. */
function isPhotoPost(message: { attachments: { filename: string }[] }): boolean {
  return message.attachments.every((a) => /\.(jpe?g|png|gif|webp)$/i.test(a.filename));
}
