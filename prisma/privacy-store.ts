/**
 * Members' data rights on Prisma (see core/privacy/privacy-store.ts). MEMBER_REFERENCES names every column that
 * holds a member's id, table by table, with what erasure does to the table's rows; tests/prisma/privacy-store.test.ts
 * fails when the schema gains a member column this map does not cover.
 */
import { createHash } from 'node:crypto';
import type { ErasureResult, MemberData, PrivacyStore } from '../core/privacy/privacy-store.js';
import { ANONYMOUS_PLATFORM, OTHER_MEMBER, SECRET_VALUE } from '../core/privacy/privacy-store.js';
import { normaliseReviewText } from '../llm/tag-cache.js';
import type { Prisma, PrismaClient } from './generated/client.js';

type Db = PrismaClient | Prisma.TransactionClient;

/**
 * What erasure does to a table's rows that refer to the member:
 * - `rekey`: the rows stay, under the anonymous id (orders, ledger, likes, badges: totals and other members' views
 *   hold); personal text in them is cleared separately (SCRUBS);
 * - `delete`: the rows go (plans and logs for messaging the member, open questions and dialogues): nothing counts them.
 */
type Forget = 'rekey' | 'delete';

/** Every column holding a member's id, by table. Member.id is the member itself (re-keyed first; FKs cascade). */
export const MEMBER_REFERENCES: Readonly<Record<string, { columns: readonly string[]; forget: Forget }>> = {
  Member: { columns: ['id'], forget: 'rekey' },
  GroupMember: { columns: ['memberId'], forget: 'rekey' },
  GroupBuy: { columns: ['createdById'], forget: 'rekey' },
  SignUp: { columns: ['memberId'], forget: 'rekey' },
  Purchase: { columns: ['memberId'], forget: 'rekey' },
  Dialogue: { columns: ['memberId'], forget: 'delete' },
  Confirmation: { columns: ['memberId'], forget: 'delete' },
  AdminAction: { columns: ['actorId'], forget: 'rekey' },
  PointEntry: { columns: ['memberId', 'actorId'], forget: 'rekey' },
  ReviewRequest: { columns: ['memberId'], forget: 'rekey' },
  Review: { columns: ['memberId'], forget: 'rekey' },
  // An admin's answers to reviews: their text is erased with the admin's data, and with the reviewer's (it was
  // written to them, and may name them); the row stays, so the review still counts as answered.
  ReviewReply: { columns: ['authorId'], forget: 'rekey' },
  ReviewVote: { columns: ['memberId'], forget: 'rekey' },
  OutboundMessage: { columns: ['memberId'], forget: 'delete' },
  Share: { columns: ['memberId'], forget: 'rekey' },
  ShareLike: { columns: ['likerId'], forget: 'rekey' },
  LikeEvent: { columns: ['likerId', 'authorId'], forget: 'rekey' },
  LikeTask: { columns: ['createdById'], forget: 'rekey' },
  LikeTaskCompletion: { columns: ['memberId'], forget: 'rekey' },
  LikeRound: { columns: ['createdById'], forget: 'rekey' },
  LikeRoundEntry: { columns: ['memberId'], forget: 'rekey' },
  MemberWarning: { columns: ['memberId', 'liftedById'], forget: 'rekey' },
  CheckIn: { columns: ['memberId'], forget: 'rekey' },
  BadgeAward: { columns: ['memberId'], forget: 'rekey' },
  ReminderPlan: { columns: ['memberId'], forget: 'delete' },
  ReminderOptOut: { columns: ['memberId'], forget: 'delete' },
  ChurnDigestSubscription: { columns: ['memberId'], forget: 'delete' },
  FlagCase: { columns: ['handledById'], forget: 'rekey' },
  FlagCaseMember: { columns: ['memberId'], forget: 'rekey' },
  Erasure: { columns: ['actorId'], forget: 'rekey' },
  // Dashboard sign-in links and sessions: deleted (a session's groups go with it), so no browser stays signed in.
  DashboardLink: { columns: ['memberId'], forget: 'delete' },
  DashboardSession: { columns: ['memberId'], forget: 'delete' },
};

