// The sync server of live documents in one process: an automerge-repo Repo behind its WebSocket server adapter on
// /live, with tickets instead of keys, a check of every frame before the Repo sees it, the single-writer lease, and
// relaying to the writer.
//
// Design (server mode, several processes): a document is written to storage by one process at a time, the holder
// of its lease in Postgres (fencing token checked on every chunk: LiveChunkStore). A client may be connected to any
// process: a process that does not hold the lease joins the owner as one more automerge peer over the owner's /live
// endpoint (authenticated by a short-lived HMAC token all processes can make) and relays — its Repo syncs the
// document with its clients and with the owner, and Automerge merges. Chosen over forwarding frames (a session may
// span documents owned by different processes) and over every process writing (compaction by two writers could
// delete what the other just wrote). When the owner dies, its lease lapses and a relaying process (or any process
// with a client on the document) takes it; it first reads every chunk into its copy and writes the whole document,
// so changes the dead owner had not flushed (they are in the clients' and relays' copies) are stored again.
import crypto from 'node:crypto';
import type http from 'node:http';
import type { Duplex } from 'node:stream';
import * as A from '@automerge/automerge';
import { cbor, Repo, type DocHandle, type DocumentId, type PeerId } from '@automerge/automerge-repo';
import { WebSocketClientAdapter, WebSocketServerAdapter } from '@automerge/automerge-repo-network-websocket';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Config } from '../../config.js';
import type { PrismaClient } from '../../generated/prisma/client.js';
import type { BlobStore } from '../../infra/blobs/index.js';
import type { Logger } from '../../logger.js';
import { LiveChunkStore, livePrefix } from './live-storage.js';
import * as repo from './live.repository.js';
import type { LiveDocumentRow, TicketGrant } from './live.repository.js';

/** Close codes of the sync endpoint (RFC 6455 and the 4000 range). */
export const LIVE_CLOSE = {
  malformed: 1007,
  policy: 1008,
  tooBig: 1009,
  shuttingDown: 1001,
  deleted: 4404,
} as const;

export interface LiveChange {
  tenantId: string;
  fileId: string;
  documentId: string;
  heads: string[];
  paths: string[];
}

export interface LiveHostHooks {
  changed(change: LiveChange): void;
  /** The document's auto-snapshot is due (autoSnapshotSeconds after the first change since the last one). */
  autoSnapshot(document: LiveDocumentRow): Promise<void>;
  /** Tracks a client socket under the API key that made its ticket (revoking the key closes it). */
  track?(apiKeyId: string, close: (code: number, reason: string) => void): () => void;
}

type Grant =
  | ({ kind: 'client' } & TicketGrant)
  | { kind: 'internal' };

interface Connection {
  socket: WebSocket;
  grant: Grant;
  peerId?: string;
  tokens: number;
  refilledAt: number;
  /** Documents this peer asked about (counts as interest: the document stays in memory). */
  documents: Set<string>;
}

interface Relay {
  url: string;
  adapter: RelayAdapter;
  remotePeerId?: string;
  since: number;
  documents: Set<string>;
}

/** A connection to another process's /live endpoint; errors are reported by closing, never thrown. */
class RelayAdapter extends WebSocketClientAdapter {
  constructor(url: string) {
    // Reconnection is the host's: a lost owner is dropped and the document attached again (a new lease holder).
    super(url, 3_600_000);
    this.onError = () => undefined;
  }
}

const RELAY_CONNECT_MS = 5_000;
const CHANGE_COALESCE_MS = 200;
const MAX_CHANGED_PATHS = 100;

