/** The review feature's Store on Prisma (see core/reviews/review-store.ts). */
import type { ReviewTags } from '../core/llm/review-tags.js';
import type {
  ReviewMedia, ReviewPatch, ReviewRecord, ReviewReplyRecord, ReviewRequestRecord, ReviewRequestStatus, ReviewStep, ReviewStore, ReviewView,
} from '../core/reviews/review-store.js';
import type { Prisma, PrismaClient } from './generated/client.js';
import { readSettingsSection, writeSettingsSection } from './group-settings.js';

type Db = PrismaClient | Prisma.TransactionClient;

interface ReviewRow {
  id: number; buyId: number; memberId: string; groupId: string; step: string; rating: number | null; text: string;
  media: unknown; photoCount: number; videoSeconds: number; shareConsent: boolean; postedChatId: string | null;
  postedMessageId: string | null; featuredAt: Date | null; bestOfMonth: string | null; helpfulVotes: number;
  editableUntil: Date; submittedAt: Date | null; updatedAt: Date; sentiment: string | null; score: number | null;
  aspects: unknown; flags: unknown; language: string | null; tagger: string | null; taggedAt: Date | null;
}

function toMedia(value: unknown): ReviewMedia[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((m: { kind?: unknown; fileId?: unknown; durationSeconds?: unknown }) =>
    (m.kind === 'photo' || m.kind === 'video') && typeof m.fileId === 'string'
      ? [{ kind: m.kind, fileId: m.fileId, ...(typeof m.durationSeconds === 'number' ? { durationSeconds: m.durationSeconds } : {}) }]
      : [],
  );
}

function toReview(row: ReviewRow): ReviewRecord {
  const tags: ReviewTags | null =
    row.taggedAt && row.sentiment && row.tagger
      ? {
          sentiment: row.sentiment as ReviewTags['sentiment'],
          score: row.score ?? 0,
          aspects: (Array.isArray(row.aspects) ? row.aspects : []) as ReviewTags['aspects'],
          flags: (Array.isArray(row.flags) ? row.flags : []) as ReviewTags['flags'],
          language: (row.language ?? 'other') as ReviewTags['language'],
          tagger: row.tagger,
        }
      : null;
  return {
    id: row.id, buyId: row.buyId, memberId: row.memberId, groupId: row.groupId, step: row.step as ReviewStep, rating: row.rating,
    text: row.text, media: toMedia(row.media), photoCount: row.photoCount, videoSeconds: row.videoSeconds, shareConsent: row.shareConsent,
    postedChatId: row.postedChatId, postedMessageId: row.postedMessageId, featuredAt: row.featuredAt, bestOfMonth: row.bestOfMonth,
    helpfulVotes: row.helpfulVotes, editableUntil: row.editableUntil, submittedAt: row.submittedAt, updatedAt: row.updatedAt,
    tags, taggedAt: row.taggedAt,
  };
}

function toRequest(row: { id: number; buyId: number; memberId: string; groupId: string; status: string; nextAt: Date | null; sentAt: Date | null; remindersSent: number }): ReviewRequestRecord {
  return {
    id: row.id, buyId: row.buyId, memberId: row.memberId, groupId: row.groupId, status: row.status as ReviewRequestStatus,
    nextAt: row.nextAt, sentAt: row.sentAt, remindersSent: row.remindersSent,
  };
}

export class PrismaReviewStore implements ReviewStore {
  constructor(protected readonly db: Db) {}

  getSettings(groupId: string): Promise<unknown> {
    return readSettingsSection(this.db, groupId, 'reviews');
  }

  saveSettings(groupId: string, reviews: unknown): Promise<void> {
    return writeSettingsSection(this.db, groupId, 'reviews', reviews);
  }

  async isOptedOut(memberId: string): Promise<boolean> {
    const row = await this.db.member.findUnique({ where: { id: memberId }, select: { reviewsOptOut: true } });
    return row?.reviewsOptOut ?? false;
  }

