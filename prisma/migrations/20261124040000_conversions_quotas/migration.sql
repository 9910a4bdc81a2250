-- CreateEnum
CREATE TYPE "ConversionTarget" AS ENUM ('MARKDOWN', 'TEXT', 'HTML', 'JSON');

-- CreateEnum
CREATE TYPE "ConversionStatus" AS ENUM ('QUEUED', 'RUNNING', 'COMPLETED', 'FAILED');

-- AlterTable
ALTER TABLE "tenants" ADD COLUMN     "max_file_bytes" BIGINT,
ADD COLUMN     "max_files" INTEGER,
ADD COLUMN     "max_total_bytes" BIGINT;

-- AlterTable
ALTER TABLE "file_versions" ADD COLUMN     "derived_from_id" UUID,
ADD COLUMN     "detected_mime_type" TEXT;

-- CreateTable
CREATE TABLE "version_texts" (
    "version_id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "text" TEXT NOT NULL,
    "pages" JSONB,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "version_texts_pkey" PRIMARY KEY ("version_id")
);

-- CreateTable
CREATE TABLE "conversions" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "file_id" UUID NOT NULL,
    "source_version_id" UUID NOT NULL,
    "target" "ConversionTarget" NOT NULL,
    "status" "ConversionStatus" NOT NULL DEFAULT 'QUEUED',
    "error" TEXT,
    "error_code" TEXT,
    "result_version_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMPTZ(3),

    CONSTRAINT "conversions_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "conversions_file_id_created_at_idx" ON "conversions"("file_id", "created_at");

-- AddForeignKey
ALTER TABLE "file_versions" ADD CONSTRAINT "file_versions_derived_from_id_fkey" FOREIGN KEY ("derived_from_id") REFERENCES "file_versions"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "version_texts" ADD CONSTRAINT "version_texts_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "version_texts" ADD CONSTRAINT "version_texts_version_id_fkey" FOREIGN KEY ("version_id") REFERENCES "file_versions"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "conversions" ADD CONSTRAINT "conversions_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "conversions" ADD CONSTRAINT "conversions_source_version_id_fkey" FOREIGN KEY ("source_version_id") REFERENCES "file_versions"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "conversions" ADD CONSTRAINT "conversions_result_version_id_fkey" FOREIGN KEY ("result_version_id") REFERENCES "file_versions"("id") ON DELETE SET NULL ON UPDATE CASCADE;
