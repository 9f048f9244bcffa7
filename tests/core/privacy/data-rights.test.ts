/**
 * Members' data rights (issue 13): /mydata sends a member every row that refers to them, privately; /forgetme, after
 * a confirmation, leaves no name, username, text or platform id of theirs in any column of any table, while totals,
 * leaderboards and other members' views stay as they were. Runs on PGlite, and on PostgreSQL with TEST_DATABASE_URL.
 */
import { describe, expect, it } from 'vitest';
import { OTHER_MEMBER, SECRET_VALUE } from '../../../core/privacy/privacy-store.js';
import { createJobQueue } from '../../../prisma/job-queue.js';
import { MEMBER_REFERENCES } from '../../../prisma/privacy-store.js';
import { GROUP, alice, anna, bob, laoLi, textsOf, useCoreHarness, wang, type CoreHarness } from '../../support/core-harness.js';
import { cardNow, share } from '../likes/likes-helpers.js';
import { columnsHolding, personal, rowsOf, zoe, zoeEverywhere } from './privacy-support.js';

const h = useCoreHarness();

/** The Confirm button of the newest question (Confirm first, Keep second). */
function confirmAction(): string {
  const question = h.port.delivered.filter((d) => d.reply.kind === 'message' && d.reply.buttons?.flat().some((b) => b.action.startsWith('cf:ok:'))).at(-1);
  if (!question || question.reply.kind !== 'message') throw new Error('no question was asked');
  return question.reply.buttons!.flat()[0]!.action;
}

/** The JSON file last sent to a member. */
function dataFileOf(member: typeof zoe): { memberId: string; tables: Record<string, Record<string, unknown>[]> } {
  const file = h.documents(member).filter((d) => d.filename === 'my-data.json').at(-1);
  if (!file) throw new Error(`no data file reached ${member.displayName}`);
  return JSON.parse(String(file.content));
}

/** What other members see and what the totals are: the views /forgetme must not change. */
async function views(harness: CoreHarness, buyId: number) {
  const prisma = harness.db.prisma;
  const [top] = textsOf(await harness.command(bob, '/top all'));
  await harness.command(anna, `/export ${buyId}`);
  const csv = String(harness.documents(anna).filter((d) => d.filename === `buy-${buyId}.csv`).at(-1)!.content).trim().split('\n');
  const signUps = await harness.signUps(buyId);
  return {
    top: top!,
    exportRows: csv.length - 1,
    exportTotals: csv.slice(1).map((line) => line.split(',').at(-1)),
    units: signUps.filter((s) => s.status === 'active').reduce((sum, s) => sum + s.quantity, 0),
    members: signUps.filter((s) => s.status === 'active').length,
    likeCounts: (await prisma.share.findMany({ orderBy: { id: 'asc' } })).map((s) => s.likeCount),
    likeEvents: await prisma.likeEvent.count(),
    points: (await prisma.pointEntry.aggregate({ _sum: { amount: true }, _count: true })),
    pointsOfOthers: await Promise.all([alice, bob].map((m) => harness.store.pointsBalance(GROUP.id, m.id))),
    purchases: await prisma.purchase.count(),
    reviews: (await prisma.review.findMany({ orderBy: { id: 'asc' } })).map((r) => [r.rating, r.helpfulVotes]),
  };
}

