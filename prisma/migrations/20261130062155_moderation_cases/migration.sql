-- CreateTable
CREATE TABLE "FlagCase" (
    "id" SERIAL NOT NULL,
    "groupId" TEXT NOT NULL,
    "chatId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'open',
    "evidenceKey" TEXT NOT NULL,
    "evidence" JSONB NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "alertedAt" TIMESTAMP(3),
    "handledById" TEXT,
    "handledAt" TIMESTAMP(3),

    CONSTRAINT "FlagCase_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "FlagCaseMember" (
    "caseId" INTEGER NOT NULL,
    "memberId" TEXT NOT NULL,
    "score" DOUBLE PRECISION NOT NULL,
    "reasons" JSONB NOT NULL DEFAULT '[]',
    "liftedAt" TIMESTAMP(3),

    CONSTRAINT "FlagCaseMember_pkey" PRIMARY KEY ("caseId","memberId")
);

-- CreateIndex
CREATE INDEX "FlagCase_groupId_status_idx" ON "FlagCase"("groupId", "status");

-- CreateIndex
CREATE INDEX "FlagCase_groupId_alertedAt_idx" ON "FlagCase"("groupId", "alertedAt");

-- CreateIndex
CREATE UNIQUE INDEX "FlagCase_groupId_evidenceKey_key" ON "FlagCase"("groupId", "evidenceKey");

-- CreateIndex
CREATE INDEX "FlagCaseMember_memberId_idx" ON "FlagCaseMember"("memberId");

-- AddForeignKey
ALTER TABLE "FlagCaseMember" ADD CONSTRAINT "FlagCaseMember_caseId_fkey" FOREIGN KEY ("caseId") REFERENCES "FlagCase"("id") ON DELETE CASCADE ON UPDATE CASCADE;
