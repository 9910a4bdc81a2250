// SQL of the event log (per-tenant cursor) and of webhook deliveries (claimed with SKIP LOCKED).
import type { PrismaClient } from '../../generated/prisma/client.js';

export interface EventRow {
  seq: bigint;
  type: string;
  data: unknown;
  createdAt: Date;
}

/**
 * Appends an event: its number is the tenant's next (the tenant row's lock orders appends, so numbers commit in
 * order), webhook deliveries are fanned out by the trigger, and listeners are woken (NOTIFY at commit).
 */
export async function append(db: PrismaClient, tenantId: string, type: string, data: unknown): Promise<bigint | undefined> {
  const rows = await db.$queryRaw<{ seq: bigint }[]>`
    WITH next AS (
      UPDATE tenants SET event_seq = event_seq + 1 WHERE id = ${tenantId}::uuid RETURNING id, event_seq
    ), appended AS (
      INSERT INTO events (tenant_id, seq, type, data)
      SELECT id, event_seq, ${type}, ${JSON.stringify(data)}::jsonb FROM next
      RETURNING tenant_id, seq
    )
    SELECT a.seq FROM appended a,
           LATERAL (SELECT pg_notify('docstore_events', json_build_object('tenantId', a.tenant_id, 'seq', a.seq::text)::text)) AS woken`;
  return rows[0]?.seq;
}

/** Events after `seq`, oldest first. */
export async function eventsAfter(db: PrismaClient, tenantId: string, seq: bigint, limit: number, types?: string[]): Promise<EventRow[]> {
  const filtered = types && types.length > 0;
  return db.$queryRaw<EventRow[]>`
    SELECT seq, type, data, created_at AS "createdAt" FROM events
     WHERE tenant_id = ${tenantId}::uuid AND seq > ${seq} AND (${!filtered} OR type = ANY(${types ?? []}::text[]))
     ORDER BY seq LIMIT ${limit}`;
}

/** Events past their retention go (their deliveries stay in the log). */
export async function deleteEventsBefore(db: PrismaClient, before: Date): Promise<number> {
  return db.$executeRaw`DELETE FROM events WHERE created_at < ${before}`;
}

export interface DueDelivery {
  id: string;
  webhookId: string;
  tenantId: string;
  eventSeq: bigint;
  eventType: string;
  attempts: number;
  createdAt: Date;
  url: string;
  secretEncrypted: string;
  data: unknown;
  occurredAt: Date | null;
}

/**
 * Takes up to `limit` deliveries that are due, for `leaseSeconds` (another process takes them again after that if
 * this one dies mid-request), counting the attempt.
 */
export async function claimDue(db: PrismaClient, limit: number, leaseSeconds: number): Promise<DueDelivery[]> {
  return db.$queryRaw<DueDelivery[]>`
    WITH due AS (
      SELECT id FROM webhook_deliveries
       WHERE status = 'PENDING' AND next_attempt_at <= now()
       ORDER BY next_attempt_at, event_seq
       LIMIT ${limit}
       FOR UPDATE SKIP LOCKED
    ), claimed AS (
      UPDATE webhook_deliveries d
         SET attempts = d.attempts + 1, last_attempt_at = now(),
             next_attempt_at = now() + make_interval(secs => ${leaseSeconds}::int)
        FROM due WHERE d.id = due.id
      RETURNING d.*
    )
    SELECT c.id::text AS id, c.webhook_id::text AS "webhookId", c.tenant_id::text AS "tenantId", c.event_seq AS "eventSeq",
           c.event_type AS "eventType", c.attempts, c.created_at AS "createdAt", w.url, w.secret_encrypted AS "secretEncrypted",
           e.data, e.created_at AS "occurredAt"
      FROM claimed c
      JOIN webhooks w ON w.id = c.webhook_id
      LEFT JOIN events e ON e.tenant_id = c.tenant_id AND e.seq = c.event_seq`;
}

export async function markDelivered(db: PrismaClient, id: string, statusCode: number): Promise<void> {
  await db.$executeRaw`
    UPDATE webhook_deliveries SET status = 'DELIVERED', delivered_at = now(), last_status_code = ${statusCode}, last_error = NULL
     WHERE id = ${id}::uuid`;
}

/** A failed attempt: tried again at `retryAt`, or FAILED when there is none. */
export async function markAttemptFailed(db: PrismaClient, id: string, outcome: { statusCode: number | null; error: string; retryAt: Date | null }): Promise<void> {
  await db.$executeRaw`
    UPDATE webhook_deliveries
       SET last_status_code = ${outcome.statusCode}, last_error = ${outcome.error.slice(0, 500)},
           status = CASE WHEN ${outcome.retryAt}::timestamptz IS NULL THEN 'FAILED'::"WebhookDeliveryStatus" ELSE status END,
           next_attempt_at = COALESCE(${outcome.retryAt}::timestamptz, next_attempt_at)
     WHERE id = ${id}::uuid`;
}
