/**
 * Renders the core's replies as Discord REST calls (through discord.js's REST client, so its rate-limit handling
 * applies), answers interactions within Discord's three seconds, and answers the core's "is this member an admin?".
 */
import { InteractionResponseType, MessageFlags, Routes, type APIMessage } from 'discord-api-types/v10';
import type { RawFile, REST } from '@discordjs/rest';
import type { Client } from 'discord.js';
import type { CoreEvent } from '../../core/events.js';
import { DeliveryError, silentLogger, type Logger, type PlatformPort } from '../../core/ports.js';
import type { DeliveredRef, DocumentReply, EditReply, MessageReply, PinReply, Reply, ToastReply } from '../../core/replies.js';
import { discordSource, type DiscordSource, type InteractionKind } from './decode.js';
import { deliveryErrorFor, logFieldsOf } from './errors.js';
import { discordId, refOf } from './ids.js';
import { photoPart, type PhotoCopyOptions } from './media.js';
import { ServerRoles, type ServerRolesOptions } from './server-roles.js';
import { cardEditBody, cardMessage, componentsFor, documentMessages, filesOf, messageBody, textMessages, toastMessage, type OutgoingMessage } from './render.js';

export { discordId };
export type { DiscordRoles } from './server-roles.js';
export { DISCORD_MEDIA_HOSTS, photoEmbeds } from './media.js';
export { BUTTONS_PER_ROW, componentsFor, CONTENT_LIMIT, CUSTOM_ID_LIMIT, LABEL_LIMIT, memberLink, ROWS_PER_MESSAGE } from './render.js';

export interface DiscordMessengerOptions extends ServerRolesOptions, PhotoCopyOptions {
  applicationId: string;
  logger?: Logger;
}

/**
 * One interaction being answered. Discord wants an answer within 3 s, and how a reply is sent depends on what has
 * been sent so far: the first reply is the interaction's response, later ones are follow-ups.
 */
interface InteractionSlot {
  id: string;
  token: string;
  kind: InteractionKind;
  /**
   * fresh: nothing sent; replied: a response (or a deferred button update) went out, follow-ups are new messages;
   * deferred: an ephemeral "thinking" placeholder waits to be filled by the first private reply.
   */
  state: 'fresh' | 'replied' | 'deferred';
  /** Operations on one interaction run one at a time (the defer timer must not race a reply). */
  chain: Promise<unknown>;
}

/**
 * The Discord side of the core's `PlatformPort`.
 *
 * @example
 * const messenger = new DiscordMessenger(client, { applicationId });
 * app.registerPlatform('dc', messenger);
 */
export class DiscordMessenger implements PlatformPort {
  private readonly slots = new Map<string, InteractionSlot>();
  private readonly roles: ServerRoles;
  private readonly logger: Logger;
  private readonly rest: REST;

  constructor(
    private readonly client: Client,
    private readonly options: DiscordMessengerOptions,
  ) {
    this.rest = client.rest;
    this.logger = options.logger ?? silentLogger;
    this.roles = new ServerRoles(client, options);
  }

  // ---- interactions -------------------------------------------------------------------------------------------

  /**
   * Takes charge of an interaction before the core handles it. A button press is acknowledged at once (its card is
   * edited through the channel, its toasts are ephemeral follow-ups); a command or form waits for its first reply,
   * and is deferred if none has gone out after `deferAfterMs`.
   */
  async openInteraction(source: DiscordSource, deferAfterMs: number): Promise<() => Promise<void>> {
    const info = source.interaction;
    if (!info) return async () => {};
    const slot: InteractionSlot = { ...info, state: 'fresh', chain: Promise.resolve() };
    this.slots.set(info.id, slot);
    this.roles.remember(source);
    if (info.kind === 'component') {
      await this.onSlot(slot, async () => {
        await this.callback(slot, { type: InteractionResponseType.DeferredMessageUpdate });
        slot.state = 'replied';
      });
    }
    const timer =
      info.kind === 'component'
        ? undefined
        : setTimeout(() => {
            void this.onSlot(slot, async () => {
              if (slot.state !== 'fresh') return;
              await this.callback(slot, { type: InteractionResponseType.DeferredChannelMessageWithSource, data: { flags: MessageFlags.Ephemeral } });
              slot.state = 'deferred';
            }).catch((error: unknown) => this.logger.warn({ err: logFieldsOf(error), interaction: slot.id }, 'could not defer interaction'));
          }, deferAfterMs);
    return async () => {
      if (timer) clearTimeout(timer);
      await this.onSlot(slot, () => this.closeSlot(slot));
      this.slots.delete(info.id);
    };
  }

  /** Answers the "Answer" button of a question with the one-field form (a modal must be the first response). */
  async showAnswerForm(source: DiscordSource, form: unknown): Promise<void> {
    const info = source.interaction;
    if (!info) return;
    await this.rest.post(Routes.interactionCallback(info.id, info.token), { body: { type: InteractionResponseType.Modal, data: form }, auth: false });
  }

