/**
 * The Likes page: the newest shares with their likes, active like tasks and the open round with completion, the
 * like graph as an SVG drawn here (names are escaped text), and the fake-engagement cases with the chat alert's
 * Dismiss and Confirm (the same use cases, moderators and admins, CSRF-checked like every POST). Data:
 * core/dashboard/likes-overview.ts.
 */
import { likesOverview, type Completion, type LikeGraph, type LikesOverview } from '../../../core/dashboard/likes-overview.js';
import { ResvgRenderer } from '../../pictures/resvg-renderer.js';
import { caseLine, kindName, statusText } from '../../../core/moderation/case-text.js';
import { confirmCase, dismissCase } from '../../../core/moderation/decide-case.js';
import { formatDateTime } from '../../../core/time/parse-when.js';
import { explain, flash, loadFlash, takeFlash, type DashboardApp, type DashboardDeps, type GroupViewer } from '../app.js';
import { csrfField, groupPath, html, page, w, type Html } from '../html.js';

/** Draws the graph's PNG (resvg, loaded at the first download). */
const pictures = new ResvgRenderer();

const DECISIONS = { dismiss: dismissCase, confirm: confirmCase } as const;

/** GET /g/:gid/likes (page), GET /g/:gid/api/likes (JSON), POST /g/:gid/likes/cases/:id/(dismiss|confirm). */
export function likesRoutes(app: DashboardApp, deps: DashboardDeps): void {
  app.get('/g/:gid/likes', async (c) => {
    const viewer = c.get('viewer');
    const o = await likesOverview(deps.store, viewer.group, deps.clock.now());
    await loadFlash(deps, viewer);
    const statuses = new Map(await Promise.all(o.cases.map(async (k) => [k.id, await statusText(deps.store, k, viewer.lang)] as const)));
    return c.html(page(viewer, 'likes', w(viewer.lang, 'web.likes.title'), render(viewer, o, statuses)));
  });

  app.get('/g/:gid/api/likes', async (c) => c.json(await likesOverview(deps.store, c.get('viewer').group, deps.clock.now())));

  // The like graph as a PNG file, drawn on the server by the same renderer as the chat's pictures (resvg).
  app.get('/g/:gid/likes/graph.png', async (c) => {
    const o = await likesOverview(deps.store, c.get('viewer').group, deps.clock.now());
    const png = await pictures.png(String(await graphSvg(o.graph)));
    return c.body(new Uint8Array(png), 200, { 'Content-Type': 'image/png', 'Content-Disposition': 'attachment; filename="like-graph.png"' });
  });

  app.post('/g/:gid/likes/cases/:id/:decision', async (c) => {
    const viewer = c.get('viewer');
    const decide = DECISIONS[c.req.param('decision') as keyof typeof DECISIONS] as (typeof DECISIONS)[keyof typeof DECISIONS] | undefined;
    const id = Number(c.req.param('id'));
    const flagCase = Number.isInteger(id) && decide ? await deps.store.moderation.getCase(id) : null;
    // Only a case of this group: the chat's button finds its group from the case; here the viewer's group is checked.
    if (!flagCase || flagCase.groupId !== viewer.groupId) return c.html(page(viewer, 'likes', w(viewer.lang, 'web.not_found'), html``), 404);
    try {
      const command = `mod:${c.req.param('decision')}`;
      const { told } = await deps.core.actAs(
        { memberId: viewer.member.id, groupId: viewer.groupId, chatId: viewer.chatId, lang: viewer.lang, requires: 'moderator', command },
        (ctx) => decide!(ctx, id),
      );
      // The chat answers a decision with a toast on the button, which has no place here: say the case's status now.
      const now = await deps.store.moderation.getCase(id);
      const status = now ? await statusText(deps.store, now, viewer.lang) : '';
      await flash(deps, viewer, true, [`#${id}: ${status}`, ...told.map((r) => ('text' in r ? r.text : ''))].filter(Boolean).join('\n'));
    } catch (error) {
      await flash(deps, viewer, false, explain(deps, viewer, error));
    }
    return c.redirect(groupPath(viewer.groupId, 'likes'), 303);
  });
}

