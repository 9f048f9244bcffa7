/**
 * `npm run -s likes:export -- --group <id> --output events.jsonl`: writes one group's stored history (members joining,
 * shares, likes and unlikes, purchases, the rounds and like tasks the bot ran) as `likes:scan` JSON lines, in time
 * order: the same history the bot's scan job hands the detector. `--output -` writes to standard output.
 *
 * The database is the bot's (DATABASE_URL, else PGlite in DATA_DIR); pending migrations are applied as at start-up.
 * Exit status: 0 done, 2 bad arguments or a group the database does not know.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import { historyLine } from '../core/moderation/history-lines.js';
import { databaseOptionsFromEnv, openDatabase } from '../prisma/database.js';
import { PrismaStore } from '../prisma/store.js';

const USAGE = 'usage: npm run -s likes:export -- --group <group id, e.g. tg:-1001234> --output <events.jsonl | ->';

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { group: { type: 'string' }, output: { type: 'string' }, help: { type: 'boolean' } }, strict: true });
  if (values.help) {
    process.stderr.write(`${USAGE}\n`);
    return 0;
  }
  if (!values.group || !values.output) {
    process.stderr.write(`--group and --output are required\n${USAGE}\n`);
    return 2;
  }
  const db = await openDatabase(databaseOptionsFromEnv(process.env));
  try {
    const store = new PrismaStore(db.prisma);
    if (!(await store.getGroup(values.group))) {
      process.stderr.write(`no group ${values.group} in this database\n`);
      return 2;
    }
    const events = await store.moderation.history(values.group);
    const output: Writable = values.output === '-' ? process.stdout : createWriteStream(values.output);
    for (const event of events) if (!output.write(`${historyLine(event)}\n`)) await once(output, 'drain');
    if (output !== process.stdout) {
      output.end();
      await once(output, 'finish');
    }
    process.stderr.write(`${events.length} events of ${values.group}\n`);
    return 0;
  } finally {
    await db.close();
  }
}

main().then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 2;
  },
);
