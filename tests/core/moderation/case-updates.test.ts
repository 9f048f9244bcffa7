/**
 * What moderators see beyond a case's first alert (ADR 012): `/flags <id>` and the digest's buttons show a case with
 * its picture (and its buttons while it is open); the digest carries an overview picture; a case that grows after
 * its alert gets one update naming only its new accounts (within the hourly limit, else in the digest); new
 * accounts around a dismissed or confirmed case are raised as a case of their own naming only them; a rescan with
 * nothing new says nothing.
 */
import { describe, expect, it } from 'vitest';
import type { Actor } from '../../../core/events.js';
import { casePictureSize } from '../../../core/moderation/case-picture.js';
import { digestPictureSize } from '../../../core/moderation/digest-picture.js';
import { alice, anna, bob, carol, GROUP, HOUR, laoLi, MINUTE, useCoreHarness, type CoreHarness } from '../../support/core-harness.js';
import { pngSize } from '../../support/png.js';
import { accounts, boughtBurst, oldMembers, ringLikes, shares } from './fake-engagement.js';

const puppets = accounts(13, 500, 'Puppet');
const ids = (actors: readonly Actor[]) => actors.map((a) => a.id).sort();
const actionsOf = (reply: { buttons?: { action: string }[][] } | undefined) => (reply?.buttons ?? []).flat().map((b) => b.action);
const scan = (h: CoreHarness) => h.core.runJob('moderation.scan', { groupId: GROUP.id });

/** Alice shares; Bob likes it; ten minutes later nine new accounts like it a minute apart; the early scan alerts case 1. */
async function alertedBurst(h: CoreHarness): Promise<void> {
  await oldMembers(h, [anna, laoLi, bob]);
  const id = await shares(h, alice, 'Huge strawberries');
  await h.press(bob, `lk:${id}`);
  h.clock.advance(10 * MINUTE);
  await boughtBurst(h, id, puppets.slice(0, 9));
  await h.advanceAndRunJobs(3 * MINUTE);
  expect(h.pictures(anna).map((p) => p.filename)).toEqual(['case-1.png']);
}

/** Messages to a member since `from` (texts, pictures' too). */
const since = (h: CoreHarness, actor: Actor, from: number) => h.dmsTo(actor).slice(from);

