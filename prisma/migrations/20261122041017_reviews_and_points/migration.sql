-- CreateEnum
CREATE TYPE "ReviewRequestStatus" AS ENUM ('pending', 'sent', 'reviewed', 'opted_out', 'expired');

-- AlterTable
ALTER TABLE "Member" ADD COLUMN     "reviewsOptOut" BOOLEAN NOT NULL DEFAULT false;

-- CreateTable
CREATE TABLE "PointEntry" (
    "id" SERIAL NOT NULL,
    "groupId" TEXT NOT NULL,
    "memberId" TEXT NOT NULL,
    "amount" INTEGER NOT NULL,
    "reason" TEXT NOT NULL,
    "reference" TEXT,
    "actorId" TEXT,
    "note" TEXT,
    "key" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PointEntry_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ReviewRequest" (
    "id" SERIAL NOT NULL,
    "buyId" INTEGER NOT NULL,
    "memberId" TEXT NOT NULL,
    "groupId" TEXT NOT NULL,
    "status" "ReviewRequestStatus" NOT NULL DEFAULT 'pending',
    "nextAt" TIMESTAMP(3),
    "sentAt" TIMESTAMP(3),
    "remindersSent" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ReviewRequest_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Review" (
    "id" SERIAL NOT NULL,
    "buyId" INTEGER NOT NULL,
    "memberId" TEXT NOT NULL,
    "groupId" TEXT NOT NULL,
    "step" TEXT NOT NULL DEFAULT 'done',
    "rating" INTEGER,
    "text" TEXT NOT NULL DEFAULT '',
    "media" JSONB NOT NULL DEFAULT '[]',
    "photoCount" INTEGER NOT NULL DEFAULT 0,
    "videoSeconds" INTEGER NOT NULL DEFAULT 0,
    "shareConsent" BOOLEAN NOT NULL DEFAULT false,
    "postedChatId" TEXT,
    "postedMessageId" TEXT,
    "featuredAt" TIMESTAMP(3),
    "bestOfMonth" TEXT,
    "helpfulVotes" INTEGER NOT NULL DEFAULT 0,
    "editableUntil" TIMESTAMP(3) NOT NULL,
    "submittedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "sentiment" TEXT,
    "score" DOUBLE PRECISION,
    "aspects" JSONB NOT NULL DEFAULT '[]',
    "flags" JSONB NOT NULL DEFAULT '[]',
    "language" TEXT,
    "tagger" TEXT,
    "taggedAt" TIMESTAMP(3),

    CONSTRAINT "Review_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ReviewVote" (
    "reviewId" INTEGER NOT NULL,
    "memberId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ReviewVote_pkey" PRIMARY KEY ("reviewId","memberId")
);

-- CreateTable
CREATE TABLE "OutboundMessage" (
    "id" SERIAL NOT NULL,
    "memberId" TEXT NOT NULL,
    "groupId" TEXT,
    "kind" TEXT NOT NULL,
    "sentAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "OutboundMessage_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ReviewTagCache" (
    "key" TEXT NOT NULL,
    "tagger" TEXT NOT NULL,
    "tags" JSONB NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ReviewTagCache_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "LlmCall" (
    "id" SERIAL NOT NULL,
    "purpose" TEXT NOT NULL,
    "model" TEXT NOT NULL,
    "promptTokens" INTEGER NOT NULL DEFAULT 0,
    "completionTokens" INTEGER NOT NULL DEFAULT 0,
    "totalTokens" INTEGER NOT NULL DEFAULT 0,
    "durationMs" INTEGER NOT NULL,
    "ok" BOOLEAN NOT NULL,
    "error" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "LlmCall_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "PointEntry_key_key" ON "PointEntry"("key");

-- CreateIndex
CREATE INDEX "PointEntry_groupId_memberId_createdAt_idx" ON "PointEntry"("groupId", "memberId", "createdAt");

-- CreateIndex
CREATE INDEX "PointEntry_groupId_createdAt_idx" ON "PointEntry"("groupId", "createdAt");

-- CreateIndex
CREATE INDEX "ReviewRequest_status_nextAt_idx" ON "ReviewRequest"("status", "nextAt");

-- CreateIndex
CREATE UNIQUE INDEX "ReviewRequest_buyId_memberId_key" ON "ReviewRequest"("buyId", "memberId");

-- CreateIndex
CREATE INDEX "Review_groupId_submittedAt_idx" ON "Review"("groupId", "submittedAt");

-- CreateIndex
CREATE UNIQUE INDEX "Review_buyId_memberId_key" ON "Review"("buyId", "memberId");

-- CreateIndex
CREATE INDEX "OutboundMessage_memberId_kind_sentAt_idx" ON "OutboundMessage"("memberId", "kind", "sentAt");

-- CreateIndex
CREATE INDEX "LlmCall_createdAt_idx" ON "LlmCall"("createdAt");

-- AddForeignKey
ALTER TABLE "ReviewVote" ADD CONSTRAINT "ReviewVote_reviewId_fkey" FOREIGN KEY ("reviewId") REFERENCES "Review"("id") ON DELETE CASCADE ON UPDATE CASCADE;
