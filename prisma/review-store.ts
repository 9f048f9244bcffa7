/** The review feature's Store on Prisma (see core/reviews/review-store.ts). */
import type { ReviewStore } from '../core/reviews/review-store.js';
import type { Prisma, PrismaClient } from './generated/client.js';

export class PrismaReviewStore implements ReviewStore {
  readonly feature = 'reviews' as const;
  constructor(protected readonly db: PrismaClient | Prisma.TransactionClient) {}
}
