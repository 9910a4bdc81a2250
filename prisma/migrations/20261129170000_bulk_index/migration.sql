-- Bulk loading without per-row HNSW maintenance (issue: search speed).
--
-- A store's HNSW index covers the chunks of generations up to the store's `hnsw_gen`: it is a partial index
-- `WHERE vector_store_id = '<store>' AND index_gen <= <hnsw_gen>`. Chunks loaded in bulk into an indexed store are
-- written with a later generation, so the index does not maintain its graph for each of them; searches scan those
-- few exactly (by the (vector_store_id, index_gen) index below) next to the index scan, until the store's index is
-- rebuilt (CREATE INDEX CONCURRENTLY, covering the new generation) or they are absorbed into it.
ALTER TABLE "chunks" ADD COLUMN "index_gen" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "vector_stores" ADD COLUMN "hnsw_gen" INTEGER NOT NULL DEFAULT 0;
-- Whether searchable chunks outside the index may exist (set by the swap that makes them searchable, cleared by the
-- maintenance that covers them): searches skip the exact scan of the rest while it is false.
ALTER TABLE "vector_stores" ADD COLUMN "hnsw_uncovered" BOOLEAN NOT NULL DEFAULT false;

DROP INDEX IF EXISTS "chunks_vector_store_id_idx";
CREATE INDEX "chunks_vector_store_id_index_gen_idx" ON "chunks" ("vector_store_id", "index_gen");

-- Existing per-store indexes have no generation in their predicate: they go, and large stores get new ones on their
-- next indexing or search (exact search meanwhile).
DO $$
DECLARE
    r RECORD;
BEGIN
    FOR r IN SELECT "id" FROM "vector_stores" LOOP
        EXECUTE format('DROP INDEX IF EXISTS %I', 'chunks_hnsw_' || replace(r."id"::text, '-', ''));
    END LOOP;
END $$;
UPDATE "vector_stores" SET "hnsw_state" = 'NONE' WHERE "hnsw_state" <> 'NONE';
