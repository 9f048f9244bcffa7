-- AlterTable
ALTER TABLE "ChurnDigestSubscription" ADD COLUMN     "lastSentFor" TIMESTAMP(3);
