/**
 * Wires a discord.js client to the core: gateway dispatches in (interactions, reactions and direct messages, decoded
 * from the raw payloads into core events and handed to `app.handle`), replies out through the DiscordMessenger.
 */
import { Client, Events, GatewayIntentBits, type GatewayDispatchPayload } from 'discord.js';
import {
  ComponentType,
  GatewayDispatchEvents,
  InteractionType,
  TextInputStyle,
  type APIInteraction,
  type APIMessageComponentInteraction,
} from 'discord-api-types/v10';
import type { CoreApp } from '../../core/app.js';
import { systemClock, type Clock } from '../../core/clock.js';
import type { CoreEvent } from '../../core/events.js';
import { silentLogger, type AdminChangeFeed, type Logger, type SendBudget } from '../../core/ports.js';
import { ANSWER_BUTTON_ID, ANSWER_FIELD_ID, ANSWER_MODAL_ID, decodeDirectMessage, decodeGuildMessage, decodeInteraction, decodeReaction, discordSource, type DiscordSource } from './decode.js';
import { DISCORD_MEDIA_HOSTS, DiscordMessenger, type DiscordRoles } from './messenger.js';
import { namespacedKey } from '../update-keys.js';
import { sharedMakeRequest } from './shared-rest-budget.js';

/**
 * What the bot asks the gateway for. None is privileged: slash commands and buttons arrive as interactions whatever
 * the intents, answers to questions in servers come through a form, and messages members write to the bot in DMs
 * (a review's text, photos and videos) carry their content without the Message Content intent. Server messages
 * (GuildMessages) arrive too, but without Message Content their text only when they mention the bot: a reply to a
 * buy card (`+1`, `接龙 2`) mentions it unless the member turns the reply's "@ mention" off (README, 接龙 habits).
 */
export const DISCORD_INTENTS = [
  GatewayIntentBits.Guilds,
  GatewayIntentBits.GuildMessages,
  GatewayIntentBits.GuildMessageReactions,
  GatewayIntentBits.DirectMessages,
  GatewayIntentBits.DirectMessageReactions,
] as const;

export interface DiscordBotOptions extends DiscordRoles {
  token: string;
  applicationId: string;
  /** REST base URL, e.g. `http://127.0.0.1:8080/api` (gateway discovery follows it). Default: Discord's. */
  apiBase?: string;
  app: CoreApp;
  logger?: Logger;
  /** Defer an interaction the core has not answered after this long (default 2000 ms; Discord allows 3 s). */
  deferAfterMs?: number;
  /** How long fetched member roles are trusted (default 5 minutes). */
  adminCacheMs?: number;
  /** Time of reactions (Discord sends none). */
  clock?: Clock;
  /**
   * The one gateway shard this process connects (several processes on one bot, README "Running at scale"); Discord
   * sends each server's events, and its interactions, to the shard `(server id >> 22) % count`, direct messages to
   * shard 0. Without it the process is the whole bot: shard 0 of 1.
   */
  shard?: { id: number; count: number };
  /** Several processes with this application (PostgreSQL, ADR 022): Discord's global request budget, shared. */
  sendBudget?: SendBudget;
  /** Several processes: a change of a member's standing one of them sees reaches every process's role cache. */
  adminChanges?: AdminChangeFeed;
}

export interface DiscordBotHandle {
  client: Client;
  messenger: DiscordMessenger;
  /** Logs in and resolves once the gateway session is ready and events can flow. */
  start(): Promise<void>;
  /** Stops taking events, waits for the ones being handled, and lets pending card edits go out. */
  stop(): Promise<void>;
}

/**
 * Creates the Discord adapter and registers its messenger with the core. Slash commands are registered separately,
 * with `npm run discord:register`.
 *
 * @example
 * const discord = createDiscordBot({ token, applicationId, app, logger });
 * await discord.start();
 */
