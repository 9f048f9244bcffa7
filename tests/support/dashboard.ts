/**
 * The web dashboard in a Telegram test world: one server per test file (port 0) wired to the world's current core,
 * store, clock and logger, and helpers that sign a member in the way a person does: `/dashboard` in the group, the
 * link read from the bot's private message on the fake Bot API server, then the sign-in form posted.
 *
 * @example
 * const dash = dashboardTestKit();
 * const t = useTelegramWorld(cast, { dashboard: () => dash.access });
 * dash.attach(t);
 * const cookie = await dash.signIn('anna');
 */
import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'puppeteer-core';
import { afterAll, beforeAll } from 'vitest';
import { createDashboardAccess } from '../../bots/dashboard/access.js';
import { SESSION_COOKIE, type DashboardDeps } from '../../bots/dashboard/app.js';
import { startDashboard, type DashboardServer } from '../../bots/dashboard/server.js';
import type { Logger } from '../../core/ports.js';
import { DiscordDriver } from './discord-driver.js';
import type { PlatformWorld } from './platform-world.js';
import type { TelegramDriver } from './telegram-driver.js';

/** A test world on either platform. */
type AnyWorld = PlatformWorld<TelegramDriver> | PlatformWorld<DiscordDriver>;

export interface DashboardKit {
  readonly access: ReturnType<typeof createDashboardAccess>;
  /** The server's address, e.g. http://127.0.0.1:41234. */
  readonly url: string;
  /** Starts the server for the file's tests (call once, after useTelegramWorld). */
  attach(t: AnyWorld): void;
  /**
   * Sends /dashboard as the member in the group and returns the link the bot sent them privately: on Telegram a
   * private message (read on the fake Bot API server), on Discord the command's answer shown to them only.
   */
  requestLink(member: string): Promise<string>;
  /** Posts the sign-in form for a link; the response (not followed). */
  useLink(link: string, cookie?: string): Promise<Response>;
  /** requestLink + useLink: the session cookie (`name=value`). */
  signIn(member: string): Promise<string>;
  /** A request with the session cookie, redirects not followed. */
  fetch(path: string, init?: RequestInit & { cookie?: string }): Promise<Response>;
  /**
   * A second dashboard server on the same database, as a second bot process behind a load balancer would run; the
   * caller stops it.
   */
  startAnother(): Promise<DashboardServer>;
}

export function dashboardTestKit(): DashboardKit {
  let server: DashboardServer | undefined;
  let world: AnyWorld | undefined;
  let deps: (() => DashboardDeps) | undefined;
  const access = createDashboardAccess(() => server?.localUrl);
  const kit: DashboardKit = {
    access,
    get url() {
      if (!server) throw new Error('the dashboard runs only inside the test file');
      return server.localUrl;
    },
    attach(t) {
      world = t;
      // The world's core, clock and logger are new for each test: reach them when asked, not when started.
      const logger: Logger = {
        debug: () => {}, info: () => {},
        warn: (o, m) => t.world.logger.warn(o, m), error: (o, m) => t.world.logger.error(o, m),
      };
      deps = () => ({
        core: { roleIn: (...a) => t.world.core.roleIn(...a), actAs: (...a) => t.world.core.actAs(...a) },
        store: t.world.store, access, clock: { now: () => t.world.clock.now() }, logger, defaultLanguage: 'en', secureCookies: false,
      });
      beforeAll(async () => {
        server = await startDashboard(deps!(), { port: 0, host: '127.0.0.1' });
      });
      afterAll(() => server?.stop());
    },
    async requestLink(member) {
      const t = world!;
      if (t.driver instanceof DiscordDriver) {
        const before = t.driver.outputs().length;
        await t.driver.command(member, '/dashboard');
        const said = t.driver.outputs().slice(before).flatMap((o) => ((o.kind === 'dm' || o.kind === 'in-place') && o.to === member ? [o.text] : [])).join('\n');
        const found = /https?:\/\/\S+\/signin\/[\w-]+/.exec(said)?.[0];
        if (!found) throw new Error(`the bot showed ${member} no sign-in link on Discord; it said:\n${said}`);
        return found;
      }
      const user = t.driver.user(member);
      const before = t.driver.server.botMessages(user.id).length;
      await t.driver.command(member, '/dashboard');
      const dm = t.driver.server.botMessages(user.id).slice(before).map((m) => m.text ?? '').join('\n');
      const link = /https?:\/\/\S+\/signin\/[\w-]+/.exec(dm)?.[0];
      if (!link) throw new Error(`the bot sent ${member} no sign-in link; it said:\n${dm}`);
      return link;
    },
    async useLink(link, cookie) {
      const token = link.split('/signin/')[1]!;
      return fetch(`${kit.url}/signin`, {
        method: 'POST', redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...(cookie ? { cookie } : {}) },
        body: new URLSearchParams({ token }),
      });
    },
    async signIn(member) {
      const response = await kit.useLink(await kit.requestLink(member));
      const cookie = sessionCookie(response);
      if (!cookie) throw new Error(`signing in ${member} set no cookie (status ${response.status})`);
      return cookie;
    },
    startAnother() {
      if (!deps) throw new Error('attach the kit first');
      return startDashboard(deps(), { port: 0, host: '127.0.0.1' });
    },
    fetch(path, init = {}) {
      const { cookie, headers, ...rest } = init;
      return fetch(`${kit.url}${path}`, { redirect: 'manual', ...rest, headers: { ...(headers as Record<string, string>), ...(cookie ? { cookie } : {}) } });
    },
  };
  return kit;
}

