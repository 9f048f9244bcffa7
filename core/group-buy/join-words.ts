/**
 * The words members join with: `/join`'s arguments, and the 接龙 habits typed as plain messages (`+1`, `接龙 2`,
 * `我要 3 大份`, `+1 不要香菜`). Pure functions; which buy they mean and whether a message counts are decided in
 * group-text.ts (rules in docs/decisions/002-group-buy-rules.md).
 */
import { UserError } from '../errors.js';
import { parseBuyId } from './find-buy.js';
import { MAX_QUANTITY } from './join-group-buy.js';

export interface JoinWords {
  buyId?: number;
  quantity?: number;
  variant?: string;
  note?: string;
  /** `/join N` with only a number: N units of the newest buy, or buy #N? (asked when both exist; see module.ts) */
  bareNumber?: number;
}

/** `备注 …`, `备注：…`, `note: …`, `note …` — the rest of the message is the member's note. */
const NOTE_MARKER = /(?:^|\s)(?:备注|留言|note|notes)\s*[:：]?\s*/i;

/** Splits off the note: `2 大份 备注 不要香菜` -> [`2 大份`, `不要香菜`]. */
export function splitNote(text: string): [string, string | undefined] {
  const m = NOTE_MARKER.exec(text);
  if (!m) return [text.trim(), undefined];
  return [text.slice(0, m.index).trim(), text.slice(m.index + m[0].length).trim()];
}

const isNumber = (token: string) => /^\d+$/.test(token);

/** A typed quantity. Above MAX_QUANTITY it is more than any buy has: kept above it, so the join names the buy's real size. */
function quantityOf(token: string): number {
  const n = Number(token);
  if (!isNumber(token) || n < 1) throw new UserError('join.bad_quantity', { value: token });
  return Math.min(n, MAX_QUANTITY + 1);
}

/**
 * Parses `/join` arguments: `[qty] [variant] [备注|note <text>]`, `#<id> [qty] [variant] …`, or the older
 * `<id> <qty> …`. A lone number is marked `bareNumber` (it may mean a buy id), and is the quantity otherwise.
 */
export function parseJoinArgs(args: string): JoinWords {
  const [head, note] = splitNote(args);
  const tokens = head.split(/\s+/).filter(Boolean);
  const words: JoinWords = note !== undefined ? { note } : {};
  if (tokens[0] && /^[#＃]/.test(tokens[0])) {
    const id = parseBuyId(tokens[0]);
    if (id === undefined) throw new UserError('buy.bad_id', { value: tokens[0] });
    words.buyId = id;
    tokens.shift();
  } else if (tokens.length >= 2 && isNumber(tokens[0]!) && isNumber(tokens[1]!)) {
    const id = parseBuyId(tokens[0]!);
    if (id === undefined) throw new UserError('buy.bad_id', { value: tokens[0]! });
    words.buyId = id;
    tokens.shift();
  }
  const numbers = tokens.filter(isNumber);
  const names = tokens.filter((t) => !isNumber(t));
  if (numbers.length > 1 || names.length > 1) throw new UserError('join.usage');
  if (numbers[0] !== undefined) {
    words.quantity = quantityOf(numbers[0]);
    if (words.buyId === undefined && names.length === 0 && note === undefined) words.bareNumber = words.quantity;
  } else if (names[0] !== undefined && /^[+-]?\d/.test(names[0])) {
    // `-1`, `2.5`, `1e3`: meant as a quantity, and not one.
    throw new UserError('join.bad_quantity', { value: names[0] });
  }
  if (names[0] !== undefined) words.variant = names[0];
  return words;
}

/** A 接龙 habit read from a plain message: how many, which variant (a word the buy may know), and a note. */
export interface Habit {
  quantity: number;
  /** The words after the habit: a variant name and/or a note; group-text.ts tells them apart with the buy's variants. */
  rest: string;
}

/**
 * `+1`, `+2`, `＋3`, `接龙`, `接龙 2`, `参加`, `参团 2`, `我要 3`, `跟团`, and English `join`, `join 2`, each optionally
 * followed by more words (`+1 不要香菜`, `我要 2 大份`). Anything else is not a habit. Quantities out of range are
 * refused by the join itself (so `+0` and `+999999` get an answer naming the limit, not silence).
 */
export function parseHabit(text: string): Habit | undefined {
  const line = text.trim();
  if (!line || line.includes('\n')) return undefined;
  const plus = /^[+＋]\s?(\d{1,7})(?:\s+(.*))?$/u.exec(line);
  if (plus) return { quantity: Number(plus[1]), rest: (plus[2] ?? '').trim() };
  const word = /^(?:接龙|参加|参团|我要|跟团|join)(?:\s*[x×*]?\s*(\d{1,7})\s*(?:份|个|件|盒|units?)?)?(?:\s+(.*)|$)/iu.exec(line);
  if (word) return { quantity: word[1] !== undefined ? Number(word[1]) : 1, rest: (word[2] ?? '').trim() };
  return undefined;
}
