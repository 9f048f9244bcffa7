/**
 * Fake-engagement cases through the core: a burst of likes from accounts new to the group raises one case however
 * many scans run, alerts the admins privately, and moderators alone decide it; Confirm reverses the likes and
 * their points exactly once, also when two moderators press at once (PostgreSQL: a real race; PGlite: serial).
 */
import { describe, expect, it } from 'vitest';
import type { Actor } from '../../../core/events.js';
import { alice, anna, bob, DAY, GROUP, laoLi, MINUTE, privateChat, useCoreHarness, type CoreHarness } from '../../support/core-harness.js';
import { share } from '../likes/likes-helpers.js';

const ring: Actor[] = [1, 2, 3, 4].map((i) => ({ id: `tg:50${i}`, displayName: `Puppet ${i}`, username: `puppet${i}`, languageCode: 'en' }));

/** Alice shares; Bob (in the group for two days) likes it; then `n` new accounts like it within a minute. */
async function burst(h: CoreHarness, n = 3): Promise<void> {
  await h.command(anna, '/checkin');
  await h.command(bob, '/checkin');
  await h.advance(2 * DAY);
  await share(h, alice, 'Huge strawberries');
  await h.press(bob, 'lk:1');
  for (const actor of ring.slice(0, n)) await h.press(actor, 'lk:1');
}

/** Case alerts a member received (in their language: Anna's is English once she has spoken, Lao Li's Chinese). */
const alertsTo = (h: CoreHarness, actor: Actor) => h.dmsTo(actor).filter((text) => /^⚠️ (Possible fake likes|.*疑似刷赞)/.test(text));

