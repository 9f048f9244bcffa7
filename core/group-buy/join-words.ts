/**
 * The words members join with: `/join`'s arguments, and the 接龙 habits typed as plain messages (`+1`, `接龙 2`,
 * `我要 3 大份`, `+1 不要香菜`). Pure functions; which buy they mean and whether a message counts are decided in
 * group-text.ts (rules in docs/decisions/002-group-buy-rules.md).
 */
import { UserError } from '../errors.js';
import { parseBuyId } from './find-buy.js';
import { looksLikeQuantity, MAX_QUANTITY } from './join-group-buy.js';

export { looksLikeQuantity };

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

/**
 * Full-width digits (０-９, what a Chinese input method types) as ASCII digits, and `＃` as `#`: `/join ２`,
 * `接龙２`, `/join ＃１ ２` mean what they say.
 */
export function halfWidthDigits(text: string): string {
  return text.replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0)).replace(/＃/g, '#');
}

/** Counting words after a number: `3份`, `两个`, `2盒` (a quantity is units, whatever they are called). */
const UNIT = '(?:份|个|件|盒|袋|瓶|斤)';
/** Chinese numerals one to ten, read only before a counting word (`两份`), never alone (`参加一下` is not a quantity). */
const CHINESE_NUMERALS: Record<string, number> = { 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9, 十: 10 };
const QUANTITY_TOKEN = new RegExp(`^(?:(\\d+)${UNIT}?|([一二两三四五六七八九十])${UNIT})$`, 'u');

/** The quantity a token names (`3`, `3份`, `两份`), or undefined when it names none. */
function quantityToken(token: string): number | undefined {
  const m = QUANTITY_TOKEN.exec(token);
  if (!m) return undefined;
  return m[1] !== undefined ? Number(m[1]) : CHINESE_NUMERALS[m[2]!];
}

const isNumber = (token: string) => quantityToken(token) !== undefined;

/** A typed quantity. Above MAX_QUANTITY it is more than any buy has: kept above it, so the join names the buy's real size. */
function quantityOf(token: string): number {
  const n = quantityToken(token);
  if (n === undefined || n < 1) throw new UserError('join.bad_quantity', { value: token });
  return Math.min(n, MAX_QUANTITY + 1);
}

/**
 * Parses `/join` arguments: `[qty] [variant] [备注|note <text>]`, `#<id> [qty] [variant] …`, or the older
 * `<id> <qty> …`. A lone number is marked `bareNumber` (it may mean a buy id), and is the quantity otherwise.
 */
export function parseJoinArgs(args: string): JoinWords {
  const [rawHead, note] = splitNote(args);
  // The note stays as typed; the words before it are read with full-width digits as digits.
  const head = halfWidthDigits(rawHead);
  const tokens = head.split(/\s+/).filter(Boolean);
  const words: JoinWords = note !== undefined ? { note } : {};
  if (tokens[0] && /^[#＃]/.test(tokens[0])) {
    const id = parseBuyId(tokens[0]);
    if (id === undefined) throw new UserError('buy.bad_id', { value: tokens[0] });
    words.buyId = id;
    tokens.shift();
  } else if (tokens.length >= 2 && /^\d+$/.test(tokens[0]!) && isNumber(tokens[1]!)) {
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
  // A bare number is a buy id only when it is a plain number (`/join 3份` is three units, never buy #3).
  if (words.bareNumber !== undefined && !/^\d+$/.test(numbers[0]!)) delete words.bareNumber;
  if (names[0] !== undefined) words.variant = names[0];
  return words;
}

/** A 接龙 habit read from a plain message: how many, which variant (a word the buy may know), and a note. */
export interface Habit {
  quantity: number;
  /** A number was given (`接龙 2`, `+1`); false for a bare `接龙` (1 by default). */
  counted: boolean;
  /** The words after the habit: a variant name and/or a note; group-text.ts tells them apart with the buy's variants. */
  rest: string;
}

/** The start of a habit, up to its number (full-width digits included), which is read with ASCII digits. */
const HABIT_HEAD = /^(?:[+＋]\s?|(?:接龙|参加|参团|我要|跟团|join)\s*[x×*]?\s*)[０-９0-9]*/iu;
const PLUS_HABIT = new RegExp(`^[+＋]\\s?(?:(\\d{1,7})|([一二两三四五六七八九十])(?=${UNIT}))(?:\\s*${UNIT})?(?:\\s+(.*))?$`, 'u');
const WORD_HABIT = new RegExp(`^(?:接龙|参加|参团|我要|跟团|join)(?:\\s*[x×*]?\\s*(?:(\\d{1,7})\\s*(?:${UNIT}|units?)?|([一二两三四五六七八九十])\\s*${UNIT}))?(?:\\s+(.*)|$)`, 'iu');

/**
 * `+1`, `+2`, `＋3`, `接龙`, `接龙 2`, `参加`, `参团 2`, `我要 3`, `跟团`, and English `join`, `join 2`, each optionally
 * followed by more words (`+1 不要香菜`, `我要 2 大份`). Full-width digits count as digits (`＋２`, `接龙２`), a counting
 * word may follow the number (`接龙 2份`), and a Chinese number one to ten before a counting word is one (`我要两份`).
 * Anything else is not a habit. Quantities out of range are refused by the join itself (so `+0` and `+999999` get
 * an answer naming the limit, not silence).
 */
export function parseHabit(text: string): Habit | undefined {
  const trimmed = text.trim();
  if (!trimmed || trimmed.includes('\n')) return undefined;
  // Full-width digits read as digits in the habit itself; the words after it (a note) stay as typed.
  const head = HABIT_HEAD.exec(trimmed)?.[0] ?? '';
  const line = halfWidthDigits(head) + trimmed.slice(head.length);
  const plus = PLUS_HABIT.exec(line);
  if (plus) return { quantity: plus[1] !== undefined ? Number(plus[1]) : CHINESE_NUMERALS[plus[2]!]!, counted: true, rest: (plus[3] ?? '').trim() };
  const word = WORD_HABIT.exec(line);
  if (word) {
    const counted = word[1] !== undefined || word[2] !== undefined;
    return { quantity: word[1] !== undefined ? Number(word[1]) : word[2] !== undefined ? CHINESE_NUMERALS[word[2]]! : 1, counted, rest: (word[3] ?? '').trim() };
  }
  return undefined;
}
