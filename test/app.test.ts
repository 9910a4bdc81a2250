import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTenant, type TenantFixture } from './support/fixtures.js';
import { dbKind, startTestApp, type TestApp } from './support/harness.js';

let t: TestApp;
let a: TenantFixture;
beforeAll(async () => {
  t = await startTestApp();
  a = await createTenant(t, 'hygiene');
});
afterAll(async () => t?.close());

const post = async (query: string, token = a.key) => (await t.post({ query }, token)).json();

describe('GraphQL hygiene', () => {
  it('limits depth and aliases', async () => {
    const deep = await post(
      '{ files { edges { node { currentVersion { previousVersion { previousVersion { previousVersion { previousVersion { previousVersion { previousVersion { previousVersion { previousVersion { id } } } } } } } } } } } } }',
    );
    expect(JSON.stringify(deep.errors)).toMatch(/depth/i);
    const aliases = await post(`{ ${Array.from({ length: 40 }, (_, i) => `a${i}: viewer { isAdmin }`).join(' ')} }`);
    expect(JSON.stringify(aliases.errors)).toMatch(/alias/i);
  });

  it('masks unexpected errors and gives them the request id, which the log also carries', async () => {
    const original = t.app.services.files.updateFile;
    t.app.services.files.updateFile = async () => {
      throw new Error('connection to internal-db-7 refused');
    };
    try {
      const id = Buffer.from('File:00000000-0000-4000-8000-000000000000').toString('base64');
      const response = await t.post(
        { query: `mutation { updateFile(input: { fileId: "${id}", name: "x" }) { __typename } }` },
        a.key,
        { 'x-request-id': 'req-12345' },
      );
      const body = await response.json();
      expect(body.errors[0]).toMatchObject({
        message: 'Unexpected error.',
        extensions: { code: 'INTERNAL_SERVER_ERROR', requestId: 'req-12345' },
      });
      expect(JSON.stringify(body)).not.toContain('internal-db-7');
      const logged = t.logs.find((line) => line.includes('req-12345'));
      expect(logged).toContain('connection to internal-db-7 refused');
    } finally {
      t.app.services.files.updateFile = original;
    }
  });

  it('answers health and readiness probes', async () => {
    expect(await (await t.app.yoga.fetch('http://x/healthz')).json()).toEqual({ status: 'ok' });
    expect(await (await t.app.yoga.fetch('http://x/readyz')).json()).toEqual({ status: 'ready' });
  });

  it('serves GraphiQL with its assets inlined (no CDN)', async () => {
    const response = await t.app.yoga.fetch('http://x/graphql', { headers: { accept: 'text/html' } });
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('Docstore GraphiQL');
    expect(html).not.toMatch(/<script[^>]+src=["']https?:/);
    expect(html).not.toMatch(/<link[^>]+href=["']https?:/);
  });
});

describe.runIf(dbKind === 'pglite')('embedded data directory', () => {
  it('refuses to open a data dir another process holds', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'docstore-lock-'));
    const holder = await startTestApp({ dataDir });
    try {
      const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
        env: { ...process.env, DOCSTORE_DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'silent' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
      expect(code).toBe(78);
      expect(stderr).toContain(`Data directory ${dataDir} is in use by process ${process.pid}`);
      // The holder is unharmed.
      expect(await (await holder.app.yoga.fetch('http://x/readyz')).json()).toEqual({ status: 'ready' });
    } finally {
      await holder.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
