/**
 * MEMBER_REFERENCES (prisma/privacy-store.ts) is what /mydata reads and /forgetme re-keys or deletes: a column holding
 * a member's id that it misses would leak from an erasure and be missing from an access request. This reads
 * prisma/schema.prisma and fails when a table gains an id column nobody has classified.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MEMBER_REFERENCES } from '../../prisma/privacy-store.js';

/** String id columns that hold something other than a member (groups, chats, messages, files, anonymous ids). */
const NOT_MEMBER_IDS: Record<string, string[]> = {
  Group: ['id'],
  GroupMember: ['groupId'],
  GroupBuy: ['groupId', 'chatId', 'photoFileId', 'cardChatId', 'cardMessageId', 'photoChatId', 'photoMessageId'],
  Purchase: ['groupId'],
  Dialogue: ['chatId'],
  Confirmation: ['groupId', 'chatId'],
  AdminAction: ['groupId'],
  PointEntry: ['groupId'],
  ReviewRequest: ['groupId'],
  Review: ['groupId', 'postedChatId', 'postedMessageId'],
  ReviewReply: ['groupId'],
  OutboundMessage: ['groupId'],
  Share: ['groupId', 'chatId', 'photoFileId', 'postedChatId', 'postedMessageId'],
  LikeEvent: ['groupId'],
  LikeTask: ['groupId'],
  LikeRound: ['groupId', 'chatId', 'listChatId', 'listMessageId'],
  MemberWarning: ['groupId'],
  CheckIn: ['groupId'],
  BadgeAward: ['groupId'],
  Product: ['groupId'],
  ReminderPlan: ['groupId'],
  ChurnDigestSubscription: ['groupId'],
  FlagCase: ['groupId', 'chatId'],
  Erasure: ['anonymousId'],
  FlagCaseNotice: ['groupId'],
  DashboardLink: ['groupId', 'chatId'],
  DashboardSessionGroup: ['groupId', 'chatId'],
};

/** Every model's String fields, from the schema. */
function stringFields(): Map<string, string[]> {
  const schema = readFileSync(new URL('../../prisma/schema.prisma', import.meta.url), 'utf8');
  const models = new Map<string, string[]>();
  for (const [, name, body] of schema.matchAll(/^model (\w+) \{([\s\S]*?)^\}/gm)) {
    const fields = [...body!.matchAll(/^\s+(\w+)\s+String\??\s*(?:@|$)/gm)].map((m) => m[1]!);
    models.set(name!, fields);
  }
  return models;
}

/** Id columns (`id`, `…Id`) neither a member reference nor named as something else (or both). */
function unclassified(models: Map<string, string[]>): string[] {
  const found: string[] = [];
  for (const [model, fields] of models) {
    for (const field of fields.filter((f) => f === 'id' || /Id$/.test(f))) {
      const member = MEMBER_REFERENCES[model]?.columns.includes(field);
      const other = NOT_MEMBER_IDS[model]?.includes(field);
      if (!member && !other) found.push(`${model}.${field}`);
      if (member && other) found.push(`${model}.${field} (both)`);
    }
  }
  return found;
}

describe('MEMBER_REFERENCES', () => {
  it('classifies every id column of every table: a member reference, or named here as something else', () => {
    expect(unclassified(stringFields())).toEqual([]);
  });

  it('names only tables and columns that exist', () => {
    const models = stringFields();
    for (const [table, { columns }] of Object.entries(MEMBER_REFERENCES)) {
      expect(models.has(table), table).toBe(true);
      for (const column of columns) expect(models.get(table), `${table}.${column}`).toContain(column);
    }
  });

  it('fails for a new table with a member column (the check itself works)', () => {
    const models = stringFields();
    models.set('GiftCard', ['id', 'groupId', 'holderId', 'title']);
    models.set('Share', [...models.get('Share')!, 'repostedById']);
    expect(unclassified(models)).toEqual(['Share.repostedById', 'GiftCard.id', 'GiftCard.groupId', 'GiftCard.holderId']);
  });
});
