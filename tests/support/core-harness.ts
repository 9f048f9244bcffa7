/**
 * A real Core on a real test database, with the outside world recorded: a manual clock, a scheduler that keeps
 * the jobs it is given, and a Telegram-like platform port that keeps every reply it delivers. Tests drive it
 * with events as members would send them and read what each chat saw.
 *
 * @example
 * const h = useCoreHarness();
 * it('joins', async () => {
 *   await h.openBuy('Tea | 10 | min 1 | max 5 | ends 2h');
 *   await h.command(alice, '/join 2');
 *   expect(h.lastMessageIn()).toBe('Alice joined #1 ×2.');
 * });
 */
import { afterAll, beforeAll, beforeEach } from 'vitest';
import type { HandleResult, Language } from '../../core/app.js';
import type { Actor, Attachment, ChatRef, CoreEvent, MentionedMember } from '../../core/events.js';
import { DeliveryError, type PlatformPort } from '../../core/ports.js';
import type { DeliveredRef, DocumentReply, PhotoReply, Reply } from '../../core/replies.js';
import type { TextSimilarity } from '../../core/moderation/text-signals.js';
import type { PictureRenderer } from '../../core/ports.js';
import type { ReviewTagger } from '../../core/llm/review-tags.js';
import type { BuyRecord, SignUpView } from '../../core/store.js';
import { RecordingLogger, RecordingScheduler } from './recorders.js';
import { TestWorld } from './test-world.js';

/** 2026-12-20 10:00 in Shanghai (03:00 in Berlin): close enough to 2026-12-24 for absolute deadlines. */
export const START = new Date('2026-12-20T02:00:00Z');
export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** The group chat every test talks in. */
export const GROUP: ChatRef = { id: 'tg:-100', kind: 'group', title: 'Strawberry friends' };
/** A second group, for tests that need buys in two places. */
export const OTHER_GROUP: ChatRef = { id: 'tg:-200', kind: 'group', title: 'Tea club' };

// The cast. Admins are made admins of the group by the harness; everyone else is a plain member.
export const anna: Actor = { id: 'tg:1', displayName: 'Anna', username: 'anna', languageCode: 'en' };
export const laoLi: Actor = { id: 'tg:2', displayName: '老李', username: 'laoli', languageCode: 'zh-hans' };
export const alice: Actor = { id: 'tg:11', displayName: 'Alice', username: 'alice', languageCode: 'en' };
export const bob: Actor = { id: 'tg:12', displayName: 'Bob', username: 'bob', languageCode: 'en-GB' };
export const carol: Actor = { id: 'tg:13', displayName: 'Carol', username: 'carol', languageCode: 'en' };
export const wang: Actor = { id: 'tg:21', displayName: '王芳', username: 'wangfang', languageCode: 'zh-CN' };
export const zhang: Actor = { id: 'tg:22', displayName: '张伟', username: 'zhangwei', languageCode: 'zh-CN' };
export const admins = [anna, laoLi];

/** A private chat with the bot: on Telegram its id is the member's own id. */
export function privateChat(actor: Actor): ChatRef {
  return { id: actor.id, kind: 'private' };
}

/** One reply the port delivered, with where it landed. */
export interface Delivery {
  reply: Reply;
  /** The chat it landed in (a member's private chat for replies addressed to a member). */
  chatId?: string;
  messageId?: string;
  origin?: CoreEvent;
}

/**
 * The platform 'tg' as tests see it: delivers by recording, numbers messages per chat, knows which members are
 * admins, and can refuse DMs (`dmBlocked`) or any delivery (`failWhen`) as Telegram would.
 */
export class RecordingPort implements PlatformPort {
  readonly delivered: Delivery[] = [];
  readonly refused: { reply: Reply; error: DeliveryError }[] = [];
  readonly admins = new Set<string>();
  /** Members who never started a private chat with the bot. */
  readonly dmBlocked = new Set<string>();
  /** Deliveries this returns true for fail with DeliveryError('other'). */
  failWhen: ((reply: Reply) => boolean) | undefined;
  private readonly lastIds = new Map<string, number>();

