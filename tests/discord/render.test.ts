/** Rendering the core's replies as Discord payloads: pure functions, checked without a client or a server. */
import { describe, expect, it } from 'vitest';
import { DeliveryError } from '../../core/ports.js';
import type { Button } from '../../core/replies.js';
import { ANSWER_BUTTON_ID } from '../../bots/discord/decode.js';
import {
  cardEditBody,
  cardMessage,
  componentsFor,
  CONTENT_LIMIT,
  documentMessages,
  memberLink,
  messageBody,
  pictureFile,
  textMessages,
  toastMessage,
} from '../../bots/discord/render.js';
import { RecordingLogger } from '../support/core-harness.js';

const joinRow = [{ type: 1, components: [{ type: 2, style: 1, label: 'Join', custom_id: 'join:1' }] }];
const photo = { embeds: [{ image: { url: 'attachment://photo.jpg' } }], files: [{ name: 'photo.jpg', data: Buffer.from('jpg'), contentType: 'image/jpeg' }] };
const longText = Array.from({ length: 300 }, (_, i) => `line ${i} ${'x'.repeat(10)}`).join('\n');

describe('messages', () => {
  it('puts the buttons and the photo under the last part of a long text only', () => {
    const messages = textMessages(longText, { components: joinRow, ...photo });
    expect(messages.length).toBeGreaterThan(1);
    expect(messages.every((m) => m.content.length <= CONTENT_LIMIT)).toBe(true);
    expect(messages.slice(0, -1).every((m) => Object.keys(m).join() === 'content')).toBe(true);
    expect(messages.at(-1)).toMatchObject({ components: joinRow, ...photo });
  });

  it('keeps a short text as one message with its buttons', () => {
    expect(textMessages('Bob joined #1 ×2.', { components: joinRow })).toEqual([{ content: 'Bob joined #1 ×2.', components: joinRow }]);
  });

  it('keeps a long card as one summarised message with its buttons and photo', () => {
    const message = cardMessage(longText, { components: joinRow, ...photo });
    expect(message.content.length).toBeLessThanOrEqual(CONTENT_LIMIT);
    expect(message.content).toMatch(/\n⋯ \+\d+\n/);
    expect(message).toMatchObject({ components: joinRow, ...photo });
  });

  it('cuts a long toast to one message', () => {
    expect(toastMessage(longText).content).toBe(textMessages(longText, {})[0]!.content);
  });

  it('never lets member-typed text ping anyone, and lists uploaded files as attachments', () => {
    const body = messageBody({ content: '@everyone Tea', components: joinRow, ...photo });
    expect(body).toEqual({ content: '@everyone Tea', allowed_mentions: { parse: [] }, components: joinRow, embeds: photo.embeds, attachments: [{ id: 0, filename: 'photo.jpg' }] });
    expect(messageBody({ content: 'plain' })).toEqual({ content: 'plain', allowed_mentions: { parse: [] } });
  });

  it('edits a card with its buttons, an empty row list when it has none, and leaves its embeds and attachments alone', () => {
    expect(cardEditBody(longText, [[{ label: 'Join', action: 'join:1' }]])).toEqual({
      content: cardMessage(longText, {}).content,
      components: joinRow,
      allowed_mentions: { parse: [] },
    });
    expect(cardEditBody('closed', undefined)).toEqual({ content: 'closed', components: [], allowed_mentions: { parse: [] } });
  });
});

