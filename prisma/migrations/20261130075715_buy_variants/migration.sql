-- AlterTable
ALTER TABLE "GroupBuy" ADD COLUMN     "description" TEXT,
ADD COLUMN     "photoFileId" TEXT,
ADD COLUMN     "variants" JSONB NOT NULL DEFAULT '[]';

-- AlterTable
ALTER TABLE "SignUp" ADD COLUMN     "note" TEXT,
ADD COLUMN     "variant" TEXT;

-- CreateIndex
CREATE INDEX "GroupBuy_cardChatId_cardMessageId_idx" ON "GroupBuy"("cardChatId", "cardMessageId");
