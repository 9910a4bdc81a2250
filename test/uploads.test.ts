import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CompleteUpload, RequestUpload } from './support/documents.js';
import { createTenant, type TenantFixture } from './support/fixtures.js';
import { ok, payload, sha256, startTestApp, type TestApp } from './support/harness.js';

let t: TestApp;
let a: TenantFixture;
let b: TenantFixture;

beforeAll(async () => {
  t = await startTestApp({ listen: true });
  a = await createTenant(t, 'up-a');
  b = await createTenant(t, 'up-b');
});
afterAll(async () => t?.close());

async function request(input: Record<string, unknown>, key = a.key) {
  return ok(await t.gql(RequestUpload, { input } as never, key)).requestFileUpload;
}

async function put(upload: { uploadUrl?: string | null; uploadHeaders?: unknown }, body: Buffer) {
  return fetch(upload.uploadUrl!, { method: "PUT", headers: upload.uploadHeaders as Record<string, string>, body: new Uint8Array(body) });
}

describe('presigned uploads (local blob store, real HTTP)', () => {
  it('uploads straight to a signed URL, verifies, and serves the same bytes back', async () => {
    const bytes = Buffer.from('%PDF-1.4\n' + 'x'.repeat(5000));
    const requested = payload(
      await request({ name: 'doc.pdf', size: bytes.length, sha256: sha256(bytes), metadata: { source: 'upload' } }),
      'RequestFileUploadPayload',
    );
    expect(requested.existingFile).toBeNull();
    expect(new URL(requested.uploadUrl!).origin).toBe(t.url);
    expect(Date.parse(requested.expiresAt!)).toBeGreaterThan(Date.now());

    const incomplete = ok(await t.gql(CompleteUpload, { uploadId: requested.uploadId! }, a.key)).completeFileUpload;
    expect(incomplete).toMatchObject({ __typename: 'ValidationError' });

    const response = await put(requested, bytes);
    expect(response.status, await response.clone().text()).toBe(200);
    const done = payload(
      ok(await t.gql(CompleteUpload, { uploadId: requested.uploadId! }, a.key)).completeFileUpload,
      'CompleteFileUploadPayload',
    );
    expect(done.file).toMatchObject({ name: 'doc.pdf', mimeType: 'application/pdf', size: bytes.length, metadata: { source: 'upload' } });
    const downloaded = await fetch(done.file.downloadUrl);
    expect(downloaded.status).toBe(200);
    expect(Buffer.from(await downloaded.arrayBuffer()).equals(bytes)).toBe(true);

    // Completing again is harmless and returns the same file.
    const again = payload(
      ok(await t.gql(CompleteUpload, { uploadId: requested.uploadId! }, a.key)).completeFileUpload,
      'CompleteFileUploadPayload',
    );
    expect(again.file.id).toBe(done.file.id);

    // Bytes the tenant already has need no upload.
    const known = payload(await request({ name: 'again.pdf', size: bytes.length, sha256: sha256(bytes) }), 'RequestFileUploadPayload');
    expect(known).toMatchObject({ uploadUrl: null, uploadId: null, existingFile: { id: done.file.id } });

    // Another tenant's key can neither complete the upload nor learn that the bytes exist.
    expect(ok(await t.gql(CompleteUpload, { uploadId: requested.uploadId! }, b.key)).completeFileUpload).toMatchObject({
      __typename: 'NotFoundError',
    });
    const foreign = payload(await request({ name: 'x.pdf', size: bytes.length, sha256: sha256(bytes) }, b.key), 'RequestFileUploadPayload');
    expect(foreign.existingFile).toBeNull();
  });

  it('uploads a new version of a file', async () => {
    const v1 = Buffer.from('version one');
    const r1 = payload(await request({ name: 'notes.txt', size: v1.length, sha256: sha256(v1), mimeType: 'text/plain' }), 'RequestFileUploadPayload');
    await put(r1, v1);
    const file = payload(ok(await t.gql(CompleteUpload, { uploadId: r1.uploadId! }, a.key)).completeFileUpload, 'CompleteFileUploadPayload');
    const v2 = Buffer.from('# version two');
    const r2 = payload(
      await request({ name: 'notes.md', size: v2.length, sha256: sha256(v2), mimeType: 'text/markdown', fileId: file.file.id }),
      'RequestFileUploadPayload',
    );
    await put(r2, v2);
    const second = payload(ok(await t.gql(CompleteUpload, { uploadId: r2.uploadId! }, a.key)).completeFileUpload, 'CompleteFileUploadPayload');
    expect(second.file).toMatchObject({ id: file.file.id, mimeType: 'text/markdown' });
    expect(second.version).toMatchObject({ number: 2, previousVersion: { number: 1 } });
  });

  it('rejects bodies that do not match the declared size or hash, and tampered or expired URLs', async () => {
    const bytes = Buffer.from('the real content');
    const requested = payload(await request({ name: 'x.txt', size: bytes.length, sha256: sha256(bytes) }), 'RequestFileUploadPayload');
    expect((await put(requested, Buffer.from('the fake content'))).status).toBe(400);
    expect((await put(requested, Buffer.from('short'))).status).toBe(400);
    const tampered = requested.uploadUrl!.replace(/size=\d+/, 'size=999');
    expect((await fetch(tampered, { method: 'PUT', body: bytes, headers: requested.uploadHeaders as never })).status).toBe(403);
    expect(await t.app.db.prisma.file.count({ where: { name: 'x.txt' } })).toBe(0);

    await t.app.db.prisma.upload.update({ where: { id: requested.uploadId! }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect(ok(await t.gql(CompleteUpload, { uploadId: requested.uploadId! }, a.key)).completeFileUpload).toMatchObject({
      __typename: 'UploadExpiredError',
      code: 'UPLOAD_EXPIRED',
    });
  });

  it('validates the request', async () => {
    expect(await request({ name: 'x', size: 1, sha256: 'abc' })).toMatchObject({ __typename: 'ValidationError' });
    expect(await request({ name: 'x', size: -1, sha256: sha256('x') })).toMatchObject({ __typename: 'ValidationError' });
    expect(await request({ name: 'x', size: 1e13, sha256: sha256('x') })).toMatchObject({ __typename: 'TooLargeError' });
    const unknown = ok(await t.gql(CompleteUpload, { uploadId: '00000000-0000-4000-8000-000000000000' }, a.key));
    expect(unknown.completeFileUpload).toMatchObject({ __typename: 'NotFoundError' });
    const garbage = ok(await t.gql(CompleteUpload, { uploadId: 'garbage' }, a.key));
    expect(garbage.completeFileUpload).toMatchObject({ __typename: 'NotFoundError' });
  });
});
