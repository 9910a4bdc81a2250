// automerge-repo's storage, over the blob store: each live document is an ordered series of change chunks under its
// file's prefix (t/<tenant>/live/<file>/<seq>), written by the one process holding the document's lease.
//
// Why not automerge-repo's own layout (a key per incremental save, a snapshot key, old keys removed after a new
// snapshot is written): its loader reads snapshots and incrementals in two listings, so a compaction that lands
// between them (new snapshot written after the first listing, incrementals deleted before the second) loses every
// change in those incrementals. Here:
//   - writes: a chunk is written when `flushBytes` of changes wait or `flushMs` after the first did; its number comes
//     from the database, granted only to the lease holder's current fencing token (a stale owner's write is refused);
//   - compaction: the whole document is written as chunk N+n first, then the chunks it covers (N … N+n−1, only those
//     this process read or wrote) are deleted in reverse order; at most `maxChunks` chunks stay;
//   - loading: list, read in order; a chunk missing on read means a compaction deleted it after writing the chunk that
//     covers it, so the loader lists again and reads what it has not read yet. Every change that was in storage when
//     the load began is in something it reads; some possibly twice, which Automerge ignores.
// Sync states (per remote peer) are not persisted: they only save a round trip on reconnect, and keep the object
// count of a document bounded by its chunks.
import type { Readable } from 'node:stream';
import type { Chunk, StorageAdapterInterface, StorageKey } from '@automerge/automerge-repo';
import type { BlobStore } from '../../infra/blobs/index.js';

export interface ChunkStoreOptions {
  flushBytes: number;
  flushMs: number;
  maxChunks: number;
}

export interface ChunkStoreHooks {
  /** The blob prefix of a document's chunks; undefined for an unknown document. */
  prefixOf(documentId: string): Promise<string | undefined>;
  /** Whether this process holds the document's lease (only the holder writes). */
  writable(documentId: string): boolean;
  /** The next chunk number under this process's fencing token; undefined when the lease was lost. */
  nextChunk(documentId: string, storedBytes: number): Promise<number | undefined>;
  /** The whole document as this process holds it (Automerge save format), for compactions. */
  wholeDocument(documentId: string): Uint8Array | undefined;
  leaseLost(documentId: string): void;
  failed(error: unknown, documentId: string): void;
}

interface DocState {
  prefix: string;
  /** Chunks whose changes this process's copy of the document holds: number → size. */
  known: Map<number, number>;
  pending: Uint8Array[];
  pendingBytes: number;
  /** The pending bytes are a whole-document save (they cover every known chunk). */
  pendingWhole: boolean;
  /** A write failed: the next flush writes the whole document instead of what is pending. */
  needsWhole: boolean;
  timer?: NodeJS.Timeout;
  /** Flushes of one document run one after another. */
  queue: Promise<void>;
}

const SEQ_DIGITS = 16;
const MAX_LOAD_PASSES = 50;

export const chunkKey = (prefix: string, seq: number) => `${prefix}${String(seq).padStart(SEQ_DIGITS, '0')}`;

/** Where a live document's chunks are. */
export const livePrefix = (tenantId: string, fileId: string) => `t/${tenantId}/live/${fileId}/`;

/** Removes every chunk of a document (purge). */
export async function removeChunks(blobs: BlobStore, prefix: string): Promise<number> {
  let removed = 0;
  for await (const { key } of blobs.list(prefix)) {
    await blobs.delete(key);
    removed++;
  }
  return removed;
}

export class LiveChunkStore implements StorageAdapterInterface {
  private readonly docs = new Map<string, DocState>();

  constructor(
    private readonly blobs: BlobStore,
    private readonly options: ChunkStoreOptions,
    private readonly hooks: ChunkStoreHooks,
  ) {}

  // — StorageAdapterInterface —

  async load(key: StorageKey): Promise<Uint8Array | undefined> {
    // The id a Repo tells peers its storage has: one store for every process of a deployment.
    if (key.length === 1 && key[0] === 'storage-adapter-id') return new TextEncoder().encode('docstore-live');
    return undefined; // sync states are not kept (see above)
  }

