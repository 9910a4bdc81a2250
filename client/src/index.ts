// @docstore/client: a typed client for Docstore's GraphQL API, in Node and browsers.
//
//   const docstore = new DocstoreClient({ endpoint: 'http://localhost:4000', apiKey: 'dsk_…' });
//   const { fileId } = await docstore.uploadFile(fromBytes(bytes), { name: 'report.pdf', onProgress: console.log });
//   for await (const p of docstore.crawlerProgress(crawlerId)) console.log(p.counts.created, '/', p.total);
//
// Operations are typed from schema.graphql (client/src/gql, GraphQL Code Generator's client preset); this layer adds
// uploads (hash, presign, PUT — in parallel parts when the store wants them, resumable — complete), search,
// subscriptions as async iterators (graphql-ws, or SSE where WebSockets are unavailable) and typed errors.
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';
import { createClient as createWsClient, type Client as WsClient } from 'graphql-ws';
import {
  AddToStoreMutation,
  CompleteUploadMutation,
  CrawlerProgressSubscription,
  CreateFileMutation,
  EventsSubscription,
  IndexingProgressSubscription,
  OperationProgressSubscription,
  RequestUploadMutation,
  SearchQuery,
} from './operations.js';
import type { SdkSearchQuery } from './gql/graphql.js';

export * from './operations.js';
export type { TypedDocumentNode };

/** A failure the API reported: `code` is its error code (VALIDATION, NOT_FOUND, FORBIDDEN, UNAUTHENTICATED…). */
export class DocstoreError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'DocstoreError';
  }
}

/** An upload stopped part-way (aborted, or a part failed after retries): pass `resume` back to uploadFile. */
export class UploadInterruptedError extends DocstoreError {
  constructor(
    message: string,
    readonly resume: UploadState,
    cause?: unknown,
  ) {
    super('UPLOAD_INTERRUPTED', message, cause);
    this.name = 'UploadInterruptedError';
  }
}

/** Bytes to upload, read by range (files are not loaded whole). */
export interface ByteSource {
  size: number;
  read(start: number, end: number): Promise<Uint8Array>;
}

export const fromBytes = (bytes: Uint8Array): ByteSource => ({ size: bytes.byteLength, read: async (s, e) => bytes.subarray(s, e) });

export const fromBlob = (blob: Blob): ByteSource => ({ size: blob.size, read: async (s, e) => new Uint8Array(await blob.slice(s, e).arrayBuffer()) });

/** A file on disk (Node). */
export async function fromFile(path: string): Promise<ByteSource> {
  const fs = await import('node:fs/promises');
  const { size } = await fs.stat(path);
  return {
    size,
    async read(start, end) {
      const handle = await fs.open(path, 'r');
      try {
        const buffer = Buffer.alloc(end - start);
        let done = 0;
        while (done < buffer.length) {
          const { bytesRead } = await handle.read(buffer, done, buffer.length - done, start + done);
          if (bytesRead === 0) throw new Error(`${path} changed while it was read`);
          done += bytesRead;
        }
        return buffer;
      } finally {
        await handle.close();
      }
    },
  };
}

export interface UploadProgress {
  phase: 'hashing' | 'uploading' | 'completing' | 'done';
  bytesDone: number;
  bytesTotal: number;
}

export interface UploadOptions {
  name: string;
  path?: string;
  mimeType?: string;
  metadata?: Record<string, unknown>;
  /** Add the file to this vector store (indexed) once it is in. */
  vectorStoreId?: string;
  /** Parts sent at once (multipart uploads). Default 4. */
  concurrency?: number;
  /** Files up to this size go inline in one createFile request (default 1 MiB; 0: always presigned). */
  inlineMaxBytes?: number;
  onProgress?: (progress: UploadProgress) => void;
  signal?: AbortSignal;
  /** What an UploadInterruptedError carried: only the parts not yet sent are sent. */
  resume?: UploadState;
}

export interface UploadState {
  uploadId: string;
  sha256: string;
  size: number;
  parts: { partNumber: number; url: string; offset: number; size: number }[];
  /** Parts sent: part number → ETag. */
  sent: Record<number, string>;
  /** Single-PUT uploads. */
  uploadUrl?: string;
  uploadHeaders?: Record<string, string>;
}

export interface UploadResult {
  fileId: string;
  versionId: string;
  deduplicated: boolean;
  /** Bytes this call sent (0 when the content was already there). */
  bytesSent: number;
  /** Part numbers this call sent. */
  partsSent: number[];
}

