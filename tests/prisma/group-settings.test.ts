import { beforeEach, describe, expect, it } from 'vitest';
import { readSettingsSection, writeSettingsSection } from '../../prisma/group-settings.js';
import { PrismaLikeStore } from '../../prisma/like-store.js';
import { PrismaPointsStore } from '../../prisma/points-store.js';
import { PrismaReviewStore } from '../../prisma/review-store.js';
import { hasPostgres, type TestDatabase } from '../support/database.js';
import { useTestDatabase } from '../support/use-test-database.js';

const GROUP = 'tg:-100';

const database = useTestDatabase();
let db: TestDatabase;
beforeEach(async () => {
  db = database.current;
  await db.prisma.group.create({ data: { id: GROUP, platform: 'tg', title: 'Neighbours' } });
});

const storedSettings = async (): Promise<unknown> =>
  (await db.prisma.group.findUniqueOrThrow({ where: { id: GROUP }, select: { settings: true } })).settings;

describe(`group settings sections (${hasPostgres ? 'PostgreSQL' : 'PGlite'})`, () => {
  it('reads undefined for a section never written, and for a group that does not exist', async () => {
    expect(await readSettingsSection(db.prisma, GROUP, 'likes')).toBeUndefined();
    expect(await readSettingsSection(db.prisma, 'tg:-404', 'likes')).toBeUndefined();
  });

  it('each feature store writes its own section and keeps the others', async () => {
    await new PrismaLikeStore(db.prisma).saveSettings(GROUP, { minEntries: 4 });
    await new PrismaPointsStore(db.prisma).saveSettings(GROUP, { rules: { checkin: { points: 7 } } });
    await new PrismaReviewStore(db.prisma).saveSettings(GROUP, { delayDays: 5 });
    await new PrismaLikeStore(db.prisma).saveSettings(GROUP, { minEntries: 6, codes: false });

    expect(await storedSettings()).toEqual({
      likes: { minEntries: 6, codes: false },
      points: { rules: { checkin: { points: 7 } } },
      reviews: { delayDays: 5 },
    });
    expect(await new PrismaLikeStore(db.prisma).getSettings(GROUP)).toEqual({ minEntries: 6, codes: false });
    expect(await new PrismaPointsStore(db.prisma).getSettings(GROUP)).toEqual({ rules: { checkin: { points: 7 } } });
    expect(await new PrismaReviewStore(db.prisma).getSettings(GROUP)).toEqual({ delayDays: 5 });
  });

  it('stores what JSON.stringify makes of the value: undefined drops the section or field, null stays', async () => {
    await writeSettingsSection(db.prisma, GROUP, 'likes', { a: 1, gone: undefined });
    await writeSettingsSection(db.prisma, GROUP, 'points', null);
    expect(await storedSettings()).toEqual({ likes: { a: 1 }, points: null });
    await writeSettingsSection(db.prisma, GROUP, 'likes', undefined);
    expect(await storedSettings()).toEqual({ points: null });
  });

  it('keeps strings that look like JSON or SQL as strings', async () => {
    const value = { note: `'; DROP TABLE "Group"; --`, json: '{"a":1}', text: '草莓 ✓' };
    await writeSettingsSection(db.prisma, GROUP, 'reviews', value);
    expect(await readSettingsSection(db.prisma, GROUP, 'reviews')).toEqual(value);
  });

  it('replaces stored settings that are not an object', async () => {
    await db.prisma.group.update({ where: { id: GROUP }, data: { settings: [1, 2] } });
    expect(await readSettingsSection(db.prisma, GROUP, 'likes')).toBeUndefined();
    await writeSettingsSection(db.prisma, GROUP, 'likes', { minEntries: 3 });
    expect(await storedSettings()).toEqual({ likes: { minEntries: 3 } });
  });

  it("moves the group's updatedAt to now", async () => {
    const before = Date.now();
    await writeSettingsSection(db.prisma, GROUP, 'likes', { minEntries: 3 });
    const { updatedAt } = await db.prisma.group.findUniqueOrThrow({ where: { id: GROUP } });
    expect(updatedAt.getTime()).toBeGreaterThanOrEqual(before - 1);
    expect(updatedAt.getTime()).toBeLessThanOrEqual(Date.now() + 1);
  });

  it('refuses to write to a group that does not exist', async () => {
    await expect(writeSettingsSection(db.prisma, 'tg:-404', 'likes', {})).rejects.toThrow('no group tg:-404');
  });

  it('loses no section when the features save at the same time, in and out of transactions', async () => {
    const sections = ['likes', 'points', 'reviews', 'a', 'b', 'c', 'd', 'e'];
    await Promise.all(
      sections.map((section, i) =>
        i % 2 === 0
          ? writeSettingsSection(db.prisma, GROUP, section, { i })
          : db.prisma.$transaction((tx) => writeSettingsSection(tx, GROUP, section, { i })),
      ),
    );
    expect(await storedSettings()).toEqual(Object.fromEntries(sections.map((section, i) => [section, { i }])));
  });
});

describe.runIf(hasPostgres)('group settings under row locks on PostgreSQL', () => {
  it('a section saved while another transaction holds its own section write keeps both', async () => {
    let releaseFirst!: () => void;
    const firstHolds = new Promise<void>((resolve) => (releaseFirst = resolve));
    let firstWrote!: () => void;
    const wrote = new Promise<void>((resolve) => (firstWrote = resolve));
    const first = db.prisma.$transaction(async (tx) => {
      await writeSettingsSection(tx, GROUP, 'likes', { minEntries: 4 });
      firstWrote();
      await firstHolds;
    });
    await wrote;
    const second = writeSettingsSection(db.prisma, GROUP, 'points', { streakBonus: 30 });
    await new Promise((resolve) => setTimeout(resolve, 200));
    releaseFirst();
    await Promise.all([first, second]);
    expect(await storedSettings()).toEqual({ likes: { minEntries: 4 }, points: { streakBonus: 30 } });
  });
});
