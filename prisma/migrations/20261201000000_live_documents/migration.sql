-- Live collaborative documents (issue: live documents).
--
-- A LIVE file is an Automerge document synced over WebSocket. Its changes live in object storage as an ordered
-- series of chunks (t/<tenant>/live/<file>/<seq>); the row here holds the chunk counter, the single-writer lease
-- with its fencing token, and the auto-snapshot setting. Snapshots are ordinary file versions.
CREATE TYPE "FileKind" AS ENUM ('BLOB', 'LIVE');
ALTER TABLE "files" ADD COLUMN "kind" "FileKind" NOT NULL DEFAULT 'BLOB';

CREATE TYPE "LiveSnapshotFormat" AS ENUM ('JSON', 'MARKDOWN');

CREATE TABLE "live_documents" (
    "file_id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "document_id" TEXT NOT NULL,
    "auto_snapshot_seconds" INTEGER,
    "snapshot_format" "LiveSnapshotFormat" NOT NULL DEFAULT 'MARKDOWN',
    "max_bytes" BIGINT,
    -- Bumped (fenced by lease_token) for every chunk written: chunk keys sort in write order.
    "chunk_seq" BIGINT NOT NULL DEFAULT 0,
    -- One writing process at a time: lease_owner until lease_expires_at; lease_token grows with every new owner.
    "lease_owner" TEXT,
    "lease_token" BIGINT NOT NULL DEFAULT 0,
    "lease_expires_at" TIMESTAMPTZ(3),
    -- Where other processes reach the owner's sync endpoint (they relay their clients to it).
    "owner_url" TEXT,
    "heads" JSONB NOT NULL DEFAULT '[]',
    "stored_bytes" BIGINT NOT NULL DEFAULT 0,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "live_documents_pkey" PRIMARY KEY ("file_id")
);
CREATE UNIQUE INDEX "live_documents_document_id_key" ON "live_documents"("document_id");
CREATE INDEX "live_documents_tenant_id_idx" ON "live_documents"("tenant_id");
ALTER TABLE "live_documents" ADD CONSTRAINT "live_documents_file_id_fkey" FOREIGN KEY ("file_id") REFERENCES "files"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "live_documents" ADD CONSTRAINT "live_documents_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Single-use, short-lived tickets for the sync endpoint (browsers cannot set headers on WebSockets; keys never go
-- into URLs). Only the SHA-256 of a ticket is kept.
CREATE TABLE "live_tickets" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "api_key_id" UUID,
    "token_hash" TEXT NOT NULL,
    "file_ids" UUID[],
    "read_only" BOOLEAN NOT NULL DEFAULT false,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "used_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "live_tickets_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "live_tickets_token_hash_key" ON "live_tickets"("token_hash");
CREATE INDEX "live_tickets_expires_at_idx" ON "live_tickets"("expires_at");
ALTER TABLE "live_tickets" ADD CONSTRAINT "live_tickets_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;