describe('/mydata', () => {
  it('sends the member a JSON file with their rows of every table that refers to members, and a summary', async () => {
    await zoeEverywhere(h);
    await h.command(zoe, '/mydata');
    // From the group: the file goes privately, the group is told so.
    expect(h.lastMessageIn()).toBe("Zephyrine Quist, I've sent it to you privately.");
    const data = dataFileOf(zoe);
    expect(data.memberId).toBe(zoe.id);
    expect(Object.keys(data.tables).sort()).toEqual(Object.keys(MEMBER_REFERENCES).sort());
    for (const table of Object.keys(MEMBER_REFERENCES)) {
      expect(data.tables[table]!.length, `rows of ${table}`).toBe(await rowsOf(h, table, zoe.id));
      expect(data.tables[table]!.length, `rows of ${table}`).toBeGreaterThan(0);
    }
    expect(data.tables.Member![0]).toMatchObject({ id: zoe.id, displayName: personal.name, username: personal.username });
    expect(data.tables.Review![0]).toMatchObject({ text: personal.reviewText, rating: 5, media: [{ kind: 'photo', fileId: 'zq-review-photo' }] });
    expect(data.tables.Share!.map((s) => s.text)).toEqual([personal.shareText]);
    expect(data.tables.SignUp![0]).toMatchObject({ note: personal.note, quantity: 1 });
    // Other members are not disclosed: Alice's like on Zoe's share, Bob in the case evidence.
    const text = JSON.stringify(data);
    for (const other of [alice, bob]) expect(text).not.toContain(`"${other.id}"`);
    expect(data.tables.LikeEvent!.filter((e) => e.likerId === OTHER_MEMBER && e.authorId === zoe.id)).toHaveLength(2);
    expect(data.tables.FlagCase![0]!.evidence).toMatchObject({ accounts: [zoe.id, OTHER_MEMBER] });
    // Secrets are not in the file: the dashboard session's CSRF token and token hash, the sign-in link's hash.
    const session = await h.db.prisma.dashboardSession.findFirstOrThrow({ where: { memberId: zoe.id } });
    const link = await h.db.prisma.dashboardLink.findFirstOrThrow({ where: { memberId: zoe.id } });
    for (const secret of [session.csrfToken, session.tokenHash, link.tokenHash]) expect(text).not.toContain(secret);
    expect(data.tables.DashboardSession![0]).toMatchObject({ csrfToken: SECRET_VALUE, tokenHash: SECRET_VALUE, memberId: zoe.id });
    expect(data.tables.DashboardLink![0]).toMatchObject({ tokenHash: SECRET_VALUE, groupId: GROUP.id });

    const summary = h.dmsTo(zoe).find((m) => m.startsWith('🔐'))!;
    expect(summary).toBe([
      '🔐 What I hold about you',
      'Name: Zephyrine Quist (@zqsubject) · id tg:77 · language en',
      'Groups: 1 · sign-ups: 1 · purchases: 1',
      `Points: ${data.tables.PointEntry!.filter((e) => e.memberId === zoe.id).length} ledger entries, ${await h.store.pointsBalance(GROUP.id, zoe.id)} points in all · badges: ${data.tables.BadgeAward!.length} · check-ins: 1`,
      'Reviews: 1 · shares: 1 · likes given: 1',
      `Reminders and review requests: ${data.tables.ReminderPlan!.length + data.tables.ReviewRequest!.length} · moderation flags and warnings: 2`,
      'All of it is in my-data.json. /forgetme erases your personal data.',
    ].join('\n'));
  });

  it('answers in private too, in the member\'s language', async () => {
    await h.command(wang, '/checkin');
    await h.command(wang, '/mydata', { chat: 'private' });
    expect(h.dmsTo(wang).at(-1)).toMatch(/^🔐 我保存的关于你的数据\n名字：王芳 \(@wangfang\) · id tg:21 · 语言 zh-CN\n群：1 · 报名：0 · 购买：0\n积分：1 条记录/);
    expect(dataFileOf(wang).tables.CheckIn).toHaveLength(1);
  });

  it('an admin asks for a member who asked: the data goes to that member, not to the admin, and is audited', async () => {
    await zoeEverywhere(h);
    await h.command(anna, `/mydata @${personal.username}`);
    expect(h.lastMessageIn()).toMatch(/^Sent Zephyrine Quist their data privately/);
    expect(dataFileOf(zoe).memberId).toBe(zoe.id);
    expect(h.documents(anna).filter((d) => d.filename === 'my-data.json')).toEqual([]);
    expect(await h.db.prisma.adminAction.count({ where: { action: 'privacy.access', actorId: anna.id } })).toBe(1);
  });

  it('refuses a member asking for someone else, and an unknown name, reading nothing', async () => {
    await h.command(alice, '/checkin');
    await h.command(bob, '/mydata @alice');
    expect(h.lastMessageIn()).toBe('Only group admins can do this for another member (on their request). For yourself, send it without a name. Nothing was changed.');
    await h.command(anna, '/mydata @nobody');
    expect(h.lastMessageIn()).toBe("I don't know @nobody in this group. Nothing was changed.");
    await h.command(laoLi, '/mydata @alice', { chat: 'private' });
    expect(h.dmsTo(laoLi).at(-1)).toBe('管理员请在所在的群里用 @成员 代成员办理。没有做任何更改。');
    expect(h.documents()).toEqual([]);
  });
});

