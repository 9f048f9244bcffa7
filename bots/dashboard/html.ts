/**
 * Server-rendered HTML: Hono's `html` tag escapes every interpolated string (names, titles, notes are user input and
 * are only ever text), and the page layout with its navigation, language switch and chart data.
 */
import { html, raw } from 'hono/html';
import type { Language } from '../../core/kernel/language.js';
import { t, type MessageKey, type MessageParams } from '../../core/i18n/translate.js';

/** A piece of escaped HTML. */
export type Html = ReturnType<typeof html>;
export { html };

/** What every page's layout shows about who is signed in where. */
export interface Viewer {
  lang: Language;
  csrf: string;
  name: string;
  role: 'admin' | 'moderator';
  /** The groups this session may open: id and title. */
  groups: { id: string; title: string }[];
  groupId: string;
  /** The current path (the language switch comes back here). */
  path: string;
}

/** Words in the viewer's language. */
export function w<K extends MessageKey>(lang: Language, key: K, ...params: MessageParams<K> extends undefined ? [] : [MessageParams<K>]): string {
  return t(lang, key, ...params);
}

/** The path of a group's page: group ids carry a platform prefix and may have a minus sign (`tg:-100…`). */
export function groupPath(groupId: string, page: string): string {
  return `/g/${encodeURIComponent(groupId)}/${page}`;
}

/** The hidden field every state-changing form carries. */
export function csrfField(csrf: string): Html {
  return html`<input type="hidden" name="_csrf" value="${csrf}">`;
}

/**
 * Chart configurations for the browser (drawn by /assets/dashboard.js with chart.js): JSON inside a non-executed
 * script element, with `<` escaped so no text in it can close the element.
 */
export function chartData(charts: readonly unknown[]): Html {
  const json = JSON.stringify(charts).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
  return html`<script type="application/json" id="charts">${raw(json)}</script>`;
}

/** The pages in the header, in order: the path under /g/<group>/ and the label. A new page adds a line. */
export const NAV_PAGES: readonly { key: string; label: MessageKey }[] = [
  { key: 'buys', label: 'web.nav.buys' },
  { key: 'members', label: 'web.nav.members' },
  { key: 'reviews', label: 'web.nav.reviews' },
  { key: 'likes', label: 'web.nav.likes' },
  { key: 'settings', label: 'web.nav.settings' },
];

/** A whole page: head, the signed-in bar with groups, navigation and language switch, then the content. */
export function page(viewer: Viewer, active: string, title: string, content: Html, charts: readonly unknown[] = []): Html {
  const { lang } = viewer;
  const nav = NAV_PAGES.map(
    (p) => html`<a href="${groupPath(viewer.groupId, p.key)}"${p.key === active ? raw(' aria-current="page"') : ''}>${t(lang, p.label as 'web.nav.buys')}</a> `,
  );
  const body = html`<header>
  <strong>${w(lang, 'web.title')}</strong>
  <nav>${nav}</nav>
  <form method="post" action="/lang" class="inline">${csrfField(viewer.csrf)}<input type="hidden" name="next" value="${viewer.path}">
    <span>${w(lang, 'web.language')}:</span>
    <button name="lang" value="zh-CN"${lang === 'zh-CN' ? raw(' disabled') : ''}>中文</button>
    <button name="lang" value="en"${lang === 'en' ? raw(' disabled') : ''}>English</button>
  </form>
  <form method="post" action="/signout" class="inline">${csrfField(viewer.csrf)}<button>${w(lang, 'web.signout')}</button></form>
</header>
<div class="who">${w(lang, 'web.signed_in_as', { name: viewer.name, role: w(lang, viewer.role === 'admin' ? 'web.role.admin' : 'web.role.moderator') })}
  · ${w(lang, 'web.groups')}: ${viewer.groups.map((g, i) => html`${i ? ' · ' : ''}<a href="${groupPath(g.id, active)}"${g.id === viewer.groupId ? raw(' aria-current="page"') : ''}>${g.title}</a>`)}
</div>
<main>
<h1>${title}</h1>
${content}
</main>
${chartData(charts)}`;
  return document(lang, title, body);
}

/** A page with only a message (signed out, refused, an expired link) or a small form. */
export function notice(lang: Language, title: string, message: string, extra: Html | string = ''): Html {
  return document(lang, title, html`<main class="notice"><h1>${title}</h1><p class="message">${message}</p>${extra}</main>`);
}

function document(lang: Language, title: string, body: Html): Html {
  return html`<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${title} · tuanbot</title>
<link rel="stylesheet" href="/assets/dashboard.css">
<script src="/assets/chart.umd.js" defer></script>
<script src="/assets/dashboard.js" defer></script>
</head>
<body>
${body}
</body>
</html>`;
}
