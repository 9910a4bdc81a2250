-- Per-store resource limits: at most max_files files, at most max_bytes bytes of their indexed versions.
ALTER TABLE "vector_stores" ADD COLUMN "max_files" INTEGER, ADD COLUMN "max_bytes" BIGINT;