/**
 * The job queue's schema (pg-boss, prisma/job-queue.ts's default): its job payloads, outputs and keys are swept too,
 * so a job scheduled with the member's id, name or text (a churn digest's subscriber) keeps none of it.
 */
export const JOB_QUEUE_SCHEMA = 'pgboss';

/** Left out of the id sweep: migrations, and update keys (which carry no prefixed id; joins are removed by key). */
const SWEEP_SKIPS = new Set(['_prisma_migrations', 'ProcessedUpdate']);

/** A quoted identifier (table and column names come from MEMBER_REFERENCES and information_schema, never from input). */
const q = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** Member ids as they appear in JSON (`tg:12`, `dc:9`, `pg:alice`, `anon:3`); other strings stay. */
const MEMBER_ID = /^(tg|dc|pg|anon):(?!-)\S+$/;

export class PrismaPrivacyStore implements PrivacyStore {
  constructor(private readonly db: Db) {}

  async memberData(memberId: string): Promise<MemberData> {
    const tables: Record<string, Record<string, unknown>[]> = {};
    for (const [table, { columns }] of Object.entries(MEMBER_REFERENCES)) {
      const where = columns.map((c) => `${q(c)} = $1`).join(' OR ');
      const rows = await this.db.$queryRawUnsafe<Record<string, unknown>[]>(`SELECT * FROM ${q(table)} WHERE ${where} ORDER BY 1`, memberId);
      tables[table] = rows.map((row) => maskRow(row, columns, memberId));
    }
    return { memberId, tables };
  }

