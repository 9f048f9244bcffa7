/**
 * `Group.settings` is one JSON object with a section per feature (`likes`, `points`, `reviews`), each validated by
 * its feature in the core. The feature stores read and write their own section through these two functions.
 *
 * A write is a single UPDATE that merges the section into the stored object, so two features saving their sections
 * at the same time both keep their change: the second UPDATE waits for the first one's row lock, then applies its
 * merge to the row as the first left it.
 */
import type { Prisma, PrismaClient } from './generated/client.js';

type Db = PrismaClient | Prisma.TransactionClient;

function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Settings read in a transaction, by group: an event reads its group's settings once (recordPresence brings them
 * along with the group) however many rules its features look up. Only transaction clients are cached (a write
 * in the transaction drops its entry); the root client always reads.
 */
const cached = new WeakMap<object, Map<string, unknown>>();

/** Marks a transaction client whose settings reads may be cached for its lifetime. */
export function transactional<T extends object>(tx: T): T {
  cached.set(tx, new Map());
  return tx;
}

/** Whether `db` is a transaction client (reads in it may be kept for the transaction's lifetime). */
export function isTransactional(db: object): boolean {
  return cached.has(db);
}

/** Gives a transaction the group's settings as just read with the group (no-op outside a transaction). */
export function primeSettings(db: object, groupId: string, settings: unknown): void {
  cached.get(db)?.set(groupId, settings);
}

/** The group's `settings[section]` as stored (unvalidated), or undefined when never set or no such group. */
export async function readSettingsSection(db: Db, groupId: string, section: string): Promise<unknown> {
  const cache = cached.get(db);
  let settings: unknown;
  if (cache?.has(groupId)) settings = cache.get(groupId);
  else {
    settings = (await db.group.findUnique({ where: { id: groupId }, select: { settings: true } }))?.settings;
    cache?.set(groupId, settings);
  }
  return isJsonObject(settings) ? settings[section] : undefined;
}

/**
 * Replaces `settings[section]` with `value` and keeps every other section. The value is stored as JSON text
 * (`JSON.stringify`), so `undefined` (and undefined fields inside it) are dropped, as Prisma's Json type drops them;
 * stored settings that are not an object are replaced by an object. Throws when the group does not exist.
 */
export async function writeSettingsSection(db: Db, groupId: string, section: string, value: unknown): Promise<void> {
  cached.get(db)?.delete(groupId);
  const json = JSON.stringify(value) ?? null;
  const updated = await db.$executeRaw`
    UPDATE "Group"
    SET "settings" = (CASE WHEN jsonb_typeof("settings") = 'object' THEN "settings" - ${section}::text ELSE '{}'::jsonb END)
          || (CASE WHEN ${json}::jsonb IS NULL THEN '{}'::jsonb ELSE jsonb_build_object(${section}::text, ${json}::jsonb) END),
        "updatedAt" = ${new Date()}
    WHERE "id" = ${groupId}`;
  if (updated === 0) throw new Error(`settings.${section} not saved: no group ${groupId}`);
}
