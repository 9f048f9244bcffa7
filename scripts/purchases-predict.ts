/**
 * Predicts from a JSON-lines event file, with the same code as the bot (core/reminders/predict.ts):
 *
 *   npm run -s purchases:predict -- --input events.jsonl --as-of <ISO> --horizon <days> --output predictions.jsonl [--by member|product]
 *
 * Input: the event lines of core/kernel/event-lines.ts; only purchases count, those after --as-of are ignored,
 * other known and unknown types are skipped. `-` means standard input / output.
 * --by member (default): `{"user","churnRisk","expectedOrders","nextOrderAt"}` per member with a purchase, where
 * churnRisk is the probability of no purchase within the horizon and expectedOrders the expected number of
 * distinct purchase days in it. --by product: `{"user","product","nextOrderAt"}` per member and product that can be
 * predicted (someone has bought the product twice). Lines are ordered by user, then product.
 *
 * The file is read line by line; only the purchases are kept (ids shared between lines). Lines out of time order
 * are sorted, exact duplicates dropped, and both are said on standard error with a summary.
 * Exit status: 0 done, 1 done but malformed lines were skipped (counted, the first ones named), 2 nothing done
 * (bad arguments, unreadable input).
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import { parseInstant } from '../core/kernel/event-lines.js';
import { predictChurn, predictNextOrders, type PurchaseFact } from '../core/reminders/predict.js';
import { eventLines, noteMalformed, openInput, runCommand, UsageError } from './command-line.js';

const USAGE =
  'usage: npm run -s purchases:predict -- --input <events.jsonl|-> --as-of <ISO time, e.g. 2026-03-01T00:00:00Z> ' +
  '--horizon <days, 1-3650> --output <predictions.jsonl|-> [--by member|product]';

interface Arguments {
  input: string;
  output: string;
  asOf: Date;
  horizonDays: number;
  by: 'member' | 'product';
}

function readArguments(): Arguments {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        input: { type: 'string' },
        output: { type: 'string' },
        'as-of': { type: 'string' },
        horizon: { type: 'string' },
        by: { type: 'string', default: 'member' },
        help: { type: 'boolean' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values.help) throw new UsageError('');
  const missing = (['input', 'as-of', 'horizon', 'output'] as const).filter((name) => !values[name]);
  if (missing.length) throw new UsageError(`missing ${missing.map((m) => `--${m}`).join(', ')}`);
  const asOf = parseInstant(values['as-of']!);
  if (!asOf) throw new UsageError(`--as-of must be an ISO 8601 time with a zone or a date, e.g. 2026-03-01T00:00:00Z (got ${JSON.stringify(values['as-of'])})`);
  const horizonDays = Number(values.horizon);
  if (!/^\d+(\.\d+)?$/.test(values.horizon!) || !(horizonDays >= 1 && horizonDays <= 3650)) {
    throw new UsageError(`--horizon must be a number of days from 1 to 3650 (got ${JSON.stringify(values.horizon)})`);
  }
  if (values.by !== 'member' && values.by !== 'product') throw new UsageError(`--by must be member or product (got ${JSON.stringify(values.by)})`);
  return { input: values.input!, output: values.output!, asOf, horizonDays, by: values.by };
}

interface Reading {
  purchases: PurchaseFact[];
  lines: number;
  malformed: { line: number; problem: string }[];
  afterAsOf: number;
  outOfOrderFirstLine: number | undefined;
  outOfOrder: number;
}

async function readPurchases(input: string, asOf: Date): Promise<Reading> {
  const stream = await openInput(input);
  // Ids repeat on every line of a member: keep one copy of each string.
  const interned = new Map<string, string>();
  const intern = (s: string) => interned.get(s) ?? (interned.set(s, s), s);
  const reading: Reading = { purchases: [], lines: 0, malformed: [], afterAsOf: 0, outOfOrderFirstLine: undefined, outOfOrder: 0 };
  let latest = Number.NEGATIVE_INFINITY;
  for await (const { line: number, event } of eventLines(stream, reading)) {
    if (event.type !== 'purchase') continue;
    const { user, product, quantity, amount, at } = event;
    if (at.getTime() < latest) {
      reading.outOfOrder++;
      reading.outOfOrderFirstLine ??= number;
    }
    latest = Math.max(latest, at.getTime());
    if (at.getTime() > asOf.getTime()) {
      reading.afterAsOf++;
      continue;
    }
    reading.purchases.push({ memberId: intern(user), at, amount, source: 'buy', ...(product === undefined ? {} : { product: intern(product) }), ...(quantity === undefined ? {} : { quantity }) });
  }
  return reading;
}

/** Sorts by member, product and time, and drops exact repeats (the same member, product, time, quantity, amount). */
function dropDuplicates(purchases: PurchaseFact[]): number {
  const compare = (a: PurchaseFact, b: PurchaseFact) =>
    a.memberId < b.memberId ? -1 : a.memberId > b.memberId ? 1 : (a.product ?? '') < (b.product ?? '') ? -1 : (a.product ?? '') > (b.product ?? '') ? 1 : a.at.getTime() - b.at.getTime();
  purchases.sort(compare);
  let kept = 0;
  for (let i = 0; i < purchases.length; i++) {
    const [p, previous] = [purchases[i]!, purchases[kept - 1]];
    const repeat = previous && compare(previous, p) === 0 && previous.quantity === p.quantity && previous.amount === p.amount;
    if (!repeat) purchases[kept++] = p;
  }
  const dropped = purchases.length - kept;
  purchases.length = kept;
  return dropped;
}

