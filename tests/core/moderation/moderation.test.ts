/**
 * Fake-engagement cases through the core, on histories the real detector flags (a bought burst of fresh accounts, a
 * ring in lockstep) and honest ones it leaves alone: one case however many scans run, alerted privately to the
 * admins and moderators with its picture, decided by moderators alone; Confirm reverses the likes and their points
 * exactly once, also when two moderators press at once (PostgreSQL: a real race; PGlite: serial); every decision
 * is audited; a confirmed account is left out of rounds and like tasks until /unflag.
 */
import { describe, expect, it } from 'vitest';
import type { Actor } from '../../../core/events.js';
import { casePictureSize } from '../../../core/moderation/case-picture.js';
import type { PictureRenderer } from '../../../core/ports.js';
import { alice, anna, bob, carol, DAY, GROUP, HOUR, laoLi, MINUTE, privateChat, useCoreHarness, type CoreHarness } from '../../support/core-harness.js';
import { pngSize } from '../../support/png.js';
import { accounts, boughtBurst, oldMembers, ringLikes, shares } from './fake-engagement.js';

const puppets = accounts(13, 500, 'Puppet');
const ring = accounts(6, 600, 'Ringer');
const dave: Actor = { id: 'tg:14', displayName: 'Dave', username: 'dave', languageCode: 'en' };

/** Alice shares (share 1); Bob, in the group for two days, likes it; ten minutes later `n` new accounts like it, a minute apart. */
async function burst(h: CoreHarness, n = 9): Promise<void> {
  await oldMembers(h, [anna, laoLi, bob]);
  const id = await shares(h, alice, 'Huge strawberries');
  await h.press(bob, `lk:${id}`);
  h.clock.advance(10 * MINUTE);
  await boughtBurst(h, id, puppets.slice(0, n));
}

/** Case alerts a member received (in their language: Anna's English, Lao Li's Chinese). */
const alertsTo = (h: CoreHarness, actor: Actor) => h.dmsTo(actor).filter((text) => /^⚠️ (Possible fake likes|.*疑似刷赞)/.test(text));
const balance = async (h: CoreHarness, actor: Actor) => (await h.db.prisma.pointEntry.aggregate({ where: { memberId: actor.id }, _sum: { amount: true } }))._sum.amount ?? 0;
const ids = (actors: readonly Actor[]) => actors.map((a) => a.id).sort();

