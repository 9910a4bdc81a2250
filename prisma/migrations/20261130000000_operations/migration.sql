-- Operations and store generations (issue: operations you can watch and undo).
--
-- An operation is one long piece of work with a lifecycle: PENDING → PROCESSING → COMPLETED | FAILED | CANCELLED.
-- The work itself keeps its own statuses (vector_store_files, crawler_runs, conversions point at their operation);
-- an operation's counters are read from them while it runs and frozen when it ends.
CREATE TYPE "OperationType" AS ENUM ('INDEX', 'REINDEX', 'REMOVE_FILES', 'DELETE_STORE', 'CRAWL', 'CONVERT', 'PURGE');
CREATE TYPE "OperationStatus" AS ENUM ('PENDING', 'PROCESSING', 'COMPLETED', 'FAILED', 'CANCELLED');

CREATE TABLE "operations" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "type" "OperationType" NOT NULL,
    "status" "OperationStatus" NOT NULL DEFAULT 'PENDING',
    "vector_store_id" UUID,
    "crawler_id" UUID,
    "file_id" UUID,
    "generation_store_id" UUID,
    "api_key_id" UUID,
    "config" JSONB NOT NULL DEFAULT '{}',
    "result" JSONB,
    "items_total" INTEGER NOT NULL DEFAULT 0,
    "items_done" INTEGER NOT NULL DEFAULT 0,
    "items_failed" INTEGER NOT NULL DEFAULT 0,
    "chunks" INTEGER NOT NULL DEFAULT 0,
    "embedding_tokens" BIGINT NOT NULL DEFAULT 0,
    "error_code" TEXT,
    "error_message" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "heartbeat_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "started_at" TIMESTAMPTZ(3),
    "completed_at" TIMESTAMPTZ(3),
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "operations_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "operations_tenant_id_created_at_idx" ON "operations" ("tenant_id", "created_at");
CREATE INDEX "operations_status_idx" ON "operations" ("status");
ALTER TABLE "operations" ADD CONSTRAINT "operations_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE "vector_store_files" ADD COLUMN "operation_id" UUID;
ALTER TABLE "vector_store_files" ADD COLUMN "embedded_tokens" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "vector_store_files" ADD COLUMN "reused_chunks" INTEGER NOT NULL DEFAULT 0;
CREATE INDEX "vector_store_files_operation_id_idx" ON "vector_store_files" ("operation_id");
ALTER TABLE "crawler_runs" ADD COLUMN "operation_id" UUID;
CREATE INDEX "crawler_runs_operation_id_idx" ON "crawler_runs" ("operation_id");
ALTER TABLE "conversions" ADD COLUMN "operation_id" UUID;
CREATE INDEX "conversions_operation_id_idx" ON "conversions" ("operation_id");

-- Cancelled: an INDEX operation's files it never started.
ALTER TYPE "IndexingStatus" ADD VALUE 'CANCELLED';

-- Generations. A store is a family of vector_stores rows sharing family_id (its public id, the id of its first
-- row). Exactly one serves: its serving_key is the family id (unique), and every API lookup goes through it. A
-- reindex builds a new row (BUILDING) beside it with its own chunks and HNSW index — all of the indexing and search
-- code works on rows unchanged — then swaps serving_key in one transaction; the old row is RETIRED, kept current
-- (file additions and removals go to every generation) until retain_until for rollbacks, then RECLAIMED: its
-- chunks go (the family's first row itself stays: crawlers refer to it).
CREATE TYPE "GenerationState" AS ENUM ('SERVING', 'BUILDING', 'READY', 'RETIRED', 'RECLAIMED');
ALTER TABLE "vector_stores" ADD COLUMN "family_id" UUID;
ALTER TABLE "vector_stores" ADD COLUMN "serving_key" UUID;
UPDATE "vector_stores" SET "family_id" = "id", "serving_key" = "id";
ALTER TABLE "vector_stores" ALTER COLUMN "family_id" SET NOT NULL;
ALTER TABLE "vector_stores" ADD COLUMN "generation" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "vector_stores" ADD COLUMN "generation_state" "GenerationState" NOT NULL DEFAULT 'SERVING';
ALTER TABLE "vector_stores" ADD COLUMN "retain_until" TIMESTAMPTZ(3);
CREATE UNIQUE INDEX "vector_stores_serving_key_key" ON "vector_stores" ("serving_key");
CREATE INDEX "vector_stores_family_id_idx" ON "vector_stores" ("family_id");

-- Cached stores are cached by their public id: any change to a row of the family evicts it.
CREATE OR REPLACE FUNCTION docstore_vector_store_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('docstore_cache', 'store:' || OLD."family_id");
    RETURN NULL;
END $$;