describe('fake-engagement cases', () => {
  const h = useCoreHarness({ poolSize: 20 });

  it('raises one case for a burst, alerted once to each admin with Dismiss, Confirm and Members', async () => {
    await burst(h);
    await h.advanceAndRunJobs(3 * MINUTE);
    await h.advanceAndRunJobs(7 * 60 * MINUTE);
    expect(await h.db.prisma.flagCase.count()).toBe(1);
    expect(alertsTo(h, anna)).toHaveLength(1);
    expect(alertsTo(h, laoLi)).toHaveLength(1);
    expect(alertsTo(h, alice)).toEqual([]);
    const alert = h.port.delivered.find((d) => d.chatId === anna.id && d.reply.kind === 'message' && d.reply.text.startsWith('⚠️'));
    const buttons = alert?.reply.kind === 'message' ? (alert.reply.buttons ?? []).flat().map((b) => b.action) : [];
    expect(buttons).toEqual(['mod:dismiss:1', 'mod:confirm:1', 'mod:members:1']);
    expect(alertsTo(h, anna)[0]).toContain('3 accounts liked together: share 1 by Alice.');
  });

  it('raises one case when two scans of the group run at once', async () => {
    await burst(h);
    await Promise.all([h.core.runJob('moderation.scan', { groupId: GROUP.id }), h.core.runJob('moderation.scan', { groupId: GROUP.id })]);
    expect(await h.db.prisma.flagCase.count()).toBe(1);
    expect(alertsTo(h, anna)).toHaveLength(1);
  });

  it('refuses a member pressing a moderator button, and changes nothing', async () => {
    await burst(h);
    await h.advanceAndRunJobs(3 * MINUTE);
    await h.press(bob, 'mod:confirm:1', { chat: 'private' });
    expect(h.lastToast()).toBe('Sorry, only group admins and moderators can do that.');
    await h.press(ring[0]!, 'mod:dismiss:1');
    expect(h.lastToast()).toBe('Sorry, only group admins and moderators can do that.');
    expect((await h.db.prisma.flagCase.findUniqueOrThrow({ where: { id: 1 } })).status).toBe('open');
    expect((await h.db.prisma.share.findUniqueOrThrow({ where: { id: 1 } })).likeCount).toBe(4);
  });

  it('lets a moderator named with /mod decide; the decision is audited', async () => {
    await burst(h);
    await h.command(anna, '/mod @bob');
    await h.advanceAndRunJobs(3 * MINUTE);
    expect(alertsTo(h, bob)).toHaveLength(1);
    await h.press(bob, 'mod:dismiss:1', { chat: 'private' });
    expect(h.lastToast()).toBe('Case 1 dismissed: it will not be raised again for the same evidence.');
    const audit = await h.db.prisma.adminAction.findMany({ where: { action: { startsWith: 'moderation.' } } });
    expect(audit.map((a) => [a.action, a.actorId])).toEqual([['moderation.dismiss', bob.id]]);
  });

  it('never raises dismissed evidence again, nor a part of it', async () => {
    await burst(h);
    await h.advanceAndRunJobs(3 * MINUTE);
    await h.press(anna, 'mod:dismiss:1', { chat: 'private' });
    await h.core.runJob('moderation.scan', { groupId: GROUP.id });
    await h.advanceAndRunJobs(DAY);
    expect(await h.db.prisma.flagCase.count()).toBe(1);
    expect(alertsTo(h, anna)).toHaveLength(1);
  });

  it('Confirm voids the likes, reverses their points once, and leaves the accounts out of rounds', async () => {
    await burst(h);
    await h.advanceAndRunJobs(3 * MINUTE);
    const balance = async (actor: Actor) => (await h.db.prisma.pointEntry.aggregate({ where: { memberId: actor.id }, _sum: { amount: true } }))._sum.amount ?? 0;
    const aliceBefore = await balance(alice);
    await h.press(anna, 'mod:confirm:1', { chat: 'private' });
    await h.press(laoLi, 'mod:confirm:1', { chat: 'private' });
    expect(h.lastToast()).toBe('案例 1 已经处理过（已由 Anna 确认），没有做任何更改。');
    expect((await h.db.prisma.share.findUniqueOrThrow({ where: { id: 1 } })).likeCount).toBe(1);
    expect(await balance(alice)).toBe(aliceBefore - 3);
    for (const actor of ring.slice(0, 3)) expect(await balance(actor)).toBe(0);
    expect(await h.db.prisma.pointEntry.count({ where: { reason: 'moderation_reversal' } })).toBe(6);
    expect(await h.db.prisma.likeEvent.count({ where: { action: 'void' } })).toBe(3);
    expect(await h.db.prisma.groupMember.count({ where: { excludedFromRounds: true } })).toBe(3);
    await h.command(anna, '/unflag @puppet1');
    expect(h.lastMessageIn()).toMatch(/^Lifted the flag of Puppet 1/);
    expect(await h.db.prisma.groupMember.count({ where: { excludedFromRounds: true } })).toBe(2);
  });

  it('Confirm pressed by two moderators at once reverses once', async () => {
    await burst(h, 4);
    await h.advanceAndRunJobs(3 * MINUTE);
    await Promise.all([h.press(anna, 'mod:confirm:1', { chat: 'private' }), h.press(laoLi, 'mod:confirm:1', { chat: 'private' })]);
    expect(await h.db.prisma.pointEntry.count({ where: { reason: 'moderation_reversal' } })).toBe(8);
    expect((await h.db.prisma.share.findUniqueOrThrow({ where: { id: 1 } })).likeCount).toBe(1);
    expect(await h.db.prisma.likeEvent.count({ where: { action: 'void' } })).toBe(4);
    // Whoever's press came first confirmed (Anna in English, Lao Li in Chinese); the other was told it was handled.
    expect(h.toasts().filter((t) => t.startsWith('Case 1 confirmed') || t.startsWith('案例 1 已确认'))).toHaveLength(1);
    expect(h.logger.entries.filter((e) => e.level === 'error')).toEqual([]);
  });

  it('holds back alerts beyond three an hour for one digest', async () => {
    await h.command(anna, '/checkin');
    await h.command(bob, '/checkin');
    for (let i = 1; i <= 5; i++) {
      await share(h, alice, `Share ${i}`);
    }
    await h.advance(2 * DAY);
    const crowd: Actor[] = Array.from({ length: 15 }, (_, i) => ({ id: `tg:60${i}`, displayName: `New ${i}`, languageCode: 'en' }));
    for (let s = 0; s < 5; s++) for (const actor of crowd.slice(s * 3, s * 3 + 3)) await h.press(actor, `lk:${s + 1}`);
    await h.core.runJob('moderation.scan', { groupId: GROUP.id });
    expect(await h.db.prisma.flagCase.count()).toBe(5);
    expect(alertsTo(h, anna)).toHaveLength(3);
    await h.advanceAndRunJobs(61 * MINUTE);
    const digest = h.dmsTo(anna).filter((text) => text.includes('more possible fake-like case(s)'));
    expect(digest).toHaveLength(1);
    expect(digest[0]).toMatch(/#4 like burst: 3 accounts, share 4\n#5 like burst: 3 accounts, share 5/);
    expect(alertsTo(h, anna)).toHaveLength(3);
  });

  it('/flags lists the open cases privately to moderators and refuses members', async () => {
    await burst(h);
    await h.advanceAndRunJobs(3 * MINUTE);
    await h.command(anna, '/flags');
    expect(h.dmsTo(anna).at(-1)).toBe('Open fake-engagement cases (1):\n#1 like burst: 3 accounts, share 1\nSend /flags <id> for one case with its buttons.');
    await h.command(bob, '/flags');
    expect(h.lastMessageIn()).toBe('Sorry, only group admins and moderators can do that.');
    expect(privateChat(anna).id).toBe(anna.id);
  });
});