export class LiveHost {
  readonly processId = `docstore-${crypto.randomUUID()}`;
  readonly repo: Repo;
  readonly store: LiveChunkStore;
  private readonly wss: WebSocketServer;
  private url = '';
  private readonly connections = new Set<Connection>();
  private readonly byPeer = new Map<string, Connection>();
  private readonly meta = new Map<string, LiveDocumentRow>();
  private readonly owned = new Map<string, bigint>();
  private readonly relays = new Map<string, Relay>();
  private readonly relayOf = new Map<string, Relay>();
  private readonly attaching = new Map<string, Promise<void>>();
  private readonly activity = new Map<string, number>();
  private readonly pendingChanges = new Map<string, { paths: Set<string>; timer: NodeJS.Timeout }>();
  private readonly snapshotTimers = new Map<string, NodeJS.Timeout>();
  private readonly watched = new WeakSet<DocHandle<unknown>>();
  private maintenance?: NodeJS.Timeout;
  private cycles = 0;
  private stopped = false;

  constructor(
    private readonly prisma: PrismaClient,
    blobs: BlobStore,
    private readonly config: Config['live'],
    private readonly secretKey: string,
    private readonly logger: Logger,
    private readonly hooks: LiveHostHooks,
  ) {
    this.wss = new WebSocketServer({ noServer: true, maxPayload: config.maxMessageBytes });
    this.store = new LiveChunkStore(blobs, config, {
      prefixOf: async (id) => {
        const row = await this.metaOf(id);
        return row && livePrefix(row.tenantId, row.fileId);
      },
      writable: (id) => this.owned.has(id),
      nextChunk: (id, storedBytes) => this.nextChunk(id, storedBytes),
      wholeDocument: (id) => {
        const handle = this.readyHandle(id);
        return handle && A.save(handle.doc());
      },
      leaseLost: (id) => this.leaseLost(id),
      failed: (error, id) => this.logger.error({ err: error, documentId: id }, 'writing a live document failed'),
    });
    this.repo = new Repo({
      peerId: this.processId as PeerId,
      network: [new WebSocketServerAdapter(this.wss as never)],
      storage: this.store,
      shareConfig: {
        announce: async (peer, id) => id !== undefined && this.mayAnnounce(peer, id),
        access: async (peer, id) => this.mayAccess(peer, id),
      },
    });
  }

  /**
   * Follows a document's changes (the Repo announces no new handles: this runs when a peer is let in, and at every
   * maintenance for the handles in memory).
   */
  private watch(documentId: string, attempts = 40): void {
    const handle = this.repo.handles[documentId as DocumentId] as DocHandle<unknown> | undefined;
    if (!handle) {
      if (attempts > 0 && !this.stopped) setTimeout(() => this.watch(documentId, attempts - 1), 25).unref();
      return;
    }
    if (this.watched.has(handle)) return;
    this.watched.add(handle);
    handle.on('change', ({ patches }) => this.changed(documentId, patches));
  }

  /** Starts serving: `url` is where other processes reach this one's /live endpoint. */
  start(url: string): void {
    this.url = url;
    const every = Math.max(1_000, Math.min(this.config.leaseSeconds * 1000, this.config.idleMs) / 3);
    this.maintenance = setInterval(() => void this.maintain().catch((error: unknown) => this.logger.warn({ err: error }, 'live document maintenance failed')), every);
    this.maintenance.unref();
  }

  /** An HTTP upgrade to /live: authenticated by ticket (clients) or internal token (other processes). */
  async upgrade(request: http.IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    try {
      const url = new URL(request.url ?? '/', 'http://docstore');
      const internal = url.searchParams.get('internal');
      const ticket = url.searchParams.get('ticket');
      let grant: Grant;
      if (internal) {
        if (!this.verifyInternal(internal)) return refuse(socket, 401, 'invalid internal token');
        grant = { kind: 'internal' };
      } else if (ticket && ticket.length <= 200) {
        const granted = await repo.consumeTicket(this.prisma, crypto.createHash('sha256').update(ticket).digest('hex'));
        if (!granted) return refuse(socket, 401, 'the ticket is invalid, expired or used (createLiveSession makes one)');
        if (granted.documents.size === 0) return refuse(socket, 404, 'none of the ticket’s live documents exists any more');
        for (const id of granted.documents.keys()) {
          if (this.peersOf(id) >= this.config.maxPeersPerDocument) {
            return refuse(socket, 429, `document ${id} already has ${this.config.maxPeersPerDocument} peers, the most it may have`);
          }
        }
        grant = { kind: 'client', ...granted };
      } else {
        return refuse(socket, 401, 'a ticket is required (createLiveSession)');
      }
      if (this.stopped) return refuse(socket, 503, 'shutting down');
      this.wss.handleUpgrade(request, socket, head, (ws) => this.accept(ws, request, grant));
    } catch (error) {
      this.logger.error({ err: error }, 'live upgrade failed');
      refuse(socket, 500, 'unexpected error');
    }
  }

