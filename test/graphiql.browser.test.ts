// GraphiQL as a person uses it, in headless Chromium: the key typed into the Headers pane authenticates a
// subscription (GraphiQL sends its headers inside each graphql-ws `subscribe` message, not in connection_init).
import fs from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql } from './gql/index.js';
import { createTenant, type TenantFixture } from './support/fixtures.js';
import { payload, startTestApp, type TestApp } from './support/harness.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const CreateFile = graphql(`
  mutation GraphiqlCreateFile($name: String!, $content: String!) {
    createFile(input: { name: $name, content: $content }) { __typename ... on CreateFilePayload { file { id } } }
  }
`);

let t: TestApp;
let acme: TenantFixture;
let browser: Browser;

beforeAll(async () => {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`Chromium is not installed at ${CHROMIUM} (apt-get install chromium)`);
  t = await startTestApp({ listen: true });
  acme = await createTenant(t, 'graphiql');
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
});
afterAll(async () => {
  await browser?.close();
  await t?.close();
});

/** Replaces the whole text of a Monaco editor; insertText avoids the editor's auto-closing brackets and quotes. */
async function setEditor(page: Page, editor: string, text: string): Promise<void> {
  await page.locator(`${editor} .monaco-editor >> visible=true`).first().click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(text);
}

describe('GraphiQL in a browser', () => {
  it('runs a subscription authenticated by the key typed into Headers', async () => {
    const page = await browser.newPage();
    try {
      await page.goto(`${t.url}/graphql`);
      await page.locator('.graphiql-query-editor .monaco-editor').first().waitFor();
      await setEditor(page, '.graphiql-query-editor', 'subscription { fileEvents { type } }');
      await page.getByRole('button', { name: 'Headers' }).click();
      await setEditor(page, '.graphiql-editor-tool', `{"Authorization": "Bearer ${acme.key}"}`);
      await page.getByRole('button', { name: /Execute query/ }).click();

      const response = page.locator('.graphiql-response');
      // The subscription is live once a file created after it shows up; create files until one does.
      for (let i = 0; !(await response.textContent())?.includes('CREATED'); i += 1) {
        const text = (await response.textContent()) ?? '';
        expect(text).not.toContain('UNAUTHENTICATED');
        if (i > 600) throw new Error(`no event in the result pane: ${text}`);
        if (i % 10 === 0) payload((await t.gql(CreateFile, { name: `browser-${i}.txt`, content: `from the browser test ${i} ${Date.now()}` }, acme.key)).data!.createFile, 'CreateFilePayload');
        await page.waitForTimeout(100);
      }
      expect(await response.textContent()).toMatch(/"type":\s*"CREATED"/);
    } finally {
      await page.close();
    }
  });
});
