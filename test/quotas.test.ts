// Tenant quotas (checked before any bytes are stored; presigned uploads on the declared size, completion on the
// real one), usage, and MIME detection (declared type checked against the bytes: recorded, or refused).
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql } from './gql/index.js';
import { CompleteUpload, RequestUpload } from './support/documents.js';
import { createTenant, type TenantFixture } from './support/fixtures.js';
import { ADMIN_TOKEN, ok, payload, sha256, startTestApp, type TestApp } from './support/harness.js';

const SetLimits = graphql(`
  mutation SetLimits($input: SetTenantLimitsInput!) {
    setTenantLimits(input: $input) {
      __typename
      ... on SetTenantLimitsPayload { tenant { limits { maxFileBytes maxTotalBytes maxFiles } } }
      ... on Error { code message }
    }
  }
`);

const Usage = graphql(`query Usage { viewer { tenant { usage { files versions bytes } limits { maxFiles } } } }`);

const Create = graphql(`
  mutation QuotaCreate($input: CreateFileInput!) {
    createFile(input: $input) {
      __typename
      ... on CreateFilePayload { deduplicated file { id } version { id mimeType detectedMimeType mimeMismatch } }
      ... on QuotaExceededError { code message quota limit used requested }
      ... on MimeMismatchError { code message declared detected }
      ... on Error { code message }
    }
  }
`);

const Delete = graphql(`mutation QuotaDelete($id: ID!) { deleteFile(input: { fileId: $id }) { __typename } }`);
const Purge = graphql(`mutation QuotaPurge($id: ID!) { purgeFile(input: { fileId: $id }) { __typename ... on PurgeFilePayload { receipt { blobs bytes } } } }`);

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

let t: TestApp;
let acme: TenantFixture;

const usage = async () => ok(await t.gql(Usage, {}, acme.key)).viewer.tenant!.usage;
const create = async (name: string, content: string, mimeType?: string) =>
  ok(await t.gql(Create, { input: { name, content, mimeType } }, acme.key)).createFile;
const blobFiles = () => {
  const dir = path.join(t.dataDir, 'blobs');
  const walk = (d: string): string[] => (fs.existsSync(d) ? fs.readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(d, e.name)) : [e.name])) : []);
  return walk(dir).length;
};

beforeAll(async () => {
  t = await startTestApp({ listen: true });
  acme = await createTenant(t, 'acme');
});
afterAll(async () => t?.close());

