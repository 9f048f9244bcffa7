/**
 * `npm run db:migrate`: applies pending migrations to DATABASE_URL, or to PGlite in DATA_DIR (default
 * `.data/pglite`), and prints what it applied. Same result as `prisma migrate deploy`, without the native engine.
 */
import { databaseOptionsFromEnv, openDatabase, redactUrl, resolveDataDir } from '../database.js';

const options = databaseOptionsFromEnv();
const target = options.url ? redactUrl(options.url) : `PGlite in ${resolveDataDir(options.dataDir)}`;
try {
  const started = Date.now();
  const db = await openDatabase(options);
  await db.close();
  const ms = Date.now() - started;
  if (db.appliedMigrations.length === 0) console.log(`${target}: no pending migrations (${ms} ms)`);
  else console.log(`${target}: applied ${db.appliedMigrations.join(', ')} (${ms} ms)`);
  // The schema engine may keep PostgreSQL connections of its own; nothing else is left to do.
  process.exit(0);
} catch (error) {
  // Not the raw object: a driver error could carry connection details.
  const reason = error instanceof Error && error.message ? error.message : `${(error as { name?: string })?.name ?? 'error'} ${JSON.stringify(error)}`;
  console.error(`db:migrate failed on ${target}: ${reason}`);
  process.exit(1);
}