  async forgetMember(memberId: string, input: { at: Date; requestedBy: 'self' | 'admin'; actorId: string | null }): Promise<ErasureResult | null> {
    const db = this.db;
    const [member] = await db.$queryRaw<{ id: string }[]>`SELECT "id" FROM "Member" WHERE "id" = ${memberId} FOR UPDATE`;
    if (!member) return null;
    const groupIds = (await db.groupMember.findMany({ where: { memberId }, select: { groupId: true }, orderBy: { firstSeenAt: 'asc' } })).map((g) => g.groupId);
    const [next] = await db.$queryRaw<{ id: bigint }[]>`SELECT nextval(pg_get_serial_sequence('"Erasure"', 'id')) AS id`;
    const number = Number(next!.id);
    const anonymousId = `${ANONYMOUS_PLATFORM}:${number}`;
    await db.erasure.create({ data: { id: number, anonymousId, requestedBy: input.requestedBy, actorId: input.actorId, createdAt: input.at } });

    const posted = await this.postedCards(memberId);
    const personal = await this.personalStrings(memberId);

    // Tags cached by the review's text hash: the hash would confirm the text to anyone holding it.
    const texts = await db.review.findMany({ where: { memberId, text: { not: '' } }, select: { text: true } });
    for (const { text } of texts) {
      const hash = createHash('sha256').update(normaliseReviewText(text), 'utf8').digest('hex');
      await db.reviewTagCache.deleteMany({ where: { key: { endsWith: `:${hash}` } } });
    }

    // Personal texts and media; the rows stay (ratings, likes and counts are other members' views too).
    await db.review.updateMany({ where: { memberId }, data: { text: '', media: [] } });
    // Their review cards are taken down (the core edits them to say so); a later vote must not re-post a stripped card.
    await db.review.updateMany({ where: { memberId, postedChatId: { not: null } }, data: { postedChatId: null, postedMessageId: null } });
    // Answers to their reviews were written to them; answers they wrote as an admin are their texts.
    await db.$executeRaw`UPDATE "ReviewReply" SET "text" = '' WHERE "authorId" = ${memberId} OR "reviewId" IN (SELECT "id" FROM "Review" WHERE "memberId" = ${memberId})`;
    // A photo card is edited once now by the core (its caption, the photo stays: see postedCards) and then let go: a
    // later edit without the photo would fail on Telegram (likes on it still count).
    await db.share.updateMany({ where: { memberId, photoFileId: { not: null } }, data: { postedChatId: null, postedMessageId: null } });
    await db.share.updateMany({ where: { memberId }, data: { text: '', photoFileId: null } });
    await db.signUp.updateMany({ where: { memberId }, data: { note: null } });
    await db.pointEntry.updateMany({ where: { memberId }, data: { note: null } });
    // What admins wrote about the member in the audit (a points adjustment's reason); who did what, and the amounts, stay.
    await db.$executeRaw`UPDATE "AdminAction" SET "detail" = "detail" - 'reason' - 'note' WHERE strpos("detail"::text, ${JSON.stringify(memberId)}) > 0`;
    // Nobody sends to an anonymous id: open review requests end here.
    await db.reviewRequest.updateMany({ where: { memberId, status: { in: ['pending', 'sent'] } }, data: { status: 'opted_out', nextAt: null } });

    for (const [table, { columns, forget }] of Object.entries(MEMBER_REFERENCES)) {
      if (forget !== 'delete') continue;
      await db.$executeRawUnsafe(`DELETE FROM ${q(table)} WHERE ${columns.map((c) => `${q(c)} = $1`).join(' OR ')}`, memberId);
    }
    // Dialogues and questions in the member's private chat (its id is theirs on Telegram), and questions about them.
    await db.dialogue.deleteMany({ where: { chatId: memberId } });
    await db.$executeRaw`DELETE FROM "Confirmation" WHERE "chatId" = ${memberId} OR strpos("data"::text, ${JSON.stringify(memberId)}) > 0`;

    // The member row becomes the anonymous one (memberships, sign-ups and purchases follow by their foreign keys).
    await db.$executeRaw`
      UPDATE "Member" SET "id" = ${anonymousId}, "platform" = ${ANONYMOUS_PLATFORM}, "displayName" = ${anonymousName(number)},
        "username" = NULL, "language" = NULL, "languageChosen" = false, "reviewsOptOut" = true, "updatedAt" = ${input.at}
      WHERE "id" = ${memberId}`;
    for (const [table, { columns, forget }] of Object.entries(MEMBER_REFERENCES)) {
      if (forget !== 'rekey' || table === 'Member') continue;
      for (const column of columns) await db.$executeRawUnsafe(`UPDATE ${q(table)} SET ${q(column)} = $1 WHERE ${q(column)} = $2`, anonymousId, memberId);
    }
    await this.sweepId(memberId, anonymousId);
    await this.sweepJobs(memberId, anonymousId, anonymousName(number), personal);
    // Update keys of member joins and leaves end in the platform's own user id (`tg:<update>:joined:<user>`).
    const [platform, raw] = [memberId.slice(0, memberId.indexOf(':')), memberId.slice(memberId.indexOf(':') + 1)];
    await db.$executeRaw`DELETE FROM "ProcessedUpdate" WHERE starts_with("key", ${`${platform}:`}) AND ("key" LIKE ${'%:joined:'} || ${raw} OR "key" LIKE ${'%:left:'} || ${raw})`;
    // The anonymous member is never reminded of anything.
    await db.reminderOptOut.create({ data: { memberId: anonymousId, productKey: '*', createdAt: input.at } });
    return { anonymousId, groupIds, posted };
  }

