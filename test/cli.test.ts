// The `docstore` command line, driven as a person would: in a pseudo-terminal (util-linux `script`), it uploads a
// directory of 1,000 files with progress bars; `docstore search … --json` then finds one of them. Login keeps the key
// in a file of mode 0600; exit codes and colour-free output for scripts.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTenant, type TenantFixture } from './support/fixtures.js';
import { dbKind, startTestApp, waitFor, type TestApp } from './support/harness.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const CLI = ['--import', 'tsx', path.join(ROOT, 'client/src/cli.ts')];

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

// Client-side behaviour: run once, on the embedded default's database (the server paths it uses run on both elsewhere).
describe.skipIf(dbKind === 'server')('the docstore CLI', () => {
  let t: TestApp;
  let acme: TenantFixture;
  let home: string;
  let docs: string;
  let storeId: string;
  const env = () => ({ ...process.env, DOCSTORE_CONFIG: path.join(home, 'docstore', 'config.json'), NO_COLOR: undefined, FORCE_COLOR: undefined });

  /** The CLI with pipes (as a script runs it). */
  function run(args: string[], extraEnv: Record<string, string> = {}): Promise<Run> {
    return new Promise((resolve) => {
      const child = spawn(process.execPath, [...CLI, ...args], { cwd: ROOT, env: { ...env(), ...extraEnv } });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });
  }

  /** The CLI in a pseudo-terminal: what a person at a terminal sees (stdout and stderr together). */
  function runInTerminal(args: string[]): Promise<{ code: number | null; screen: string }> {
    const command = [process.execPath, ...CLI, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
    return new Promise((resolve) => {
      const child = spawn('script', ['-qfec', command, '/dev/null'], { cwd: ROOT, env: { ...env(), TERM: 'xterm-256color', COLUMNS: '120' } });
      let screen = '';
      child.stdout.on('data', (d: Buffer) => (screen += d.toString()));
      child.stderr.on('data', (d: Buffer) => (screen += d.toString()));
      child.on('close', (code) => resolve({ code, screen }));
    });
  }

  beforeAll(async () => {
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'docstore-cli-home-'));
    docs = fs.mkdtempSync(path.join(os.tmpdir(), 'docstore-cli-docs-'));
    for (let i = 0; i < 1000; i++) {
      const dir = path.join(docs, `part-${Math.floor(i / 100)}`);
      fs.mkdirSync(dir, { recursive: true });
      const body = i === 737 ? 'The quokka crossing at the zebra bridge is closed on Sundays.' : `Routine note number ${i} about ordinary filing.`;
      fs.writeFileSync(path.join(dir, `note-${i}.md`), `# Note ${i}\n\n${body}\n`);
    }
    t = await startTestApp({ listen: true });
    acme = await createTenant(t, 'cli');
    const { embedModels } = ((await (await t.post({ query: '{ embedModels(first: 10) { edges { node { id name } } } }' }, acme.key)).json()) as {
      data: { embedModels: { edges: { node: { id: string; name: string } }[] } };
    }).data;
    const model = embedModels.edges.find((e) => e.node.name === 'docstore-lexical-384')!.node.id;
    storeId = (
      (await (
        await t.post({ query: 'mutation($m: ID!) { createVectorStore(input: { name: "cli", embedModelId: $m }) { ... on CreateVectorStorePayload { vectorStore { id } } } }', variables: { m: model } }, acme.key)
      ).json()) as { data: { createVectorStore: { vectorStore: { id: string } } } }
    ).data.createVectorStore.vectorStore.id;
  });

  afterAll(async () => {
    await t?.close();
    fs.rmSync(home, { recursive: true, force: true });
    fs.rmSync(docs, { recursive: true, force: true });
  });

  it('logs in (key kept with mode 0600) and refuses what it must with meaningful exit codes', { timeout: 120_000 }, async () => {
    expect((await run(['stores'])).code).toBe(3); // not logged in
    const bad = await run(['login', '--endpoint', t.url!, '--key', 'dsk_wrong']);
    expect(bad.code).toBe(3);
    expect(bad.stderr).toContain('UNAUTHENTICATED');
    const login = await run(['login', '--endpoint', t.url!, '--key', acme.key]);
    expect(login.code).toBe(0);
    const file = path.join(home, 'docstore', 'config.json');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect((await run(['frobnicate'])).code).toBe(2);
    expect((await run(['files', 'get', Buffer.from('File:00000000-0000-0000-0000-000000000000').toString('base64')])).code).toBe(4);
    expect((await run(['stores'], { DOCSTORE_ENDPOINT: 'http://127.0.0.1:9', DOCSTORE_API_KEY: acme.key })).code).toBe(5);
  });

  it('uploads a directory of 1,000 files with progress bars in a terminal; search --json finds one of them', { timeout: 15 * 60_000 }, async () => {
    const upload = await runInTerminal(['upload', docs, '--store', storeId, '--concurrency', '8']);
    expect(upload.code).toBe(0);
    expect(upload.screen).toMatch(/files \[[█░]+\] 100% \| 1000\/1000 files/);
    expect(upload.screen).toMatch(/bytes \[[█░]+\] 100%/);
    expect(upload.screen).toContain('1000 of 1000 files uploaded');
    expect(upload.screen).toContain('\u001b['); // a terminal gets colours and cursor control

    const found = await waitFor('the file is searchable', async () => {
      const search = await run(['search', 'quokka zebra bridge', '--store', storeId, '--json']);
      expect(search.code).toBe(0);
      const documents = JSON.parse(search.stdout) as { file: { name: string; path: string }; chunks: { text: string }[] }[];
      return { done: documents.find((d) => d.file.name === 'note-737.md'), progress: documents.length };
    });
    expect(found.file.path).toBe('part-7/note-737.md');
    expect(found.chunks[0]!.text).toContain('quokka');

    // Piped (not a terminal): no progress bars, no colour codes.
    const plain = await run(['search', 'quokka zebra bridge', '--store', storeId]);
    expect(plain.code).toBe(0);
    expect(plain.stdout).toContain('part-7/note-737.md');
    expect(plain.stdout + plain.stderr).not.toContain('\u001b[');
    const stores = JSON.parse((await run(['stores', '--json'])).stdout) as { id: string; fileCounts: { completed: number } }[];
    expect(stores.find((s) => s.id === storeId)).toBeDefined();
  });
});
