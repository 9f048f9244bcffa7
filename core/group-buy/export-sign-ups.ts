import { stringify } from 'csv-stringify/sync';
import { say, type HandlerContext } from '../context.js';
import { UserError } from '../errors.js';
import { t } from '../i18n/translate.js';
import type { Language } from '../kernel/language.js';
import { formatDecimal } from '../money.js';
import type { BuyRecord, SignUpView } from '../store.js';
import { formatDateTime } from '../time/parse-when.js';
import { currentPrice, unitPriceOf } from './buy-card.js';

/**
 * Column names of the CSV file: a contract for the scripts suppliers and admins run on it (README). English whatever
 * the group's language; later columns are only ever added at the end.
 */
export const EXPORT_COLUMNS = ['name', 'platform id', 'quantity', 'price', 'paid', 'delivered', 'pickup', 'joined at', 'status', 'variant', 'note', 'line total'] as const;
/** Columns of the CSV pickup summary (one row per pickup point and variant). */
export const SUMMARY_COLUMNS = ['pickup', 'variant', 'members', 'quantity', 'amount'] as const;

const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** One exported line: a sign-up with what it costs. */
interface Line {
  signUp: SignUpView;
  unitCents: number;
  totalCents: number;
}

/**
 * `/export [buy-id]` (admins): the sign-ups of a buy, sent to the admin privately as
 * - `buy-N.csv`: the stable machine contract (English header, EXPORT_COLUMNS);
 * - `buy-N.xlsx`: what a supplier reads, in the group's language: orders with unit price, line total and a grand
 *   total row, paid/delivered as 是/否 (yes/no), and a second sheet summing units and amount per pickup point and variant;
 * - `buy-N-pickup.csv`: that summary as CSV (SUMMARY_COLUMNS).
 * Active sign-ups in join order, then the waitlist (not counted in totals); members who left are not listed.
 */
export async function exportSignUps(ctx: HandlerContext, buyId: number | undefined): Promise<void> {
  if (!ctx.group) throw new UserError('generic.group_only');
  const buy = buyId !== undefined ? await ctx.tx.getBuy(buyId) : await ctx.tx.latestBuy(ctx.event.chat.id, ['open', 'formed', 'failed', 'cancelled']);
  if (!buy || buy.groupId !== ctx.group.id) throw buyId !== undefined ? new UserError('buy.not_found', { id: buyId }) : new UserError('buy.none_open');

  const signUps = await ctx.tx.listSignUps(buy.id);
  // The buy's current price counts every sign-up: once, not once per line (quadratic on a large buy).
  const price = currentPrice(buy, signUps);
  const lines: Line[] = signUps
    .filter((s) => s.status !== 'left')
    .sort((a, b) => (a.status === b.status ? a.joinedAt.getTime() - b.joinedAt.getTime() : a.status === 'active' ? -1 : 1))
    .map((s) => {
      const unitCents = unitPriceOf(buy, price, s);
      return { signUp: s, unitCents, totalCents: unitCents * s.quantity };
    });
  const tz = ctx.group.timeZone;
  // The file is the group's: its language (else the admin's), as the card is.
  const lang: Language = ctx.group.language ?? ctx.lang;
  const caption = say(ctx, 'export.caption', { id: buy.id, title: buy.title, count: lines.length });

  const csvRows = lines.map(({ signUp: s, unitCents, totalCents }) => [
    spreadsheetSafe(s.displayName),
    s.memberId,
    s.quantity,
    formatDecimal(unitCents),
    s.paidAt ? 'yes' : 'no',
    s.deliveredAt ? 'yes' : 'no',
    spreadsheetSafe(buy.pickup ?? ''),
    formatDateTime(s.joinedAt, tz),
    s.status,
    spreadsheetSafe(s.variant ?? ''),
    spreadsheetSafe(s.note ?? ''),
    formatDecimal(totalCents),
  ]);
  const summary = pickupSummary(buy, lines);
  ctx.out.push({ kind: 'document', to: { memberId: ctx.member.id }, filename: `buy-${buy.id}.csv`, mimeType: 'text/csv', content: stringify([[...EXPORT_COLUMNS], ...csvRows]), caption });
  ctx.out.push({
    kind: 'document',
    to: { memberId: ctx.member.id },
    filename: `buy-${buy.id}.xlsx`,
    mimeType: XLSX_MIME,
    content: await workbook(buy, lines, summary, lang, tz, ctx.group.currency),
  });
  ctx.out.push({
    kind: 'document',
    to: { memberId: ctx.member.id },
    filename: `buy-${buy.id}-pickup.csv`,
    mimeType: 'text/csv',
    content: stringify([
      [...SUMMARY_COLUMNS],
      ...summary.map((r) => [spreadsheetSafe(r.pickup), spreadsheetSafe(r.variant), r.members, r.quantity, formatDecimal(r.amountCents)]),
    ]),
  });
}

interface SummaryRow {
  pickup: string;
  variant: string;
  members: number;
  quantity: number;
  amountCents: number;
}

