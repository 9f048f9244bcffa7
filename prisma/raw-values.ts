/**
 * Values of a raw statement as Prisma's `$queryRaw` gives and takes them, for statements sent straight to the
 * driver (direct-sql.ts). Prisma 7 turns each parameter into a serialized form and back before its driver adapter
 * formats it, and reads each column by its type through the adapter's parsers, its query interpreter and its
 * client; the functions here do the same in one step, so the store's code sees the same values either way
 * (`tests/prisma/direct-sql.test.ts` runs a table of typed expressions through both and compares).
 *
 * - parameters: null and undefined as NULL; a Date as UTC `YYYY-MM-DD HH:MM:SS[.mmm]` with no zone; a bigint or a
 *   Decimal as its text; byte arrays as bytes; an array element by element; another object as JSON; a number that
 *   JSON cannot hold (NaN, ±Infinity) as NULL, as Prisma's JSON round trip leaves it.
 * - columns: int2/int4 as numbers, int8 and oid as BigInt, float4/float8 as numbers, numeric and money as Decimal,
 *   timestamp/timestamptz/date/time as Date (read as UTC), json/jsonb parsed, bytea as Uint8Array, bool as boolean,
 *   text-like types and user-defined types (enums) as strings, arrays element by element; any other built-in type
 *   is refused as Prisma refuses it.
 */
import { Prisma } from './generated/client.js';

/** A column of a result as the driver describes it. */
export interface RawField {
  name: string;
  dataTypeID: number;
}

/** First OID of user-defined types (enums and the like are read as text). */
const FIRST_NORMAL_OBJECT_ID = 16384;

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** A Date as Prisma's driver adapters send it (UTC, no zone). */
function formatDateTime(date: Date): string {
  const ms = date.getUTCMilliseconds();
  return `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())} ${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}${ms ? `.${pad(ms, 3)}` : ''}`;
}

function isBytes(value: object): value is ArrayBufferView | ArrayBuffer {
  return ArrayBuffer.isView(value) || value instanceof ArrayBuffer || (typeof SharedArrayBuffer !== 'undefined' && value instanceof SharedArrayBuffer);
}

function toBytes(value: ArrayBufferView | ArrayBuffer): Uint8Array {
  return ArrayBuffer.isView(value) ? new Uint8Array(value.buffer, value.byteOffset, value.byteLength) : new Uint8Array(value);
}

/** One parameter as Prisma's pipeline hands it to the driver. */
export function rawParam(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      // Prisma's parameters go through JSON: what it cannot write comes back null.
      return Number.isFinite(value) ? (Object.is(value, -0) ? 0 : value) : null;
    case 'bigint':
      return value.toString();
    case 'object':
      break;
    default:
      // Functions and symbols: dropped by JSON as they are in Prisma's pipeline.
      return null;
  }
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new Prisma.PrismaClientValidationError('Provided Date object is invalid', { clientVersion: Prisma.prismaVersion.client });
    return formatDateTime(value);
  }
  if (Prisma.Decimal.isDecimal(value)) return (value as Prisma.Decimal).toJSON();
  if (isBytes(value)) return toBytes(value);
  if (Array.isArray(value)) return value.map(rawParam);
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
}

// ---------------------------------------------------------------- columns

type Read = (text: string) => unknown;

const asString: Read = (t) => t;
const asInt: Read = (t) => Number.parseInt(t, 10);
const asBigInt: Read = (t) => BigInt(t);
const asFloat: Read = (t) => Number.parseFloat(t);
const asDecimal: Read = (t) => new Prisma.Decimal(t);
const asBool: Read = (t) => t === 't' || t === 'true' || t === 'TRUE' || t === 'y' || t === 'yes' || t === 'on' || t === '1';
const asJson: Read = (t) => JSON.parse(t) as unknown;
const asDate: Read = (t) => new Date(t);
const asTime: Read = (t) => new Date(`1970-01-01T${t}Z`);
const asTimeTz: Read = (t) => new Date(`1970-01-01T${t.replace(/[+-]\d{2}(:\d{2})?$/, '')}Z`);
const asTimestamp: Read = (t) => new Date(`${t.replace(' ', 'T')}+00:00`);
// As Prisma's adapters read it: the offset the server wrote is replaced by +00:00 (the session's zone is UTC).
const asTimestampTz: Read = (t) => new Date(t.replace(' ', 'T').replace(/[+-]\d{2}(:\d{2})?$/, '+00:00'));
const asMoney: Read = (t) => new Prisma.Decimal(t.slice(1));
const asBytes: Read = (t) => {
  if (t.startsWith('\\x')) return new Uint8Array(Buffer.from(t.slice(2), 'hex'));
  // The escape format (bytea_output = 'escape'): backslash-octal escapes and doubled backslashes.
  const out: number[] = [];
  for (let i = 0; i < t.length; i++) {
    if (t[i] === '\\') {
      if (t[i + 1] === '\\') {
        out.push(92);
        i++;
      } else {
        out.push(Number.parseInt(t.slice(i + 1, i + 4), 8));
        i += 3;
      }
    } else out.push(t.charCodeAt(i));
  }
  return new Uint8Array(out);
};