  /** The document as this process has it in memory, else as storage has it (which may lag by flushMs). */
  async read(documentId: string): Promise<{ doc: A.Doc<unknown>; peers: number } | undefined> {
    const handle = this.readyHandle(documentId);
    if (handle) return { doc: handle.doc(), peers: this.peersOf(documentId) };
    const row = await this.metaOf(documentId);
    if (!row) return undefined;
    const chunks = await this.store.readChunks(livePrefix(row.tenantId, row.fileId));
    let doc = A.init<unknown>();
    for (const c of chunks) doc = A.loadIncremental(doc, c.data);
    return { doc, peers: this.peersOf(documentId) };
  }

  /** Client peers syncing the document through this process. */
  peersOf(documentId: string): number {
    let n = 0;
    for (const c of this.connections) if (c.grant.kind === 'client' && c.grant.documents.has(documentId)) n++;
    return n;
  }

  /** Files went to the trash or were purged: their peers are disconnected and the documents leave memory. */
  async endDocuments(fileIds: string[]): Promise<void> {
    const ids = new Set(fileIds);
    const documents = new Set<string>();
    for (const [documentId, row] of this.meta) if (ids.has(row.fileId)) documents.add(documentId);
    for (const c of this.connections) {
      if (c.grant.kind !== 'client') continue;
      for (const [documentId, fileId] of c.grant.documents) {
        if (ids.has(fileId)) {
          documents.add(documentId);
          c.socket.close(LIVE_CLOSE.deleted, 'the document was deleted');
        }
      }
    }
    for (const documentId of documents) await this.evict(documentId);
  }

  /** Settings of a document changed (auto-snapshot): read again on next use. */
  forget(documentId: string): void {
    this.meta.delete(documentId);
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    clearInterval(this.maintenance);
    for (const { timer } of this.pendingChanges.values()) clearTimeout(timer);
    for (const timer of this.snapshotTimers.values()) clearTimeout(timer);
    for (const c of this.connections) c.socket.close(LIVE_CLOSE.shuttingDown, 'server shutting down');
    for (const relay of this.relays.values()) this.dropRelay(relay);
    // Saves what the Repo has not handed to storage yet, then writes every pending chunk.
    await this.repo.flush().catch((error: unknown) => this.logger.warn({ err: error }, 'flushing live documents failed'));
    await this.store.flushAll();
    await repo.releaseLeases(this.prisma, this.processId, [...this.owned.keys()]).catch(() => undefined);
    this.owned.clear();
    await this.repo.shutdown().catch(() => undefined);
    this.wss.close();
  }

  // — authorisation —

  private async mayAccess(peer: PeerId, documentId: DocumentId): Promise<boolean> {
    const connection = this.byPeer.get(peer);
    if (connection?.grant.kind === 'client') {
      if (!connection.grant.documents.has(documentId)) return false;
      connection.documents.add(documentId);
      await this.attach(documentId);
      this.watch(documentId);
      return true;
    }
    if (connection?.grant.kind === 'internal') {
      // Another process relays its clients here: only to the document's writer.
      await this.attach(documentId);
      if (!this.owned.has(documentId)) return false;
      connection.documents.add(documentId);
      this.watch(documentId);
      return true;
    }
    const relay = this.relayByPeer(peer);
    return relay !== undefined && relay.documents.has(documentId);
  }

