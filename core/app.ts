/**
 * The core's front door, as adapters see it. (The implementation lands in this file; the interface is what
 * adapters code against.)
 */
import type { CoreEvent, Platform } from './events.js';
import type { CommandInfo, PlatformPort } from './ports.js';
import type { Reply } from './replies.js';
import { CardRefresher } from './card-refresher.js';
import type { Clock } from './clock.js';
import { commandInfos, describeJoin, findCommand } from './commands.js';
import { Outbox, say, type HandlerContext, type UseCaseEnv } from './context.js';
import { UserError } from './errors.js';
import { buyLanguage } from './group-buy/buy-language.js';
import { renderBuyCard } from './group-buy/buy-card.js';
import { closeGroupBuy } from './group-buy/close-group-buy.js';
import { joinGroupBuy } from './group-buy/join-group-buy.js';
import { leaveGroupBuy } from './group-buy/leave-group-buy.js';
import { answerNewBuyDialogue, NEW_BUY_DIALOGUE } from './group-buy/new-buy-dialogue.js';
import { deadlineJob } from './group-buy/open-group-buy.js';
import { languageFromHint, t } from './i18n/translate.js';
import { closeLikeRound } from './likes/close-like-round.js';
import { likeCardEdit } from './likes/like-cards.js';
import { handleLikeButton, handleLikeReaction, isLikeButton } from './likes/like-commands.js';
import { roundEndJob } from './likes/open-like-round.js';
import type { ReviewTagger } from './llm/review-tags.js';
import { DeliveryError, type Logger, type Scheduler } from './ports.js';
import { publishReview } from './reviews/publish-review.js';
import { handleReviewButton } from './reviews/review-commands.js';
import { reviewRequestJob } from './reviews/request-review.js';
import { sendReviewRequest } from './reviews/send-review-request.js';
import { answerReviewMessage } from './reviews/submit-review.js';
import type { Store } from './store.js';

export type { Language } from './kernel/language.js';
import type { Language } from './kernel/language.js';

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
  /** Commands to register with the platform, in one language. */
  commandList(language: Language): CommandInfo[];
  /** Waits until pending live-card edits have been sent (tests, shutdown). */
  flushCards(): Promise<void>;
}


export interface CoreOptions {
  store: Store;
  clock: Clock;
  scheduler: Scheduler;
  logger: Logger;
  /** Language when neither the group nor the member has one: zh-CN unless configured. */
  defaultLanguage?: Language;
  /** Wait this long for more changes before editing a card (default 700 ms). */
  cardCoalesceMs?: number;
  /** At least this long between two edits of one card (default 1500 ms). */
  cardMinIntervalMs?: number;
  /** Tags submitted reviews (LLM or offline). Without one, reviews stay untagged and only low ratings alert admins. */
  reviewTagger?: ReviewTagger;
}

export { platformOf } from './kernel/ids.js';
import { platformOf } from './kernel/ids.js';

/**
 * The core: decodes nothing and renders nothing, but decides everything. Each event runs in one database
 * transaction (its key recorded in the same transaction, so an update delivered twice is handled once and a
 * crash mid-way leaves no trace); replies go out only after the commit.
 */
export class Core implements CoreApp {
  private readonly ports = new Map<Platform, PlatformPort>();
  private readonly cards: CardRefresher;
  private readonly defaultLanguage: Language;

  constructor(private readonly options: CoreOptions) {
    this.defaultLanguage = options.defaultLanguage ?? 'zh-CN';
    this.cards = new CardRefresher((key) => this.refreshCard(key), {
      coalesceMs: options.cardCoalesceMs ?? 700,
      minIntervalMs: options.cardMinIntervalMs ?? 1500,
      onError: (key, error) => options.logger.error({ err: error, card: key }, 'card refresh failed'),
    });
  }

  registerPlatform(platform: Platform, port: PlatformPort): void {
    this.ports.set(platform, port);
  }

  commandList(language: Language): CommandInfo[] {
    return commandInfos(language);
  }

  flushCards(): Promise<void> {
    return this.cards.flush();
  }

  /** Stops background timers. */
  stop(): void {
    this.cards.stop();
  }