/** Scalar readers by type OID. */
const SCALARS: Record<number, Read> = {
  16: asBool,
  17: asBytes,
  18: asString, // "char"
  19: asString, // name
  20: asBigInt,
  21: asInt,
  23: asInt,
  25: asString,
  26: asBigInt, // oid
  114: asJson,
  142: asString, // xml
  650: asString, // cidr
  700: asFloat,
  701: asFloat,
  790: asMoney,
  869: asString, // inet
  1042: asString, // bpchar
  1043: asString, // varchar
  1082: asDate,
  1083: asTime,
  1114: asTimestamp,
  1184: asTimestampTz,
  1266: asTimeTz,
  1560: asString, // bit
  1562: asString, // varbit
  1700: asDecimal,
  2950: asString, // uuid
  3802: asJson,
};

/** Array types by OID, with the reader of their elements. */
const ARRAYS: Record<number, Read> = {
  1000: asBool,
  1001: asBytes,
  1002: asString,
  1005: asInt,
  1007: asInt,
  1009: asString,
  1014: asString,
  1015: asString,
  1016: asBigInt,
  1021: asFloat,
  1022: asFloat,
  1028: asBigInt,
  1115: asTimestamp,
  1182: asDate,
  1183: asTime,
  1185: asTimestampTz,
  1231: asDecimal,
  143: asString, // xml[]
  199: asJson,
  651: asString, // cidr[]
  791: asMoney,
  1041: asString, // inet[]
  1561: asString, // bit[]
  1563: asString, // varbit[]
  2951: asString, // uuid[]
  3807: asJson,
};

/** Names of the built-in types Prisma refuses, for its message. */
const TYPE_NAMES: Record<number, string> = { 1186: 'interval', 2249: 'record', 2278: 'void', 600: 'point', 3614: 'tsvector', 2287: '_record', 705: 'unknown', 1790: 'refcursor', 3904: 'int4range' };

/** A PostgreSQL array literal (`{1,NULL,"a,b",{2,3}}`) with each element read by `read`. */
export function parseArray(text: string, read: Read): unknown[] {
  let at = 0;
  // A lower-bound prefix such as "[0:1]=" may precede the literal.
  if (text[0] === '[') at = text.indexOf('=') + 1;
  const level = (): unknown[] => {
    const items: unknown[] = [];
    at++; // '{'
    if (text[at] === '}') {
      at++;
      return items;
    }
    for (;;) {
      if (text[at] === '{') items.push(level());
      else if (text[at] === '"') {
        let value = '';
        at++;
        while (text[at] !== '"') {
          if (text[at] === '\\') at++;
          value += text[at++];
        }
        at++;
        items.push(read(value));
      } else {
        const start = at;
        while (text[at] !== ',' && text[at] !== '}') at++;
        const value = text.slice(start, at);
        items.push(value === 'NULL' ? null : read(value));
      }
      // Elements are separated by ',' (box[] uses ';', which Prisma refuses anyway).
      if (text[at] === ',') at++;
      else {
        at++; // '}'
        return items;
      }
    }
  };
  return level();
}

/** How each column of a result is read, or an error naming the first type Prisma would refuse. */
function readersOf(fields: RawField[]): Read[] {
  return fields.map((f) => {
    const scalar = SCALARS[f.dataTypeID];
    if (scalar) return scalar;
    const element = ARRAYS[f.dataTypeID];
    if (element) return (t: string) => parseArray(t, element);
    if (f.dataTypeID >= FIRST_NORMAL_OBJECT_ID) return asString;
    throw new Prisma.PrismaClientKnownRequestError(`Failed to deserialize column of type '${TYPE_NAMES[f.dataTypeID] ?? `oid ${f.dataTypeID}`}'`, {
      code: 'P2010',
      clientVersion: Prisma.prismaVersion.client,
      meta: { column: f.name, dataTypeID: f.dataTypeID },
    });
  });
}

/** Rows (each an array of column texts, null for NULL) as the objects `$queryRaw` returns. */
export function rawRows(fields: RawField[], rows: (string | null)[][]): Record<string, unknown>[] {
  const read = readersOf(fields);
  const out: Record<string, unknown>[] = new Array(rows.length);
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r]!;
    const object: Record<string, unknown> = {};
    // Every column name first (null), in order; a later column of the same name wins, as in Prisma.
    for (const f of fields) object[f.name] = null;
    for (let c = 0; c < fields.length; c++) {
      const text = row[c];
      object[fields[c]!.name] = text === null || text === undefined ? null : read[c]!(text);
    }
    out[r] = object;
  }
  return out;
}
