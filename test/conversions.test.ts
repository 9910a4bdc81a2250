// Format conversions as new versions, tried as a user would: real DOCX, HTML, PDF and XLSX files made by real
// writers; version lineage (previousVersion and derivedFrom); text and pages; typed errors storing nothing;
// large conversions as jobs.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql } from './gql/index.js';
import { makeEncryptedPdf, makePdf, makeRichDocx, makeXlsx } from './support/documents-factory.js';
import { createTenant, type TenantFixture } from './support/fixtures.js';
import { localId, ok, payload, startTestApp, type TestApp, waitFor } from './support/harness.js';

const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const CreateFile = graphql(`
  mutation ConvCreateFile($input: CreateFileInput!) {
    createFile(input: $input) {
      __typename
      ... on CreateFilePayload { file { id } version { id number format } }
      ... on Error { code message }
    }
  }
`);

const Convert = graphql(`
  mutation Convert($input: ConvertFileInput!) {
    convertFile(input: $input) {
      __typename
      ... on ConvertFilePayload {
        conversion { id status target }
        version {
          id number format mimeType
          previousVersion { id number }
          derivedFrom { id number format }
          text
        }
      }
      ... on UnsupportedConversionError { code message from to }
      ... on Error { code message }
    }
  }
`);

const NewVersion = graphql(`
  mutation ConvNewVersion($input: CreateFileVersionInput!) {
    createFileVersion(input: $input) {
      __typename
      ... on CreateFileVersionPayload {
        version { id number format }
        conversion { status resultVersion { number format derivedFrom { number } text } }
      }
      ... on Error { code message }
    }
  }
`);

const Versions = graphql(`
  query ConvVersions($id: ID!) {
    file(id: $id) { versions(first: 20) { edges { node { number format } } } }
  }
`);

const VersionText = graphql(`
  query ConvVersionText($id: ID!, $max: Int) {
    node(id: $id) { ... on FileVersion { format text(maxLength: $max) pages(first: 10) { edges { node { number text } } } } }
  }
`);

const ConversionNode = graphql(`
  query ConvNode($id: ID!) {
    node(id: $id) {
      ... on Conversion { status error errorCode resultVersion { number format derivedFrom { number } } }
    }
  }
`);

const Supported = graphql(`query Supported { supportedConversions { from to } }`);

let t: TestApp;
let acme: TenantFixture;
let other: TenantFixture;

beforeAll(async () => {
  // Sources above 20 kB convert in a job.
  t = await startTestApp({ env: { DOCSTORE_CONVERT_INLINE_BYTES: '20000', DOCSTORE_ALLOW_PRIVATE_URLS: 'true' } });
  acme = await createTenant(t, 'acme');
  other = await createTenant(t, 'other');
});
afterAll(async () => t?.close());

async function upload(name: string, bytes: Buffer, mimeType?: string) {
  const result = ok(await t.gql(CreateFile, { input: { name, contentBase64: bytes.toString('base64'), mimeType } }, acme.key)).createFile;
  return payload(result, 'CreateFilePayload');
}

async function convertOk(fileId: string, to: 'MARKDOWN' | 'TEXT' | 'HTML' | 'JSON', versionId?: string) {
  const result = ok(await t.gql(Convert, { input: { fileId, to, versionId } }, acme.key)).convertFile;
  const converted = payload(result, 'ConvertFilePayload');
  expect(converted.conversion).toMatchObject({ status: 'COMPLETED', target: to });
  return converted.version!;
}