describe('documents', () => {
  it('starts a CSV with a BOM once, so Excel reads it as UTF-8', () => {
    const [csv] = documentMessages({ kind: 'document', to: { memberId: 'dc:1' }, filename: 'buy-1.csv', mimeType: 'text/csv; charset=utf-8', content: 'name\n小明\n' });
    expect(csv.files![0]!.data.toString()).toBe('\uFEFFname\n小明\n');
    const [again] = documentMessages({ kind: 'document', to: { memberId: 'dc:1' }, filename: 'buy-1.csv', mimeType: 'text/csv', content: '\uFEFFname\n' });
    expect(again.files![0]!.data.toString()).toBe('\uFEFFname\n');
    const [json] = documentMessages({ kind: 'document', to: { memberId: 'dc:1' }, filename: 'buy.json', mimeType: 'application/json', content: '{}' });
    expect(json.files![0]!.data.toString()).toBe('{}');
  });

  it('sends the file with the first part of a long caption and the rest as messages of their own', () => {
    const messages = documentMessages({ kind: 'document', to: { chatId: 'dc:1' }, filename: 'a.txt', mimeType: 'text/plain', content: 'a', caption: longText });
    expect(messages.length).toBeGreaterThan(1);
    expect(messages[0]).toMatchObject({ files: [{ name: 'a.txt', contentType: 'text/plain' }] });
    expect(messages.slice(1).every((m) => m.files === undefined)).toBe(true);
    expect(messages.map((m) => m.content).join('\n')).toBe(longText);
    expect(documentMessages({ kind: 'document', to: { chatId: 'dc:1' }, filename: 'a.txt', mimeType: 'text/plain', content: 'a' }).map((m) => m.content)).toEqual(['']);
  });
});

describe('buttons', () => {
  it('renders styles, cuts labels to 80 characters and adds the answer button as a row of its own', () => {
    const rows = componentsFor([[{ label: 'L'.repeat(81), action: 'a', style: 'danger' }, { label: 'ok', action: 'b' }]], true)!;
    expect(rows).toEqual([
      { type: 1, components: [{ type: 2, style: 4, label: `${'L'.repeat(79)}…`, custom_id: 'a' }, { type: 2, style: 1, label: 'ok', custom_id: 'b' }] },
      { type: 1, components: [{ type: 2, style: 1, label: '✍️', custom_id: ANSWER_BUTTON_ID }] },
    ]);
    expect(componentsFor(undefined, false)).toBeUndefined();
    expect(componentsFor([], undefined)).toBeUndefined();
  });

  it('makes a contact button a link to the member, and a contact elsewhere than Discord a normal press', () => {
    const buttons: Button[][] = [[
      { label: 'Contact', action: 'rv:contact:1', contact: { memberId: 'dc:42' } },
      { label: 'Contact', action: 'rv:contact:2', contact: { memberId: 'tg:42' } },
    ]];
    expect(componentsFor(buttons, false)![0]!.components).toEqual([
      { type: 2, style: 5, label: 'Contact', url: 'https://discord.com/users/42' },
      { type: 2, style: 1, label: 'Contact', custom_id: 'rv:contact:2' },
    ]);
    expect(() => memberLink({ memberId: 'tg:42' })).toThrow(DeliveryError);
  });

  it('shows at most 5 rows and logs the rest', () => {
    const logger = new RecordingLogger();
    const buttons = Array.from({ length: 6 }, (_, i): Button[] => [{ label: `R${i}`, action: `r:${i}` }]);
    const rows = componentsFor(buttons, true, logger)!;
    expect(rows.map((r) => r.components[0])).toMatchObject(['R0', 'R1', 'R2', 'R3', 'R4'].map((label) => ({ label })));
    expect(logger.entries).toEqual([{ level: 'warn', msg: 'more than 5 button rows: the rest are not shown', obj: { rows: 7 } }]);
  });

  it('accepts a custom_id of exactly 100 characters', () => {
    expect(componentsFor([[{ label: 'x', action: 'x'.repeat(100) }]], false)![0]!.components[0]).toMatchObject({ custom_id: 'x'.repeat(100) });
  });
});

describe('pictures', () => {
  it("upload the core's PNG as an attachment under the reply's file name", () => {
    const file = pictureFile({ kind: 'photo', to: { memberId: 'dc:1' }, filename: 'case-2.png', data: new Uint8Array([0x89, 0x50]), text: 'Case 2' });
    expect(file).toEqual({ name: 'case-2.png', data: Buffer.from([0x89, 0x50]), contentType: 'image/png' });
    expect(messageBody({ content: 'Case 2', files: [file] }).attachments).toEqual([{ id: 0, filename: 'case-2.png' }]);
  });
});