  /** An interaction the core said nothing to still needs an answer, or Discord shows "interaction failed". */
  private async closeSlot(slot: InteractionSlot): Promise<void> {
    if (slot.state === 'fresh') {
      if (slot.kind === 'modal') {
        await this.callback(slot, { type: InteractionResponseType.DeferredMessageUpdate });
      } else {
        await this.callback(slot, { type: InteractionResponseType.DeferredChannelMessageWithSource, data: { flags: MessageFlags.Ephemeral } });
        await this.rest.delete(Routes.webhookMessage(this.options.applicationId, slot.token, '@original'), { auth: false });
      }
    } else if (slot.state === 'deferred') {
      // Deferred, then only public replies (sent as channel messages): the private placeholder goes away.
      await this.rest.delete(Routes.webhookMessage(this.options.applicationId, slot.token, '@original'), { auth: false });
    }
  }

  private onSlot<T>(slot: InteractionSlot, op: () => Promise<T>): Promise<T> {
    const run = slot.chain.then(op, op);
    slot.chain = run.catch(() => undefined);
    return run;
  }

  private callback(slot: InteractionSlot, body: unknown, files?: RawFile[]): Promise<unknown> {
    return this.rest.post(Routes.interactionCallback(slot.id, slot.token), { body, auth: false, ...(files?.length ? { files } : {}) });
  }

  /**
   * Sends one message as an answer to the interaction: private ones ephemeral. Returns the message, or undefined when
   * a public message must go to the channel instead (the interaction holds a private placeholder).
   */
  private respond(slot: InteractionSlot, message: OutgoingMessage, ephemeral: boolean): Promise<APIMessage | undefined> {
    const data = { ...messageBody(message), ...(ephemeral ? { flags: MessageFlags.Ephemeral } : {}) };
    const app = this.options.applicationId;
    return this.onSlot(slot, async () => {
      if (slot.state === 'fresh') {
        const query = new URLSearchParams({ with_response: 'true' });
        const result = (await this.rest.post(Routes.interactionCallback(slot.id, slot.token), {
          body: { type: InteractionResponseType.ChannelMessageWithSource, data },
          auth: false,
          query,
          ...filesOf(message),
        })) as { resource?: { message?: APIMessage } } | undefined;
        slot.state = 'replied';
        return result?.resource?.message;
      }
      if (slot.state === 'deferred') {
        // The placeholder is private: the first private reply fills it; a public reply cannot (and a follow-up now
        // would replace the placeholder), so public replies go to the channel until it is filled.
        if (!ephemeral) return undefined;
        const edited = (await this.rest.patch(Routes.webhookMessage(app, slot.token, '@original'), { body: data, auth: false, ...filesOf(message) })) as APIMessage;
        slot.state = 'replied';
        return edited;
      }
      const query = new URLSearchParams({ wait: 'true' });
      return (await this.rest.post(Routes.webhook(app, slot.token), { body: data, auth: false, query, ...filesOf(message) })) as APIMessage;
    });
  }

  // ---- PlatformPort ------------------------------------------------------------------------------------------

  /** Sends one reply; see `PlatformPort.deliver`. */
  async deliver(reply: Reply, origin?: CoreEvent): Promise<DeliveredRef | undefined> {
    try {
      switch (reply.kind) {
        case 'message':
          return await this.sendMessage(reply, origin);
        case 'edit':
          return await this.edit(reply);
        case 'document':
          return await this.sendDocument(reply, origin);
        case 'toast':
          await this.toast(reply, origin);
          return undefined;
        case 'pin':
          return await this.pin(reply);
      }
    } catch (error) {
      throw deliveryErrorFor(error, 'to' in reply && 'memberId' in reply.to);
    }
  }

  /**
   * Admins are the server owner, members with Manage Server or Administrator, and members with a configured admin
   * role. DMs have no admins. The actor's permissions come with their interaction; others are fetched and cached.
   */
  isChatAdmin(chatId: string, memberId: string): Promise<boolean> {
    return this.roles.isAdmin(chatId, memberId);
  }

  /**
   * The server's human admins for a channel's server, as far as discord.js's member cache knows them (without the
   * privileged Server Members intent it cannot list every member); the core adds the moderators named with /mod.
   */
  listChatAdmins(chatId: string): Promise<string[]> {
    return this.roles.listAdmins(chatId);
  }

  /** Moderators: members with a configured moderator role (admins are not moderators unless they have it). */
  isChatModerator(chatId: string, memberId: string): Promise<boolean> {
    return this.roles.isModerator(chatId, memberId);
  }

  /** Drops a cached member (their roles changed). */
  forgetMember(guildId: string, userId: string): void {
    this.roles.forget(guildId, userId);
  }

  // ---- replies -----------------------------------------------------------------------------------------------

