/**
 * The Buys page: charts (fill over time against min and max, formed/failed rate, units and revenue by week), open
 * and closed buys, the order list with filters, export (the chat's /export files) and paid/delivered marks (the
 * chat's /paid, /delivered, /unpaid, /undelivered use case). Data: core/dashboard/buys-overview.ts.
 */
import type { Context } from 'hono';
import { buysOverview, type BuysOverview, type BuySummary, type OrderFilters } from '../../../core/dashboard/buys-overview.js';
import { exportSignUps } from '../../../core/group-buy/export-sign-ups.js';
import { markSignUps, type Mark } from '../../../core/group-buy/mark-sign-ups.js';
import { formatMoney } from '../../../core/money.js';
import type { DocumentReply } from '../../../core/replies.js';
import { formatDateTime } from '../../../core/time/parse-when.js';
import { explain, flash, loadFlash, takeFlash, type DashboardApp, type DashboardDeps, type DashboardEnv, type GroupViewer } from '../app.js';
import { csrfField, groupPath, html, page, w, type Html } from '../html.js';

const MARKS: readonly Mark[] = ['paid', 'unpaid', 'delivered', 'undelivered'];
/** The chat's export files, by the name the page links them as. */
const EXPORT_FILES = { csv: (id: number) => `buy-${id}.csv`, xlsx: (id: number) => `buy-${id}.xlsx`, 'pickup.csv': (id: number) => `buy-${id}-pickup.csv` } as const;

/** GET /g/:gid/buys (page), GET /g/:gid/api/buys (JSON), marks (form and API), export downloads. */
export function buysRoutes(app: DashboardApp, deps: DashboardDeps): void {
  app.get('/g/:gid/buys', async (c) => {
    const viewer = c.get('viewer');
    const { overview, filters } = await read(c, deps, viewer);
    await loadFlash(deps, viewer);
    return c.html(page(viewer, 'buys', w(viewer.lang, 'web.buys.title'), render(viewer, overview, filters), charts(viewer, overview)));
  });

  app.get('/g/:gid/api/buys', async (c) => {
    const viewer = c.get('viewer');
    const { overview } = await read(c, deps, viewer);
    return c.json({ ...overview, charts: charts(viewer, overview) });
  });

  // A form's mark: the result (or the chat's refusal) is shown on the page it came back to.
  app.post('/g/:gid/buys/:id/mark', async (c) => {
    const viewer = c.get('viewer');
    const body = await c.req.parseBody();
    const result = await mark(deps, viewer, Number(c.req.param('id')), String(body.member ?? ''), String(body.mark ?? ''));
    await flash(deps, viewer, result.ok, result.message);
    const back = typeof body.back === 'string' && body.back.startsWith(groupPath(viewer.groupId, 'buys')) ? body.back : groupPath(viewer.groupId, 'buys');
    return c.redirect(back, 303);
  });

  app.post('/g/:gid/api/buys/:id/mark', async (c) => {
    const viewer = c.get('viewer');
    const body = (await c.req.json().catch(() => ({}))) as { member?: unknown; mark?: unknown };
    const result = await mark(deps, viewer, Number(c.req.param('id')), String(body.member ?? ''), String(body.mark ?? ''));
    return c.json(result, result.ok ? 200 : 400);
  });

  // The same files /export sends privately, downloaded (admins, as /export).
  app.get('/g/:gid/buys/:id/export/:file', async (c) => {
    const viewer = c.get('viewer');
    const id = Number(c.req.param('id'));
    const name = EXPORT_FILES[c.req.param('file') as keyof typeof EXPORT_FILES];
    if (!name || !Number.isInteger(id)) return c.notFound();
    try {
      const { told } = await deps.core.actAs(acting(viewer, 'export', 'admin'), (ctx) => exportSignUps(ctx, id));
      const file = told.find((r): r is DocumentReply => r.kind === 'document' && r.filename === name(id));
      if (!file) return c.notFound();
      const body = typeof file.content === 'string' ? `\uFEFF${file.content}` : file.content;
      return c.body(body as never, 200, {
        'Content-Type': file.mimeType.startsWith('text/') ? `${file.mimeType}; charset=utf-8` : file.mimeType,
        'Content-Disposition': `attachment; filename="${file.filename}"`,
      });
    } catch (error) {
      return c.text(explain(deps, viewer, error), 403);
    }
  });
}

