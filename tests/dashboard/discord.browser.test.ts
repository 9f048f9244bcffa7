/**
 * The dashboard for a Discord server, in headless Chromium: the real discord.js adapter against the fake Discord
 * gateway and REST server. `/dashboard` in the server's channel answers with the one-time link shown to the admin
 * only (Discord's private answer to a slash command, an ephemeral message); Chromium opens it, presses Sign in, and
 * the server's Buys page renders with its charts and the orders members made with slash commands. A member who is
 * not an admin gets no link.
 */
import { describe, expect, it } from 'vitest';
import { dashboardTestKit, paintedPixels, screenshotPath, signedIn, useChromium } from '../support/dashboard.js';
import { useDiscordWorld } from '../support/platform-world.js';

const dash = dashboardTestKit();
const t = useDiscordWorld(
  {
    anna: { name: 'Anna', username: 'anna', admin: true, language: 'en' },
    alice: { name: '<img src=x onerror="window.hacked=1">Alice', username: 'alice', language: 'en' },
    bob: { name: 'Bob', username: 'bob', language: 'en' },
  },
  { dashboard: () => dash.access },
);
dash.attach(t);

const chromium = useChromium();

describe('the dashboard for a Discord server', () => {
  it('signs an admin in with the link Discord showed only to them, and renders the server\'s Buys page with its charts', async () => {
    await t.driver.command('anna', '/newbuy Strawberries | 10 | min 2 | max 50 | ends 2h');
    await t.driver.command('alice', '/join 2');
    await t.driver.command('bob', '/join 3');
    await t.world.advance('2h', { runDueJobs: true });

    const page = await signedIn(chromium.browser, dash, 'anna');
    // The link was an answer only Anna sees: no message in the channel that everyone sees carries it.
    const channel = t.driver.server.channelMessages(t.driver.guild.channelId);
    const linkMessages = channel.filter((m) => m.content.includes('/signin/'));
    expect(linkMessages.length).toBeGreaterThan(0);
    for (const m of linkMessages) expect(m.ephemeralTo).toBe(t.driver.user('anna').id);

    const groupId = decodeURIComponent(new URL(page.url()).pathname.split('/')[2]!);
    expect(groupId).toMatch(/^dc:\d+$/);
    expect(new URL(page.url()).pathname).toBe(`/g/${encodeURIComponent(groupId)}/buys`);
    expect(await page.$eval('.who', (e) => e.textContent?.replace(/\s+/g, ' ').trim())).toBe('Signed in as Anna (admin) · Your groups: Strawberry friends');
    await page.waitForSelector('canvas[data-drawn="true"]');
    const painted = await paintedPixels(page);
    expect(Object.keys(painted).sort()).toEqual(['chart-fill', 'chart-rate', 'chart-weekly']);
    for (const [id, count] of Object.entries(painted)) expect(count, id).toBeGreaterThan(500);
    expect(await page.$$eval('table.buys td.title', (cells) => cells.map((c) => c.textContent))).toEqual(['Strawberries']);
    const members = await page.$$eval('table.orders td.member', (cells) => cells.map((c) => c.textContent?.trim()));
    expect(members).toEqual(['<img src=x onerror="window.hacked=1">Alice @alice', 'Bob @bob']);
    expect(await page.$$('img')).toHaveLength(0);
    expect(await page.evaluate(() => (globalThis as { hacked?: number }).hacked)).toBeUndefined();
    await page.screenshot({ path: screenshotPath('discord-buys-en.png'), fullPage: true });

    // The order list's filters: by name or @username, by paid (nobody has paid yet).
    const ordersOf = async (query: string) => {
      await page.goto(`${dash.url}/g/${encodeURIComponent(groupId)}/buys?${query}`);
      return page.$$eval('table.orders td.member', (cells) => cells.map((c) => c.textContent?.trim()));
    };
    expect(await ordersOf('q=bob')).toEqual(['Bob @bob']);
    expect(await ordersOf('paid=no&delivered=no')).toEqual(['<img src=x onerror="window.hacked=1">Alice @alice', 'Bob @bob']);
    expect(await ordersOf('paid=yes')).toEqual([]);

    // The Members page of the same server renders too.
    await page.goto(`${dash.url}/g/${encodeURIComponent(groupId)}/members`);
    expect(await page.$eval('h1', (h) => h.textContent)).toBe('Members');
    await page.browserContext().close();
  });

  it('shows no link to a member who is not an admin', async () => {
    await expect(dash.requestLink('bob')).rejects.toThrow(/no sign-in link on Discord/);
  });
});
