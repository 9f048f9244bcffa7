/**
 * The Reviews page: average stars and sentiment by week (chart), the most mentioned aspects with a quote, the
 * negative reviews to answer, the featured ones, and every submitted review newest first. No list is filtered by
 * rating in a way that hides negatives (FTC 16 CFR 465.7): the full list shows them all. An admin answers a negative
 * review from its row: the answer goes privately to the reviewer (core/reviews/reply-review.ts, through the chat's
 * `actAs` with the admin requirement, CSRF-checked and audited). Data: core/dashboard/reviews-overview.ts.
 */
import { reviewsOverview, type ReviewRow, type ReviewsOverview } from '../../../core/dashboard/reviews-overview.js';
import type { Aspect } from '../../../core/llm/review-tags.js';
import { aspectName, sentimentName } from '../../../core/reviews/review-card.js';
import { formatDateTime } from '../../../core/time/parse-when.js';
import { UserError } from '../../../core/errors.js';
import { replyToReview, REPLY_MAX_CHARS } from '../../../core/reviews/reply-review.js';
import { explain, flash, loadFlash, takeFlash, type DashboardApp, type DashboardDeps, type GroupViewer } from '../app.js';
import { csrfField, groupPath, html, page, w, type Html } from '../html.js';

/** GET /g/:gid/reviews (page) and /g/:gid/api/reviews (JSON); `?buy=<id>` narrows both to one buy. */
export function reviewsRoutes(app: DashboardApp, deps: DashboardDeps): void {
  const buyOf = (v: string | undefined) => (v && /^\d{1,9}$/.test(v) ? { buyId: Number(v) } : {});
  app.get('/g/:gid/reviews', async (c) => {
    const viewer = c.get('viewer');
    const o = await reviewsOverview(deps.store, viewer.group, buyOf(c.req.query('buy')));
    await loadFlash(deps, viewer);
    return c.html(page(viewer, 'reviews', w(viewer.lang, 'web.reviews.title'), render(viewer, o), charts(viewer, o)));
  });
  app.get('/g/:gid/api/reviews', async (c) => {
    const viewer = c.get('viewer');
    const o = await reviewsOverview(deps.store, viewer.group, buyOf(c.req.query('buy')));
    return c.json({ ...o, charts: charts(viewer, o) });
  });

  // An answer from a negative review's row (form), or from a script (JSON with X-CSRF-Token): `{ "text": "…" }`.
  app.post('/g/:gid/reviews/:id/reply', async (c) => {
    const viewer = c.get('viewer');
    const body = await c.req.parseBody();
    const result = await reply(deps, viewer, Number(c.req.param('id')), typeof body.text === 'string' ? body.text : '');
    await flash(deps, viewer, result.ok, result.message);
    return c.redirect(groupPath(viewer.groupId, 'reviews'), 303);
  });
  app.post('/g/:gid/api/reviews/:id/reply', async (c) => {
    const viewer = c.get('viewer');
    const body = (await c.req.json().catch(() => ({}))) as { text?: unknown };
    const result = await reply(deps, viewer, Number(c.req.param('id')), typeof body.text === 'string' ? body.text : '');
    return c.json(result, result.ok ? 200 : result.status);
  });
}

/** Runs the answer as the chat's use case would (admins only); what it would tell the admin, or its refusal. */
async function reply(deps: DashboardDeps, viewer: GroupViewer, reviewId: number, text: string): Promise<{ ok: true; message: string } | { ok: false; status: 400 | 403; message: string }> {
  try {
    const { told } = await deps.core.actAs(
      { memberId: viewer.member.id, groupId: viewer.groupId, chatId: viewer.chatId, lang: viewer.lang, requires: 'admin', command: 'review:reply' },
      (ctx) => replyToReview(ctx, reviewId, text),
    );
    return { ok: true, message: told.map((r) => ('text' in r ? r.text : '')).filter(Boolean).join('\n') };
  } catch (error) {
    const message = explain(deps, viewer, error);
    // A moderator meets the chat's rule (admins only); a bad answer or review id is the form's mistake.
    return { ok: false, status: error instanceof UserError && error.key === 'generic.admin_only' ? 403 : 400, message };
  }
}

function charts(viewer: GroupViewer, o: ReviewsOverview): unknown[] {
  const { lang } = viewer;
  if (o.weeks.length === 0) return [];
  const bar = (key: 'positive' | 'neutral' | 'negative', color: string) => ({
    label: w(lang, `review.sentiment.${key}`), data: o.weeks.map((wk) => wk.sentiments[key]), backgroundColor: color, stack: 'sentiment', yAxisID: 'count',
  });
  return [{
    canvas: 'chart-reviews', type: 'bar',
    data: {
      labels: o.weeks.map((wk) => wk.week),
      datasets: [
        { label: w(lang, 'web.reviews.average'), type: 'line', data: o.weeks.map((wk) => wk.averageRating), borderColor: '#f59e0b', backgroundColor: '#f59e0b', borderWidth: 2, yAxisID: 'stars', spanGaps: true },
        bar('positive', '#16a34a'), bar('neutral', '#9ca3af'), bar('negative', '#dc2626'),
      ],
    },
    options: {
      scales: {
        count: { type: 'linear', position: 'left', beginAtZero: true, stacked: true, ticks: { precision: 0 } },
        stars: { type: 'linear', position: 'right', min: 0, max: 5, grid: { drawOnChartArea: false } },
        x: { stacked: true },
      },
    },
  }];
}

