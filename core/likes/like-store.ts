/** The likes feature's data, as the core sees it (implemented in prisma/like-store.ts). Reached as `tx.likes`. */
export interface LikeStore {
  readonly feature: 'likes';
}
