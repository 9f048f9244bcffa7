import { stringify } from 'csv-stringify/sync';
import { say, type HandlerContext } from '../context.js';
import { UserError } from '../errors.js';
import { formatDecimal } from '../money.js';
import { formatDateTime } from '../time/parse-when.js';
import { currentPrice } from './buy-card.js';
import { parseBuyId } from './find-buy.js';

/** Column names of the export file: a contract for the scripts suppliers and admins run on it. */
export const EXPORT_COLUMNS = ['name', 'platform id', 'quantity', 'price', 'paid', 'delivered', 'pickup', 'joined at', 'status'] as const;

/**
 * `/export [buy-id]` (admins): the sign-ups of a buy as CSV, sent to the admin privately. Active sign-ups in join
 * order, then the waitlist; members who left are not listed.
 */
export async function exportSignUps(ctx: HandlerContext, buyId: number | undefined): Promise<void> {
  if (!ctx.group) throw new UserError('generic.group_only');
  const buy = buyId !== undefined ? await ctx.tx.getBuy(buyId) : await ctx.tx.latestBuy(ctx.event.chat.id, ['open', 'formed', 'failed', 'cancelled']);
  if (!buy || buy.groupId !== ctx.group.id) throw buyId !== undefined ? new UserError('buy.not_found', { id: buyId }) : new UserError('buy.none_open');

  const signUps = (await ctx.tx.listSignUps(buy.id))
    .filter((s) => s.status !== 'left')
    .sort((a, b) => (a.status === b.status ? a.joinedAt.getTime() - b.joinedAt.getTime() : a.status === 'active' ? -1 : 1));
  const price = formatDecimal(currentPrice(buy, signUps));
  const tz = ctx.group.timeZone;
  const rows = signUps.map((s) => [
    spreadsheetSafe(s.displayName),
    s.memberId,
    s.quantity,
    price,
    s.paidAt ? 'yes' : 'no',
    s.deliveredAt ? 'yes' : 'no',
    spreadsheetSafe(buy.pickup ?? ''),
    formatDateTime(s.joinedAt, tz),
    s.status,
  ]);
  const csv = stringify([[...EXPORT_COLUMNS], ...rows]);
  ctx.out.push({
    kind: 'document',
    to: { memberId: ctx.member.id },
    filename: `buy-${buy.id}.csv`,
    mimeType: 'text/csv',
    content: csv,
    caption: say(ctx, 'export.caption', { id: buy.id, title: buy.title, count: rows.length }),
  });
}

/**
 * Text a spreadsheet would run as a formula (starting with =, +, -, @, tab or carriage return) gets a leading
 * apostrophe: member names and pickup notes are user input, and the file is opened by admins in Excel.
 */
export function spreadsheetSafe(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}
