-- Coordination between processes (ADR 022), not data: UNLOGGED skips the write-ahead log, so each statement commits
-- without waiting for a disk flush. After a server crash (or on a standby) the tables start empty, which means no
-- lease held and full send budgets: harmless.

-- CreateTable
CREATE UNLOGGED TABLE "CardLease" (
    "key" TEXT NOT NULL,
    "holder" TEXT,
    "seq" INTEGER NOT NULL DEFAULT 0,
    "leaseUntil" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastEditAt" TIMESTAMPTZ(3),
    "dirty" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "CardLease_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE UNLOGGED TABLE "SendBucket" (
    "key" TEXT NOT NULL,
    "tat" DOUBLE PRECISION NOT NULL,

    CONSTRAINT "SendBucket_pkey" PRIMARY KEY ("key")
);
