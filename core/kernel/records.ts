/** The records every feature meets: members, groups, guided dialogues, ledger entries. */
import type { Language } from './language.js';

export interface MemberRecord {
  id: string;
  platform: string;
  displayName: string;
  username: string | null;
  language: Language | null;
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
