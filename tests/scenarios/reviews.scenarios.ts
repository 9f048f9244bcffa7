/**
 * Review prompting scenarios every chat adapter must pass: after a delivery each buyer is asked privately, rates
 * with the star buttons, writes a few words and sends photos or a video to the bot privately, and agrees to show
 * the review; the card lands in the group with its Helpful button; a negative review alerts the group's admins
 * privately with a link to the member; /bestreviews pins the month's best. Played by tests/telegram/reviews.e2e.test.ts
 * and tests/discord/reviews.e2e.test.ts. Reviews are tagged by the test world's scripted tagger (negative for
 * "bad", "broken", "差", "烂").
 */
import { said, type MemberSpec, type Scenario, type Step } from './scenario.js';

/** Sunday 2026-12-20 10:00 in Shanghai: requests come three days later, outside the quiet hours. */
const SUNDAY = new Date('2026-12-20T02:00:00Z');

/** The buyers speak their own language, whatever the scenario is played in. Bob has no username (Telegram allows that). */
export const reviewCast: Record<string, MemberSpec> = {
  anna: { name: 'Anna', username: 'anna', admin: true, language: 'en' },
  alice: { name: 'Alice', username: 'alice', language: 'en' },
  wang: { name: '王芳', username: 'wangfang', language: 'zh' },
  bob: { name: 'Bob', language: 'en' },
};

