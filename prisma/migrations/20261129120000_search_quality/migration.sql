-- Search quality: Okapi BM25 with per-store statistics, a per-store text-search language, per-store HNSW settings
-- with the index built only once a store is large enough (exact search below that).

-- CreateEnum
CREATE TYPE "HnswState" AS ENUM ('NONE', 'BUILDING', 'READY');

-- AlterTable
ALTER TABLE "vector_stores"
    ADD COLUMN "language" TEXT NOT NULL DEFAULT 'english',
    ADD COLUMN "bm25_k1" DOUBLE PRECISION NOT NULL DEFAULT 1.2,
    ADD COLUMN "bm25_b" DOUBLE PRECISION NOT NULL DEFAULT 0.75,
    ADD COLUMN "hnsw_m" INTEGER NOT NULL DEFAULT 32,
    ADD COLUMN "hnsw_ef_construction" INTEGER NOT NULL DEFAULT 128,
    ADD COLUMN "hnsw_ef_search" INTEGER,
    ADD COLUMN "hnsw_state" "HnswState" NOT NULL DEFAULT 'NONE',
    ADD COLUMN "hnsw_tuned_ef_search" INTEGER,
    ADD COLUMN "hnsw_tuned_recall" DOUBLE PRECISION,
    ADD COLUMN "hnsw_tuned_chunks" INTEGER;

-- CreateTable
CREATE TABLE "vector_store_stats" (
    "vector_store_id" UUID NOT NULL,
    "chunks" INTEGER NOT NULL DEFAULT 0,
    "terms" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "vector_store_stats_pkey" PRIMARY KEY ("vector_store_id")
);

-- CreateTable
CREATE TABLE "vector_store_terms" (
    "vector_store_id" UUID NOT NULL,
    "term" TEXT NOT NULL,
    "df" INTEGER NOT NULL,

    CONSTRAINT "vector_store_terms_pkey" PRIMARY KEY ("vector_store_id","term")
);

-- AlterTable: the lexemes are now computed in the store's language (a trigger below), not always in English.
ALTER TABLE "chunks" ALTER COLUMN "tsv" DROP EXPRESSION;
ALTER TABLE "chunks" ADD COLUMN "term_count" INTEGER NOT NULL DEFAULT 0;
UPDATE "chunks" SET "term_count" = (SELECT coalesce(sum(cardinality(u.positions)), 0) FROM unnest("tsv") u);

-- Not expressible in schema.prisma: the functions and triggers that keep BM25 statistics.

-- A chunk's lexemes (stemmed, stop words removed, in its store's language) and their count, however it is written
-- (binary COPY included).
CREATE FUNCTION docstore_chunk_lexemes() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    cfg regconfig;
BEGIN
    SELECT s."language"::regconfig INTO cfg FROM "vector_stores" s WHERE s."id" = NEW."vector_store_id";
    NEW."tsv" := to_tsvector(coalesce(cfg, 'english'::regconfig), NEW."text");
    NEW."term_count" := (SELECT coalesce(sum(cardinality(u.positions)), 0) FROM unnest(NEW."tsv") u);
    RETURN NEW;
END $$;

CREATE TRIGGER "chunks_lexemes" BEFORE INSERT ON "chunks"
    FOR EACH ROW EXECUTE FUNCTION docstore_chunk_lexemes();

-- Adds (sign 1) or removes (sign -1) the searchable chunks of one store file's version to / from its store's
-- statistics. The statistics row is updated first: it serialises concurrent changes of one store's statistics, and
-- term rows are then taken in lexeme order, so two changes never wait on each other in a cycle.
CREATE FUNCTION docstore_apply_chunk_stats(store UUID, entry UUID, version UUID, sign INTEGER) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    n INTEGER;
    total BIGINT;
    lexemes TEXT[];
    counts INTEGER[];
