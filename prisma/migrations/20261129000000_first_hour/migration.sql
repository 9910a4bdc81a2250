-- AlterTable
ALTER TABLE "files" ADD COLUMN "source" JSONB;

-- AlterTable
ALTER TABLE "file_versions" ADD COLUMN "source_url" TEXT;

-- Crawlers wrote their provenance into metadata.source, over the user's own `source` key: move it to the new
-- column and give back the crawler's metadata value that it overwrote.
UPDATE "files" f
SET "source" = f."metadata" -> 'source',
    "metadata" = (f."metadata" - 'source') || COALESCE(
      (SELECT jsonb_build_object('source', c."metadata" -> 'source')
         FROM "crawlers" c
        WHERE c."id"::text = f."metadata" -> 'source' ->> 'crawlerId' AND c."metadata" ? 'source'),
      '{}'::jsonb)
WHERE jsonb_typeof(f."metadata" -> 'source') = 'object' AND f."metadata" -> 'source' ? 'crawlerId';

-- AlterTable
ALTER TABLE "crawler_runs" ADD COLUMN "total" INTEGER;
