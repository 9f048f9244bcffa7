/**
 * Scans a group's history for fake engagement, with the same detector as the bot (core/moderation/detect.ts):
 *
 *   npm run -s likes:scan -- --input events.jsonl --output report.json
 *
 * Input: the event lines of core/kernel/event-lines.ts (member, post, like, unlike, purchase, round; other types
 * are ignored), in time order. `-` means standard input / output.
 * Output: `{"flagged":[{"user","score","kind","case","reasons","evidence"}]}`.
 *
 * The file streams through in chunks (scripts/likes-scan-reader.ts): no line is held longer than it takes to read
 * it, the common lines are read straight from their bytes, and only the packed history grows. What is wrong with
 * the input is said on standard error, counted by kind, and the report is the one for the good lines:
 * - malformed lines (not JSON, a missing or bad field, longer than a million characters) are skipped, the first 20
 *   named, all counted by problem; lines of other types are ignored and counted by type;
 * - lines out of time order are counted and still scanned right (each share's likes and unlikes are paired in
 *   time order);
 * - contradictions are counted and resolved: a like repeated without an unlike between counts once; an unlike of
 *   nothing is ignored; a like or unlike timed before its share was posted is ignored; a second `post` or `member`
 *   line for an id keeps the earliest; an account that liked, posted or bought before its `member` line's time has
 *   no known join time (its age is not evidence); a purchase repeated exactly counts once; likes of shares no
 *   `post` line introduced are scanned without author or time.
 * Exit status: 0 done, 1 done but malformed lines were skipped (counted, the first ones named), 2 nothing done
 * (bad arguments, unreadable input).
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { detectInHistory } from '../core/moderation/detect.js';
import { HistoryPacker, type HistoryProblems } from '../core/moderation/detect-history.js';
import { openInput, runCommand, UsageError } from './command-line.js';
import { EventLineReader, type ReadTally } from './likes-scan-reader.js';

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

/** Bytes read at a time: a megabyte (the reader copies the few bytes of a line cut at the end of one). */
const CHUNK_BYTES = 1 << 20;

async function readEvents(input: string): Promise<{ packer: HistoryPacker; tally: ReadTally }> {
  const packer = new HistoryPacker();
  const reader = new EventLineReader(packer);
  // The ordinary parser (JSON.parse and the schemas) is loaded when a line first needs it: most files never do.
  const stalled = async () => {
    reader.parse = (await import('../core/kernel/event-lines.js')).parseEventLine;
    reader.resume();
  };
  if (input === '-') {
    for await (const chunk of await openInput(input)) if (!reader.write(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer))) await stalled();
  } else {
    // A file: read into one buffer again and again (no stream, no allocation a chunk).
    const cannot = (error: unknown) => new UsageError(`cannot read ${input}: ${(error as Error).message}`);
    let fd: number;
    try {
      fd = openSync(input, 'r');
    } catch (error) {
      throw cannot(error);
    }
    try {
      const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
      for (;;) {
        let n: number;
        try {
          n = readSync(fd, buffer, 0, CHUNK_BYTES, null);
        } catch (error) {
          throw cannot(error);
        }
        if (n === 0) break;
        // On a stall the reader still holds this chunk: resume before the buffer is read into again.
        if (!reader.write(buffer.subarray(0, n))) await stalled();
      }
    } finally {
      closeSync(fd);
    }
  }
  if (!reader.end()) await stalled();
  return { packer, tally: reader.tally };
}

const note = (text: string) => process.stderr.write(`${text}\n`);
const counts = (byKind: Map<string, number>) =>
  [...byKind].sort((a, b) => b[1] - a[1]).map(([kind, n]) => `${n} ${kind}`).join('; ');

/** What was wrong with the input, by kind, on standard error: malformed lines named (the first ones) and counted. */
function noteProblems(tally: ReadTally, problems: HistoryProblems) {
  for (const bad of tally.listedMalformed) note(`warning: line ${bad.line} skipped: ${bad.problem}`);
  if (tally.malformed > tally.listedMalformed.length) note(`warning: ${tally.malformed - tally.listedMalformed.length} more malformed line(s) skipped`);
  if (tally.malformed) note(`warning: ${tally.malformed} malformed line(s) skipped, by problem: ${counts(tally.malformedByKind)}`);
  if (tally.ignoredByType.size) note(`note: line(s) of types the scan does not read ignored: ${counts(tally.ignoredByType)}`);
  if (tally.outOfOrder) {
    note(`note: ${tally.outOfOrder} line(s) earlier than a line before them (first: line ${tally.outOfOrderFirstLine}); each share's likes are taken in time order`);
  }
  if (problems.repeatedLikes) note(`note: ${problems.repeatedLikes} like(s) of a share the account already liked (duplicates, or a missing unlike) counted once`);
  if (problems.unlikesWithoutLike) note(`note: ${problems.unlikesWithoutLike} unlike(s) with no like before them ignored`);
  if (problems.likesBeforePost) note(`note: ${problems.likesBeforePost} like(s) or unlike(s) timed before their share was posted ignored`);
  if (problems.repeatedDefinitions) note(`note: ${problems.repeatedDefinitions} repeated post or member line(s) for an id already seen: the earliest one kept`);
  if (problems.actedBeforeJoining) {
    note(`note: ${problems.actedBeforeJoining} account(s) liked, posted or bought before the time of their member line: that join time not used (account age unknown)`);
  }
  if (problems.repeatedPurchases) note(`note: ${problems.repeatedPurchases} purchase line(s) repeated exactly (same account, time, amount, product) counted once`);
  if (problems.unknownPosts) note(`note: ${problems.unknownPosts} share(s) liked but never posted in the file: scanned without author or time`);
}

async function main(): Promise<number> {
  const started = performance.now();
  const args = readArguments();
  const { packer, tally } = await readEvents(args.input);
  const read = performance.now();
  const report = detectInHistory(packer.finish());
  const scanned = performance.now();
  noteProblems(tally, report.problems!);

  const text = `${JSON.stringify({ flagged: report.flagged })}\n`;
  if (args.output === '-') process.stdout.write(text);
  else await writeFile(args.output, text);

  const cases = new Set(report.flagged.map((f) => f.case)).size;
  const seconds = (ms: number) => (ms / 1000).toFixed(1);
  const usage = process.resourceUsage();
  const cpu = (usage.userCPUTime + usage.systemCPUTime) / 1e6;
  const peakMb = Math.round(usage.maxRSS / 1024);
  note(
    `likes:scan: ${tally.lines} line(s) read, ${tally.events} event(s), ${tally.malformed} malformed line(s) skipped; ` +
      `${report.flagged.length} account(s) flagged in ${cases} case(s) in ${seconds(performance.now() - started)} s ` +
      `(reading ${seconds(read - started)} s, detecting ${seconds(scanned - read)} s; CPU ${cpu.toFixed(1)} s), peak memory ${peakMb} MB`,
  );
  return tally.malformed ? 1 : 0;
}

runCommand('likes:scan', USAGE, main);