  async deliver(reply: Reply, origin?: CoreEvent): Promise<DeliveredRef | undefined> {
    const refuse = (error: DeliveryError) => {
      this.refused.push({ reply, error });
      throw error;
    };
    if (this.failWhen?.(reply)) refuse(new DeliveryError('other', 'test: platform unavailable'));
    switch (reply.kind) {
      case 'message':
      case 'document':
      case 'photo': {
        const toMember = 'memberId' in reply.to ? reply.to.memberId : undefined;
        const chatId = toMember ?? ('chatId' in reply.to ? reply.to.chatId : '');
        if (toMember && this.dmBlocked.has(toMember)) refuse(new DeliveryError('dm_blocked', 'test: bot was never started'));
        const messageId = this.nextId(chatId);
        this.delivered.push({ reply, chatId, messageId, origin });
        return { chatId, messageId };
      }
      case 'edit':
        this.delivered.push({ reply, chatId: reply.chatId, messageId: reply.messageId, origin });
        return { chatId: reply.chatId, messageId: reply.messageId };
      case 'toast':
        this.delivered.push({ reply, origin });
        return undefined;
      case 'pin':
        this.delivered.push({ reply, chatId: reply.chatId, messageId: reply.messageId, origin });
        return { chatId: reply.chatId, messageId: reply.messageId };
    }
  }

  async isChatAdmin(_chatId: string, memberId: string): Promise<boolean> {
    return this.admins.has(memberId);
  }

  /** The group's admins as Telegram's getChatAdministrators would list them. */
  async listChatAdmins(_chatId: string): Promise<string[]> {
    return [...this.admins];
  }

  private nextId(chatId: string): string {
    const id = (this.lastIds.get(chatId) ?? 0) + 1;
    this.lastIds.set(chatId, id);
    return String(id);
  }
}

export { RecordingLogger, RecordingScheduler };

export interface SendOptions {
  /** Where: the group (default), the actor's private chat, or any chat. */
  chat?: 'group' | 'private' | ChatRef;
  /** The update key; by default a new one. Pass an old key to deliver the same update twice. */
  key?: string;
  /** Photos and videos sent with the command (Telegram: the command as a photo's caption). */
  attachments?: Attachment[];
  /** Members the command points at (reply target first, then text mentions). */
  mentions?: (Actor | MentionedMember)[];
  /** Texts: the message it replies to (a card's message id and `byBot`), as adapters decode it. */
  replyTo?: { messageId: string; byBot: boolean };
  /** Texts: a group message the bot merely overheard (Telegram privacy mode off). */
  ambient?: boolean;
}

export interface HarnessOptions {
  /** PostgreSQL pool size (ignored on PGlite). */
  poolSize?: number;
  defaultLanguage?: Language;
  /** A review tagger for the Core (none by default: reviews stay untagged). */
  reviewTagger?: ReviewTagger;
  /** The text finder of fake-engagement cases (default: the offline one; null: none). */
  textSimilarity?: TextSimilarity | null;
  /** Draws case pictures (default: resvg; null: none, alerts are text only). */
  pictureRenderer?: PictureRenderer | null;
}

/**
 * The harness object: a TestWorld with a recording Telegram-like port. Open it once per file (useCoreHarness does),
 * reset it before each test: the database is emptied, the clock goes back to START, recordings are cleared and a
 * fresh Core is built with the port registered.
 */
export class CoreHarness extends TestWorld {
  port = new RecordingPort();
  /** The last event sent, to send it again. */
  lastEvent: CoreEvent | undefined;
  private keys = 0;

  constructor(options: HarnessOptions = {}) {
    super({
      start: START, poolSize: options.poolSize, defaultLanguage: options.defaultLanguage, reviewTagger: () => options.reviewTagger,
      ...(options.textSimilarity !== undefined ? { textSimilarity: () => options.textSimilarity ?? undefined } : {}),
      ...(options.pictureRenderer !== undefined ? { pictureRenderer: () => options.pictureRenderer ?? undefined } : {}),
    });
  }

  override async open(): Promise<void> {
    await super.open();
    await this.reset();
  }

  override async reset(): Promise<void> {
    await super.reset();
    this.port = new RecordingPort();
    this.lastEvent = undefined;
    this.core.registerPlatform('tg', this.port);
    for (const admin of admins) this.port.admins.add(admin.id);
  }

