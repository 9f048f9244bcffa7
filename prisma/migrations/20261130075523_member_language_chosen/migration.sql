-- AlterTable
ALTER TABLE "Member" ADD COLUMN     "languageChosen" BOOLEAN NOT NULL DEFAULT false;

-- Languages stored before this column existed may have been chosen with /lang: keep them as choices, so no one's
-- language changes on upgrade (ADR 014).
UPDATE "Member" SET "languageChosen" = true WHERE "language" IS NOT NULL;
