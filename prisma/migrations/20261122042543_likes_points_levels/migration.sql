-- AlterTable
ALTER TABLE "GroupMember" ADD COLUMN     "excludedFromRounds" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "level" INTEGER NOT NULL DEFAULT 1;

-- CreateTable
CREATE TABLE "Share" (
    "id" SERIAL NOT NULL,
    "groupId" TEXT NOT NULL,
    "chatId" TEXT NOT NULL,
    "memberId" TEXT NOT NULL,
    "buyId" INTEGER,
    "text" TEXT NOT NULL,
    "photoFileId" TEXT,
    "postedChatId" TEXT,
    "postedMessageId" TEXT,
    "likeCount" INTEGER NOT NULL DEFAULT 0,
    "roundId" INTEGER,
    "createdAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Share_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ShareLike" (
    "shareId" INTEGER NOT NULL,
    "likerId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ShareLike_pkey" PRIMARY KEY ("shareId","likerId")
);

-- CreateTable
CREATE TABLE "LikeEvent" (
    "id" SERIAL NOT NULL,
    "shareId" INTEGER NOT NULL,
    "groupId" TEXT NOT NULL,
    "likerId" TEXT NOT NULL,
    "authorId" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "platform" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "LikeEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LikeTask" (
    "id" SERIAL NOT NULL,
    "groupId" TEXT NOT NULL,
    "goalLikes" INTEGER NOT NULL,
    "withinMinutes" INTEGER NOT NULL,
    "rewardPoints" INTEGER NOT NULL,
    "rewardCodes" JSONB NOT NULL DEFAULT '[]',
    "active" BOOLEAN NOT NULL DEFAULT true,
    "createdById" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "endedAt" TIMESTAMP(3),

    CONSTRAINT "LikeTask_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LikeTaskCompletion" (
    "taskId" INTEGER NOT NULL,
    "shareId" INTEGER NOT NULL,
    "memberId" TEXT NOT NULL,
    "rewardCode" TEXT,
    "completedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "LikeTaskCompletion_pkey" PRIMARY KEY ("taskId","shareId")
);

-- CreateTable
CREATE TABLE "LikeRound" (
    "id" SERIAL NOT NULL,
    "groupId" TEXT NOT NULL,
    "chatId" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'open',
    "createdById" TEXT NOT NULL,
    "opensAt" TIMESTAMP(3) NOT NULL,
    "endsAt" TIMESTAMP(3) NOT NULL,
    "listChatId" TEXT,
    "listMessageId" TEXT,
    "closedAt" TIMESTAMP(3),

    CONSTRAINT "LikeRound_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LikeRoundEntry" (
    "roundId" INTEGER NOT NULL,
    "memberId" TEXT NOT NULL,
    "shareId" INTEGER NOT NULL,
    "joinedAt" TIMESTAMP(3) NOT NULL,
    "completed" BOOLEAN,
    "warned" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "LikeRoundEntry_pkey" PRIMARY KEY ("roundId","memberId")
);

-- CreateTable
CREATE TABLE "MemberWarning" (
    "id" SERIAL NOT NULL,
    "groupId" TEXT NOT NULL,
    "memberId" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "reference" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "liftedAt" TIMESTAMP(3),
    "liftedById" TEXT,

    CONSTRAINT "MemberWarning_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CheckIn" (
    "groupId" TEXT NOT NULL,
    "memberId" TEXT NOT NULL,
    "day" TEXT NOT NULL,
    "streak" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "CheckIn_pkey" PRIMARY KEY ("groupId","memberId","day")
);

-- CreateTable
CREATE TABLE "BadgeAward" (
    "groupId" TEXT NOT NULL,
    "memberId" TEXT NOT NULL,
    "badge" TEXT NOT NULL,
    "awardedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "BadgeAward_pkey" PRIMARY KEY ("groupId","memberId","badge")
);

-- CreateIndex
CREATE INDEX "Share_groupId_createdAt_idx" ON "Share"("groupId", "createdAt");

-- CreateIndex
CREATE INDEX "Share_postedChatId_postedMessageId_idx" ON "Share"("postedChatId", "postedMessageId");

-- CreateIndex
CREATE INDEX "Share_memberId_createdAt_idx" ON "Share"("memberId", "createdAt");

-- CreateIndex
CREATE INDEX "ShareLike_likerId_idx" ON "ShareLike"("likerId");

-- CreateIndex
CREATE INDEX "LikeEvent_shareId_createdAt_idx" ON "LikeEvent"("shareId", "createdAt");

-- CreateIndex
CREATE INDEX "LikeEvent_groupId_createdAt_idx" ON "LikeEvent"("groupId", "createdAt");

-- CreateIndex
CREATE INDEX "LikeEvent_likerId_createdAt_idx" ON "LikeEvent"("likerId", "createdAt");

-- CreateIndex
CREATE INDEX "LikeTask_groupId_active_idx" ON "LikeTask"("groupId", "active");

-- CreateIndex
CREATE INDEX "LikeRound_groupId_status_idx" ON "LikeRound"("groupId", "status");

-- CreateIndex
CREATE INDEX "LikeRound_status_endsAt_idx" ON "LikeRound"("status", "endsAt");

-- CreateIndex
CREATE INDEX "MemberWarning_groupId_memberId_idx" ON "MemberWarning"("groupId", "memberId");

-- AddForeignKey
ALTER TABLE "LikeRoundEntry" ADD CONSTRAINT "LikeRoundEntry_roundId_fkey" FOREIGN KEY ("roundId") REFERENCES "LikeRound"("id") ON DELETE CASCADE ON UPDATE CASCADE;
