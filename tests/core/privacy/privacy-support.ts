/**
 * A member with a history in every table that refers to members, for the data-rights tests: real commands where a
 * member or admin can make the row (buys, notes, reviews, votes, shares, likes, check-ins, points), direct rows for
 * the rest (a flagged case, a warning, plans and logs the jobs would write), so /mydata and /forgetme meet them all.
 */
import type { Actor } from '../../../core/events.js';
import { MEMBER_REFERENCES } from '../../../prisma/privacy-store.js';
import { GROUP, alice, anna, bob, type CoreHarness } from '../../support/core-harness.js';
import { share } from '../likes/likes-helpers.js';
import { writeReview } from '../reviews/review-support.js';

/** The member whose data is asked for and erased; every personal string of theirs is unusual, so a scan finds it. */
export const zoe: Actor = { id: 'tg:77', displayName: 'Zephyrine Quist', username: 'zqsubject', languageCode: 'en' };

/** What of Zoe's must be gone after /forgetme (her platform id too: the anonymous rows are not linked to it). */
export const personal = {
  name: zoe.displayName,
  username: zoe.username!,
  id: zoe.id,
  reviewText: 'Zq review: velvety berries',
  shareText: 'Zq share: breakfast bowl',
  note: 'Zq note ring twice',
  pointNote: 'Zq helped at the pickup',
  sharePhoto: 'zq-photo-file',
  replyText: 'Zq answer: glad you liked it',
} as const;

/**
 * Zoe, Alice and Bob buy strawberries (delivered), Zoe with a note; Zoe reviews (Alice votes it helpful) and shares
 * with a photo (Alice and Bob like it), votes Alice's review helpful, likes Alice's share, checks in, gets points from Anna; then rows for every
 * table still without one of Zoe's. Returns the buy's id.
 */
