// Live documents as files: create one (a LIVE file whose first version is its initial content), hand out sync
// tickets, read its state, and snapshot it into ordinary versions (dedup, lineage, conversions, indexing).
import crypto from 'node:crypto';
import type http from 'node:http';
import type { Duplex } from 'node:stream';
import type { Config } from '../../config.js';
import { NotFoundError, TooLargeError, ValidationError } from '../../errors.js';
import type { Prisma, PrismaClient } from '../../generated/prisma/client.js';
import { auditEffect } from '../../infra/audit-context.js';
import type { BlobStore } from '../../infra/blobs/index.js';
import type { EventBus } from '../../infra/pubsub.js';
import type { Logger } from '../../logger.js';
import { isUuid, NIL_UUID } from '../../schema/global-id.js';
import { parseIdList, parseMetadata, parseName } from '../../validation.js';
import type { ContentSource, FileService, FileWriteResult, NewFileFields } from '../files/files.service.js';
import { chunkKey, livePrefix, removeChunks } from './live-storage.js';
import type { LiveHost, LiveHostHooks } from './live.host.js';
import type { LiveDocumentRow } from './live.repository.js';
import { renderMarkdown } from './markdown.js';
import type { LiveTopics } from './live.topics.js';

export type SnapshotFormat = 'JSON' | 'MARKDOWN';

export interface LiveState {
  documentId: string;
  heads: string[];
  updatedAt: Date;
  peers: number;
  content: unknown;
}

const MAX_AUTO_SNAPSHOT_SECONDS = 24 * 3600;
const MAX_INITIAL_DEPTH = 64;

/** Nesting depth of a JSON value, without recursion (a hostile value may nest very deep). */
function depthOf(value: unknown): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length) {
    const [v, depth] = stack.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    deepest = Math.max(deepest, depth);
    if (deepest > MAX_INITIAL_DEPTH) return deepest;
    for (const child of Object.values(v)) stack.push([child, depth + 1]);
  }
  return deepest;
}

/** Automerge (WebAssembly) and automerge-repo load on first use, not at start-up (~0.2 s). */
interface Runtime {
  A: typeof import('@automerge/automerge');
  urls: Pick<typeof import('@automerge/automerge-repo'), 'generateAutomergeUrl' | 'parseAutomergeUrl'>;
  host: LiveHost;
}

