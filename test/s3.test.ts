import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blobKeys } from '../src/infra/blobs/index.js';
import { graphql } from './gql/index.js';
import { createTenant, type TenantFixture } from './support/fixtures.js';
import { ok, payload, sha256, startTestApp, type TestApp } from './support/harness.js';
import { startS3rver, type S3Peer } from './support/s3rver.js';
import { CompleteUpload, RequestUpload } from './support/documents.js';

const CreateFile = graphql(`
  mutation S3CreateFile($input: CreateFileInput!) {
    createFile(input: $input) {
      __typename
      ... on CreateFilePayload { deduplicated file { id size sha256 downloadUrl } }
      ... on Error { message code }
    }
  }
`);

const DeleteFile = graphql(`
  mutation S3DeleteFile($id: ID!) {
    deleteFile(input: { fileId: $id }) { __typename }
  }
`);

const PurgeFile = graphql(`
  mutation S3PurgeFile($id: ID!) {
    purgeFile(input: { fileId: $id }) { __typename }
  }
`);

const MiB = 1024 * 1024;
let s3: S3Peer;
let t: TestApp;
let a: TenantFixture;
let origin: http.Server;
let originUrl: string;
const large = Buffer.alloc(12 * MiB);
for (let i = 0; i < large.length; i += 4096) large.writeUInt32BE(i, i);

beforeAll(async () => {
  s3 = await startS3rver();
  origin = http.createServer((_req, res) => res.end(large));
  await new Promise<void>((r) => origin.listen(0, '127.0.0.1', r));
  originUrl = `http://127.0.0.1:${(origin.address() as AddressInfo).port}/large.bin`;
  t = await startTestApp({
    env: { ...s3.env, DOCSTORE_ALLOW_PRIVATE_URLS: 'true', DOCSTORE_MULTIPART_THRESHOLD_BYTES: String(5 * MiB) },
  });
  a = await createTenant(t, 's3-tenant');
});
afterAll(async () => {
  await t?.close();
  await s3?.close();
  await new Promise<void>((r) => origin.close(() => r()));
});

