import { describe, expect, it } from 'vitest';
import { DAY, GROUP, alice, anna, bob, carol, textsOf, useCoreHarness, wang } from '../../support/core-harness.js';
import { deliveredBuy, ledger, photos, points, rate, reviewOf, sendMedia, writeReview } from './review-support.js';

const h = useCoreHarness();

describe('the private review flow', () => {
  it('takes stars, text, photos and consent, pays once, and posts a card in the group', async () => {
    const buyId = await deliveredBuy(h);
    await rate(h, alice, buyId, 4);
    expect(h.lastToast()).toBe('4⭐ noted');
    expect(h.dmsTo(alice).at(-1)).toBe('⭐⭐⭐⭐ for #1. Now tell us in a few words what you liked or did not like.');
    await h.text(alice, 'Sweet and fresh, a bit small.', { chat: 'private' });
    expect(h.dmsTo(alice).at(-1)).toContain('Thank you for your review! +10 points (balance 35).');
    const review = (await reviewOf(h, alice, buyId))!;
    expect(review).toMatchObject({ rating: 4, text: 'Sweet and fresh, a bit small.', step: 'media' });
    expect(review.submittedAt).toEqual(h.clock.now());

    await sendMedia(h, alice, photos(2));
    expect(h.dmsTo(alice).at(-1)).toBe('Got it: 2 photos, 0 videos. Send more, or press Done.');
    await sendMedia(h, alice, photos(1, 'q'), 'one more');
    expect(h.dmsTo(alice).at(-1)).toBe('Got it: 3 photos, 0 videos. Send more, or press Done.\n📸 Rich review bonus: +10 points (balance 45).');
    await sendMedia(h, alice, photos(1, 'r'));
    expect(await ledger(h, alice)).toEqual(['review:10', 'review_rich:10']);

    await h.press(alice, `rv:media:${review.id}`, { chat: 'private' });
    expect(h.dmsTo(alice).at(-1)).toBe('May I show your review in the group Strawberry friends, with your name? Either way your points stay yours.');
    await h.press(alice, `rv:share:${review.id}:1`, { chat: 'private' });
    expect(h.dmsTo(alice).at(-1)).toContain('✅ Done. Your review will appear in the group.');
    expect(h.lastMessageIn()).toBe(
      '⭐⭐⭐⭐ Alice on #1 Strawberries\n“Sweet and fresh, a bit small.”\n📷 4 photos · 🎬 0 videos\n📸 Rich review\nReview #1 · a helpful review? Tap below.',
    );
    const posted = await reviewOf(h, alice, buyId);
    expect(posted).toMatchObject({ shareConsent: true, step: 'done', postedChatId: GROUP.id, photoCount: 4 });
    expect(posted!.postedMessageId).not.toBeNull();
  });

  it('speaks Chinese to a Chinese member', async () => {
    const buyId = await deliveredBuy(h);
    await rate(h, wang, buyId, 5);
    expect(h.dmsTo(wang).at(-1)).toBe('#1：⭐⭐⭐⭐⭐。请用几句话说说你喜欢或不满意的地方。');
    await h.text(wang, '草莓很新鲜，很甜', { chat: 'private' });
    expect(h.dmsTo(wang).at(-1)).toContain('感谢你的评价！+10 积分（余额 35）。');
    const id = (await reviewOf(h, wang, buyId))!.id;
    await h.press(wang, `rv:media:${id}`, { chat: 'private' });
    await h.press(wang, `rv:share:${id}:0`, { chat: 'private' });
    expect(h.dmsTo(wang).at(-1)).toBe('✅ 完成。只有群管理员能看到你的评价。一周内可以修改：/review 1 <1-5> <内容>。');
    expect(h.messagesIn().some((m) => m.includes('草莓很新鲜'))).toBe(false);
  });

  it('takes a whole review in one line with /review, and a second /review within the week edits it without paying again', async () => {
    const buyId = await deliveredBuy(h);
    await h.command(bob, `/review ${buyId} 2 Half of them were bruised.`, { chat: 'private' });
    expect(h.dmsTo(bob).at(-1)).toContain('Thank you for your review! +10 points (balance 35).');
    h.clock.advance(6 * DAY);
    await h.command(bob, `/review #${buyId} 3 Half bruised, but the seller replaced them.`, { chat: 'private' });
    expect(h.dmsTo(bob).at(-1)).toContain('Your review is updated.');
    expect(await reviewOf(h, bob, buyId)).toMatchObject({ rating: 3, text: 'Half bruised, but the seller replaced them.' });
    expect(await points(h, bob)).toBe(35);
    h.clock.advance(2 * DAY);
    await h.command(bob, `/review ${buyId} 5 Changed my mind`, { chat: 'private' });
    expect(h.dmsTo(bob).at(-1)).toBe('Your review of #1 can no longer be changed: reviews can be edited for a week.');
    await rate(h, bob, buyId, 1);
    expect(h.lastToast()).toBe('Your review of #1 can no longer be changed: reviews can be edited for a week.');
    expect(await reviewOf(h, bob, buyId)).toMatchObject({ rating: 3 });
  });

  it('lets the flow edit a review: new stars, "-" keeps the text', async () => {
    const buyId = await deliveredBuy(h);
    await writeReview(h, alice, buyId, 5, 'Lovely', false);
    await rate(h, alice, buyId, 3);
    expect(h.dmsTo(alice).at(-1)).toBe('⭐⭐⭐ for #1. Send your new text, or "-" to keep the one you wrote.');
    await h.text(alice, '-', { chat: 'private' });
    expect(await reviewOf(h, alice, buyId)).toMatchObject({ rating: 3, text: 'Lovely' });
    expect(await ledger(h, alice)).toEqual(['review:10']);
  });

  it('refuses members who did not receive the buy, and bad input', async () => {
    const buyId = await deliveredBuy(h, [alice]);
    await h.command(carol, `/review ${buyId} 5 Great`, { chat: 'private' });
    expect(h.dmsTo(carol).at(-1)).toBe('You did not take part in #1 Strawberries: only its buyers can review it.');
    await rate(h, carol, buyId, 5);
    expect(h.lastToast()).toBe('You did not take part in #1 Strawberries: only its buyers can review it.');
    // A buy that does not exist is named as such, not as "not delivered yet".
    await h.command(alice, '/review 99 5 Great', { chat: 'private' });
    expect(h.dmsTo(alice).at(-1)).toBe('There is no buy #99. /mybuys lists the buys you took part in.');
    await h.command(wang, '/review 99 5 很好', { chat: 'private' });
    expect(h.dmsTo(wang).at(-1)).toBe('没有 #99 这个拼团。/mybuys 可查看你参加过的拼团。');
    const inGroup = textsOf(await h.command(alice, '/review 99 5 Great'));
    expect(inGroup.join('\n')).toContain('There is no buy #99 in this chat.');
    await h.command(alice, `/review ${buyId} 6 Great`, { chat: 'private' });
    expect(h.dmsTo(alice).at(-1)).toBe('"6" is not a rating: use a whole number from 1 to 5.');
    await h.command(alice, '/review 1 5', { chat: 'private' });
    expect(h.dmsTo(alice).at(-1)).toBe('Usage: /review <buy-id> <1-5> <text>, e.g. /review 12 4 Sweet and fresh, a bit small.');
    await h.command(wang, '/review 1 5', { chat: 'private' });
    expect(h.dmsTo(wang).at(-1)).toBe('用法：/review <团号> <1-5> <内容>，例如 /review 12 4 很甜很新鲜，个头有点小。');
    expect(await h.db.prisma.review.count()).toBe(0);
  });

  it('asks for words before photos', async () => {
    const buyId = await deliveredBuy(h);
    await rate(h, alice, buyId, 4);
    await sendMedia(h, alice, photos(1));
    expect(h.dmsTo(alice).at(-1)).toBe('Please write a few words first; photos can follow.');
    await sendMedia(h, alice, photos(3), 'Great, see photos');
    expect(await reviewOf(h, alice, buyId)).toMatchObject({ text: 'Great, see photos', photoCount: 3 });
    expect(await ledger(h, alice)).toEqual(['review:10', 'review_rich:10']);
  });

  it('pays the rich bonus for a video of at least 15 seconds, not for a shorter one', async () => {
    const buyId = await deliveredBuy(h);
    await rate(h, alice, buyId, 5);
    await h.text(alice, 'Look!', { chat: 'private' });
    await sendMedia(h, alice, [{ kind: 'video', fileId: 'v1', durationSeconds: 14 }]);
    expect(await ledger(h, alice)).toEqual(['review:10']);
    await sendMedia(h, alice, [{ kind: 'video', fileId: 'v2', durationSeconds: 15 }]);
    expect(await ledger(h, alice)).toEqual(['review:10', 'review_rich:10']);
    expect(await reviewOf(h, alice, buyId)).toMatchObject({ videoSeconds: 15, photoCount: 0 });
  });
});