describe('a case after its alert', { timeout: 240_000 }, () => {
  const h = useCoreHarness({ poolSize: 20 });

  it('/flags <id> shows the case with its picture and buttons while open, and Members only once decided', async () => {
    await alertedBurst(h);
    await h.command(anna, '/flags 1');
    const shown = h.pictures(anna).at(-1)!;
    expect(h.pictures(anna)).toHaveLength(2);
    expect(pngSize(shown.data)).toEqual(casePictureSize(9));
    expect(shown.text).toMatch(/^⚠️ Possible fake likes in .*: case 1 \(like burst\)\n9 accounts liked together: share 1 by Alice\./);
    expect(actionsOf(shown)).toEqual(['mod:dismiss:1', 'mod:confirm:1', 'mod:members:1']);
    // In Chinese for Lao Li, drawn in his language.
    await h.command(laoLi, '/flags 1');
    expect(h.pictures(laoLi).at(-1)!.text).toMatch(/^⚠️ .*疑似刷赞：案例 1（集中刷赞）/);
    expect(pngSize(h.pictures(laoLi).at(-1)!.data)).toEqual(casePictureSize(9));

    await h.press(anna, 'mod:dismiss:1', { chat: 'private' });
    await h.command(anna, '/flags 1');
    const decided = h.pictures(anna).at(-1)!;
    expect(h.pictures(anna)).toHaveLength(3);
    expect(decided.text).toMatch(/dismissed by Anna$/);
    expect(actionsOf(decided)).toEqual(['mod:members:1']);
    // A member asking is refused and sees no picture.
    await h.command(bob, '/flags 1');
    expect(h.lastMessageIn()).toBe('Sorry, only group admins and moderators can do that.');
    expect(h.pictures(bob)).toEqual([]);
  });

  it('an open case that gains accounts after its alert gets one update naming only them; the next rescan says nothing', async () => {
    await alertedBurst(h);
    const before = h.dmsTo(anna).length;
    await boughtBurst(h, 1, puppets.slice(9, 13));
    await scan(h);
    const cases = await h.db.prisma.flagCase.findMany({ include: { members: true } });
    expect(cases).toHaveLength(1);
    expect(cases[0]!.members.map((m) => m.memberId).sort()).toEqual(ids(puppets));
    const [update, ...more] = since(h, anna, before);
    expect(more).toEqual([]);
    expect(update).toMatch(/^⚠️ Case 1 \(like burst\) in .* gained 4 accounts since its alert: Puppet 10, Puppet 11, Puppet 12, Puppet 13\.\n13 accounts liked together: share 1 by Alice\./);
    const picture = h.pictures(anna).at(-1)!;
    expect(pngSize(picture.data)).toEqual(casePictureSize(13));
    expect(actionsOf(picture)).toEqual(['mod:dismiss:1', 'mod:confirm:1', 'mod:members:1']);
    expect(since(h, laoLi, 1)).toEqual([expect.stringMatching(/^⚠️ .*的案例 1（集中刷赞）在提醒之后新增 4 个账号：Puppet 10, Puppet 11, Puppet 12, Puppet 13。/)]);
    for (const actor of puppets) expect(h.dmsTo(actor)).toEqual([]);
    // The update counted against the hour's alerts, and named the four.
    const notices = await h.db.prisma.flagCaseNotice.findMany({ orderBy: { id: 'asc' } });
    expect(notices.map((n) => [n.kind, (n.accounts as string[]).length])).toEqual([['alert', 9], ['update', 4]]);

    // Rescans, now and later, with nothing new: nothing more.
    await scan(h);
    await h.advanceAndRunJobs(7 * HOUR);
    await h.advanceAndRunJobs(7 * HOUR);
    expect(since(h, anna, before)).toHaveLength(1);
    expect(await h.db.prisma.flagCaseNotice.count()).toBe(2);
  });

  it('new accounts around a dismissed case are raised as a new case naming only them; its own rescan is silent', async () => {
    await alertedBurst(h);
    await h.press(anna, 'mod:dismiss:1', { chat: 'private' });
    const before = h.dmsTo(anna).length;
    await boughtBurst(h, 1, puppets.slice(9, 13));
    await scan(h);
    const cases = await h.db.prisma.flagCase.findMany({ include: { members: true }, orderBy: { id: 'asc' } });
    expect(cases.map((c) => [c.id, c.status, c.members.length])).toEqual([[1, 'dismissed', 9], [2, 'open', 4]]);
    expect(cases[1]!.members.map((m) => m.memberId).sort()).toEqual(ids(puppets.slice(9, 13)));
    const [alert, ...more] = since(h, anna, before);
    expect(more).toEqual([]);
    expect(alert).toMatch(/^⚠️ Possible fake likes in .*: case 2 \(like burst\)\n4 accounts liked together: share 1 by Alice\./);
    expect(alert).toContain('It grew out of case 1 (dismissed by Anna): only what is new since is in this case.');
    expect(alert).not.toMatch(/Puppet [1-9]\b(?!\d)/);
    expect(pngSize(h.pictures(anna).at(-1)!.data)).toEqual(casePictureSize(4));
    expect(since(h, laoLi, 1).at(-1)).toContain('它由 案例 1（已由 Anna 忽略） 扩展而来');

    await scan(h);
    await h.advanceAndRunJobs(7 * HOUR);
    expect(since(h, anna, before)).toHaveLength(1);
    expect(await h.db.prisma.flagCase.count()).toBe(2);
  });

  it('new accounts around a confirmed case need a decision of their own: a new case; its Confirm voids only their likes', async () => {
    await alertedBurst(h);
    await h.press(anna, 'mod:confirm:1', { chat: 'private' });
    expect(await h.db.prisma.likeEvent.count({ where: { action: 'void' } })).toBe(9);
    await boughtBurst(h, 1, puppets.slice(9, 13));
    await scan(h);
    const second = await h.db.prisma.flagCase.findUniqueOrThrow({ where: { id: 2 }, include: { members: true } });
    expect(second.members.map((m) => m.memberId).sort()).toEqual(ids(puppets.slice(9, 13)));
    expect(h.dmsTo(anna).at(-1)).toContain('It grew out of case 1 (confirmed by Anna)');
    await h.press(anna, 'mod:confirm:2', { chat: 'private' });
    expect(h.lastToast()).toBe('Case 2 confirmed: 4 likes removed, 8 points taken back, 4 accounts left out of rounds and like tasks until /unflag.');
    expect((await h.db.prisma.share.findUniqueOrThrow({ where: { id: 1 } })).likeCount).toBe(1);
    await scan(h);
    expect(await h.db.prisma.flagCase.count()).toBe(2);
  });
});

