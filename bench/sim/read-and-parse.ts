/**
 * The floor likes:scan is measured against: read a JSON-lines file with the same line reader and JSON.parse each
 * line, nothing else. Prints `{"lines", "seconds", "peakMb"}`. Usage: `tsx bench/sim/read-and-parse.ts <file>`.
 */
import { createReadStream } from 'node:fs';
import { readLines } from '../../scripts/read-lines.js';

async function main() {
  const started = performance.now();
  let lines = 0;
  for await (const line of readLines(createReadStream(process.argv[2]!, { highWaterMark: 1 << 20 }), 1_000_000)) {
    if (line.text === '') continue;
    JSON.parse(line.text);
    lines++;
  }
  const seconds = (performance.now() - started) / 1000;
  process.stdout.write(`${JSON.stringify({ lines, seconds, peakMb: Math.round(process.resourceUsage().maxRSS / 1024) })}\n`);
}

void main();
