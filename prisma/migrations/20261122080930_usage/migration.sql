-- CreateTable
CREATE TABLE "UsageEvent" (
    "id" BIGSERIAL NOT NULL,
    "keyId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "ts" TIMESTAMPTZ(3) NOT NULL,
    "route" TEXT NOT NULL,
    "method" TEXT NOT NULL,
    "status" INTEGER NOT NULL,
    "outcome" TEXT NOT NULL,
    "ip" TEXT,
    "latencyMs" DOUBLE PRECISION NOT NULL,

    CONSTRAINT "UsageEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "UsageRollup" (
    "granularity" TEXT NOT NULL,
    "bucket" TIMESTAMPTZ(3) NOT NULL,
    "keyId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "outcome" TEXT NOT NULL,
    "count" INTEGER NOT NULL,
    "latencySum" DOUBLE PRECISION NOT NULL,

    CONSTRAINT "UsageRollup_pkey" PRIMARY KEY ("granularity","bucket","keyId","outcome")
);

-- CreateIndex
CREATE INDEX "UsageEvent_ts_idx" ON "UsageEvent"("ts");

-- CreateIndex
CREATE INDEX "UsageEvent_keyId_ts_idx" ON "UsageEvent"("keyId", "ts");

-- CreateIndex
CREATE INDEX "UsageEvent_userId_ts_idx" ON "UsageEvent"("userId", "ts");

-- CreateIndex
CREATE INDEX "UsageRollup_userId_granularity_bucket_idx" ON "UsageRollup"("userId", "granularity", "bucket");

-- CreateIndex
CREATE INDEX "UsageRollup_granularity_bucket_idx" ON "UsageRollup"("granularity", "bucket");
