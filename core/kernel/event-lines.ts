/**
 * The JSON-lines event format the offline commands read (`purchases:predict`, `likes:scan`): one
 * event a line, `{"type": "purchase", "user": "u1", "chat": "g1", "amount": 12.5, "at": "2026-03-01T10:00:00Z"}`.
 * Pure: one line in, a typed event (or a reason it is not one) out, so every command reads the file alike.
 *
 * Known types, with their fields (times are ISO 8601 with a zone, `Z` or `+08:00`, or a bare date meaning midnight
 * UTC; ids may be strings or numbers, read as strings):
 * - `member`: `user`, `chat`, `at` (joined the group);
 * - `post`: `post`, `author`, `chat`, `at` (a share);
 * - `like` / `unlike`: `post`, `user`, `at`;
 * - `purchase`: `user`, `chat`, `at`, `amount`, optional `product` and `quantity`;
 * - `round`: `chat`, `posts` (an array of share ids), `start`, `end` (a like round or like task the bot ran).
 * A line of another type is `ignored`, so files may carry events newer commands use.
 */
import { z } from 'zod';

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;

/** Reads an ISO 8601 instant with a zone (`2026-03-01T10:00:00Z`), or a bare date as midnight UTC; else undefined. */
export function parseInstant(text: string): Date | undefined {
  const value = text.length === 10 && /^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T00:00:00Z` : text;
  if (!INSTANT.test(value)) return undefined;
  // Date.parse rolls 2026-02-30 over into March: check the calendar day exists.
  const year = Number(value.slice(0, 4));
  const month = Number(value.slice(5, 7));
  const day = Number(value.slice(8, 10));
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  const ms = Date.parse(value);
  return Number.isFinite(ms) ? new Date(ms) : undefined;
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const daysInMonth = (year: number, month: number) =>
  month === 2 && (year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)) ? 29 : MONTH_DAYS[month - 1]!;

const id = z.unknown().transform((value, ctx) => {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'string' && value.trim() !== '') return value;
  ctx.addIssue({ code: 'custom', message: 'must be a non-empty string or a number' });
  return z.NEVER;
});
const instant = z.string({ error: 'must be a string' }).transform((text, ctx) => {
  const at = text.length <= 40 ? parseInstant(text) : undefined;
  if (!at) {
    ctx.addIssue({ code: 'custom', message: 'must be an ISO 8601 time with a zone, e.g. 2026-03-01T10:00:00Z' });
    return z.NEVER;
  }
  return at;
});
const schemas = {
  member: z.object({ type: z.literal('member'), user: id, chat: id, at: instant }),
  post: z.object({ type: z.literal('post'), post: id, author: id, chat: id, at: instant }),
  like: z.object({ type: z.literal('like'), post: id, user: id, at: instant }),
  unlike: z.object({ type: z.literal('unlike'), post: id, user: id, at: instant }),
  round: z
    .object({ type: z.literal('round'), chat: id, posts: z.array(id, { error: 'must be an array of share ids' }), start: instant, end: instant })
    .refine((round) => round.end.getTime() >= round.start.getTime(), { message: 'must not be before "start"', path: ['end'] }),
  purchase: z.object({
    type: z.literal('purchase'),
    user: id,
    chat: id,
    at: instant,
    amount: z.number({ error: 'must be a number' }).finite().nonnegative({ error: 'must not be negative' }),
    product: id.optional(),
    quantity: z.number({ error: 'must be a number' }).finite().positive({ error: 'must be more than 0' }).optional(),
  }),
};

export type EventLineType = keyof typeof schemas;
export type EventLine = { [K in EventLineType]: z.output<(typeof schemas)[K]> }[EventLineType];
export type PurchaseEventLine = Extract<EventLine, { type: 'purchase' }>;

export type ParsedEventLine =
  | { kind: 'event'; event: EventLine }
  | { kind: 'ignored'; type: string }
  | { kind: 'malformed'; problem: string };

/** One non-blank input line to an event, an ignored line of another type, or what is wrong with it, in words. */
export function parseEventLine(line: string): ParsedEventLine {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    return { kind: 'malformed', problem: `not valid JSON (${(error as Error).message})` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { kind: 'malformed', problem: 'not a JSON object' };
  const type = (value as { type?: unknown }).type;
  if (typeof type !== 'string') return { kind: 'malformed', problem: '"type" must be a string' };
  if (!Object.hasOwn(schemas, type)) return { kind: 'ignored', type };
  const fast = readCommonLine(type, value as Record<string, unknown>);
  if (fast) return { kind: 'event', event: fast };
  const parsed = schemas[type as EventLineType].safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return { kind: 'malformed', problem: `"${issue.path.join('.')}" ${issue.message}` };
  }
  return { kind: 'event', event: parsed.data };
}

const plainId = (value: unknown): string | undefined =>
  typeof value === 'string' ? (value.trim() === '' ? undefined : value) : typeof value === 'number' && Number.isFinite(value) ? String(value) : undefined;
const plainInstant = (value: unknown): Date | undefined => (typeof value === 'string' && value.length <= 40 ? parseInstant(value) : undefined);

/**
 * The schemas' result for a valid like, unlike, member or post line, without zod (a history has millions of
 * likes); undefined for anything else, which then goes through the schemas for their wording of the problem.
 */
function readCommonLine(type: string, value: Record<string, unknown>): EventLine | undefined {
  if (type === 'like' || type === 'unlike') {
    const post = plainId(value.post);
    const user = plainId(value.user);
    const at = plainInstant(value.at);
    return post !== undefined && user !== undefined && at ? { type, post, user, at } : undefined;
  }
  if (type === 'member') {
    const user = plainId(value.user);
    const chat = plainId(value.chat);
    const at = plainInstant(value.at);
    return user !== undefined && chat !== undefined && at ? { type, user, chat, at } : undefined;
  }
  if (type === 'post') {
    const post = plainId(value.post);
    const author = plainId(value.author);
    const chat = plainId(value.chat);
    const at = plainInstant(value.at);
    return post !== undefined && author !== undefined && chat !== undefined && at ? { type, post, author, chat, at } : undefined;
  }
  return undefined;
}
