// The Docstore console: sign in with an API key (kept in session storage), files with versions and downloads,
// uploads with progress, vector stores with a search box (highlights and score breakdowns), crawlers with live
// progress bars, operations. Everything goes through the SDK (client/).
import { useCallback, useEffect, useMemo, useState, type FormEvent, type ReactNode } from 'react';
import {
  CrawlersQuery,
  DocstoreClient,
  FileQuery,
  FilesQuery,
  fromBlob,
  OperationsQuery,
  RunCrawlerMutation,
  StoresQuery,
  ViewerQuery,
  payload,
} from '../../client/src/index.js';
import type { SdkFilesQuery, SdkFileQuery, SdkStoresQuery, SdkCrawlersQuery, SdkOperationsQuery, SdkSearchQuery } from '../../client/src/gql/graphql.js';

const KEY = 'docstore.apiKey';
type Tab = 'files' | 'stores' | 'crawlers' | 'operations';
type Nodes<T extends { edges: { node: unknown }[] }> = T['edges'][number]['node'][];
type SearchDocs = Extract<SdkSearchQuery['searchVectorStore'], { __typename: 'SearchVectorStorePayload' }>['documents'];

export function App() {
  const [apiKey, setApiKey] = useState(() => sessionStorage.getItem(KEY) ?? '');
  const [tenant, setTenant] = useState<string>();
  const [tab, setTab] = useState<Tab>('files');
  const client = useMemo(() => (apiKey ? new DocstoreClient({ endpoint: window.location.origin, apiKey }) : undefined), [apiKey]);

  useEffect(() => {
    if (!client) return;
    client.request(ViewerQuery).then(
      ({ viewer }) => setTenant(viewer.tenant?.name ?? undefined),
      () => signOut(),
    );
    return () => void client.close();
  }, [client]);

  function signOut() {
    sessionStorage.removeItem(KEY);
    setApiKey('');
    setTenant(undefined);
  }

  if (!client || !tenant) {
    return (
      <SignIn
        onSignedIn={(key, name) => {
          sessionStorage.setItem(KEY, key);
          setApiKey(key);
          setTenant(name);
        }}
      />
    );
  }
  const tabs: [Tab, string][] = [
    ['files', 'Files'],
    ['stores', 'Vector stores'],
    ['crawlers', 'Crawlers'],
    ['operations', 'Operations'],
  ];
  return (
    <>
      <header>
        <strong>Docstore</strong>
        <nav>
          {tabs.map(([id, label]) => (
            <button key={id} aria-current={tab === id ? 'page' : undefined} onClick={() => setTab(id)}>
              {label}
            </button>
          ))}
        </nav>
        <span style={{ marginLeft: 'auto' }} className="muted">
          {tenant} · <a href="/graphql" style={{ color: '#cfd6e4' }}>GraphiQL</a> ·{' '}
          <button onClick={signOut}>Sign out</button>
        </span>
      </header>
      <main>
        {tab === 'files' && <Files client={client} />}
        {tab === 'stores' && <Stores client={client} />}
        {tab === 'crawlers' && <Crawlers client={client} />}
        {tab === 'operations' && <Operations client={client} />}
      </main>
    </>
  );
}

function SignIn({ onSignedIn }: { onSignedIn: (key: string, tenant: string) => void }) {
  const [key, setKey] = useState('');
  const [error, setError] = useState<string>();
  async function submit(event: FormEvent) {
    event.preventDefault();
    setError(undefined);
    try {
      const { viewer } = await new DocstoreClient({ endpoint: window.location.origin, apiKey: key }).request(ViewerQuery);
      if (!viewer.tenant) throw new Error('This credential is not a tenant API key');
      onSignedIn(key, viewer.tenant.name);
    } catch (e) {
      setError((e as Error).message);
    }
  }
  return (
    <main>
      <section>
        <h1>Docstore console</h1>
        <form onSubmit={submit}>
          <label>
            API key <input type="password" name="apiKey" value={key} onChange={(e) => setKey(e.target.value)} autoComplete="off" />
          </label>{' '}
          <button type="submit">Sign in</button>
        </form>
        <p className="muted">The key is kept in this tab&apos;s session storage only.</p>
        {error && <p className="error" role="alert">{error}</p>}
      </section>
    </main>
  );
}

function useLoad<T>(load: () => Promise<T>, deps: unknown[]): [T | undefined, string | undefined, () => void] {
  const [value, setValue] = useState<T>();
  const [error, setError] = useState<string>();
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let live = true;
    load().then(
      (v) => live && (setValue(v), setError(undefined)),
      (e: unknown) => live && setError((e as Error).message),
    );
    return () => {
      live = false;
    };
  }, [...deps, tick]);
  return [value, error, useCallback(() => setTick((n) => n + 1), [])];
}

