import { describe, expect, it } from 'vitest';
import { DAY, GROUP, alice, anna, bob, carol, laoLi, useCoreHarness, wang, zhang } from '../../support/core-harness.js';
import { ScriptedTagger, deliveredBuy, ledger, reviewOf, writeReview } from './review-support.js';

const tagger = new ScriptedTagger();
const h = useCoreHarness({ reviewTagger: tagger });

const alertsTo = (who: typeof anna) => h.dmsTo(who).filter((m) => m.startsWith('⚠️'));

describe('tagging and alerts', () => {
  it('tags a review after submission and stores the tags', async () => {
    tagger.failing = false;
    const buyId = await deliveredBuy(h);
    await writeReview(h, alice, buyId, 5, 'Very fresh and sweet');
    const review = (await reviewOf(h, alice, buyId))!;
    expect(review).toMatchObject({ sentiment: 'positive', score: 0.8, aspects: [{ aspect: 'freshness', sentiment: 'positive' }], flags: [], language: 'en', tagger: 'test:scripted' });
    expect(review.taggedAt).not.toBeNull();
    expect(alertsTo(anna)).toEqual([]);
  });

  it('alerts admins and moderators privately at once about a negative review, with its tags and a contact button', async () => {
    tagger.failing = false;
    await h.command(anna, '/mod @zhangwei', { mentions: [zhang] });
    const buyId = await deliveredBuy(h);
    await writeReview(h, bob, buyId, 4, 'Bad: half arrived broken', false);
    expect(alertsTo(anna)).toEqual([
      [
        '⚠️ Unhappy buyer in Strawberry friends: #1 Strawberries',
        'Bob rated it ⭐⭐⭐⭐ (4/5):',
        '“Bad: half arrived broken”',
        'Tags: negative (-0.80) · aspects: — · flags: — · by test:scripted',
        'A quick, kind reply often turns this around.',
      ].join('\n'),
    ]);
    expect(alertsTo(laoLi)[0]).toMatch(/^⚠️ Strawberry friends 有买家不满意：#1 Strawberries\nBob 打了 ⭐⭐⭐⭐（4\/5）：/);
    expect(alertsTo(zhang)).toHaveLength(1);
    const alert = h.port.delivered.find((d) => d.reply.kind === 'message' && 'memberId' in d.reply.to && d.reply.to.memberId === anna.id && d.reply.text.startsWith('⚠️'));
    expect(alert?.reply).toMatchObject({ buttons: [[{ label: '💬 Contact Bob', contact: { memberId: bob.id, username: 'bob' } }]] });
    // Points as for any review, and the text is not posted because Bob said no, not because it is negative.
    expect(await ledger(h, bob)).toEqual(['review:10']);
    await h.press(anna, alert!.reply.kind === 'message' ? alert!.reply.buttons![0]![0]!.action : '', { chat: 'private' });
    expect(h.lastToast()).toBe('Write to Bob (@bob) privately.');
  });

  it('names the tagger as an admin reads it, never by its internal name (offline:v2), in both languages', async () => {
    tagger.failing = false;
    tagger.name = 'offline:v2';
    try {
      const buyId = await deliveredBuy(h);
      await writeReview(h, bob, buyId, 2, 'Bad: half arrived broken', false);
      expect(alertsTo(anna)[0]).toContain('Tags: negative (-0.80) · aspects: — · flags: — · by the offline model');
      expect(alertsTo(laoLi)[0]).toContain('来自 离线模型');
      tagger.name = 'llm:gpt-4o-mini';
      await writeReview(h, alice, buyId, 1, 'Bad and broken', false);
      expect(alertsTo(anna)[1]).toContain('· by gpt-4o-mini');
      for (const alert of [...alertsTo(anna), ...alertsTo(laoLi)]) expect(alert).not.toMatch(/offline:|llm:/);
    } finally {
      tagger.name = 'test:scripted';
    }
  });

  it('alerts on a low rating even when the text reads positive', async () => {
    tagger.failing = false;
    const buyId = await deliveredBuy(h);
    await writeReview(h, alice, buyId, 2, 'Nice packaging');
    expect(alertsTo(anna)).toHaveLength(1);
    // A negative review is posted like any other when its author agrees.
    expect(h.messagesIn().filter((m) => m.startsWith('⭐⭐ Alice on #1'))).toHaveLength(1);
  });

  it('alerts on a low rating when the tagger is down, retries tagging later, and posts once tagged', async () => {
    tagger.failing = true;
    const buyId = await deliveredBuy(h);
    await writeReview(h, alice, buyId, 1, 'Terrible');
    expect(alertsTo(anna)).toHaveLength(1);
    expect(alertsTo(anna)[0]).toContain('Tags: not available');
    expect(h.messagesIn().some((m) => m.includes('Alice on #1'))).toBe(false);
    const retry = h.scheduler.jobs.filter((j) => j.name === 'review.tag');
    expect(retry).toHaveLength(1);
    tagger.failing = false;
    await h.advanceAndRunJobs(10 * 60_000);
    expect((await reviewOf(h, alice, buyId))!.sentiment).toBe('positive');
    expect(alertsTo(anna)).toHaveLength(1);
    expect(h.messagesIn().filter((m) => m.startsWith('⭐ Alice on #1'))).toHaveLength(1);
  });

  it('never posts a review with personal data, whatever its rating, and tells its author why', async () => {
    tagger.failing = false;
    const buyId = await deliveredBuy(h);
    await writeReview(h, alice, buyId, 5, 'Great! Call me on 13800138000');
    await writeReview(h, bob, buyId, 1, 'Bad, call 13800138000');
    expect(h.messagesIn().some((m) => m.includes('13800138000'))).toBe(false);
    const notice = 'is not shown in the group because it contains personal data (phone, address...). The same rule applies to every review; its author can edit it with /review.';
    expect(h.dmsTo(alice).at(-1)).toContain(notice);
    expect(h.dmsTo(bob).at(-1)).toContain(notice);
    expect(await ledger(h, alice)).toEqual(await ledger(h, bob));
  });
});

describe('/feature and /bestreviews', () => {
  it('picks the best reviews by helpful votes and richness, never by rating: a 1-star review with more votes wins', async () => {
    tagger.failing = false;
    const buyId = await deliveredBuy(h, [alice, bob, wang]);
    const negative = await writeReview(h, alice, buyId, 1, 'Bad: mouldy after a day. Ask for a refund.');
    const positive = await writeReview(h, bob, buyId, 5, 'Fresh and sweet!');
    const hidden = await writeReview(h, wang, buyId, 5, '很好吃', false);
    for (const voter of [bob, carol, wang]) await h.press(voter, `rv:vote:${negative}`);
    await h.press(alice, `rv:vote:${positive}`);
    await h.command(anna, '/reviewconfig minvotes 1');
    await h.command(anna, '/bestreviews');
    expect(h.lastMessageIn()).toBe(
      [
        '🏆 Best reviews of 2026-12 (by helpful votes and richness):',
        '1. Alice on #1 Strawberries · 👍 3 · 📷 0: “Bad: mouldy after a day. Ask for a refund.”',
        '2. Bob on #1 Strawberries · 👍 1 · 📷 0: “Fresh and sweet!”',
      ].join('\n'),
    );
    const pins = h.port.delivered.filter((d) => d.reply.kind === 'pin').map((d) => d.messageId);
    const posted = await h.db.prisma.review.findMany({ where: { id: { in: [negative, positive] } }, orderBy: { id: 'asc' } });
    expect(pins.sort()).toEqual(posted.map((r) => r.postedMessageId).sort());
    expect(posted.map((r) => r.bestOfMonth)).toEqual(['2026-12', '2026-12']);
    expect((await h.db.prisma.review.findUnique({ where: { id: hidden } }))!.bestOfMonth).toBeNull();
  });

  it('picks nothing below the minimum of helpful votes (3 by default): a lone 1-star review nobody voted for is not pinned', async () => {
    tagger.failing = false;
    const buyId = await deliveredBuy(h, [alice, bob]);
    const lone = await writeReview(h, alice, buyId, 1, 'Bad: mouldy after a day.');
    await h.press(bob, `rv:vote:${lone}`);
    await h.command(anna, '/bestreviews');
    expect(h.lastMessageIn()).toBe(
      'None of the 1 review shared in 2026-12 has 3 helpful votes yet: nothing is picked or pinned. Members vote with 👍 Helpful; /reviewconfig minvotes <n> changes the minimum.',
    );
    await h.command(laoLi, '/bestreviews');
    expect(h.lastMessageIn()).toBe('2026-12 在群里展示的 1 条评价都还没有达到 3 票“有用”，本月不评选、不置顶。成员可点 👍 有用 投票；/reviewconfig minvotes <n> 可修改最低票数。');
    expect(h.port.delivered.filter((d) => d.reply.kind === 'pin')).toEqual([]);
    expect((await h.db.prisma.review.findUnique({ where: { id: lone } }))!.bestOfMonth).toBeNull();
    // The minimum is a number of votes, never a rating: lowered to 1, the 1-star review with one vote wins.
    await h.command(anna, '/reviewconfig minvotes 1');
    expect(h.lastMessageIn()).toContain('• Best of the month (/bestreviews): at least 1 helpful vote');
    await h.command(anna, '/bestreviews');
    expect(h.lastMessageIn()).toMatch(/^🏆 Best reviews of 2026-12 .*\n1\. Alice on #1 Strawberries · 👍 1/);
    expect((await h.db.prisma.review.findUnique({ where: { id: lone } }))!.bestOfMonth).toBe('2026-12');
  });

  it('ranks richness after votes', async () => {
    tagger.failing = false;
    const buyId = await deliveredBuy(h, [alice, bob]);
    await writeReview(h, alice, buyId, 5, 'Plain');
    await h.command(bob, `/review ${buyId} 2 With photos`, { chat: 'private' });
    const bobs = (await reviewOf(h, bob, buyId))!.id;
    for (let i = 0; i < 3; i++) {
      await h.send({ key: h.nextKey(), platform: 'tg', actor: bob, chat: { id: bob.id, kind: 'private' }, at: h.clock.now(), kind: 'text', text: '', attachments: [{ kind: 'photo', fileId: `f${i}` }] });
    }
    await h.press(bob, `rv:media:${bobs}`, { chat: 'private' });
    await h.press(bob, `rv:share:${bobs}:1`, { chat: 'private' });
    await h.command(laoLi, '/reviewconfig 最少票数 0');
    await h.command(laoLi, '/bestreviews 2026-12');
    expect(h.lastMessageIn()).toMatch(/^🏆 2026-12 最佳评价（按“有用”票数和图文丰富度）：\n1\. Bob 评价 #1 Strawberries · 👍 0 · 📷 3/);
    await h.command(anna, '/bestreviews 2026-11');
    expect(h.lastMessageIn()).toBe('No review was shared in the group in 2026-11: nothing to pick.');
  });

  it('features a shared review and refuses one kept private', async () => {
    tagger.failing = false;
    const buyId = await deliveredBuy(h, [alice, bob]);
    const shared = await writeReview(h, alice, buyId, 2, 'Small but OK');
    const kept = await writeReview(h, bob, buyId, 5, 'Great', false);
    await h.command(anna, `/feature ${shared}`);
    expect(h.lastMessageIn()).toBe(`🌟 Review #${shared} by Alice is now featured.`);
    const edit = h.port.delivered.filter((d) => d.reply.kind === 'edit').at(-1)!;
    expect(edit.reply.kind === 'edit' && edit.reply.text).toContain('🌟 Featured by the admins');
    await h.command(anna, `/feature ${shared}`);
    expect(h.lastMessageIn()).toBe(`Review #${shared} is already featured.`);
    await h.command(anna, `/feature ${kept}`);
    expect(h.lastMessageIn()).toBe(`Review #${kept} is not shown in the group (its author did not agree, or it contains personal data), so it cannot be featured.`);
    await h.command(alice, `/feature ${shared}`);
    expect(h.lastMessageIn()).toBe('Sorry, only group admins can do that.');
  });
});

describe('/reviews', () => {
  it('sends admins a summary: count, average, sentiment split, top aspects with a quote', async () => {
    tagger.failing = false;
    const buyId = await deliveredBuy(h, [alice, bob, wang]);
    await writeReview(h, alice, buyId, 5, 'Very fresh');
    await writeReview(h, bob, buyId, 2, 'Bad, not fresh at all', false);
    await writeReview(h, wang, buyId, 4, '很新鲜');
    await h.command(anna, `/reviews ${buyId}`);
    expect(h.lastMessageIn()).toBe("Anna, I've sent it to you privately.");
    expect(h.dmsTo(anna).at(-1)).toBe(
      [
        '📊 Reviews of #1 Strawberries',
        '3 reviews · average 3.7⭐',
        'Sentiment: 👍 2 positive · 😐 0 neutral · 👎 1 negative · 0 not tagged',
        'Most mentioned:',
        '• freshness (3: 👍 2 👎 1), e.g. “Very fresh”',
      ].join('\n'),
    );
    await h.command(laoLi, '/reviews');
    expect(h.dmsTo(laoLi).at(-1)).toMatch(/^📊 本群的评价\n共 3 条评价 · 平均 3\.7⭐\n情感：👍 正面 2/);
    h.clock.advance(DAY);
    await h.command(bob, '/reviews');
    expect(h.lastMessageIn()).toBe('Sorry, only group admins can do that.');
    expect(GROUP.id).toBe('tg:-100');
  });
});
