-- CreateTable
CREATE TABLE "FlagCaseNotice" (
    "id" SERIAL NOT NULL,
    "caseId" INTEGER NOT NULL,
    "groupId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "accounts" JSONB NOT NULL DEFAULT '[]',
    "at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "FlagCaseNotice_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "FlagCaseNotice_groupId_at_idx" ON "FlagCaseNotice"("groupId", "at");

-- CreateIndex
CREATE INDEX "FlagCaseNotice_caseId_idx" ON "FlagCaseNotice"("caseId");

-- AddForeignKey
ALTER TABLE "FlagCaseNotice" ADD CONSTRAINT "FlagCaseNotice_caseId_fkey" FOREIGN KEY ("caseId") REFERENCES "FlagCase"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Cases alerted before notices were kept: their alert named every account they held then.
INSERT INTO "FlagCaseNotice" ("caseId", "groupId", "kind", "accounts", "at")
SELECT c."id", c."groupId", 'alert', COALESCE((SELECT jsonb_agg(m."memberId" ORDER BY m."memberId") FROM "FlagCaseMember" m WHERE m."caseId" = c."id"), '[]'::jsonb), c."alertedAt"
FROM "FlagCase" c
WHERE c."alertedAt" IS NOT NULL;