describe('rewards', () => {
  it('are the same for a 1-star and a 5-star review', async () => {
    const buyId = await deliveredBuy(h);
    await writeReview(h, alice, buyId, 1, 'Bad, half of them were rotten.');
    await writeReview(h, bob, buyId, 5, 'Best strawberries ever.');
    expect(await ledger(h, alice)).toEqual(await ledger(h, bob));
    expect(await points(h, alice)).toBe(35);
    expect(await points(h, bob)).toBe(35);
  });

  it('are never paid twice for duplicate updates or repeated presses', async () => {
    const buyId = await deliveredBuy(h);
    await rate(h, alice, buyId, 5);
    await h.resend();
    await h.text(alice, 'Great', { chat: 'private' });
    expect((await h.resend()).duplicate).toBe(true);
    const id = (await reviewOf(h, alice, buyId))!.id;
    await sendMedia(h, alice, photos(3));
    await h.resend();
    await h.press(alice, `rv:media:${id}`, { chat: 'private' });
    await h.press(alice, `rv:media:${id}`, { chat: 'private' });
    expect(h.lastToast()).toBe('Already done.');
    await h.press(alice, `rv:share:${id}:1`, { chat: 'private' });
    await h.resend();
    await h.press(alice, `rv:share:${id}:1`, { chat: 'private' });
    expect(h.lastToast()).toBe('Already done.');
    expect(await ledger(h, alice)).toEqual(['review:10', 'review_rich:10']);
    expect(h.messagesIn().filter((m) => m.includes('Alice on #1'))).toHaveLength(1);
    expect(await h.db.prisma.review.count()).toBe(1);
  });

  it('follow the group\'s settings', async () => {
    await h.command(anna, '/reviewconfig reward 25');
    await h.command(anna, '/reviewconfig bonus 0');
    const buyId = await deliveredBuy(h);
    await rate(h, alice, buyId, 2);
    await sendMedia(h, alice, photos(3), 'meh');
    expect(await ledger(h, alice)).toEqual(['review:25']);
  });
});