export function createDiscordBot(options: DiscordBotOptions): DiscordBotHandle {
  const logger = options.logger ?? silentLogger;
  const clock = options.clock ?? systemClock;
  const deferAfterMs = options.deferAfterMs ?? 2000;
  const client = new Client({
    intents: [...DISCORD_INTENTS],
    ...(options.shard ? { shards: [options.shard.id], shardCount: options.shard.count } : {}),
    rest: {
      ...(options.apiBase ? { api: options.apiBase } : {}),
      ...(options.sendBudget ? { makeRequest: sharedMakeRequest(options.sendBudget, options.applicationId, logger) } : {}),
    },
  });
  const messenger = new DiscordMessenger(client, {
    applicationId: options.applicationId,
    logger,
    ...(options.adminCacheMs !== undefined ? { adminCacheMs: options.adminCacheMs } : {}),
    ...(options.adminRoleIds ? { adminRoleIds: options.adminRoleIds } : {}),
    ...(options.moderatorRoleIds ? { moderatorRoleIds: options.moderatorRoleIds } : {}),
    ...(options.adminChanges ? { adminChanges: options.adminChanges } : {}),
    // A proxy or test server at DISCORD_API_BASE serves the uploads it hands out, as Discord's CDN does.
    ...(options.apiBase ? { mediaHosts: [...DISCORD_MEDIA_HOSTS, new URL(options.apiBase).host] } : {}),
  });
  options.app.registerPlatform('dc', messenger);

  let sessionId = '';
  // A dispatch replayed after a gateway resume carries an interaction already being answered: a second answer would
  // be refused (40060), and the core's own idempotency would drop its effects anyway.
  const seenInteractions = new Set<string>();
  const inFlight = new Set<Promise<void>>();
  // One event per channel at a time: a card's edits and a channel's sign-ups stay in order.
  const channelQueues = new Map<string, Promise<void>>();
  const inChannel = (channelId: string, work: () => Promise<void>): Promise<void> => {
    const previous = channelQueues.get(channelId) ?? Promise.resolve();
    const next = previous.then(work, work);
    const settled = next.catch(() => undefined);
    channelQueues.set(channelId, settled);
    void settled.then(() => {
      if (channelQueues.get(channelId) === settled) channelQueues.delete(channelId);
    });
    return next;
  };
  const track = (work: Promise<void>) => {
    const tracked = work.catch((error: unknown) => logger.error({ err: describeError(error) }, 'discord event failed'));
    inFlight.add(tracked);
    void tracked.finally(() => inFlight.delete(tracked));
  };

  async function handle(event: CoreEvent): Promise<void> {
    try {
      // Keys carry the application's id: two applications in one server receive the same messages (ADR 018).
      await options.app.handle({ ...withServerName(event), key: namespacedKey(event.key, options.applicationId) });
    } catch (error) {
      logger.error({ err: describeError(error), key: event.key, kind: event.kind }, 'discord event failed in the core');
    }
  }

  /**
   * A server is the community (`chat.groupId` is the guild), so its title is the server's name, as a Telegram group's
   * is the group's, not the name of the channel the event came from; discord.js has it cached from GUILD_CREATE.
   */
  function withServerName(event: CoreEvent): CoreEvent {
    const guildId = discordSource(event)?.guildId;
    const name = guildId ? client.guilds.cache.get(guildId)?.name : undefined;
    return name && event.chat.kind === 'group' ? { ...event, chat: { ...event.chat, title: name } } : event;
  }

  async function onInteraction(interaction: APIInteraction): Promise<void> {
    if (seenInteractions.has(interaction.id)) {
      logger.debug({ interaction: interaction.id }, 'interaction delivered again: ignored');
      return;
    }
    seenInteractions.add(interaction.id);
    if (seenInteractions.size > 10_000) seenInteractions.delete(seenInteractions.values().next().value!);
    if (isAnswerButton(interaction)) {
      await messenger.showAnswerForm({ channelId: interaction.channel?.id ?? '', userId: '', interaction: { id: interaction.id, token: interaction.token, kind: 'component' } }, answerForm(interaction.message.content));
      return;
    }
    const event = decodeInteraction(interaction);
    if (!event) {
      logger.debug({ interaction: interaction.id, type: interaction.type }, 'interaction ignored');
      return;
    }
    const source = discordSource(event) as DiscordSource;
    // Acknowledged (or timed to be deferred) on arrival, before waiting for this channel's earlier events.
    const close = await messenger.openInteraction(source, deferAfterMs);
    try {
      await inChannel(source.channelId, () => handle(event));
    } finally {
      await close();
    }
  }

  // Every gateway dispatch enters here: a payload the decoders cannot read is logged and dropped, never thrown into
  // discord.js's socket handler (where it would end the process, and the Telegram adapter with it).
  client.on(Events.Raw, (packet: GatewayDispatchPayload & { s?: number }) => {
    try {
      onDispatch(packet);
    } catch (error) {
      logger.error({ err: describeError(error), dispatch: packet?.t, sequence: packet?.s }, 'discord dispatch could not be read: ignored');
    }
  });

  function onDispatch(packet: GatewayDispatchPayload & { s?: number }): void {
    switch (packet.t) {
      case GatewayDispatchEvents.Ready:
        sessionId = packet.d.session_id;
        return;
      case GatewayDispatchEvents.InteractionCreate:
        track(onInteraction(packet.d));
        return;
      case GatewayDispatchEvents.MessageCreate: {
        // DMs (a member writing to the bot: a review's text and photos) and server messages (a reply to a buy card).
        const botId = client.user?.id ?? '';
        const event = packet.d.guild_id ? decodeGuildMessage(packet.d, botId) : decodeDirectMessage(packet.d, botId);
        if (event) track(inChannel(packet.d.channel_id, () => handle(event)));
        return;
      }
      case GatewayDispatchEvents.MessageReactionAdd:
      case GatewayDispatchEvents.MessageReactionRemove: {
        const event = decodeReaction(packet.d, packet.t === GatewayDispatchEvents.MessageReactionAdd, {
          botId: client.user?.id ?? '',
          sessionId,
          sequence: packet.s ?? 0,
          now: () => clock.now(),
        });
        if (event) track(inChannel(packet.d.channel_id, () => handle(event)));
        return;
      }
      default:
        return;
    }
  }
  client.on(Events.Error, (error) => logger.error({ err: describeError(error) }, 'discord client error'));

  async function start(): Promise<void> {
    const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
    await client.login(options.token);
    await ready;
    logger.info({ user: client.user?.tag, guilds: client.guilds.cache.size }, 'discord bot started');
  }

  async function stop(): Promise<void> {
    await client.destroy();
    await Promise.all([...inFlight]);
    try {
      // Bounded: a group's edit budget (Telegram: 20 a minute) may hold the last edit for up to a minute; a card left
      // behind is re-rendered from the database at the next start (ADR 018).
      const flushed = await Promise.race([options.app.flushCards().then(() => true), delay(CARD_FLUSH_AT_SHUTDOWN_MS).then(() => false)]);
      if (!flushed) logger.warn({ waitedMs: CARD_FLUSH_AT_SHUTDOWN_MS }, 'card edits still pending at shutdown: the next start re-renders those cards');
    } catch (error) {
      logger.warn({ err: describeError(error) }, 'pending card edits failed at shutdown');
    }
    logger.info({}, 'discord bot stopped');
  }

  return { client, messenger, start, stop };
}

