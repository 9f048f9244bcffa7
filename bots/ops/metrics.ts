/**
 * The bot's Prometheus metrics (prom-client), and the hooks that feed them: the core's observer (events, card edits
 * coalesced), a grammY API transformer (Telegram calls, messages, 429s), listeners on discord.js's REST client
 * (Discord calls, messages, 429s) and the job queue's live depth, read at each scrape.
 *
 * Labels are closed sets (event kinds, outcomes, platforms, actions): never a chat, a member, a token or a URL.
 * Loaded only when METRICS_PORT is set (bots/main.ts imports bots/ops/metrics-server.ts dynamically).
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Transformer } from 'grammy';
import type { Client } from 'discord.js';
import type { CoreObserver } from '../../core/ports.js';
import type { QueueDepth } from '../../prisma/job-queue.js';

/** The metric names this module exports (docs/grafana-dashboard.json queries them; a test checks). */
export const METRIC_NAMES = {
  events: 'tuanbot_events_total',
  eventSeconds: 'tuanbot_event_duration_seconds',
  queueDepth: 'tuanbot_job_queue_depth',
  messages: 'tuanbot_messages_sent_total',
  requests: 'tuanbot_platform_requests_total',
  rateLimited: 'tuanbot_platform_rate_limited_total',
  cardsCoalesced: 'tuanbot_card_edits_coalesced_total',
} as const;

export type PlatformName = 'telegram' | 'discord';

/** Seconds an event takes end to end (database transaction and replies): most take milliseconds, a slow one seconds. */
const EVENT_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** What a successful Telegram call did to a chat, if it posted, edited or pinned a message. */
export function telegramAction(method: string): 'send' | 'edit' | 'pin' | undefined {
  if (method === 'sendChatAction') return undefined;
  if (/^(send|copyMessage|forwardMessage)/.test(method)) return 'send';
  if (method.startsWith('edit')) return 'edit';
  if (method === 'pinChatMessage') return 'pin';
  return undefined;
}

/** See the module comment. One per process (each has its own registry, so tests can run several). */
export class BotMetrics {
  readonly registry = new Registry();
  private readonly events: Counter<'kind' | 'outcome'>;
  private readonly eventSeconds: Histogram<'kind'>;
  private readonly messages: Counter<'platform' | 'action'>;
  private readonly requests: Counter<'platform' | 'result'>;
  private readonly rateLimited: Counter<'platform'>;
  private readonly cardsCoalesced: Counter;
  private queueDepths: (() => Promise<QueueDepth[]>) | undefined;
  /** When each platform last answered a call successfully (ms since epoch), for /readyz. */
  private readonly lastSuccess = new Map<PlatformName, number>();

  /** Hooks for createCore's `observer` option. */
  readonly observer: CoreObserver;

  constructor(options: { processMetrics?: boolean } = {}) {
    const registers = [this.registry];
    if (options.processMetrics ?? true) collectDefaultMetrics({ register: this.registry, prefix: 'tuanbot_' });
    this.events = new Counter({
      name: METRIC_NAMES.events,
      help: 'Events handled by the core, by kind (command, button, text, reaction, ...) and outcome (ok, rejected, error, duplicate, ignored).',
      labelNames: ['kind', 'outcome'],
      registers,
    });
    this.eventSeconds = new Histogram({
      name: METRIC_NAMES.eventSeconds,
      help: 'Time to handle one event end to end (transaction and replies), in seconds.',
      labelNames: ['kind'],
      buckets: EVENT_BUCKETS,
      registers,
    });
    this.messages = new Counter({
      name: METRIC_NAMES.messages,
      help: 'Messages the bot posted (send), edited (edit) or pinned (pin), by platform; successful calls only.',
      labelNames: ['platform', 'action'],
      registers,
    });
    this.requests = new Counter({
      name: METRIC_NAMES.requests,
      help: 'Calls to the platform API by result (ok, rate_limited, error); each retry is a call.',
      labelNames: ['platform', 'result'],
      registers,
    });
    this.rateLimited = new Counter({
      name: METRIC_NAMES.rateLimited,
      help: 'Platform API answers 429 Too Many Requests (flood limits), by platform.',
      labelNames: ['platform'],
      registers,
    });
    this.cardsCoalesced = new Counter({
      name: METRIC_NAMES.cardsCoalesced,
      help: 'Live-card changes merged into an edit already pending (platform edits saved).',
      registers,
    });
    const depths = () => this.queueDepths;
    new Gauge({
      name: METRIC_NAMES.queueDepth,
      help: 'Jobs waiting in the durable job queue, by queue and state (ready: due now; deferred: waiting for their time).',
      labelNames: ['queue', 'state'],
      registers,
      async collect() {
        const read = depths();
        if (!read) return;
        this.reset();
        // A queue that cannot be read (stopping, database down) shows no series; /readyz tells why.
        const all = await read().catch(() => []);
        for (const depth of all) {
          this.set({ queue: depth.queue, state: 'ready' }, depth.ready);
          this.set({ queue: depth.queue, state: 'deferred' }, depth.deferred);
        }
      },
    });
    this.observer = {
      eventHandled: (kind, outcome, seconds) => {
        this.events.inc({ kind, outcome });
        this.eventSeconds.observe({ kind }, seconds);
      },
      cardEditCoalesced: () => this.cardsCoalesced.inc(),
    };
  }

