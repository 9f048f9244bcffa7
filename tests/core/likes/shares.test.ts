import { describe, expect, it } from 'vitest';
import { alice, anna, bob, carol, GROUP, laoLi, textsOf, useCoreHarness, wang, zhang } from '../../support/core-harness.js';
import { cardNow, cardOf, react, share } from './likes-helpers.js';

const h = useCoreHarness();

const likeEvents = () => h.db.prisma.likeEvent.findMany({ orderBy: { id: 'asc' } });
const shareRow = (id = 1) => h.db.prisma.share.findUniqueOrThrow({ where: { id } });
const points = (memberId: string, reason?: string) => h.db.prisma.pointEntry.findMany({ where: { memberId, ...(reason ? { reason } : {}) } });

describe('share', () => {
  it('posts a card with the author, the text, the photo and a Like button, and remembers where it landed', async () => {
    await share(h, alice, 'These strawberries are huge', { photo: 'ph-1' });
    const card = cardOf(h, 'share:1');
    expect(card.reply.text).toContain('Share 1 by Alice');
    expect(card.reply.text).toContain('These strawberries are huge');
    expect(card.reply.text).toContain('0 likes');
    expect(card.reply.photo).toEqual({ fileId: 'ph-1' });
    expect(card.reply.buttons?.flat().map((b) => b.action)).toEqual(['lk:1']);
    const row = await shareRow();
    expect(row).toMatchObject({ memberId: alice.id, groupId: GROUP.id, photoFileId: 'ph-1', postedChatId: GROUP.id, postedMessageId: card.messageId, likeCount: 0 });
  });

  it('names the buy it refers to, for members of that buy only', async () => {
    const buy = await h.openBuy('Tea | 10 | min 1 | max 5 | ends 2h');
    await h.command(bob, '/join');
    const refused = await share(h, alice, `#${buy.id} Great tea`);
    expect(textsOf(refused)).toEqual([`You can only share about a buy you took part in, and you are not in #${buy.id}.`]);
    await share(h, bob, `#${buy.id} Great tea`);
    expect((await cardNow(h, 'share:1')).text).toContain(`Share 1 by Bob · about #${buy.id} Tea`);
    expect((await shareRow()).buyId).toBe(buy.id);
  });

  it('needs text or a photo, in a group', async () => {
    expect(textsOf(await share(h, alice, ''))).toEqual(['Usage: /share [#buy-id] <text>, with a photo attached (or as a reply to your photo).']);
    expect(textsOf(await share(h, alice, 'hi', { chat: 'private' }))).toEqual(['This command works in a group chat.']);
    await share(h, alice, '', { photo: 'ph-only' });
    expect(await h.db.prisma.share.count()).toBe(1);
  });

  it('speaks Chinese to a Chinese group', async () => {
    await h.command(laoLi, '/lang zh');
    await share(h, wang, '草莓很甜', { photo: 'ph-2' });
    const card = await cardNow(h, 'share:1');
    expect(card.text).toContain('📣 晒单 1 · 王芳');
    expect(card.text).toContain('❤️ 0 个赞');
    expect(card.buttons).toEqual(['❤️ 点赞（0）']);
    await h.press(zhang, 'lk:1');
    expect(h.lastToast()).toBe('已赞晒单 1（1）。再按一次取消。');
    await h.press(wang, 'lk:1');
    expect(h.lastToast()).toBe('这是你自己的晒单：只有别人的赞才算数。');
  });

  it('pays the share points once', async () => {
    await share(h, alice, 'One');
    expect((await points(alice.id, 'share')).map((p) => p.reference)).toEqual(['share:1']);
  });

  it('offers the buyers a share right after delivery', async () => {
    const buy = await h.openBuy('Tea | 10 | min 1 | max 5 | ends 2h');
    await h.command(bob, '/join');
    await h.command(anna, `/closebuy ${buy.id}`);
    await h.command(anna, `/delivered ${buy.id} all`);
    expect(h.dmsTo(bob).some((m) => m.includes(`Share it`) && m.includes(`/share #${buy.id}`))).toBe(true);
  });
});

describe('likes', () => {
  it('likes on a press, unlikes on the next, and keeps every change as an event', async () => {
    await share(h, alice, 'Look');
    await h.press(bob, 'lk:1');
    expect(h.lastToast()).toBe('You like share 1 (1). Press again to unlike.');
    expect((await cardNow(h, 'share:1')).buttons).toEqual(['❤️ Like (1)']);
    await h.press(bob, 'lk:1');
    expect(h.lastToast()).toBe('Like removed from share 1 (0).');
    expect((await cardNow(h, 'share:1')).text).toContain('0 likes');
    expect((await likeEvents()).map((e) => [e.action, e.likerId, e.authorId, e.source, e.platform])).toEqual([
      ['like', bob.id, alice.id, 'button', 'tg'],
      ['unlike', bob.id, alice.id, 'button', 'tg'],
    ]);
    expect((await shareRow()).likeCount).toBe(0);
  });

  it('refuses a like on your own share privately, changing nothing', async () => {
    await share(h, alice, 'Mine');
    const result = await h.press(alice, 'lk:1');
    expect(result.replies).toEqual([{ kind: 'toast', text: 'This is your own share: only likes from others count.', alert: true }]);
    expect(await likeEvents()).toEqual([]);
    expect((await shareRow()).likeCount).toBe(0);
  });

  it('handles the same update twice once', async () => {
    await share(h, alice, 'Look');
    await h.press(bob, 'lk:1');
    const again = await h.resend();
    expect(again.duplicate).toBe(true);
    expect((await shareRow()).likeCount).toBe(1);
    expect(await likeEvents()).toHaveLength(1);
  });

  it('counts each member once however they like, and pays the like points once per pair', async () => {
    await share(h, alice, 'Look');
    await h.press(bob, 'lk:1');
    await react(h, bob, 'share:1', true, '❤');
    await h.press(carol, 'lk:1');
    expect((await shareRow()).likeCount).toBe(2);
    await h.press(bob, 'lk:1'); // unlike
    await h.press(bob, 'lk:1'); // like again
    expect((await points(bob.id, 'like_given')).map((p) => p.reference)).toEqual(['share:1']);
    expect((await points(alice.id, 'like_received'))).toHaveLength(2);
    expect(await h.db.prisma.shareLike.count()).toBe(2);
  });

  it('counts native reactions on the card: added likes, removed unlikes', async () => {
    await share(h, alice, 'Look');
    await react(h, bob, 'share:1', true);
    expect((await cardNow(h, 'share:1')).buttons).toEqual(['❤️ Like (1)']);
    await react(h, bob, 'share:1', false);
    expect((await shareRow()).likeCount).toBe(0);
    expect((await likeEvents()).map((e) => [e.action, e.source])).toEqual([['like', 'reaction'], ['unlike', 'reaction']]);
    // Reactions on any other message, and on one's own share, change nothing.
    await react(h, alice, 'share:1', true);
    expect((await shareRow()).likeCount).toBe(0);
  });
});