/** A circle of members, arrows liker -> author; every label goes through the escaping `html` tag. */
export function graphSvg(graph: LikeGraph): Html {
  const size = 520;
  const centre = size / 2;
  const radius = size / 2 - 70;
  const at = new Map(graph.nodes.map((n, i) => {
    const angle = (2 * Math.PI * i) / graph.nodes.length - Math.PI / 2;
    return [n.id, { x: centre + radius * Math.cos(angle), y: centre + radius * Math.sin(angle) }] as const;
  }));
  const max = Math.max(1, ...graph.edges.map((e) => e.likes));
  const r = (n: number) => n.toFixed(1);
  return html`<svg id="like-graph" xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" viewBox="0 0 ${size} ${size}" role="img">
<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="6" markerHeight="6" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="#2563eb"/></marker></defs>
${graph.edges.map((e) => {
    const a = at.get(e.from)!;
    const b = at.get(e.to)!;
    const len = Math.hypot(b.x - a.x, b.y - a.y) || 1;
    const [dx, dy] = [((b.x - a.x) / len) * 14, ((b.y - a.y) / len) * 14];
    return html`<line class="edge" data-from="${e.from}" data-to="${e.to}" x1="${r(a.x + dx)}" y1="${r(a.y + dy)}" x2="${r(b.x - dx)}" y2="${r(b.y - dy)}" stroke="#2563eb" stroke-opacity="0.6" stroke-width="${r(1 + (3 * e.likes) / max)}" marker-end="url(#arrow)"><title>${e.likes}</title></line>`;
  })}
${graph.nodes.map((n) => {
    const p = at.get(n.id)!;
    return html`<g class="node" data-member="${n.id}"><circle cx="${r(p.x)}" cy="${r(p.y)}" r="12" fill="#f59e0b"/><text x="${r(p.x)}" y="${r(p.y + 28)}" text-anchor="middle" font-size="12">${n.name}</text></g>`;
  })}
</svg>`;
}

function percent(lang: GroupViewer['lang'], c: Completion): string {
  return c.percent === null ? w(lang, 'web.likes.completion_none') : w(lang, 'web.likes.completion', { done: c.done, of: c.of, percent: c.percent });
}

/** Every round with who completed it, and every like task with the shares that reached it: newest first. */
function history(viewer: GroupViewer, o: LikesOverview): Html {
  const { lang, group } = viewer;
  const when = (at: Date) => formatDateTime(at, group.timeZone);
  const names = (list: readonly { displayName: string }[]) => (list.length ? list.map((e, i) => html`${i ? ', ' : ''}${e.displayName}`) : w(lang, 'web.likes.nobody'));
  return html`
<h2>${w(lang, 'web.likes.rounds_title')}</h2>
${o.rounds.length === 0 ? html`<p>${w(lang, 'web.likes.rounds_none')}</p>` : html`<table class="rounds"><thead><tr>
  <th>${w(lang, 'web.likes.col.round')}</th><th>${w(lang, 'web.likes.col.period')}</th><th>${w(lang, 'web.likes.col.status')}</th><th>${w(lang, 'web.likes.col.completion')}</th><th>${w(lang, 'web.likes.col.who')}</th>
</tr></thead><tbody>
${o.rounds.map((r) => html`<tr data-round="${r.id}"><td>#${r.id}</td><td>${when(r.opensAt)} – ${when(r.endsAt)}</td><td>${w(lang, r.status === 'open' ? 'web.likes.round_open' : 'web.likes.round_closed')}</td>
  <td class="completion" data-percent="${r.completion.percent ?? ''}">${percent(lang, r.completion)}</td><td class="completed-by">${names(r.entries.filter((e) => e.completed === true))}</td></tr>`)}
</tbody></table>`}
<h2>${w(lang, 'web.likes.task_history_title')}</h2>
${o.taskHistory.length === 0 ? html`<p>${w(lang, 'web.likes.task_history_none')}</p>` : html`<table class="task-history"><thead><tr>
  <th>${w(lang, 'web.likes.col.task')}</th><th>${w(lang, 'web.likes.col.rule')}</th><th>${w(lang, 'web.likes.col.status')}</th><th>${w(lang, 'web.likes.col.reached')}</th><th>${w(lang, 'web.likes.col.who')}</th>
</tr></thead><tbody>
${o.taskHistory.map((t) => html`<tr data-task="${t.id}"><td>#${t.id}</td><td>${w(lang, 'web.likes.task_rule', { goal: t.goalLikes, minutes: t.withinMinutes, points: t.rewardPoints })}</td>
  <td>${t.active ? w(lang, 'web.likes.task_running') : w(lang, 'web.likes.task_ended', { when: when(t.endedAt ?? t.createdAt) })}</td>
  <td class="completion" data-percent="${t.completion.percent ?? ''}">${percent(lang, t.completion)}</td><td class="completed-by">${names(t.completions)}</td></tr>`)}
</tbody></table>`}`;
}

