-- AlterTable
ALTER TABLE "GroupBuy" ADD COLUMN     "productKey" TEXT;

-- AlterTable
ALTER TABLE "GroupMember" ADD COLUMN     "leftAt" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "Product" (
    "groupId" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "unitDays" DOUBLE PRECISION,
    "consumable" BOOLEAN NOT NULL DEFAULT true,
    "leadDays" INTEGER,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Product_pkey" PRIMARY KEY ("groupId","key")
);

-- CreateTable
CREATE TABLE "ReminderPlan" (
    "id" SERIAL NOT NULL,
    "memberId" TEXT NOT NULL,
    "productKey" TEXT NOT NULL,
    "groupId" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "dueAt" TIMESTAMP(3),
    "nextOrderAt" TIMESTAMP(3),
    "elsewhereAt" TIMESTAMP(3),
    "sentAt" TIMESTAMP(3),
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ReminderPlan_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ReminderOptOut" (
    "memberId" TEXT NOT NULL,
    "productKey" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ReminderOptOut_pkey" PRIMARY KEY ("memberId","productKey")
);

-- CreateTable
CREATE TABLE "ChurnDigestSubscription" (
    "groupId" TEXT NOT NULL,
    "memberId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ChurnDigestSubscription_pkey" PRIMARY KEY ("groupId","memberId")
);

-- CreateIndex
CREATE INDEX "ReminderPlan_groupId_productKey_status_idx" ON "ReminderPlan"("groupId", "productKey", "status");

-- CreateIndex
CREATE INDEX "ReminderPlan_status_dueAt_idx" ON "ReminderPlan"("status", "dueAt");

-- CreateIndex
CREATE UNIQUE INDEX "ReminderPlan_memberId_productKey_key" ON "ReminderPlan"("memberId", "productKey");

-- CreateIndex
CREATE INDEX "GroupBuy_groupId_productKey_status_idx" ON "GroupBuy"("groupId", "productKey", "status");
