// Raw SQL for crawler runs: leases and scheduling need the database's clock and row locks Prisma cannot express.
import type { Prisma, PrismaClient } from '../../generated/prisma/client.js';

type Db = PrismaClient | Prisma.TransactionClient;

export interface ClaimedRun {
  id: string;
  tenantId: string;
  crawlerId: string;
  cancelRequested: boolean;
  attempts: number;
}

/** Takes the run's lease when nobody holds a live one; the run becomes RUNNING. */
export async function claimRun(db: Db, runId: string, token: string, leaseSeconds: number): Promise<ClaimedRun | undefined> {
  const rows = await db.$queryRaw<ClaimedRun[]>`
    UPDATE crawler_runs
       SET status = 'RUNNING', lease_token = ${token}::uuid,
           lease_expires_at = now() + ${leaseSeconds}::int * interval '1 second',
           started_at = coalesce(started_at, now()), attempts = attempts + 1
     WHERE id = ${runId}::uuid AND status IN ('QUEUED', 'RUNNING')
       AND (lease_token IS NULL OR lease_expires_at < now())
 RETURNING id, tenant_id AS "tenantId", crawler_id AS "crawlerId", cancel_requested AS "cancelRequested", attempts`;
  return rows[0];
}

/** Extends a held lease; undefined when it was lost (expired and taken over, or the run is gone). */
export async function renewLease(
  db: Db,
  runId: string,
  token: string,
  leaseSeconds: number,
  currentUri: string | null,
): Promise<{ cancelRequested: boolean } | undefined> {
  const rows = await db.$queryRaw<{ cancelRequested: boolean }[]>`
    UPDATE crawler_runs
       SET lease_expires_at = now() + ${leaseSeconds}::int * interval '1 second', current_uri = ${currentUri}
     WHERE id = ${runId}::uuid AND lease_token = ${token}::uuid AND status = 'RUNNING'
 RETURNING cancel_requested AS "cancelRequested"`;
  return rows[0];
}

/** Inside an item's transaction: locks the run row if this worker still holds the lease. */
export async function holdLease(tx: Prisma.TransactionClient, runId: string, token: string): Promise<{ cancelRequested: boolean } | undefined> {
  const rows = await tx.$queryRaw<{ cancelRequested: boolean }[]>`
    SELECT cancel_requested AS "cancelRequested" FROM crawler_runs
     WHERE id = ${runId}::uuid AND lease_token = ${token}::uuid AND status = 'RUNNING'
       FOR UPDATE`;
  return rows[0];
}

/** Ends a run this worker holds; false when the lease was lost first. */
export async function finishRun(db: Db, runId: string, token: string, status: 'COMPLETED' | 'FAILED' | 'CANCELLED', error: string | null) {
  const count = await db.$executeRaw`
    UPDATE crawler_runs
       SET status = ${status}::"CrawlerRunStatus", finished_at = now(), error = ${error},
           lease_token = NULL, lease_expires_at = NULL, current_uri = NULL
     WHERE id = ${runId}::uuid AND lease_token = ${token}::uuid`;
  return count === 1;
}

/** Gives a held run back (graceful shutdown) so another worker can resume it at once. */
export async function releaseLease(db: Db, runId: string, token: string): Promise<void> {
  await db.$executeRaw`
    UPDATE crawler_runs SET lease_token = NULL, lease_expires_at = NULL
     WHERE id = ${runId}::uuid AND lease_token = ${token}::uuid`;
}

export interface DueCrawler {
  id: string;
  tenantId: string;
  scheduleIntervalSeconds: number | null;
}

/** Active crawlers whose next run is due, locked for this transaction (other schedulers skip them). */
export async function lockDueCrawlers(tx: Prisma.TransactionClient, limit: number): Promise<DueCrawler[]> {
  return tx.$queryRaw<DueCrawler[]>`
    SELECT id, tenant_id AS "tenantId", schedule_interval_seconds AS "scheduleIntervalSeconds"
      FROM crawlers
     WHERE active AND next_run_at <= now()
     ORDER BY next_run_at
     LIMIT ${limit}
       FOR UPDATE SKIP LOCKED`;
}

/** The next run one interval from now (database clock), or none without an interval. */
export async function advanceSchedule(tx: Prisma.TransactionClient, crawlerId: string): Promise<void> {
  await tx.$executeRaw`
    UPDATE crawlers
       SET next_run_at = CASE WHEN schedule_interval_seconds IS NULL THEN NULL
                              ELSE now() + schedule_interval_seconds * interval '1 second' END
     WHERE id = ${crawlerId}::uuid`;
}

/** Serialises run creation per crawler: one run at a time. */
export async function lockCrawler(tx: Prisma.TransactionClient, tenantId: string, crawlerId: string): Promise<boolean> {
  const rows = await tx.$queryRaw<{ id: string }[]>`
    SELECT id FROM crawlers WHERE id = ${crawlerId}::uuid AND tenant_id = ${tenantId}::uuid FOR UPDATE`;
  return rows.length === 1;
}

/**
 * Runs that may have no live job: RUNNING with an expired lease (worker killed or stalled), or QUEUED for longer
 * than a lease (the job was lost between commit and send). Each is reserved for one lease period, so exactly one
 * recovery job is sent per expiry even with several schedulers; the next claim takes it over.
 */
export async function reserveOrphanRuns(db: Db, leaseSeconds: number): Promise<string[]> {
  const rows = await db.$queryRaw<{ id: string }[]>`
    UPDATE crawler_runs
       SET lease_token = NULL, lease_expires_at = now() + ${leaseSeconds}::int * interval '1 second'
     WHERE status IN ('QUEUED', 'RUNNING')
       AND coalesce(lease_expires_at, created_at + ${leaseSeconds}::int * interval '1 second') < now()
 RETURNING id`;
  return rows.map((r) => r.id);
}

/** Cancels a crawler's queued runs at once and asks running ones to stop at their next item boundary. */
export async function requestCancel(db: Db, crawlerId: string): Promise<{ id: string; status: string }[]> {
  return db.$queryRaw<{ id: string; status: string }[]>`
    UPDATE crawler_runs
       SET cancel_requested = true,
           status = CASE WHEN status = 'QUEUED' THEN 'CANCELLED'::"CrawlerRunStatus" ELSE status END,
           finished_at = CASE WHEN status = 'QUEUED' THEN now() ELSE finished_at END
     WHERE crawler_id = ${crawlerId}::uuid AND status IN ('QUEUED', 'RUNNING')
 RETURNING id, status::text AS status`;
}
