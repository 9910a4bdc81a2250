-- The audit log: one row per mutation or admin action (actor, action, target ids, outcome, request id, client).
CREATE TABLE "audit_log" (
    "id" UUID NOT NULL,
    "tenant_id" UUID,
    "actor_kind" TEXT NOT NULL,
    "actor_id" UUID,
    "action" TEXT NOT NULL,
    "target_ids" UUID[] DEFAULT ARRAY[]::UUID[],
    "outcome" TEXT NOT NULL,
    "request_id" TEXT NOT NULL,
    "client_ip" TEXT,
    "user_agent" TEXT,
    "in_effect_transaction" BOOLEAN NOT NULL DEFAULT false,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "audit_log_pkey" PRIMARY KEY ("id")
);

CREATE INDEX "audit_log_tenant_id_created_at_idx" ON "audit_log"("tenant_id", "created_at");
CREATE INDEX "audit_log_created_at_idx" ON "audit_log"("created_at");
-- Entries naming an id: auditLog(filter: { targetId }).
CREATE INDEX "audit_log_target_ids_idx" ON "audit_log" USING GIN ("target_ids");

ALTER TABLE "audit_log" ADD CONSTRAINT "audit_log_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;