  /** Reads the job queue's depth at each scrape. */
  watchQueue(depths: () => Promise<QueueDepth[]>): void {
    this.queueDepths = depths;
  }

  /** When `platform` last answered a call successfully, if it did. */
  lastSuccessAt(platform: PlatformName): number | undefined {
    return this.lastSuccess.get(platform);
  }

  /**
   * A grammY API transformer counting every Telegram call: install it under auto-retry and the throttler
   * (createTelegramBot's `innerTransformers`) so each attempt, and each 429, is seen.
   */
  telegramTransformer(): Transformer {
    return async (prev, method, payload, signal) => {
      let result;
      try {
        result = await prev(method, payload, signal);
      } catch (error) {
        this.requests.inc({ platform: 'telegram', result: 'error' });
        throw error;
      }
      if (result.ok) {
        this.requests.inc({ platform: 'telegram', result: 'ok' });
        this.lastSuccess.set('telegram', Date.now());
        const action = telegramAction(method);
        if (action) this.messages.inc({ platform: 'telegram', action });
      } else if (result.error_code === 429) {
        this.requests.inc({ platform: 'telegram', result: 'rate_limited' });
        this.rateLimited.inc({ platform: 'telegram' });
      } else {
        this.requests.inc({ platform: 'telegram', result: 'error' });
      }
      return result;
    };
  }

  /** Counts every Discord REST response (each retry and each 429 included) from discord.js's REST client. */
  watchDiscord(client: Client): void {
    client.rest.on('response', (request, response) => {
      // The event carries a clone of the response; nobody reads its body, so let it go.
      const body = response.body as { cancel?: () => Promise<void> } | null;
      if (body && typeof body.cancel === 'function') body.cancel().catch(() => {});
      if (response.status === 429) {
        this.requests.inc({ platform: 'discord', result: 'rate_limited' });
        this.rateLimited.inc({ platform: 'discord' });
        return;
      }
      if (!response.ok) {
        this.requests.inc({ platform: 'discord', result: 'error' });
        return;
      }
      this.requests.inc({ platform: 'discord', result: 'ok' });
      this.lastSuccess.set('discord', Date.now());
      const action = discordAction(request.method, String(request.path));
      if (action) this.messages.inc({ platform: 'discord', action });
    });
  }
}

/** What a successful Discord call did to a chat, if it posted or edited a message (an interaction answer is one). */
export function discordAction(method: string, path: string): 'send' | 'edit' | 'pin' | undefined {
  const verb = method.toUpperCase();
  if (/^\/channels\/[^/]+\/(messages\/)?pins\//.test(path) && verb === 'PUT') return 'pin';
  const aboutMessages = /^\/channels\/[^/]+\/messages(\/[^/]+)?$/.test(path) || /^\/webhooks\//.test(path) || /^\/interactions\/[^/]+\/[^/]+\/callback$/.test(path);
  if (!aboutMessages) return undefined;
  if (verb === 'POST') return 'send';
  if (verb === 'PATCH') return 'edit';
  return undefined;
}
