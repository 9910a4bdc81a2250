// Where a request's audit entry is written: inside the transaction that makes the mutation's effect, so that the
// effect and its entry commit together or not at all. The GraphQL layer (src/schema/audit-plugin.ts) runs each
// mutation in a scope holding the entry's writer; services call auditEffect(tx) in their effect transaction. Outside
// a mutation (jobs, crawls, tests calling services) it does nothing.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Prisma } from '../generated/prisma/client.js';

export type EffectWriter = (tx: Prisma.TransactionClient) => Promise<void>;

const scope = new AsyncLocalStorage<EffectWriter>();

export function withAuditScope<T>(write: EffectWriter, fn: () => Promise<T>): Promise<T> {
  return scope.run(write, fn);
}

/** Writes the current mutation's audit entry in `tx` (the transaction of its effect). */
export async function auditEffect(tx: Prisma.TransactionClient): Promise<void> {
  await scope.getStore()?.(tx);
}
