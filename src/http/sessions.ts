// Live sessions: graphql-ws sockets and subscriptions (over graphql-ws or SSE), tracked by the API key that opened
// them, so that they end when that key stops authenticating, and counted, so that a connection or a tenant cannot
// hold more than its share.
//
// Revocation crosses processes through the event bus (apiKeyRevoked, NOTIFY): every process closes its sockets that
// authenticated with the key (4403) and ends its subscriptions that did (a last FORBIDDEN error, then complete). A
// re-check every RECHECK_MS asks the database about the keys of live sessions, for a process that missed the event
// (and, once keys can expire, for expiry: TenantService.inactiveKeyIds is the one place to add it).
import { GraphQLError } from 'graphql';
import { Repeater, type Plugin } from 'graphql-yoga';
import type { Config } from '../config.js';
import type { Context, Viewer } from '../context.js';
import type { EventBus } from '../infra/pubsub.js';
import type { Logger } from '../logger.js';
import type { TenantService } from '../modules/tenants/tenants.service.js';
import type { TenantTopics } from '../modules/tenants/tenants.topics.js';

const RECHECK_MS = 30_000;
/** Keys revoked this recently are refused on sight: closes the gap between authenticating and being tracked. */
const REMEMBER_REVOKED_MS = 5 * 60_000;

export const REVOKED_CLOSE_CODE = 4403;
const REVOKED_REASON = 'Forbidden: the API key was revoked';

/** A graphql-ws socket. */
export interface LiveConnection {
  /** The key it authenticated with at connection_init (GraphiQL's sockets have none: each operation has its own). */
  apiKeyId?: string;
  subscriptions: number;
  close(code: number, reason: string): void;
}

/** What the subscription plugin finds in an operation's context. */
export interface SessionContext {
  /** The graphql-ws socket the operation runs on; none for SSE (one stream per request). */
  connection?: LiveConnection;
}

interface LiveSubscription {
  apiKeyId?: string;
  tenantId?: string;
  connection?: LiveConnection;
  /** Ends the stream: with a last error result, or silently (its socket is closing anyway). */
  end(error?: GraphQLError): void;
}

interface KeySessions {
  connections: Set<LiveConnection>;
  subscriptions: Set<LiveSubscription>;
}

export interface Lease {
  wrap<T>(stream: AsyncIterable<T>): AsyncIterableIterator<T>;
  release(): void;
}

export class LiveSessions {
  private readonly byKey = new Map<string, KeySessions>();
  private readonly perTenant = new Map<string, number>();
  private readonly revoked = new Map<string, number>();
  private stopListening?: () => Promise<void>;
  private recheck?: NodeJS.Timeout;

  constructor(
    private readonly limits: Config['subscriptions'],
    private readonly logger: Logger,
  ) {}

