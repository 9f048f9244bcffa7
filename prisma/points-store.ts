/** The points feature's Store on Prisma (see core/points/points-store.ts). */
import type { PointsStore } from '../core/points/points-store.js';
import type { Prisma, PrismaClient } from './generated/client.js';

export class PrismaPointsStore implements PointsStore {
  readonly feature = 'points' as const;
  constructor(protected readonly db: PrismaClient | Prisma.TransactionClient) {}
}
