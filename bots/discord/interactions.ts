/**
 * Answering interactions (slash commands, button presses, form submissions) within Discord's three seconds, and
 * sending the core's replies to an interaction as its response, its deferred reply or its follow-ups.
 */
import { InteractionResponseType, MessageFlags, Routes, type APIMessage } from 'discord-api-types/v10';
import type { REST } from '@discordjs/rest';
import type { Logger } from '../../core/ports.js';
import type { DiscordSource, InteractionKind } from './decode.js';
import { logFieldsOf } from './errors.js';
import { filesOf, messageBody, type OutgoingMessage } from './render.js';

/**
 * One interaction being answered. Discord wants an answer within 3 s, and how a reply is sent depends on what has
 * been sent so far: the first reply is the interaction's response, later ones are follow-ups.
 */
export interface InteractionSlot {
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
 * The interactions being answered, by id, from the moment the adapter takes one until the core has handled it, so
 * that a reply to the event knows which interaction it answers.
 */
export class OpenInteractions {
  private readonly slots = new Map<string, InteractionSlot>();

  constructor(
    private readonly rest: REST,
    private readonly applicationId: string,
    private readonly logger: Logger,
  ) {}

  /**
   * Takes charge of an interaction before the core handles it. A button press is acknowledged at once (its card is
   * edited through the channel, its toasts are ephemeral follow-ups); a command or form waits for its first reply,
   * and is deferred if none has gone out after `deferAfterMs`. Returns what closes it once the core is done.
   */
  async open(source: DiscordSource, deferAfterMs: number): Promise<() => Promise<void>> {
    const info = source.interaction;
    if (!info) return async () => {};
    const slot: InteractionSlot = { ...info, state: 'fresh', chain: Promise.resolve() };
    this.slots.set(info.id, slot);
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
      await this.onSlot(slot, () => this.close(slot));
      this.slots.delete(info.id);
    };
  }

  /** The open interaction an event came from, if it came from one: the one its replies answer. */
  answering(source: DiscordSource | undefined): InteractionSlot | undefined {
    return source?.interaction ? this.slots.get(source.interaction.id) : undefined;
  }

  /** Answers the "Answer" button of a question with the one-field form (a modal must be the first response). */
  async showAnswerForm(source: DiscordSource, form: unknown): Promise<void> {
    const info = source.interaction;
    if (!info) return;
    await this.rest.post(Routes.interactionCallback(info.id, info.token), { body: { type: InteractionResponseType.Modal, data: form }, auth: false });
  }

  /**
   * Sends one message as an answer to the interaction: private ones ephemeral. Returns the message, or undefined when
   * a public message must go to the channel instead (the interaction holds a private placeholder).
   */
  respond(slot: InteractionSlot, message: OutgoingMessage, ephemeral: boolean): Promise<APIMessage | undefined> {
    const data = { ...messageBody(message), ...(ephemeral ? { flags: MessageFlags.Ephemeral } : {}) };
    const app = this.applicationId;
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

  /** An interaction the core said nothing to still needs an answer, or Discord shows "interaction failed". */
  private async close(slot: InteractionSlot): Promise<void> {
    if (slot.state === 'fresh') {
      if (slot.kind === 'modal') {
        await this.callback(slot, { type: InteractionResponseType.DeferredMessageUpdate });
      } else {
        await this.callback(slot, { type: InteractionResponseType.DeferredChannelMessageWithSource, data: { flags: MessageFlags.Ephemeral } });
        await this.rest.delete(Routes.webhookMessage(this.applicationId, slot.token, '@original'), { auth: false });
      }
    } else if (slot.state === 'deferred') {
      // Deferred, then only public replies (sent as channel messages): the private placeholder goes away.
      await this.rest.delete(Routes.webhookMessage(this.applicationId, slot.token, '@original'), { auth: false });
    }
  }

  private onSlot<T>(slot: InteractionSlot, op: () => Promise<T>): Promise<T> {
    const run = slot.chain.then(op, op);
    slot.chain = run.catch(() => undefined);
    return run;
  }

  private callback(slot: InteractionSlot, body: unknown): Promise<unknown> {
    return this.rest.post(Routes.interactionCallback(slot.id, slot.token), { body, auth: false });
  }
}