describe('the digest', { timeout: 240_000 }, () => {
  const h = useCoreHarness({ poolSize: 20 });

  it('carries an overview picture and a button per case that shows it with its picture and buttons', async () => {
    await oldMembers(h, [anna, laoLi, bob]);
    const shareIds: number[] = [];
    for (let i = 1; i <= 5; i++) shareIds.push(await shares(h, alice, `Share ${i}`));
    const crowd = accounts(40, 1000, 'New');
    for (const [s, id] of shareIds.entries()) await boughtBurst(h, id, crowd.slice(s * 8, s * 8 + 8));
    await scan(h);
    expect(h.pictures(anna).map((p) => p.filename)).toEqual(['case-1.png', 'case-2.png', 'case-3.png']);
    await h.advanceAndRunJobs(61 * MINUTE);
    const digest = h.pictures(anna).at(-1)!;
    expect(digest.text).toMatch(/^⚠️ 2 more possible fake-like cases in .*\n#4 like burst: 8 accounts, share 4\n#5 like burst: 8 accounts, share 5\nPress a case for its picture and buttons, or send \/flags <id>\.$/);
    expect(pngSize(digest.data)).toEqual(digestPictureSize(2));
    expect(actionsOf(digest)).toEqual(['mod:show:4', 'mod:show:5']);
    expect(digest.buttons!.flat().map((b) => b.label)).toEqual(['Case 4', 'Case 5']);
    const zh = h.pictures(laoLi).at(-1)!;
    expect(zh.text).toMatch(/^⚠️ .* 另有 2 个疑似刷赞案例/);
    expect(zh.buttons!.flat().map((b) => b.label)).toEqual(['案例 4', '案例 5']);

    await h.press(anna, 'mod:show:5', { chat: 'private' });
    const shown = h.pictures(anna).at(-1)!;
    expect(shown.filename).toBe('case-5.png');
    expect(pngSize(shown.data)).toEqual(casePictureSize(8));
    expect(actionsOf(shown)).toEqual(['mod:dismiss:5', 'mod:confirm:5', 'mod:members:5']);
    await h.press(bob, 'mod:show:5', { chat: 'private' });
    expect(h.lastToast()).toBe('Sorry, only group admins and moderators can do that.');
  });

  it('names the accounts a case gained when its update was held back by the hourly limit', async () => {
    await oldMembers(h, [anna, laoLi, bob]);
    const shareIds: number[] = [];
    for (let i = 1; i <= 3; i++) shareIds.push(await shares(h, alice, `Share ${i}`));
    const crowd = accounts(28, 1000, 'New');
    for (const [s, id] of shareIds.entries()) await boughtBurst(h, id, crowd.slice(s * 8, s * 8 + 8));
    await scan(h);
    expect(h.pictures(anna)).toHaveLength(3);
    // Case 3 goes on growing; the hour's three alerts are used: its update waits for the digest.
    await boughtBurst(h, shareIds[2]!, crowd.slice(24, 28));
    await scan(h);
    expect(h.pictures(anna)).toHaveLength(3);
    expect((await h.db.prisma.flagCaseMember.count({ where: { caseId: 3 } }))).toBe(12);
    await h.advanceAndRunJobs(61 * MINUTE);
    const digest = h.pictures(anna).at(-1)!;
    expect(digest.text).toMatch(/^⚠️ Cases in .* that gained accounts since their alert .*\n#3 like burst: 4 new accounts: New 25, New 26, New 27, New 28\nPress a case/);
    expect(pngSize(digest.data)).toEqual(digestPictureSize(1));
    expect(actionsOf(digest)).toEqual(['mod:show:3']);
    // Told once: later scans and digests say nothing more.
    const count = h.dmsTo(anna).length;
    await scan(h);
    await h.advanceAndRunJobs(2 * HOUR);
    expect(h.dmsTo(anna)).toHaveLength(count);
  });
});

describe('Confirm and the like goals and leaderboards', { timeout: 240_000 }, () => {
  const h = useCoreHarness({ poolSize: 20 });
  const ring = accounts(6, 600, 'Ringer');
  const dave: Actor = { id: 'tg:14', displayName: 'Dave', username: 'dave', languageCode: 'en' };
  const balance = async (actor: Actor) => (await h.db.prisma.pointEntry.aggregate({ where: { memberId: actor.id }, _sum: { amount: true } }))._sum.amount ?? 0;

  it('takes back a like-goal reward the share no longer reaches, once, and the leaderboard follows', async () => {
    await oldMembers(h, [anna, laoLi, bob, ...ring.slice(0, 2)]);
    await ringLikes(h, [alice, carol, dave], ring);
    // A like task starts after the ring's likes; Bob's like takes Dave's share to its goal (the ring's six and his).
    await h.command(anna, '/liketask goal 7 | within 48h | reward 50');
    await h.press(bob, 'lk:3');
    const goal = await h.db.prisma.pointEntry.findFirstOrThrow({ where: { reason: 'like_goal' } });
    expect([goal.memberId, goal.amount]).toEqual([dave.id, 50]);
    await h.advanceAndRunJobs(7 * HOUR);
    const flagCase = await h.db.prisma.flagCase.findFirstOrThrow({ include: { members: true } });
    expect((flagCase.evidence as { posts: string[] }).posts).toContain('3');
    const before = await balance(dave);
    await h.command(anna, '/top all');
    expect(h.lastMessageIn()).toContain(`🥇 Dave: ${before}`);

    await h.press(anna, `mod:confirm:${flagCase.id}`, { chat: 'private' });
    await h.press(laoLi, `mod:confirm:${flagCase.id}`, { chat: 'private' });
    expect((await h.db.prisma.share.findUniqueOrThrow({ where: { id: 3 } })).likeCount).toBe(1);
    const reversal = await h.db.prisma.pointEntry.findMany({ where: { key: 'reversal:like_goal:1:3' } });
    expect(reversal.map((e) => [e.memberId, e.amount, e.actorId])).toEqual([[dave.id, -50, anna.id]]);
    // Dave keeps Bob's like; the ring's six likes and the goal are taken back.
    const after = await balance(dave);
    expect(after).toBe(before - 50 - 6);
    await h.command(anna, '/top all');
    expect(h.lastMessageIn()).not.toContain(`Dave: ${before}`);
    expect(h.lastMessageIn()).toMatch(new RegExp(`Dave: ${after}\\b`));
  });
});
