/**
 * The Discord side of the core's `PlatformPort`: decides where each reply goes (the interaction it answers, the
 * channel, a DM) and sends it through discord.js's REST client, so its rate-limit handling applies. The pieces it
 * composes: `interactions.ts` (answering within Discord's three seconds), `render.ts` (payloads within Discord's
 * limits), `media.ts` (photos copied onto cards), `server-roles.ts` (admins and moderators).
 */
import { Routes, type APIMessage } from 'discord-api-types/v10';
import type { REST } from '@discordjs/rest';
import type { Client } from 'discord.js';
import type { CoreEvent } from '../../core/events.js';
import { DeliveryError, silentLogger, type Logger, type PlatformPort } from '../../core/ports.js';
import type { DeliveredRef, DocumentReply, EditReply, MessageReply, PhotoReply, PinReply, Reply, ToastReply } from '../../core/replies.js';
import { discordSource, type DiscordSource } from './decode.js';
import { deliveryErrorFor, logFieldsOf } from './errors.js';
import { discordId, refOf } from './ids.js';
import { OpenInteractions, type InteractionSlot } from './interactions.js';
import { photoPart, type PhotoCopyOptions } from './media.js';
import { cardEditBody, cardMessage, componentsFor, documentMessages, filesOf, messageBody, photoEditBody, pictureFile, textMessages, toastMessage, type MessageExtras, type OutgoingMessage } from './render.js';
import { ServerRoles, type ServerRolesOptions } from './server-roles.js';

// Names this module has always exported, now defined beside their concern.
export { discordId } from './ids.js';
export { DISCORD_MEDIA_HOSTS, photoEmbeds } from './media.js';
export { BUTTONS_PER_ROW, componentsFor, CONTENT_LIMIT, CUSTOM_ID_LIMIT, LABEL_LIMIT, memberLink, ROWS_PER_MESSAGE } from './render.js';
export type { DiscordRoles } from './server-roles.js';

export interface DiscordMessengerOptions extends ServerRolesOptions, PhotoCopyOptions {
  applicationId: string;
  logger?: Logger;
}

/**
 * The Discord side of the core's `PlatformPort`.
 *
 * @example
 * const messenger = new DiscordMessenger(client, { applicationId });
 * app.registerPlatform('dc', messenger);
 */
export class DiscordMessenger implements PlatformPort {
  private readonly interactions: OpenInteractions;
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
    this.interactions = new OpenInteractions(client.rest, options.applicationId, this.logger);
  }

  /**
   * Takes charge of an interaction before the core handles it (see `OpenInteractions.open`), and remembers the
   * permissions and roles the member came with.
   */
  async openInteraction(source: DiscordSource, deferAfterMs: number): Promise<() => Promise<void>> {
    if (source.interaction) this.roles.remember(source);
    return this.interactions.open(source, deferAfterMs);
  }

  /** Answers the "Answer" button of a question with the one-field form (a modal must be the first response). */
  showAnswerForm(source: DiscordSource, form: unknown): Promise<void> {
    return this.interactions.showAnswerForm(source, form);
  }

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
        case 'photo':
          return await this.sendPicture(reply, origin);
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

  /**
   * A picture the core drew: uploaded as an attachment of the message that carries its text and buttons (of the
   * last one, when the text needs several), routed as any message is.
   */
  private sendPicture(reply: PhotoReply, origin: CoreEvent | undefined): Promise<DeliveredRef> {
    const message: MessageReply = { kind: 'message', to: reply.to, text: reply.text, ...(reply.buttons ? { buttons: reply.buttons } : {}) };
    return this.sendMessage(message, origin, { files: [pictureFile(reply)] });
  }

  private async sendMessage(reply: MessageReply, origin: CoreEvent | undefined, upload: Pick<MessageExtras, 'files'> = {}): Promise<DeliveredRef> {
    const source = discordSource(origin);
    const slot = this.interactions.answering(source);
    const components = componentsFor(reply.buttons, reply.expectAnswer, this.logger);
    const photo = reply.photo ? await photoPart(reply.photo, this.options, this.logger) : upload;
    // A card is edited for as long as its buy runs, long after an interaction token expires (15 minutes): it is
    // always a channel message, and it is summarised rather than split, so it stays one message.
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
          const sent = slot.kind === 'component' ? undefined : await this.interactions.respond(slot, message, false);
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
    const sent = await this.interactions.respond(slot, message, Boolean(source.guildId));
    // In a server, `respond` sends private messages always; in DMs a deferred placeholder (ephemeral) cannot take a
    // normal message, which then goes to the DM channel.
    return sent ?? this.post(source.channelId, message);
  }

  private async edit(reply: EditReply): Promise<DeliveredRef> {
    const route = Routes.channelMessage(discordId(reply.chatId), discordId(reply.messageId, false));
    if (reply.removePhoto) {
      // A withdrawn photo (`/editbuy photo off`): its message goes; where Discord refuses (no permission left), the
      // image and its upload are taken off and the text says the photo was removed.
      try {
        await this.rest.delete(route);
      } catch (error) {
        const refusal = deliveryErrorFor(error, false);
        if (!(refusal instanceof DeliveryError)) throw refusal;
        // Already gone (deleted by hand): nothing left to withdraw.
        if (refusal.kind === 'not_found') return { chatId: reply.chatId, messageId: reply.messageId };
        this.logger.info({ chatId: reply.chatId, messageId: reply.messageId, err: logFieldsOf(error) }, 'could not delete a withdrawn photo: taking the image off instead');
        await this.rest.patch(route, { body: photoEditBody(reply.text, reply.buttons, {}, this.logger) });
      }
    } else if (reply.photo && reply.replacePhoto) {
      // A new photo: its copy is uploaded and shown in place of the old one, which the edit's attachment list drops.
      const photo = await photoPart(reply.photo, this.options, this.logger);
      await this.rest.patch(route, { body: photoEditBody(reply.text, reply.buttons, photo, this.logger), ...filesOf({ content: '', ...photo }) });
    } else {
      await this.rest.patch(route, { body: cardEditBody(reply.text, reply.buttons, this.logger) });
    }
    return { chatId: reply.chatId, messageId: reply.messageId };
  }

  private async sendDocument(reply: DocumentReply, origin: CoreEvent | undefined): Promise<DeliveredRef> {
    const source = discordSource(origin);
    const slot = this.interactions.answering(source);
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
    const slot = this.interactions.answering(source);
    if (!slot) throw new DeliveryError('other', 'a toast answers an interaction, but the origin is not one');
    await this.interactions.respond(slot, toastMessage(reply.text), true);
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
