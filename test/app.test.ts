import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { stripVTControlCharacters } from 'node:util';
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

  it('sends a person who opens / somewhere useful', async () => {
    const response = await t.app.yoga.fetch('http://x/', { headers: { accept: 'text/html' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/html');
    const html = await response.text();
    expect(html).toContain('href="/graphql"');
    expect(html).toContain('Authorization: Bearer');
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

/** Runs `npm start`'s entry on a fresh data dir until the admin token is printed; `tty` runs it in a pseudo-terminal. */
async function firstStartOutput(tty: boolean): Promise<string> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'docstore-logs-'));
  const command = [process.execPath, '--import', 'tsx', 'src/main.ts'];
  // script(1) gives the process a terminal, as a person's shell would.
  const child = tty
    ? spawn('script', ['-qfec', command.join(' '), '/dev/null'], { env: { ...process.env, DOCSTORE_DATA_DIR: dataDir, PORT: '0', LOG_FORMAT: '' } })
    : spawn(command[0]!, command.slice(1), { env: { ...process.env, DOCSTORE_DATA_DIR: dataDir, PORT: '0', LOG_FORMAT: '' } });
  let output = '';
  try {
    await new Promise<void>((resolve, reject) => {
      child.stdout!.on('data', (d: Buffer) => {
        output += d.toString();
        if (/Admin token[^\n]*dsa_\S+/.test(output)) resolve();
      });
      child.on('exit', (code) => reject(new Error(`exited with ${code} before printing the admin token:\n${output}`)));
    });
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.on('close', resolve));
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  return output;
}

describe.runIf(dbKind === 'pglite')('logs for people and for machines', () => {
  it('prints readable lines and the admin token in a terminal', async () => {
    const output = await firstStartOutput(true);
    const line = output.split(/\r?\n/).find((l) => l.includes('Admin token'))!;
    expect(line.trim().startsWith('{')).toBe(false);
    expect(stripVTControlCharacters(line)).toMatch(/Admin token \(kept in .*admin-token\): dsa_[\w-]+$/);
  });

  it('prints JSON lines when stdout is not a terminal', async () => {
    const output = await firstStartOutput(false);
    const lines = output.trim().split('\n');
    for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
    expect(lines.map((l) => JSON.parse(l).msg)).toContainEqual(expect.stringMatching(/^Admin token/));
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