  private async sendMessage(reply: MessageReply, origin: CoreEvent | undefined): Promise<DeliveredRef> {
    const source = discordSource(origin);
    const slot = source?.interaction ? this.slots.get(source.interaction.id) : undefined;
    const components = componentsFor(reply.buttons, reply.expectAnswer, this.logger);
    // A card is edited for as long as its buy runs, long after an interaction token expires (15 minutes): it is
    // always a channel message, and it is summarised rather than split, so it stays one message.
    const photo = reply.photo ? await photoPart(reply.photo, this.options, this.logger) : {};
    if (reply.card && 'chatId' in reply.to) return refOf(await this.post(discordId(reply.to.chatId), cardMessage(reply.text, { components, ...photo })));
    const messages = textMessages(reply.text, { components, ...photo });

    const toActor = 'memberId' in reply.to && source && reply.to.memberId === `dc:${source.userId}`;
    const inOriginChat = 'chatId' in reply.to && source && reply.to.chatId === `dc:${source.channelId}`;
    if (slot && toActor) {
      // A private message to the member who is interacting: shown to them only, where they are.
      let ref: DeliveredRef | undefined;
      for (const message of messages) ref = refOf(await this.privateAnswer(slot, source!, message));
      return { ...ref!, shownInPlace: true };
    }
    if (slot && inOriginChat) {
      let ref: DeliveredRef | undefined;
      for (const message of messages) {
        if (reply.private) ref = refOf(await this.privateAnswer(slot, source!, message));
        else {
          const sent = slot.kind === 'component' ? undefined : await this.respond(slot, message, false);
          ref = refOf(sent ?? (await this.post(source!.channelId, message)));
        }
      }
      return ref!;
    }
    if (reply.private && 'chatId' in reply.to) this.logger.debug({ chatId: reply.to.chatId }, 'private reply without an interaction: sent as a normal message');
    const channelId = 'chatId' in reply.to ? discordId(reply.to.chatId) : await this.dmChannel(reply.to.memberId);
    let ref: DeliveredRef | undefined;
    for (const message of messages) ref = refOf(await this.post(channelId, message));
    return ref!;
  }

  /**
   * A private answer to the interacting member: ephemeral in a server channel. In the bot's DMs the channel is
   * private already, so it is an ordinary message there, which stays in the DM's history (an ephemeral one can be
   * dismissed and is gone after a reload: a review's questions and buttons must not vanish).
   */
  private async privateAnswer(slot: InteractionSlot, source: DiscordSource, message: OutgoingMessage): Promise<APIMessage> {
    const sent = await this.respond(slot, message, Boolean(source.guildId));
    // In a server, `respond` sends private messages always; in DMs a deferred placeholder (ephemeral) cannot take a
    // normal message, which then goes to the DM channel.
    return sent ?? this.post(source.channelId, message);
  }

  private async edit(reply: EditReply): Promise<DeliveredRef> {
    const body = cardEditBody(reply.text, reply.buttons, this.logger);
    await this.rest.patch(Routes.channelMessage(discordId(reply.chatId), discordId(reply.messageId, false)), { body });
    return { chatId: reply.chatId, messageId: reply.messageId };
  }

  private async sendDocument(reply: DocumentReply, origin: CoreEvent | undefined): Promise<DeliveredRef> {
    const source = discordSource(origin);
    const slot = source?.interaction ? this.slots.get(source.interaction.id) : undefined;
    const [message, ...rest] = documentMessages(reply);
    const toActor = 'memberId' in reply.to && source && reply.to.memberId === `dc:${source.userId}`;
    if (slot && source && toActor) {
      const sent = await this.privateAnswer(slot, source, message);
      for (const part of rest) await this.privateAnswer(slot, source, part);
      return { ...refOf(sent), shownInPlace: true };
    }
    const channelId = 'chatId' in reply.to ? discordId(reply.to.chatId) : await this.dmChannel(reply.to.memberId);
    const sent = await this.post(channelId, message);
    for (const part of rest) await this.post(channelId, part);
    return refOf(sent);
  }

  /**
   * Pins a message the bot sent, e.g. the month's best reviews (`PUT /channels/{c}/pins/{m}`; the bot needs Manage
   * Messages, or Pin Messages, in the channel). Pinning a pinned message is a no-op on Discord.
   */
  private async pin(reply: PinReply): Promise<DeliveredRef> {
    await this.rest.put(Routes.channelPin(discordId(reply.chatId), discordId(reply.messageId, false)), { reason: 'tuanbot: pinned by the core' });
    return { chatId: reply.chatId, messageId: reply.messageId };
  }

  private async toast(reply: ToastReply, origin: CoreEvent | undefined): Promise<void> {
    const source = discordSource(origin);
    const slot = source?.interaction ? this.slots.get(source.interaction.id) : undefined;
    if (!slot) throw new DeliveryError('other', 'a toast answers an interaction, but the origin is not one');
    await this.respond(slot, toastMessage(reply.text), true);
  }

  private async post(channelId: string, message: OutgoingMessage): Promise<APIMessage> {
    return (await this.rest.post(Routes.channelMessages(channelId), { body: messageBody(message), ...filesOf(message) })) as APIMessage;
  }

  /** The member's DM channel (`user.createDM()`), cached by discord.js. */
  private async dmChannel(memberId: string): Promise<string> {
    const channel = await this.client.users.createDM(discordId(memberId));
    return channel.id;
  }
}
