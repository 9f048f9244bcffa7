-- CreateTable
CREATE TABLE "CardLease" (
    "key" TEXT NOT NULL,
    "holder" TEXT,
    "seq" INTEGER NOT NULL DEFAULT 0,
    "leaseUntil" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastEditAt" TIMESTAMPTZ(3),
    "dirty" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "CardLease_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "SendBucket" (
    "key" TEXT NOT NULL,
    "tat" DOUBLE PRECISION NOT NULL,

    CONSTRAINT "SendBucket_pkey" PRIMARY KEY ("key")
);
