/**
 * The dashboard's web app (Hono): sign-in with a one-time link, the session cookie, CSRF, the check on every group
 * page and API call that the person is still an admin or moderator there, and the pages (pages/*.ts). Platform-
 * neutral rules and read models are the core's (core/dashboard); this file is HTTP only. ADR 020.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { Core } from '../../core/app.js';
import type { Clock } from '../../core/clock.js';
import { LINK_TTL_MINUTES, SESSION_TTL_HOURS, type DashboardAccess } from '../../core/dashboard/dashboard-access.js';
import type { DashboardSessionRecord } from '../../core/dashboard/dashboard-store.js';
import { currentSession, signIn } from '../../core/dashboard/sign-in.js';
import { UserError } from '../../core/errors.js';
import { languageFromHint, t } from '../../core/i18n/translate.js';
import type { Language } from '../../core/kernel/language.js';
import type { Logger } from '../../core/ports.js';
import type { GroupRecord, MemberRecord, Store } from '../../core/store.js';
import { sourcePath } from '../../prisma/project-root.js';
import { csrfField, groupPath, html, notice, w, type Viewer } from './html.js';
import { buysRoutes } from './pages/buys-page.js';
import { membersRoutes } from './pages/members-page.js';
import { reviewsRoutes } from './pages/reviews-page.js';
import { likesRoutes } from './pages/likes-page.js';
import { settingsRoutes } from './pages/settings-page.js';

export const SESSION_COOKIE = 'tuanbot_session';

export interface DashboardDeps {
  core: Pick<Core, 'roleIn' | 'actAs'>;
  store: Store;
  access: DashboardAccess;
  clock: Clock;
  logger: Logger;
  defaultLanguage: Language;
  /** Mark the cookie Secure (the dashboard is reached over https, DASHBOARD_URL). */
  secureCookies: boolean;
}

/** Who is asking about which group, checked (group pages and API calls only). */
export interface GroupViewer extends Viewer {
  session: DashboardSessionRecord;
  member: MemberRecord;
  group: GroupRecord;
  chatId: string;
  /** The message a form's redirect left for this page (loadFlash). */
  flash?: Flash;
}

export type DashboardEnv = { Variables: { viewer: GroupViewer } };
export type DashboardApp = Hono<DashboardEnv>;

/** A message shown once on the session's next page (after a form's redirect). */
export interface Flash {
  ok: boolean;
  text: string;
}

/**
 * Remembers a message for the session's next page. It is kept on the session's row, not in this process: behind a
 * load balancer (DASHBOARD_URL, several bot processes) the redirect may land on another process.
 */
export async function flash(deps: DashboardDeps, viewer: GroupViewer, ok: boolean, text: string): Promise<void> {
  await deps.store.dashboard.setFlash(viewer.session.id, { ok, text });
}

/** Takes the session's pending message (a page about to render calls it once); it is gone for the next page. */
export async function loadFlash(deps: DashboardDeps, viewer: GroupViewer): Promise<void> {
  viewer.flash = (await deps.store.dashboard.takeFlash(viewer.session.id)) ?? undefined;
}

/** The message loadFlash took for this page, if any. */
export function takeFlash(viewer: GroupViewer): Flash | undefined {
  return viewer.flash;
}

/** Whether the request wants JSON (the API under /g/<group>/api/). */
const isApi = (c: Context) => c.req.path.includes('/api/');

/**
 * Every group page and API call: a live session, a group this session was opened for, the person still an admin
 * or moderator there (asked again each time, as the chat does), and on POST the session's CSRF token.
 */
