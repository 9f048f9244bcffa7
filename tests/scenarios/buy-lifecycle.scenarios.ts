/**
 * A buy's life after it opens, on every chat adapter (a contract test played by tests/telegram/buy-lifecycle.e2e.test.ts
 * and tests/discord/buy-lifecycle.e2e.test.ts): the card's bar, time left and FULL state, an admin's edits told to
 * each member (description and photo too, a photo removed), the closing-soon announcement once, /cancelbuy asking first, a reopen, and a delivery un-marked.
 * Each scenario starts at 2026-03-10 10:00 Shanghai time in a fresh group, so the first buy is #1.
 */
import { said, type MemberSpec, type Scenario } from './scenario.js';

const cast: Record<string, MemberSpec> = {
  admin: { name: 'Anna', username: 'anna', admin: true },
  bob: { name: 'Bob', username: 'bob' },
  carol: { name: 'Carol', username: 'carol' },
};

const priceChangedDm = said(/^✏️ #1 Tea was changed by an admin: price: ¥10\.00 → ¥8\.00\./, /^✏️ 管理员修改了 #1 Tea：单价：¥10\.00 → ¥8\.00。/);

export const buyLifecycleScenarios: Scenario[] = [
  {
    name: 'the card shows progress and FULL; edits reach every member; closing soon is said once',
    members: cast,
    steps: [
      { as: 'admin', command: '/newbuy Tea | 10 | min 2 | max 3 | ends 3h' },
      { expect: { card: [said(/📦 ░{10} 0\/3 \(min 2\)/, /📦 ░{10} 0\/3（最少 2）/), said(/^⌛ Closes in 3 h$/m, /^⌛ 还剩 3小时$/m)] } },
      { as: 'bob', command: '/join 2' },
      { as: 'carol', command: '/join 1' },
      {
        expect: {
          card: [said(/📦 ▓{10} 3\/3 \(min 2\)\n🈵 FULL: new sign-ups go on the waitlist\./, /📦 ▓{10} 3\/3（最少 2）\n🈵 已满：再报名将进入候补。/)],
          cardButtonLabels: [said(/^Join waitlist$/, /^加入候补$/), said(/^Leave$/, /^退出$/)],
        },
      },
      { as: 'admin', command: '/editbuy price 8' },
      {
        expect: {
          groupMessage: said(/^✏️ #1 changed \(price: ¥10\.00 → ¥8\.00\)\. 2 members were told privately\.$/, /^✏️ #1 已修改（单价：¥10\.00 → ¥8\.00），已私信通知 2 位成员。$/),
          dm: [{ to: 'bob', matches: priceChangedDm }, { to: 'carol', matches: priceChangedDm }],
          card: [said(/💰 Price: ¥8\.00 per unit/, /💰 单价：¥8\.00/)],
        },
      },
      { as: 'admin', command: '/editbuy price 9' },
      { expect: { groupMessage: said(/^The price of #1 can only go down: members joined at the current price\./, /^#1 的单价只能降低：成员是按当前价格参团的。/) } },
      { as: 'admin', command: '/editbuy max 10' },
      { expect: { card: [said(/📦 ▓{3}░{7} 3\/10 \(min 2\)/, /📦 ▓{3}░{7} 3\/10（最少 2）/)], cardNot: [said(/FULL/, /已满/)] } },
      { advanceClock: '2h', runDueJobs: true },
      { expect: { groupMessageTimes: { matches: said(/^⏰ #1 Tea closes in 1 h\./, /^⏰ #1 Tea 还剩 1小时 截团。/), times: 1 } } },
    ],
  },
  {
    name: 'an admin changes the description, replaces the photo and removes it: the card and the photo above it follow, members are told, bad edits change nothing',
    members: cast,
    steps: [
      { as: 'admin', command: '/newbuy Mooncakes | 10 | min 2 | max 10 | ends 3h | description Cantonese style', photo: 'mooncakes.jpg' },
      { expect: { photoPosts: [{ text: /^🛒 #1 Mooncakes$/, photo: 'mooncakes.jpg', edited: false }], card: [/^Cantonese style$/m] } },
      { as: 'bob', command: '/join 2' },
      { as: 'admin', command: '/editbuy description Hand-made, 6 per box' },
      {
        expect: {
          groupMessage: said(
            /^✏️ #1 changed \(description: Cantonese style → Hand-made, 6 per box\)\. 1 member was told privately\.$/,
            /^✏️ #1 已修改（描述：Cantonese style → Hand-made, 6 per box），已私信通知 1 位成员。$/,
          ),
          dm: { to: 'bob', matches: said(/^✏️ #1 Mooncakes was changed by an admin: description: Cantonese style → Hand-made, 6 per box\./, /^✏️ 管理员修改了 #1 Mooncakes：描述：Cantonese style → Hand-made, 6 per box。/) },
          card: [/^Hand-made, 6 per box$/m],
          cardNot: [/Cantonese/],
        },
      },
      // Bad edits: said what is allowed, nothing changed, nobody told.
      { as: 'admin', command: '/editbuy description' },
      { expect: { groupMessage: said(/^Write the new description after "description" \(at most 500 characters\)/, /^请在“描述”后写上新的描述（最多 500 个字符）/), noDmTo: 'bob' } },
      { as: 'admin', command: `/editbuy description ${'x'.repeat(501)}` },
      { expect: { groupMessage: said(/^The description can be at most 500 characters; this one has 501\. Nothing was changed\.$/, /^描述最多 500 个字符，这段有 501 个。没有任何改动。$/), noDmTo: 'bob', card: [/^Hand-made, 6 per box$/m] } },
      { as: 'admin', command: '/editbuy photo' },
      {
        expect: {
          groupMessage: said(/^Attach the new photo to \/editbuy photo .*To remove the photo: \/editbuy photo off\. Nothing was changed\.$/, /^请在发送 \/editbuy 图片 时附上新图片.*要删除图片：\/editbuy 图片 off。没有任何改动。$/),
          noDmTo: 'bob',
          photoPosts: [{ text: /^🛒 #1 Mooncakes$/, photo: 'mooncakes.jpg', edited: false }],
        },
      },
      { as: 'admin', command: '/editbuy photo', photo: 'mooncakes-boxed.jpg' },
      {
        expect: {
          groupMessage: said(/^✏️ #1 changed \(new product photo\)\. 1 member was told privately\.$/, /^✏️ #1 已修改（更换了商品图片），已私信通知 1 位成员。$/),
          dm: { to: 'bob', matches: said(/^✏️ #1 Mooncakes was changed by an admin: new product photo\./, /^✏️ 管理员修改了 #1 Mooncakes：更换了商品图片。/) },
          // Replaced in place: still one photo message, one card.
          photoPosts: [{ text: /^🛒 #1 Mooncakes$/, photo: 'mooncakes-boxed.jpg', edited: true }],
          cardsPosted: 1,
        },
      },
      // Removed: the photo message above the card goes (a photo message cannot become text); the card stays.
      { as: 'admin', command: '/editbuy photo off' },
      {
        expect: {
          groupMessage: said(/^✏️ #1 changed \(product photo removed\)\. 1 member was told privately\.$/, /^✏️ #1 已修改（删除了商品图片），已私信通知 1 位成员。$/),
          dm: { to: 'bob', matches: said(/^✏️ #1 Mooncakes was changed by an admin: product photo removed\./, /^✏️ 管理员修改了 #1 Mooncakes：删除了商品图片。/) },
          photoPosts: [],
          cardsPosted: 1,
          card: [/^Hand-made, 6 per box$/m],
        },
      },
      { as: 'admin', command: '/editbuy photo off' },
      { expect: { groupMessage: said(/^#1 has no photo to remove\./, /^#1 没有图片可删除。/), photoPosts: [] } },
      // A new photo is posted again (under the card), not an edit of the message that went.
      { as: 'admin', command: '/editbuy photo', photo: 'mooncakes.jpg' },
      { expect: { photoPosts: [{ text: /^🛒 #1 Mooncakes$/, photo: 'mooncakes.jpg', edited: false }], cardsPosted: 1 } },
    ],
  },
  {
    name: 'a buy opened without a photo gets one with /editbuy photo, and the next photo replaces it',
    members: cast,
    languages: ['zh'],
    steps: [
      { as: 'admin', command: '/newbuy Tea | 10 | min 2 | max 10 | ends 3h' },
      { as: 'admin', command: '/editbuy photo', photo: 'tea.jpg' },
      { expect: { groupMessage: /^✏️ #1 已修改（更换了商品图片），已私信通知 0 位成员。$/, photoPosts: [{ text: /^🛒 #1 Tea$/, photo: 'tea.jpg', edited: false }] } },
      { as: 'admin', command: '/editbuy photo', photo: 'tea-2.jpg' },
      { expect: { photoPosts: [{ text: /^🛒 #1 Tea$/, photo: 'tea-2.jpg', edited: true }], cardsPosted: 1 } },
    ],
  },
  {
    name: '/cancelbuy without an id asks Confirm/Keep first; a buy cancelled by mistake is reopened',
    members: cast,
    steps: [
      { as: 'admin', command: '/newbuy Tea | 10 | min 2 | max 3 | ends 3h' },
      { as: 'bob', command: '/join 2' },
      { as: 'carol', command: '/join 1' },
      { as: 'admin', command: '/cancelbuy' },
      // The question carries buttons, so drivers count it as the second "card"; the buy's card stays card 1.
      {
        expect: {
          openBuys: 1,
          noDmTo: ['bob', 'carol'],
          cardNumber: 2,
          card: [said(/^Cancel #1 Tea\? Nobody will pay, and its 2 members are told\./, /^确定取消 #1 Tea 吗？所有人都无需付款，并会通知 2 位成员。/)],
          cardButtonLabels: [said(/^Cancel #1$/, /^取消 #1$/), said(/^Keep$/, /^保留$/)],
        },
      },
      { as: 'admin', press: 'cf:ok', on: 'group' },
      { expect: { cardNumber: 2, card: [said(/^Confirmed by Anna\.$/, /^Anna 已确认。$/)], cardButtons: [] } },
      {
        expect: {
          cardNumber: 1,
          openBuys: 0,
          groupMessage: said(/^🚫 Group buy #1 Tea was cancelled by an admin\. No one pays\.$/, /^🚫 拼团 #1 Tea 已被管理员取消，无需付款。$/),
          cardButtons: [],
          card: [said(/🚫 Cancelled by an admin\. Sign-ups are closed; nobody pays\./, /🚫 已被管理员取消。报名已截止，无需付款。/)],
          cardNot: [said(/be the first/, /快来第一个/)],
        },
      },
      { as: 'admin', command: '/reopenbuy 2h' },
      {
        expect: {
          openBuys: 1,
          groupMessage: said(/^🔓 #1 Tea is open again until 2026-03-10 12:00 \(Asia\/Shanghai\)\.$/, /^🔓 #1 Tea 已重新开放，截止 2026-03-10 12:00（Asia\/Shanghai）。$/),
          dm: { to: 'bob', matches: said(/^🔓 #1 Tea was reopened by an admin/, /^🔓 管理员重开了 #1 Tea/) },
          cardNumber: 1,
          // Full again (3 of 3): the join button is the explicit waitlist press.
          cardButtons: ['jw', 'leave'],
        },
      },
    ],
  },
  {
    name: 'a delivery marked by mistake is un-marked, and the member is told',
    members: cast,
    steps: [
      { as: 'admin', command: '/newbuy Tea | 10 | min 2 | max 3 | ends 3h' },
      { as: 'bob', command: '/join 2' },
      { as: 'carol', command: '/join 1' },
      { as: 'admin', command: '/closebuy' },
      { as: 'admin', command: '/delivered all' },
      { as: 'admin', command: '/undelivered @bob' },
      {
        expect: {
          groupMessage: said(/^↩️ Delivered mark removed in #1: Bob\.$/, /^↩️ #1 已取消送达标记：Bob。$/),
          dm: { to: 'bob', matches: said(/^↩️ Your order from #1 Tea was marked delivered by mistake/, /^↩️ 你在 #1 Tea 的订单之前被误标为已送达/) },
          cardNumber: 1,
          card: [said(/1\. Bob ×2\n2\. Carol ×1 \(delivered\)/, /1\. Bob ×2\n2\. Carol ×1（已送达）/)],
        },
      },
    ],
  },
];