  private async mayAnnounce(peer: PeerId, documentId: DocumentId): Promise<boolean> {
    const connection = this.byPeer.get(peer);
    if (connection?.grant.kind === 'client') return connection.grant.documents.has(documentId);
    if (connection) return false; // a relaying process asks for what it needs
    const relay = this.relayByPeer(peer);
    return relay !== undefined && relay.documents.has(documentId);
  }

  private relayByPeer(peer: string): Relay | undefined {
    for (const relay of this.relays.values()) if (relay.remotePeerId === peer) return relay;
    return undefined;
  }

  // — connections —

  private accept(socket: WebSocket, request: http.IncomingMessage, grant: Grant): void {
    const connection: Connection = { socket, grant, tokens: this.config.maxMessagesPerSecond, refilledAt: Date.now(), documents: new Set() };
    this.connections.add(connection);
    const untrack = grant.kind === 'client' && grant.apiKeyId ? this.hooks.track?.(grant.apiKeyId, (code, reason) => socket.close(code, reason)) : undefined;
    // Every frame is checked before the Repo's adapter sees it.
    const emit = socket.emit.bind(socket);
    socket.emit = ((event: string, ...args: unknown[]) => {
      if (event === 'message') {
        const verdict = this.inspect(connection, args[0]);
        if (verdict === 'drop') return false;
        if (verdict) {
          this.logger.info({ code: verdict.code, reason: verdict.reason, peer: connection.peerId }, 'closed a live sync connection');
          socket.close(verdict.code, verdict.reason);
          return false;
        }
      }
      return emit(event, ...args);
    }) as typeof socket.emit;
    socket.on('close', () => {
      this.connections.delete(connection);
      if (connection.peerId && this.byPeer.get(connection.peerId) === connection) this.byPeer.delete(connection.peerId);
      untrack?.();
    });
    socket.on('error', () => undefined);
    this.wss.emit('connection', socket, request);
  }

  /** undefined: pass the frame on; 'drop': ignore it; else close the connection with this code and reason. */
  private inspect(connection: Connection, raw: unknown): undefined | 'drop' | { code: number; reason: string } {
    const now = Date.now();
    const rate = this.config.maxMessagesPerSecond;
    connection.tokens = Math.min(rate, connection.tokens + ((now - connection.refilledAt) / 1000) * rate);
    connection.refilledAt = now;
    if (connection.tokens < 1) return { code: LIVE_CLOSE.policy, reason: `rate limit: more than ${rate} messages per second` };
    connection.tokens -= 1;
    const bytes = toBytes(raw);
    if (!bytes) return { code: LIVE_CLOSE.malformed, reason: 'malformed frame: expected a binary frame' };
    let message: Record<string, unknown>;
    try {
      message = cbor.decode(bytes) as Record<string, unknown>;
    } catch {
      return { code: LIVE_CLOSE.malformed, reason: 'malformed frame: not CBOR' };
    }
    if (!message || typeof message !== 'object' || typeof message.type !== 'string' || typeof message.senderId !== 'string' || message.senderId.length > 200) {
      return { code: LIVE_CLOSE.malformed, reason: 'malformed frame: not an automerge-repo message' };
    }
    if (!connection.peerId) {
      if (message.type !== 'join') return { code: LIVE_CLOSE.policy, reason: 'the first message must be "join"' };
      const existing = this.byPeer.get(message.senderId);
      if (existing && existing !== connection && !samePrincipal(existing.grant, connection.grant)) {
        return { code: LIVE_CLOSE.policy, reason: 'this peer id is in use by another session' };
      }
      connection.peerId = message.senderId;
      this.byPeer.set(message.senderId, connection);
      return undefined;
    }
    if (message.senderId !== connection.peerId) return { code: LIVE_CLOSE.policy, reason: 'senderId differs from the peer that joined' };
    if (message.type === 'join') return 'drop';
    const documentId = message.documentId;
    if (documentId === undefined) return undefined;
    if (typeof documentId !== 'string' || documentId.length > 100) return { code: LIVE_CLOSE.malformed, reason: 'malformed frame: documentId' };
    const grant = connection.grant;
    // Another tenant's document or one the ticket does not name: a request is answered "unavailable", nothing else.
    if (grant.kind === 'client' && !grant.documents.has(documentId)) return message.type === 'request' ? undefined : 'drop';
    if ((message.type === 'sync' || message.type === 'request') && message.data !== undefined) {
      if (!(message.data instanceof Uint8Array)) return { code: LIVE_CLOSE.malformed, reason: 'malformed frame: sync data' };
      let changes: Uint8Array[];
      try {
        changes = A.decodeSyncMessage(message.data).changes;
      } catch {
        return { code: LIVE_CLOSE.malformed, reason: 'malformed frame: not an Automerge sync message' };
      }
      if (changes.length) {
        if (grant.kind === 'client' && grant.readOnly) return { code: LIVE_CLOSE.policy, reason: 'read-only session: changes are refused' };
        const incoming = changes.reduce((n, c) => n + c.byteLength, 0);
        const max = this.meta.get(documentId)?.maxBytes ?? this.config.maxDocumentBytes;
        if (this.sizeOf(documentId) + incoming > max) return { code: LIVE_CLOSE.tooBig, reason: `the document would exceed ${max} bytes` };
      }
    }
    this.activity.set(documentId, now);
    return undefined;
  }

