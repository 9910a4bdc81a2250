// The chunk storage of live documents, on real blob stores (local disk and s3rver): a loader racing a compaction
// never loses a change, whatever point of the compaction it interleaves with; and the fencing token refuses a stale
// owner's chunks (both databases).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as A from '@automerge/automerge';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { createBlobStore, type BlobStore } from '../src/infra/blobs/index.js';
import { chunkKey, LiveChunkStore } from '../src/modules/live/live-storage.js';
import * as liveRepo from '../src/modules/live/live.repository.js';
import { createTenant } from './support/fixtures.js';
import { SECRET_KEY, startTestApp, type TestApp } from './support/harness.js';
import { startS3rver, type S3Peer } from './support/s3rver.js';

const CHANGES = 5;
const DOC = 'doc-under-test';

/** A blob store whose reads and deletes can be held at chosen points, to interleave a loader with a compaction. */
class GatedStore {
  beforeRead?: (key: string) => Promise<void>;
  beforeDelete?: (key: string) => Promise<void>;
  constructor(readonly inner: BlobStore) {}
  asStore(): BlobStore {
    const inner = this.inner;
    return Object.assign(Object.create(inner) as BlobStore, {
      read: async (key: string) => (await this.beforeRead?.(key), inner.read(key)),
      delete: async (key: string) => (await this.beforeDelete?.(key), inner.delete(key)),
      list: (prefix: string) => inner.list(prefix),
      put: inner.put.bind(inner),
    });
  }
}

function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

describe.each(['local', 's3'] as const)('live chunk storage (%s blobs)', (blobKind) => {
  let s3: S3Peer | undefined;
  let blobs: BlobStore;
  let dir: string;

  beforeAll(async () => {
    s3 = blobKind === 's3' ? await startS3rver() : undefined;
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'docstore-live-'));
    blobs = await createBlobStore(loadConfig({ DOCSTORE_DATA_DIR: dir, ...s3?.env }), SECRET_KEY, pino({ level: 'silent' }));
  });

  afterAll(async () => {
    await s3?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** A writer that stored CHANGES chunks (one change each) under a fresh prefix, and the document it holds. */
  async function writerWithChunks(prefix: string, gated: GatedStore) {
    let seq = 0;
    let doc = A.from<{ items: string[] }>({ items: [] });
    const store = new LiveChunkStore(gated.asStore(), { flushBytes: 1 << 20, flushMs: 60_000, maxChunks: 100 }, {
      prefixOf: async () => prefix,
      writable: () => true,
      nextChunk: async () => ++seq,
      wholeDocument: () => A.save(doc),
      leaseLost: () => {
        throw new Error('unexpected');
      },
      failed: (error) => {
        throw error;
      },
    });
    await store.save([DOC, 'snapshot', 'first'], A.save(doc));
    await store.flush(DOC);
    for (let i = 0; i < CHANGES; i++) {
      const before = A.getHeads(doc);
      doc = A.change(doc, (d) => void d.items.push(`change-${i}`));
      await store.save([DOC, 'incremental', `h${i}`], A.saveSince(doc, before));
      await store.flush(DOC);
    }
    return { store, doc: () => doc };
  }

  function loaderOn(prefix: string, gated: GatedStore) {
    return new LiveChunkStore(gated.asStore(), { flushBytes: 1, flushMs: 1, maxChunks: 100 }, {
      prefixOf: async () => prefix,
      writable: () => false,
      nextChunk: async () => undefined,
      wholeDocument: () => undefined,
      leaseLost: () => undefined,
      failed: () => undefined,
    });
  }

  const itemsOf = (chunks: { data: Uint8Array }[]) => {
    let doc = A.init<{ items?: string[] }>();
    for (const c of chunks) doc = A.loadIncremental(doc, c.data);
    return doc.items ?? [];
  };

  const all = Array.from({ length: CHANGES }, (_, i) => `change-${i}`);

  // The loader is held after reading `readFirst` chunks; the compaction then runs until it has deleted `deletedFirst`
  // of the covered chunks (newest first) — or to its end — and the loader finishes while it is held there.
  const points = Array.from({ length: CHANGES + 2 }, (_, readFirst) => Array.from({ length: CHANGES + 2 }, (_, deletedFirst) => [readFirst, deletedFirst] as const)).flat();

  it(`loses no change at any of ${points.length} interleavings of a load with a compaction`, { timeout: 120_000 }, async () => {
    for (const [readFirst, deletedFirst] of points) {
      const prefix = `t/race/${blobKind}-${readFirst}-${deletedFirst}-${Date.now()}/`;
      const writerBlobs = new GatedStore(blobs);
      const writer = await writerWithChunks(prefix, writerBlobs);
      const loaderBlobs = new GatedStore(blobs);
      const loaderHeld = gate();
      const loaderReached = gate();
      let reads = 0;
      loaderBlobs.beforeRead = async () => {
        if (reads++ === readFirst) {
          loaderReached.open();
          await loaderHeld.opened;
        }
      };
      const loading = loaderOn(prefix, loaderBlobs).readChunks(prefix);
      await Promise.race([loaderReached.opened, loading]);
      // The compaction, held after `deletedFirst` deletions.
      const compactionHeld = gate();
      const compactionReached = gate();
      let deletes = 0;
      writerBlobs.beforeDelete = async () => {
        if (deletes++ === deletedFirst) {
          compactionReached.open();
          await compactionHeld.opened;
        }
      };
      const compacting = writer.store.writeWhole(DOC);
      await Promise.race([compactionReached.opened, compacting]);
      loaderHeld.open();
      const loaded = await loading;
      compactionHeld.open();
      await compacting;
      expect({ readFirst, deletedFirst, items: [...itemsOf(loaded)].sort() }).toEqual({ readFirst, deletedFirst, items: all });
      // After the compaction, storage holds one chunk: the whole document.
      const left: string[] = [];
      for await (const o of blobs.list(prefix)) left.push(o.key);
      expect(left).toEqual([chunkKey(prefix, CHANGES + 2)]);
    }
  });

  it('a loader that lists once (no second listing) does lose changes in such an interleaving: the race is real', { timeout: 60_000 }, async () => {
    const prefix = `t/race/${blobKind}-naive-${Date.now()}/`;
    const writer = await writerWithChunks(prefix, new GatedStore(blobs));
    const listed: string[] = [];
    for await (const o of blobs.list(prefix)) listed.push(o.key);
    await writer.store.writeWhole(DOC); // between the naive loader's listing and its reads
    const naive: { data: Uint8Array }[] = [];
    for (const key of listed) {
      try {
        const parts: Buffer[] = [];
        for await (const p of await blobs.read(key)) parts.push(p as Buffer);
        naive.push({ data: Buffer.concat(parts) });
      } catch {
        // gone
      }
    }
    expect(itemsOf(naive).length).toBeLessThan(CHANGES);
    expect([...itemsOf(await loaderOn(prefix, new GatedStore(blobs)).readChunks(prefix))].sort()).toEqual(all);
  });
});

