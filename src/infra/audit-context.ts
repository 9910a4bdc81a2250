// Where a request's audit entry is written: inside the transaction that makes the mutation's effect, so that the
// effect and its entry commit together or not at all. The GraphQL layer (src/schema/audit-plugin.ts) runs each
// mutation in a scope holding the entry's writer; services call auditEffect(tx) in their effect transaction. Outside
// a mutation (jobs, crawls, tests calling services) it does nothing. The scope also names the API key acting, for
// the operations a mutation starts.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Prisma } from '../generated/prisma/client.js';

export type EffectWriter = (tx: Prisma.TransactionClient) => Promise<void>;

const scope = new AsyncLocalStorage<{ write: EffectWriter; apiKeyId: string | null }>();

export function withAuditScope<T>(write: EffectWriter, apiKeyId: string | null, fn: () => Promise<T>): Promise<T> {
  return scope.run({ write, apiKeyId }, fn);
}

/** Writes the current mutation's audit entry in `tx` (the transaction of its effect). */
export async function auditEffect(tx: Prisma.TransactionClient): Promise<void> {
  await scope.getStore()?.write(tx);
}

/** The API key whose mutation is running (null: the admin, a job, or no mutation). */
export function actingApiKeyId(): string | null {
  return scope.getStore()?.apiKeyId ?? null;
}
