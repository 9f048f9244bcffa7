-- AlterTable
ALTER TABLE "GroupBuy" ADD COLUMN     "photoChatId" TEXT,
ADD COLUMN     "photoMessageId" TEXT;