function Files({ client }: { client: DocstoreClient }) {
  const [files, error, reload] = useLoad(async () => (await client.request(FilesQuery, { first: 50 })).files.edges.map((e) => e.node), [client]);
  const [open, setOpen] = useState<string>();
  return (
    <>
      <Upload client={client} onUploaded={reload} />
      <section>
        <h2>Files</h2>
        {error && <p className="error">{error}</p>}
        <table>
          <thead>
            <tr><th>Name</th><th>Kind</th><th>Type</th><th>Size</th><th>Created</th><th /></tr>
          </thead>
          <tbody>
            {(files ?? ([] as Nodes<SdkFilesQuery['files']>)).map((f) => (
              <FileRow key={f.id} client={client} file={f} open={open === f.id} onToggle={() => setOpen(open === f.id ? undefined : f.id)} />
            ))}
          </tbody>
        </table>
      </section>
    </>
  );
}

function FileRow({ client, file, open, onToggle }: { client: DocstoreClient; file: Nodes<SdkFilesQuery['files']>[number]; open: boolean; onToggle: () => void }) {
  const [details, setDetails] = useState<SdkFileQuery['file']>();
  useEffect(() => {
    if (open) void client.request(FileQuery, { id: file.id }).then((r) => setDetails(r.file));
  }, [open, client, file.id]);
  return (
    <>
      <tr data-file={file.name}>
        <td>{file.path ?? file.name}</td>
        <td>{file.kind}</td>
        <td>{file.mimeType}</td>
        <td>{file.size}</td>
        <td className="muted">{new Date(file.createdAt).toLocaleString()}</td>
        <td><button onClick={onToggle}>{open ? 'Hide' : 'Versions'}</button></td>
      </tr>
      {open && details && (
        <tr>
          <td colSpan={6}>
            <ul>
              {details.versions.edges.map(({ node: v }) => (
                <li key={v.id}>
                  v{v.number} · {v.mimeType} · {v.size} bytes · <a href={v.downloadUrl}>download</a>
                </li>
              ))}
            </ul>
          </td>
        </tr>
      )}
    </>
  );
}

function Upload({ client, onUploaded }: { client: DocstoreClient; onUploaded: () => void }) {
  const [file, setFile] = useState<File>();
  const [progress, setProgress] = useState({ done: 0, total: 1 });
  const [status, setStatus] = useState<string>();
  async function upload(event: FormEvent) {
    event.preventDefault();
    if (!file) return;
    setStatus('Uploading…');
    try {
      const result = await client.uploadFile(fromBlob(file), {
        name: file.name,
        mimeType: file.type || undefined,
        onProgress: (p) => setProgress({ done: p.bytesDone, total: Math.max(1, p.bytesTotal) }),
      });
      setStatus(result.deduplicated ? `Already there: ${file.name}` : `Uploaded ${file.name}`);
      onUploaded();
    } catch (e) {
      setStatus(`Failed: ${(e as Error).message}`);
    }
  }
  return (
    <section>
      <h2>Upload</h2>
      <form onSubmit={upload}>
        <input type="file" aria-label="file to upload" onChange={(e) => setFile(e.target.files?.[0])} />{' '}
        <button type="submit" disabled={!file}>Upload</button>{' '}
        <progress aria-label="upload progress" value={progress.done} max={progress.total} /> {Math.round((100 * progress.done) / progress.total)}%
      </form>
      {status && <p role="status">{status}</p>}
    </section>
  );
}