/** The newest text of each card the bot posted in the group (its last edit, else as posted), by message. */
async function latestGroupCards(): Promise<Map<string, string>> {
  const latest = new Map<string, string>();
  for (const d of h.port.delivered) {
    if (d.chatId !== GROUP.id || !d.messageId) continue;
    if ((d.reply.kind === 'message' && d.reply.card) || d.reply.kind === 'edit') latest.set(d.messageId, d.reply.text);
  }
  return latest;
}

/** Every column of pg-boss's tables holding `needle` (case-insensitive), as `table.column`. */
async function jobColumnsHolding(needle: string): Promise<string[]> {
  const columns = await h.db.prisma.$queryRaw<{ table_name: string; column_name: string }[]>`
    SELECT c.table_name, c.column_name FROM information_schema.columns c
    JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name AND t.table_type = 'BASE TABLE'
    WHERE c.table_schema = 'pgboss' AND c.data_type IN ('text', 'character varying', 'jsonb', 'json')`;
  const hits: string[] = [];
  for (const { table_name: table, column_name: column } of columns) {
    const [row] = await h.db.prisma.$queryRawUnsafe<{ n: bigint }[]>(`SELECT count(*) AS n FROM pgboss."${table}" WHERE strpos(lower("${column}"::text), lower($1)) > 0`, needle);
    if (Number(row!.n) > 0) hits.push(`${table}.${column}`);
  }
  return hits;
}