describe('the fencing token', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });

  afterAll(async () => {
    await t?.close();
  });

  it('refuses the chunks of an owner whose lease another process took, and grants the new owner’s', { timeout: 60_000 }, async () => {
    const acme = await createTenant(t, 'fencing');
    const tenantId = Buffer.from(acme.tenantId, 'base64').toString('utf8').split(':')[1]!;
    const created = await t.app.services.live.create(tenantId, { name: 'fenced', initialContent: { n: 1 } });
    const { documentId } = await t.app.db.prisma.liveDocument.findUniqueOrThrow({ where: { fileId: created.fileId } });
    const prisma = t.app.db.prisma;
    const state = { heads: [], storedBytes: 1 };
    const first = await liveRepo.acquireLease(prisma, documentId, 'process-a', 'ws://a', 30);
    expect(first).toBeDefined();
    expect(await liveRepo.acquireLease(prisma, documentId, 'process-b', 'ws://b', 30)).toBeUndefined(); // held
    expect(await liveRepo.nextChunk(prisma, documentId, 'process-a', first!, state)).toBe(2);
    // A's lease lapses (it stalled); B takes the document with a new token.
    await prisma.$executeRaw`UPDATE live_documents SET lease_expires_at = now() - interval '1 second' WHERE document_id = ${documentId}`;
    const second = await liveRepo.acquireLease(prisma, documentId, 'process-b', 'ws://b', 30);
    expect(second).toBe(first! + 1n);
    expect(await liveRepo.currentOwner(prisma, documentId)).toEqual({ owner: 'process-b', url: 'ws://b' });
    // A wakes up and writes: refused, whatever it believes; B's write is granted.
    expect(await liveRepo.nextChunk(prisma, documentId, 'process-a', first!, state)).toBeUndefined();
    expect(await liveRepo.nextChunk(prisma, documentId, 'process-b', second!, state)).toBe(3);
    // A stale store never writes the chunk: it learns it lost the lease.
    let lost = false;
    const before: string[] = [];
    for await (const o of t.app.blobs.list(`t/${tenantId}/live/${created.fileId}/`)) before.push(o.key);
    const stale = new LiveChunkStore(t.app.blobs, { flushBytes: 1, flushMs: 10, maxChunks: 10 }, {
      prefixOf: async () => `t/${tenantId}/live/${created.fileId}/`,
      writable: () => true,
      nextChunk: (id, storedBytes) => liveRepo.nextChunk(prisma, id, 'process-a', first!, { heads: [], storedBytes }),
      wholeDocument: () => undefined,
      leaseLost: () => void (lost = true),
      failed: (error) => {
        throw error;
      },
    });
    await stale.save([documentId, 'incremental', 'x'], new Uint8Array([1, 2, 3]));
    expect(lost).toBe(true);
    const after: string[] = [];
    for await (const o of t.app.blobs.list(`t/${tenantId}/live/${created.fileId}/`)) after.push(o.key);
    expect(after).toEqual(before);
  });
});
