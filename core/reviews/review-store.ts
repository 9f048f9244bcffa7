/**
 * The review feature's data, as the core sees it (implemented in prisma/review-store.ts). Reached from a
 * transaction as `tx.reviews`, so every read and write here commits or rolls back with the rest of the event.
 */
import type { ReviewTags } from '../llm/review-tags.js';

export type ReviewRequestStatus = 'pending' | 'sent' | 'reviewed' | 'opted_out' | 'expired';

/** One buyer asked (or to be asked) for a review of one delivered buy. */
export interface ReviewRequestRecord {
  id: number;
  buyId: number;
  memberId: string;
  groupId: string;
  status: ReviewRequestStatus;
  /** When the next message (the request, then each reminder) is due; null when nothing more will be sent. */
  nextAt: Date | null;
  sentAt: Date | null;
  remindersSent: number;
}

/** Where a member is in the private review flow. `done` once rating, text, media and consent are settled. */
export type ReviewStep = 'text' | 'media' | 'consent' | 'done';

export interface ReviewMedia {
  kind: 'photo' | 'video';
  fileId: string;
  durationSeconds?: number;
}

export interface ReviewRecord {
  id: number;
  buyId: number;
  memberId: string;
  groupId: string;
  step: ReviewStep;
  rating: number | null;
  text: string;
  media: ReviewMedia[];
  photoCount: number;
  videoSeconds: number;
  shareConsent: boolean;
  postedChatId: string | null;
  postedMessageId: string | null;
  featuredAt: Date | null;
  bestOfMonth: string | null;
  helpfulVotes: number;
  editableUntil: Date;
  /** Null while the review is a draft (rating given, no text yet). */
  submittedAt: Date | null;
  updatedAt: Date;
  /** Null until a tagger has read it. */
  tags: ReviewTags | null;
  taggedAt: Date | null;
}

/** A review with its author's names and its buy's title, for cards, alerts and reports. */
export interface ReviewView extends ReviewRecord {
  authorName: string;
  authorUsername: string | null;
  buyTitle: string;
  /** Where the buy was opened: the card goes there. */
  buyChatId: string;
}

/** An admin's private answer to a review (the dashboard's Reviews page). */
export interface ReviewReplyRecord {
  id: number;
  reviewId: number;
  groupId: string;
  authorId: string;
  authorName: string;
  /** Empty once the reviewer or the admin erased their data (/forgetme): the row still says the review was answered. */
  text: string;
  createdAt: Date;
}

export type ReviewPatch = Partial<
  Pick<
    ReviewRecord,
    | 'step' | 'rating' | 'text' | 'media' | 'photoCount' | 'videoSeconds' | 'shareConsent' | 'postedChatId' | 'postedMessageId'
    | 'featuredAt' | 'bestOfMonth' | 'editableUntil' | 'submittedAt'
  >
>;

export interface ReviewStore {
  /** The group's raw `settings.reviews` value (validated by the core), or undefined when never set. */
  getSettings(groupId: string): Promise<unknown>;
  /** Replaces `settings.reviews`, keeping the other features' settings. */
  saveSettings(groupId: string, reviews: unknown): Promise<void>;

  /** Whether the member said `/stop reviews`. */
  isOptedOut(memberId: string): Promise<boolean>;
  setOptedOut(memberId: string, optedOut: boolean): Promise<void>;

  /** Creates the request once per (buy, member); null when it already existed. */
  createRequest(request: { buyId: number; memberId: string; groupId: string; nextAt: Date; at: Date }): Promise<ReviewRequestRecord | null>;
  /** Reads a request; with `lock`, holds its row until the transaction ends (one job run at a time). */
  getRequest(id: number, options?: { lock?: boolean }): Promise<ReviewRequestRecord | null>;
  findRequest(buyId: number, memberId: string): Promise<ReviewRequestRecord | null>;
  updateRequest(id: number, patch: Partial<Pick<ReviewRequestRecord, 'status' | 'nextAt' | 'sentAt' | 'remindersSent'>>): Promise<void>;
  /** Requests that still expect a message (for rescheduling after a crash). */
  listScheduledRequests(): Promise<ReviewRequestRecord[]>;

  getReview(id: number, options?: { lock?: boolean }): Promise<ReviewView | null>;
  findReview(buyId: number, memberId: string): Promise<ReviewRecord | null>;
  /** The review the member is writing in private (step text or media), the most recently touched. */
  findReviewInProgress(memberId: string): Promise<ReviewRecord | null>;
  /** Creates the member's review of a buy; null when one exists already (a concurrent press). */
  createReview(review: { buyId: number; memberId: string; groupId: string; rating: number; step: ReviewStep; editableUntil: Date; at: Date }): Promise<ReviewRecord | null>;
  updateReview(id: number, patch: ReviewPatch, at: Date): Promise<ReviewRecord>;
  /**
   * Stores tags if they are for the review's latest submission (taggedAt older than submittedAt); false when
   * newer tags are stored already, so a retried job does nothing twice.
   */
  saveTags(id: number, tags: ReviewTags, forSubmission: Date, at: Date): Promise<boolean>;

  /** Adds the member's helpful vote, or removes it if present; returns whether they now vote and the new count. */
  toggleVote(reviewId: number, memberId: string, at: Date): Promise<{ voted: boolean; count: number }>;

  /** Submitted reviews of a group, optionally of one buy or submitted within [from, to). Oldest first. */
  listReviews(groupId: string, filter?: { buyId?: number; from?: Date; to?: Date }): Promise<ReviewView[]>;
  /** Reviews of a month already picked as best, in the order they were picked. */
  listBestOfMonth(groupId: string, month: string): Promise<ReviewView[]>;
  /** Members the group made moderators (`/mod`). */
  listModerators(groupId: string): Promise<string[]>;

  /** Stores an admin's answer to a review. */
  addReply(reply: { reviewId: number; groupId: string; authorId: string; text: string; at: Date }): Promise<ReviewReplyRecord>;
  /** The group's answers to reviews, oldest first, with the admins' names. */
  listReplies(groupId: string): Promise<ReviewReplyRecord[]>;
}