  async handle(event: CoreEvent): Promise<HandleResult> {
    const { store, logger } = this.options;
    const now = this.options.clock.now();
    const spec = event.kind === 'command' ? findCommand(event.name) : undefined;
    let lang: Language = languageFromHint(event.actor.languageCode) ?? this.defaultLanguage;

    if (event.kind === 'command' && !spec) {
      // In groups, other bots' commands are common: stay quiet there.
      if (event.chat.kind !== 'private') return { replies: [], duplicate: false };
    }
    if (event.actor.isBot) return { replies: [], duplicate: false };

    let isAdmin = false;
    // Text in a group answers a guided dialogue, whose last answer acts with the admin's rights: check them again.
    if ((spec?.needsAdminCheck || event.kind === 'text') && event.chat.kind === 'group') {
      isAdmin = await this.port(event.platform).isChatAdmin(event.chat.id, event.actor.id);
    }

    let out: Outbox | null;
    try {
      out = await store.transaction(async (tx) => {
        if (!(await tx.claimUpdate(event.key, now))) return null;
        const member = await tx.upsertMember({
          id: event.actor.id,
          platform: event.platform,
          displayName: event.actor.displayName,
          username: event.actor.username,
          language: languageFromHint(event.actor.languageCode),
        });
        let group = null;
        if (event.chat.kind === 'group') {
          const groupId = event.chat.groupId ?? event.chat.id;
          group = await tx.ensureGroup({ id: groupId, platform: event.platform, title: event.chat.title });
          await tx.touchGroupMember(group.id, member.id, now);
        }
        lang = group?.language ?? member.language ?? lang;
        const ctx: HandlerContext = { event, tx, now, member, group, lang, isAdmin, defaultLanguage: this.defaultLanguage, out: new Outbox() };
        await this.route(ctx);
        return ctx.out;
      });
    } catch (error) {
      out = new Outbox();
      const text =
        error instanceof UserError
          ? t(lang, error.key, error.params as never)
          : (logger.error({ err: error, event: describeEvent(event) }, 'event failed'), t(lang, 'generic.internal_error'));
      if (event.kind === 'button') out.push({ kind: 'toast', text, alert: true });
      else out.push({ kind: 'message', to: { chatId: event.chat.id }, text, private: true });
    }
    if (!out) return { replies: [], duplicate: true };
    const replies = await this.dispatch(out, event, lang);
    return { replies, duplicate: false };
  }

  /** Runs one durable job (called by the job queue's worker). */
  async runJob(name: string, data: Record<string, unknown>): Promise<void> {
    if (name === 'buy.deadline') {
      await this.closeDue(Number(data.buyId));
      return;
    }
    if (name === 'review.request') {
      await this.runReviewRequest(Number(data.requestId), Number(data.dueAt));
      return;
    }
    if (name === 'review.tag') {
      await this.afterReview(Number(data.reviewId), { submitted: true, retry: true });
      return;
    }
    if (name === 'likes.round_end') {
      await this.closeRoundDue(Number(data.roundId));
      return;
    }
    this.options.logger.warn({ job: name }, 'unknown job');
  }

  /** Closes every open buy whose deadline has passed: the safety net behind the per-buy deadline jobs. */
  async sweepDue(): Promise<number> {
    const due = await this.options.store.listOpenBuysDue(this.options.clock.now());
    let closed = 0;
    for (const buy of due) if (await this.closeDue(buy.id)) closed++;
    // Like rounds past their end, whose job was lost or late, are ended the same way.
    for (const round of await this.options.store.likes.listOpenRoundsDue(this.options.clock.now())) if (await this.closeRoundDue(round.id)) closed++;
    return closed;
  }

  /** Ends one like round when it is due, and reports it (job or sweep; a second run finds it closed). */
  private async closeRoundDue(roundId: number): Promise<boolean> {
    const now = this.options.clock.now();
    const out = await this.options.store.transaction(async (tx) => {
      const env: UseCaseEnv = { tx, now, defaultLanguage: this.defaultLanguage, out: new Outbox() };
      return (await closeLikeRound(env, roundId)) ? env.out : null;
    });
    if (!out) return false;
    await this.dispatch(out, undefined, this.defaultLanguage);
    return true;
  }