function acting(viewer: GroupViewer, command: string, requires: 'admin' | 'moderator') {
  return { memberId: viewer.member.id, groupId: viewer.groupId, chatId: viewer.chatId, lang: viewer.lang, requires, command };
}

/** One member's mark through the chat's use case: same checks (admins only), same DMs, points and audit. */
async function mark(deps: DashboardDeps, viewer: GroupViewer, buyId: number, memberId: string, what: string): Promise<{ ok: boolean; message: string }> {
  if (!MARKS.includes(what as Mark) || !Number.isInteger(buyId) || !memberId) return { ok: false, message: w(viewer.lang, 'web.not_found') };
  try {
    const target = await deps.store.getMember(memberId);
    const { told } = await deps.core.actAs(acting(viewer, what, 'admin'), (ctx) =>
      markSignUps(ctx, what as Mark, { buyId, mentions: [{ id: memberId, displayName: target?.displayName ?? memberId }], names: [] }),
    );
    return { ok: true, message: told.map((r) => ('text' in r ? r.text : '')).filter(Boolean).join('\n') };
  } catch (error) {
    return { ok: false, message: explain(deps, viewer, error) };
  }
}

async function read(c: Context<DashboardEnv>, deps: DashboardDeps, viewer: GroupViewer): Promise<{ overview: BuysOverview; filters: OrderFilters }> {
  const q = c.req.query();
  const yesNo = (v: string | undefined) => (v === 'yes' ? true : v === 'no' ? false : undefined);
  const id = (v: string | undefined) => (v && /^\d{1,9}$/.test(v) ? Number(v) : undefined);
  const filters: OrderFilters = { buyId: id(q.buy), paid: yesNo(q.paid), delivered: yesNo(q.delivered), search: q.q?.slice(0, 64) || undefined };
  const overview = await buysOverview(deps.store, viewer.group, { filters, fillBuyId: id(q.fill), now: deps.clock.now() });
  return { overview, filters };
}

/** chart.js configurations (data only; /assets/dashboard.js adds the time axis and draws them). */
function charts(viewer: GroupViewer, o: BuysOverview): unknown[] {
  const { lang, group } = viewer;
  const out: unknown[] = [];
  if (o.fill) {
    const first = o.fill.points[0]!.at.getTime();
    const last = Math.max(o.fill.points.at(-1)!.at.getTime(), first + 60_000);
    const flat = (y: number) => [{ x: first, y }, { x: last, y }];
    out.push({
      canvas: 'chart-fill', type: 'line', timeAxis: { timeZone: group.timeZone, locale: lang },
      data: {
        datasets: [
          { label: w(lang, 'web.buys.fill_units'), data: o.fill.points.map((p) => ({ x: p.at.getTime(), y: p.units })), stepped: true, borderColor: '#2563eb', backgroundColor: '#2563eb', borderWidth: 2 },
          { label: w(lang, 'web.buys.fill_min'), data: flat(o.fill.minUnits), borderColor: '#16a34a', borderDash: [6, 4], pointRadius: 0, borderWidth: 2 },
          { label: w(lang, 'web.buys.fill_max'), data: flat(o.fill.maxUnits), borderColor: '#dc2626', borderDash: [2, 3], pointRadius: 0, borderWidth: 2 },
        ],
      },
      options: { scales: { x: { type: 'linear' }, y: { beginAtZero: true, suggestedMax: o.fill.maxUnits } } },
    });
  }
  out.push({
    canvas: 'chart-rate', type: 'doughnut',
    data: {
      labels: [w(lang, 'buy.status.formed'), w(lang, 'buy.status.failed'), w(lang, 'buy.status.cancelled')],
      datasets: [{ data: [o.rate.formed, o.rate.failed, o.rate.cancelled], backgroundColor: ['#16a34a', '#dc2626', '#9ca3af'] }],
    },
  });
  out.push({
    canvas: 'chart-weekly', type: 'bar',
    data: {
      labels: o.weeks.map((wk) => wk.week),
      datasets: [
        { label: w(lang, 'web.buys.weekly_units'), data: o.weeks.map((wk) => wk.units), backgroundColor: '#2563eb', yAxisID: 'units' },
        { label: w(lang, 'web.buys.weekly_revenue', { currency: group.currency }), data: o.weeks.map((wk) => wk.revenueCents / 100), type: 'line', borderColor: '#f59e0b', backgroundColor: '#f59e0b', yAxisID: 'revenue' },
      ],
    },
    options: { scales: { units: { type: 'linear', position: 'left', beginAtZero: true }, revenue: { type: 'linear', position: 'right', beginAtZero: true, grid: { drawOnChartArea: false } } } },
  });
  return out;
}

