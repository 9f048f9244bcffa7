/** The likes feature's Store on Prisma (see core/likes/like-store.ts). */
import type { LikeStore } from '../core/likes/like-store.js';
import type { Prisma, PrismaClient } from './generated/client.js';

export class PrismaLikeStore implements LikeStore {
  readonly feature = 'likes' as const;
  constructor(protected readonly db: PrismaClient | Prisma.TransactionClient) {}
}