function isAnswerButton(interaction: APIInteraction): interaction is APIMessageComponentInteraction {
  return (
    interaction.type === InteractionType.MessageComponent &&
    interaction.data.component_type === ComponentType.Button &&
    interaction.data.custom_id === ANSWER_BUTTON_ID
  );
}

/** The one-field form behind a question's answer button; its label is the question's last line. */
export function answerForm(question: string): Record<string, unknown> {
  const lastLine = question.trim().split('\n').at(-1)?.trim() || '✍️';
  const label = lastLine.length <= 45 ? lastLine : `${lastLine.slice(0, 44)}…`;
  return {
    custom_id: ANSWER_MODAL_ID,
    title: label,
    components: [
      {
        type: ComponentType.ActionRow,
        components: [{ type: ComponentType.TextInput, custom_id: ANSWER_FIELD_ID, label, style: TextInputStyle.Paragraph, required: true, max_length: 1000 }],
      },
    ],
  };
}

/** How long a stopping adapter waits for pending card edits. */
const CARD_FLUSH_AT_SHUTDOWN_MS = 10_000;

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

/** Errors as plain data for the logger; the REST client never puts the token into messages. */
function describeError(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { value: String(error) };
  const extra = error as Error & { code?: unknown; status?: number; url?: string; kind?: string };
  return {
    name: error.name,
    message: error.message,
    stack: error.stack,
    ...(extra.code !== undefined ? { code: extra.code } : {}),
    ...(extra.status !== undefined ? { status: extra.status } : {}),
    ...(extra.kind !== undefined ? { kind: extra.kind } : {}),
  };
}