  private sizeOf(documentId: string): number {
    return this.store.storedBytes(documentId);
  }

  // — ownership —

  /** Makes this process the document's writer, or a relay to its writer (or, while the lease lapses, neither). */
  private attach(documentId: string): Promise<void> {
    if (this.owned.has(documentId) || this.relayOf.has(documentId) || this.stopped) return Promise.resolve();
    const running = this.attaching.get(documentId);
    if (running) return running;
    const run = this.attachNow(documentId)
      .catch((error: unknown) => this.logger.warn({ err: error, documentId }, 'attaching a live document failed'))
      .finally(() => this.attaching.delete(documentId));
    this.attaching.set(documentId, run);
    return run;
  }

  private async attachNow(documentId: string): Promise<void> {
    this.activity.set(documentId, Date.now());
    const row = await this.metaOf(documentId);
    if (!row || row.trashed) return;
    const token = await repo.acquireLease(this.prisma, documentId, this.processId, this.url, this.config.leaseSeconds);
    if (token !== undefined) {
      this.owned.set(documentId, token);
      const handle = this.readyHandle(documentId);
      // Held in memory already (as a relay, or while the lease lapsed): its changes may not all be stored.
      if (handle) await this.store.adopt(documentId, (data) => handle.update((doc) => A.loadIncremental(doc, data)));
      this.logger.debug({ documentId }, 'took the lease of a live document');
      return;
    }
    const owner = await repo.currentOwner(this.prisma, documentId);
    // Nobody (it was released meanwhile: the next maintenance takes it), or a previous run of this very server
    // (restarted before its lease lapsed): wait for the lease.
    if (!owner || owner.url === this.url) return;
    this.relayTo(owner.url, documentId);
  }

  private relayTo(url: string, documentId: string): void {
    let relay = this.relays.get(url);
    if (!relay) {
      const adapter = new RelayAdapter(`${url}/live?internal=${encodeURIComponent(this.internalToken())}`);
      const created: Relay = { url, adapter, since: Date.now(), documents: new Set() };
      relay = created;
      // Before the Repo's own listeners: it asks announce() as soon as it sees the peer.
      adapter.on('peer-candidate', ({ peerId }) => {
        created.remotePeerId = peerId;
      });
      adapter.on('peer-disconnected', () => this.dropRelay(created));
      this.relays.set(url, created);
      this.repo.networkSubsystem.addNetworkAdapter(adapter);
    }
    relay.documents.add(documentId);
    this.relayOf.set(documentId, relay);
    this.repo.shareConfigChanged();
  }