  override async close(): Promise<void> {
    if (this.db) await super.close();
  }

  // ---- sending events

  /** A new unique update key. */
  nextKey(): string {
    return `tg:update:${++this.keys}`;
  }

  chatOf(actor: Actor, where: SendOptions['chat'] = 'group'): ChatRef {
    if (where === 'group') return GROUP;
    if (where === 'private') return privateChat(actor);
    return where;
  }

  /** Sends a command as typed, e.g. `/join 2` or `/newbuy@tuanbot Tea | 10 | ...`. */
  command(actor: Actor, text: string, options: SendOptions = {}): Promise<HandleResult> {
    const match = text.trim().match(/^\/([A-Za-z0-9_]+)(?:@\w+)?(?:\s+([\s\S]*))?$/);
    if (!match) throw new Error(`not a command: ${text}`);
    return this.send({
      ...this.base(actor, options),
      kind: 'command',
      name: match[1]!.toLowerCase(),
      args: (match[2] ?? '').trim(),
      mentions: options.mentions?.map((m) => ({ id: m.id, displayName: m.displayName, username: m.username })),
      ...(options.attachments ? { attachments: options.attachments } : {}),
    });
  }

  /** Presses a button, e.g. `join:1`. */
  press(actor: Actor, action: string, options: SendOptions = {}): Promise<HandleResult> {
    return this.send({ ...this.base(actor, options), kind: 'button', action });
  }

  /** Sends plain text (an answer to the bot's question). */
  text(actor: Actor, text: string, options: SendOptions = {}): Promise<HandleResult> {
    return this.send({
      ...this.base(actor, options), kind: 'text', text,
      ...(options.replyTo ? { replyTo: options.replyTo } : {}), ...(options.ambient ? { ambient: true } : {}),
    });
  }

  /** Hands an event to the core, as an adapter would. */
  send(event: CoreEvent): Promise<HandleResult> {
    this.lastEvent = event;
    return this.core.handle(event);
  }

  /** Delivers the last event again, with the same key (a platform retrying an update). */
  resend(): Promise<HandleResult> {
    if (!this.lastEvent) throw new Error('nothing sent yet');
    return this.core.handle(this.lastEvent);
  }

  private base(actor: Actor, options: SendOptions) {
    return { key: options.key ?? this.nextKey(), platform: 'tg' as const, actor, chat: this.chatOf(actor, options.chat), at: this.clock.now() };
  }

  // ---- shortcuts

  /** Opens a buy in the group as an admin (Anna unless told) and returns it. */
  async openBuy(args: string, by: Actor = anna, options: SendOptions = {}): Promise<BuyRecord> {
    const before = await this.db.prisma.groupBuy.count();
    await this.command(by, `/newbuy ${args}`, options);
    const buys = await this.db.prisma.groupBuy.findMany({ orderBy: { id: 'desc' }, take: 1 });
    if ((await this.db.prisma.groupBuy.count()) !== before + 1 || !buys[0]) {
      throw new Error(`/newbuy ${args} opened nothing: ${this.lastMessageIn(this.chatOf(by, options.chat).id)}`);
    }
    return (await this.buy(buys[0].id))!;
  }

  /** Moves the clock and runs every recorded job that is now due, once, as the job queue would. */
  advanceAndRunJobs(ms: number): Promise<void> {
    return this.advance(ms, { runDueJobs: true });
  }

  flushCards(): Promise<void> {
    return this.core.flushCards();
  }

  // ---- reading the store

  buy(id: number): Promise<BuyRecord | null> {
    return this.store.getBuy(id);
  }

  signUps(buyId: number): Promise<SignUpView[]> {
    return this.store.listSignUps(buyId);
  }

  /** `name ×qty` of the active sign-ups of a buy, in sign-up id order. */
  async participants(buyId: number, status: SignUpView['status'] = 'active'): Promise<string[]> {
    return (await this.signUps(buyId)).filter((s) => s.status === status).map((s) => `${s.displayName} ×${s.quantity}`);
  }

  // ---- reading what was delivered

  /** Texts of messages posted in a chat (the group unless told), oldest first. */
  messagesIn(chatId: string = GROUP.id): string[] {
    return this.messageDeliveries().filter((d) => d.chatId === chatId && 'chatId' in d.reply.to).map((d) => d.reply.text);
  }

