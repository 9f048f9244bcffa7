-- AlterTable
ALTER TABLE "GroupBuy" ADD COLUMN     "closingSoonSentAt" TIMESTAMP(3),
ADD COLUMN     "fewLeftSentAt" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "Confirmation" (
    "id" SERIAL NOT NULL,
    "groupId" TEXT NOT NULL,
    "chatId" TEXT NOT NULL,
    "memberId" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "data" JSONB NOT NULL DEFAULT '{}',
    "createdAt" TIMESTAMP(3) NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "answeredAt" TIMESTAMP(3),

    CONSTRAINT "Confirmation_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Confirmation_groupId_createdAt_idx" ON "Confirmation"("groupId", "createdAt");