describe('tenant quotas', () => {
  it('only the admin sets limits; a tenant sees its own', async () => {
    const denied = await t.gql(SetLimits, { input: { tenantId: acme.tenantId, maxFiles: 100 } }, acme.key);
    expect(denied.errors?.[0]?.extensions?.code ?? (denied.data?.setTenantLimits as { code?: string } | undefined)?.code).toMatch(/FORBIDDEN|UNAUTHENTICATED|UNAUTHORIZED/);
    const set = payload(
      ok(await t.gql(SetLimits, { input: { tenantId: acme.tenantId, maxFileBytes: 1000, maxTotalBytes: 2500, maxFiles: 3 } }, ADMIN_TOKEN)).setTenantLimits,
      'SetTenantLimitsPayload',
    );
    expect(set.tenant.limits).toEqual({ maxFileBytes: 1000, maxTotalBytes: 2500, maxFiles: 3 });
    expect(await usage()).toEqual({ files: 0, versions: 0, bytes: 0 });
  });

  it('refuses a file over maxFileBytes before storing anything', async () => {
    const before = blobFiles();
    const result = await create('big.txt', 'x'.repeat(1500));
    expect(result).toMatchObject({ __typename: 'QuotaExceededError', code: 'QUOTA_EXCEEDED', quota: 'maxFileBytes', limit: 1000, requested: 1500 });
    expect(blobFiles()).toBe(before);
    expect(await usage()).toEqual({ files: 0, versions: 0, bytes: 0 });
  });

  it('counts stored bytes once per content, and files; refuses past maxTotalBytes and maxFiles', async () => {
    const a = await create('a.txt', 'a'.repeat(900));
    const b = await create('b.txt', 'b'.repeat(900));
    expect(a.__typename).toBe('CreateFilePayload');
    expect(b.__typename).toBe('CreateFilePayload');
    expect(await usage()).toEqual({ files: 2, versions: 2, bytes: 1800 });
    // The same bytes again cost nothing: de-duplicated.
    expect(await create('a-again.txt', 'a'.repeat(900))).toMatchObject({ deduplicated: true });
    const tooMuch = await create('c.txt', 'c'.repeat(900));
    expect(tooMuch).toMatchObject({ __typename: 'QuotaExceededError', quota: 'maxTotalBytes', limit: 2500, used: 1800, requested: 900 });
    expect(await create('small.txt', 'c'.repeat(100))).toMatchObject({ __typename: 'CreateFilePayload' });
    expect(await create('fourth.txt', 'd')).toMatchObject({ __typename: 'QuotaExceededError', quota: 'maxFiles', limit: 3, used: 3 });
    expect(await usage()).toEqual({ files: 3, versions: 3, bytes: 1900 });
    // Deleting frees a file of maxFiles; its bytes stay stored (and counted) while it is in the trash.
    const bId = (b as { file: { id: string } }).file.id;
    await t.gql(Delete, { id: bId }, acme.key);
    expect(await usage()).toEqual({ files: 2, versions: 2, bytes: 1900 });
    expect(await create('fourth.txt', 'd')).toMatchObject({ __typename: 'CreateFilePayload' });
    // Purging frees them.
    expect(ok(await t.gql(Purge, { id: bId }, acme.key)).purgeFile).toMatchObject({ receipt: { blobs: 1, bytes: 900 } });
    expect(await usage()).toEqual({ files: 3, versions: 3, bytes: 1001 });
  });

  it('checks a presigned upload’s declared size at request and the real bytes at completion', async () => {
    const big = Buffer.from('u'.repeat(1200));
    const refused = ok(await t.gql(RequestUpload, { input: { name: 'big.bin', size: big.length, sha256: sha256(big) } }, acme.key)).requestFileUpload;
    expect(refused).toMatchObject({ __typename: 'QuotaExceededError', code: 'QUOTA_EXCEEDED', message: expect.stringMatching(/per file/) });

    await t.gql(SetLimits, { input: { tenantId: acme.tenantId, maxFiles: 10 } }, ADMIN_TOKEN);
    const body = Buffer.from('v'.repeat(800));
    const requested = payload(
      ok(await t.gql(RequestUpload, { input: { name: 'ok.bin', size: body.length, sha256: sha256(body) } }, acme.key)).requestFileUpload,
      'RequestFileUploadPayload',
    );
    const put = await fetch(requested.uploadUrl!, { method: 'PUT', headers: requested.uploadHeaders as Record<string, string>, body: new Uint8Array(body) });
    expect(put.status).toBeLessThan(300);
    // Meanwhile the tenant filled its space: completion refuses, and the upload is over.
    await t.gql(SetLimits, { input: { tenantId: acme.tenantId, maxTotalBytes: 1200 } }, ADMIN_TOKEN);
    const completed = ok(await t.gql(CompleteUpload, { uploadId: requested.uploadId! }, acme.key)).completeFileUpload;
    expect(completed).toMatchObject({ __typename: 'QuotaExceededError', message: expect.stringMatching(/limit of 1200 bytes/) });
    const again = ok(await t.gql(CompleteUpload, { uploadId: requested.uploadId! }, acme.key)).completeFileUpload;
    expect(again).toMatchObject({ code: 'CONFLICT' });
    await t.gql(SetLimits, { input: { tenantId: acme.tenantId, maxTotalBytes: null, maxFileBytes: null, maxFiles: null } }, ADMIN_TOKEN);
  });
});

describe('MIME detection', () => {
  it('records a declared type the bytes contradict', async () => {
    const png = ok(await t.gql(Create, { input: { name: 'notes.txt', contentBase64: PNG.toString('base64'), mimeType: 'text/plain' } }, acme.key)).createFile;
    expect(png).toMatchObject({ version: { mimeType: 'text/plain', detectedMimeType: 'image/png', mimeMismatch: true } });
    const fine = await create('readme.md', '# Readme', 'text/markdown');
    expect(fine).toMatchObject({ version: { mimeType: 'text/markdown', detectedMimeType: null, mimeMismatch: false } });
    const html = await create('page.txt', '<!doctype html><html><body>hi</body></html>', 'text/plain');
    expect(html).toMatchObject({ version: { mimeType: 'text/plain', mimeMismatch: false } }); // text declared for text: fine
    const zip = ok(await t.gql(Create, { input: { name: 'x.docx', contentBase64: PNG.toString('base64'), mimeType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' } }, acme.key)).createFile;
    expect(zip).toMatchObject({ deduplicated: true }); // same bytes as notes.txt: that file, nothing new
  });

  it('refuses it with DOCSTORE_MIME_MISMATCH=reject, storing nothing', async () => {
    const strict = await startTestApp({ env: { DOCSTORE_MIME_MISMATCH: 'reject' } });
    try {
      const tenant = await createTenant(strict, 'strict');
      const refused = ok(
        await strict.gql(Create, { input: { name: 'doc.pdf', content: 'just text', mimeType: 'application/pdf' } }, tenant.key),
      ).createFile;
      expect(refused).toMatchObject({ __typename: 'MimeMismatchError', code: 'MIME_MISMATCH', declared: 'application/pdf', detected: 'text/plain' });
      const usageNow = ok(await strict.gql(Usage, {}, tenant.key)).viewer.tenant!.usage;
      expect(usageNow).toEqual({ files: 0, versions: 0, bytes: 0 });
      const accepted = ok(await strict.gql(Create, { input: { name: 'doc.md', content: '# ok', mimeType: 'text/markdown' } }, tenant.key)).createFile;
      expect(accepted.__typename).toBe('CreateFilePayload');
    } finally {
      await strict.close();
    }
  });
});
