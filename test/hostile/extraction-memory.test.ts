// The last line of defence, tried on its own server (its own process: its memory is measured alone): with the
// decompression limit lifted, the 150 MB DOCX reaches the DOCX parser, and the process reading it outgrows its memory
// limit. That process dies (MEMORY), the API keeps answering and stores nothing, and the next document converts in a
// fresh process. At HEAD the same document aborted the API process itself (V8 heap out of memory).
import { afterAll, beforeAll, expect, it } from 'vitest';
import { graphql } from '../gql/index.js';
import { makeDocx } from '../support/documents-factory.js';
import { createTenant, type TenantFixture } from '../support/fixtures.js';
import { expectHealthy, summary, watched, watchFilesAs } from '../support/health-watch.js';
import { docxBomb } from '../support/hostile-documents.js';
import { ok, payload, startTestApp, type TestApp } from '../support/harness.js';

const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

const CreateFile = graphql(`
  mutation ParseMemCreateFile($input: CreateFileInput!) {
    createFile(input: $input) {
      __typename
      ... on CreateFilePayload { file { id } }
      ... on Error { code message }
    }
  }
`);

const Convert = graphql(`
  mutation ParseMemConvert($input: ConvertFileInput!) {
    convertFile(input: $input) {
      __typename
      ... on ConvertFilePayload { version { number format } }
      ... on ExtractionFailedError { code message reason }
      ... on Error { code message }
    }
  }
`);

const Versions = graphql(`
  query ParseMemVersions($id: ID!) { file(id: $id) { versions(first: 10) { edges { node { number } } } } }
`);

let t: TestApp;
let tenant: TenantFixture;
let bomb: Buffer;
let fine: Buffer;

beforeAll(async () => {
  t = await startTestApp({
    listen: true,
    // The wall-time limit is not what this file tests: high enough that a loaded machine still reaches the memory limit first.
    env: { DOCSTORE_EXTRACT_MAX_DECOMPRESSED_BYTES: String(4_000_000_000), DOCSTORE_EXTRACT_MEMORY_MB: '256', DOCSTORE_EXTRACT_WORKERS: '1', DOCSTORE_EXTRACT_TIMEOUT_MS: '300000' },
  });
  tenant = await createTenant(t, 'memory');
  // A parallel client of another tenant lists its files throughout; its p99 must stay under a second.
  watchFilesAs((await createTenant(t, 'reader')).key);
  bomb = docxBomb(150_000_000);
  fine = await makeDocx('Still working', ['The next document converts as usual.']);
});
afterAll(async () => {
  await t?.close();
  process.stdout.write(summary());
});

const upload = async (name: string, bytes: Buffer) =>
  payload(ok(await t.gql(CreateFile, { input: { name, contentBase64: bytes.toString('base64'), mimeType: DOCX } }, tenant.key)).createFile, 'CreateFilePayload');

it('the 150 MB DOCX reaches the parser: its process dies of MEMORY, is replaced, and the next document converts', async () => {
  const created = await upload('bomb.docx', bomb);
  const { result, watch } = await watched(t.url!, async () => ({
    result: ok(await t.gql(Convert, { input: { fileId: created.file.id, to: 'MARKDOWN' } }, tenant.key)).convertFile,
  }));
  expect(result).toMatchObject({ __typename: 'ExtractionFailedError', code: 'EXTRACTION_FAILED', reason: 'MEMORY' });
  expect(ok(await t.gql(Versions, { id: created.file.id }, tenant.key)).file!.versions.edges).toHaveLength(1);
  expectHealthy(watch);

  const next = await upload('fine.docx', fine);
  const converted = payload(ok(await t.gql(Convert, { input: { fileId: next.file.id, to: 'MARKDOWN' } }, tenant.key)).convertFile, 'ConvertFilePayload');
  expect(converted.version).toMatchObject({ number: 2, format: 'MARKDOWN' });
});