  /** Makes sure every open buy has its deadline job (after a crash between commit and scheduling). */
  async reconcileSchedules(): Promise<void> {
    for (const buy of await this.options.store.listOpenBuysAll()) await this.options.scheduler.schedule(deadlineJob(buy));
    for (const round of await this.options.store.likes.listOpenRounds()) await this.options.scheduler.schedule(roundEndJob(round));
    // Review requests whose next message was planned but whose job may have been lost (keys make this a no-op otherwise).
    for (const request of await this.options.store.reviews.listScheduledRequests()) {
      if (request.nextAt) await this.options.scheduler.schedule(reviewRequestJob(request, request.nextAt));
    }
  }

  /** Sends (or postpones) one review request's due message. */
  private async runReviewRequest(requestId: number, dueAt: number): Promise<void> {
    const now = this.options.clock.now();
    const out = await this.options.store.transaction(async (tx) => {
      const env: UseCaseEnv = { tx, now, defaultLanguage: this.defaultLanguage, out: new Outbox() };
      await sendReviewRequest(env, requestId, dueAt);
      return env.out;
    });
    await this.dispatch(out, undefined, this.defaultLanguage);
  }

  /** After a review changed and the change committed: tags, alerts, the card in the group. */
  private async afterReview(reviewId: number, options: { submitted: boolean; retry?: boolean }): Promise<void> {
    const { store, logger } = this.options;
    const out = await publishReview(
      {
        store, logger, now: this.options.clock.now(), defaultLanguage: this.defaultLanguage, tagger: this.options.reviewTagger,
        listAdmins: async (chatId) => (await this.port(platformOf(chatId)).listChatAdmins?.(chatId)) ?? [],
      },
      reviewId,
      options,
    );
    await this.dispatch(out, undefined, this.defaultLanguage);
  }

  private async closeDue(buyId: number): Promise<boolean> {
    const now = this.options.clock.now();
    const out = await this.options.store.transaction(async (tx) => {
      const env: UseCaseEnv = { tx, now, defaultLanguage: this.defaultLanguage, out: new Outbox() };
      const closed = await closeGroupBuy(env, buyId, 'deadline');
      return closed ? env.out : null;
    });
    if (!out) return false;
    await this.dispatch(out, undefined, this.defaultLanguage);
    return true;
  }

  private async route(ctx: HandlerContext): Promise<void> {
    const { event } = ctx;
    switch (event.kind) {
      case 'command': {
        const spec = findCommand(event.name);
        if (!spec) {
          ctx.out.push({ kind: 'message', to: { chatId: event.chat.id }, text: say(ctx, 'generic.unknown_command', { name: event.name }) });
          return;
        }
        await spec.run(ctx, event);
        return;
      }
      case 'button': {
        if (event.action.startsWith('rv:')) return handleReviewButton(ctx, event.action);
        if (isLikeButton(event.action)) return handleLikeButton(ctx, event.action);
        const [action, rawId] = event.action.split(':');
        const buyId = Number(rawId);
        if (!Number.isInteger(buyId)) {
          ctx.out.push({ kind: 'toast', text: say(ctx, 'generic.stale_button') });
          return;
        }
        if (action === 'join') {
          const outcome = await joinGroupBuy(ctx, { buyId, quantity: 1, viaButton: true });
          ctx.out.push({ kind: 'toast', text: describeJoin(ctx, outcome), alert: outcome.kind === 'waitlisted' });
        } else if (action === 'leave') {
          const buy = await leaveGroupBuy(ctx, { buyId });
          ctx.out.push({ kind: 'toast', text: say(ctx, 'leave.left', { name: ctx.member.displayName, id: buy.id }) });
        } else {
          ctx.out.push({ kind: 'toast', text: say(ctx, 'generic.stale_button') });
        }
        return;
      }
      case 'text': {
        const dialogue = await ctx.tx.getDialogue(event.chat.id, ctx.member.id);
        if (dialogue?.kind === NEW_BUY_DIALOGUE) await answerNewBuyDialogue(ctx, dialogue.step, dialogue.data, event.text);
        else if (!dialogue && event.chat.kind === 'private') await answerReviewMessage(ctx, event.text, event.attachments);
        return;
      }
      case 'reaction':
        return handleLikeReaction(ctx, event);
      case 'member_joined':
        return;
    }
  }

