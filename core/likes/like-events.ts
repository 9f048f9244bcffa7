/**
 * The facts the likes feature states, for other features to react to (the fake-engagement scan looks early at a
 * share liked by fresh accounts). Likes itself knows none of them.
 */

/** A member liked a share (a press or a reaction that changed something); raised under the share's row lock. */
export interface ShareLiked {
  groupId: string;
  shareId: number;
  likerId: string;
  authorId: string;
  at: Date;
}

declare module '../kernel/domain-events.js' {
  interface DomainEvents {
    'share.liked': ShareLiked;
  }
}
