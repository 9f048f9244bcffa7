-- CreateTable
CREATE TABLE "Erasure" (
    "id" SERIAL NOT NULL,
    "anonymousId" TEXT NOT NULL,
    "requestedBy" TEXT NOT NULL,
    "actorId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Erasure_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Erasure_anonymousId_key" ON "Erasure"("anonymousId");
