/**
 * Typed command arguments, declared once per command and used by every adapter: the text parser (Telegram, the
 * playground) turns what was typed into these values, Discord derives its slash options from the same declaration
 * and hands the values over already typed, and the core validates both the same way before a command runs.
 */
import { UserError } from '../errors.js';
import type { Attachment, CommandEvent, MentionedMember } from '../events.js';

/** Copy in both languages an adapter may show next to an argument (Discord's option descriptions and choices). */
export interface Words {
  en: string;
  zh: string;
}

interface ArgBase<N extends string> {
  name: N;
  /** The localized name (lower case, no spaces): Discord shows it to zh-CN clients. */
  zhName: string;
  description: Words;
  /** Platforms with typed forms (Discord) make the member fill it in. Text grammars check for it themselves. */
  required?: boolean;
  /** Only the text grammar produces it (e.g. members named in words); typed forms do not offer it. */
  textOnly?: boolean;
}

export interface IntegerArg<N extends string = string> extends ArgBase<N> {
  kind: 'integer';
  min?: number;
  max?: number;
}
export interface StringArg<N extends string = string> extends ArgBase<N> {
  kind: 'string';
  /** The values a typed form offers. Text may carry aliases (e.g. 本周 for week): the command reads those. */
  choices?: { value: string; name: Words }[];
}
export interface BooleanArg<N extends string = string> extends ArgBase<N> {
  kind: 'boolean';
}
/** Another member: by a typed form's member picker, a reply to their message, or a text mention. */
export interface MemberArg<N extends string = string> extends ArgBase<N> {
  kind: 'member';
}
/** A photo or video sent with the command. */
export interface AttachmentArg<N extends string = string> extends ArgBase<N> {
  kind: 'attachment';
}

export type ArgSpec<N extends string = string> = IntegerArg<N> | StringArg<N> | BooleanArg<N> | MemberArg<N> | AttachmentArg<N>;
export type ArgKind = ArgSpec['kind'];

type ValueOf<S extends ArgSpec> = S extends IntegerArg
  ? number
  : S extends StringArg
    ? string
    : S extends BooleanArg
      ? boolean
      : S extends MemberArg
        ? MentionedMember
        : S extends AttachmentArg
          ? Attachment
          : never;

/** The values of a command's arguments by name; absent when not given. */
export type ArgValues<A extends readonly ArgSpec[]> = { [S in A[number] as S['name']]?: ValueOf<S> };

/** Values as an adapter's typed form sends them: numbers, strings, booleans; members by id, attachments by index. */
export type RawOptions = Record<string, string | number | boolean>;

/** Declaration helpers, so a command's argument list reads as a list and keeps its names' literal types. */
export const arg = {
  integer: <N extends string>(name: N, zhName: string, description: Words, extra: Omit<IntegerArg, 'kind' | 'name' | 'zhName' | 'description'> = {}): IntegerArg<N> => ({ kind: 'integer', name, zhName, description, ...extra }),
  string: <N extends string>(name: N, zhName: string, description: Words, extra: Omit<StringArg, 'kind' | 'name' | 'zhName' | 'description'> = {}): StringArg<N> => {
    // Copies the choices getter, if any, so choices built late (from other modules) stay live.
    const spec = { kind: 'string', name, zhName, description } as StringArg<N>;
    return Object.defineProperties(spec, Object.getOwnPropertyDescriptors(extra));
  },
  boolean: <N extends string>(name: N, zhName: string, description: Words, extra: { required?: boolean } = {}): BooleanArg<N> => ({ kind: 'boolean', name, zhName, description, ...extra }),
  member: <N extends string>(name: N, zhName: string, description: Words, extra: { required?: boolean } = {}): MemberArg<N> => ({ kind: 'member', name, zhName, description, ...extra }),
  attachment: <N extends string>(name: N, zhName: string, description: Words, extra: { required?: boolean } = {}): AttachmentArg<N> => ({ kind: 'attachment', name, zhName, description, ...extra }),
};

/**
 * A member pointed at: a typed form's member picker, or in text a reply or mention, else the words typed
 * (`@username`, which the command looks up). The default text grammar fills both.
 */
