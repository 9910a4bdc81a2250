-- Trash: a deleted file stays restorable (bytes, versions, texts kept) until purged; it remembers the vector stores it
-- was in so that restoring re-adds it.
ALTER TABLE "files" ADD COLUMN "trashed_stores" JSONB;

-- The purge sweep: trashed files by age.
CREATE INDEX "files_deleted_at_idx" ON "files"("deleted_at");

-- Files deleted before the trash existed had their bytes released at once: they cannot be restored, so they go now
-- (their versions, texts and conversions with them), as their deletion meant then.
DELETE FROM "files" WHERE "deleted_at" IS NOT NULL;