export interface DocstoreClientOptions {
  /** The server's base URL (http://localhost:4000) or its /graphql endpoint. */
  endpoint: string;
  apiKey: string;
  fetch?: typeof fetch;
  /** A WebSocket implementation where there is no global one (Node < 22: the `ws` package). */
  webSocketImpl?: unknown;
  /** 'sse': subscriptions over Server-Sent Events (no WebSocket). Default: graphql-ws, SSE when it cannot connect. */
  subscriptions?: 'ws' | 'sse' | 'auto';
}

type SearchDocuments = Extract<SdkSearchQuery['searchVectorStore'], { __typename: 'SearchVectorStorePayload' }>['documents'];

const PART_RETRIES = 2;

export class DocstoreClient {
  readonly graphqlUrl: string;
  private readonly fetchImpl: typeof fetch;
  private ws?: WsClient;

  constructor(private readonly options: DocstoreClientOptions) {
    const base = options.endpoint.replace(/\/+$/, '');
    this.graphqlUrl = base.endsWith('/graphql') ? base : `${base}/graphql`;
    this.fetchImpl = options.fetch ?? globalThis.fetch.bind(globalThis);
  }

  /** Runs a typed operation; top-level errors throw DocstoreError. */
  async request<R, V>(document: TypedDocumentNode<R, V>, variables?: V, signal?: AbortSignal): Promise<R> {
    let response: Response;
    try {
      response = await this.fetchImpl(this.graphqlUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json', authorization: `Bearer ${this.options.apiKey}` },
        body: JSON.stringify({ query: print(document), variables }),
        signal,
      });
    } catch (error) {
      throw new DocstoreError('NETWORK', `could not reach ${this.graphqlUrl}: ${(error as Error).message}`);
    }
    const body = (await response.json().catch(() => undefined)) as { data?: R; errors?: { message: string; extensions?: { code?: string } }[] } | undefined;
    if (!body) throw new DocstoreError('HTTP_' + response.status, `${this.graphqlUrl} answered ${response.status}`);
    if (body.errors?.length) {
      const [first] = body.errors;
      throw new DocstoreError(first!.extensions?.code ?? 'GRAPHQL_ERROR', first!.message, body.errors);
    }
    return body.data as R;
  }

  /**
   * Uploads bytes as a new file (or, with `resume`, finishes an interrupted upload): small files inline, larger ones
   * hashed, presigned and PUT straight to object storage — in parallel parts when the store wants parts.
   */
  async uploadFile(source: ByteSource, options: UploadOptions): Promise<UploadResult> {
    const progress = (phase: UploadProgress['phase'], bytesDone: number) => options.onProgress?.({ phase, bytesDone, bytesTotal: source.size });
    const inlineMax = options.inlineMaxBytes ?? 1024 * 1024;
    if (!options.resume && source.size <= inlineMax) {
      const bytes = await source.read(0, source.size);
      const created = payload(
        (
          await this.request(
            CreateFileMutation,
            {
              input: {
                name: options.name,
                path: options.path,
                mimeType: options.mimeType,
                metadata: options.metadata,
                contentBase64: toBase64(bytes),
                ...(options.vectorStoreId ? { vectorStore: { vectorStoreId: options.vectorStoreId } } : {}),
              },
            },
            options.signal,
          )
        ).createFile,
        'CreateFilePayload',
      );
      progress('done', source.size);
      return { fileId: created.file.id, versionId: created.version.id, deduplicated: created.deduplicated, bytesSent: source.size, partsSent: [] };
    }
    let state = options.resume;
    if (!state) {
      const sha256 = await sha256Of(source, (done) => progress('hashing', done));
      const requested = payload(
        (
          await this.request(
            RequestUploadMutation,
            { input: { name: options.name, path: options.path, mimeType: options.mimeType, metadata: options.metadata, size: source.size, sha256 } },
            options.signal,
          )
        ).requestFileUpload,
        'RequestFileUploadPayload',
      );
      if (requested.existingFile) {
        progress('done', source.size);
        const result = { fileId: requested.existingFile.id, versionId: requested.existingFile.currentVersion.id, deduplicated: true, bytesSent: 0, partsSent: [] };
        await this.addToStore(result.fileId, options.vectorStoreId);
        return result;
      }
      state = {
        uploadId: requested.uploadId!,
        sha256,
        size: source.size,
        parts: requested.multipart?.parts ?? [],
        sent: {},
        uploadUrl: requested.uploadUrl ?? undefined,
        uploadHeaders: (requested.uploadHeaders as Record<string, string> | null) ?? undefined,
      };
    }
    const partsSent: number[] = [];
    let bytesSent = 0;
    if (state.parts.length === 0) {
      if (!state.sent[1]) {
        progress('uploading', 0);
        try {
          await this.put(state.uploadUrl!, await source.read(0, source.size), state.uploadHeaders ?? {}, options.signal);
        } catch (error) {
          throw new UploadInterruptedError(`upload interrupted: ${(error as Error).message}`, state, error);
        }
        state.sent[1] = 'single';
        bytesSent = source.size;
      }
    } else {
      const done = () => state.parts.filter((p) => state.sent[p.partNumber]).reduce((n, p) => n + p.size, 0);
      const queue = state.parts.filter((p) => !state.sent[p.partNumber]);
      progress('uploading', done());
      let failure: unknown;
      const worker = async () => {
        for (let part = queue.shift(); part && !failure; part = queue.shift()) {
          try {
            const bytes = await source.read(part.offset, part.offset + part.size);
            state.sent[part.partNumber] = await this.putPart(part.url, bytes, options.signal);
            partsSent.push(part.partNumber);
            bytesSent += part.size;
            progress('uploading', done());
          } catch (error) {
            failure ??= error;
          }
        }
      };
      await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 4) }, worker));
      if (failure) {
        const left = state.parts.length - Object.keys(state.sent).length;
        throw new UploadInterruptedError(`upload interrupted with ${left} of ${state.parts.length} parts left: ${(failure as Error).message}`, state, failure);
      }
    }
    progress('completing', source.size);
    const parts = state.parts.length ? state.parts.map((p) => ({ partNumber: p.partNumber, etag: state.sent[p.partNumber]! })) : undefined;
    const completed = payload((await this.request(CompleteUploadMutation, { input: { uploadId: state.uploadId, parts } })).completeFileUpload, 'CompleteFileUploadPayload');
    await this.addToStore(completed.file.id, options.vectorStoreId);
    progress('done', source.size);
    return { fileId: completed.file.id, versionId: completed.version.id, deduplicated: completed.deduplicated, bytesSent, partsSent: partsSent.sort((a, b) => a - b) };
  }

  /** Searches a vector store: documents best first, with chunks, highlights and scores. */
  async search(
    vectorStoreId: string,
    query: string,
    options: { kDocs?: number; mode?: 'HYBRID' | 'VECTOR' | 'KEYWORD'; minScore?: number; signal?: AbortSignal } = {},
  ): Promise<SearchDocuments> {
    const result = await this.request(
      SearchQuery,
      { input: { vectorStoreId, query, kDocs: options.kDocs, mode: options.mode, minScore: options.minScore } },
      options.signal,
    );
    return payload(result.searchVectorStore, 'SearchVectorStorePayload').documents;
  }

  crawlerProgress(crawlerId: string) {
    return this.subscribe(CrawlerProgressSubscription, { id: crawlerId }, (d) => d.crawlerProgress);
  }

  indexingProgress(vectorStoreId: string) {
    return this.subscribe(IndexingProgressSubscription, { id: vectorStoreId }, (d) => d.indexingProgress);
  }

  operationProgress(operationId: string) {
    return this.subscribe(OperationProgressSubscription, { id: operationId }, (d) => d.operationProgress);
  }

  /** The tenant's events after `after` (a cursor), then as they happen. */
  events(after?: string, types?: string[]) {
    return this.subscribe(EventsSubscription, { after, types }, (d) => d.events);
  }

  /** A subscription as an async iterator (graphql-ws; SSE when WebSockets are unavailable). Break to end it. */
  async *subscribe<R, V, T = R>(document: TypedDocumentNode<R, V>, variables: V, pick: (data: R) => T = (d) => d as unknown as T): AsyncGenerator<T> {
    const mode = this.options.subscriptions ?? 'auto';
    const hasWebSocket = this.options.webSocketImpl !== undefined || typeof globalThis.WebSocket === 'function';
    const source = mode === 'sse' || (mode === 'auto' && !hasWebSocket) ? this.sse(document, variables) : this.overWs(document, variables);
    for await (const data of source) yield pick(data);
  }

  /** Closes the WebSocket (if one was opened). */
  async close(): Promise<void> {
    await this.ws?.dispose();
    this.ws = undefined;
  }

  private async *overWs<R, V>(document: TypedDocumentNode<R, V>, variables: V): AsyncGenerator<R> {
    this.ws ??= createWsClient({
      url: this.graphqlUrl.replace(/^http/, 'ws'),
      connectionParams: { authorization: `Bearer ${this.options.apiKey}` },
      webSocketImpl: this.options.webSocketImpl,
      lazy: true,
      retryAttempts: 5,
    });
    const iterator = this.ws.iterate<R>({ query: print(document), variables: variables as Record<string, unknown> });
    try {
      for await (const result of iterator) {
        if (result.errors?.length) throw new DocstoreError((result.errors[0]!.extensions?.code as string) ?? 'GRAPHQL_ERROR', result.errors[0]!.message, result.errors);
        yield result.data as R;
      }
    } finally {
      await iterator.return?.();
    }
  }

  private async *sse<R, V>(document: TypedDocumentNode<R, V>, variables: V): AsyncGenerator<R> {
    const controller = new AbortController();
    const response = await this.fetchImpl(this.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${this.options.apiKey}` },
      body: JSON.stringify({ query: print(document), variables }),
      signal: controller.signal,
    });
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        buffer += decoder.decode(value, { stream: true });
        for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          if (/^event: complete/m.test(frame)) return;
          const data = frame.split('\n').find((l) => l.startsWith('data:'))?.slice(5).trim();
          if (!data) continue;
          const result = JSON.parse(data) as { data?: R; errors?: { message: string; extensions?: { code?: string } }[] };
          if (result.errors?.length) throw new DocstoreError(result.errors[0]!.extensions?.code ?? 'GRAPHQL_ERROR', result.errors[0]!.message, result.errors);
          yield result.data as R;
        }
      }
    } finally {
      controller.abort();
    }
  }

  private async addToStore(fileId: string, vectorStoreId: string | undefined): Promise<void> {
    if (!vectorStoreId) return;
    const added = (await this.request(AddToStoreMutation, { input: { vectorStoreId, fileIds: [fileId] } })).addFilesToVectorStore;
    if ('code' in added) throw new DocstoreError(added.code, added.message);
  }

  private async put(url: string, body: Uint8Array, headers: Record<string, string>, signal?: AbortSignal): Promise<Response> {
    let last: unknown;
    for (let attempt = 0; attempt <= PART_RETRIES; attempt++) {
      if (signal?.aborted) throw signal.reason ?? new Error('aborted');
      try {
        const response = await this.fetchImpl(url, { method: 'PUT', body: body as BodyInit, headers, signal });
        if (response.ok) return response;
        last = new Error(`PUT answered ${response.status}`);
        if (response.status < 500 && response.status !== 429) break;
      } catch (error) {
        last = error;
        if (signal?.aborted) break;
      }
    }
    throw last;
  }

  private async putPart(url: string, body: Uint8Array, signal?: AbortSignal): Promise<string> {
    const response = await this.put(url, body, {}, signal);
    const etag = response.headers.get('etag');
    if (!etag) throw new Error('the object store sent no ETag for a part (is ETag exposed to CORS?)');
    return etag;
  }
}

/** A union result's payload, or its typed error thrown as DocstoreError. */
export function payload<T extends { __typename?: string }, N extends string>(value: T, typename: N): Extract<T, { __typename?: N }> {
  if (value.__typename === typename) return value as Extract<T, { __typename?: N }>;
  const error = value as { code?: string; message?: string; __typename?: string };
  throw new DocstoreError(error.code ?? 'UNEXPECTED', error.message ?? `unexpected ${error.__typename}`, value);
}

async function sha256Of(source: ByteSource, onProgress: (bytesDone: number) => void): Promise<string> {
  const CHUNK = 8 * 1024 * 1024;
  const node = typeof process !== 'undefined' && process.versions?.node ? await import('node:crypto') : undefined;
  if (node) {
    const hash = node.createHash('sha256');
    for (let offset = 0; offset < source.size; offset += CHUNK) {
      hash.update(await source.read(offset, Math.min(source.size, offset + CHUNK)));
      onProgress(Math.min(source.size, offset + CHUNK));
    }
    return hash.digest('hex');
  }
  // Browsers: Web Crypto digests whole buffers.
  const digest = await crypto.subtle.digest('SHA-256', (await source.read(0, source.size)) as BufferSource);
  onProgress(source.size);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

function toBase64(bytes: Uint8Array): string {
  if (typeof Buffer !== 'undefined') return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}