  /** The posted messages that show the member (read before the erasure): the core brings them up to date after it. */
  private async postedCards(memberId: string): Promise<ErasureResult['posted']> {
    const db = this.db;
    const buys = await db.$queryRaw<{ id: number }[]>`
      SELECT DISTINCT b."id" FROM "GroupBuy" b JOIN "SignUp" s ON s."buyId" = b."id"
      WHERE s."memberId" = ${memberId} AND b."cardChatId" IS NOT NULL AND b."cardMessageId" IS NOT NULL ORDER BY b."id"`;
    const rounds = await db.$queryRaw<{ id: number }[]>`
      SELECT DISTINCT r."id" FROM "LikeRound" r JOIN "LikeRoundEntry" e ON e."roundId" = r."id"
      WHERE e."memberId" = ${memberId} AND r."listChatId" IS NOT NULL AND r."listMessageId" IS NOT NULL ORDER BY r."id"`;
    const shares = await db.share.findMany({ where: { memberId, postedChatId: { not: null }, postedMessageId: { not: null } }, orderBy: { id: 'asc' } });
    const reviews = await db.review.findMany({ where: { memberId, postedChatId: { not: null }, postedMessageId: { not: null } }, orderBy: { id: 'asc' } });
    return {
      buyIds: buys.map((b) => Number(b.id)),
      roundIds: rounds.map((r) => Number(r.id)),
      shares: shares.map((x) => ({ id: x.id, chatId: x.postedChatId!, messageId: x.postedMessageId!, photo: x.photoFileId !== null })),
      reviews: reviews.map((r) => ({ id: r.id, buyId: r.buyId, groupId: r.groupId, chatId: r.postedChatId!, messageId: r.postedMessageId! })),
    };
  }

  /** The member's name, username and every text of theirs the erasure clears (to find them in job payloads). */
  private async personalStrings(memberId: string): Promise<{ name: string; username: string | null; texts: string[] }> {
    const db = this.db;
    const member = await db.member.findUniqueOrThrow({ where: { id: memberId } });
    const texts = [
      ...(await db.review.findMany({ where: { memberId }, select: { text: true } })).map((r) => r.text),
      ...(await db.share.findMany({ where: { memberId }, select: { text: true } })).map((r) => r.text),
      ...(await db.signUp.findMany({ where: { memberId }, select: { note: true } })).map((r) => r.note ?? ''),
      ...(await db.pointEntry.findMany({ where: { memberId }, select: { note: true } })).map((r) => r.note ?? ''),
      ...(await db.reviewReply.findMany({ where: { authorId: memberId }, select: { text: true } })).map((r) => r.text),
    ];
    return { name: member.displayName, username: member.username, texts: [...new Set(texts.map((x) => x.trim()).filter((x) => x.length >= 3))] };
  }

  /**
   * Job payloads (pg-boss's own tables): the member's id becomes the anonymous id, their name the anonymous name,
   * their username and texts are removed, in every text and JSON column of the queue's schema (data, output, keys).
   * A job keeps running on the ids it holds; what it would have shown of the member is gone.
   */
  private async sweepJobs(memberId: string, anonymousId: string, anonymous: string, personal: { name: string; username: string | null; texts: string[] }): Promise<void> {
    const columns = await this.db.$queryRaw<{ table_name: string; column_name: string; data_type: string }[]>`
      SELECT c.table_name, c.column_name, c.data_type FROM information_schema.columns c
      JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name AND t.table_type = 'BASE TABLE'
      WHERE c.table_schema = ${JOB_QUEUE_SCHEMA} AND c.data_type IN ('text', 'character varying', 'jsonb', 'json')`;
    if (columns.length === 0) return;
    const replacements: [string, string][] = [
      [memberId, anonymousId],
      [personal.name, anonymous],
      ...(personal.username ? ([[`@${personal.username}`, ''], [personal.username, '']] as [string, string][]) : []),
      ...personal.texts.sort((a, b) => b.length - a.length).map((text): [string, string] => [text, '']),
    ];
    for (const { table_name: table, column_name: column, data_type: type } of columns) {
      const json = type.startsWith('json');
      const value = json ? `${q(column)}::text` : q(column);
      const back = type === 'jsonb' ? '::jsonb' : type === 'json' ? '::json' : '';
      for (const [needle, replacement] of replacements) {
        // Inside JSON text a string is escaped (quotes, newlines): look for it, and write its replacement, the same way.
        const [find, put] = json ? [JSON.stringify(needle).slice(1, -1), JSON.stringify(replacement).slice(1, -1)] : [needle, replacement];
        const pattern = `(^|[^A-Za-z0-9_])${find.replace(/[\\^$.*+?()[\]{}|-]/g, '\\$&')}(?![A-Za-z0-9_])`;
        await this.db.$executeRawUnsafe(
          `UPDATE ${q(JOB_QUEUE_SCHEMA)}.${q(table)} SET ${q(column)} = regexp_replace(${value}, $1, '\\1' || $2, 'g')${back} WHERE strpos(${value}, $3) > 0`,
          pattern, put.replace(/\\/g, '\\\\'), find,
        );
      }
    }
  }