  async setOptedOut(memberId: string, optedOut: boolean): Promise<void> {
    await this.db.member.update({ where: { id: memberId }, data: { reviewsOptOut: optedOut } });
  }

  async createRequest(r: { buyId: number; memberId: string; groupId: string; nextAt: Date; at: Date }): Promise<ReviewRequestRecord | null> {
    const created = await this.db.reviewRequest.createMany({
      data: [{ buyId: r.buyId, memberId: r.memberId, groupId: r.groupId, nextAt: r.nextAt, createdAt: r.at }],
      skipDuplicates: true,
    });
    if (created.count !== 1) return null;
    return this.findRequest(r.buyId, r.memberId);
  }

  async getRequest(id: number, options: { lock?: boolean } = {}): Promise<ReviewRequestRecord | null> {
    if (options.lock) await this.db.$queryRaw`SELECT "id" FROM "ReviewRequest" WHERE "id" = ${id} FOR UPDATE`;
    const row = await this.db.reviewRequest.findUnique({ where: { id } });
    return row ? toRequest(row) : null;
  }

  async findRequest(buyId: number, memberId: string): Promise<ReviewRequestRecord | null> {
    const row = await this.db.reviewRequest.findUnique({ where: { buyId_memberId: { buyId, memberId } } });
    return row ? toRequest(row) : null;
  }

  async updateRequest(id: number, patch: Partial<Pick<ReviewRequestRecord, 'status' | 'nextAt' | 'sentAt' | 'remindersSent'>>): Promise<void> {
    await this.db.reviewRequest.update({ where: { id }, data: patch });
  }

  async listScheduledRequests(): Promise<ReviewRequestRecord[]> {
    const rows = await this.db.reviewRequest.findMany({ where: { status: { in: ['pending', 'sent'] }, nextAt: { not: null } }, orderBy: { id: 'asc' } });
    return rows.map(toRequest);
  }

  async getReview(id: number, options: { lock?: boolean } = {}): Promise<ReviewView | null> {
    if (options.lock) await this.db.$queryRaw`SELECT "id" FROM "Review" WHERE "id" = ${id} FOR UPDATE`;
    const row = await this.db.review.findUnique({ where: { id } });
    if (!row) return null;
    return (await this.views([row]))[0] ?? null;
  }

  async findReview(buyId: number, memberId: string): Promise<ReviewRecord | null> {
    const row = await this.db.review.findUnique({ where: { buyId_memberId: { buyId, memberId } } });
    return row ? toReview(row) : null;
  }

  async findReviewInProgress(memberId: string): Promise<ReviewRecord | null> {
    const row = await this.db.review.findFirst({ where: { memberId, step: { in: ['text', 'media'] } }, orderBy: { updatedAt: 'desc' } });
    return row ? toReview(row) : null;
  }

  async createReview(r: { buyId: number; memberId: string; groupId: string; rating: number; step: ReviewStep; editableUntil: Date; at: Date }): Promise<ReviewRecord | null> {
    const created = await this.db.review.createMany({
      data: [{ buyId: r.buyId, memberId: r.memberId, groupId: r.groupId, rating: r.rating, step: r.step, editableUntil: r.editableUntil, createdAt: r.at, updatedAt: r.at }],
      skipDuplicates: true,
    });
    if (created.count !== 1) return null;
    return this.findReview(r.buyId, r.memberId);
  }

  async updateReview(id: number, patch: ReviewPatch, at: Date): Promise<ReviewRecord> {
    const { media, ...rest } = patch;
    const row = await this.db.review.update({
      where: { id },
      data: { ...rest, ...(media ? { media: media as unknown as Prisma.InputJsonValue } : {}), updatedAt: at },
    });
    return toReview(row);
  }

