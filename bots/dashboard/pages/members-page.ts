/**
 * The Members page: every present member with level, points, streak, badges, last order and churn risk, a search
 * by name, charts of members per level and of the points distribution; and a member's own page with their points
 * ledger and orders. Read only. Data: core/dashboard/members-overview.ts.
 */
import { memberDetail, membersOverview, type MemberDetail, type MemberRow, type MembersOverview } from '../../../core/dashboard/members-overview.js';
import { formatMoney } from '../../../core/money.js';
import { reasonName } from '../../../core/points/adjust-points.js';
import { badgeName, type Badge } from '../../../core/points/badges.js';
import { levelName } from '../../../core/points/levels.js';
import { formatDateTime } from '../../../core/time/parse-when.js';
import type { DashboardApp, DashboardDeps, GroupViewer } from '../app.js';
import { groupPath, html, page, w, type Html } from '../html.js';

/** GET /g/:gid/members (page, `?q=` searches), /g/:gid/members/:member (one member), and both as JSON under /api/. */
export function membersRoutes(app: DashboardApp, deps: DashboardDeps): void {
  const search = (q: string | undefined) => q?.slice(0, 64) || undefined;

  app.get('/g/:gid/members', async (c) => {
    const viewer = c.get('viewer');
    const q = search(c.req.query('q'));
    const o = await membersOverview(deps.store, viewer.group, { search: q, now: deps.clock.now() });
    return c.html(page(viewer, 'members', w(viewer.lang, 'web.members.title'), render(viewer, o, q ?? ''), charts(viewer, o)));
  });

  app.get('/g/:gid/api/members', async (c) => {
    const viewer = c.get('viewer');
    const o = await membersOverview(deps.store, viewer.group, { search: search(c.req.query('q')), now: deps.clock.now() });
    return c.json({ ...o, charts: charts(viewer, o) });
  });

  app.get('/g/:gid/members/:member', async (c) => {
    const viewer = c.get('viewer');
    const detail = await memberDetail(deps.store, viewer.group, c.req.param('member'), { now: deps.clock.now() });
    if (!detail) return c.html(page(viewer, 'members', w(viewer.lang, 'web.not_found'), html`<p><a href="${groupPath(viewer.groupId, 'members')}">${w(viewer.lang, 'web.members.back')}</a></p>`), 404);
    return c.html(page(viewer, 'members', detail.member.displayName, renderMember(viewer, detail)));
  });

  app.get('/g/:gid/api/members/:member', async (c) => {
    const viewer = c.get('viewer');
    const detail = await memberDetail(deps.store, viewer.group, c.req.param('member'), { now: deps.clock.now() });
    return detail ? c.json(detail) : c.json({ error: w(viewer.lang, 'web.not_found') }, 404);
  });
}

function charts(viewer: GroupViewer, o: MembersOverview): unknown[] {
  const { lang } = viewer;
  const members = w(lang, 'web.members.members_axis');
  return [
    {
      canvas: 'chart-levels', type: 'bar',
      data: { labels: o.levels.map((l) => levelName(l.level)), datasets: [{ label: members, data: o.levels.map((l) => l.members), backgroundColor: ['#93c5fd', '#60a5fa', '#2563eb', '#1e3a8a'] }] },
      options: { scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } },
    },
    {
      canvas: 'chart-points', type: 'bar',
      data: {
        labels: o.distribution.map((b, i) => (i === 0 ? `≤ ${b.upTo}` : b.upTo === null ? `> ${b.from - 1}` : `${b.from}–${b.upTo}`)),
        datasets: [{ label: members, data: o.distribution.map((b) => b.members), backgroundColor: '#f59e0b' }],
      },
      options: { scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } },
    },
  ];
}

function churnCell(viewer: GroupViewer, m: MemberRow): Html {
  const { lang } = viewer;
  if (!m.churn) return html`<span class="muted">${w(lang, 'web.members.churn_none')}</span>`;
  if (m.churn.risk === null) return html`<span class="muted">${w(lang, 'web.members.churn_single')}</span>`;
  const reason = w(lang, 'web.members.churn_reason', { usual: Math.round(m.churn.usualIntervalDays ?? 0), since: Math.floor(m.churn.daysSinceLast ?? 0) });
  return html`<span class="${m.churn.atRisk ? 'risk' : ''}" title="${reason}">${Math.round(m.churn.risk * 100)}%${m.churn.atRisk ? html` · ${w(lang, 'web.members.at_risk')}` : ''}</span>`;
}

function badges(viewer: GroupViewer, list: readonly string[]): string {
  return list.map((b) => badgeName(viewer.lang, b as Badge)).join(viewer.lang === 'en' ? ', ' : '、');
}