/** Anna opens a buy, the buyers join with the card's button, and Anna closes it and marks everyone delivered. */
function deliveredTo(buyers: string[]): Step[] {
  return [
    { as: 'anna', command: '/newbuy Strawberries | 10 | min 1 | max 50 | ends 2h' },
    ...buyers.map((buyer): Step => ({ as: buyer, press: 'join' })),
    { expect: { card: [new RegExp(`Participants \\(${buyers.length}\\)`)] } },
    { as: 'anna', command: '/closebuy' },
    { expect: { announcement: /is formed/ } },
    { as: 'anna', command: '/delivered all' },
    { expect: { groupMessage: /^📦 Marked delivered in #1: / } },
  ];
}

const helpful = (count: number) => new RegExp(`^👍 Helpful \\(${count}\\)$`);

/** Delivered to Alice, 王芳 and Bob; three days later 王芳 gives it one star and unkind words, with a video. */
export const wangReviewsBadly: Step[] = [
  ...deliveredTo(['alice', 'wang', 'bob']),
  { advanceClock: '3d', runDueJobs: true },
  { expect: { dm: { to: 'wang', matches: /^📝 #1 Strawberries（Strawberry friends）用得怎么样？/ } } },
  { as: 'wang', press: 'rv:rate', label: /^1⭐$/, on: 'private' },
  { expect: { dm: { to: 'wang', matches: /^#1：⭐。请用几句话说说/, kept: true } } },
  // The words make it a review: the admins hear at once of an unhappy buyer, with a link to write to her.
  { as: 'wang', post: '太差了，一半都烂了', in: 'private' },
  {
    expect: {
      dm: [
        { to: 'wang', matches: /^感谢你的评价！\+10 积分（余额 35）。/ },
        {
          to: 'anna',
          matches: /^⚠️ Unhappy buyer in Strawberry friends: #1 Strawberries\n[\s\S]*王芳 rated it ⭐ \(1\/5\):\n“太差了，一半都烂了”\nTags: negative \(-0\.80\)/,
          buttons: [],
          links: [{ label: /^💬 Contact 王芳$/, to: 'wang' }],
        },
      ],
      noDmTo: ['alice', 'bob'],
    },
  },
  // A video of 20 s makes the review rich (where the platform reports a video's length).
  { as: 'wang', post: '', video: { name: 'rotten.mp4', seconds: 20 }, in: 'private' },
  { expect: { dm: { to: 'wang', matches: /优质评价加赠：\+10 积分（余额 45）/, buttons: [/^完成$/] } } },
  { as: 'wang', press: 'rv:media', on: 'private' },
  { expect: { dm: { to: 'wang', matches: /^可以把你的评价连同昵称展示在群/, kept: true, buttons: [/^可以，展示$/, /^不，仅自己可见$/] } } },
  { as: 'wang', press: 'rv:share', label: /^可以，展示$/, on: 'private' },
  // Shown in the group now; the admins were told once, when she wrote.
  { expect: { card: [/^⭐ 王芳 on #1 Strawberries$/m], cardButtonLabels: [helpful(0)], noDmTo: 'anna' } },
];

/** Alice gives five stars and kind words, skips the photos and shares it. */
export const aliceReviewsWell: Step[] = [
  { as: 'alice', press: 'rv:rate', label: /^5⭐$/, on: 'private' },
  { expect: { dm: { to: 'alice', matches: /^⭐⭐⭐⭐⭐ for #1/ } } },
  { as: 'alice', post: 'Perfect, loved them', in: 'private' },
  { expect: { dm: { to: 'alice', matches: /^Thank you for your review!/, buttons: [/^Skip$/] } } },
  { as: 'alice', press: 'rv:media', on: 'private' },
  { as: 'alice', press: 'rv:share', label: /^Yes, share it$/, on: 'private' },
  { expect: { card: [/^⭐⭐⭐⭐⭐ Alice on #1/m], cardsPosted: 3 } },
];

export const reviewScenarios: Scenario[] = [
  {
    name: 'a buyer is asked privately after the delay and gives stars, words, photos and consent; the card in the group gets helpful votes',
    languages: ['en'],
    members: reviewCast,
    startsAt: SUNDAY,
    steps: [
      ...deliveredTo(['alice', 'wang']),
      { advanceClock: '2d', runDueJobs: true },
      { expect: { noDmTo: ['alice', 'wang'] } },
      { advanceClock: '1d', runDueJobs: true },
      {
        expect: {
          dm: [
            { to: 'alice', matches: /^📝 How was #1 Strawberries \(Strawberry friends\)\?/, buttons: ['1⭐', '2⭐', '3⭐', '4⭐', '5⭐'].map((s) => new RegExp(`^${s}$`)) },
            { to: 'wang', matches: /^📝 #1 Strawberries（Strawberry friends）用得怎么样？/, buttons: [/^1⭐$/, /^2⭐$/, /^3⭐$/, /^4⭐$/, /^5⭐$/] },
          ],
        },
      },
      { as: 'alice', press: 'rv:rate', label: /^4⭐$/, on: 'private' },
      {
        expect: {
          // The next question stays in the private chat's history; only the brief notice may vanish.
          dm: { to: 'alice', matches: /^⭐⭐⭐⭐ for #1\. Now tell us in a few words what you liked or did not like\./, kept: true },
          toast: { to: 'alice', matches: /^4⭐ noted$/ },
        },
      },
      { as: 'alice', post: 'Sweet and fresh, a bit small.', in: 'private' },
      { expect: { dm: { to: 'alice', matches: /^Thank you for your review! \+10 points \(balance 35\)\./, buttons: [/^Skip$/] } } },
      // Three photos (Telegram: an album of three messages; Discord: one message with three files).
      { as: 'alice', post: 'the box', photos: ['box-1.jpg', 'box-2.jpg', 'box-3.jpg'], in: 'private' },
      {
        expect: {
          dm: { to: 'alice', matches: /^Got it: 3 photos, 0 videos\. Send more, or press Done\.\n📸 Rich review bonus: \+10 points \(balance 45\)\.$/, buttons: [/^Done$/] },
        },
      },
      { as: 'alice', press: 'rv:media', on: 'private' },
      { expect: { dm: { to: 'alice', matches: /^May I show your review in the group Strawberry friends/, kept: true } } },
      { as: 'alice', press: 'rv:share', label: /^Yes, share it$/, on: 'private' },
      {
        expect: {
          dm: { to: 'alice', matches: /^✅ Done\. Your review will appear in the group\./ },
          cardsPosted: 2,
          card: [/^⭐⭐⭐⭐ Alice on #1 Strawberries\n“Sweet and fresh, a bit small\.”\n📷 3 photos · 🎬 0 videos\n📸 Rich review\nReview #1 · a helpful review\? Tap below\.$/],
          cardButtonLabels: [helpful(0)],
        },
      },
      { as: 'wang', press: 'rv:vote' },
      {
        expect: {
          cardButtonLabels: [helpful(1)],
          toast: { to: 'wang', matches: /^已标记为有用（1）。$/ },
          review: { by: 'alice', rating: 4, photos: ['box-1.jpg', 'box-2.jpg', 'box-3.jpg'], consent: true, helpfulVotes: 1, card: 2 },
          points: { member: 'alice', reason: 'review', entries: [{ amount: 10, key: 'review:1' }, { amount: 10, key: 'review_rich:1' }] },
        },
      },
    ],
  },

  {
    name: 'a negative review alerts the admins privately with a link to the member; /bestreviews picks by helpful votes and pins',
    languages: ['en'],
    members: reviewCast,
    startsAt: SUNDAY,
    steps: [
      ...wangReviewsBadly,
      // Bob rates two stars and says why: an alert too, with a link to him (he has no username on Telegram).
      { as: 'bob', press: 'rv:rate', label: /^2⭐$/, on: 'private' },
      { expect: { dm: { to: 'bob', matches: /^⭐⭐ for #1/ } } },
      { as: 'bob', post: 'Bad, they were broken', in: 'private' },
      { expect: { dm: { to: 'anna', matches: /^⚠️ Unhappy buyer in Strawberry friends: #1 Strawberries\n[\s\S]*Bob rated it ⭐⭐ \(2\/5\)/, buttons: [], links: [{ label: /^💬 Contact Bob$/, to: 'bob' }] } } },
      // Alice's glowing review gets fewer votes: the one-star review with more votes is the month's best.
      ...aliceReviewsWell,
      { as: 'alice', press: 'rv:vote', on: { card: 2 } },
      { as: 'bob', press: 'rv:vote', on: { card: 2 } },
      { expect: { cardNumber: 2, cardButtonLabels: [helpful(2)] } },
      // The best of the month needs helpful votes (3 by default); this small group asks for none.
      { as: 'anna', command: '/reviewconfig minvotes 0' },
      { as: 'anna', command: '/bestreviews' },
      {
        expect: {
          announcement: /^🏆 Best reviews of 2026-12 \(by helpful votes and richness\):\n1\. 王芳 on #1 Strawberries · 👍 2 · 📷 0: “太差了，一半都烂了”\n2\. Alice on #1/,
          pinnedCards: [3, 2],
          cardNumber: 2,
          card: [/🏆 Best review of 2026-12/],
        },
      },
    ],
  },

  {
    name: 'a member stops review requests privately and takes them up again in the group',
    members: { bob: { name: 'Bob', username: 'bob' } },
    startsAt: SUNDAY,
    steps: [
      { as: 'bob', command: '/stop reviews', in: 'private' },
      {
        expect: {
          dm: { to: 'bob', matches: said(/^OK: no more review requests\. Send \/start reviews to get them again\.$/, /^好的：不再向你发送评价邀请。发送 \/start reviews 可恢复。$/) },
          reviewsStopped: { member: 'bob', stopped: true },
        },
      },
      { as: 'bob', command: '/start reviews' },
      { expect: { groupMessage: said(/^OK: you will be asked for reviews again after deliveries\.$/, /^好的：以后送达后会再邀请你评价。$/), reviewsStopped: { member: 'bob', stopped: false } } },
      // Without a topic, /start greets with what the bot does.
      { as: 'bob', command: '/start', in: 'private' },
      { expect: { dm: { to: 'bob', matches: /\/checkin|\/review/ } } },
    ],
  },
];
