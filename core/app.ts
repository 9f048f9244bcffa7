/**
 * The kernel: the core's front door as adapters see it (CoreApp), and the loop over the registered feature modules
 * (core/features.ts). It names no feature: commands, buttons, texts, reactions, jobs, cards, sweeps and domain
 * events all come from the modules' declarations (core/kernel/module.ts).
 */
import type { CoreEvent, Platform } from './events.js';
import type { CommandInfo, PlatformPort } from './ports.js';
import type { PhotoReply, Reply } from './replies.js';
import { CardRefresher } from './card-refresher.js';
import type { Clock } from './clock.js';
import { Outbox, replyInChat, say, type HandlerContext, type UseCaseEnv } from './context.js';
import { UserError } from './errors.js';
import { languageFromHint, t } from './i18n/translate.js';
import { defaultTextValues, typedValues, type ArgValues } from './kernel/args.js';
import { listCommands, withBasics } from './kernel/basics.js';
import { closestCommand, commandWord } from './kernel/closest-command.js';
import { currentDialogue, DIALOGUE_TIMEOUT_MS } from './kernel/dialogues.js';
import { helpCommands, privateCommands } from './kernel/help.js';
import { emit } from './kernel/domain-events.js';
import { EventBus } from './kernel/event-bus.js';
import type { ButtonSpec, CardSpec, CommandSpec, EffectSpec, FeatureModule, JobSpec, KernelServices, Requirement } from './kernel/module.js';
import { DeliveryError, type CardLeases, type CoreObserver, type EventOutcome, type Logger, type ScheduledJob, type Scheduler } from './ports.js';
import type { Store } from './store.js';
import type { Language } from './kernel/language.js';
import type { CommandEvent, TextEvent } from './events.js';

export type { Language } from './kernel/language.js';
export { platformOf } from './kernel/ids.js';
import { platformOf } from './kernel/ids.js';

export interface HandleResult {
  /** Replies delivered for this event, in order (already sent through the platform port). */
  replies: Reply[];
  /** True when this event's key was already handled: nothing was done or sent. */
  duplicate: boolean;
}

export interface CoreApp {
  /** Adapters register themselves so the core can reach their platform (also for scheduled announcements). */
  registerPlatform(platform: Platform, port: PlatformPort): void;
  /** Handles one event end to end: checks, state change, and delivery of the replies through the platform port. */
  handle(event: CoreEvent): Promise<HandleResult>;
  /** Commands to register with the platform, in one language (with their typed arguments). */
  commandList(language: Language): CommandInfo[];
  /** Waits until pending live-card edits have been sent (tests, shutdown). */
  flushCards(): Promise<void>;
}

/** A member acting on a group from outside its chat (the web dashboard), with the command rights it needs. */
export interface ActingMember {
  memberId: string;
  groupId: string;
  /** The group's chat where admin rights are asked (a Discord channel of the server, or the Telegram group). */
  chatId: string;
  /** The language refusals and texts are in. */
  lang: Language;
  /** What the matching chat command requires (`/paid` admin; a page view moderator). */
  requires: 'admin' | 'moderator';
  /** The chat command this stands for (in logs and the event's name), e.g. `paid`. */
  command: string;
}

export interface CoreOptions {
  store: Store;
  clock: Clock;
  scheduler: Scheduler;
  logger: Logger;
  /** The features this bot runs (core/features.ts), in the order their subscribers and handlers are tried. */
  modules: readonly FeatureModule[];
  /** Language when neither the group nor the member has one: zh-CN unless configured. */
  defaultLanguage?: Language;
  /** Wait this long for more changes before editing a card (default 700 ms). */
  cardCoalesceMs?: number;
  /** At least this long between two edits of one card (default 1500 ms). */
  cardMinIntervalMs?: number;
  /** Told of each event handled and each card edit saved (metrics); none by default. */
  observer?: CoreObserver;
  /**
   * Several processes on one PostgreSQL (ADR 022): card edits coordinated through leases in the database. Without
   * it (one process) they are coordinated in memory.
   */
  cardLeases?: CardLeases;
  /** How long a card lease lasts unrenewed: a killed process's card is taken over after this (default 10 s). */
  cardLeaseMs?: number;
}

/** What a button press resolved to before its transaction: the spec, the id, and who may press it. */
interface ResolvedPress {
  spec: ButtonSpec;
  id: number;
  rest: string[];
  groupId: string;
  ownerId?: string;
  isTargetAdmin: boolean;
}