function render(viewer: GroupViewer, o: MembersOverview, q: string): Html {
  const { lang, group } = viewer;
  return html`
<section class="charts">
  <figure><figcaption>${w(lang, 'web.members.levels_title')}</figcaption><canvas id="chart-levels" width="420" height="240"></canvas></figure>
  <figure><figcaption>${w(lang, 'web.members.points_title')}</figcaption><canvas id="chart-points" width="560" height="240"></canvas></figure>
</section>
<form method="get" class="filters search">
  <input type="search" name="q" value="${q}" placeholder="${w(lang, 'web.members.search')}" aria-label="${w(lang, 'web.members.search')}">
  <button>${w(lang, 'web.members.search_button')}</button>
</form>
<p class="count">${w(lang, 'web.members.count', { shown: o.members.length, total: o.total, atRisk: o.atRisk, horizon: o.horizonDays })}</p>
${o.members.length === 0 ? html`<p>${w(lang, 'web.members.none')}</p>` : html`<table class="members"><thead><tr>
  <th>${w(lang, 'web.members.col.name')}</th><th>${w(lang, 'web.members.col.level')}</th><th>${w(lang, 'web.members.col.points')}</th>
  <th>${w(lang, 'web.members.col.streak')}</th><th>${w(lang, 'web.members.col.badges')}</th><th>${w(lang, 'web.members.col.last_order')}</th>
  <th>${w(lang, 'web.members.col.orders')}</th><th>${w(lang, 'web.members.col.churn')}</th>
</tr></thead><tbody>
${o.members.map((m) => html`<tr data-member="${m.memberId}">
  <td class="member"><a href="${groupPath(viewer.groupId, `members/${encodeURIComponent(m.memberId)}`)}">${m.displayName}</a>${m.username ? html` <span class="muted">@${m.username}</span>` : ''}${m.isModerator ? html` <span class="muted">(${w(lang, 'web.members.moderator')})</span>` : ''}</td>
  <td class="level">${levelName(m.level)}</td><td class="points">${m.points}</td><td class="streak">${m.streak}</td>
  <td class="badges">${badges(viewer, m.badges)}</td><td>${m.lastOrderAt ? formatDateTime(m.lastOrderAt, group.timeZone) : ''}</td>
  <td>${m.orders}</td><td class="churn">${churnCell(viewer, m)}</td>
</tr>`)}
</tbody></table>`}`;
}

function renderMember(viewer: GroupViewer, d: MemberDetail): Html {
  const { lang, group } = viewer;
  const m = d.member;
  const signed = (n: number) => (n > 0 ? `+${n}` : String(n));
  const yes = (v: boolean) => w(lang, v ? 'web.orders.yes' : 'web.orders.no');
  return html`
<p><a href="${groupPath(viewer.groupId, 'members')}">← ${w(lang, 'web.members.back')}</a></p>
<p class="summary">${m.username ? html`@${m.username} · ` : ''}${w(lang, 'web.members.summary', { level: levelName(m.level), points: m.points, streak: m.streak, orders: m.orders })}</p>
<p>${w(lang, 'web.members.col.badges')}: <span class="badges">${badges(viewer, m.badges)}</span> · ${w(lang, 'web.members.col.churn')}: ${churnCell(viewer, m)}</p>
<h2>${w(lang, 'web.members.ledger_title')}</h2>
${d.ledger.length === 0 ? html`<p>${w(lang, 'web.members.ledger_none')}</p>` : html`<table class="ledger"><thead><tr>
  <th>${w(lang, 'web.members.col.when')}</th><th>${w(lang, 'web.members.col.amount')}</th><th>${w(lang, 'web.members.col.reason')}</th><th>${w(lang, 'web.members.col.by')}</th>
</tr></thead><tbody>
${d.ledger.map((e) => html`<tr><td>${formatDateTime(e.at, group.timeZone)}</td><td class="amount">${signed(e.amount)}</td>
  <td class="reason">${reasonName(lang, e.reason)}${e.note ? html` · ${e.note}` : ''}</td><td>${e.actorName ?? ''}</td></tr>`)}
</tbody></table>`}
<h2>${w(lang, 'web.members.orders_title')}</h2>
${d.orders.length === 0 ? html`<p>${w(lang, 'web.members.orders_none')}</p>` : html`<table class="orders"><thead><tr>
  <th>${w(lang, 'web.orders.buy')}</th><th>${w(lang, 'web.buys.col.title')}</th><th>${w(lang, 'web.buys.col.status')}</th><th>${w(lang, 'web.orders.col.qty')}</th>
  <th>${w(lang, 'web.orders.col.amount')}</th><th>${w(lang, 'web.orders.col.state')}</th><th>${w(lang, 'web.orders.paid')}</th><th>${w(lang, 'web.orders.delivered')}</th>
</tr></thead><tbody>
${d.orders.map((o) => html`<tr data-buy="${o.buyId}"><td>#${o.buyId}</td><td class="title">${o.buyTitle}</td><td>${w(lang, `buy.status.${o.buyStatus}`)}</td>
  <td>${o.quantity}${o.variant ? ` (${o.variant})` : ''}</td><td>${formatMoney(o.amountCents, group.currency)}</td>
  <td>${w(lang, o.status === 'active' ? 'web.orders.active' : o.status === 'waitlisted' ? 'web.orders.waitlisted' : 'web.members.left')}</td>
  <td class="paid">${yes(o.paid)}</td><td class="delivered">${yes(o.delivered)}</td></tr>`)}
</tbody></table>`}`;
}