export function memberArgs(description: Words, required: boolean) {
  return [
    arg.member('member', '成员', description, { required }),
    arg.string('name', '名字', { en: '@username', zh: '@用户名' }, { textOnly: true }),
  ] as const;
}

/**
 * Values from an adapter's typed form (Discord's slash options), checked against the declaration: a form is
 * untrusted input too (a modified client can send anything), so a value of the wrong type or out of range is
 * refused like bad text. Member values are the members the event carries (`event.mentions`, resolved by the
 * adapter); attachments are the event's attachments.
 */
export function typedValues<A extends readonly ArgSpec[]>(specs: A, options: RawOptions, event: Pick<CommandEvent, 'mentions' | 'attachments'>): ArgValues<A> {
  const values: Record<string, unknown> = {};
  for (const spec of specs) {
    if (spec.textOnly) continue;
    const raw = options[spec.name];
    if (spec.kind === 'attachment') {
      const attachment = event.attachments?.[0];
      if (attachment) values[spec.name] = attachment;
      continue;
    }
    if (raw === undefined) continue;
    switch (spec.kind) {
      case 'integer': {
        const n = typeof raw === 'number' ? raw : Number.NaN;
        if (!Number.isInteger(n) || (spec.min !== undefined && n < spec.min) || (spec.max !== undefined && n > spec.max)) {
          throw new UserError('generic.bad_option', { name: spec.name, value: String(raw) });
        }
        values[spec.name] = n;
        break;
      }
      case 'string':
        if (typeof raw !== 'string' || (spec.choices && !spec.choices.some((c) => c.value === raw))) {
          throw new UserError('generic.bad_option', { name: spec.name, value: String(raw) });
        }
        values[spec.name] = raw;
        break;
      case 'boolean':
        if (typeof raw !== 'boolean') throw new UserError('generic.bad_option', { name: spec.name, value: String(raw) });
        values[spec.name] = raw;
        break;
      case 'member': {
        const member = event.mentions?.find((m) => m.id === raw || m.id.endsWith(`:${String(raw)}`));
        if (!member) throw new UserError('generic.bad_option', { name: spec.name, value: String(raw) });
        values[spec.name] = member;
        break;
      }
    }
  }
  for (const spec of specs) {
    if (spec.required && !spec.textOnly && values[spec.name] === undefined) throw new UserError('generic.bad_option', { name: spec.name, value: '' });
  }
  return values as ArgValues<A>;
}

/**
 * The text grammar every command gets unless it declares its own: no arguments ignore what follows the command;
 * one string argument takes the whole text; a member argument is the message's first mention (a reply or a text
 * mention); an attachment argument is the first photo sent with the command.
 */
export function defaultTextValues<A extends readonly ArgSpec[]>(specs: A, text: string, event: Pick<CommandEvent, 'mentions' | 'attachments'>): ArgValues<A> {
  const values: Record<string, unknown> = {};
  const strings = specs.filter((s) => s.kind === 'string');
  for (const spec of specs) {
    if (spec.kind === 'member' && event.mentions?.[0]) values[spec.name] = event.mentions[0];
    if (spec.kind === 'attachment' && event.attachments?.[0]) values[spec.name] = event.attachments[0];
  }
  if (strings.length === 1 && text.trim()) values[strings[0]!.name] = text.trim();
  return values as ArgValues<A>;
}

/** `#12`, `＃12` or `12` as an id; undefined when it is not one. */
export function parseId(token: string): number | undefined {
  const m = /^[#＃]?(\d{1,9})$/.exec(token.trim());
  return m ? Number(m[1]) : undefined;
}

/**
 * The text grammar of a command whose one argument is an optional id (`/reviews`, `/reviews #3`, `/flags 2`):
 * nothing gives no value, an id gives it under `name`, anything else is refused with the caller's error.
 */
export function optionalIdText<N extends string>(name: N, refuse: (text: string) => UserError): (text: string) => { [K in N]?: number } {
  return (text) => {
    if (!text.trim()) return {};
    const id = parseId(text);
    if (id === undefined) throw refuse(text);
    return { [name]: id } as { [K in N]?: number };
  };
}