/**
 * The core: decodes nothing and renders nothing, but decides everything. Each event runs in one database
 * transaction (its key recorded in the same transaction, so an update delivered twice is handled once and a
 * crash mid-way leaves no trace); replies go out only after the commit.
 */
export class Core implements CoreApp {
  private readonly ports = new Map<Platform, PlatformPort>();
  private readonly cards: CardRefresher;
  private readonly defaultLanguage: Language;
  private readonly modules: readonly FeatureModule[];
  private readonly commands = new Map<string, CommandSpec>();
  /** Commands by their Chinese name too (`/参团 2` typed where the platform lets it through: private chats, the playground). */
  private readonly zhCommands = new Map<string, CommandSpec>();
  /** The command that starts each kind of dialogue (to say how to start again). */
  private readonly dialogueStarters = new Map<string, string>();
  /** Longest prefix first, so `rv:rate` wins over `rv`. */
  private readonly buttons: ButtonSpec[];
  private readonly jobs = new Map<string, JobSpec>();
  private readonly cardKinds = new Map<string, CardSpec>();
  private readonly effects = new Map<string, EffectSpec>();
  private readonly bus: EventBus;
  private readonly services: KernelServices;

  constructor(private readonly options: CoreOptions) {
    this.defaultLanguage = options.defaultLanguage ?? 'zh-CN';
    this.modules = withBasics(options.modules);
    const unique = <T>(map: Map<string, T>, key: string, value: T, what: string) => {
      if (map.has(key)) throw new Error(`two modules declare the ${what} "${key}"`);
      map.set(key, value);
    };
    for (const module of this.modules) {
      for (const spec of module.commands ?? []) {
        unique(this.commands, spec.name, spec, 'command');
        this.zhCommands.set(spec.zhName, spec);
        if (spec.startsDialogue) this.dialogueStarters.set(spec.startsDialogue, spec.name);
      }
      for (const spec of module.jobs ?? []) unique(this.jobs, spec.name, spec, 'job');
      for (const spec of module.cards ?? []) unique(this.cardKinds, spec.kind, spec, 'card kind');
      for (const spec of module.effects ?? []) unique(this.effects, spec.name, spec, 'effect');
    }
    this.buttons = this.modules.flatMap((m) => m.buttons ?? []).sort((a, b) => b.prefix.length - a.prefix.length);
    this.bus = new EventBus(this.modules.map((m) => m.subscriptions));
    this.services = {
      store: options.store,
      clock: options.clock,
      logger: options.logger,
      scheduler: options.scheduler,
      defaultLanguage: this.defaultLanguage,
      transact: (fn) => this.transact(fn),
      dispatch: async (out) => void (await this.dispatch(out, undefined, this.defaultLanguage)),
      listChatAdmins: async (chatId) => (await this.port(platformOf(chatId)).listChatAdmins?.(chatId)) ?? [],
    };
    this.cards = new CardRefresher((key, fence) => this.refreshCard(key, fence), {
      coalesceMs: options.cardCoalesceMs ?? 700,
      minIntervalMs: options.cardMinIntervalMs ?? 1500,
      onError: (key, error) => options.logger.error({ err: error, card: key }, 'card refresh failed'),
      onCoalesced: () => options.observer?.cardEditCoalesced?.(),
      ...(options.cardLeases ? { leases: options.cardLeases } : {}),
      ...(options.cardLeaseMs !== undefined ? { leaseMs: options.cardLeaseMs } : {}),
    });
  }

  registerPlatform(platform: Platform, port: PlatformPort): void {
    this.ports.set(platform, port);
  }

  commandList(language: Language): CommandInfo[] {
    return listCommands(this.modules, language);
  }

  /** Names of the durable jobs the modules run (the job queue starts one worker per name). */
  jobNames(): string[] {
    return [...this.jobs.keys()];
  }

  flushCards(): Promise<void> {
    return this.cards.flush();
  }

  /** Card edits pending or in flight in this process (tests wait for none). */
  cardsBusy(): number {
    return this.cards.busy;
  }

  /** Stops background timers. */
  stop(): void {
    this.cards.stop();
  }

