/**
 * The Reviews page: average stars and sentiment by week (chart), the most mentioned aspects with a quote, the
 * negative reviews to answer, the featured ones, and every submitted review newest first. No list is filtered by
 * rating in a way that hides negatives (FTC 16 CFR 465.7): the full list shows them all. Read only. Data:
 * core/dashboard/reviews-overview.ts.
 */
import { reviewsOverview, type ReviewRow, type ReviewsOverview } from '../../../core/dashboard/reviews-overview.js';
import type { Aspect } from '../../../core/llm/review-tags.js';
import { aspectName, sentimentName } from '../../../core/reviews/review-card.js';
import { formatDateTime } from '../../../core/time/parse-when.js';
import type { DashboardApp, DashboardDeps, GroupViewer } from '../app.js';
import { html, page, w, type Html } from '../html.js';

/** GET /g/:gid/reviews (page) and /g/:gid/api/reviews (JSON); `?buy=<id>` narrows both to one buy. */
export function reviewsRoutes(app: DashboardApp, deps: DashboardDeps): void {
  const buyOf = (v: string | undefined) => (v && /^\d{1,9}$/.test(v) ? { buyId: Number(v) } : {});
  app.get('/g/:gid/reviews', async (c) => {
    const viewer = c.get('viewer');
    const o = await reviewsOverview(deps.store, viewer.group, buyOf(c.req.query('buy')));
    return c.html(page(viewer, 'reviews', w(viewer.lang, 'web.reviews.title'), render(viewer, o), charts(viewer, o)));
  });
  app.get('/g/:gid/api/reviews', async (c) => {
    const viewer = c.get('viewer');
    const o = await reviewsOverview(deps.store, viewer.group, buyOf(c.req.query('buy')));
    return c.json({ ...o, charts: charts(viewer, o) });
  });
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

function table(viewer: GroupViewer, rows: readonly ReviewRow[], cls: string): Html {
  const { lang, group } = viewer;
  const tags = (r: ReviewRow) =>
    [r.sentiment ? sentimentName(lang, r.sentiment) : '', ...r.aspects.map((a) => `${aspectName(lang, a.aspect as Aspect)} ${a.sentiment === 'positive' ? '+' : a.sentiment === 'negative' ? '−' : '·'}`)].filter(Boolean).join(', ');
  return html`<table class="reviews ${cls}"><thead><tr>
  <th>${w(lang, 'web.reviews.col.when')}</th><th>${w(lang, 'web.reviews.col.buy')}</th><th>${w(lang, 'web.reviews.col.author')}</th><th>${w(lang, 'web.reviews.col.rating')}</th>
  <th>${w(lang, 'web.reviews.col.text')}</th><th>${w(lang, 'web.reviews.col.tags')}</th><th>${w(lang, 'web.reviews.col.helpful')}</th><th>${w(lang, 'web.reviews.col.shown')}</th>
</tr></thead><tbody>
${rows.map((r) => html`<tr data-review="${r.id}"${r.negative ? html` class="negative"` : ''}>
  <td>${formatDateTime(r.submittedAt, group.timeZone)}</td><td>#${r.buyId} <span class="title">${r.buyTitle}</span></td>
  <td class="author">${r.authorName}${r.authorUsername ? html` <span class="muted">@${r.authorUsername}</span>` : ''}</td>
  <td class="rating" data-rating="${r.rating ?? ''}">${stars(r.rating)}</td><td class="text">${r.text}</td><td class="tags">${tags(r)}</td>
  <td>${r.helpfulVotes}</td><td>${w(lang, r.shared ? 'web.orders.yes' : 'web.orders.no')}${r.bestOfMonth ? ` · ${w(lang, 'web.reviews.best_of', { month: r.bestOfMonth })}` : ''}</td>
</tr>`)}
</tbody></table>`;
}

function render(viewer: GroupViewer, o: ReviewsOverview): Html {
  const { lang } = viewer;
  if (o.all.length === 0) return html`<p>${w(lang, 'web.reviews.none')}</p>`;
  const s = o.summary;
  return html`
<p class="summary">${w(lang, 'web.reviews.summary', { count: s.count, average: s.average === null ? '–' : s.average.toFixed(1), ...s.sentiments })}</p>
<section class="charts">
  <figure><figcaption>${w(lang, 'web.reviews.chart_title')}</figcaption><canvas id="chart-reviews" width="640" height="260"></canvas></figure>
</section>
<h2>${w(lang, 'web.reviews.aspects_title')}</h2>
<ul class="aspects">${s.aspects.map((a) => html`<li data-aspect="${a.aspect}"><strong>${aspectName(lang, a.aspect)}</strong>: ${w(lang, 'web.reviews.aspect_line', a)} — <q>${a.example}</q></li>`)}</ul>
<h2>${w(lang, 'web.reviews.negative_title')}</h2>
<p class="muted">${w(lang, 'web.reviews.negative_hint')}</p>
${o.negative.length ? table(viewer, o.negative, 'negative-list') : html`<p>${w(lang, 'web.reviews.negative_none')}</p>`}
<h2>${w(lang, 'web.reviews.featured_title')}</h2>
${o.featured.length ? table(viewer, o.featured, 'featured-list') : html`<p>${w(lang, 'web.reviews.featured_none')}</p>`}
<h2>${w(lang, 'web.reviews.all_title')}</h2>
<p class="muted">${w(lang, 'web.reviews.all_hint')}</p>
${table(viewer, o.all, 'all-list')}`;
}