  lastMessageIn(chatId: string = GROUP.id): string | undefined {
    return this.messagesIn(chatId).at(-1);
  }

  /** Texts the member received privately: addressed to them, or said in their private chat (a picture's text too). */
  dmsTo(actor: Actor): string[] {
    return [...this.port.delivered]
      .filter((d): d is Delivery & { reply: Extract<Reply, { kind: 'message' | 'photo' }> } => d.reply.kind === 'message' || d.reply.kind === 'photo')
      .filter((d) => ('memberId' in d.reply.to && d.reply.to.memberId === actor.id) || ('chatId' in d.reply.to && d.reply.to.chatId === privateChat(actor).id))
      .map((d) => d.reply.text);
  }

  toasts(): string[] {
    return this.port.delivered.flatMap((d) => (d.reply.kind === 'toast' ? [d.reply.text] : []));
  }

  lastToast(): string | undefined {
    return this.toasts().at(-1);
  }

  documents(to?: Actor): DocumentReply[] {
    return this.port.delivered.flatMap((d) =>
      d.reply.kind === 'document' && (!to || ('memberId' in d.reply.to && d.reply.to.memberId === to.id)) ? [d.reply] : [],
    );
  }

  /** Pictures sent (to one member, or to anyone), oldest first. */
  pictures(to?: Actor): PhotoReply[] {
    return this.port.delivered.flatMap((d) =>
      d.reply.kind === 'photo' && (!to || ('memberId' in d.reply.to && d.reply.to.memberId === to.id)) ? [d.reply] : [],
    );
  }

  /** The message that carries a buy's card (the newest card when no id is given). */
  cardMessage(buyId?: number): (Delivery & { reply: Extract<Reply, { kind: 'message' }> }) | undefined {
    return this.messageDeliveries()
      .filter((d) => d.reply.card && !d.reply.card.startsWith('buy-photo:') && (buyId === undefined || d.reply.card === `buy:${buyId}`))
      .at(-1);
  }

  /** Edits sent to a buy's card message, oldest first. */
  cardEdits(buyId?: number): { text: string; buttons: string[] }[] {
    const card = this.cardMessage(buyId);
    if (!card) return [];
    return this.port.delivered.flatMap((d) =>
      d.reply.kind === 'edit' && d.reply.chatId === card.chatId && d.reply.messageId === card.messageId
        ? [{ text: d.reply.text, buttons: (d.reply.buttons ?? []).flat().map((b) => b.action) }]
        : [],
    );
  }

  /** What a buy's card shows now (its message as last edited), after sending pending edits. */
  async cardText(buyId?: number): Promise<string> {
    await this.core.flushCards();
    const card = this.cardMessage(buyId);
    if (!card) throw new Error(`no card was posted${buyId === undefined ? '' : ` for buy #${buyId}`}`);
    return this.cardEdits(buyId).at(-1)?.text ?? card.reply.text;
  }

  /** Button actions the card shows now. */
  async cardButtons(buyId?: number): Promise<string[]> {
    await this.core.flushCards();
    const card = this.cardMessage(buyId);
    if (!card) throw new Error('no card was posted');
    return this.cardEdits(buyId).at(-1)?.buttons ?? (card.reply.buttons ?? []).flat().map((b) => b.action);
  }

  private messageDeliveries(): (Delivery & { reply: Extract<Reply, { kind: 'message' }> })[] {
    return this.port.delivered.filter((d): d is Delivery & { reply: Extract<Reply, { kind: 'message' }> } => d.reply.kind === 'message');
  }
}

/** Texts of the replies a handled event produced, in order. */
export function textsOf(result: HandleResult): string[] {
  return result.replies.map((r) => (r.kind === 'document' ? r.caption ?? r.filename : r.kind === 'pin' ? `(pinned ${r.messageId})` : r.text));
}

/** A harness opened once for the test file and reset before each test. */
export function useCoreHarness(options: HarnessOptions = {}): CoreHarness {
  const harness = new CoreHarness(options);
  beforeAll(() => harness.open());
  beforeEach(() => harness.reset());
  afterAll(() => harness.close());
  return harness;
}
