/**
 * The review feature's data, as the core sees it (implemented in prisma/review-store.ts). Reached from a
 * transaction as `tx.reviews`.
 */
export interface ReviewStore {
  /** Placeholder removed once the first method lands; keeps the interface non-empty for strict lint rules. */
  readonly feature: 'reviews';
}
