/**
 * The core's replies as Discord message payloads, within Discord's limits: text in messages of at most 2000
 * characters (a card summarised rather than split), buttons in at most 5 rows of 5, custom_ids of at most 100
 * characters. Pure: no client and no network, so every limit is tested without a server.
 */
import { ButtonStyle, ComponentType, type APIActionRowComponent, type APIButtonComponent, type APIEmbed } from 'discord-api-types/v10';
import type { RawFile } from '@discordjs/rest';
import { DeliveryError, silentLogger, type Logger } from '../../core/ports.js';
import type { Button, DocumentReply, PhotoReply } from '../../core/replies.js';
import { ANSWER_BUTTON_ID } from './decode.js';
import { discordId } from './ids.js';
import { fitCard, splitText } from './text-limits.js';

/** Discord's limits (message content in UTF-16 code units, as JavaScript counts). */
export const CONTENT_LIMIT = 2000;
export const BUTTONS_PER_ROW = 5;
export const ROWS_PER_MESSAGE = 5;
export const LABEL_LIMIT = 80;
export const CUSTOM_ID_LIMIT = 100;

/** One Discord message to send: its text, and what goes with it. */
export interface OutgoingMessage {
  content: string;
  components?: APIActionRowComponent<APIButtonComponent>[];
  files?: RawFile[];
  embeds?: APIEmbed[];
}

/** What goes under a message's text: its buttons, and a photo (an embed, with its uploaded copy when there is one). */
export type MessageExtras = Pick<OutgoingMessage, 'components' | 'embeds' | 'files'>;

/**
 * A card as one message: it is edited in place for as long as its buy runs, so it is summarised (`⋯ +N`) rather
 * than split.
 */
export function cardMessage(text: string, extras: MessageExtras): OutgoingMessage {
  return { content: fitCard(text, CONTENT_LIMIT), ...extras };
}

/** Ordinary text as one message or more, split at line breaks; the buttons and the photo go under the last. */
export function textMessages(text: string, extras: MessageExtras): OutgoingMessage[] {
  const parts = splitText(text, CONTENT_LIMIT);
  return parts.map((content, i): OutgoingMessage => ({ content, ...(i === parts.length - 1 ? extras : {}) }));
}

/**
 * A document as a message with the file and the caption's first part, then the rest of a long caption as messages
 * of their own.
 */
function csvBom(mimeType: string, content: string): string {
  return /^text\/csv\b/i.test(mimeType) && !content.startsWith('\uFEFF') ? '\uFEFF' : '';
}

export function documentMessages(reply: DocumentReply): [OutgoingMessage, ...OutgoingMessage[]] {
  // Excel reads a CSV as UTF-8 (and so shows Chinese names) only when it starts with a BOM.
  const data = typeof reply.content === 'string' ? Buffer.from(csvBom(reply.mimeType, reply.content) + reply.content, 'utf8') : Buffer.from(reply.content);
  const files: RawFile[] = [{ name: reply.filename, data, contentType: reply.mimeType }];
  const [first = '', ...rest] = splitText(reply.caption ?? '', CONTENT_LIMIT);
  return [{ content: first, files }, ...rest.map((content): OutgoingMessage => ({ content }))];
}

/** A picture the core drew, as the file uploaded with its message (shown inline: Discord previews PNG attachments). */
export function pictureFile(reply: PhotoReply): RawFile {
  return { name: reply.filename, data: Buffer.from(reply.data), contentType: 'image/png' };
}

/** Discord has no toast: it becomes a message only the presser sees, cut to one message (toasts are short). */
export function toastMessage(text: string): OutgoingMessage {
  return { content: splitText(text, CONTENT_LIMIT)[0] ?? '' };
}

/**
 * The body of a card edit (`PATCH /channels/{c}/messages/{m}`). Buttons are always sent: an edit without buttons
 * removes the old ones (a closed buy). Embeds and attachments are left out, so Discord keeps them: a card's photo
 * stays as it was uploaded.
 */
export function cardEditBody(text: string, buttons: Button[][] | undefined, logger: Logger = silentLogger): Record<string, unknown> {
  return { content: fitCard(text, CONTENT_LIMIT), components: componentsFor(buttons, false, logger) ?? [], allowed_mentions: { parse: [] } };
}

