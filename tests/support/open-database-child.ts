/**
 * A child process for tests/prisma/concurrent-start.test.ts: opens the database at DATABASE_URL as the bot does at
 * start (migrations included), prints one JSON line `{ openMs, applied }`, keeps using its pool for HOLD_MS (as a
 * running bot would), then closes.
 */
import { openDatabase } from '../../prisma/database.js';

const started = Date.now();
const db = await openDatabase({ url: process.env.DATABASE_URL!, poolSize: 4 });
const openMs = Date.now() - started;
process.stdout.write(`${JSON.stringify({ openMs, applied: db.appliedMigrations })}\n`);
const until = Date.now() + Number(process.env.HOLD_MS ?? 3000);
while (Date.now() < until) {
  await Promise.all([db.prisma.member.count(), db.prisma.groupBuy.count()]);
  await new Promise((resolve) => setTimeout(resolve, 50));
}
await db.close();
