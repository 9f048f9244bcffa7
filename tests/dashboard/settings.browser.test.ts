/**
 * The Settings page in a real browser (headless Chromium, one for the file): forms show the group's settings, save
 * through the chat commands' use cases (audited with who changed what), and refuse bad values with the very words
 * the chat uses for them, changing nothing.
 */
import { join } from 'node:path';
import type { Browser, Page } from 'puppeteer-core';
import { describe, expect, it } from 'vitest';
import { readLikeSettings } from '../../core/likes/like-settings.js';
import { readPointsSettings } from '../../core/points/points-settings.js';
import { readReviewSettings } from '../../core/reviews/review-settings.js';
import { dashboardTestKit, screenshotPath, useChromium, signedIn } from '../support/dashboard.js';
import { useTelegramWorld } from '../support/platform-world.js';

const dash = dashboardTestKit();
const t = useTelegramWorld(
  {
    anna: { name: 'Anna', username: 'anna', admin: true, language: 'en' },
    bob: { name: 'Bob', username: 'bob', language: 'en' },
  },
  { dashboard: () => dash.access },
);
dash.attach(t);

const chromium = useChromium();

const groupId = () => `tg:${t.driver.group.id}`;

/** Opens the Settings page signed in as the member. */
async function settingsPage(member: string): Promise<Page> {
  const page = await signedIn(chromium.browser, dash, member);
  await page.goto(`${dash.url}/g/${encodeURIComponent(groupId())}/settings`);
  return page;
}

/** Types values into one section's form (replacing what is there) and submits it. */
async function submit(page: Page, section: string, values: Record<string, string>): Promise<void> {
  for (const [name, value] of Object.entries(values)) {
    const selector = `form#${section} [name="${name}"]`;
    if ((await page.$eval(selector, (e) => e.tagName)) === 'SELECT') await page.select(selector, value);
    else {
      await page.$eval(selector, (e) => ((e as unknown as { value: string }).value = ''));
      await page.type(selector, value);
    }
  }
  await Promise.all([page.waitForNavigation(), page.click(`form#${section} button`)]);
}

/** What the bot answered a command in the chat (in the group or privately). */
async function chatAnswer(member: string, command: string): Promise<string> {
  const { server, group } = t.driver;
  const user = t.driver.user(member);
  const [inGroup, inPrivate] = [server.botMessages(group.id).length, server.botMessages(user.id).length];
  await t.driver.command(member, command);
  return [...server.botMessages(group.id).slice(inGroup), ...server.botMessages(user.id).slice(inPrivate)].map((m) => m.text ?? '').join('\n');
}

describe('the Settings page', () => {
  it('saves changed fields through the chat commands, audited with who changed them', async () => {
    const page = await settingsPage('anna');
    for (const section of ['reviews', 'points', 'levels', 'likes', 'reminders']) expect(await page.$(`form#${section}`), section).not.toBeNull();
    expect(await page.$eval('form#reviews [name="delay"]', (e) => (e as unknown as { value: string }).value)).toBe('3d');
    await page.screenshot({ path: screenshotPath('settings-en.png'), fullPage: true });

    await submit(page, 'reviews', { delay: '5d', reward: '20', quiet: 'off' });
    expect(await page.$eval('.flash', (e) => e.textContent)).toBe('Saved.');
    await submit(page, 'points', { 'share.cooldown': '2h', streak: '5' });
    await submit(page, 'levels', { 'V2.spend': '250', 'V3.perk': 'Free delivery' });
    await submit(page, 'likes', { codes: 'off' });

    const reviews = readReviewSettings(await t.world.store.reviews.getSettings(groupId())).settings;
    expect([reviews.delayHours, reviews.rewardPoints, reviews.quietHours]).toEqual([120, 20, null]);
    const points = readPointsSettings(await t.world.store.points.getSettings(groupId())).settings;
    expect(points.rules.share?.cooldownMinutes).toBe(120);
    expect(points.streakBonusEvery).toBe(5);
    expect(points.levels.V2.spendCents).toBe(25_000);
    expect(points.perks.V3).toBe('Free delivery');
    expect(readLikeSettings(await t.world.store.likes.getSettings(groupId())).unlockCodes).toBe(false);

    // The page shows the new values and who changed what, the way the chat's commands record it.
    expect(await page.$eval('form#points [name="share.cooldown"]', (e) => (e as unknown as { value: string }).value)).toBe('120m');
    const audit = await page.$$eval('ul.audit li', (items) => items.map((i) => i.textContent ?? ''));
    expect(audit.some((line) => line.includes('Anna') && line.includes('review.config delay 5d'))).toBe(true);
    expect(audit.some((line) => line.includes('Anna') && line.includes('likes.config codes off'))).toBe(true);
    await page.browserContext().close();
  });

  it('refuses bad values with the chat\'s words and changes nothing', async () => {
    const chatSaid = await chatAnswer('anna', '/reviewconfig delay 999d');
    expect(chatSaid).toMatch(/Not changed/);
    const likesSaid = await chatAnswer('anna', '/likeconfig minentries 1');
    const page = await settingsPage('anna');

    // A good value beside the bad one is not saved either: the form is one change.
    await submit(page, 'reviews', { reward: '30', delay: '999d' });
    expect(await page.$eval('form#reviews .error-text', (e) => e.textContent)).toContain(chatSaid.trim());
    expect(await page.$eval('form#reviews [name="delay"]', (e) => e.getAttribute('aria-invalid'))).toBe('true');
    // What was typed stays in the form to be corrected.
    expect(await page.$eval('form#reviews [name="reward"]', (e) => (e as unknown as { value: string }).value)).toBe('30');
    const reviews = readReviewSettings(await t.world.store.reviews.getSettings(groupId())).settings;
    expect([reviews.delayHours, reviews.rewardPoints]).toEqual([72, 10]);

    await page.goto(`${dash.url}/g/${encodeURIComponent(groupId())}/settings`);
    await submit(page, 'likes', { minentries: '1' });
    expect(await page.$eval('form#likes .error-text', (e) => e.textContent)).toContain(likesSaid.trim());
    expect(readLikeSettings(await t.world.store.likes.getSettings(groupId())).minEntries).toBe(3);
    await page.screenshot({ path: screenshotPath('settings-refused.png'), fullPage: true });
    await page.browserContext().close();
  });

  it('shows a moderator the settings without a way to change them, and refuses their post as the chat does', async () => {
    await t.driver.command('bob', '/buys');
    await t.driver.command('anna', '/mod @bob');
    const page = await settingsPage('bob');
    expect(await page.$('form#reviews button')).toBeNull();
    expect(await page.$eval('form#reviews [name="delay"]', (e) => e.hasAttribute('disabled'))).toBe(true);
    // A crafted post with the right CSRF token still meets the chat's rule: only admins change settings.
    const response = await page.evaluate(async (path) => {
      const csrf = (globalThis as any).document.querySelector('input[name="_csrf"]').value as string;
      const r = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json', 'x-csrf-token': csrf }, body: JSON.stringify({ delay: '5d' }) });
      return { status: r.status, body: (await r.json()) as { error: string } };
    }, `/g/${encodeURIComponent(groupId())}/api/settings/reviews`);
    expect(response.status).toBe(403);
    expect(response.body.error).toBe('Sorry, only group admins can do that.');
    expect(readReviewSettings(await t.world.store.reviews.getSettings(groupId())).settings.delayHours).toBe(72);
    await page.browserContext().close();
  });
});