BEGIN
    IF NOT EXISTS (SELECT 1 FROM "vector_stores" WHERE "id" = store) THEN
        RETURN; -- the store itself is being deleted: its statistics go with it
    END IF;
    SELECT count(*), coalesce(sum(c."term_count"), 0) INTO n, total
      FROM "chunks" c WHERE c."vector_store_file_id" = entry AND c."version_id" = version;
    INSERT INTO "vector_store_stats" AS t ("vector_store_id", "chunks", "terms")
         VALUES (store, sign * n, sign * total)
    ON CONFLICT ("vector_store_id") DO UPDATE SET "chunks" = t."chunks" + excluded."chunks", "terms" = t."terms" + excluded."terms";
    IF n = 0 THEN
        RETURN;
    END IF;
    -- The chunks' lexemes, counted once, in lexeme order.
    SELECT array_agg(lexeme ORDER BY lexeme), array_agg(df ORDER BY lexeme) INTO lexemes, counts
      FROM (SELECT u.lexeme, count(*)::integer AS df
              FROM "chunks" c CROSS JOIN LATERAL unnest(c."tsv") u
             WHERE c."vector_store_file_id" = entry AND c."version_id" = version
             GROUP BY u.lexeme) d;
    INSERT INTO "vector_store_terms" AS t ("vector_store_id", "term", "df")
    SELECT store, d.term, sign * d.df FROM unnest(lexemes, counts) WITH ORDINALITY AS d(term, df, i) ORDER BY d.i
    ON CONFLICT ("vector_store_id", "term") DO UPDATE SET "df" = t."df" + excluded."df";
    IF sign < 0 THEN
        DELETE FROM "vector_store_terms" t WHERE t."vector_store_id" = store AND t."term" = ANY(lexemes) AND t."df" <= 0;
    END IF;
END $$;

-- A store file's searchable version is the one its `version_id` names: statistics follow that column, and a
-- deleted entry (removed from the store, file deleted, cascades) takes its chunks out of them.
CREATE FUNCTION docstore_vector_store_file_stats() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        IF NEW."version_id" IS NOT NULL THEN
            PERFORM docstore_apply_chunk_stats(NEW."vector_store_id", NEW."id", NEW."version_id", 1);
        END IF;
        RETURN NEW;
    END IF;
    IF TG_OP = 'DELETE' THEN
        IF OLD."version_id" IS NOT NULL THEN
            PERFORM docstore_apply_chunk_stats(OLD."vector_store_id", OLD."id", OLD."version_id", -1);
        END IF;
        RETURN OLD;
    END IF;
    IF NEW."version_id" IS DISTINCT FROM OLD."version_id" THEN
        IF OLD."version_id" IS NOT NULL THEN
            PERFORM docstore_apply_chunk_stats(OLD."vector_store_id", OLD."id", OLD."version_id", -1);
        END IF;
        IF NEW."version_id" IS NOT NULL THEN
            PERFORM docstore_apply_chunk_stats(NEW."vector_store_id", NEW."id", NEW."version_id", 1);
        END IF;
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER "vector_store_files_stats" BEFORE UPDATE OF "version_id" OR DELETE ON "vector_store_files"
    FOR EACH ROW EXECUTE FUNCTION docstore_vector_store_file_stats();
CREATE TRIGGER "vector_store_files_stats_insert" AFTER INSERT ON "vector_store_files"
    FOR EACH ROW EXECUTE FUNCTION docstore_vector_store_file_stats();

-- A deleted store's statistics (no foreign keys on them: a key-share lock on the store row from every statistics
-- write would make a store's deletion and its files' indexing wait on each other in a cycle).
CREATE FUNCTION docstore_vector_store_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM "vector_store_terms" WHERE "vector_store_id" = OLD."id";
    DELETE FROM "vector_store_stats" WHERE "vector_store_id" = OLD."id";
    RETURN OLD;
END $$;

CREATE TRIGGER "vector_stores_deleted" AFTER DELETE ON "vector_stores"
    FOR EACH ROW EXECUTE FUNCTION docstore_vector_store_deleted();

-- Statistics of what is searchable today.
INSERT INTO "vector_store_stats" ("vector_store_id", "chunks", "terms")
SELECT v."id", count(c."id"), coalesce(sum(c."term_count"), 0)
  FROM "vector_stores" v
  LEFT JOIN "vector_store_files" s ON s."vector_store_id" = v."id"
  LEFT JOIN "chunks" c ON c."vector_store_file_id" = s."id" AND c."version_id" = s."version_id"
 GROUP BY v."id";

INSERT INTO "vector_store_terms" ("vector_store_id", "term", "df")
SELECT c."vector_store_id", u.lexeme, count(*)
  FROM "chunks" c
  JOIN "vector_store_files" s ON s."id" = c."vector_store_file_id" AND s."version_id" = c."version_id"
  CROSS JOIN LATERAL unnest(c."tsv") u
 GROUP BY c."vector_store_id", u.lexeme;

-- Per-store HNSW indexes used to be created with each store; now they are built once a store is large enough
-- (a job does it, and tunes ef_search). Existing ones are dropped; large stores get theirs back on their next search.
DO $$
DECLARE
    r RECORD;
BEGIN
    FOR r IN SELECT "id" FROM "vector_stores" LOOP
        EXECUTE format('DROP INDEX IF EXISTS %I', 'chunks_hnsw_' || replace(r."id"::text, '-', ''));
    END LOOP;
END $$;