function render(viewer: GroupViewer, o: BuysOverview, filters: OrderFilters): Html {
  const { lang } = viewer;
  const message = takeFlash(viewer);
  const noBuys = o.open.length === 0 && o.closed.length === 0;
  return html`
${message ? html`<p class="flash ${message.ok ? 'ok' : 'error'}" role="status">${message.text}</p>` : ''}
${noBuys ? html`<p>${w(lang, 'web.buys.none')}</p>` : ''}
<section class="charts">
  ${o.fill ? html`<figure><figcaption>${w(lang, 'web.buys.fill_title', { id: o.fill.buyId, title: o.fill.title })}</figcaption><canvas id="chart-fill" width="560" height="260"></canvas></figure>` : ''}
  <figure><figcaption>${w(lang, 'web.buys.rate_title')}</figcaption><canvas id="chart-rate" width="260" height="260"></canvas>
    <p>${o.closed.length ? w(lang, 'web.buys.rate_line', o.rate) : w(lang, 'web.buys.rate_none')}</p></figure>
  <figure><figcaption>${w(lang, 'web.buys.weekly_title')}</figcaption><canvas id="chart-weekly" width="560" height="260"></canvas></figure>
</section>
${o.open.length ? html`<h2>${w(lang, 'web.buys.open')}</h2>${buyTable(viewer, o.open)}` : ''}
${o.closed.length ? html`<h2>${w(lang, 'web.buys.closed')}</h2>${buyTable(viewer, o.closed)}` : ''}
<h2 id="orders">${w(lang, 'web.orders.title')}</h2>
${filterForm(viewer, o, filters)}
${orderTable(viewer, o)}`;
}

function buyTable(viewer: GroupViewer, buys: readonly BuySummary[]): Html {
  const { lang, group } = viewer;
  const base = groupPath(viewer.groupId, 'buys');
  return html`<table class="buys"><thead><tr>
  <th>${w(lang, 'web.buys.col.id')}</th><th>${w(lang, 'web.buys.col.title')}</th><th>${w(lang, 'web.buys.col.status')}</th>
  <th>${w(lang, 'web.buys.col.units')}</th><th>${w(lang, 'web.buys.col.members')}</th><th>${w(lang, 'web.buys.col.ends')}</th><th>${w(lang, 'web.buys.col.revenue')}</th><th></th>
</tr></thead><tbody>
${buys.map((b) => html`<tr data-buy="${b.id}">
  <td>#${b.id}</td><td class="title">${b.title}</td><td>${w(lang, `buy.status.${b.status}`)}</td>
  <td>${b.units} / ${b.minUnits}–${b.maxUnits}</td><td>${b.members}${b.waitlisted ? ` (+${b.waitlisted})` : ''}</td>
  <td>${formatDateTime(b.closedAt ?? b.endsAt, group.timeZone)}</td><td>${formatMoney(b.revenueCents, group.currency)}</td>
  <td><a href="${base}?fill=${b.id}">${w(lang, 'web.buys.show_fill')}</a> · <a href="${base}?buy=${b.id}#orders">${w(lang, 'web.orders.title')}</a></td>
</tr>`)}
</tbody></table>`;
}

