/**
 * A feature module: everything one feature adds to the bot, declared in one object in its own folder. The kernel
 * (core/app.ts) loops over the registered modules (core/features.ts) and never names a feature: it routes
 * commands, buttons, texts and reactions, checks what each declares it requires, runs jobs, sweeps and start-up
 * reconciliation, keeps live cards up to date, and delivers domain events to subscribers.
 */
import type { z } from 'zod';
import type { Clock } from '../clock.js';
import type { HandlerContext, Outbox, UseCaseEnv } from '../context.js';
import type { CommandEvent, ReactionEvent, TextEvent } from '../events.js';
import type { MessageKey } from '../i18n/translate.js';
import type { Logger, ScheduledJob, Scheduler } from '../ports.js';
import type { DeliveredRef, EditReply } from '../replies.js';
import type { DialogueRecord, Store, StoreTx } from '../store.js';
import type { ArgSpec, ArgValues, Words } from './args.js';
import type { Subscriptions } from './event-bus.js';
import type { Language } from './language.js';

/** What a command needs before it runs; the kernel checks these in order and refuses in the actor's language. */
export type Requirement = 'group' | 'admin' | 'moderator';

/**
 * One chat command: its name (a contract users type), who it is for, its typed arguments, and what it does.
 * `/help <name>` shows its description, the message `usage.<name>` (syntax and examples, in both catalogs), who may
 * use it (audience, requires) and where (`requires: ['group']`: in a group; else also in private).
 */
export interface CommandSpec<A extends readonly ArgSpec[] = readonly ArgSpec[]> {
  name: string;
  description: MessageKey;
  /** The localized name zh-CN clients see where a platform localizes command names (Discord). */
  zhName: string;
  /** Who it is for, as /help and the platforms' command menus group it. */
  audience: 'member' | 'admin';
  /** Checked by the kernel before anything else: `group` (not in private), `admin`, `moderator` (admin or /mod). */
  requires?: readonly Requirement[];
  /**
   * Ask the platform whether the actor is an admin even though the command does not require it (members read,
   * admins change: /levels, /pointrules, /ledger, /lang). Implied by `admin` and `moderator`.
   */
  checksAdmin?: boolean;
  /**
   * The guided dialogue (by kind, see FeatureModule.dialogues) this command may start. Running it ends any dialogue
   * the member has open in this chat, whatever the command then does (a one-line /newbuy too).
   */
  startsDialogue?: string;
  /** Shown in menus and /help (default). Aliases such as /start are not. */
  listed?: boolean;
  /** Description for platforms that register unlisted commands too (Discord has no /start of its own). */
  unlistedDescription?: Words;
  args: A;
  /**
   * The command's text grammar (what follows `/name` on Telegram and in the playground), producing the same values
   * a typed form sends. Without it, the default grammar applies (see defaultTextValues).
   */
  parse?(text: string, event: CommandEvent): ArgValues<A>;
  run(ctx: HandlerContext, args: ArgValues<A>): Promise<void> | void;
}

/** Declares a command, keeping its argument names typed in `parse` and `run`. */
export function command<const A extends readonly ArgSpec[]>(spec: CommandSpec<A>): CommandSpec {
  return spec as unknown as CommandSpec;
}

/**
 * Who may press a button. Buttons are untrusted input: a modified client can send any action, and ids are small
 * sequential numbers, so the kernel checks every press against the target the button declares.
 * - `member`: a member in the chat the target belongs to (its group; in a private chat, the target's owner);
 * - `owner`: only the member the target belongs to (a review's author);
 * - `admin` / `moderator`: an admin (or /mod moderator) of the target's group, wherever they press it.
 */
export type ButtonAccess = 'member' | 'owner' | 'admin' | 'moderator';

/** What a button acts on, as the kernel checks it. */
export interface ButtonTarget {
  groupId: string;
  /** The chat whose admins count (a buy's chat); defaults to the group. */
  chatId?: string;
  /** The member it belongs to, for `owner` buttons and presses in private chats. */
  ownerId?: string;
}

/** A button action: `prefix:id[:more]` (e.g. `join:12`, `rv:rate:7:5`). */
export interface ButtonSpec {
  /** The action up to the id: `join`, `lk`, `rv:rate`. */
  prefix: string;
  access: ButtonAccess;
  /** Loads the target by the id that follows the prefix; null when it no longer exists (a stale button). */
  target(store: StoreTx, id: number): Promise<ButtonTarget | null>;
  /** Runs the press; `rest` holds what followed the id. */
  run(ctx: HandlerContext, id: number, rest: string[]): Promise<void>;
}

/** A durable job by name, with the schema its payload must match (payloads come back from the database). */
export interface JobSpec<S extends z.ZodType = z.ZodType> {
  name: string;
  schema: S;
  run(services: KernelServices, data: z.infer<S>): Promise<void>;
}

