/**
 * What the offline commands (`purchases:predict`, `likes:scan`) share: usage errors, opening the input, the
 * listing of malformed lines, and the exit status (0 done, 1 done with malformed lines skipped, 2 nothing done).
 */
import { createReadStream } from 'node:fs';
import { once } from 'node:events';
import type { Readable } from 'node:stream';
import type { EventLine } from '../core/kernel/event-lines.js';
import { readLines } from './read-lines.js';

/** Bad arguments or an unreadable input: the message and the usage go to standard error, exit 2 (0 for --help). */
export class UsageError extends Error {}

/** The input file, or standard input for `-`; a file that cannot be opened is a UsageError. */
export async function openInput(input: string): Promise<Readable> {
  if (input === '-') return process.stdin;
  const stream = createReadStream(input);
  await once(stream, 'open').catch((error: Error) => {
    throw new UsageError(`cannot read ${input}: ${error.message}`);
  });
  return stream;
}

const LISTED_BAD_LINES = 20;

/** Names the first malformed lines on standard error and counts the rest. */
export function noteMalformed(malformed: readonly { line: number; problem: string }[]): void {
  for (const bad of malformed.slice(0, LISTED_BAD_LINES)) process.stderr.write(`warning: line ${bad.line} skipped: ${bad.problem}\n`);
  if (malformed.length > LISTED_BAD_LINES) process.stderr.write(`warning: ${malformed.length - LISTED_BAD_LINES} more malformed line(s) skipped\n`);
}

/** Runs a command's main and sets the exit status from its result or its error. */
export function runCommand(name: string, usage: string, main: () => Promise<number>): void {
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      if (error instanceof UsageError) {
        process.stderr.write(error.message ? `${name}: ${error.message}\n${usage}\n` : `${usage}\n`);
        process.exitCode = error.message ? 2 : 0;
        return;
      }
      process.stderr.write(`${name}: ${(error as Error).stack ?? String(error)}\n`);
      process.exitCode = 2;
    },
  );
}

/** Longer lines are malformed (no event needs a megabyte), so one runaway line cannot exhaust memory. */
const MAX_LINE_CHARS = 1_000_000;

/** How many lines were read, and which were malformed (with what was wrong). */
export interface LineTally {
  lines: number;
  malformed: { line: number; problem: string }[];
}

/** The events of a JSON-lines input with their line numbers; blank and ignored lines skipped, malformed ones tallied. */
export async function* eventLines(input: Readable, tally: LineTally): AsyncGenerator<{ line: number; event: EventLine }> {
  // Loaded here, not with this module: the schemas (zod) take a fifth of a second to load, and likes:scan, which
  // shares this module, reads most files without them.
  const { parseEventLine } = await import('../core/kernel/event-lines.js');
  for await (const line of readLines(input, MAX_LINE_CHARS)) {
    tally.lines = line.number;
    if (line.tooLong) {
      tally.malformed.push({ line: line.number, problem: `longer than ${MAX_LINE_CHARS} characters` });
      continue;
    }
    if (line.text.trim() === '') continue;
    const parsed = parseEventLine(line.text);
    if (parsed.kind === 'malformed') tally.malformed.push({ line: line.number, problem: parsed.problem });
    if (parsed.kind === 'event') yield { line: line.number, event: parsed.event };
  }
}
