/**
 * Buttons are untrusted input: a modified client can send any action with any id. The kernel checks each press
 * against what its module declares (who may press it, and that its target belongs to the chat it was pressed in).
 */
import { describe, expect, it } from 'vitest';
import { GROUP, OTHER_GROUP, alice, anna, bob, useCoreHarness, zhang } from '../support/core-harness.js';
import { deliveredBuy, ledger, ScriptedTagger, writeReview } from './reviews/review-support.js';
import { share } from './likes/likes-helpers.js';

const tagger = new ScriptedTagger();
const h = useCoreHarness({ reviewTagger: tagger });

describe('forged button presses', () => {
  it('refuses a Like on a share of another group: nothing is counted and no points are paid', async () => {
    await share(h, alice, 'Lovely strawberries', { photo: 'p1' });
    const before = await h.store.likes.getShare(1);
    expect(before?.groupId).toBe(GROUP.id);
    // Bob presses `lk:1` in another group's chat, as a modified client could.
    await h.press(bob, 'lk:1', { chat: OTHER_GROUP });
    expect(h.lastToast()).toBe('This button is no longer valid.');
    expect((await h.store.likes.getShare(1))?.likeCount).toBe(0);
    expect(await h.store.pointsBalance(OTHER_GROUP.id, bob.id)).toBe(0);
    const likesPaid = (await h.store.points.ledger(GROUP.id, alice.id, 50)).filter((e) => e.reason === 'likes_received');
    expect(likesPaid).toEqual([]);
    // In its own group the same press counts.
    await h.press(bob, 'lk:1');
    expect((await h.store.likes.getShare(1))?.likeCount).toBe(1);
  });

  it('refuses a Join for a buy of another group', async () => {
    await h.openBuy('Tea | 10 | min 1 | max 5 | ends 2h');
    await h.press(bob, 'join:1', { chat: OTHER_GROUP });
    expect(h.lastToast()).toBe('This button is no longer valid.');
    expect(await h.participants(1)).toEqual([]);
  });

  it('answers the contact button of a negative review only to the group’s admins and moderators', async () => {
    tagger.failing = false;
    const buyId = await deliveredBuy(h);
    await writeReview(h, bob, buyId, 1, 'Half arrived broken', false);
    expect(await ledger(h, bob)).toHaveLength(1);
    // Alice, a member, forges the admins' contact button for Bob's review.
    await h.press(alice, 'rv:contact:1', { chat: 'private' });
    expect(h.lastToast()).toBe('Sorry, only group admins and moderators can do that.');
    expect(h.toasts().some((t) => t.includes('Bob'))).toBe(false);
    // A moderator named with /mod may use it, as may an admin.
    await h.command(anna, '/mod @zhangwei', { mentions: [zhang] });
    await h.press(zhang, 'rv:contact:1', { chat: 'private' });
    expect(h.lastToast()).toBe('请私信联系 Bob（@bob）。');
    await h.press(anna, 'rv:contact:1', { chat: 'private' });
    expect(h.lastToast()).toBe('Write to Bob (@bob) privately.');
  });

  it('lets only a review’s author press its own review buttons', async () => {
    tagger.failing = false;
    const buyId = await deliveredBuy(h);
    await writeReview(h, bob, buyId, 4, 'Sweet', false);
    await h.press(alice, 'rv:share:1:1', { chat: 'private' });
    expect(h.lastToast()).toBe('This button is not for you.');
    expect((await h.store.reviews.getReview(1))?.shareConsent).toBe(false);
  });

  it('treats unknown or malformed actions as stale', async () => {
    for (const action of ['nope:1', 'join:abc', 'join:', 'lk:99999']) {
      await h.press(bob, action);
      expect(h.lastToast()).toBe('This button is no longer valid.');
    }
  });
});

describe('declared requirements', () => {
  it('refuses an admin command to a member and a group command in private, in the member’s language', async () => {
    await h.command(bob, '/closebuy');
    expect(h.port.delivered.at(-1)?.reply).toMatchObject({ text: 'Sorry, only group admins can do that.' });
    await h.command(anna, '/newbuy Tea | 10 | min 1 | max 5 | ends 2h', { chat: 'private' });
    expect(h.port.delivered.at(-1)?.reply).toMatchObject({ text: 'This command works in a group chat.' });
  });
});
