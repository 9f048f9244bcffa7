/**
 * `npm run db:migration -- <name>`: writes prisma/migrations/<timestamp>_<name>/migration.sql with the SQL that
 * takes the existing migrations to prisma/schema.prisma, like `prisma migrate dev --create-only` but without
 * the native engine or a database server.
 */
import { access, mkdir, writeFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { LOCKFILE_CONTENT, MIGRATIONS_DIR, PROJECT_ROOT, diffMigrationsToSchema } from '../engine.js';

/** Prisma's folder prefix: UTC time as YYYYMMDDHHMMSS. */
export function migrationTimestamp(date: Date = new Date()): string {
  return date.toISOString().replace(/[-:T]/g, '').slice(0, 14);
}

/** Creates the next migration folder; returns its path, or null when the schema already matches. */
export async function createMigration(
  name: string,
  options: { migrationsDir?: string; schemaPath?: string; now?: Date } = {},
): Promise<string | null> {
  const slug = name.trim().toLowerCase().replace(/[^a-z0-9_]+/g, '_').replace(/^_+|_+$/g, '');
  if (!slug) throw new Error('a migration needs a name, e.g. `npm run db:migration -- add_reviews`');
  const migrationsDir = options.migrationsDir ?? MIGRATIONS_DIR;
  const sql = await diffMigrationsToSchema({ migrationsDir, schemaPath: options.schemaPath });
  if (sql === null) return null;
  const folder = join(migrationsDir, `${migrationTimestamp(options.now)}_${slug}`);
  await mkdir(folder, { recursive: true });
  await writeFile(join(folder, 'migration.sql'), sql);
  const lockfile = join(migrationsDir, 'migration_lock.toml');
  if (!(await access(lockfile).then(() => true, () => false))) await writeFile(lockfile, LOCKFILE_CONTENT);
  return folder;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const name = process.argv.slice(2).join('_');
  try {
    const folder = await createMigration(name);
    if (folder === null) console.log('no changes: the migrations already match prisma/schema.prisma');
    else console.log(`created ${relative(PROJECT_ROOT, join(folder, 'migration.sql'))}`);
  } catch (error) {
    console.error(`db:migration failed: ${(error as Error).message}`);
    process.exitCode = 1;
  }
}
