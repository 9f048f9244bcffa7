/**
 * The core's front door, as adapters see it. (The implementation lands in this file; the interface is what
 * adapters code against.)
 */
import type { CoreEvent, Platform } from './events.js';
import type { CommandInfo, PlatformPort } from './ports.js';
import type { Reply } from './replies.js';

export type Language = 'zh-CN' | 'en';

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