describe('helpful votes', () => {
  it('count one vote per member; pressing again takes it back; authors cannot vote', async () => {
    const buyId = await deliveredBuy(h);
    const id = await writeReview(h, alice, buyId, 3, 'OK');
    await h.press(bob, `rv:vote:${id}`);
    expect(h.lastToast()).toBe('Marked as helpful (1).');
    await h.press(carol, `rv:vote:${id}`);
    await h.press(bob, `rv:vote:${id}`);
    expect(h.lastToast()).toBe('Vote removed (1).');
    await h.press(alice, `rv:vote:${id}`);
    expect(h.lastToast()).toBe('You cannot vote for your own review.');
    await h.press(wang, `rv:vote:${id}`);
    expect(h.lastToast()).toBe('已标记为有用（2）。');
    expect((await reviewOf(h, alice, buyId))!.helpfulVotes).toBe(2);
    const edits = h.port.delivered.filter((d) => d.reply.kind === 'edit');
    expect(edits.at(-1)!.reply).toMatchObject({ buttons: [[{ label: '👍 Helpful (2)', action: `rv:vote:${id}` }]] });
  });
});

describe('the first review', () => {
  it('earns the first-review badge as soon as it is submitted, once', async () => {
    const buyId = await deliveredBuy(h);
    await writeReview(h, alice, buyId, 2, 'Too sour for me.');
    const badge = '🏅 Alice earned the badge “First review”: a first review written.';
    expect(h.messagesIn().filter((text) => text === badge)).toHaveLength(1);
    await h.command(alice, `/review ${buyId} 3 Too sour, but fresh.`, { chat: 'private' });
    expect(h.messagesIn().filter((text) => text === badge)).toHaveLength(1);
  });
});