/**
 * Units and amount per pickup point and variant, over active sign-ups (the waitlist is not an order). A buy has one
 * pickup point today, so this is one row per variant (one row for a buy without variants), in the card's order.
 */
function pickupSummary(buy: BuyRecord, lines: readonly Line[]): SummaryRow[] {
  const rows = new Map<string, SummaryRow>();
  const order = buy.variants.map((v) => v.name);
  for (const { signUp: s, totalCents } of lines) {
    if (s.status !== 'active') continue;
    const pickup = buy.pickup ?? '';
    const variant = s.variant ?? '';
    const key = `${pickup}\u0000${variant}`;
    const row = rows.get(key) ?? { pickup, variant, members: 0, quantity: 0, amountCents: 0 };
    row.members += 1;
    row.quantity += s.quantity;
    row.amountCents += totalCents;
    rows.set(key, row);
  }
  return [...rows.values()].sort((a, b) => a.pickup.localeCompare(b.pickup) || order.indexOf(a.variant) - order.indexOf(b.variant));
}

/** The supplier's workbook: an orders sheet with a grand total row, and the pickup summary sheet. */
async function workbook(buy: BuyRecord, lines: readonly Line[], summary: readonly SummaryRow[], lang: Language, tz: string, currency: string): Promise<Uint8Array> {
  // Loaded on the first export, not at start-up (about 0.3 s and 28 MB that most runs never need).
  const { default: ExcelJS } = await import('exceljs');
  const book = new ExcelJS.Workbook();
  book.created = new Date(0);
  const words = (yes: boolean) => t(lang, yes ? 'export.yes' : 'export.no');
  const money = (cents: number) => cents / 100;
  const moneyFormat = `"${currency.replace(/"/g, '')}"#,##0.00`;

  const orders = book.addWorksheet(t(lang, 'export.sheet.orders'));
  orders.columns = [
    { header: t(lang, 'export.col.name'), width: 20 },
    { header: t(lang, 'export.col.variant'), width: 12 },
    { header: t(lang, 'export.col.quantity'), width: 8 },
    { header: t(lang, 'export.col.unit_price'), width: 12, style: { numFmt: moneyFormat } },
    { header: t(lang, 'export.col.line_total'), width: 12, style: { numFmt: moneyFormat } },
    { header: t(lang, 'export.col.paid'), width: 8 },
    { header: t(lang, 'export.col.delivered'), width: 8 },
    { header: t(lang, 'export.col.pickup'), width: 18 },
    { header: t(lang, 'export.col.note'), width: 24 },
    { header: t(lang, 'export.col.status'), width: 10 },
    { header: t(lang, 'export.col.joined_at'), width: 17 },
    { header: t(lang, 'export.col.platform_id'), width: 18 },
  ];
  for (const { signUp: s, unitCents, totalCents } of lines) {
    orders.addRow([
      spreadsheetSafe(s.displayName),
      cell(s.variant),
      s.quantity,
      money(unitCents),
      money(totalCents),
      words(Boolean(s.paidAt)),
      words(Boolean(s.deliveredAt)),
      cell(buy.pickup),
      cell(s.note),
      t(lang, s.status === 'active' ? 'export.status.active' : 'export.status.waitlisted'),
      formatDateTime(s.joinedAt, tz),
      s.memberId,
    ]);
  }
  // The grand total counts orders only: waitlisted members have none yet. Values, not formulas (nothing to recalculate).
  const active = lines.filter((l) => l.signUp.status === 'active');
  const total = orders.addRow([
    t(lang, 'export.total'), null, active.reduce((sum, l) => sum + l.signUp.quantity, 0), null, money(active.reduce((sum, l) => sum + l.totalCents, 0)),
  ]);
  total.font = { bold: true };
  orders.getRow(1).font = { bold: true };
  orders.views = [{ state: 'frozen', ySplit: 1 }];

  const sheet = book.addWorksheet(t(lang, 'export.sheet.pickup'));
  sheet.columns = [
    { header: t(lang, 'export.col.pickup'), width: 20 },
    { header: t(lang, 'export.col.variant'), width: 12 },
    { header: t(lang, 'export.col.members'), width: 8 },
    { header: t(lang, 'export.col.quantity'), width: 8 },
    { header: t(lang, 'export.col.amount'), width: 12, style: { numFmt: moneyFormat } },
  ];
  for (const r of summary) sheet.addRow([cell(r.pickup), cell(r.variant), r.members, r.quantity, money(r.amountCents)]);
  sheet.getRow(1).font = { bold: true };
  return new Uint8Array(await book.xlsx.writeBuffer());
}

/** A text cell: empty stays empty (no "" string), anything else neutralised. */
function cell(text: string | null | undefined): string | null {
  return text ? spreadsheetSafe(text) : null;
}

/**
 * Text a spreadsheet would run as a formula (starting with =, +, -, @, tab or carriage return) gets a leading
 * apostrophe: member names, notes and pickup notes are user input, and the file is opened by admins in Excel.
 */
export function spreadsheetSafe(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}
