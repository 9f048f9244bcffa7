/** The records every feature meets: members, groups, guided dialogues, ledger entries. */
import type { Language } from './language.js';

export interface MemberRecord {
  id: string;
  platform: string;
  displayName: string;
  username: string | null;
  /** Their own language: chosen with /lang, else their app's (the platform's hint); null until known. */
  language: Language | null;
  /** `language` was chosen with /lang (platform hints no longer change it). */
  languageChosen: boolean;
}

export interface GroupRecord {
  id: string;
  platform: string;
  title: string | null;
  language: Language | null;
  timeZone: string;
  currency: string;
}

export interface DialogueRecord {
  chatId: string;
  memberId: string;
  kind: string;
  step: string;
  data: Record<string, unknown>;
  /** When the dialogue last asked its question (the core's clock): it expires DIALOGUE_TIMEOUT_MS later. */
  updatedAt: Date;
}

/** A destructive admin command waiting for its Confirm/Keep press (core/kernel/confirm.ts). */
export interface ConfirmationRecord {
  id: number;
  /** The group it was asked in; for a question in a private chat (a member's own /forgetme), that chat. */
  groupId: string;
  chatId: string;
  /** Only this member (the admin who asked) may answer. */
  memberId: string;
  /** The module's confirmation handler, e.g. `buy.cancel`. */
  action: string;
  data: Record<string, unknown>;
  createdAt: Date;
  expiresAt: Date;
  answeredAt: Date | null;
}

export interface PointEntryInput {
  groupId: string;
  memberId: string;
  amount: number;
  reason: string;
  reference?: string;
  actorId?: string;
  note?: string;
  /** Unique per award, e.g. `review:12` or `checkin:tg:1:2026-11-22`. */
  key: string;
  at: Date;
}