  private dropRelay(relay: Relay): void {
    if (this.relays.get(relay.url) !== relay) return;
    this.relays.delete(relay.url);
    for (const id of relay.documents) if (this.relayOf.get(id) === relay) this.relayOf.delete(id);
    try {
      this.repo.networkSubsystem.removeNetworkAdapter(relay.adapter);
      relay.adapter.disconnect();
    } catch {
      // never connected
    }
  }

  private leaseLost(documentId: string): void {
    if (!this.owned.delete(documentId)) return;
    this.logger.warn({ documentId }, 'lost the lease of a live document: another process writes it now');
    void this.attach(documentId);
  }

  private async nextChunk(documentId: string, storedBytes: number): Promise<number | undefined> {
    const token = this.owned.get(documentId);
    if (token === undefined) return undefined;
    const handle = this.readyHandle(documentId);
    const heads = handle ? A.getHeads(handle.doc()) : [];
    return repo.nextChunk(this.prisma, documentId, this.processId, token, { heads, storedBytes });
  }

  // — changes —

  private changed(documentId: string, patches: A.Patch[]): void {
    this.activity.set(documentId, Date.now());
    if (!this.owned.has(documentId)) return; // the writer reports changes, once
    let pending = this.pendingChanges.get(documentId);
    if (!pending) {
      const created = {
        paths: new Set<string>(),
        timer: setTimeout(() => {
          this.pendingChanges.delete(documentId);
          void this.reportChange(documentId, [...created.paths]);
        }, CHANGE_COALESCE_MS),
      };
      pending = created;
      this.pendingChanges.set(documentId, created);
    }
    for (const patch of patches) {
      if (pending.paths.size >= MAX_CHANGED_PATHS) break;
      pending.paths.add(patch.path.slice(0, 3).map(String).join('.'));
    }
    const row = this.meta.get(documentId);
    if (row?.autoSnapshotSeconds && !this.snapshotTimers.has(documentId)) {
      const timer = setTimeout(() => {
        this.snapshotTimers.delete(documentId);
        const current = this.meta.get(documentId) ?? row;
        this.hooks.autoSnapshot(current).catch((error: unknown) => this.logger.warn({ err: error, documentId }, 'auto-snapshot failed'));
      }, row.autoSnapshotSeconds * 1000);
      timer.unref();
      this.snapshotTimers.set(documentId, timer);
    }
  }

  private async reportChange(documentId: string, paths: string[]): Promise<void> {
    const row = await this.metaOf(documentId);
    const handle = this.readyHandle(documentId);
    if (!row || !handle) return;
    this.hooks.changed({ tenantId: row.tenantId, fileId: row.fileId, documentId, heads: A.getHeads(handle.doc()), paths });
  }

  // — upkeep —

  private async maintain(): Promise<void> {
    this.cycles++;
    const held = [...this.owned.keys()];
    if (held.length) {
      const kept = await repo.renewLeases(this.prisma, this.processId, held, this.config.leaseSeconds);
      for (const id of held) if (!kept.has(id)) this.leaseLost(id);
      for (const id of kept) {
        // Settings (auto-snapshot) may have changed in another process.
        const row = await repo.findByDocumentId(this.prisma, id);
        if (row) this.meta.set(id, row);
      }
    }
    const now = Date.now();
    for (const relay of [...this.relays.values()]) {
      if (!relay.remotePeerId && now - relay.since > RELAY_CONNECT_MS) this.dropRelay(relay);
    }
    const interest = new Set<string>();
    for (const c of this.connections) for (const id of c.documents) interest.add(id);
    for (const id of Object.keys(this.repo.handles)) {
      this.watch(id, 0);
      if (interest.has(id)) {
        if (!this.owned.has(id) && !this.relayOf.has(id)) await this.attach(id);
      } else if (now - (this.activity.get(id) ?? 0) > this.config.idleMs) {
        await this.evict(id);
      }
    }
    if (this.cycles % 60 === 0) await repo.deleteExpiredTickets(this.prisma);
  }

