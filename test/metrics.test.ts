// GET /metrics: Prometheus text format, parsed by a Prometheus text-format parser, with the series operators need:
// GraphQL operation durations by name, HTTP statuses, job queue depth and durations, indexing, crawl items, blob
// bytes, the database pool. Behind a bearer token when DOCSTORE_METRICS_TOKEN is set.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
// @ts-expect-error no types
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTenant, type TenantFixture } from './support/fixtures.js';
import { startTestApp, waitFor, type TestApp } from './support/harness.js';

interface Family {
  name: string;
  type: string;
  metrics: { labels?: Record<string, string>; value?: string; count?: string; buckets?: Record<string, string> }[];
}

const TOKEN = 'metrics-token-0123456789';

describe('/metrics', () => {
  let t: TestApp;
  let acme: TenantFixture;
  let dir: string;

  async function call<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
    const body = (await (await t.post({ query, variables }, acme.key)).json()) as { data?: T; errors?: unknown[] };
    if (body.errors?.length) throw new Error(`GraphQL errors: ${JSON.stringify(body.errors)}`);
    return body.data!;
  }

  let lastText = '';
  async function scrape(): Promise<Map<string, Family>> {
    const response = await fetch(`${t.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/plain');
    lastText = await response.text();
    const families = parsePrometheusTextFormat(lastText) as Family[];
    return new Map(families.map((f) => [f.name, f]));
  }

  /** Label sets of a histogram's `_count` series (the parser keeps only the buckets of histograms). */
  const histogramLabels = (name: string) =>
    [...lastText.matchAll(new RegExp(`^${name}_count\\{([^}]*)\\} (\\S+)$`, 'gm'))].map((m) => ({
      ...Object.fromEntries([...m[1]!.matchAll(/(\w+)="([^"]*)"/g)].map((l) => [l[1], l[2]])),
      count: Number(m[2]),
    }));

  const total = (family: Family | undefined, labels: Record<string, string> = {}) =>
    (family?.metrics ?? []).filter((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v)).reduce((n, m) => n + Number(m.value ?? m.count ?? 0), 0);

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'docstore-metrics-'));
    for (let i = 0; i < 3; i++) fs.writeFileSync(path.join(dir, `note-${i}.md`), `# Note ${i}\n\nMetrics are counted, note ${i}.\n`);
    t = await startTestApp({ listen: true, env: { DOCSTORE_METRICS_TOKEN: TOKEN, DOCSTORE_CRAWL_ROOTS: dir } });
    acme = await createTenant(t, 'metrics');
  });

  afterAll(async () => {
    await t?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('needs the token when one is set', async () => {
    expect((await fetch(`${t.url}/metrics`)).status).toBe(401);
    expect((await fetch(`${t.url}/metrics`, { headers: { authorization: 'Bearer wrong-token-0123456789' } })).status).toBe(401);
  });

  it('holds operation durations, HTTP statuses, job queues, indexing, crawl items, blob bytes and the pool', { timeout: 120_000 }, async () => {
    const { embedModels } = await call<{ embedModels: { edges: { node: { id: string; name: string } }[] } }>('query Models { embedModels(first: 10) { edges { node { id name } } } }');
    const model = embedModels.edges.find((e) => e.node.name === 'docstore-lexical-384')!.node.id;
    const { createVectorStore } = await call<{ createVectorStore: { vectorStore: { id: string } } }>(
      'mutation MakeStore($m: ID!) { createVectorStore(input: { name: "metered", embedModelId: $m }) { ... on CreateVectorStorePayload { vectorStore { id } } } }',
      { m: model },
    );
    const storeId = createVectorStore.vectorStore.id;
    await call('mutation Upload($s: ID!) { createFile(input: { name: "a.md", content: "# A\\n\\nAbout metrics and counters.", vectorStore: { vectorStoreId: $s } }) { __typename } }', { s: storeId });
    const { createCrawler } = await call<{ createCrawler: { crawler: { id: string } } }>(
      'mutation Crawl($d: String!) { createCrawler(input: { name: "notes", dataSource: { directory: { path: $d } } }) { ... on CreateCrawlerPayload { crawler { id } } } }',
      { d: dir },
    );
    await waitFor('crawl and indexing done', async () => {
      const { crawler, vectorStore } = await call<{ crawler: { lastRun: { status: string } | null }; vectorStore: { fileCounts: { completed: number } } }>(
        'query State($c: ID!, $s: ID!) { crawler(id: $c) { lastRun { status } } vectorStore(id: $s) { fileCounts { completed } } }',
        { c: createCrawler.crawler.id, s: storeId },
      );
      return { done: crawler.lastRun?.status === 'COMPLETED' && vectorStore.fileCounts.completed === 1, progress: [crawler.lastRun?.status, vectorStore.fileCounts.completed] };
    });
    await fetch(`${t.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ viewer { isAdmin } }"}' });

    const families = await waitFor('counters observed', async () => {
      const f = await scrape();
      return { done: total(f.get('docstore_indexed_chunks_total')) > 0 && total(f.get('docstore_crawl_items_total')) > 0 && f, progress: 0 };
    });
    expect(families.get('docstore_graphql_operation_duration_seconds')!.type).toBe('HISTOGRAM');
    const durations = histogramLabels('docstore_graphql_operation_duration_seconds');
    expect(durations.map((d) => d.operation)).toEqual(expect.arrayContaining(['Models', 'MakeStore', 'Upload', 'State']));
    expect(durations.find((d) => d.operation === 'MakeStore')).toMatchObject({ type: 'mutation', outcome: 'ok', count: 1 });
    expect(total(families.get('docstore_http_requests_total'), { status: '200' })).toBeGreaterThan(3);
    expect(families.get('docstore_http_requests_total')!.metrics.some((m) => m.labels?.status === '401')).toBe(true); // the scrapes without a token
    expect(families.get('docstore_job_queue_depth')!.metrics.length).toBeGreaterThan(0);
    expect(families.get('docstore_job_duration_seconds')!.type).toBe('HISTOGRAM');
    expect(histogramLabels('docstore_job_duration_seconds').filter((d) => d.outcome === 'completed').reduce((n, d) => n + d.count, 0)).toBeGreaterThan(0);
    expect(total(families.get('docstore_indexed_chunks_total'))).toBeGreaterThan(0);
    expect(total(families.get('docstore_crawl_items_total'), { result: 'created' })).toBe(3);
    expect(total(families.get('docstore_blob_bytes_total'), { direction: 'in' })).toBeGreaterThan(0);
    expect(total(families.get('docstore_blob_bytes_total'), { direction: 'out' })).toBeGreaterThan(0);
    expect(total(families.get('docstore_db_pool_connections'), { state: 'total' })).toBeGreaterThan(0);
    expect(families.has('docstore_process_cpu_seconds_total') || families.has('docstore_process_cpu_user_seconds_total')).toBe(true);
  });
});
