/** The shared log of prompts on Prisma (see core/messages/message-store.ts). */
import type { MessageStore } from '../core/messages/message-store.js';
import type { Prisma, PrismaClient } from './generated/client.js';

type Db = PrismaClient | Prisma.TransactionClient;

export class PrismaMessageStore implements MessageStore {
  constructor(private readonly db: Db) {}

  async sentSince(memberId: string, kinds: readonly string[], since: Date): Promise<Date[]> {
    const rows = await this.db.outboundMessage.findMany({
      where: { memberId, kind: { in: [...kinds] }, sentAt: { gt: since } },
      orderBy: { sentAt: 'asc' },
      select: { sentAt: true },
    });
    return rows.map((r) => r.sentAt);
  }

  async record(m: { memberId: string; groupId: string | null; kind: string; at: Date }): Promise<void> {
    await this.db.outboundMessage.create({ data: { memberId: m.memberId, groupId: m.groupId, kind: m.kind, sentAt: m.at } });
  }
}
