// The web console as a person uses it, in headless Chromium (playwright-core + Debian chromium): sign in with an API
// key, upload a file (progress bar), search a store (highlights and score breakdown), watch a crawl's progress bar
// reach 100%.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTenant, type TenantFixture } from './support/fixtures.js';
import { dbKind, startTestApp, waitFor, type TestApp } from './support/harness.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ROOT = path.resolve(import.meta.dirname, '..');

// A browser drives one server: run once, on the embedded default's database.
describe.skipIf(dbKind === 'server')('the web console in a browser', () => {
  let t: TestApp;
  let acme: TenantFixture;
  let browser: Browser;
  let dir: string;

  async function call<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
    const body = (await (await t.post({ query, variables }, acme.key)).json()) as { data?: T; errors?: unknown[] };
    if (body.errors?.length) throw new Error(`GraphQL errors: ${JSON.stringify(body.errors)}`);
    return body.data!;
  }

  beforeAll(async () => {
    if (!fs.existsSync(CHROMIUM)) throw new Error(`Chromium is not installed at ${CHROMIUM} (apt-get install chromium)`);
    const built = spawnSync(process.execPath, [path.join(ROOT, 'scripts/build-console.mjs')], { cwd: ROOT, stdio: 'inherit' });
    expect(built.status).toBe(0);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'docstore-console-crawl-'));
    for (let i = 0; i < 12; i++) fs.writeFileSync(path.join(dir, `page-${i}.md`), `# Page ${i}\n\nCrawled page number ${i}.\n`);
    t = await startTestApp({ listen: true, env: { DOCSTORE_CRAWL_ROOTS: dir } });
    acme = await createTenant(t, 'console');
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
    });
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('signs in, uploads with progress, searches with highlights, and shows a crawl reaching 100%', { timeout: 180_000 }, async () => {
    const { embedModels } = await call<{ embedModels: { edges: { node: { id: string; name: string } }[] } }>('{ embedModels(first: 10) { edges { node { id name } } } }');
    const model = embedModels.edges.find((e) => e.node.name === 'docstore-lexical-384')!.node.id;
    const { createVectorStore } = await call<{ createVectorStore: { vectorStore: { id: string } } }>(
      'mutation($m: ID!) { createVectorStore(input: { name: "console-store", embedModelId: $m }) { ... on CreateVectorStorePayload { vectorStore { id } } } }',
      { m: model },
    );
    await call('mutation($s: ID!) { createFile(input: { name: "narwhal.md", content: "# Narwhals\\n\\nThe narwhal tusk is a long spiral tooth.", vectorStore: { vectorStoreId: $s } }) { __typename } }', {
      s: createVectorStore.vectorStore.id,
    });
    await call('mutation($d: String!) { createCrawler(input: { name: "notes", active: false, dataSource: { directory: { path: $d } } }) { __typename } }', { d: dir });
    await waitFor('indexed', async () => {
      const { vectorStore } = await call<{ vectorStore: { fileCounts: { completed: number } } }>('query($s: ID!) { vectorStore(id: $s) { fileCounts { completed } } }', {
        s: createVectorStore.vectorStore.id,
      });
      return { done: vectorStore.fileCounts.completed === 1, progress: vectorStore.fileCounts.completed };
    });

    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));
    try {
      await page.goto(`${t.url}/`);
      await page.getByLabel('API key').fill(acme.key);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('button', { name: 'Files' }).waitFor();
      expect(await page.evaluate(() => [sessionStorage.getItem('docstore.apiKey'), localStorage.length])).toEqual([acme.key, 0]);

      // Upload, with its progress bar.
      await page.getByLabel('file to upload').setInputFiles({ name: 'hello.md', mimeType: 'text/markdown', buffer: Buffer.from('# Hello\n\nFrom the console.\n') });
      await page.getByRole('button', { name: 'Upload', exact: true }).click();
      await page.getByRole('status').filter({ hasText: 'Uploaded hello.md' }).waitFor();
      const bar = page.getByLabel('upload progress');
      expect(await bar.evaluate((el: HTMLProgressElement) => el.value === el.max && el.max > 0)).toBe(true);
      await page.locator('tr[data-file="hello.md"]').waitFor();
      await page.locator('tr[data-file="hello.md"]').getByRole('button', { name: 'Versions' }).click();
      await page.getByRole('link', { name: 'download' }).first().waitFor();

      // Search a store: highlights and the score breakdown.
      await page.getByRole('button', { name: 'Vector stores' }).click();
      await page.locator('tr[data-store="console-store"]').getByRole('button', { name: 'Search' }).click();
      await page.getByLabel('search query').fill('narwhal tusk');
      await page.getByRole('button', { name: 'Search', exact: true }).last().click();
      const result = page.locator('li[data-result="narwhal.md"]');
      await result.waitFor();
      expect(await result.locator('mark').allTextContents()).toEqual(expect.arrayContaining(['narwhal']));
      expect(await result.locator('.scores').textContent()).toMatch(/fused [\d.]+ · vector [\d.]+.* · keyword [\d.]+/);

      // A crawl's progress bar, fed by the subscription, reaches 100%.
      await page.getByRole('button', { name: 'Crawlers' }).click();
      const row = page.locator('tr[data-crawler="notes"]');
      await row.getByRole('button', { name: 'Run' }).click();
      await row.locator('.crawl-percent', { hasText: '100%' }).waitFor({ timeout: 120_000 });
      expect(await row.getByLabel('crawl progress notes').evaluate((el: HTMLProgressElement) => [el.value, el.max])).toEqual([12, 12]);
      await row.getByText('COMPLETED').first().waitFor();
      expect(problems).toEqual([]);
    } finally {
      await page.close();
    }
  });
});