function render(viewer: GroupViewer, o: LikesOverview, statuses: ReadonlyMap<number, string>): Html {
  const { lang, group } = viewer;
  const message = takeFlash(viewer);
  const round = o.openRound;
  return html`
${message ? html`<p class="flash ${message.ok ? 'ok' : 'error'}" role="status">${message.text}</p>` : ''}
<p class="summary">${w(lang, 'web.likes.summary', { shares: o.totalShares, likes: o.totalLikes })}</p>
<h2>${w(lang, 'web.likes.cases_title')}</h2>
${o.cases.length === 0 ? html`<p>${w(lang, 'web.likes.cases_none')}</p>` : html`<table class="cases"><tbody>
${o.cases.map((k) => html`<tr data-case="${k.id}"><td>${caseLine(k, lang)}</td><td>${kindName(k.kind, lang)}</td>
  <td class="accounts">${k.members.map((m, i) => html`${i ? ', ' : ''}${m.displayName}`)}</td><td class="status">${statuses.get(k.id) ?? ''}</td>
  <td>${k.status === 'open' ? html`${(['dismiss', 'confirm'] as const).map((d) => html`<form method="post" action="${groupPath(viewer.groupId, `likes/cases/${k.id}/${d}`)}" class="inline">${csrfField(viewer.csrf)}<button name="decision" value="${d}">${w(lang, d === 'dismiss' ? 'flag.button_dismiss' : 'flag.button_confirm')}</button></form> `)}` : ''}</td></tr>`)}
</tbody></table>`}
<h2>${w(lang, 'web.likes.graph_title')}</h2>
${o.graph.edges.length === 0 ? html`<p>${w(lang, 'web.likes.graph_none')}</p>` : html`<p class="muted">${w(lang, 'web.likes.graph_hint')}</p><figure class="graph">${graphSvg(o.graph)}</figure>
<p><a class="graph-png" href="${groupPath(viewer.groupId, 'likes/graph.png')}" download="like-graph.png">${w(lang, 'web.likes.graph_png')}</a></p>`}
<h2>${w(lang, 'web.likes.tasks_title')}</h2>
${o.tasks.length === 0 ? html`<p>${w(lang, 'web.likes.tasks_none')}</p>` : html`<ul class="tasks">${o.tasks.map((t) => html`<li>${w(lang, 'web.likes.task_line', { id: t.task.id, goal: t.task.goalLikes, minutes: t.task.withinMinutes, points: t.task.rewardPoints, completions: t.completions })}</li>`)}</ul>`}
<h2>${w(lang, 'web.likes.round_title')}</h2>
${round ? html`<p class="round">${w(lang, 'web.likes.round_line', { id: round.round.id, ends: formatDateTime(round.round.endsAt, group.timeZone), entries: round.entries.length, completed: round.completed })}</p>
<ul>${round.entries.map((e) => html`<li>${e.displayName} · #${e.shareId} · ${w(lang, e.completed ? 'web.likes.round_completed' : 'web.likes.round_pending')}</li>`)}</ul>` : html`<p>${w(lang, 'web.likes.round_none')}</p>`}
${history(viewer, o)}
<h2>${w(lang, 'web.likes.shares_title')}</h2>
${o.shares.length === 0 ? html`<p>${w(lang, 'web.likes.shares_none')}</p>` : html`<table class="shares"><thead><tr>
  <th>${w(lang, 'web.likes.col.share')}</th><th>${w(lang, 'web.likes.col.author')}</th><th>${w(lang, 'web.likes.col.text')}</th><th>${w(lang, 'web.likes.col.likes')}</th><th>${w(lang, 'web.likes.col.when')}</th>
</tr></thead><tbody>
${o.shares.map((s) => html`<tr data-share="${s.id}"><td>#${s.id}</td><td class="author">${s.authorName}</td><td class="text">${s.text}</td><td class="likes">${s.likes}</td><td>${formatDateTime(s.createdAt, group.timeZone)}</td></tr>`)}
</tbody></table>`}`;
}
