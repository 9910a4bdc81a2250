// OpenTelemetry traces from a real server process, exported over OTLP/HTTP to a local collector: a GraphQL
// operation's span is the parent of the service calls it makes, and those of the SQL, blob-store and embedder calls.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, dbKind, freePort, gqlAt, SECRET_KEY, waitFor } from './support/harness.js';

interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
}

// One server process with its own collector: run once, on the embedded default's database.
describe.skipIf(dbKind === 'server')('OpenTelemetry traces', () => {
  const spans: OtlpSpan[] = [];
  let collector: http.Server;
  let server: ChildProcess;
  let url: string;
  let dataDir: string;

  const gql = <T>(query: string, variables: Record<string, unknown>, token: string) => gqlAt<T>(url, query, variables, token);

  beforeAll(async () => {
    collector = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        if (req.url === '/v1/traces') {
          const payload = JSON.parse(body) as { resourceSpans: { scopeSpans: { spans: OtlpSpan[] }[] }[] };
          for (const r of payload.resourceSpans) for (const s of r.scopeSpans) spans.push(...s.spans);
        }
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
    const port = await freePort();
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'docstore-traces-'));
    server = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: path.resolve(import.meta.dirname, '..'),
      env: {
        ...process.env,
        DOCSTORE_DATA_DIR: dataDir,
        DOCSTORE_ADMIN_TOKEN: ADMIN_TOKEN,
        DOCSTORE_SECRET_KEY: SECRET_KEY,
        HOST: '127.0.0.1',
        PORT: String(port),
        LOG_LEVEL: 'error',
        LOG_FORMAT: 'json',
        OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${(collector.address() as AddressInfo).port}`,
        OTEL_BSP_SCHEDULE_DELAY: '200',
      },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    url = `http://127.0.0.1:${port}`;
    await waitFor('server ready', async () => {
      if (server.exitCode !== null) throw new Error(`the server exited with ${server.exitCode}`);
      return { done: await fetch(`${url}/readyz`).then((r) => r.ok, () => false), progress: 'starting' };
    });
  });

  afterAll(async () => {
    if (server && server.exitCode === null) {
      const exited = new Promise((resolve) => server.once('exit', resolve));
      server.kill('SIGTERM');
      await exited;
    }
    await new Promise((resolve) => collector?.close(resolve));
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  /** The spans below `root` (children, their children…). */
  const below = (root: OtlpSpan): OtlpSpan[] => {
    const children = spans.filter((s) => s.parentSpanId === root.spanId && s.traceId === root.traceId);
    return children.flatMap((c) => [c, ...below(c)]);
  };

  it('nests service, SQL, blob-store and embedder spans under the GraphQL operation that made them', { timeout: 180_000 }, async () => {
    const { createTenant } = await gql<{ createTenant: { tenant: { id: string } } }>('mutation { createTenant(input: { name: "traced" }) { ... on CreateTenantPayload { tenant { id } } } }', {}, ADMIN_TOKEN);
    const { createApiKey } = await gql<{ createApiKey: { secret: string } }>(
      'mutation($t: ID!) { createApiKey(input: { tenantId: $t, name: "k" }) { ... on CreateApiKeyPayload { secret } } }',
      { t: createTenant.tenant.id },
      ADMIN_TOKEN,
    );
    const key = createApiKey.secret;
    const { embedModels } = await gql<{ embedModels: { edges: { node: { id: string; name: string } }[] } }>('{ embedModels(first: 10) { edges { node { id name } } } }', {}, key);
    const model = embedModels.edges.find((e) => e.node.name === 'docstore-lexical-384')!.node.id;
    const { createVectorStore } = await gql<{ createVectorStore: { vectorStore: { id: string } } }>(
      'mutation($m: ID!) { createVectorStore(input: { name: "traced", embedModelId: $m }) { ... on CreateVectorStorePayload { vectorStore { id } } } }',
      { m: model },
      key,
    );
    await gql('mutation TracedUpload { createFile(input: { name: "t.md", content: "# Traced\\n\\nOtters hold hands while sleeping." }) { __typename } }', {}, key);
    await gql(
      'query TracedSearch($s: ID!) { searchVectorStore(input: { vectorStoreId: $s, query: "otters sleeping" }) { __typename } }',
      { s: createVectorStore.vectorStore.id },
      key,
    );

    const upload = await waitFor('upload trace exported', async () => {
      const root = spans.find((s) => s.name === 'mutation TracedUpload');
      const tree = root ? below(root) : [];
      return { done: root && tree.some((s) => s.name === 'BlobStore.put') && tree.some((s) => s.name.startsWith('prisma ')) && { root, tree }, progress: spans.length };
    });
    expect(upload.tree.find((s) => s.parentSpanId === upload.root.spanId)?.name).toBe('FileService.createFile');
    const search = await waitFor('search trace exported', async () => {
      const root = spans.find((s) => s.name === 'query TracedSearch');
      const tree = root ? below(root) : [];
      return { done: root && tree.some((s) => s.name.startsWith('sql.')) && { root, tree }, progress: spans.length };
    });
    const names = search.tree.map((s) => s.name);
    expect(names).toContain('SearchService.search');
    expect(names.some((n) => n.startsWith('EmbedModelService.'))).toBe(true);
    expect(names.some((n) => n.startsWith('sql.query'))).toBe(true);
  });
});