  async save(key: StorageKey, data: Uint8Array): Promise<void> {
    const [documentId, kind] = key;
    if (!documentId || (kind !== 'incremental' && kind !== 'snapshot')) return;
    if (!this.hooks.writable(documentId)) return; // a relaying process: the owner stores the changes
    const state = await this.stateOf(documentId);
    if (!state) return;
    if (kind === 'snapshot') {
      state.pending = [data];
      state.pendingBytes = data.byteLength;
      state.pendingWhole = true;
    } else {
      state.pending.push(data);
      state.pendingBytes += data.byteLength;
    }
    if (state.pendingBytes >= this.options.flushBytes) await this.flush(documentId);
    else state.timer ??= setTimeout(() => void this.flush(documentId), this.options.flushMs);
  }

  async remove(): Promise<void> {
    // Compaction is this store's own (it knows which chunks a whole-document chunk covers); purging a document
    // removes its prefix (removeDocument).
  }

  async loadRange(keyPrefix: StorageKey): Promise<Chunk[]> {
    const [documentId, kind] = keyPrefix;
    // Everything comes back with the "snapshot" listing, from one consistent read; automerge-repo asks for
    // incrementals separately, and gets none.
    if (!documentId || kind !== 'snapshot') return [];
    const prefix = await this.hooks.prefixOf(documentId);
    if (!prefix) return [];
    const chunks = await this.readChunks(prefix);
    const state = await this.stateOf(documentId);
    if (state) for (const c of chunks) state.known.set(c.seq, c.data.byteLength);
    return chunks.map((c) => ({ key: [documentId, 'snapshot', String(c.seq)], data: c.data }));
  }

  async removeRange(): Promise<void> {}

  // — Docstore's side —

  /**
   * Every chunk under `prefix`, in order, race-free against compactions (see the top of this file). Reads nothing
   * into any document's state: also what a process that does not hold the document uses to show it.
   */
  async readChunks(prefix: string): Promise<{ seq: number; data: Uint8Array }[]> {
    const read = new Map<number, Uint8Array>();
    for (let pass = 1; ; pass++) {
      const seqs: number[] = [];
      for await (const { key } of this.blobs.list(prefix)) {
        const seq = Number(key.slice(prefix.length));
        if (Number.isSafeInteger(seq) && seq > 0) seqs.push(seq);
      }
      seqs.sort((a, b) => a - b);
      let missing = false;
      for (const seq of seqs) {
        if (read.has(seq)) continue;
        const data = await this.readIfPresent(chunkKey(prefix, seq));
        if (!data) {
          missing = true; // compacted away meanwhile: the chunk covering it is in the next listing
          break;
        }
        read.set(seq, data);
      }
      if (!missing) break;
      if (pass >= MAX_LOAD_PASSES) throw new Error(`live document ${prefix}: chunks kept vanishing while loading`);
    }
    return [...read].sort(([a], [b]) => a - b).map(([seq, data]) => ({ seq, data }));
  }

  /** Bytes this process has stored or will store for a document (its known chunks and what is pending). */
  storedBytes(documentId: string): number {
    const state = this.docs.get(documentId);
    if (!state) return 0;
    if (state.pendingWhole) return state.pendingBytes;
    let total = state.pendingBytes;
    for (const size of state.known.values()) total += size;
    return total;
  }

  chunkCount(documentId: string): number {
    return this.docs.get(documentId)?.known.size ?? 0;
  }

  /** Writes what is pending for a document now (and compacts if it has too many chunks). */
  flush(documentId: string): Promise<void> {
    const state = this.docs.get(documentId);
    if (!state) return Promise.resolve();
    clearTimeout(state.timer);
    state.timer = undefined;
    const run = state.queue.then(() => this.flushNow(documentId, state));
    state.queue = run.catch(() => undefined);
    return run;
  }

  async flushAll(): Promise<void> {
    await Promise.all([...this.docs.keys()].map((id) => this.flush(id).catch((error: unknown) => this.hooks.failed(error, id))));
  }

  /**
   * Writes the whole document as one chunk and deletes what it covers: on compaction, and when this process takes
   * the lease of a document it already holds in memory (it may hold changes the previous owner never wrote).
   */
  writeWhole(documentId: string): Promise<void> {
    const state = this.docs.get(documentId);
    if (!state) return Promise.resolve();
    state.needsWhole = true;
    return this.flush(documentId);
  }