  /**
   * The id wherever else it is written: JSON (case evidence, audit details, settings) and keys (`checkin:tg:12:…`).
   * Every text and JSON column of every table is looked at, so a column added later is covered too; the id is
   * replaced only as a whole (`tg:12` never touches `tg:123`).
   */
  private async sweepId(memberId: string, anonymousId: string): Promise<void> {
    const columns = await this.db.$queryRaw<{ table_name: string; column_name: string; data_type: string }[]>`
      SELECT table_name, column_name, data_type FROM information_schema.columns
      WHERE table_schema = current_schema() AND data_type IN ('text', 'character varying', 'jsonb', 'json')`;
    const escaped = memberId.replace(/[\\^$.*+?()[\]{}|-]/g, '\\$&');
    const pattern = `(^|[^A-Za-z0-9_])${escaped}(?![A-Za-z0-9_])`;
    for (const { table_name: table, column_name: column, data_type: type } of columns) {
      if (SWEEP_SKIPS.has(table) || MEMBER_REFERENCES[table]?.columns.includes(column)) continue;
      const value = type.startsWith('json') ? `${q(column)}::text` : q(column);
      const back = type === 'jsonb' ? '::jsonb' : type === 'json' ? '::json' : '';
      await this.db.$executeRawUnsafe(
        `UPDATE ${q(table)} SET ${q(column)} = regexp_replace(${value}, $1, '\\1' || $2, 'g')${back} WHERE strpos(${value}, $3) > 0`,
        pattern, anonymousId, memberId,
      );
    }
  }
}

/** The name an erased member's rows show (buy lists, leaderboards): the same in every language. */
export function anonymousName(n: number): string {
  return `anon-${n}`;
}

/**
 * Columns holding secrets (the dashboard's session token hash and CSRF token, a sign-in link's hash): the file says a
 * value is held but not what it is. A file sent by chat may be forwarded or lie in a downloads folder; a live CSRF
 * token or a token hash in it would help whoever reads it, and is no personal data the member needs to see.
 */
export const SECRET_COLUMN = /(token|hash|secret|password)$/i;

/** A row as the member receives it: dates as ISO strings, other members' ids masked (also inside JSON), secrets left out. */
function maskRow(row: Record<string, unknown>, memberColumns: readonly string[], memberId: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(row)) {
    if (SECRET_COLUMN.test(key) && value !== null) out[key] = SECRET_VALUE;
    else if (memberColumns.includes(key) && typeof value === 'string' && value !== memberId) out[key] = OTHER_MEMBER;
    else if (value instanceof Date) out[key] = value.toISOString();
    else if (value && typeof value === 'object') out[key] = maskJson(value, memberId);
    else out[key] = typeof value === 'bigint' ? Number(value) : value;
  }
  return out;
}

/** Inside JSON (case evidence, audit details), strings that are member ids are the ones masked. */
function maskJson(value: unknown, memberId: string): unknown {
  if (typeof value === 'string') return MEMBER_ID.test(value) && value !== memberId ? OTHER_MEMBER : value;
  if (Array.isArray(value)) return value.map((v) => maskJson(v, memberId));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [MEMBER_ID.test(k) && k !== memberId ? OTHER_MEMBER : k, maskJson(v, memberId)]));
  }
  return value;
}