function stars(rating: number | null): string {
  return rating === null ? '' : '★'.repeat(rating) + '☆'.repeat(5 - rating);
}

function table(viewer: GroupViewer, rows: readonly ReviewRow[], cls: string, answering = false): Html {
  const { lang, group } = viewer;
  const answer = (r: ReviewRow) => r.reply
    ? html`<span class="reply-text">${r.reply.text}</span> <span class="muted">(${w(lang, 'web.reviews.replied', { who: r.reply.authorName, when: formatDateTime(r.reply.at, group.timeZone) })})</span>`
    : answering && viewer.role === 'admin'
      ? html`<form method="post" action="${groupPath(viewer.groupId, `reviews/${r.id}/reply`)}" class="reply">${csrfField(viewer.csrf)}<label>${w(lang, 'web.reviews.reply_label')}<br><textarea name="text" rows="3" cols="40" maxlength="${REPLY_MAX_CHARS}" required></textarea></label><br><button>${w(lang, 'web.reviews.reply_button')}</button></form>`
      : '';
  const tags = (r: ReviewRow) =>
    [r.sentiment ? sentimentName(lang, r.sentiment) : '', ...r.aspects.map((a) => `${aspectName(lang, a.aspect as Aspect)} ${a.sentiment === 'positive' ? '+' : a.sentiment === 'negative' ? '−' : '·'}`)].filter(Boolean).join(', ');
  return html`<table class="reviews ${cls}"><thead><tr>
  <th>${w(lang, 'web.reviews.col.when')}</th><th>${w(lang, 'web.reviews.col.buy')}</th><th>${w(lang, 'web.reviews.col.author')}</th><th>${w(lang, 'web.reviews.col.rating')}</th>
  <th>${w(lang, 'web.reviews.col.text')}</th><th>${w(lang, 'web.reviews.col.tags')}</th><th>${w(lang, 'web.reviews.col.helpful')}</th><th>${w(lang, 'web.reviews.col.shown')}</th><th>${w(lang, 'web.reviews.col.reply')}</th>
</tr></thead><tbody>
${rows.map((r) => html`<tr data-review="${r.id}"${r.negative ? html` class="negative"` : ''}>
  <td>${formatDateTime(r.submittedAt, group.timeZone)}</td><td>#${r.buyId} <span class="title">${r.buyTitle}</span></td>
  <td class="author">${r.authorName}${r.authorUsername ? html` <span class="muted">@${r.authorUsername}</span>` : ''}</td>
  <td class="rating" data-rating="${r.rating ?? ''}">${stars(r.rating)}</td><td class="text">${r.text}</td><td class="tags">${tags(r)}</td>
  <td>${r.helpfulVotes}</td><td>${w(lang, r.shared ? 'web.orders.yes' : 'web.orders.no')}${r.bestOfMonth ? ` · ${w(lang, 'web.reviews.best_of', { month: r.bestOfMonth })}` : ''}</td>
  <td class="answer">${answer(r)}</td>
</tr>`)}
</tbody></table>`;
}

function render(viewer: GroupViewer, o: ReviewsOverview): Html {
  const { lang } = viewer;
  if (o.all.length === 0) return html`<p>${w(lang, 'web.reviews.none')}</p>`;
  const s = o.summary;
  const message = takeFlash(viewer);
  return html`
${message ? html`<p class="flash ${message.ok ? 'ok' : 'error'}" role="status">${message.text}</p>` : ''}
<p class="summary">${w(lang, 'web.reviews.summary', { count: s.count, average: s.average === null ? '–' : s.average.toFixed(1), ...s.sentiments })}</p>
<section class="charts">
  <figure><figcaption>${w(lang, 'web.reviews.chart_title')}</figcaption><canvas id="chart-reviews" width="640" height="260"></canvas></figure>
</section>
<h2>${w(lang, 'web.reviews.aspects_title')}</h2>
<ul class="aspects">${s.aspects.map((a) => html`<li data-aspect="${a.aspect}"><strong>${aspectName(lang, a.aspect)}</strong>: ${w(lang, 'web.reviews.aspect_line', a)} — <q>${a.example}</q></li>`)}</ul>
<h2>${w(lang, 'web.reviews.negative_title')}</h2>
<p class="muted">${w(lang, 'web.reviews.negative_hint')}</p>
${o.negative.length ? table(viewer, o.negative, 'negative-list', true) : html`<p>${w(lang, 'web.reviews.negative_none')}</p>`}
<h2>${w(lang, 'web.reviews.featured_title')}</h2>
${o.featured.length ? table(viewer, o.featured, 'featured-list') : html`<p>${w(lang, 'web.reviews.featured_none')}</p>`}
<h2>${w(lang, 'web.reviews.all_title')}</h2>
<p class="muted">${w(lang, 'web.reviews.all_hint')}</p>
${table(viewer, o.all, 'all-list')}`;
}
