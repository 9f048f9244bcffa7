/**
 * Scans a group's history for fake engagement, with the same detector as the bot (core/moderation/detect.ts):
 *
 *   npm run -s likes:scan -- --input events.jsonl --output report.json
 *
 * Input: the event lines of core/kernel/event-lines.ts (member, post, like, unlike, purchase, round; other types
 * are ignored), in time order. `-` means standard input / output.
 * Output: `{"flagged":[{"user","score","kind","case","reasons","evidence"}]}`.
 *
 * The file streams through (only the packed history is held). Lines out of time order are said on standard error
 * and still scanned right (each share's likes and unlikes are paired in time order); a like repeated
 * without an unlike between, an unlike of nothing, a second `post` or `member` line for the same id, and likes of
 * shares no `post` line introduced are counted on standard error (the first definition and the first like count).
 * Exit status: 0 done, 1 done but malformed lines were skipped (counted, the first ones named), 2 nothing done
 * (bad arguments, unreadable input).
 */
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { detectInHistory, type HistoryEvent } from '../core/moderation/detect.js';
import { HistoryPacker } from '../core/moderation/detect-history.js';
import { eventLines, noteMalformed, openInput, runCommand, UsageError } from './command-line.js';

const USAGE = 'usage: npm run -s likes:scan -- --input <events.jsonl|-> --output <report.json|->';

function readArguments(): { input: string; output: string } {
  let values;
  try {
    ({ values } = parseArgs({
      options: { input: { type: 'string' }, output: { type: 'string' }, help: { type: 'boolean' } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values.help) throw new UsageError('');
  const missing = (['input', 'output'] as const).filter((name) => !values[name]);
  if (missing.length) throw new UsageError(`missing ${missing.map((m) => `--${m}`).join(', ')}`);
  return { input: values.input!, output: values.output! };
}

interface Reading {
  packer: HistoryPacker;
  events: number;
  lines: number;
  malformed: { line: number; problem: string }[];
  outOfOrder: number;
  outOfOrderFirstLine: number | undefined;
}

const timeOf = (event: HistoryEvent) => (event.type === 'round' ? event.start : event.at).getTime();

async function readEvents(input: string): Promise<Reading> {
  const stream = await openInput(input);
  const reading: Reading = { packer: new HistoryPacker(), events: 0, lines: 0, malformed: [], outOfOrder: 0, outOfOrderFirstLine: undefined };
  let latest = Number.NEGATIVE_INFINITY;
  for await (const { line: number, event } of eventLines(stream, reading)) {
    const at = timeOf(event);
    if (at < latest) {
      reading.outOfOrder++;
      reading.outOfOrderFirstLine ??= number;
    }
    latest = Math.max(latest, at);
    reading.packer.add(event);
    reading.events++;
  }
  return reading;
}

async function main(): Promise<number> {
  const started = performance.now();
  const args = readArguments();
  const reading = await readEvents(args.input);
  const note = (text: string) => process.stderr.write(`${text}\n`);
  noteMalformed(reading.malformed);
  if (reading.outOfOrder) {
    note(`note: ${reading.outOfOrder} line(s) earlier than a line before them (first: line ${reading.outOfOrderFirstLine}); each share's likes are taken in time order`);
  }

  const report = detectInHistory(reading.packer.finish());
  const problems = report.problems!;
  if (problems.repeatedLikes) note(`note: ${problems.repeatedLikes} like(s) of a share the account already liked (duplicates, or a missing unlike) counted once`);
  if (problems.unlikesWithoutLike) note(`note: ${problems.unlikesWithoutLike} unlike(s) with no like before them ignored`);
  if (problems.repeatedDefinitions) note(`note: ${problems.repeatedDefinitions} repeated post or member line(s) for an id already seen: the first one kept`);
  if (problems.unknownPosts) note(`note: ${problems.unknownPosts} share(s) liked but never posted in the file: scanned without author or time`);

  const text = `${JSON.stringify({ flagged: report.flagged })}\n`;
  if (args.output === '-') process.stdout.write(text);
  else await writeFile(args.output, text);

  const cases = new Set(report.flagged.map((f) => f.case)).size;
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  const peakMb = Math.round(process.resourceUsage().maxRSS / 1024);
  note(
    `likes:scan: ${reading.lines} line(s) read, ${reading.events} event(s), ${reading.malformed.length} malformed line(s) skipped; ` +
      `${report.flagged.length} account(s) flagged in ${cases} case(s) in ${seconds} s, peak memory ${peakMb} MB`,
  );
  return reading.malformed.length ? 1 : 0;
}

runCommand('likes:scan', USAGE, main);