// Each test plays a few dozen events through the core and scans (with pictures): seconds alone, far more on a loaded
// machine, where a test that timed out would go on pressing buttons into the next test's database.
describe('fake-engagement cases', { timeout: 180_000 }, () => {
  const h = useCoreHarness({ poolSize: 20 });

  it('raises one case for a bought burst, alerted once to each admin with its picture and Dismiss, Confirm and Members', async () => {
    await burst(h);
    await h.advanceAndRunJobs(3 * MINUTE);
    await h.advanceAndRunJobs(7 * HOUR);
    const cases = await h.db.prisma.flagCase.findMany({ include: { members: true } });
    expect(cases.map((c) => [c.kind, c.status])).toEqual([['burst', 'open']]);
    expect(cases[0]!.members.map((m) => m.memberId).sort()).toEqual(ids(puppets.slice(0, 9)));
    expect(alertsTo(h, anna)).toHaveLength(1);
    expect(alertsTo(h, laoLi)).toHaveLength(1);
    expect(alertsTo(h, laoLi)[0]).toMatch(/^⚠️ Strawberry friends 疑似刷赞：案例 1（集中刷赞）\n9 个账号一起点赞：Alice 的晒单 1。/);
    for (const actor of [alice, bob, ...puppets]) expect(alertsTo(h, actor)).toEqual([]);
    const [picture, ...more] = h.pictures(anna);
    expect(more).toEqual([]);
    expect(pngSize(picture?.data)).toEqual(casePictureSize(9));
    expect(picture!.text).toContain('9 accounts liked together: share 1 by Alice.');
    expect((picture!.buttons ?? []).flat().map((b) => b.action)).toEqual(['mod:dismiss:1', 'mod:confirm:1', 'mod:members:1']);
    expect(pngSize(h.pictures(laoLi)[0]?.data)).toEqual(casePictureSize(9));
  });

  it('raises one ring case: accounts, two of them older members, liking three customers’ shares in lockstep', async () => {
    await oldMembers(h, [anna, laoLi, bob, ...ring.slice(0, 2)]);
    const shareIds = await ringLikes(h, [alice, carol, dave], ring);
    await h.advanceAndRunJobs(7 * HOUR);
    await h.advanceAndRunJobs(7 * HOUR);
    const cases = await h.db.prisma.flagCase.findMany({ include: { members: true } });
    expect(cases.map((c) => c.kind)).toEqual(['ring']);
    expect(cases[0]!.members.map((m) => m.memberId).sort()).toEqual(ids(ring));
    expect((cases[0]!.evidence as { posts: string[] }).posts).toEqual(shareIds.map(String));
    expect(alertsTo(h, anna)).toHaveLength(1);
    expect(alertsTo(h, anna)[0]).toContain('6 accounts liked together: share 1, 2, 3 by Alice, Carol, Dave.');
    expect(pngSize(h.pictures(anna)[0]?.data)).toEqual(casePictureSize(6));
    for (const actor of [alice, carol, dave, ...ring]) expect(alertsTo(h, actor)).toEqual([]);
  });

  it('grows a case that is still open when the burst goes on: no second alert (its one update: case-updates.test.ts)', async () => {
    await burst(h, 9);
    await h.advanceAndRunJobs(3 * MINUTE);
    await boughtBurst(h, 1, puppets.slice(9, 13));
    await h.core.runJob('moderation.scan', { groupId: GROUP.id });
    const cases = await h.db.prisma.flagCase.findMany({ include: { members: true } });
    expect(cases).toHaveLength(1);
    expect(cases[0]!.members.map((m) => m.memberId).sort()).toEqual(ids(puppets));
    expect(alertsTo(h, anna)).toHaveLength(1);
    await h.command(anna, '/flags');
    expect(h.dmsTo(anna).at(-1)).toContain('#1 like burst: 13 accounts, share 1');
  });

  it('raises one case when two scans of the group run at once', async () => {
    await burst(h);
    await Promise.all([h.core.runJob('moderation.scan', { groupId: GROUP.id }), h.core.runJob('moderation.scan', { groupId: GROUP.id })]);
    expect(await h.db.prisma.flagCase.count()).toBe(1);
    expect(alertsTo(h, anna)).toHaveLength(1);
    expect(h.pictures(anna)).toHaveLength(1);
  });

  it('refuses a member pressing a moderator button, and changes nothing', async () => {
    await burst(h);
    await h.advanceAndRunJobs(3 * MINUTE);
    await h.press(bob, 'mod:confirm:1', { chat: 'private' });
    expect(h.lastToast()).toBe('Sorry, only group admins and moderators can do that.');
    await h.press(puppets[0]!, 'mod:dismiss:1');
    expect(h.lastToast()).toBe('Sorry, only group admins and moderators can do that.');
    expect((await h.db.prisma.flagCase.findUniqueOrThrow({ where: { id: 1 } })).status).toBe('open');
    expect((await h.db.prisma.share.findUniqueOrThrow({ where: { id: 1 } })).likeCount).toBe(10);
    expect(await h.db.prisma.adminAction.count({ where: { action: { startsWith: 'moderation.' } } })).toBe(0);
  });

  it('lets a moderator named with /mod decide; the decision is audited with who made it', async () => {
    await burst(h);
    await h.command(anna, '/mod @bob');
    await h.advanceAndRunJobs(3 * MINUTE);
    expect(alertsTo(h, bob)).toHaveLength(1);
    expect(h.pictures(bob)).toHaveLength(1);
    await h.press(bob, 'mod:dismiss:1', { chat: 'private' });
    expect(h.lastToast()).toBe('Case 1 dismissed: it will not be raised again for the same evidence.');
    const audit = await h.db.prisma.adminAction.findMany({ where: { action: { startsWith: 'moderation.' } } });
    expect(audit.map((a) => [a.action, a.actorId, (a.detail as { caseId: number }).caseId])).toEqual([['moderation.dismiss', bob.id, 1]]);
  });

  it('never raises dismissed evidence again, nor a part of it', async () => {
    await burst(h);
    await h.advanceAndRunJobs(3 * MINUTE);
    await h.press(anna, 'mod:dismiss:1', { chat: 'private' });
    await h.core.runJob('moderation.scan', { groupId: GROUP.id });
    await h.advanceAndRunJobs(DAY);
    await h.advanceAndRunJobs(DAY);
    expect(await h.db.prisma.flagCase.count()).toBe(1);
    expect(alertsTo(h, anna)).toHaveLength(1);
  });

  it('Confirm voids the likes and reverses their points once; the accounts sit out rounds and like tasks until /unflag', async () => {
    await burst(h);
    await h.advanceAndRunJobs(3 * MINUTE);
    const aliceBefore = await balance(h, alice);
    await h.press(anna, 'mod:confirm:1', { chat: 'private' });
    expect(h.lastToast()).toBe('Case 1 confirmed: 9 likes removed, 18 points taken back, 9 accounts left out of rounds and like tasks until /unflag.');
    await h.press(laoLi, 'mod:confirm:1', { chat: 'private' });
    expect(h.lastToast()).toBe('案例 1 已经处理过（已由 Anna 确认），没有做任何更改。');
    await h.press(anna, 'mod:confirm:1', { chat: 'private' });
    expect((await h.db.prisma.share.findUniqueOrThrow({ where: { id: 1 } })).likeCount).toBe(1);
    expect(await balance(h, alice)).toBe(aliceBefore - 9);
    for (const actor of puppets.slice(0, 9)) expect(await balance(h, actor)).toBe(0);
    expect(await h.db.prisma.pointEntry.count({ where: { reason: 'moderation_reversal' } })).toBe(18);
    expect(await h.db.prisma.likeEvent.count({ where: { action: 'void' } })).toBe(9);

    // Left out: no round, and no like-task reward for a share of theirs.
    const [first] = puppets;
    await h.command(anna, '/liketask goal 2 | within 48h | reward 50');
    await h.command(anna, '/likeround 2h');
    const own = await shares(h, first!, 'My own strawberries');
    await h.command(first!, `/drop ${own}`);
    expect(h.lastMessageIn()).toBe('You are left out of like rounds and like tasks: a moderator confirmed fake likes. An admin or moderator can lift it with /unflag.');
    for (const liker of [bob, carol]) await h.press(liker, `lk:${own}`);
    expect(await h.db.prisma.pointEntry.count({ where: { memberId: first!.id, reason: 'like_goal' } })).toBe(0);

    await h.command(anna, '/unflag @puppet1');
    expect(h.lastMessageIn()).toMatch(/^Lifted the flag of Puppet 1/);
    await h.command(first!, `/drop ${own}`);
    expect(h.lastMessageIn()).toBe(`Puppet 1 dropped share ${own} into like round 1.`);
    const next = await shares(h, first!, 'More strawberries');
    for (const liker of [bob, carol]) await h.press(liker, `lk:${next}`);
    expect(await h.db.prisma.pointEntry.count({ where: { memberId: first!.id, reason: 'like_goal' } })).toBe(1);
    // The others stay out; voided likes and reversed points stay as they are.
    expect(await h.db.prisma.flagCaseMember.count({ where: { liftedAt: null } })).toBe(8);
    expect(await h.db.prisma.pointEntry.count({ where: { reason: 'moderation_reversal' } })).toBe(18);
    const audit = await h.db.prisma.adminAction.findMany({ where: { action: { startsWith: 'moderation.' } }, orderBy: { id: 'asc' } });
    expect(audit.map((a) => [a.action, a.actorId])).toEqual([['moderation.confirm', anna.id], ['moderation.unflag', anna.id]]);
    expect(audit[0]!.detail).toMatchObject({ caseId: 1, likes: 9, points: 18 });
    expect(audit[1]!.detail).toMatchObject({ memberId: first!.id, lifted: 1 });
  });

  it('Confirm pressed by two moderators at once reverses once', async () => {
    await burst(h);
    await h.advanceAndRunJobs(3 * MINUTE);
    await Promise.all([h.press(anna, 'mod:confirm:1', { chat: 'private' }), h.press(laoLi, 'mod:confirm:1', { chat: 'private' })]);
    expect(await h.db.prisma.pointEntry.count({ where: { reason: 'moderation_reversal' } })).toBe(18);
    expect((await h.db.prisma.share.findUniqueOrThrow({ where: { id: 1 } })).likeCount).toBe(1);
    expect(await h.db.prisma.likeEvent.count({ where: { action: 'void' } })).toBe(9);
    // Whoever's press came first confirmed (Anna in English, Lao Li in Chinese); the other was told it was handled.
    expect(h.toasts().filter((t) => t.startsWith('Case 1 confirmed') || t.startsWith('案例 1 已确认'))).toHaveLength(1);
    expect(await h.db.prisma.adminAction.count({ where: { action: 'moderation.confirm' } })).toBe(1);
    expect(h.logger.entries.filter((e) => e.level === 'error')).toEqual([]);
  });

  it('holds back alerts beyond three an hour for one digest', async () => {
    await oldMembers(h, [anna, laoLi, bob]);
    const shareIds: number[] = [];
    for (let i = 1; i <= 5; i++) shareIds.push(await shares(h, alice, `Share ${i}`));
    const crowd = accounts(40, 1000, 'New');
    for (const [s, id] of shareIds.entries()) await boughtBurst(h, id, crowd.slice(s * 8, s * 8 + 8));
    await h.core.runJob('moderation.scan', { groupId: GROUP.id });
    expect(await h.db.prisma.flagCase.count()).toBe(5);
    expect(alertsTo(h, anna)).toHaveLength(3);
    await h.advanceAndRunJobs(61 * MINUTE);
    const digest = h.dmsTo(anna).filter((text) => text.includes('more possible fake-like cases'));
    expect(digest).toHaveLength(1);
    expect(digest[0]).toMatch(/#4 like burst: 8 accounts, share 4\n#5 like burst: 8 accounts, share 5/);
    expect(alertsTo(h, anna)).toHaveLength(3);
  });

  it('/flags lists the open cases privately to moderators and refuses members', async () => {
    await burst(h);
    await h.advanceAndRunJobs(3 * MINUTE);
    await h.command(anna, '/flags');
    expect(h.dmsTo(anna).at(-1)).toBe('Open fake-engagement cases (1):\n#1 like burst: 9 accounts, share 1\nSend /flags <id> for one case with its buttons.');
    await h.command(bob, '/flags');
    expect(h.lastMessageIn()).toBe('Sorry, only group admins and moderators can do that.');
    expect(privateChat(anna).id).toBe(anna.id);
  });
});

describe('fake-engagement alerts without a picture', { timeout: 180_000 }, () => {
  const broken: PictureRenderer = { name: 'broken', png: async () => Promise.reject(new Error('no renderer here')) };
  const h = useCoreHarness({ pictureRenderer: broken });

  it('go as text with their buttons when the picture cannot be drawn, and say why in the log', async () => {
    await burst(h);
    await h.advanceAndRunJobs(3 * MINUTE);
    expect(h.pictures()).toEqual([]);
    expect(alertsTo(h, anna)).toHaveLength(1);
    expect(h.logger.entries.some((e) => e.level === 'warn' && e.msg === 'could not draw the case picture; alerting with text only')).toBe(true);
  });

  it('/flags <id> goes as text with its buttons when the picture cannot be drawn after the commit, and says why in the log', async () => {
    await burst(h);
    await h.advanceAndRunJobs(3 * MINUTE);
    await h.command(anna, '/flags 1');
    expect(h.pictures()).toEqual([]);
    expect(h.dmsTo(anna).at(-1)).toMatch(/^⚠️ Possible fake likes in .*: case 1 \(like burst\)/);
    const shown = h.port.delivered.filter((d) => d.reply.kind === 'message' && 'memberId' in d.reply.to && d.reply.to.memberId === anna.id).at(-1)!.reply;
    expect(shown.kind === 'message' ? (shown.buttons ?? []).flat().map((b) => b.action) : []).toEqual(['mod:dismiss:1', 'mod:confirm:1', 'mod:members:1']);
    expect(h.logger.entries.some((e) => e.level === 'warn' && e.msg === 'could not draw the picture; sending the text only')).toBe(true);
  });
});