describe('convertFile', () => {
  it('HTML fetched from a URL → Markdown: links resolved against where it came from, code languages kept', async () => {
    const page = `<!doctype html><html><body><main><h1>Guide</h1>
      <p>See <a href="../api/search.html">the search API</a> and <img src="img/diagram.png" alt="diagram">.</p>
      <pre><code class="language-ts">const hits = await search('q');</code></pre></main></body></html>`;
    const server = http.createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(page));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/docs/guide/index.html`;
      const created = payload(ok(await t.gql(CreateFile, { input: { name: 'guide.html', contentUrl: url } }, acme.key)).createFile, 'CreateFilePayload');
      const markdown = (await convertOk(created.file.id, 'MARKDOWN')).text!;
      const origin = new URL(url).origin;
      expect(markdown).toContain(`[the search API](${origin}/docs/api/search.html)`);
      expect(markdown).toContain(`![diagram](${origin}/docs/guide/img/diagram.png)`);
      expect(markdown).toContain("```ts\nconst hits = await search('q');\n```");
    } finally {
      server.close();
    }
  });

  it('DOCX → Markdown: version 2, previousVersion and derivedFrom version 1, headings, lists and tables kept', async () => {
    const created = await upload('plan.docx', await makeRichDocx());
    expect(created.version).toMatchObject({ number: 1, format: 'DOCX' });
    const v2 = await convertOk(created.file.id, 'MARKDOWN');
    expect(v2).toMatchObject({
      number: 2,
      format: 'MARKDOWN',
      mimeType: 'text/markdown',
      previousVersion: { id: created.version.id, number: 1 },
      derivedFrom: { id: created.version.id, number: 1, format: 'DOCX' },
    });
    expect(v2.text).toContain('# Quarterly plan');
    expect(v2.text).toContain('## Goals');
    expect(v2.text).toMatch(/^- Crawlers\n {2}- Web sources$/m);
    expect(v2.text).toContain('| Owner | Goal |\n| --- | --- |\n| Ada | Search |');
    // Converting version 1 again, to HTML, makes version 3 — still derived from version 1.
    const v3 = await convertOk(created.file.id, 'HTML', created.version.id);
    expect(v3).toMatchObject({ number: 3, format: 'HTML', previousVersion: { number: 2 }, derivedFrom: { number: 1 } });
    const docxText = await convertOk(created.file.id, 'TEXT', created.version.id);
    expect(docxText.text).toContain('Quarterly plan');
  });

  it('HTML page → Markdown and text', async () => {
    const html = `<!doctype html><html><head><title>t</title></head><body><nav>Menu</nav><main>
      <h1>Release notes</h1><p>Version <strong>2.0</strong> is out.</p><ul><li>Crawlers</li><li>Search</li></ul>
      <table><tr><th>Area</th><th>Change</th></tr><tr><td>API</td><td>New</td></tr></table></main></body></html>`;
    const created = await upload('notes.html', Buffer.from(html));
    expect(created.version.format).toBe('HTML');
    const md = await convertOk(created.file.id, 'MARKDOWN');
    expect(md.text).toBe('# Release notes\n\nVersion **2.0** is out.\n\n- Crawlers\n- Search\n\n| Area | Change |\n| --- | --- |\n| API | New |\n');
    expect(md.derivedFrom!.format).toBe('HTML');
    const text = await convertOk(created.file.id, 'TEXT', created.version.id);
    expect(text.text).toContain('Release notes');
    expect(text.text).not.toContain('Menu');
  });

  it('PDF → text with page breaks, and Markdown; pages and cached text on the PDF version', async () => {
    const created = await upload('report.pdf', await makePdf(['Revenue grew this quarter', 'Costs fell sharply']));
    expect(created.version.format).toBe('PDF');
    const pdf = ok(await t.gql(VersionText, { id: created.version.id }, acme.key)).node as { pages: { edges: { node: unknown }[] } };
    expect(pdf.pages.edges.map((e) => e.node)).toEqual([
      { number: 1, text: 'Revenue grew this quarter' },
      { number: 2, text: 'Costs fell sharply' },
    ]);
    const short = ok(await t.gql(VersionText, { id: created.version.id, max: 7 }, acme.key)).node as { text: string };
    expect(short.text).toBe('Revenue');
    expect(await t.app.db.prisma.versionText.count({ where: { versionId: localId(created.version.id) } })).toBe(1);
    const text = await convertOk(created.file.id, 'TEXT');
    expect(text.text).toBe('Revenue grew this quarter\n\fCosts fell sharply\n');
    const md = await convertOk(created.file.id, 'MARKDOWN', created.version.id);
    expect(md.text).toContain('<!-- page 2 -->');
    expect(md.text).toMatch(/Revenue grew this quarter\n\n---\n\n<!-- page 2 -->\n\nCosts fell sharply/);
  });

  it('XLSX sheet → JSON rows and Markdown tables', async () => {
    const created = await upload('people.xlsx', await makeXlsx({ People: [['name', 'team', 'age'], ['Ada', 'search', 36], ['Linus', 'crawlers', 28]] }));
    expect(created.version.format).toBe('XLSX');
    const json = await convertOk(created.file.id, 'JSON');
    expect(json.format).toBe('JSON');
    expect(JSON.parse(json.text!)).toEqual({ People: [{ name: 'Ada', team: 'search', age: 36 }, { name: 'Linus', team: 'crawlers', age: 28 }] });
    const md = await convertOk(created.file.id, 'MARKDOWN', created.version.id);
    expect(md.text).toContain('## People\n\n| name | team | age |\n| --- | --- | --- |\n| Ada | search | 36 |\n| Linus | crawlers | 28 |');
    // And the JSON version converts on to Markdown.
    const fromJson = await convertOk(created.file.id, 'MARKDOWN', json.id);
    expect(fromJson.derivedFrom!.format).toBe('JSON');
  });

  it('refuses unsupported pairs with the list of supported ones', async () => {
    const created = await upload('notes.md', Buffer.from('# Notes\n\nplain'), 'text/markdown');
    const result = ok(await t.gql(Convert, { input: { fileId: created.file.id, to: 'JSON' } }, acme.key)).convertFile;
    expect(result).toMatchObject({ __typename: 'UnsupportedConversionError', code: 'UNSUPPORTED_TYPE', from: 'MARKDOWN', to: 'JSON' });
    expect((result as { message: string }).message).toContain('DOCX → MARKDOWN, HTML, TEXT');
    const supported = ok(await t.gql(Supported, {})).supportedConversions;
    expect(supported).toContainEqual({ from: 'XLSX', to: ['JSON', 'MARKDOWN'] });
  });

  it('corrupt and password-protected documents: typed errors, nothing stored', async () => {
    const encrypted = await upload('secret.pdf', await makeEncryptedPdf('classified words'), 'application/pdf');
    const corrupt = await upload('broken.docx', Buffer.from('PK\u0003\u0004 this is not really a docx'), DOCX);
    const badSheet = await upload('broken.xlsx', Buffer.from('PK\u0003\u0004 nor an xlsx'), XLSX);
    for (const [file, pattern] of [[encrypted, /password/], [corrupt, /DOCX could not be read/], [badSheet, /XLSX could not be read/]] as const) {
      const result = ok(await t.gql(Convert, { input: { fileId: file.file.id, to: file === badSheet ? 'JSON' : 'TEXT' } }, acme.key)).convertFile;
      expect(result).toMatchObject({ __typename: 'ExtractionFailedError', code: 'EXTRACTION_FAILED', message: expect.stringMatching(pattern) });
      const versions = ok(await t.gql(Versions, { id: file.file.id }, acme.key)).file!.versions.edges;
      expect(versions).toHaveLength(1);
    }
    expect(await t.app.db.prisma.conversion.count({ where: { status: { not: 'COMPLETED' } } })).toBe(0);
    // The text of the encrypted PDF is a field error with the same code, not a crash.
    const text = await t.gql(VersionText, { id: encrypted.version.id }, acme.key);
    expect(text.errors?.[0]?.extensions?.code).toBe('EXTRACTION_FAILED');
  });

  it('createFileVersion with convertTo stores the upload and its conversion in one call — or neither', async () => {
    const created = await upload('draft.md', Buffer.from('# Draft\n\none'), 'text/markdown');
    const docx = await makeRichDocx();
    const both = payload(
      ok(await t.gql(NewVersion, { input: { fileId: created.file.id, contentBase64: docx.toString('base64'), convertTo: 'MARKDOWN' } }, acme.key))
        .createFileVersion,
      'CreateFileVersionPayload',
    );
    expect(both.version).toMatchObject({ number: 2, format: 'DOCX' });
    expect(both.conversion).toMatchObject({ status: 'COMPLETED', resultVersion: { number: 3, format: 'MARKDOWN', derivedFrom: { number: 2 } } });
    expect(both.conversion!.resultVersion!.text).toContain('# Quarterly plan');

    const corrupt = ok(
      await t.gql(NewVersion, { input: { fileId: created.file.id, contentBase64: Buffer.from('PK\u0003\u0004junk').toString('base64'), mimeType: DOCX, convertTo: 'MARKDOWN' } }, acme.key),
    ).createFileVersion;
    expect(corrupt).toMatchObject({ __typename: 'ExtractionFailedError' });
    const unsupported = ok(
      await t.gql(NewVersion, { input: { fileId: created.file.id, content: 'plain', mimeType: 'text/plain', convertTo: 'JSON' } }, acme.key),
    ).createFileVersion;
    expect(unsupported).toMatchObject({ __typename: 'UnsupportedConversionError' });
    expect(ok(await t.gql(Versions, { id: created.file.id }, acme.key)).file!.versions.edges).toHaveLength(3);
  });

  it('runs large conversions as jobs with a status', async () => {
    const big = '# Big\n\n' + Array.from({ length: 1000 }, (_, i) => `Paragraph ${i} with some words.`).join('\n\n');
    const created = await upload('big.md', Buffer.from(big), 'text/markdown');
    const started = payload(ok(await t.gql(Convert, { input: { fileId: created.file.id, to: 'HTML' } }, acme.key)).convertFile, 'ConvertFilePayload');
    // Not converted in the request: a job was queued for it.
    const jobs = await t.app.db.sql.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'convert-version' AND data->>'conversionId' = $1`,
      [localId(started.conversion.id)],
    );
    expect(jobs[0]!.n).toBe(1);
    const done = await waitConversion(started.conversion.id);
    expect(done).toMatchObject({ status: 'COMPLETED', resultVersion: { number: 2, format: 'HTML', derivedFrom: { number: 1 } } });

    const badJson = await upload('big.json', Buffer.from(`{"items": [${'1,'.repeat(12000)}`), 'application/json');
    const failing = payload(ok(await t.gql(Convert, { input: { fileId: badJson.file.id, to: 'MARKDOWN' } }, acme.key)).convertFile, 'ConvertFilePayload');
    const failed = await waitConversion(failing.conversion.id);
    expect(failed).toMatchObject({ status: 'FAILED', errorCode: 'EXTRACTION_FAILED', resultVersion: null });
    expect(ok(await t.gql(Versions, { id: badJson.file.id }, acme.key)).file!.versions.edges).toHaveLength(1);
  });

  it('keeps other tenants out', async () => {
    const created = await upload('mine.html', Buffer.from('<h1>Mine</h1>'));
    const theirs = ok(await t.gql(Convert, { input: { fileId: created.file.id, to: 'MARKDOWN' } }, other.key)).convertFile;
    expect(theirs).toMatchObject({ __typename: 'NotFoundError' });
    const mine = await convertOk(created.file.id, 'MARKDOWN');
    expect(ok(await t.gql(VersionText, { id: mine.id }, other.key)).node).toBeNull();
    const foreignVersion = ok(await t.gql(Convert, { input: { fileId: (await upload('x.html', Buffer.from('<p>x</p>'))).file.id, to: 'TEXT', versionId: mine.id } }, acme.key)).convertFile;
    expect(foreignVersion).toMatchObject({ __typename: 'NotFoundError' }); // a version of another file
  });
});

async function waitConversion(id: string) {
  return waitFor('the conversion to finish', async () => {
    const node = ok(await t.gql(ConversionNode, { id }, acme.key)).node as { status: string } | null;
    return { done: node && (node.status === 'COMPLETED' || node.status === 'FAILED') && node, progress: node?.status };
  });
}