  /** Sends replies in order, remembers where cards landed, then runs the after-commit work. */
  private async dispatch(out: Outbox, origin: CoreEvent | undefined, lang: Language): Promise<Reply[]> {
    const { logger, store, scheduler } = this.options;
    const sent: Reply[] = [];
    const queue = [...out.replies];
    while (queue.length > 0) {
      const reply = queue.shift()!;
      try {
        const ref = await this.port(this.platformFor(reply, origin)).deliver(reply, origin);
        sent.push(reply);
        if (reply.kind === 'message' && reply.card && ref) {
          const [cardKind, rawId] = reply.card.split(':');
          if (cardKind === 'review') await store.reviews.updateReview(Number(rawId), { postedChatId: ref.chatId, postedMessageId: ref.messageId }, this.options.clock.now());
          else if (cardKind === 'share') await store.likes.updateShare(Number(rawId), { postedChatId: ref.chatId, postedMessageId: ref.messageId });
          else if (cardKind === 'round') await store.likes.updateRound(Number(rawId), { listChatId: ref.chatId, listMessageId: ref.messageId });
          else await store.updateBuy(Number(rawId), { cardChatId: ref.chatId, cardMessageId: ref.messageId });
        }
        if (origin && isPrivateToActor(reply, origin) && origin.chat.kind === 'group' && !ref?.shownInPlace) {
          queue.unshift({ kind: 'message', to: { chatId: origin.chat.id }, text: t(lang, 'generic.sent_privately', { name: origin.actor.displayName }) });
        }
      } catch (error) {
        logger.warn({ err: error instanceof DeliveryError ? error.message : error, reply: reply.kind }, 'delivery failed');
        if (origin && isPrivateToActor(reply, origin) && error instanceof DeliveryError && origin.chat.kind === 'group') {
          queue.unshift({ kind: 'message', to: { chatId: origin.chat.id }, text: t(lang, 'generic.dm_failed', { name: origin.actor.displayName }) });
        }
      }
    }
    for (const work of out.after) {
      try {
        if (work.kind === 'schedule') await scheduler.schedule(work.job);
        else if (work.kind === 'review-changed') await this.afterReview(work.reviewId, { submitted: work.submitted });
        else if (work.kind === 'refresh-live-card') this.cards.markDirty(work.card);
        else this.cards.markDirty(`buy:${work.buyId}`);
      } catch (error) {
        // The sweep at start-up and every minute closes buys whose job was lost, so this is logged, not fatal.
        logger.error({ err: error, work: work.kind }, 'after-commit work failed');
      }
    }
    return sent;
  }

  private async refreshCard(key: string): Promise<void> {
    if (key.startsWith('share:') || key.startsWith('round:')) {
      const edit = await likeCardEdit(this.options.store, key, this.options.clock.now(), this.defaultLanguage);
      if (edit) await this.port(platformOf(edit.chatId)).deliver(edit);
      return;
    }
    const buyId = Number(key.split(':')[1]);
    const { store } = this.options;
    const buy = await store.getBuy(buyId);
    if (!buy?.cardChatId || !buy.cardMessageId) return;
    const group = await store.getGroup(buy.groupId);
    if (!group) return;
    const signUps = await store.listSignUps(buy.id);
    const lang = await buyLanguage(store, buy, group, this.defaultLanguage);
    const card = renderBuyCard(buy, signUps, group, lang);
    await this.port(platformOf(buy.cardChatId)).deliver({ kind: 'edit', chatId: buy.cardChatId, messageId: buy.cardMessageId, text: card.text, buttons: card.buttons });
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

function isPrivateToActor(reply: Reply, origin: CoreEvent): boolean {
  return (reply.kind === 'message' || reply.kind === 'document') && 'memberId' in reply.to && reply.to.memberId === origin.actor.id;
}

/** What to log about an event: never message text beyond the command name, never the platform payload. */
function describeEvent(event: CoreEvent): Record<string, unknown> {
  return { key: event.key, kind: event.kind, chat: event.chat.id, actor: event.actor.id, ...(event.kind === 'command' ? { command: event.name } : {}) };
}