  /** Follows revocations from every process, and re-checks live keys every RECHECK_MS. */
  start(events: EventBus<TenantTopics>, tenants: Pick<TenantService, 'inactiveKeyIds'>): void {
    const revocations = events.subscribe('apiKeyRevoked')[Symbol.asyncIterator]();
    this.stopListening = async () => void (await revocations.return?.());
    void (async () => {
      for (let next = await revocations.next(); !next.done; next = await revocations.next()) this.revoke(next.value.apiKeyId);
    })().catch((error: unknown) => this.logger.error({ err: error }, 'stopped following API key revocations'));
    this.recheck = setInterval(() => {
      tenants
        .inactiveKeyIds([...this.byKey.keys()])
        .then((ids) => ids.forEach((id) => this.revoke(id)))
        .catch((error: unknown) => this.logger.warn({ err: error }, 're-checking the keys of live sessions failed'));
    }, RECHECK_MS);
    this.recheck.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.recheck);
    await this.stopListening?.();
  }

  /** Ends every session of a key in this process: sockets close with 4403, other subscriptions end with an error. */
  revoke(apiKeyId: string): void {
    const now = Date.now();
    this.revoked.set(apiKeyId, now);
    for (const [id, at] of this.revoked) if (now - at > REMEMBER_REVOKED_MS) this.revoked.delete(id);
    const sessions = this.byKey.get(apiKeyId);
    if (!sessions) return;
    this.byKey.delete(apiKeyId);
    const error = forbidden();
    for (const subscription of sessions.subscriptions) {
      // A subscription on a socket that is about to close just ends with it.
      subscription.end(subscription.connection?.apiKeyId === apiKeyId ? undefined : error);
    }
    for (const connection of sessions.connections) connection.close(REVOKED_CLOSE_CODE, REVOKED_REASON);
    this.logger.info({ apiKeyId, connections: sessions.connections.size, subscriptions: sessions.subscriptions.size }, 'ended the sessions of a revoked API key');
  }

  /** Tracks a socket that authenticated at connection_init; false when its key was just revoked. */
  connect(connection: LiveConnection, viewer: Viewer): boolean {
    if (viewer.kind !== 'tenant') return true;
    if (this.revoked.has(viewer.apiKeyId)) return false;
    connection.apiKeyId = viewer.apiKeyId;
    this.sessionsOf(viewer.apiKeyId).connections.add(connection);
    return true;
  }

  disconnect(connection: LiveConnection): void {
    if (!connection.apiKeyId) return;
    const sessions = this.byKey.get(connection.apiKeyId);
    sessions?.connections.delete(connection);
    this.forgetIfIdle(connection.apiKeyId);
  }

  /** Why a new subscription is refused, if it is: a cap reached, or its key just revoked. */
  refusal(viewer: Viewer, connection?: LiveConnection): GraphQLError | undefined {
    if (viewer.kind === 'tenant' && this.revoked.has(viewer.apiKeyId)) return forbidden();
    const { maxPerConnection, maxPerTenant } = this.limits;
    if (connection && connection.subscriptions >= maxPerConnection) {
      return tooMany(`This connection already has ${maxPerConnection} subscriptions, the most it may have`);
    }
    if (viewer.kind === 'tenant' && (this.perTenant.get(viewer.tenantId) ?? 0) >= maxPerTenant) {
      return tooMany(`This tenant already has ${maxPerTenant} subscriptions, the most it may have`);
    }
    return undefined;
  }

  /** Counts a subscription in, or refuses it; the lease ends its stream on revocation and counts it out once. */
  open(viewer: Viewer, connection?: LiveConnection): Lease | GraphQLError {
    const refused = this.refusal(viewer, connection);
    if (refused) return refused;
    const tenantId = viewer.kind === 'tenant' ? viewer.tenantId : undefined;
    const apiKeyId = viewer.kind === 'tenant' ? viewer.apiKeyId : undefined;
    if (connection) connection.subscriptions += 1;
    if (tenantId) this.perTenant.set(tenantId, (this.perTenant.get(tenantId) ?? 0) + 1);
    let ending: ((error?: GraphQLError) => void) | undefined;
    let endedEarly: { error?: GraphQLError } | undefined;
    const subscription: LiveSubscription = {
      apiKeyId,
      tenantId,
      connection,
      end: (error) => (ending ? ending(error) : (endedEarly = { error })),
    };
    if (apiKeyId) this.sessionsOf(apiKeyId).subscriptions.add(subscription);
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      if (connection) connection.subscriptions -= 1;
      if (tenantId) {
        const left = (this.perTenant.get(tenantId) ?? 1) - 1;
        if (left > 0) this.perTenant.set(tenantId, left);
        else this.perTenant.delete(tenantId);
      }
      if (apiKeyId) {
        this.byKey.get(apiKeyId)?.subscriptions.delete(subscription);
        this.forgetIfIdle(apiKeyId);
      }
    };
    return {
      release,
      wrap: <T>(stream: AsyncIterable<T>) => {
        const source = stream[Symbol.asyncIterator]();
        let closed = false;
        const close = () => {
          release();
          if (closed) return;
          closed = true;
          void source.return?.();
        };
        return new LeasedRepeater<T>(async (push, stop) => {
          ending = (error) => {
            if (error) void push({ errors: [error] } as T);
            stop();
          };
          if (endedEarly) ending(endedEarly.error);
          void (async () => {
            for (let next = await source.next(); !next.done; next = await source.next()) await push(next.value);
          })().then(
            () => stop(),
            (error: unknown) => stop(error),
          );
          await stop;
          close();
        }, close);
      },
    };
  }

  /** An envelop plugin counting subscriptions in and out and ending them with their key (HTTP/SSE and graphql-ws). */
  plugin(): Plugin<Context & SessionContext> {
    return {
      onSubscribe: ({ args, subscribeFn, setSubscribeFn, setResultAndStopExecution }) => {
        const { viewer, connection } = args.contextValue;
        const lease = this.open(viewer, connection);
        if (lease instanceof GraphQLError) return setResultAndStopExecution({ errors: [lease] });
        // A subscribe that throws never reaches onSubscribeResult.
        setSubscribeFn(async (subscribeArgs) => {
          try {
            return await subscribeFn(subscribeArgs);
          } catch (error) {
            lease.release();
            throw error;
          }
        });
        return {
          onSubscribeResult: ({ result, setResult }) => {
            if (isAsyncIterable(result)) setResult(lease.wrap(result));
            else lease.release();
          },
        };
      },
    };
  }

  private sessionsOf(apiKeyId: string): KeySessions {
    let sessions = this.byKey.get(apiKeyId);
    if (!sessions) {
      sessions = { connections: new Set(), subscriptions: new Set() };
      this.byKey.set(apiKeyId, sessions);
    }
    return sessions;
  }

  private forgetIfIdle(apiKeyId: string): void {
    const sessions = this.byKey.get(apiKeyId);
    if (sessions && sessions.connections.size === 0 && sessions.subscriptions.size === 0) this.byKey.delete(apiKeyId);
  }
}

/** A Repeater that also lets go of its lease when returned before its first next() (when its executor never runs). */
class LeasedRepeater<T> extends Repeater<T> {
  constructor(
    executor: ConstructorParameters<typeof Repeater<T>>[0],
    private readonly onReturn: () => void,
  ) {
    super(executor);
  }

  override return(value?: unknown): Promise<IteratorResult<T>> {
    this.onReturn();
    return super.return(value as never);
  }
}

const isAsyncIterable = (value: unknown): value is AsyncIterable<unknown> =>
  typeof (value as AsyncIterable<unknown> | null)?.[Symbol.asyncIterator] === 'function';

const forbidden = () => new GraphQLError(REVOKED_REASON, { extensions: { code: 'FORBIDDEN' } });

const tooMany = (message: string) =>
  new GraphQLError(message, { extensions: { code: 'TOO_MANY_SUBSCRIPTIONS', http: { status: 429 } } });