export class LiveDocumentService {
  private runtime?: Promise<Runtime>;
  private url?: string;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly blobs: BlobStore,
    private readonly files: FileService,
    private readonly events: EventBus<LiveTopics>,
    private readonly config: Pick<Config, 'live' | 'http'>,
    secretKey: string,
    private readonly logger: Logger,
    track?: LiveHostHooks['track'],
  ) {
    this.hooks = {
      changed: (change) => {
        void this.events
          .publish('liveDocumentChanged', { ...change, at: new Date().toISOString() })
          .catch((error: unknown) => this.logger.warn({ err: error }, 'publishing a live change failed'));
      },
      autoSnapshot: async (row) => {
        await this.snapshot(row.tenantId, row.fileId, row.snapshotFormat);
      },
      track,
    };
    this.secretKey = secretKey;
  }

  private readonly hooks: LiveHostHooks;
  private readonly secretKey: string;

  private load(): Promise<Runtime> {
    this.runtime ??= (async () => {
      const [A, urls, { LiveHost }] = await Promise.all([import('@automerge/automerge'), import('@automerge/automerge-repo'), import('./live.host.js')]);
      const host = new LiveHost(this.prisma, this.blobs, this.config.live, this.secretKey, this.logger, this.hooks);
      if (this.url) host.start(this.url);
      return { A, urls, host };
    })();
    return this.runtime;
  }

  /** The sync server of this process (loaded on first use). */
  async host(): Promise<LiveHost> {
    return (await this.load()).host;
  }

  /** Serves /live from now on; `url` is where other processes reach this one. */
  start(url: string): void {
    this.url = url;
    void this.runtime?.then((r) => r.host.start(url));
  }

  /** An HTTP upgrade to /live. */
  async upgrade(request: http.IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    await (await this.load()).host.upgrade(request, socket, head);
  }

  /** Files trashed or purged (in any process): their sessions here end. */
  async endDocuments(fileIds: string[]): Promise<void> {
    if (this.runtime) await (await this.runtime).host.endDocuments(fileIds);
  }

  /** Writes what is pending and gives the leases back. */
  async stop(): Promise<void> {
    if (this.runtime) await (await this.runtime).host.stop();
  }

  /** A new LIVE file: its Automerge document (stored as chunk 1) and a first version holding the initial content. */
  async create(
    tenantId: string,
    input: NewFileFields & { initialContent?: unknown; autoSnapshotSeconds?: number | null; snapshotFormat?: SnapshotFormat | null; maxBytes?: number | null },
  ): Promise<FileWriteResult> {
    const fields = { name: parseName(input.name), path: input.path, metadata: parseMetadata(input.metadata), ownerId: input.ownerId };
    const initial = input.initialContent ?? {};
    if (typeof initial !== 'object' || initial === null || Array.isArray(initial)) {
      throw new ValidationError('initialContent must be a JSON object', [{ path: ['initialContent'], message: 'must be a JSON object' }]);
    }
    if (depthOf(initial) > MAX_INITIAL_DEPTH) {
      throw new ValidationError(`initialContent nests deeper than ${MAX_INITIAL_DEPTH} levels`, [{ path: ['initialContent'], message: 'too deep' }]);
    }
    const autoSnapshotSeconds = parseAutoSnapshot(input.autoSnapshotSeconds);
    const maxBytes = input.maxBytes == null ? null : Math.min(input.maxBytes, this.config.live.maxDocumentBytes);
    if (maxBytes !== null && maxBytes < 1024) throw new ValidationError('maxBytes must be at least 1024', [{ path: ['maxBytes'], message: 'at least 1024' }]);
    const { A, urls } = await this.load();
    const doc = A.from(initial as Record<string, unknown>);
    const saved = A.save(doc);
    const limit = maxBytes ?? this.config.live.maxDocumentBytes;
    if (saved.byteLength > limit) throw new TooLargeError(`initialContent is larger than the ${limit} bytes a live document may hold`, limit);
    const { documentId } = urls.parseAutomergeUrl(urls.generateAutomergeUrl());
    const format = input.snapshotFormat ?? 'MARKDOWN';
    const source = this.snapshotSource(A.toJS(doc), 'JSON');
    return this.files.addFile(
      tenantId,
      source,
      fields,
      async (tx, created) => {
        await tx.file.update({ where: { id: created.fileId }, data: { kind: 'LIVE' }, select: { id: true } });
        await tx.liveDocument.create({
          data: {
            fileId: created.fileId,
            tenantId,
            documentId,
            autoSnapshotSeconds,
            snapshotFormat: format,
            maxBytes,
            chunkSeq: 1,
            heads: A.getHeads(doc),
            storedBytes: saved.byteLength,
          },
        });
        await this.blobs.put(chunkKey(livePrefix(tenantId, created.fileId), 1), Buffer.from(saved), { size: saved.byteLength, contentType: 'application/octet-stream' });
        await tx.fileVersion.update({ where: { id: created.versionId }, data: { metadata: { live: { heads: A.getHeads(doc), format: 'JSON' } } } });
      },
      { dedupe: false },
    );
  }

  async update(tenantId: string, input: { fileId: string; autoSnapshotSeconds?: number | null; snapshotFormat?: SnapshotFormat | null }): Promise<{ fileId: string }> {
    const data: Prisma.LiveDocumentUpdateManyMutationInput = {};
    if (input.autoSnapshotSeconds !== undefined) data.autoSnapshotSeconds = parseAutoSnapshot(input.autoSnapshotSeconds);
    if (input.snapshotFormat != null) data.snapshotFormat = input.snapshotFormat;
    const row = await this.prisma.$transaction(async (tx) => {
      const found = await tx.liveDocument.findFirst({ where: { fileId: uuidOrNil(input.fileId), tenantId, file: { deletedAt: null } }, select: { documentId: true } });
      if (!found) return undefined;
      await tx.liveDocument.update({ where: { fileId: input.fileId }, data });
      await auditEffect(tx);
      return found;
    });
    if (!row) throw new NotFoundError('LiveDocument', input.fileId);
    if (this.runtime) (await this.runtime).host.forget(row.documentId);
    return { fileId: input.fileId };
  }

  /** A single-use ticket for the sync endpoint, good for `config.live.ticketSeconds`, naming live files of the tenant. */
  async createSession(
    tenantId: string,
    apiKeyId: string | null,
    input: { fileIds: string[]; readOnly: boolean },
  ): Promise<{ url: string; expiresAt: Date; documents: { fileId: string; documentId: string }[] }> {
    const fileIds = parseIdList(input.fileIds);
    if (fileIds.length === 0) throw new ValidationError('fileIds must name at least one live document', [{ path: ['fileIds'], message: 'empty' }]);
    const token = `dsl_${crypto.randomBytes(32).toString('base64url')}`;
    const expiresAt = new Date(Date.now() + this.config.live.ticketSeconds * 1000);
    const documents = await this.prisma.$transaction(async (tx) => {
      const rows = await tx.liveDocument.findMany({
        where: { tenantId, fileId: { in: fileIds.filter(isUuid) }, file: { deletedAt: null } },
        select: { fileId: true, documentId: true },
      });
      const found = new Set(rows.map((r) => r.fileId));
      const missing = fileIds.find((id) => !found.has(id));
      if (missing) return missing;
      await tx.liveTicket.create({
        data: { tenantId, apiKeyId, tokenHash: crypto.createHash('sha256').update(token).digest('hex'), fileIds, readOnly: input.readOnly, expiresAt },
      });
      await auditEffect(tx);
      return rows;
    });
    if (typeof documents === 'string') throw new NotFoundError('LiveDocument', documents);
    const base = this.config.http.publicUrl.replace(/^http/, 'ws');
    return { url: `${base}/live?ticket=${token}`, expiresAt, documents };
  }

  /** The document's current state (in this process's memory, else from storage). */
  async state(documentId: string): Promise<LiveState | undefined> {
    const row = await this.prisma.liveDocument.findUnique({ where: { documentId }, select: { updatedAt: true } });
    const { A, host } = await this.load();
    const read = await host.read(documentId);
    if (!row || !read) return undefined;
    return { documentId, heads: A.getHeads(read.doc), updatedAt: row.updatedAt, peers: read.peers, content: A.toJS(read.doc) };
  }

  /** The document as it is now, as the file's next version (nothing new when the bytes are the current version's). */
  async snapshot(tenantId: string, fileId: string, format: SnapshotFormat): Promise<FileWriteResult> {
    const row = await this.prisma.liveDocument.findFirst({ where: { fileId: uuidOrNil(fileId), tenantId, file: { deletedAt: null } }, select: { documentId: true } });
    if (!row) throw new NotFoundError('LiveDocument', fileId);
    const { A, host } = await this.load();
    const read = await host.read(row.documentId);
    if (!read) throw new NotFoundError('LiveDocument', fileId);
    const heads = A.getHeads(read.doc);
    return this.files.addVersion(tenantId, fileId, this.snapshotSource(A.toJS(read.doc), format), { live: { heads, format } });
  }

  /** Purged files: their chunks go. */
  async removeChunks(tenantId: string, fileId: string): Promise<number> {
    return removeChunks(this.blobs, livePrefix(tenantId, fileId));
  }

  private snapshotSource(content: unknown, format: SnapshotFormat): ContentSource {
    const text = format === 'JSON' ? `${JSON.stringify(content, null, 2)}\n` : renderMarkdown(content);
    const bytes = Buffer.from(text, 'utf8');
    const mimeType = format === 'JSON' ? 'application/json' : 'text/markdown';
    return {
      size: bytes.byteLength,
      sha256: crypto.createHash('sha256').update(bytes).digest('hex'),
      mimeType,
      writeTo: (key) => this.blobs.put(key, bytes, { size: bytes.byteLength, contentType: mimeType }),
    };
  }
}

export type { LiveDocumentRow };

function parseAutoSnapshot(value: number | null | undefined): number | null {
  if (value == null || value === 0) return null;
  if (!Number.isInteger(value) || value < 1 || value > MAX_AUTO_SNAPSHOT_SECONDS) {
    throw new ValidationError(`autoSnapshotSeconds must be between 1 and ${MAX_AUTO_SNAPSHOT_SECONDS} (0 or null: off)`, [
      { path: ['autoSnapshotSeconds'], message: 'out of range' },
    ]);
  }
  return value;
}

const uuidOrNil = (id: string) => (isUuid(id) ? id : NIL_UUID);
