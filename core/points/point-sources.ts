/** Why points are paid: every ledger entry's `reason` is one of these. */
export const POINT_SOURCES = [
  'checkin', 'checkin_streak_bonus', 'join_buy', 'purchase_delivered', 'share', 'like_given', 'like_received',
  'like_goal', 'round_complete', 'review', 'review_rich', 'admin',
] as const;
export type PointSource = (typeof POINT_SOURCES)[number];