const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;

async function writeLines(output: Writable, lines: Iterable<string>): Promise<number> {
  let count = 0;
  let buffer = '';
  for (const line of lines) {
    buffer += `${line}\n`;
    count++;
    if (buffer.length > 64_000) {
      if (!output.write(buffer)) await once(output, 'drain');
      buffer = '';
    }
  }
  if (buffer) output.write(buffer);
  if (output !== process.stdout) {
    output.end();
    await once(output, 'finish');
  }
  return count;
}

async function main(): Promise<number> {
  const started = performance.now();
  const args = readArguments();
  const reading = await readPurchases(args.input, args.asOf);
  const duplicates = dropDuplicates(reading.purchases);
  const { purchases } = reading;

  const note = (text: string) => process.stderr.write(`${text}\n`);
  noteMalformed(reading.malformed);
  if (reading.outOfOrder) note(`note: ${reading.outOfOrder} purchase line(s) earlier than a line before them (first: line ${reading.outOfOrderFirstLine}); sorted by time before predicting`);
  if (duplicates) note(`note: ${duplicates} duplicate purchase line(s) (same user, product, time, quantity and amount) counted once`);
  if (reading.afterAsOf) note(`note: ${reading.afterAsOf} purchase(s) after --as-of ${args.asOf.toISOString()} ignored`);

  const orderDays = new Map<string, Set<number>>();
  for (const p of purchases) orderDays.set(p.memberId, (orderDays.get(p.memberId) ?? new Set()).add(Math.floor(p.at.getTime() / 86_400_000)));
  const single = [...orderDays.values()].filter((days) => days.size === 1).length;
  if (single) note(`note: ${single} member(s) with purchases on one day only: their predictions lean on the group's pace`);

  const output: Writable = args.output === '-' ? process.stdout : createWriteStream(args.output);
  let written: number;
  if (args.by === 'member') {
    const rows = predictChurn(purchases, args.asOf, args.horizonDays).sort((a, b) => (a.memberId < b.memberId ? -1 : a.memberId > b.memberId ? 1 : 0));
    written = await writeLines(
      output,
      rows.map((r) =>
        JSON.stringify({ user: r.memberId, churnRisk: round(r.churnRisk, 4), expectedOrders: round(r.expectedOrders, 4), nextOrderAt: r.nextOrderAt?.toISOString() ?? null }),
      ),
    );
  } else {
    const rows = predictNextOrders(purchases, new Map(), args.asOf).sort((a, b) =>
      a.memberId < b.memberId ? -1 : a.memberId > b.memberId ? 1 : a.product < b.product ? -1 : a.product > b.product ? 1 : 0,
    );
    const pairs = new Set(purchases.flatMap((p) => (p.product ? [`${p.memberId}\u0000${p.product}`] : []))).size;
    if (pairs > rows.length) note(`note: ${pairs - rows.length} member-product pair(s) not predicted: nobody has bought their product twice yet`);
    written = await writeLines(output, rows.map((r) => JSON.stringify({ user: r.memberId, product: r.product, nextOrderAt: r.nextOrderAt.toISOString() })));
  }

  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  note(
    `purchases:predict: ${reading.lines} line(s) read, ${purchases.length} purchase(s) up to --as-of from ${orderDays.size} member(s), ` +
      `${reading.malformed.length} malformed line(s) skipped; ${written} line(s) written (--by ${args.by}) in ${seconds} s`,
  );
  return reading.malformed.length ? 1 : 0;
}

runCommand('purchases:predict', USAGE, main);
