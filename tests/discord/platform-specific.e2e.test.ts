/**
 * What only Discord does, beside the shared scenarios (tests/scenarios/, played by the other e2e files here): a share
 * card carries a copy of the member's photo as an attachment shown as its embed image (Discord's attachment URLs
 * expire after about a day), kept when the card is edited; a buy's product photo removed (its message deleted, or
 * where Discord refuses, its image taken off); a negative review's alert reaches every admin Discord knows
 * of (owner, Manage Server, a configured admin role) with a link button; a pin is one request. The real discord.js
 * adapter against the fake gateway and REST server, on a real Core.
 */
import { describe, expect, it } from 'vitest';
import { aliceSharesAPhoto } from '../scenarios/likes.scenarios.js';
import { aliceReviewsWell, reviewCast, wangReviewsBadly } from '../scenarios/reviews.scenarios.js';
import type { FakeUser, StoredMessage } from '../support/fake-discord-server.js';
import { useDiscordWorld } from '../support/platform-world.js';

/** The review cast, and Carol: an admin only by a role the bot is configured to treat as admin, without Manage Server. */
const t = useDiscordWorld({ ...reviewCast, carol: { name: 'Carol', username: 'carol', admin: true } }, { discord: { adminsByRole: ['carol'] } });

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

describe('a buy’s product photo on Discord', () => {
  it('goes with /editbuy photo off; where Discord refuses the deletion, the image and its upload come off and the words say so', async () => {
    await t.play([
      { as: 'anna', command: '/newbuy Tea | 10 | min 1 | max 9 | ends 2h', photo: 'tea.jpg' },
      { expect: { photoPosts: [{ text: /^🛒 #1 Tea$/, photo: 'tea.jpg', edited: false }] } },
      { as: 'anna', command: '/editbuy photo off' },
      { expect: { groupMessage: /^✏️ #1 changed \(product photo removed\)/, photoPosts: [] } },
      { as: 'anna', command: '/newbuy Rice | 10 | min 1 | max 9 | ends 2h', photo: 'rice.jpg' },
    ]);
    t.driver.server.refuseDeletes();
    await t.play([
      { as: 'anna', command: '/editbuy #2 photo off' },
      { expect: { groupMessage: /^✏️ #2 changed \(product photo removed\)/, photoPosts: [{ text: /^🛒 #2 Rice: the product photo was removed\.$/, photo: null, edited: true }] } },
    ]);
  });
});

describe('review alerts and pins on Discord', () => {
  it('reach every admin Discord knows of, by DM with a link button to the member; /bestreviews pins each winner once', async () => {
    const { server, guild } = t.driver;
    const wang = t.driver.user('wang');
    const dm = (key: string) => server.channelMessages(server.dmChannelOf(t.driver.user(key)));
    await t.play(wangReviewsBadly);
    // Anna has Manage Server: the alert carries one link button (style 5) to 王芳's profile.
    const alert = dm('anna').find((m) => m.content.startsWith('⚠️'))!;
    expect(alert.components).toEqual([{ type: 1, components: [{ type: 2, style: 5, label: '💬 Contact 王芳', url: `https://discord.com/users/${wang.id}` }] }]);
    // Carol is an admin only by a configured role; she never spoke to the bot, so she reads its default language.
    const carolAlert = dm('carol').find((m) => m.content.startsWith('⚠️'));
    expect(carolAlert?.components.flatMap((row: any) => row.components)).toEqual([
      { type: 2, style: 5, label: expect.stringContaining('王芳'), url: `https://discord.com/users/${wang.id}` },
    ]);
    // The server's owner, whom the bot never saw in a channel, is told too.
    expect(server.channelMessages(server.dmChannelOf({ id: guild.ownerId } as FakeUser)).filter((m) => m.content.startsWith('⚠️'))).toHaveLength(1);

    await t.play([...aliceReviewsWell, { as: 'alice', press: 'rv:vote', on: { card: 2 } }, { as: 'anna', command: '/reviewconfig minvotes 0' }, { as: 'anna', command: '/bestreviews' }, { expect: { pinnedCards: [3, 2] } }]);
    expect(server.calls((c) => c.method === 'PUT' && /\/pins\//.test(c.path))).toHaveLength(2);
  });
});