export async function zoeEverywhere(h: CoreHarness): Promise<number> {
  const prisma = h.db.prisma;
  // Zoe joins the group, as Telegram reports it (the update key ends in her user id).
  await h.send({ key: 'tg:5501:joined:77', platform: 'tg', actor: zoe, chat: GROUP, at: h.clock.now(), kind: 'member_joined' });
  const buy = await h.openBuy('Strawberries | 10 | min 1 | max 50 | ends 2h');
  for (const member of [zoe, alice, bob]) await h.command(member, `/join #${buy.id}`);
  await h.command(zoe, `/note #${buy.id} ${personal.note}`);
  await h.command(anna, `/closebuy ${buy.id}`);
  await h.command(anna, `/delivered ${buy.id} all`);
  // The private chats are opened (Zoe's review flow and shares are answered there).
  await h.command(zoe, '/start', { chat: 'private' });
  const reviewId = await writeReview(h, zoe, buy.id, 5, personal.reviewText);
  await h.db.prisma.review.update({ where: { id: reviewId }, data: { media: [{ kind: 'photo', fileId: 'zq-review-photo' }] } });
  await h.press(alice, `rv:vote:${reviewId}`);
  // Anna answered Zoe's review from the dashboard (the answer names her); Zoe, admin elsewhere, answered Alice's below.
  await prisma.reviewReply.create({ data: { reviewId, groupId: GROUP.id, authorId: anna.id, text: `Thank you, ${personal.name}!`, createdAt: h.clock.now() } });
  const aliceReviewId = await writeReview(h, alice, buy.id, 4, 'Good value');
  await h.press(zoe, `rv:vote:${aliceReviewId}`);
  await share(h, zoe, `#${buy.id} ${personal.shareText}`, { photo: personal.sharePhoto });
  await share(h, alice, `#${buy.id} Lovely`);
  const [zoeShare, aliceShare] = await prisma.share.findMany({ orderBy: { id: 'asc' } });
  await h.press(alice, `lk:${zoeShare!.id}`);
  await h.press(bob, `lk:${zoeShare!.id}`);
  await h.press(zoe, `lk:${aliceShare!.id}`);
  await h.command(zoe, '/checkin');
  await h.command(anna, `/points @${personal.username} +20 ${personal.pointNote}`);

  // Rows no command gives a plain member quickly: Zoe as the admin of another group, flagged, warned, planned for.
  const at = h.clock.now();
  const fill: Record<string, () => Promise<unknown>> = {
    GroupBuy: () => prisma.groupBuy.create({ data: { groupId: GROUP.id, chatId: GROUP.id, title: 'Zoe\'s jam', unitPriceCents: 500, minUnits: 1, maxUnits: 5, status: 'cancelled', endsAt: at, createdById: zoe.id } }),
    Dialogue: () => prisma.dialogue.create({ data: { chatId: zoe.id, memberId: zoe.id, kind: 'newbuy', step: 'title', data: { title: personal.note } } }),
    Confirmation: () => prisma.confirmation.create({ data: { groupId: GROUP.id, chatId: GROUP.id, memberId: zoe.id, action: 'buy.cancel', data: { buyId: 1 }, createdAt: at, expiresAt: at } }),
    AdminAction: () => prisma.adminAction.create({ data: { groupId: GROUP.id, actorId: zoe.id, action: 'moderator.add', detail: { memberId: bob.id }, createdAt: at } }),
    OutboundMessage: () => prisma.outboundMessage.create({ data: { memberId: zoe.id, groupId: GROUP.id, kind: 'review', sentAt: at } }),
    ReviewReply: async () => {
      const review = await prisma.review.findFirstOrThrow({ where: { memberId: alice.id } });
      await prisma.reviewReply.create({ data: { reviewId: review.id, groupId: GROUP.id, authorId: zoe.id, text: personal.replyText, createdAt: at } });
    },
    LikeTask: () => prisma.likeTask.create({ data: { groupId: GROUP.id, goalLikes: 2, withinMinutes: 60, rewardPoints: 5, createdById: zoe.id, createdAt: at } }),
    LikeTaskCompletion: async () => {
      const task = await prisma.likeTask.findFirstOrThrow();
      await prisma.likeTaskCompletion.create({ data: { taskId: task.id, shareId: zoeShare!.id, memberId: zoe.id, completedAt: at } });
    },
    LikeRound: () => prisma.likeRound.create({ data: { groupId: GROUP.id, chatId: GROUP.id, status: 'closed', createdById: zoe.id, opensAt: at, endsAt: at } }),
    LikeRoundEntry: async () => {
      const round = await prisma.likeRound.findFirstOrThrow();
      await prisma.likeRoundEntry.create({ data: { roundId: round.id, memberId: zoe.id, shareId: zoeShare!.id, joinedAt: at, completed: true } });
    },
    MemberWarning: () => prisma.memberWarning.create({ data: { groupId: GROUP.id, memberId: zoe.id, reason: 'round_no_likes', createdAt: at, liftedAt: at, liftedById: anna.id } }),
    BadgeAward: () => prisma.badgeAward.create({ data: { groupId: GROUP.id, memberId: zoe.id, badge: 'first_review', awardedAt: at } }),
    ReminderPlan: () => prisma.reminderPlan.create({ data: { memberId: zoe.id, productKey: 'strawberries', groupId: GROUP.id, status: 'pending', dueAt: at } }),
    ReminderOptOut: () => prisma.reminderOptOut.create({ data: { memberId: zoe.id, productKey: 'rice' } }),
    ChurnDigestSubscription: () => prisma.churnDigestSubscription.create({ data: { groupId: GROUP.id, memberId: zoe.id } }),
    FlagCase: () =>
      prisma.flagCase.create({
        data: {
          groupId: GROUP.id, chatId: GROUP.id, kind: 'ring', status: 'dismissed', evidenceKey: 'zq', createdAt: at, handledById: zoe.id, handledAt: at,
          evidence: { accounts: [zoe.id, bob.id], posts: [String(zoeShare!.id)], authors: [alice.id], accountAgeHours: { [zoe.id]: 3, [bob.id]: 5 } },
          members: { create: [{ memberId: bob.id, score: 0.7, reasons: ['lockstep'] }] },
        },
      }),
    FlagCaseMember: async () => {
      const flagCase = await prisma.flagCase.findFirstOrThrow();
      await prisma.flagCaseMember.create({ data: { caseId: flagCase.id, memberId: zoe.id, score: 0.8, reasons: ['lockstep'] } });
    },
    Erasure: () => prisma.erasure.create({ data: { anonymousId: 'anon:999', requestedBy: 'admin', actorId: zoe.id, createdAt: at } }),
    DashboardLink: () => prisma.dashboardLink.create({ data: { tokenHash: 'zoe-link', memberId: zoe.id, groupId: GROUP.id, chatId: GROUP.id, createdAt: at, expiresAt: at } }),
    DashboardSession: () =>
      prisma.dashboardSession.create({
        data: { tokenHash: 'zoe-session', memberId: zoe.id, csrfToken: 'zoe-csrf', createdAt: at, expiresAt: at, groups: { create: [{ groupId: GROUP.id, chatId: GROUP.id, addedAt: at }] } },
      }),
  };
  for (const table of Object.keys(MEMBER_REFERENCES)) {
    if ((await rowsOf(h, table, zoe.id)) > 0) continue;
    const make = fill[table];
    if (!make) throw new Error(`no row of Zoe's in ${table}, and no way to make one here`);
    await make();
  }
  return buy.id;
}

/** How many rows of a table refer to the member, by the columns MEMBER_REFERENCES names. */
export async function rowsOf(h: CoreHarness, table: string, memberId: string): Promise<number> {
  const { columns } = MEMBER_REFERENCES[table]!;
  const [row] = await h.db.prisma.$queryRawUnsafe<{ n: bigint }[]>(
    `SELECT count(*) AS n FROM "${table}" WHERE ${columns.map((c) => `"${c}" = $1`).join(' OR ')}`,
    memberId,
  );
  return Number(row!.n);
}

/** Every table and column (text or JSON, in any table of the schema) holding `needle`, case-insensitively. */
export async function columnsHolding(h: CoreHarness, needle: string): Promise<string[]> {
  const columns = await h.db.prisma.$queryRaw<{ table_name: string; column_name: string }[]>`
    SELECT table_name, column_name FROM information_schema.columns
    WHERE table_schema = current_schema() AND data_type IN ('text', 'character varying', 'jsonb', 'json')`;
  const hits: string[] = [];
  for (const { table_name: table, column_name: column } of columns) {
    const [row] = await h.db.prisma.$queryRawUnsafe<{ n: bigint }[]>(
      `SELECT count(*) AS n FROM "${table}" WHERE strpos(lower("${column}"::text), lower($1)) > 0`,
      needle,
    );
    if (Number(row!.n) > 0) hits.push(`${table}.${column}`);
  }
  return hits;
}
