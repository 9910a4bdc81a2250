-- CreateEnum
CREATE TYPE "CrawlerSourceKind" AS ENUM ('DIRECTORY', 'S3', 'WEB');

-- CreateEnum
CREATE TYPE "CrawlerRunStatus" AS ENUM ('QUEUED', 'RUNNING', 'COMPLETED', 'FAILED', 'CANCELLED');

-- CreateEnum
CREATE TYPE "CrawlerRunTrigger" AS ENUM ('MANUAL', 'SCHEDULE');

-- CreateTable
CREATE TABLE "crawlers" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "owner_id" TEXT,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "vector_store_id" UUID,
    "schedule_interval_seconds" INTEGER,
    "metadata" JSONB NOT NULL DEFAULT '{}',
    "source_kind" "CrawlerSourceKind" NOT NULL,
    "source" JSONB NOT NULL,
    "credentials_encrypted" TEXT,
    "next_run_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "crawlers_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "crawler_runs" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "crawler_id" UUID NOT NULL,
    "status" "CrawlerRunStatus" NOT NULL DEFAULT 'QUEUED',
    "trigger" "CrawlerRunTrigger" NOT NULL,
    "discovered" INTEGER NOT NULL DEFAULT 0,
    "created" INTEGER NOT NULL DEFAULT 0,
    "updated" INTEGER NOT NULL DEFAULT 0,
    "unchanged" INTEGER NOT NULL DEFAULT 0,
    "deleted" INTEGER NOT NULL DEFAULT 0,
    "failed" INTEGER NOT NULL DEFAULT 0,
    "current_uri" TEXT,
    "error" TEXT,
    "cancel_requested" BOOLEAN NOT NULL DEFAULT false,
    "lease_token" UUID,
    "lease_expires_at" TIMESTAMPTZ(3),
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "started_at" TIMESTAMPTZ(3),
    "finished_at" TIMESTAMPTZ(3),

    CONSTRAINT "crawler_runs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "crawler_run_errors" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "run_id" UUID NOT NULL,
    "uri" TEXT NOT NULL,
    "message" TEXT NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "crawler_run_errors_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "crawler_items" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "crawler_id" UUID NOT NULL,
    "uri" TEXT NOT NULL,
    "file_id" UUID,
    "fingerprint" TEXT,
    "etag" TEXT,
    "last_modified" TEXT,
    "sha256" TEXT,
    "links" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "last_seen_run_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "crawler_items_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "crawlers_tenant_id_created_at_idx" ON "crawlers"("tenant_id", "created_at");

-- CreateIndex
CREATE INDEX "crawlers_next_run_at_idx" ON "crawlers"("next_run_at");

-- CreateIndex
CREATE INDEX "crawler_runs_crawler_id_created_at_idx" ON "crawler_runs"("crawler_id", "created_at");

-- CreateIndex
CREATE INDEX "crawler_runs_status_lease_expires_at_idx" ON "crawler_runs"("status", "lease_expires_at");

-- CreateIndex
CREATE UNIQUE INDEX "crawler_run_errors_run_id_uri_key" ON "crawler_run_errors"("run_id", "uri");

-- CreateIndex
CREATE INDEX "crawler_items_crawler_id_last_seen_run_id_idx" ON "crawler_items"("crawler_id", "last_seen_run_id");

-- CreateIndex
CREATE INDEX "crawler_items_file_id_idx" ON "crawler_items"("file_id");

-- CreateIndex
CREATE UNIQUE INDEX "crawler_items_crawler_id_uri_key" ON "crawler_items"("crawler_id", "uri");

-- AddForeignKey
ALTER TABLE "crawlers" ADD CONSTRAINT "crawlers_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "crawlers" ADD CONSTRAINT "crawlers_vector_store_id_fkey" FOREIGN KEY ("vector_store_id") REFERENCES "vector_stores"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "crawler_runs" ADD CONSTRAINT "crawler_runs_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "crawler_runs" ADD CONSTRAINT "crawler_runs_crawler_id_fkey" FOREIGN KEY ("crawler_id") REFERENCES "crawlers"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "crawler_run_errors" ADD CONSTRAINT "crawler_run_errors_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "crawler_run_errors" ADD CONSTRAINT "crawler_run_errors_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "crawler_runs"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "crawler_items" ADD CONSTRAINT "crawler_items_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "crawler_items" ADD CONSTRAINT "crawler_items_crawler_id_fkey" FOREIGN KEY ("crawler_id") REFERENCES "crawlers"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "crawler_items" ADD CONSTRAINT "crawler_items_file_id_fkey" FOREIGN KEY ("file_id") REFERENCES "files"("id") ON DELETE SET NULL ON UPDATE CASCADE;