  async saveTags(id: number, tags: ReviewTags, forSubmission: Date, at: Date): Promise<boolean> {
    const result = await this.db.review.updateMany({
      where: { id, submittedAt: forSubmission, OR: [{ taggedAt: null }, { taggedAt: { lt: forSubmission } }] },
      data: {
        sentiment: tags.sentiment, score: tags.score, aspects: tags.aspects as unknown as Prisma.InputJsonValue,
        flags: tags.flags as unknown as Prisma.InputJsonValue, language: tags.language, tagger: tags.tagger, taggedAt: at,
      },
    });
    return result.count === 1;
  }

  async toggleVote(reviewId: number, memberId: string, at: Date): Promise<{ voted: boolean; count: number }> {
    await this.db.$queryRaw`SELECT "id" FROM "Review" WHERE "id" = ${reviewId} FOR UPDATE`;
    const removed = await this.db.reviewVote.deleteMany({ where: { reviewId, memberId } });
    if (removed.count === 0) await this.db.reviewVote.create({ data: { reviewId, memberId, createdAt: at } });
    const count = await this.db.reviewVote.count({ where: { reviewId } });
    // The count is a cache of the votes, recomputed rather than incremented so it can never drift.
    await this.db.review.update({ where: { id: reviewId }, data: { helpfulVotes: count } });
    return { voted: removed.count === 0, count };
  }

  async listReviews(groupId: string, filter: { buyId?: number; from?: Date; to?: Date } = {}): Promise<ReviewView[]> {
    const rows = await this.db.review.findMany({
      where: {
        groupId,
        submittedAt: { not: null, ...(filter.from ? { gte: filter.from } : {}), ...(filter.to ? { lt: filter.to } : {}) },
        ...(filter.buyId !== undefined ? { buyId: filter.buyId } : {}),
      },
      orderBy: { submittedAt: 'asc' },
    });
    return this.views(rows);
  }

  async listBestOfMonth(groupId: string, month: string): Promise<ReviewView[]> {
    return this.views(await this.db.review.findMany({ where: { groupId, bestOfMonth: month }, orderBy: { id: 'asc' } }));
  }

  async listModerators(groupId: string): Promise<string[]> {
    const rows = await this.db.groupMember.findMany({ where: { groupId, isModerator: true }, select: { memberId: true }, orderBy: { memberId: 'asc' } });
    return rows.map((r) => r.memberId);
  }

  async addReply(reply: { reviewId: number; groupId: string; authorId: string; text: string; at: Date }): Promise<ReviewReplyRecord> {
    const row = await this.db.reviewReply.create({ data: { reviewId: reply.reviewId, groupId: reply.groupId, authorId: reply.authorId, text: reply.text, createdAt: reply.at } });
    const author = await this.db.member.findUnique({ where: { id: row.authorId }, select: { displayName: true } });
    return { ...row, authorName: author?.displayName ?? row.authorId };
  }

  async listReplies(groupId: string): Promise<ReviewReplyRecord[]> {
    const rows = await this.db.reviewReply.findMany({ where: { groupId }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
    const names = new Map((await this.db.member.findMany({ where: { id: { in: [...new Set(rows.map((r) => r.authorId))] } }, select: { id: true, displayName: true } })).map((m) => [m.id, m.displayName]));
    return rows.map((row) => ({ ...row, authorName: names.get(row.authorId) ?? row.authorId }));
  }

  private async views(rows: ReviewRow[]): Promise<ReviewView[]> {
    if (rows.length === 0) return [];
    const members = await this.db.member.findMany({ where: { id: { in: [...new Set(rows.map((r) => r.memberId))] } } });
    const buys = await this.db.groupBuy.findMany({ where: { id: { in: [...new Set(rows.map((r) => r.buyId))] } }, select: { id: true, title: true, chatId: true } });
    return rows.map((row) => {
      const member = members.find((m) => m.id === row.memberId);
      const buy = buys.find((b) => b.id === row.buyId);
      return {
        ...toReview(row),
        authorName: member?.displayName ?? row.memberId,
        authorUsername: member?.username ?? null,
        buyTitle: buy?.title ?? '',
        buyChatId: buy?.chatId ?? row.groupId,
      };
    });
  }
}