/**
 * A fresh browser context (no cookies) signed in as the member the way a person does: `/dashboard` in the group, the
 * link from the bot's private message opened in Chromium, the Sign in button pressed. Errors thrown by the page's
 * scripts fail the test.
 */
export async function signedIn(browser: Browser, dash: DashboardKit, member: string): Promise<Page> {
  const link = await dash.requestLink(member);
  const context = await browser.createBrowserContext();
  const page = await context.newPage();
  page.on('pageerror', (error) => {
    throw error;
  });
  await page.goto(link);
  await Promise.all([page.waitForNavigation(), page.click('form[action="/signin"] button')]);
  return page;
}

/** How many pixels of each canvas chart.js painted (not fully transparent), by canvas id. */
export function paintedPixels(page: Page): Promise<Record<string, number>> {
  return page.evaluate(() =>
    Object.fromEntries(
      // Runs in the page (the project compiles without the DOM's types).
      [...(globalThis as any).document.querySelectorAll('canvas')].map((canvas: any) => {
        const data: Uint8ClampedArray = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
        let painted = 0;
        for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) painted += 1;
        return [canvas.id, painted];
      }),
    ),
  );
}

/** Launches Debian's Chromium headless (useChromium does it for a test file). */
async function launchChromium(): Promise<Browser> {
  const { default: puppeteer } = await import('puppeteer-core');
  return puppeteer.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-gpu'] });
}

/** Where the browser tests write their screenshots (kept for a look after the run). */
export const SCREENSHOTS_DIR = join(tmpdir(), 'tuanbot-dashboard-screenshots');

/** A screenshot's path in SCREENSHOTS_DIR. */
export function screenshotPath(name: string): string {
  return join(SCREENSHOTS_DIR, name);
}

/** One headless Chromium for the test file: launched before its tests, closed after them. */
export function useChromium(): { readonly browser: Browser } {
  let browser: Browser | undefined;
  beforeAll(async () => {
    await mkdir(SCREENSHOTS_DIR, { recursive: true });
    browser = await launchChromium();
  });
  afterAll(() => browser?.close());
  return {
    get browser(): Browser {
      if (!browser) throw new Error('Chromium is not running: use the browser inside a test');
      return browser;
    },
  };
}

/** The session cookie a response set (`name=value`), if any. */
export function sessionCookie(response: Response): string | undefined {
  const line = response.headers.getSetCookie().find((c) => c.startsWith(`${SESSION_COOKIE}=`));
  return line?.split(';')[0];
}
