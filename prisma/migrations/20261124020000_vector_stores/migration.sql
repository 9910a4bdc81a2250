-- CreateEnum
CREATE TYPE "EmbedProvider" AS ENUM ('BUILTIN', 'OPENAI_COMPATIBLE');

-- CreateEnum
CREATE TYPE "Quantization" AS ENUM ('FLOAT32', 'FLOAT16');

-- CreateEnum
CREATE TYPE "IndexingStatus" AS ENUM ('QUEUED', 'IN_PROGRESS', 'COMPLETED', 'FAILED');

-- CreateTable
CREATE TABLE "embed_models" (
    "id" UUID NOT NULL,
    "tenant_id" UUID,
    "name" TEXT NOT NULL,
    "provider" "EmbedProvider" NOT NULL,
    "model" TEXT NOT NULL,
    "base_url" TEXT,
    "dimensions" INTEGER NOT NULL,
    "max_input_tokens" INTEGER NOT NULL,
    "batch_size" INTEGER NOT NULL DEFAULT 64,
    "description" TEXT,
    "api_key_encrypted" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "embed_models_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "vector_stores" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "owner_id" TEXT,
    "embed_model_id" UUID NOT NULL,
    "quantization" "Quantization" NOT NULL DEFAULT 'FLOAT32',
    "chunk_size" INTEGER NOT NULL,
    "chunk_overlap" INTEGER NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "vector_stores_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "vector_store_files" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "vector_store_id" UUID NOT NULL,
    "file_id" UUID NOT NULL,
    "version_id" UUID,
    "target_version_id" UUID NOT NULL,
    "status" "IndexingStatus" NOT NULL DEFAULT 'QUEUED',
    "last_error" TEXT,
    "chunk_count" INTEGER NOT NULL DEFAULT 0,
    "chunk_size" INTEGER NOT NULL,
    "chunk_overlap" INTEGER NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "vector_store_files_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "chunks" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "vector_store_id" UUID NOT NULL,
    "vector_store_file_id" UUID NOT NULL,
    "file_id" UUID NOT NULL,
    "version_id" UUID NOT NULL,
    "chunk_index" INTEGER NOT NULL,
    "text" TEXT NOT NULL,
    "start_offset" INTEGER NOT NULL,
    "end_offset" INTEGER NOT NULL,
    "page" INTEGER,
    "token_count" INTEGER NOT NULL,
    "embedding" vector NOT NULL,
    "tsv" tsvector NOT NULL GENERATED ALWAYS AS (to_tsvector('english', "text")) STORED,

    CONSTRAINT "chunks_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "embed_models_tenant_id_name_key" ON "embed_models"("tenant_id", "name");

-- CreateIndex
CREATE INDEX "vector_stores_tenant_id_created_at_idx" ON "vector_stores"("tenant_id", "created_at");

-- CreateIndex
CREATE INDEX "vector_store_files_file_id_idx" ON "vector_store_files"("file_id");

-- CreateIndex
CREATE UNIQUE INDEX "vector_store_files_vector_store_id_file_id_key" ON "vector_store_files"("vector_store_id", "file_id");

-- CreateIndex
CREATE INDEX "chunks_vector_store_file_id_version_id_idx" ON "chunks"("vector_store_file_id", "version_id");

-- AddForeignKey
ALTER TABLE "embed_models" ADD CONSTRAINT "embed_models_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "vector_stores" ADD CONSTRAINT "vector_stores_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "vector_stores" ADD CONSTRAINT "vector_stores_embed_model_id_fkey" FOREIGN KEY ("embed_model_id") REFERENCES "embed_models"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "vector_store_files" ADD CONSTRAINT "vector_store_files_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "vector_store_files" ADD CONSTRAINT "vector_store_files_vector_store_id_fkey" FOREIGN KEY ("vector_store_id") REFERENCES "vector_stores"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "vector_store_files" ADD CONSTRAINT "vector_store_files_file_id_fkey" FOREIGN KEY ("file_id") REFERENCES "files"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "chunks" ADD CONSTRAINT "chunks_vector_store_file_id_fkey" FOREIGN KEY ("vector_store_file_id") REFERENCES "vector_store_files"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Not expressible in schema.prisma: keyword search index, and the builtin embedding model.
CREATE INDEX "chunks_tsv_idx" ON "chunks" USING GIN ("tsv");
CREATE INDEX "chunks_vector_store_id_idx" ON "chunks" ("vector_store_id");

INSERT INTO "embed_models" ("id", "tenant_id", "name", "provider", "model", "dimensions", "max_input_tokens", "batch_size", "description")
VALUES ('00000000-0000-4000-8000-00000000e384', NULL, 'docstore-lexical-384', 'BUILTIN', 'lexical-hash-v1', 384, 8192, 256,
        'Offline, deterministic lexical embedder: signed feature hashing of words and word bigrams, sublinear TF, L2-normalised. Matches shared vocabulary, not meaning; use a registered model for semantic search.');