function filterForm(viewer: GroupViewer, o: BuysOverview, f: OrderFilters): Html {
  const { lang } = viewer;
  const choice = (name: string, value: boolean | undefined, label: string) => html`<label>${label}
    <select name="${name}"><option value="">${w(lang, 'web.orders.all')}</option>
    <option value="yes"${value === true ? html` selected` : ''}>${w(lang, 'web.orders.yes')}</option>
    <option value="no"${value === false ? html` selected` : ''}>${w(lang, 'web.orders.no')}</option></select></label>`;
  const buys = [...o.open, ...o.closed];
  return html`<form method="get" action="${groupPath(viewer.groupId, 'buys')}" class="filters">
  <label>${w(lang, 'web.orders.buy')} <select name="buy"><option value="">${w(lang, 'web.orders.all')}</option>
    ${buys.map((b) => html`<option value="${b.id}"${f.buyId === b.id ? html` selected` : ''}>#${b.id} ${b.title}</option>`)}</select></label>
  ${choice('paid', f.paid, w(lang, 'web.orders.paid'))} ${choice('delivered', f.delivered, w(lang, 'web.orders.delivered'))}
  <label>${w(lang, 'web.orders.search')} <input name="q" value="${f.search ?? ''}" maxlength="64"></label>
  <button>${w(lang, 'web.orders.filter')}</button>
</form>
${f.buyId !== undefined && viewer.role === 'admin' ? html`<p class="export">${w(lang, 'web.orders.export', { id: f.buyId })}
  ${Object.keys(EXPORT_FILES).map((file) => html` <a href="${groupPath(viewer.groupId, `buys/${f.buyId}/export/${file}`)}" download>${file.toUpperCase()}</a>`)}</p>` : ''}`;
}

function orderTable(viewer: GroupViewer, o: BuysOverview): Html {
  const { lang, group } = viewer;
  if (o.orders.length === 0) return html`<p>${w(lang, 'web.orders.none')}</p>`;
  const yes = (v: boolean) => w(lang, v ? 'web.orders.yes' : 'web.orders.no');
  const button = (r: BuysOverview['orders'][number], what: Mark, label: string) => html`<form method="post" action="${groupPath(viewer.groupId, `buys/${r.buyId}/mark`)}" class="inline">
    ${csrfField(viewer.csrf)}<input type="hidden" name="member" value="${r.memberId}"><input type="hidden" name="back" value="${viewer.path}"><button name="mark" value="${what}">${label}</button></form>`;
  return html`<table class="orders"><thead><tr>
  <th>${w(lang, 'web.orders.buy')}</th><th>${w(lang, 'web.orders.col.member')}</th><th>${w(lang, 'web.orders.col.qty')}</th><th>${w(lang, 'web.orders.col.variant')}</th>
  <th>${w(lang, 'web.orders.col.note')}</th><th>${w(lang, 'web.orders.col.amount')}</th><th>${w(lang, 'web.orders.col.state')}</th>
  <th>${w(lang, 'web.orders.paid')}</th><th>${w(lang, 'web.orders.delivered')}</th>${viewer.role === 'admin' ? html`<th></th>` : ''}
</tr></thead><tbody>
${o.orders.map((r) => html`<tr data-signup="${r.signUpId}">
  <td>#${r.buyId}</td><td class="member">${r.displayName}${r.username ? html` <span class="muted">@${r.username}</span>` : ''}</td><td>${r.quantity}</td>
  <td>${r.variant ?? ''}</td><td class="note">${r.note ?? ''}</td><td>${formatMoney(r.amountCents, group.currency)}</td>
  <td>${w(lang, r.status === 'active' ? 'web.orders.active' : 'web.orders.waitlisted')}</td>
  <td class="paid">${yes(r.paid)}</td><td class="delivered">${yes(r.delivered)}</td>
  ${viewer.role === 'admin' && r.status === 'active' ? html`<td class="actions">
    ${r.buyStatus !== 'failed' && r.buyStatus !== 'cancelled' ? (r.paid ? button(r, 'unpaid', w(lang, 'web.orders.mark_unpaid')) : button(r, 'paid', w(lang, 'web.orders.mark_paid'))) : ''}
    ${r.buyStatus === 'formed' ? (r.delivered ? button(r, 'undelivered', w(lang, 'web.orders.mark_undelivered')) : button(r, 'delivered', w(lang, 'web.orders.mark_delivered'))) : ''}
  </td>` : viewer.role === 'admin' ? html`<td></td>` : ''}
</tr>`)}
</tbody></table>`;
}