describe('/forgetme', () => {
  it('leaves no name, username, text or platform id of the member anywhere, and changes no total or other member\'s view', { timeout: 120_000 }, async () => {
    const buyId = await zoeEverywhere(h);
    const before = await views(h, buyId);
    expect(before.top).toContain(personal.name);

    await h.command(zoe, '/forgetme');
    expect(h.lastMessageIn()).toMatch(/^Erase your personal data\? .*This cannot be undone\.\nOnly you can answer, within 5 minutes/);
    const confirm = confirmAction();
    // Someone else's press changes nothing.
    await h.press(bob, confirm);
    expect(h.lastToast()).toBe('This button is not for you.');
    expect(await h.db.prisma.erasure.count()).toBe(1); // the fixture's own erasure row
    await h.press(zoe, confirm);
    expect(h.lastMessageIn()).toBe('Done: your personal data is erased. Your orders, points and likes stay, anonymous, and are no longer linked to you.');

    for (const value of Object.values(personal)) expect(await columnsHolding(h, value), value).toEqual([]);
    expect(await columnsHolding(h, 'zq-review-photo')).toEqual([]);
    expect(await h.db.prisma.processedUpdate.count({ where: { key: { endsWith: ':joined:77' } } })).toBe(0);
    const erasure = await h.db.prisma.erasure.findFirstOrThrow({ where: { requestedBy: 'self' } });
    const anonymous = await h.db.prisma.member.findUniqueOrThrow({ where: { id: erasure.anonymousId } });
    expect(anonymous).toMatchObject({ platform: 'anon', displayName: `anon-${erasure.id}`, username: null, language: null });

    const after = await views(h, buyId);
    expect(after).toEqual({ ...before, top: before.top.replace(personal.name, anonymous.displayName) });
    // Audited, without anything personal: the member acted, as their anonymous id.
    expect(await h.db.prisma.adminAction.findMany({ where: { action: 'privacy.forget' }, select: { groupId: true, actorId: true, detail: true } })).toEqual([
      { groupId: GROUP.id, actorId: erasure.anonymousId, detail: { anonymousId: erasure.anonymousId, requestedBy: 'self' } },
    ]);

    // The second press finds no question any more; the new events of that account start a new member with nothing.
    await h.press(zoe, confirm);
    expect(h.lastToast()).toBe('This button is no longer valid.');
    expect(await h.db.prisma.erasure.count({ where: { requestedBy: 'self' } })).toBe(1);
    expect(await h.db.prisma.pointEntry.count({ where: { memberId: zoe.id } })).toBe(0);
    expect(await h.db.prisma.signUp.count({ where: { memberId: zoe.id } })).toBe(0);
  });

  it('edits the posted cards that showed the member: their last version holds no name or text of theirs', { timeout: 120_000 }, async () => {
    await zoeEverywhere(h);
    await h.flushCards();
    const shown = await latestGroupCards();
    const showing = [...shown].filter(([, text]) => text.includes(personal.name));
    // Her buy's card (she signed up), her share card (a photo) and her review card named her.
    expect(showing.map(([, text]) => text.split('\n')[0]).sort()).toEqual([
      '⭐⭐⭐⭐⭐ Zephyrine Quist on #1 Strawberries',
      '📣 Share 1 by Zephyrine Quist · about #1 Strawberries',
      '🛒 Group buy #1: Strawberries',
    ]);

    await h.command(zoe, '/forgetme');
    await h.press(zoe, confirmAction());
    await h.flushCards();
    const after = await latestGroupCards();
    for (const [message] of showing) {
      const text = after.get(message)!;
      for (const value of [personal.name, personal.username, personal.reviewText, personal.shareText, personal.note]) expect(text, message).not.toContain(value);
    }
    const erasure = await h.db.prisma.erasure.findFirstOrThrow({ where: { requestedBy: 'self' } });
    const texts = showing.map(([message]) => after.get(message)!);
    // The buy card and the share card show the anonymous name; the review card says the review was removed.
    expect(texts.filter((text) => text.includes(`anon-${erasure.id}`))).toHaveLength(2);
    expect(texts.filter((text) => /^Review #\d+ of buy #\d+ was removed: its author erased their data\.$/.test(text))).toHaveLength(1);
  });

  it('sweeps the job queue: no pg-boss job row keeps the member\'s id, name, username or texts', { timeout: 120_000 }, async () => {
    const queue = createJobQueue(h.db, { logger: h.logger });
    try {
      await queue.boss();
      await zoeEverywhere(h);
      const later = new Date(Date.now() + 86_400_000);
      // A churn digest for Zoe (its data holds her id), and a payload holding her name and texts, as a job might.
      await queue.schedule({ name: 'reminder.churn_digest', runAt: later, key: `reminder.churn_digest:${GROUP.id}:${zoe.id}:1`, data: { groupId: GROUP.id, memberId: zoe.id, at: 1 } });
      await queue.schedule({
        name: 'review.tag', runAt: later, key: 'zoe-payload',
        data: { reviewId: 1, author: personal.name, username: `@${personal.username}`, quote: personal.reviewText, notes: [personal.note, personal.shareText], by: alice.displayName },
      });
      for (const value of [personal.name, personal.id, personal.reviewText]) expect(await jobColumnsHolding(value), value).not.toEqual([]);

      await h.command(zoe, '/forgetme');
      await h.press(zoe, confirmAction());
      for (const value of Object.values(personal)) expect(await jobColumnsHolding(value), value).toEqual([]);
      // The jobs are still there, on the anonymous id; other members' names in them stay.
      const erasure = await h.db.prisma.erasure.findFirstOrThrow({ where: { requestedBy: 'self' } });
      const rows = await h.db.prisma.$queryRawUnsafe<{ name: string; data: Record<string, unknown> }[]>(`SELECT name, data FROM pgboss.job WHERE name IN ('reminder.churn_digest', 'review.tag') ORDER BY name`);
      expect(rows).toEqual([
        { name: 'reminder.churn_digest', data: { groupId: GROUP.id, memberId: erasure.anonymousId, at: 1 } },
        { name: 'review.tag', data: { reviewId: 1, author: `anon-${erasure.id}`, username: '', quote: '', notes: ['', ''], by: alice.displayName } },
      ]);
    } finally {
      await queue.stop();
    }
  });

  it('works in a private chat with the confirmation there; a text share card shows no text when next re-rendered', async () => {
    await h.command(wang, '/checkin');
    await share(h, wang, '王芳的晒单');
    await h.command(wang, '/forgetme', { chat: 'private' });
    expect(h.dmsTo(wang).at(-1)).toMatch(/^删除你的个人数据吗？/);
    await h.press(wang, confirmAction(), { chat: 'private' });
    expect(h.dmsTo(wang).at(-1)).toBe('完成：你的个人数据已删除。你的订单、积分和点赞以匿名身份保留，不再与你关联。');
    expect(await columnsHolding(h, wang.displayName)).toEqual([]);
    expect(await h.db.prisma.checkIn.count()).toBe(1);
    await h.press(bob, 'lk:1');
    const card = await cardNow(h, 'share:1');
    expect(card.text).not.toContain('王芳');
    expect(card.text).toContain('anon-1');
    expect(card.buttons.join(' ')).toMatch(/1/);
  });

  it('asks a member with a sign-up in an open buy to leave it first, changing nothing', async () => {
    const buy = await h.openBuy('Tea | 10 | min 2 | max 5 | ends 2h');
    await h.command(zoe, `/join #${buy.id}`);
    await h.command(zoe, '/forgetme');
    expect(h.lastMessageIn()).toBe(`You have sign-ups in buys still open: #${buy.id} Tea. Leave them first (/leave ${buy.id}), or ask again once they close. Nothing was changed.`);
    await h.command(anna, `/forgetme @${personal.username}`);
    expect(h.lastMessageIn()).toBe(`This member has sign-ups in buys still open: #${buy.id} Tea. Erase their data once those buys close, or after they leave them. Nothing was changed.`);
    expect(await h.db.prisma.confirmation.count()).toBe(0);
    // A join between the question and the press is caught at the press.
    await h.command(zoe, `/leave ${buy.id}`);
    await h.command(zoe, '/forgetme');
    const confirm = confirmAction();
    await h.command(zoe, `/join #${buy.id}`);
    await h.press(zoe, confirm);
    expect(h.lastToast()).toMatch(/^You have sign-ups in buys still open/);
    expect(await h.db.prisma.member.findUnique({ where: { id: zoe.id } })).toMatchObject({ displayName: personal.name });
    expect(await h.db.prisma.erasure.count()).toBe(0);
  });

  it('an admin erases a member on their request, with a confirmation only they can answer; audited with who did it', async () => {
    await zoeEverywhere(h);
    await h.command(bob, `/forgetme @${personal.username}`);
    expect(h.lastMessageIn()).toMatch(/^Only group admins can do this for another member/);
    await h.command(anna, `/forgetme @${personal.username}`);
    expect(h.lastMessageIn()).toMatch(/^Erase Zephyrine Quist's personal data, on their request\?/);
    const confirm = confirmAction();
    await h.press(zoe, confirm);
    expect(h.lastToast()).toBe('This button is not for you.');
    await h.press(anna, confirm);
    expect(h.lastMessageIn()).toBe("Done: the member's personal data is erased; their orders, points and likes stay, anonymous.");
    expect(await columnsHolding(h, personal.name)).toEqual([]);
    const erasure = await h.db.prisma.erasure.findFirstOrThrow({ where: { requestedBy: 'admin', actorId: anna.id } });
    expect(await h.db.prisma.adminAction.findMany({ where: { action: 'privacy.forget' }, select: { actorId: true, detail: true } })).toEqual([
      { actorId: anna.id, detail: { anonymousId: erasure.anonymousId, requestedBy: 'admin', from: GROUP.id } },
    ]);
    await h.press(anna, confirm);
    expect(h.lastToast()).toBe('This button is no longer valid.');
    expect(await h.db.prisma.erasure.count({ where: { requestedBy: 'admin', actorId: anna.id } })).toBe(1);
  });
});
