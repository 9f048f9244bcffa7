/**
 * What only Discord does, beside the shared scenarios (tests/scenarios/, played by the other e2e files here): a share
 * card carries a copy of the member's photo as an attachment shown as its embed image (Discord's attachment URLs
 * expire after about a day), kept when the card is edited. The real discord.js adapter against the fake gateway and
 * REST server, on a real Core.
 */
import { describe, expect, it } from 'vitest';
import { aliceSharesAPhoto } from '../scenarios/likes.scenarios.js';
import { useDiscordWorld } from '../support/platform-world.js';
import type { StoredMessage } from '../support/fake-discord-server.js';

const t = useDiscordWorld({
  anna: { name: 'Anna', username: 'anna', admin: true },
  alice: { name: 'Alice', username: 'alice' },
  bob: { name: 'Bob', username: 'bob' },
  wang: { name: '王芳', username: 'wangfang', language: 'zh' },
});

/** The newest card, as the server holds it now. */
function card(): StoredMessage {
  const id = t.driver.cards().at(-1)?.messageId;
  if (!id) throw new Error('no card was posted');
  return t.driver.server.message(id)!;
}

describe('share cards on Discord', () => {
  it('show a copy of the photo from the attachment option as their embed image, kept when the card is edited', async () => {
    await t.play(aliceSharesAPhoto);
    expect(card().embeds).toEqual([{ image: { url: 'attachment://photo.jpg' } }]);
    expect(card().attachments.map((a) => a.content.toString())).toEqual(['fake image/jpeg berries.jpg']);
    await t.play([{ as: 'bob', press: 'lk' }, { as: 'anna', react: '❤️' }, { expect: { card: [/❤️ 2 likes/] } }]);
    expect(card().embeds).toEqual([{ image: { url: 'attachment://photo.jpg' } }]);
    expect(card().attachments).toHaveLength(1);
  });

  it('have no embed when the share has words only', async () => {
    await t.play([{ as: 'wang', command: '/share 很甜' }, { expect: { card: [/很甜/] } }]);
    expect(card().embeds).toEqual([]);
    expect(card().attachments).toEqual([]);
  });

  it('show a copy of the photo of the member’s own message shared with "Share photo"', async () => {
    await t.play([
      { as: 'wang', post: '自己做的果酱', photos: ['jam.png'], name: 'jam' },
      { as: 'wang', command: '/share 自己做的果酱', replyTo: 'jam' },
      { expect: { card: [/自己做的果酱/], shares: [{ by: 'wang', photo: 'jam.png', card: 1 }] } },
    ]);
    expect(card().embeds).toEqual([{ image: { url: 'attachment://photo.png' } }]);
    expect(card().attachments.map((a) => a.content.toString())).toEqual(['fake image/png jam.png']);
  });
});