function groupAccess(deps: DashboardDeps): MiddlewareHandler<DashboardEnv> {
  return async (c, next) => {
    const now = deps.clock.now();
    const hinted = languageFromHint(c.req.header('accept-language')) ?? deps.defaultLanguage;
    const refuse = (status: 401 | 403 | 404, lang: Language, key: 'web.not_signed_in' | 'web.not_your_group' | 'web.not_manager' | 'web.csrf' | 'web.not_found') =>
      isApi(c) ? c.json({ error: t(lang, key) }, status) : c.html(notice(lang, t(lang, 'web.title'), t(lang, key)), status);
    const session = await currentSession(deps.store, deps.access, getCookie(c, SESSION_COOKIE), now);
    if (!session) return refuse(401, hinted, 'web.not_signed_in');
    const groupId = c.req.param('gid') ?? '';
    const entry = session.groups.find((g) => g.groupId === groupId);
    const member = await deps.store.getMember(session.memberId);
    const lang0 = session.language ?? member?.language ?? hinted;
    if (!entry || !member) return refuse(403, lang0, 'web.not_your_group');
    const group = await deps.store.getGroup(groupId);
    if (!group) return refuse(404, lang0, 'web.not_found');
    const lang = session.language ?? member.language ?? group.language ?? deps.defaultLanguage;
    const role = await deps.core.roleIn(entry.chatId, groupId, member.id);
    if (!role) return refuse(403, lang, 'web.not_manager');
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD' && !(await csrfMatches(c, session.csrfToken))) return refuse(403, lang, 'web.csrf');
    const titles = await Promise.all(session.groups.map(async (g) => ({ id: g.groupId, title: (await deps.store.getGroup(g.groupId))?.title ?? g.groupId })));
    const url = new URL(c.req.url);
    c.set('viewer', {
      lang, csrf: session.csrfToken, name: member.displayName, role, groups: titles, groupId, path: `${url.pathname}${url.search}`,
      session, member, group, chatId: entry.chatId,
    });
    await next();
  };
}

/** The CSRF token from the form field `_csrf` or the `X-CSRF-Token` header equals the session's, compared in constant time. */
async function csrfMatches(c: Context, expected: string): Promise<boolean> {
  let given = c.req.header('x-csrf-token');
  if (!given && /form/.test(c.req.header('content-type') ?? '')) {
    const body = await c.req.parseBody();
    given = typeof body._csrf === 'string' ? body._csrf : undefined;
  }
  return typeof given === 'string' && sameText(given, expected);
}

function sameText(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i += 1) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

/** A refusal the chat would give, in the viewer's language; anything else is logged and answered generically. */
export function explain(deps: DashboardDeps, viewer: GroupViewer, error: unknown): string {
  if (error instanceof UserError) return t(viewer.lang, error.key, error.params as never);
  deps.logger.error({ err: error, group: viewer.groupId }, 'dashboard action failed');
  return t(viewer.lang, 'web.failed');
}

// The browser files stay in the source tree (never copied into dist/), found from either place.
const assetsDir = sourcePath('./assets/', import.meta.url);
/** chart.js's browser build, from the installed package (no CDN). */
const chartJsPath = join(dirname(createRequire(import.meta.url).resolve('chart.js')), 'chart.umd.js');

/** Static files, read once. */
function assets(): Record<string, { type: string; body: string }> {
  return {
    'chart.umd.js': { type: 'text/javascript; charset=utf-8', body: readFileSync(chartJsPath, 'utf8') },
    'dashboard.js': { type: 'text/javascript; charset=utf-8', body: readFileSync(join(assetsDir, 'dashboard.js'), 'utf8') },
    'dashboard.css': { type: 'text/css; charset=utf-8', body: readFileSync(join(assetsDir, 'dashboard.css'), 'utf8') },
  };
}