  async handle(received: CoreEvent): Promise<HandleResult> {
    const observer = this.options.observer?.eventHandled;
    if (!observer) return this.handleEvent(received, { outcome: 'ok' });
    const started = performance.now();
    const note: { outcome: EventOutcome } = { outcome: 'ignored' };
    try {
      return await this.handleEvent(received, note);
    } catch (error) {
      note.outcome = 'error';
      throw error;
    } finally {
      observer(received.kind, note.outcome, (performance.now() - started) / 1000);
    }
  }

  /** `handle`, noting in `note` how the event ended (it starts as `ignored`). */
  private async handleEvent(received: CoreEvent, note: { outcome: EventOutcome }): Promise<HandleResult> {
    const { store, logger } = this.options;
    const now = this.options.clock.now();
    let event = typedCommand(received);
    let spec: CommandSpec | undefined;
    if (event.kind === 'command') {
      spec = this.commands.get(event.name.toLowerCase()) ?? this.zhCommands.get(event.name);
      if (spec) event = { ...event, name: spec.name };
      // In groups, other bots' commands and commands typed in passing are common: answer only when the bot was named.
      else if (event.chat.kind !== 'private' && !event.addressed) return { replies: [], duplicate: false };
    }
    const hint = languageFromHint(event.actor.languageCode);
    let lang: Language = hint ?? this.defaultLanguage;
    if (event.actor.isBot) return { replies: [], duplicate: false };
    // An overheard group message no module wants: no transaction, no record of the member, nothing said.
    if (event.kind === 'text' && event.ambient && !this.modules.some((m) => m.groupText?.wants(event))) return { replies: [], duplicate: false };

    let out: Outbox | null;
    note.outcome = 'ok';
    try {
      let isAdmin = false;
      let press: ResolvedPress | 'stale' | undefined;
      if (event.kind === 'button') {
        press = await this.resolvePress(event.action, event.actor.id);
        if (press !== 'stale') isAdmin = press.isTargetAdmin;
      } else if ((spec && needsAdminCheck(spec)) || (event.kind === 'text' && !event.ambient)) {
        // Text in a group answers a guided dialogue, whose last answer acts with the admin's rights: check them again.
        if (event.chat.kind === 'group') isAdmin = await this.port(event.platform).isChatAdmin(event.chat.id, event.actor.id);
      }
      out = await store.transaction(async (tx) => {
        const presence = await tx.recordPresence({
          updateKey: event.key,
          member: { id: event.actor.id, platform: event.platform, displayName: event.actor.displayName, username: event.actor.username, language: hint },
          group: event.chat.kind === 'group' ? { id: event.chat.groupId ?? event.chat.id, platform: event.platform, title: event.chat.title } : undefined,
          at: now,
          left: event.kind === 'member_left',
        });
        // The update key was already claimed: a repeated update changes nothing.
        if (!presence) return null;
        const { member, group } = presence;
        // The language rule (ADR 014): in a group, the group's language, else (auto) the member's own; in private, the
        // member's own (their /lang choice, else their app's), else the language of their group, else the default.
        lang = group
          ? (group.language ?? member.language ?? this.defaultLanguage)
          : (member.language ?? (await tx.latestGroupLanguage(member.id)) ?? this.defaultLanguage);
        const ctx: HandlerContext = {
          event, tx, now, member, group, lang, isAdmin, defaultLanguage: this.defaultLanguage, out: new Outbox(), events: this.bus,
        };
        await this.route(ctx, spec, press);
        return ctx.out;
      });
    } catch (error) {
      note.outcome = error instanceof UserError ? 'rejected' : 'error';
      out = new Outbox();
      const text =
        error instanceof UserError
          ? t(lang, error.key, error.params as never)
          : (logger.error({ err: error, event: describeEvent(event) }, 'event failed'), t(lang, 'generic.internal_error'));
      if (event.kind === 'button') out.push({ kind: 'toast', text, alert: true });
      else out.push({ kind: 'message', to: { chatId: event.chat.id }, text, private: true });
    }
    if (!out) {
      note.outcome = 'duplicate';
      return { replies: [], duplicate: true };
    }
    const replies = await this.dispatch(out, event, lang);
    return { replies, duplicate: false };
  }