function Stores({ client }: { client: DocstoreClient }) {
  const [stores, error] = useLoad(async () => (await client.request(StoresQuery, { first: 100 })).vectorStores.edges.map((e) => e.node), [client]);
  const [selected, setSelected] = useState<string>();
  return (
    <>
      <section>
        <h2>Vector stores</h2>
        {error && <p className="error">{error}</p>}
        <table>
          <thead>
            <tr><th>Name</th><th>Status</th><th>Indexed</th><th>Pending</th><th>Failed</th><th /></tr>
          </thead>
          <tbody>
            {(stores ?? ([] as Nodes<SdkStoresQuery['vectorStores']>)).map((s) => (
              <tr key={s.id} data-store={s.name}>
                <td>{s.name}</td>
                <td>{s.status}</td>
                <td>{s.fileCounts.completed}</td>
                <td>{s.fileCounts.queued + s.fileCounts.inProgress}</td>
                <td>{s.fileCounts.failed}</td>
                <td><button onClick={() => setSelected(s.id)}>Search</button></td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      {selected && <Search client={client} storeId={selected} />}
    </>
  );
}

function Search({ client, storeId }: { client: DocstoreClient; storeId: string }) {
  const [query, setQuery] = useState('');
  const [results, setResults] = useState<SearchDocs>();
  const [error, setError] = useState<string>();
  async function search(event: FormEvent) {
    event.preventDefault();
    setError(undefined);
    try {
      setResults(await client.search(storeId, query));
    } catch (e) {
      setError((e as Error).message);
    }
  }
  return (
    <section>
      <h2>Search</h2>
      <form onSubmit={search}>
        <input type="search" aria-label="search query" value={query} onChange={(e) => setQuery(e.target.value)} /> <button type="submit">Search</button>
      </form>
      {error && <p className="error">{error}</p>}
      {results && results.length === 0 && <p>No results</p>}
      <ol className="results">
        {results?.map((d) => (
          <li key={d.file.id} data-result={d.file.name}>
            <strong>{d.file.path ?? d.file.name}</strong> <span className="muted">score {d.score.toFixed(3)}</span>
            <div className="scores">
              fused {d.scores.fused.toFixed(3)} · vector {d.scores.vector.toFixed(3)}
              {d.scores.vectorRank != null && ` (#${d.scores.vectorRank})`} · keyword {d.scores.keyword.toFixed(3)}
              {d.scores.keywordRank != null && ` (#${d.scores.keywordRank})`}
              {d.scores.bm25 != null && ` · bm25 ${d.scores.bm25.toFixed(2)}`}
            </div>
            {d.chunks.slice(0, 2).map((c, i) => (
              <p key={i} className="chunk">{highlighted(c.text, c.highlights)}</p>
            ))}
          </li>
        ))}
      </ol>
    </section>
  );
}

function highlighted(text: string, highlights: { start: number; end: number }[]): ReactNode[] {
  const parts: ReactNode[] = [];
  let at = 0;
  for (const h of [...highlights].sort((a, b) => a.start - b.start)) {
    if (h.start < at) continue;
    parts.push(text.slice(at, h.start), <mark key={h.start}>{text.slice(h.start, h.end)}</mark>);
    at = h.end;
  }
  parts.push(text.slice(at));
  return parts;
}

interface CrawlState {
  status: string;
  processed: number;
  total: number;
  done: boolean;
}

function Crawlers({ client }: { client: DocstoreClient }) {
  const [crawlers, error, reload] = useLoad(async () => (await client.request(CrawlersQuery, { first: 100 })).crawlers.edges.map((e) => e.node), [client]);
  const [runs, setRuns] = useState<Record<string, CrawlState>>({});
  async function run(crawlerId: string) {
    const progress = client.crawlerProgress(crawlerId)[Symbol.asyncIterator]();
    const first = progress.next(); // listening before the run starts
    const started = payload((await client.request(RunCrawlerMutation, { id: crawlerId })).runCrawler, 'RunCrawlerPayload');
    setRuns((r) => ({ ...r, [crawlerId]: { status: started.run.status, processed: 0, total: 1, done: false } }));
    for (let next = await first; !next.done; next = await progress.next()) {
      const p = next.value;
      if (p.runId !== started.run.id) continue;
      const c = p.counts;
      const processed = c.created + c.updated + c.unchanged + c.deleted + c.failed;
      const total = Math.max(p.total ?? c.discovered, processed, 1);
      setRuns((r) => ({ ...r, [crawlerId]: { status: p.status, processed: p.done ? total : processed, total, done: p.done } }));
      if (p.done) break;
    }
    await progress.return?.(undefined);
    reload();
  }
  return (
    <section>
      <h2>Crawlers</h2>
      {error && <p className="error">{error}</p>}
      <table>
        <thead>
          <tr><th>Name</th><th>Active</th><th>Last run</th><th>Progress</th><th /></tr>
        </thead>
        <tbody>
          {(crawlers ?? ([] as Nodes<SdkCrawlersQuery['crawlers']>)).map((c) => {
            const state = runs[c.id];
            const pct = state ? Math.round((100 * state.processed) / state.total) : 0;
            return (
              <tr key={c.id} data-crawler={c.name}>
                <td>{c.name}</td>
                <td>{c.active ? 'yes' : 'no'}</td>
                <td>{c.lastRun?.status ?? '—'}</td>
                <td>
                  {state && (
                    <>
                      <progress aria-label={`crawl progress ${c.name}`} value={state.processed} max={state.total} />{' '}
                      <span className="crawl-percent">{pct}%</span> <span className="muted">{state.status}</span>
                    </>
                  )}
                </td>
                <td><button onClick={() => void run(c.id)} disabled={state && !state.done}>Run</button></td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}

function Operations({ client }: { client: DocstoreClient }) {
  const [operations, error] = useLoad(async () => (await client.request(OperationsQuery, { first: 50 })).operations.edges.map((e) => e.node), [client]);
  return (
    <section>
      <h2>Operations</h2>
      {error && <p className="error">{error}</p>}
      <table>
        <thead>
          <tr><th>Type</th><th>Status</th><th>Items</th><th>Started</th><th>Error</th></tr>
        </thead>
        <tbody>
          {(operations ?? ([] as Nodes<SdkOperationsQuery['operations']>)).map((o) => (
            <tr key={o.id}>
              <td>{o.type}</td>
              <td>{o.status}</td>
              <td>{o.counters.itemsDone}/{o.counters.itemsTotal}{o.counters.itemsFailed ? ` (${o.counters.itemsFailed} failed)` : ''}</td>
              <td className="muted">{new Date(o.createdAt).toLocaleString()}</td>
              <td className="error">{o.error?.message}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