  /**
   * This process became the document's writer: it reads every chunk in storage into its copy (`merge`), so that the
   * whole-document chunk it then writes covers them all — also those the previous owner wrote after this process
   * loaded the document.
   */
  async adopt(documentId: string, merge: (data: Uint8Array) => void): Promise<void> {
    const state = await this.stateOf(documentId);
    if (!state) return;
    const chunks = await this.readChunks(state.prefix);
    if (chunks.length) merge(concat(chunks.map((c) => c.data)));
    for (const c of chunks) state.known.set(c.seq, c.data.byteLength);
    await this.writeWhole(documentId);
  }

  /** Forgets a document's state (after it was flushed and dropped from memory). */
  forget(documentId: string): void {
    const state = this.docs.get(documentId);
    if (state) clearTimeout(state.timer);
    this.docs.delete(documentId);
  }

  private async flushNow(documentId: string, state: DocState): Promise<void> {
    if (!this.hooks.writable(documentId)) {
      state.pending = [];
      state.pendingBytes = 0;
      state.pendingWhole = false;
      return;
    }
    if (state.needsWhole) {
      state.pending = [];
      state.pendingBytes = 0;
      state.pendingWhole = false;
      state.needsWhole = false;
      await this.writeChunk(documentId, state, undefined);
    } else if (state.pending.length) {
      const data = concat(state.pending);
      const whole = state.pendingWhole;
      state.pending = [];
      state.pendingBytes = 0;
      state.pendingWhole = false;
      await this.writeChunk(documentId, state, data, whole);
    }
    if (state.known.size > this.options.maxChunks) await this.writeChunk(documentId, state, undefined);
  }

  /** One chunk: `data`, or (undefined) the whole document, which covers — and then replaces — every known chunk. */
  private async writeChunk(documentId: string, state: DocState, data: Uint8Array | undefined, whole = false): Promise<void> {
    const bytes = data ?? this.hooks.wholeDocument(documentId);
    if (!bytes) return;
    const covering = data === undefined || whole;
    const after = covering ? bytes.byteLength : this.storedBytes(documentId) + bytes.byteLength;
    const seq = await this.hooks.nextChunk(documentId, after);
    if (seq === undefined) {
      this.hooks.leaseLost(documentId);
      return;
    }
    try {
      await this.blobs.put(chunkKey(state.prefix, seq), Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), {
        size: bytes.byteLength,
        contentType: 'application/octet-stream',
      });
    } catch (error) {
      // The changes are in memory, not in storage: the next flush writes the whole document.
      state.needsWhole = true;
      state.timer ??= setTimeout(() => void this.flush(documentId), this.options.flushMs);
      throw error;
    }
    if (covering) {
      // Newest first: a loader reading in order that finds one missing finds the covering chunk when it lists again.
      for (const old of [...state.known.keys()].filter((s) => s < seq).sort((a, b) => b - a)) {
        await this.blobs.delete(chunkKey(state.prefix, old));
        state.known.delete(old);
      }
    }
    state.known.set(seq, bytes.byteLength);
  }

  private async stateOf(documentId: string): Promise<DocState | undefined> {
    const existing = this.docs.get(documentId);
    if (existing) return existing;
    const prefix = await this.hooks.prefixOf(documentId);
    if (!prefix) return undefined;
    const state = this.docs.get(documentId) ?? {
      prefix,
      known: new Map(),
      pending: [],
      pendingBytes: 0,
      pendingWhole: false,
      needsWhole: false,
      queue: Promise.resolve(),
    };
    this.docs.set(documentId, state);
    return state;
  }

  private async readIfPresent(key: string): Promise<Uint8Array | undefined> {
    let stream: Readable;
    try {
      stream = await this.blobs.read(key);
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
    const parts: Buffer[] = [];
    try {
      for await (const part of stream) parts.push(part as Buffer);
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
    return Buffer.concat(parts);
  }
}

function isMissing(error: unknown): boolean {
  const e = error as { code?: string; name?: string; $metadata?: { httpStatusCode?: number } };
  return e?.code === 'ENOENT' || e?.name === 'NoSuchKey' || e?.name === 'NotFound' || e?.$metadata?.httpStatusCode === 404;
}

function concat(parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  return Buffer.concat(parts.map((p) => Buffer.from(p.buffer, p.byteOffset, p.byteLength)));
}