  /** Runs one durable job (called by the job queue's worker). A payload that does not fit its schema is logged and dropped. */
  async runJob(name: string, data: Record<string, unknown>): Promise<void> {
    const spec = this.jobs.get(name);
    if (!spec) {
      this.options.logger.warn({ job: name }, 'unknown job');
      return;
    }
    const parsed = spec.schema.safeParse(data);
    if (!parsed.success) {
      this.options.logger.error({ job: name, issues: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`) }, 'job payload does not fit its schema');
      return;
    }
    await spec.run(this.services, parsed.data);
  }

  /** Runs every module's safety net (buys and rounds past their end whose job was lost or late); how many it did. */
  async sweepDue(): Promise<number> {
    let done = 0;
    for (const module of this.modules) if (module.sweep) done += await module.sweep(this.services);
    return done;
  }

  /**
   * Brings every live card (open buys, open like rounds) in line with the database: a process killed with card edits
   * pending left them showing an older state. The edits go through the card refresher (coalesced, spaced); a card that
   * already shows its state costs one refused edit. How many cards were queued.
   */
  async refreshLiveCards(): Promise<number> {
    let queued = 0;
    for (const [kind, card] of this.cardKinds) {
      for (const id of (await card.live?.(this.options.store)) ?? []) {
        this.cards.markDirty(`${kind}:${id}`);
        queued++;
      }
    }
    return queued;
  }

  /** Forgets update keys older than `hours` (a periodic job; ADR 018); how many. */
  pruneUpdates(hours: number): Promise<number> {
    return this.options.store.pruneUpdates(new Date(this.options.clock.now().getTime() - hours * 3600_000));
  }

  /** Makes sure every durable job the modules expect exists (after a crash between commit and scheduling). */
  async reconcileSchedules(): Promise<void> {
    const jobs: ScheduledJob[] = [];
    for (const module of this.modules) jobs.push(...((await module.reconcile?.(this.services)) ?? []));
    const { scheduler } = this.options;
    if (scheduler.scheduleMany) await scheduler.scheduleMany(jobs);
    else for (const job of jobs) await scheduler.schedule(job);
  }

  /**
   * What a member is in a group right now: an admin of its chat (the platform says so, as for admin commands), else
   * one of its moderators (named with /mod), else nothing. The dashboard asks again on every page and API call.
   */
  async roleIn(chatId: string, groupId: string, memberId: string): Promise<'admin' | 'moderator' | null> {
    if (await this.port(platformOf(chatId)).isChatAdmin(chatId, memberId)) return 'admin';
    return (await this.options.store.isModerator(groupId, memberId)) ? 'moderator' : null;
  }

  /**
   * Runs a use case for a member acting from outside the chat (the web dashboard) under the chat's rules: the
   * requirement a command would declare is checked the same way, in one transaction, with the same after-commit
   * work. What the use case says in the group chat or privately to the actor comes back (the page shows it, files
   * are downloaded) instead of being sent; what it says to anyone else (a buyer told of a delivery) is sent. A
   * refusal is thrown as the UserError the chat would show.
   */
  async actAs<T>(acting: ActingMember, run: (ctx: HandlerContext) => Promise<T>): Promise<{ value: T; told: Reply[] }> {
    const isAdmin = await this.port(platformOf(acting.chatId)).isChatAdmin(acting.chatId, acting.memberId);
    const now = this.options.clock.now();
    const { value, out } = await this.options.store.transaction(async (tx) => {
      const member = await tx.getMember(acting.memberId);
      const group = await tx.getGroup(acting.groupId);
      if (!member || !group) throw new UserError('generic.group_only');
      const event: CommandEvent = {
        kind: 'command', key: `web:${acting.memberId}:${now.getTime()}`, platform: platformOf(acting.chatId), at: now, name: acting.command, args: '',
        actor: { id: member.id, displayName: member.displayName, ...(member.username ? { username: member.username } : {}) },
        chat: { id: acting.chatId, kind: 'group', groupId: group.id, ...(group.title ? { title: group.title } : {}) },
      };
      const ctx: HandlerContext = { event, tx, now, member, group, lang: acting.lang, isAdmin, defaultLanguage: this.defaultLanguage, out: new Outbox(), events: this.bus };
      await this.check(ctx, acting.requires, group.id);
      return { value: await run(ctx), out: ctx.out };
    });
    const told = out.replies.filter((r) => isToActing(r, acting));
    const rest = new Outbox();
    for (const reply of out.replies) if (!told.includes(reply)) rest.push(reply);
    rest.after.push(...out.after);
    await this.dispatch(rest, undefined, acting.lang);
    return { value, told };
  }

  private async transact<T>(fn: (env: UseCaseEnv) => Promise<T>): Promise<T> {
    const now = this.options.clock.now();
    let out = new Outbox();
    const result = await this.options.store.transaction(async (tx) => {
      out = new Outbox();
      return fn({ tx, now, defaultLanguage: this.defaultLanguage, out, events: this.bus });
    });
    if (result !== false) await this.dispatch(out, undefined, this.defaultLanguage);
    return result;
  }

  /**
   * Finds the button a press means and checks its target outside the transaction (asking the platform about admins
   * cannot wait inside one); the transaction checks the rest again in route().
   */
  private async resolvePress(action: string, actorId: string): Promise<ResolvedPress | 'stale'> {
    const spec = this.buttons.find((b) => action.startsWith(`${b.prefix}:`));
    if (!spec) return 'stale';
    const [rawId = '', ...rest] = action.slice(spec.prefix.length + 1).split(':');
    if (!/^\d{1,9}$/.test(rawId)) return 'stale';
    const id = Number(rawId);
    const target = await spec.target(this.options.store, id);
    if (!target) return 'stale';
    const isTargetAdmin =
      spec.access === 'admin' || spec.access === 'moderator'
        ? await this.port(platformOf(target.chatId ?? target.groupId)).isChatAdmin(target.chatId ?? target.groupId, actorId)
        : false;
    return { spec, id, rest, groupId: target.groupId, ownerId: target.ownerId, isTargetAdmin };
  }

  private async route(ctx: HandlerContext, spec: CommandSpec | undefined, press: ResolvedPress | 'stale' | undefined): Promise<void> {
    const { event } = ctx;
    switch (event.kind) {
      case 'command': {
        if (!spec) {
          this.answerUnknown(ctx, `/${event.name}`, event.args, true);
          return;
        }
        for (const requirement of spec.requires ?? []) await this.check(ctx, requirement, ctx.group?.id);
        if (spec.startsDialogue) {
          // A command that starts a dialogue ends the one open here (a one-line /newbuy too), so a later answer
          // cannot land in the old one.
          const current = await currentDialogue(ctx);
          if (current && 'open' in current) {
            await ctx.tx.deleteDialogue(event.chat.id, ctx.member.id);
            replyInChat(ctx, say(ctx, 'dialog.replaced', { command: this.dialogueStarters.get(current.open.kind) ?? current.open.kind }));
          }
        }
        const values: ArgValues<readonly never[]> = event.options
          ? typedValues(spec.args, event.options, event)
          : spec.parse
            ? spec.parse(event.args, event)
            : defaultTextValues(spec.args, event.args, event);
        await spec.run(ctx, values);
        return;
      }
      case 'button': {
        if (!press || press === 'stale') {
          ctx.out.push({ kind: 'toast', text: say(ctx, 'generic.stale_button') });
          return;
        }
        const { spec: button } = press;
        if (button.access === 'admin' || button.access === 'moderator') {
          await this.check(ctx, button.access, press.groupId);
        } else if (button.access === 'owner' || (event.chat.kind === 'private' && press.ownerId)) {
          if (press.ownerId !== ctx.member.id) throw new UserError('generic.not_your_button');
        } else if (event.chat.kind === 'group' && press.groupId !== ctx.group?.id) {
          // A forged press on another group's buy or share: it does not exist here.
          throw new UserError('generic.stale_button');
        }
        await button.run(ctx, press.id, press.rest);
        return;
      }
      case 'text': {
        // An overheard group message (接龙 habits) never answers a dialogue, nor is told that one expired.
        const current = event.ambient ? null : await currentDialogue(ctx);
        if (current && 'open' in current) {
          const dialogue = current.open;
          const answer = this.modules.find((m) => m.dialogues?.[dialogue.kind])?.dialogues?.[dialogue.kind];
          if (answer) await answer(ctx, dialogue, event.text);
          return;
        }
        if (current) {
          const command = this.dialogueStarters.get(current.expired.kind) ?? current.expired.kind;
          replyInChat(ctx, say(ctx, 'dialog.expired', { command, minutes: DIALOGUE_TIMEOUT_MS / 60_000 }));
          return;
        }
        if (event.chat.kind !== 'private') {
          for (const module of this.modules) if (module.groupText?.wants(event) && (await module.groupText.run(ctx, event))) return;
          // In a group, only a message that named the bot gets an answer (never chat noise).
          if (event.addressed) this.answerText(ctx, event);
          return;
        }
        for (const module of this.modules) if (module.privateText && (await module.privateText(ctx, event))) return;
        // No module took it: never silence in a private chat.
        this.answerText(ctx, event);
        return;
      }
      case 'reaction':
        for (const module of this.modules) await module.reaction?.(ctx, event);
        return;
      case 'member_joined':
        if (ctx.group) await emit(ctx, 'member.joined', { groupId: ctx.group.id, memberId: ctx.member.id, at: ctx.now });
        return;
      case 'member_left':
        if (ctx.group) await emit(ctx, 'member.left', { groupId: ctx.group.id, memberId: ctx.member.id, at: ctx.now });
        return;
    }
  }

  /**
   * A message no one took: a typo of a command (the first word, with or without its slash) gets the closest command;
   * then what the member can do here.
   */
  private answerText(ctx: HandlerContext, event: TextEvent): void {
    const text = event.text.trim();
    const first = text.split(/\s+/)[0] ?? '';
    this.answerUnknown(ctx, first, text.slice(first.length).trim(), false);
  }

  /** An unknown command (or a text that may be one): the closest command when it looks like a typo, and what works here. */
  private answerUnknown(ctx: HandlerContext, typed: string, args: string, isCommand: boolean): void {
    const suggestion = typed ? closestCommand(typed, helpCommands(this.modules)) : undefined;
    const lines: string[] = [];
    if (suggestion) {
      const withArgs = `/${suggestion.name}${args ? ` ${args.length > 40 ? `${args.slice(0, 40)}…` : args}` : ''}`;
      lines.push(say(ctx, isCommand ? 'talk.did_you_mean' : 'talk.did_you_mean_text', { typed, suggestion: withArgs, name: suggestion.name }));
    } else if (isCommand) {
      lines.push(say(ctx, 'talk.unknown', { typed }));
    }
    if (ctx.event.chat.kind === 'private') {
      lines.push(say(ctx, 'talk.private_intro', { commands: privateCommands(this.modules).map((c) => `/${c.name}`).join(' ') }));
    } else if (!suggestion) {
      lines.push(say(ctx, 'talk.group_intro'));
    }
    replyInChat(ctx, lines.join('\n'));
  }

  /** Enforces one declared requirement; `groupId` is the group it is about (the target's group, for buttons). */
  private async check(ctx: HandlerContext, requirement: Requirement, groupId: string | undefined): Promise<void> {
    if (requirement === 'group') {
      if (!ctx.group) throw new UserError('generic.group_only');
      return;
    }
    if (!groupId) throw new UserError('generic.group_only');
    if (ctx.isAdmin) return;
    if (requirement === 'moderator' && (await ctx.tx.isModerator(groupId, ctx.member.id))) return;
    throw new UserError(requirement === 'admin' ? 'generic.admin_only' : 'generic.moderator_only');
  }

  /** Sends replies in order, remembers where cards landed, then runs the after-commit work. */
  private async dispatch(out: Outbox, origin: CoreEvent | undefined, lang: Language): Promise<Reply[]> {
    const { logger, store, scheduler } = this.options;
    const sent: Reply[] = [];
    const queue = [...out.replies];
    // One "sent to you privately" pointer per event, however many private replies (an export's several files).
    let pointed = false;
    while (queue.length > 0) {
      let reply = queue.shift()!;
      const draw = out.drawings.get(reply);
      if (draw && reply.kind === 'photo') reply = await drawn(reply, draw, logger);
      try {
        const ref = await this.port(this.platformFor(reply, origin)).deliver(reply, origin);
        sent.push(reply);
        if (reply.kind === 'message' && reply.card && ref) {
          const [cardKind = '', rawId] = reply.card.split(':');
          const card = this.cardKinds.get(cardKind);
          if (card) await card.remember(store, Number(rawId), ref, this.options.clock.now());
          else logger.warn({ card: reply.card }, 'no module remembers this card kind');
        }
        if (origin && isPrivateToActor(reply, origin) && origin.chat.kind === 'group' && !ref?.shownInPlace && !pointed) {
          pointed = true;
          queue.unshift({ kind: 'message', to: { chatId: origin.chat.id }, text: t(lang, 'generic.sent_privately', { name: origin.actor.displayName }) });
        }
      } catch (error) {
        logger.warn({ err: error instanceof DeliveryError ? error.message : error, reply: reply.kind }, 'delivery failed');
        if (origin && isPrivateToActor(reply, origin) && error instanceof DeliveryError && origin.chat.kind === 'group' && !pointed) {
          pointed = true;
          queue.unshift({ kind: 'message', to: { chatId: origin.chat.id }, text: t(lang, 'generic.dm_failed', { name: origin.actor.displayName }) });
        }
      }
    }
    for (const work of out.after) {
      try {
        if (work.kind === 'schedule') await scheduler.schedule(work.job);
        else if (work.kind === 'refresh-card') this.cards.markDirty(work.card);
        else {
          const effect = this.effects.get(work.name);
          if (!effect) throw new Error(`no module runs the effect "${work.name}"`);
          await effect.run(this.services, work.data);
        }
      } catch (error) {
        // Sweeps and start-up reconciliation catch up with lost schedules, so this is logged, not fatal.
        logger.error({ err: error, work: work.kind }, 'after-commit work failed');
      }
    }
    return sent;
  }

  /** Renders a card from the database and sends the edit, unless `fence` says a newer render may exist (ADR 022). */
  private async refreshCard(key: string, fence: () => Promise<boolean>): Promise<boolean> {
    const [kind = '', rawId] = key.split(':');
    const card = this.cardKinds.get(kind);
    if (!card) return false;
    const edit = await card.render(this.services, Number(rawId));
    if (!edit) return false;
    if (!(await fence())) {
      this.options.logger.warn({ card: key }, 'card render dropped: its lease was lost, a newer render goes out instead');
      return false;
    }
    await this.port(platformOf(edit.chatId)).deliver(edit);
    return true;
  }

  private platformFor(reply: Reply, origin: CoreEvent | undefined): Platform {
    if (reply.kind === 'toast') return origin!.platform;
    if (reply.kind === 'edit' || reply.kind === 'pin') return platformOf(reply.chatId);
    return platformOf('chatId' in reply.to ? reply.to.chatId : reply.to.memberId);
  }

  private port(platform: Platform): PlatformPort {
    const port = this.ports.get(platform);
    if (!port) throw new Error(`no adapter registered for platform "${platform}"`);
    return port;
  }
}

/**
 * A text that is a command: `/name args` in a private chat (where a platform lets it through as text: a Discord DM,
 * a Chinese name on Telegram) or in a group message that named the bot. Anything else stays as it came.
 */
function typedCommand(event: CoreEvent): CoreEvent {
  if (event.kind !== 'text' || (event.chat.kind !== 'private' && !event.addressed)) return event;
  const match = /^[/／](\S+)\s*([\s\S]*)$/.exec(event.text.trim());
  if (!match) return event;
  const { text: _text, attachments, addressed: _addressed, ...base } = event;
  const command: CommandEvent = { ...base, kind: 'command', name: commandWord(match[1]!), args: match[2]!.trim(), addressed: true };
  return attachments?.length ? { ...command, attachments } : command;
}

function needsAdminCheck(spec: CommandSpec): boolean {
  return Boolean(spec.checksAdmin || spec.requires?.includes('admin') || spec.requires?.includes('moderator'));
}

/** A photo's picture drawn now; when drawing fails (logged), its text and buttons go as a message. */
async function drawn(reply: PhotoReply, draw: () => Promise<Uint8Array>, logger: Logger): Promise<Reply> {
  try {
    return { ...reply, data: await draw() };
  } catch (error) {
    logger.warn({ err: error instanceof Error ? error.message : String(error), file: reply.filename }, 'could not draw the picture; sending the text only');
    return { kind: 'message', to: reply.to, text: reply.text, ...(reply.buttons ? { buttons: reply.buttons } : {}) };
  }
}

function isToActing(reply: Reply, acting: ActingMember): boolean {
  if (reply.kind !== 'message' && reply.kind !== 'document' && reply.kind !== 'photo') return false;
  return 'chatId' in reply.to ? reply.to.chatId === acting.chatId : reply.to.memberId === acting.memberId;
}

function isPrivateToActor(reply: Reply, origin: CoreEvent): boolean {
  return (reply.kind === 'message' || reply.kind === 'document' || reply.kind === 'photo') && 'memberId' in reply.to && reply.to.memberId === origin.actor.id;
}

/** What to log about an event: never message text beyond the command name, never the platform payload. */
function describeEvent(event: CoreEvent): Record<string, unknown> {
  return { key: event.key, kind: event.kind, chat: event.chat.id, actor: event.actor.id, ...(event.kind === 'command' ? { command: event.name } : {}) };
}