describe('S3 blob store (s3rver)', () => {
  it('stores inline content and serves it through a presigned GET', async () => {
    expect(t.app.blobs.kind).toBe('s3');
    const created = payload(
      ok(await t.gql(CreateFile, { input: { name: 'hello.txt', content: 'hello s3' } }, a.key)).createFile,
      'CreateFilePayload',
    );
    expect(created.file.downloadUrl.startsWith(`${s3.endpoint}/${s3.bucket}/t/`)).toBe(true);
    const response = await fetch(created.file.downloadUrl);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-disposition')).toContain('hello.txt');
    expect(await response.text()).toBe('hello s3');
  });

  it('streams a large fetched file to S3 as a multipart upload, byte for byte', async () => {
    const created = payload(
      ok(await t.gql(CreateFile, { input: { name: 'large.bin', contentUrl: originUrl } }, a.key)).createFile,
      'CreateFilePayload',
    );
    expect(created.file).toMatchObject({ size: large.length, sha256: sha256(large) });
    const body = Buffer.from(await (await fetch(created.file.downloadUrl)).arrayBuffer());
    expect(body.length).toBe(large.length);
    expect(sha256(body)).toBe(sha256(large));

    // In the trash the object stays; purged, it goes.
    ok(await t.gql(DeleteFile, { id: created.file.id }, a.key));
    const tenantId = Buffer.from(a.tenantId, 'base64').toString().split(':')[1]!;
    expect(await t.app.blobs.stat(blobKeys.content(tenantId, sha256(large)))).not.toBeNull();
    ok(await t.gql(PurgeFile, { id: created.file.id }, a.key));
    expect(await t.app.blobs.stat(blobKeys.content(tenantId, sha256(large)))).toBeNull();
  });

  it('takes presigned uploads straight to the bucket and verifies them on completion', async () => {
    const bytes = Buffer.from('uploaded to s3 directly');
    const requested = payload(
      ok(await t.gql(RequestUpload, { input: { name: 'direct.txt', size: bytes.length, sha256: sha256(bytes), mimeType: 'text/plain' } }, a.key))
        .requestFileUpload,
      'RequestFileUploadPayload',
    );
    expect(requested.uploadUrl!.startsWith(s3.endpoint)).toBe(true);
    expect(requested.uploadHeaders).toMatchObject({ 'x-amz-checksum-sha256': Buffer.from(sha256(bytes), 'hex').toString('base64') });
    const put = await fetch(requested.uploadUrl!, { method: 'PUT', headers: requested.uploadHeaders as never, body: new Uint8Array(bytes) });
    expect(put.status).toBe(200);
    const done = payload(
      ok(await t.gql(CompleteUpload, { uploadId: requested.uploadId! }, a.key)).completeFileUpload,
      'CompleteFileUploadPayload',
    );
    expect(done.file).toMatchObject({ name: 'direct.txt', mimeType: 'text/plain', sha256: sha256(bytes) });
    expect(await (await fetch(done.file.downloadUrl)).text()).toBe('uploaded to s3 directly');
  });

  it('takes large uploads in presigned parts, straight to the bucket', async () => {
    const requested = payload(
      ok(await t.gql(RequestUpload, { input: { name: 'large-upload.bin', size: large.length, sha256: sha256(large) } }, a.key))
        .requestFileUpload,
      'RequestFileUploadPayload',
    );
    expect(requested.uploadUrl).toBeNull();
    const { partSize, parts } = requested.multipart!;
    expect(partSize).toBe(5 * MiB);
    expect(parts.map((p) => [p.partNumber, p.offset, p.size])).toEqual([
      [1, 0, 5 * MiB],
      [2, 5 * MiB, 5 * MiB],
      [3, 10 * MiB, 2 * MiB],
    ]);
    const etags = [];
    for (const part of parts) {
      expect(part.url.startsWith(s3.endpoint)).toBe(true);
      const body = new Uint8Array(large.subarray(part.offset, part.offset + part.size));
      const response = await fetch(part.url, { method: 'PUT', body });
      expect(response.status).toBe(200);
      etags.push({ partNumber: part.partNumber, etag: response.headers.get('etag')! });
    }
    const missing = ok(await t.gql(CompleteUpload, { uploadId: requested.uploadId!, parts: etags.slice(0, 2) }, a.key));
    expect(missing.completeFileUpload).toMatchObject({ __typename: 'ValidationError', code: 'VALIDATION' });

    const done = payload(
      ok(await t.gql(CompleteUpload, { uploadId: requested.uploadId!, parts: etags }, a.key)).completeFileUpload,
      'CompleteFileUploadPayload',
    );
    expect(done.file).toMatchObject({ name: 'large-upload.bin', size: large.length, sha256: sha256(large) });
    const downloaded = Buffer.from(await (await fetch(done.file.downloadUrl)).arrayBuffer());
    expect(sha256(downloaded)).toBe(sha256(large));
  });

  it('rejects an upload whose bytes do not match the declared hash and removes the object', async () => {
    const declared = Buffer.from('the declared bytes!');
    const actual = Buffer.from('some other bytes!!!');
    expect(actual.length).toBe(declared.length);
    const requested = payload(
      ok(await t.gql(RequestUpload, { input: { name: 'bad.txt', size: declared.length, sha256: sha256(declared) } }, a.key))
        .requestFileUpload,
      'RequestFileUploadPayload',
    );
    // s3rver does not check the signed checksum header (real S3 would refuse this PUT); completion must catch it.
    await fetch(requested.uploadUrl!, { method: 'PUT', headers: requested.uploadHeaders as never, body: new Uint8Array(actual) });
    const result = ok(await t.gql(CompleteUpload, { uploadId: requested.uploadId! }, a.key)).completeFileUpload;
    expect(result).toMatchObject({
      __typename: 'ContentMismatchError',
      code: 'CONTENT_MISMATCH',
      expectedSha256: sha256(declared),
      actualSha256: sha256(actual),
    });
    const tenantId = Buffer.from(a.tenantId, 'base64').toString().split(':')[1]!;
    expect(await t.app.blobs.stat(blobKeys.staging(tenantId, requested.uploadId!))).toBeNull();
    expect(await t.app.db.prisma.file.count({ where: { name: 'bad.txt' } })).toBe(0);
  });
});