/** Builds the dashboard's web app. */
export function createDashboardApp(deps: DashboardDeps): DashboardApp {
  const app: DashboardApp = new Hono<DashboardEnv>();
  const files = assets();
  const cookieOptions = { httpOnly: true, sameSite: 'Strict' as const, secure: deps.secureCookies, path: '/' };
  const langOf = (c: Context) => languageFromHint(c.req.header('accept-language')) ?? deps.defaultLanguage;

  app.use('*', async (c, next) => {
    await next();
    // Scripts only from here (chart.js and the page script are files), nothing framed, no referrer (links carry tokens).
    c.header('Content-Security-Policy', "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'");
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('Referrer-Policy', 'no-referrer');
    c.header('Cache-Control', c.req.path.startsWith('/assets/') ? 'public, max-age=3600' : 'no-store');
  });
  app.onError((error, c) => {
    deps.logger.error({ err: error, path: c.req.path }, 'dashboard request failed');
    const lang = langOf(c);
    return isApi(c) ? c.json({ error: t(lang, 'web.failed') }, 500) : c.html(notice(lang, t(lang, 'web.title'), t(lang, 'web.failed')), 500);
  });
  app.notFound((c) => {
    const lang = langOf(c);
    return isApi(c) ? c.json({ error: t(lang, 'web.not_found') }, 404) : c.html(notice(lang, t(lang, 'web.title'), t(lang, 'web.not_found')), 404);
  });

  app.get('/assets/:file', (c) => {
    const file = files[c.req.param('file')];
    if (!file) return c.notFound();
    return c.body(file.body, 200, { 'Content-Type': file.type });
  });

  app.get('/', async (c) => {
    const session = await currentSession(deps.store, deps.access, getCookie(c, SESSION_COOKIE), deps.clock.now());
    const first = session?.groups.at(-1);
    if (first) return c.redirect(groupPath(first.groupId, 'buys'));
    const lang = langOf(c);
    return c.html(notice(lang, t(lang, 'web.title'), t(lang, 'web.not_signed_in')), 401);
  });

  // The link only shows a button: link previews and scanners that fetch it do not use it up; the press does.
  app.get('/signin/:token', (c) => {
    const lang = langOf(c);
    const form = html`<form method="post" action="/signin"><input type="hidden" name="token" value="${c.req.param('token')}"><button>${w(lang, 'web.signin.button')}</button></form>`;
    return c.html(notice(lang, t(lang, 'web.signin.title'), t(lang, 'web.signin.intro'), form));
  });

  app.post('/signin', async (c) => {
    const lang = langOf(c);
    const body = await c.req.parseBody();
    const token = typeof body.token === 'string' ? body.token : '';
    const now = deps.clock.now();
    const result = await deps.store.transaction(async (tx) => {
      const current = await currentSession(tx, deps.access, getCookie(c, SESSION_COOKIE), now);
      return signIn(tx, deps.access, token, now, current);
    });
    if (!result.ok) {
      const message = result.reason === 'expired' ? t(lang, 'web.signin.expired', { minutes: LINK_TTL_MINUTES }) : t(lang, result.reason === 'used' ? 'web.signin.used' : 'web.signin.unknown');
      return c.html(notice(lang, t(lang, 'web.signin.title'), message), result.reason === 'unknown' ? 404 : 410);
    }
    if (result.newToken) setCookie(c, SESSION_COOKIE, result.newToken, { ...cookieOptions, maxAge: SESSION_TTL_HOURS * 3600 });
    return c.redirect(groupPath(result.groupId, 'buys'), 303);
  });

  app.post('/signout', async (c) => {
    const session = await currentSession(deps.store, deps.access, getCookie(c, SESSION_COOKIE), deps.clock.now());
    const lang = session?.language ?? langOf(c);
    if (session) {
      if (!(await csrfMatches(c, session.csrfToken))) return c.html(notice(lang, t(lang, 'web.title'), t(lang, 'web.csrf')), 403);
      await deps.store.dashboard.deleteSession(session.id);
    }
    deleteCookie(c, SESSION_COOKIE, { path: '/' });
    return c.html(notice(lang, t(lang, 'web.title'), t(lang, 'web.signed_out')));
  });

  app.post('/lang', async (c) => {
    const session = await currentSession(deps.store, deps.access, getCookie(c, SESSION_COOKIE), deps.clock.now());
    const lang = langOf(c);
    if (!session) return c.html(notice(lang, t(lang, 'web.title'), t(lang, 'web.not_signed_in')), 401);
    if (!(await csrfMatches(c, session.csrfToken))) return c.html(notice(lang, t(lang, 'web.title'), t(lang, 'web.csrf')), 403);
    const body = await c.req.parseBody();
    const chosen = body.lang === 'en' || body.lang === 'zh-CN' ? body.lang : null;
    await deps.store.dashboard.setSessionLanguage(session.id, chosen);
    // Only back to a path of this site.
    const next = typeof body.next === 'string' && /^\/(?![/\\])/.test(body.next) ? body.next : '/';
    return c.redirect(next, 303);
  });

  app.use('/g/:gid/*', groupAccess(deps));
  // Each page adds its routes under /g/:gid/ (docs/dashboard.md, "How to add a page").
  buysRoutes(app, deps);
  membersRoutes(app, deps);
  reviewsRoutes(app, deps);
  likesRoutes(app, deps);
  settingsRoutes(app, deps);
  return app;
}

export { csrfField };