export function job<S extends z.ZodType>(spec: JobSpec<S>): JobSpec {
  return spec as unknown as JobSpec;
}

/** A live card kind (`buy`, `share`): where a posted card is remembered and how it is brought up to date. */
export interface CardSpec {
  kind: string;
  /** Remembers where the card with this id was posted, so later changes edit it in place. */
  remember(store: Store, id: number, ref: DeliveredRef, now: Date): Promise<void>;
  /** The edit that shows the card's current state; undefined when it is not posted (or gone). */
  render(services: KernelServices, id: number): Promise<EditReply | undefined>;
  /**
   * Ids of the cards that must show the database's state at start-up (a process killed with edits pending left them
   * behind): the posted cards of what is still open.
   */
  live?(store: Store): Promise<number[]>;
}

/** Work after the commit that needs more than sending (tagging a review with an LLM, then alerting). */
export interface EffectSpec {
  name: string;
  run(services: KernelServices, data: Record<string, unknown>): Promise<void>;
}

/** A kind of message a member can stop and start getting (`/stop reviews`, `/start reviews`). */
export interface TopicSpec {
  /** The word typed forms offer (`reviews`), and its label. */
  value: string;
  label: Words;
  /** Whether a typed word means this topic (aliases such as 评价). */
  matches(word: string): boolean;
  set(ctx: HandlerContext, on: boolean): Promise<void>;
  /** What to say when /stop names no known topic. */
  usage: MessageKey;
}

/** What the kernel lends modules outside a handled event: jobs, sweeps, effects, card renders. */
export interface KernelServices {
  store: Store;
  clock: Clock;
  logger: Logger;
  scheduler: Scheduler;
  defaultLanguage: Language;
  /**
   * Runs `fn` in one transaction with a fresh outbox; after the commit sends its replies and runs its after-commit
   * work, unless `fn` returned false (nothing happened: nothing is sent).
   */
  transact<T>(fn: (env: UseCaseEnv) => Promise<T>): Promise<T>;
  /** Sends an outbox collected outside a transaction (after-commit work such as tagging). */
  dispatch(out: Outbox): Promise<void>;
  /** The chat's human admins, as far as the platform can list them. */
  listChatAdmins(chatId: string): Promise<string[]>;
}

/** What a confirmed destructive command does, by the action it asked with (core/kernel/confirm.ts askConfirmation). */
export interface ConfirmationSpec {
  action: string;
  run(ctx: HandlerContext, data: Record<string, unknown>): Promise<void>;
  /** What the answered question says instead of "Confirmed by <name>" (an erasure does not repeat the name). */
  confirmedText?(ctx: HandlerContext): string;
}

/** A feature, as the kernel sees it. Every part is optional. */
export interface FeatureModule {
  name: string;
  /**
   * The /help section its commands are listed in (title `help.section.<section>`), when not its own: a feature with
   * one command joins a neighbour's line so the short help stays short (the dashboard's /dashboard under Settings).
   */
  helpSection?: string;
  commands?: CommandSpec[];
  buttons?: ButtonSpec[];
  /** Guided dialogues by kind: the member's next text in that chat answers the dialogue's current step. */
  dialogues?: Record<string, (ctx: HandlerContext, dialogue: DialogueRecord, text: string) => Promise<void>>;
  /** Private text with no dialogue open (e.g. a review being written); true when the module took it. */
  privateText?(ctx: HandlerContext, event: TextEvent): Promise<boolean>;
  /**
   * Group texts with no dialogue open (a 接龙 `+1`). `wants` is a cheap check without the database, so messages the
   * bot merely overhears cost nothing unless some module wants them; `run` returns true when it took the text.
   */
  groupText?: { wants(event: TextEvent): boolean; run(ctx: HandlerContext, event: TextEvent): Promise<boolean> };
  /** Native reactions on messages in a group. */
  reaction?(ctx: HandlerContext, event: ReactionEvent): Promise<void>;
  jobs?: JobSpec[];
  cards?: CardSpec[];
  effects?: EffectSpec[];
  /** Safety nets run at start-up and periodically (work whose job was lost); returns how many things it did. */
  sweep?(services: KernelServices): Promise<number>;
  /** Re-schedules durable jobs that may have been lost between a commit and their scheduling (start-up). */
  reconcile?(services: KernelServices): Promise<ScheduledJob[]>;
  /** What `/stop <topic>` and `/start <topic>` switch for the member (e.g. review requests). */
  topics?: TopicSpec[];
  /** Domain events this feature reacts to. */
  subscriptions?: Subscriptions;
  /** What a confirmed destructive command does, by the action it asked with (core/kernel/confirm.ts). */
  confirmations?: ConfirmationSpec[];
}