  /** Flushes a document and drops it from memory; its lease goes back. */
  private async evict(documentId: string): Promise<void> {
    const timers = [this.pendingChanges.get(documentId)?.timer, this.snapshotTimers.get(documentId)];
    for (const t of timers) clearTimeout(t);
    this.pendingChanges.delete(documentId);
    this.snapshotTimers.delete(documentId);
    if (this.repo.handles[documentId as DocumentId]) {
      await this.repo.flush([documentId as DocumentId]).catch(() => undefined);
      await this.store.flush(documentId).catch((error: unknown) => this.logger.error({ err: error, documentId }, 'flushing a live document failed'));
      await this.repo.removeFromCache(documentId as DocumentId).catch(() => undefined);
    }
    this.store.forget(documentId);
    if (this.owned.delete(documentId)) await repo.releaseLeases(this.prisma, this.processId, [documentId]);
    const relay = this.relayOf.get(documentId);
    if (relay) {
      this.relayOf.delete(documentId);
      relay.documents.delete(documentId);
      if (relay.documents.size === 0) this.dropRelay(relay);
    }
    this.activity.delete(documentId);
    this.meta.delete(documentId);
  }

  // — helpers —

  private async metaOf(documentId: string): Promise<LiveDocumentRow | undefined> {
    const cached = this.meta.get(documentId);
    if (cached) return cached;
    const row = await repo.findByDocumentId(this.prisma, documentId);
    if (row) this.meta.set(documentId, row);
    return row;
  }

  private readyHandle(documentId: string): DocHandle<unknown> | undefined {
    const handle = this.repo.handles[documentId as DocumentId] as DocHandle<unknown> | undefined;
    return handle?.isReady() ? handle : undefined;
  }

  /** `<expiry ms>.<hmac>`: lets another process of this deployment (same secret key) relay to this one. */
  private internalToken(): string {
    const expires = String(Date.now() + 10 * 60_000);
    return `${expires}.${this.sign(expires)}`;
  }

  private verifyInternal(token: string): boolean {
    const [expires, mac] = token.split('.');
    if (!expires || !mac || !(Number(expires) > Date.now())) return false;
    const expected = Buffer.from(this.sign(expires));
    const given = Buffer.from(mac);
    return expected.length === given.length && crypto.timingSafeEqual(expected, given);
  }

  private sign(text: string): string {
    return crypto.createHmac('sha256', this.secretKey).update(`docstore-live-relay:${text}`).digest('base64url');
  }
}

function samePrincipal(a: Grant, b: Grant): boolean {
  if (a.kind === 'internal' || b.kind === 'internal') return a.kind === b.kind;
  return a.tenantId === b.tenantId && a.apiKeyId === b.apiKeyId;
}

function toBytes(raw: unknown): Uint8Array | undefined {
  if (raw instanceof Uint8Array) return raw;
  if (raw instanceof ArrayBuffer) return new Uint8Array(raw);
  if (Array.isArray(raw) && raw.every((p) => p instanceof Uint8Array)) return Buffer.concat(raw as Uint8Array[]);
  return undefined;
}

function refuse(socket: Duplex, status: number, reason: string): void {
  const text = { 401: 'Unauthorized', 404: 'Not Found', 429: 'Too Many Requests', 500: 'Internal Server Error', 503: 'Service Unavailable' }[status] ?? 'Error';
  const body = `${reason}\n`;
  socket.end(
    `HTTP/1.1 ${status} ${text}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}