/**
 * The body of an edit that replaces a message's photo (`/editbuy photo`): the new copy's embed and attachment, and
 * an attachment list naming only it, so Discord drops the old upload. A photo that could not be copied is linked; a
 * file id that is not a URL leaves the message without a photo rather than showing the old one.
 */
export function photoEditBody(text: string, buttons: Button[][] | undefined, photo: Pick<MessageExtras, 'embeds' | 'files'>, logger: Logger = silentLogger): Record<string, unknown> {
  return {
    ...cardEditBody(text, buttons, logger),
    embeds: photo.embeds ?? [],
    attachments: (photo.files ?? []).map((f, id) => ({ id, filename: f.name })),
  };
}

/** The JSON body of a message (its files travel beside it, see `filesOf`). */
export function messageBody(message: OutgoingMessage): Record<string, unknown> {
  return {
    content: message.content,
    // Names and titles are typed by members: "@everyone" in a product title must not ping the server.
    allowed_mentions: { parse: [] },
    ...(message.components ? { components: message.components } : {}),
    ...(message.embeds ? { embeds: message.embeds } : {}),
    ...(message.files?.length ? { attachments: message.files.map((f, id) => ({ id, filename: f.name })) } : {}),
  };
}

/** A message's files as the REST client's request option (none when it has none). */
export function filesOf(message: OutgoingMessage): { files?: RawFile[] } {
  return message.files?.length ? { files: message.files } : {};
}

const STYLES: Record<NonNullable<Button['style']>, ButtonStyle.Primary | ButtonStyle.Secondary | ButtonStyle.Success | ButtonStyle.Danger> = {
  primary: ButtonStyle.Primary,
  secondary: ButtonStyle.Secondary,
  success: ButtonStyle.Success,
  danger: ButtonStyle.Danger,
};

/**
 * A link that opens a member's Discord profile, where "Message" starts a DM: the contact buttons of the core.
 */
export function memberLink(contact: { memberId: string }): string {
  return `https://discord.com/users/${discordId(contact.memberId)}`;
}

/**
 * The core's button rows as Discord action rows: at most 5 buttons a row (longer rows wrap) and 5 rows a message.
 * A question gets an "answer" button that opens a one-field form. Buttons that do not fit are logged, not dropped
 * silently; a custom_id over Discord's 100 characters is a core bug and throws.
 */
export function componentsFor(buttons: Button[][] | undefined, expectAnswer: boolean | undefined, logger: Logger = silentLogger): APIActionRowComponent<APIButtonComponent>[] | undefined {
  const rows: APIButtonComponent[][] = [];
  for (const row of buttons ?? []) {
    for (let i = 0; i < row.length; i += BUTTONS_PER_ROW) {
      rows.push(
        row.slice(i, i + BUTTONS_PER_ROW).map((button) => {
          const label = button.label.length > LABEL_LIMIT ? `${button.label.slice(0, LABEL_LIMIT - 1)}…` : button.label;
          // A contact button is a link (style 5, no custom_id): pressing it opens the member, not the bot.
          if (button.contact && /^dc:\d+$/.test(button.contact.memberId)) return { type: ComponentType.Button, style: ButtonStyle.Link, label, url: memberLink(button.contact) };
          if (button.action.length > CUSTOM_ID_LIMIT) throw new DeliveryError('other', `button action over ${CUSTOM_ID_LIMIT} characters: ${button.action.slice(0, 40)}…`);
          return {
            type: ComponentType.Button,
            style: STYLES[button.style ?? 'primary'],
            label,
            custom_id: button.action,
          };
        }),
      );
    }
  }
  if (expectAnswer) rows.push([{ type: ComponentType.Button, style: ButtonStyle.Primary, label: '✍️', custom_id: ANSWER_BUTTON_ID }]);
  if (rows.length === 0) return undefined;
  if (rows.length > ROWS_PER_MESSAGE) {
    logger.warn({ rows: rows.length }, `more than ${ROWS_PER_MESSAGE} button rows: the rest are not shown`);
  }
  return rows.slice(0, ROWS_PER_MESSAGE).map((row) => ({ type: ComponentType.ActionRow, components: row }));
}
