-- Scoped API keys: what a key may do, which vector stores it sees, when it expires. Existing keys keep every scope.
-- Lists without NOT NULL, as Prisma creates scalar lists (test/migrations.test.ts compares).
CREATE TYPE "ApiScope" AS ENUM ('FILES_READ', 'FILES_WRITE', 'SEARCH', 'STORES_ADMIN', 'CRAWLERS_ADMIN', 'KEYS_ADMIN', 'AUDIT_READ');

ALTER TABLE "api_keys"
    ADD COLUMN "scopes" "ApiScope"[] DEFAULT ARRAY['FILES_READ', 'FILES_WRITE', 'SEARCH', 'STORES_ADMIN', 'CRAWLERS_ADMIN', 'KEYS_ADMIN', 'AUDIT_READ']::"ApiScope"[],
    ADD COLUMN "vector_store_ids" UUID[] DEFAULT ARRAY[]::UUID[],
    ADD COLUMN "expires_at" TIMESTAMPTZ(3);
