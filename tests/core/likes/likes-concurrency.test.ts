/**
 * Likes racing each other on a PostgreSQL server (PGlite runs one transaction at a time, so this proves nothing
 * there): runs only with TEST_DATABASE_URL set (see .ci/run).
 */
import { describe, expect, it } from 'vitest';
import type { Actor } from '../../../core/events.js';
import { alice, anna, useCoreHarness } from '../../support/core-harness.js';
import { hasPostgres } from '../../support/database.js';
import { share } from './likes-helpers.js';

const crowd = (n: number): Actor[] => Array.from({ length: n }, (_, i) => ({ id: `tg:${2000 + i}`, displayName: `Liker ${i}`, languageCode: i % 2 ? 'en' : 'zh-CN' }));

describe.runIf(hasPostgres)('concurrent likes on PostgreSQL', () => {
  const h = useCoreHarness({ poolSize: 20 });

  it('counts 100 members liking one share at once, with redelivered presses and double reactions, exactly once each', { timeout: 120_000 }, async () => {
    await h.command(anna, '/liketask goal 50 | within 1d | reward 30');
    await share(h, alice, 'Race');
    const likers = crowd(100);
    // 80 members press the Like button, every tenth press delivered twice (same key); 20 members react on the
    // card with two emoji at once (two reaction events, both meaning "like"). A press toggles, so the two
    // channels are not mixed for one member: a press after a reaction would rightly unlike.
    const cardMessage = h.port.delivered.find((d) => d.reply.kind === 'message' && d.reply.card === 'share:1')!;
    const chat = { id: 'tg:-100', kind: 'group' as const };
    const sends = likers.flatMap((actor, i) => {
      if (i >= 80) {
        const reaction = (emoji: string) =>
          h.send({ key: `tg:race-reaction:${i}:${emoji}`, platform: 'tg', actor, chat, at: h.clock.now(), kind: 'reaction', messageId: cardMessage.messageId!, emoji, added: true });
        return [reaction('❤'), reaction('👍')];
      }
      const press = () => h.send({ key: `tg:race:${i}`, platform: 'tg', actor, chat, at: h.clock.now(), kind: 'button', action: 'lk:1' });
      return i % 10 === 0 ? [press(), press()] : [press()];
    });
    const results = await Promise.all(sends);

    expect(results.filter((r) => r.duplicate)).toHaveLength(8);
    expect(h.logger.entries.filter((e) => e.level === 'error')).toEqual([]);
    const row = await h.db.prisma.share.findUniqueOrThrow({ where: { id: 1 } });
    const distinct = await h.db.prisma.shareLike.count({ where: { shareId: 1 } });
    const events = await h.db.prisma.likeEvent.findMany({ where: { shareId: 1 } });
    expect(distinct).toBe(100);
    expect(row.likeCount).toBe(distinct);
    expect(events.filter((e) => e.action === 'like')).toHaveLength(100);
    expect(events.filter((e) => e.action === 'unlike')).toHaveLength(0);
    expect(new Set(events.map((e) => e.likerId)).size).toBe(100);
    // Points: one like_given per liker, one like_received per liker, one goal reward.
    const entries = await h.db.prisma.pointEntry.groupBy({ by: ['reason'], _count: { _all: true }, where: { reason: { in: ['like_given', 'like_received', 'like_goal'] } } });
    const counts = Object.fromEntries(entries.map((e) => [e.reason, e._count._all]));
    expect(counts.like_goal).toBe(1);
    expect(counts.like_given ?? 0).toBeLessThanOrEqual(100);
    expect(await h.db.prisma.likeTaskCompletion.count()).toBe(1);
  });
});
