/**
 * Repurchase reminder scenarios every chat adapter must pass: an admin says what one unit of a product lasts, a
 * delivered purchase brings one private reminder the lead time before it runs out, with buttons that work once;
 * `/stop reminders` holds; a buy of the product opening brings the reminder forward with a Join button that joins
 * the buy. Played by tests/telegram/reminders.e2e.test.ts and tests/discord/reminders.e2e.test.ts.
 */
import { said, type MemberSpec, type Scenario, type Step } from './scenario.js';

/** Sunday 2026-12-20 10:00 in Shanghai: reminders fall on days at 10:00, outside the quiet hours. */
const SUNDAY = new Date('2026-12-20T02:00:00Z');

export const reminderCast: Record<string, MemberSpec> = {
  anna: { name: 'Anna', username: 'anna', admin: true },
  alice: { name: 'Alice', username: 'alice' },
  bob: { name: 'Bob', username: 'bob' },
};

/** The buyers stop review requests (so only reminders reach them), Anna sells tea that lasts 14 days, and delivers it. */
function teaDeliveredTo(buyers: string[]): Step[] {
  return [
    ...buyers.map((buyer): Step => ({ as: buyer, command: '/stop reviews', in: 'private' })),
    { as: 'anna', command: '/newbuy Tea | 10 | min 1 | max 50 | ends 2h | product tea' },
    { as: 'anna', command: '/product tea lasts 14d' },
    { expect: { groupMessage: said(/^Saved\.\n• tea: one unit lasts 14 days \(set\);/, /^已保存。\n• tea：每份可用 14 天（设定）；/) } },
    ...buyers.map((buyer): Step => ({ as: buyer, press: 'join' })),
    { as: 'anna', command: '/closebuy' },
    { as: 'anna', command: '/delivered all' },
    { expect: { groupMessage: said(/^📦 Marked delivered in #1: /, /^📦 #1 已标记送达：/) } },
  ];
}

const reminderButtons = [
  said(/^Remind me in 3 days$/, /^3 天后提醒我$/),
  said(/^Remind me in 7 days$/, /^7 天后提醒我$/),
  said(/^Already bought$/, /^已经买了$/),
  said(/^No more reminders for this product$/, /^不再提醒这个商品$/),
];

export const reminderScenarios: Scenario[] = [
  {
    name: 'a delivered purchase brings one private reminder before it runs out; its buttons work once, and /stop reminders holds',
    members: reminderCast,
    startsAt: SUNDAY,
    steps: [
      ...teaDeliveredTo(['alice', 'bob']),
      { as: 'bob', command: '/stop reminders', in: 'private' },
      {
        expect: {
          dm: { to: 'bob', matches: said(/^OK: no more repurchase reminders\. Send \/start reminders to get them again\.$/, /^好的：不再发送复购提醒。发送 \/start reminders 可恢复。$/) },
        },
      },
      { advanceClock: '10d23h59m', runDueJobs: true },
      { expect: { noDmTo: ['alice', 'bob'] } },
      { advanceClock: '1m', runDueJobs: true },
      {
        expect: {
          dm: {
            to: 'alice',
            matches: said(/^🔔 Running low on tea\? By your past orders in .+ it runs out around 2027-01-03\.\nNo buy of it is open/, /^🔔 tea 快用完了吗？按你在 .+ 的购买记录，大约 2027-01-03 用完。\n.+目前没有这个商品的拼团/),
            buttons: reminderButtons,
          },
          noDmTo: 'bob',
        },
      },
      { as: 'alice', press: 'rm:bought', on: 'private' },
      { expect: { toast: { to: 'alice', matches: said(/^Noted\. Next reminder around 2027-01-11\.$/, /^已记下。下次提醒大约在 2027-01-11。$/) } } },
      { as: 'alice', press: 'rm:bought', on: 'private' },
      { expect: { toast: { to: 'alice', matches: said(/^This reminder was already answered\.$/, /^这条提醒已经回复过了。$/) } } },
    ],
  },
  {
    name: 'a buy of the product opening brings the reminder forward, and its Join button joins that buy',
    members: reminderCast,
    startsAt: SUNDAY,
    steps: [
      ...teaDeliveredTo(['alice']),
      { advanceClock: '9d', runDueJobs: true },
      { expect: { noDmTo: 'alice' } },
      { as: 'anna', command: '/newbuy Tea refill | 9 | min 1 | max 50 | ends 4d | product tea' },
      { advanceClock: '1m', runDueJobs: true },
      {
        expect: {
          dm: {
            to: 'alice',
            matches: said(/\nBuy #2 Tea refill is open until .+: join with the button\.$/, /\n拼团 #2 Tea refill 正在进行，截止 .+：点按钮参团。$/),
            buttons: [said(/^Join #2$/, /^参团 #2$/), ...reminderButtons],
          },
        },
      },
      { as: 'alice', press: 'rm:join', on: 'private' },
      { expect: { toast: { to: 'alice', matches: said(/^Alice joined #2 ×1\.$/, /^Alice 参加了 #2 ×1。$/) }, card: [said(/Participants \(1\)/, /参团名单（1 人）/)] } },
    ],
  },
];
