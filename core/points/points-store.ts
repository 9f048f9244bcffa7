/** The points feature's data (levels, badges, check-ins, leaderboards), implemented in prisma/points-store.ts. Reached as `tx.points`. */
export interface PointsStore {
  readonly feature: 'points';
}
