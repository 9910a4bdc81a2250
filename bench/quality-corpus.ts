// The corpus of the search-quality bench: Debian manual pages installed on this machine, rendered to plain text by
// the local man-db/groff, each to be found again by its own one-line description from the NAME section.
//
// Selection, deterministic for a given machine:
//   1. every *.gz directly in /usr/share/man/man{1,5,7,8} (the English pages; translations live in other folders),
//      except the generated Google Cloud CLI reference (gcloud*: 16,631 pages of one template, 93% of section 1);
//   2. symlinks are followed and a page reached twice counts once; `.so` redirects are skipped;
//   3. candidates are ordered by SHA-256 of their path relative to /usr/share/man (a fixed shuffle: a smaller
//      BENCH_QUALITY_DOCS gives a prefix of a larger one), and taken in that order, skipping pages whose rendering
//      fails, is very short (< MIN_CHARS) or is not mostly Latin script, until `target` pages are taken;
//   4. among those, pages without a description, or whose description another taken page shares (an ambiguous
//      known item), are dropped and counted.
// Rendering: `man --nh --nj -l PAGE` (no hyphenation, no justification), MANWIDTH=80, C.UTF-8, not a terminal (so
// no pager and no overstrike); any escape or overstrike left is stripped. The document is the page as rendered,
// NAME line included. Renders are cached per page (by the bytes of the .gz) under ~/.cache/docstore-bench/.
import { execFile } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import zlib from 'node:zlib';

const run = promisify(execFile);

export const MAN_ROOT = '/usr/share/man';
const SECTIONS = ['man1', 'man5', 'man7', 'man8'];
const EXCLUDED = /^gcloud[._-]/;
const MIN_CHARS = 600;
const MANWIDTH = '80';
/** Bump when the rendering or its clean-up changes: old cache entries are then ignored. */
const RENDER_VERSION = 1;

export interface ManPage {
  /** Path relative to /usr/share/man, e.g. man1/tar.1.gz */
  page: string;
  /** The names before the dash in NAME, e.g. "gzip, gunzip, zcat" */
  names: string;
  /** The one-line description after the dash: the query */
  description: string;
  /** The rendered page */
  text: string;
}

export interface Corpus {
  documents: ManPage[];
  /** What the selection saw and skipped, for the corpus description */
  stats: {
    files: number;
    excludedGcloud: number;
    soRedirects: number;
    aliases: number;
    candidates: number;
    examined: number;
    renderFailed: number;
    tooShort: number;
    notLatin: number;
    taken: number;
    noDescription: number;
    sharedDescription: number;
    sections: Record<string, number>;
    chars: number;
    bytes: number;
    renderSeconds: number;
    rendered: number;
    cached: number;
  };
  tools: { manDb: string; groff: string; debian: string; manpagesPackage: string };
  /** Debian packages the documents come from (by dpkg's file lists), e.g. 412 */
  packages: number;
  /** SHA-256 over the documents' paths and texts, in order: equal fingerprints, equal corpus */
  fingerprint: string;
  /** Set when the selection was pinned to a list of pages: how many of its pages this machine lacks */
  pinned?: { listed: number; missing: number };
  cacheDir: string;
  sharedExamples: string[];
  noDescriptionExamples: string[];
}

async function toolVersions() {
  const first = async (cmd: string, args: string[]) => {
    try {
      const { stdout } = await run(cmd, args);
      return stdout.split('\n')[0]!.trim();
    } catch {
      return 'unknown';
    }
  };
  const pkg = async (name: string) => first('dpkg-query', ['-W', '-f=${Version}', name]);
  let debian = 'unknown';
  try {
    debian = fs.readFileSync('/etc/debian_version', 'utf8').trim();
  } catch {
    /* not Debian */
  }
  return {
    manDb: `${await first('man', ['--version'])} (man-db ${await pkg('man-db')})`,
    groff: `${await first('groff', ['--version'])} (groff-base ${await pkg('groff-base')})`,
    debian,
    manpagesPackage: await pkg('manpages'),
  };
}

/** Removes SGR escapes and overstrikes (x\bx bold, _\bx underline), in case a formatter left any. */
export function cleanRendered(text: string): string {
  return text
    // eslint-disable-next-line no-control-regex -- escapes and backspaces are exactly what is being removed
    .replace(/\x1b\[[0-9;]*[A-Za-z]/g, '')
    // eslint-disable-next-line no-control-regex -- as above
    .replace(/.\x08/gu, '')
    .replace(/[ \t]+$/gm, '')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

const DASH = String.raw`(?:-{1,2}|\u2010|\u2011|\u2012|\u2013|\u2014|\u2212)`;
const SEPARATOR = new RegExp(String.raw`\s${DASH}\s`, 'u');
const NEW_ENTRY = new RegExp(String.raw`^[\w.:+@\[\]-]+(?:,\s*[\w.:+@\[\]-]+)*\s${DASH}\s`, 'u');

/** The NAME section's first "names - description", joined into one line. */
export function nameLine(text: string): { names: string; description: string } | undefined {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => /^NAME\s*$/.test(l));
  if (start < 0) return undefined;
  const body: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (/^\S/.test(line)) break; // the next section heading
    if (!line.trim()) {
      if (body.length) break;
      continue;
    }
    // Only the first entry: pages such as hostname(1) list several "name - description" lines. Names or a
    // description may wrap; once the separator has been seen, a line that looks like "name - …" is a new entry.
    if (SEPARATOR.test(body.join(' ')) && NEW_ENTRY.test(line.trim())) break;
    body.push(line.trim());
  }
  const joined = body.join(' ').replace(/\s+/g, ' ').trim();
  const dash = SEPARATOR.exec(joined);
  if (!dash) return { names: joined, description: '' };
  return { names: joined.slice(0, dash.index).trim(), description: joined.slice(dash.index + dash[0].length).trim() };
}

/** The page without its NAME section (heading and body), for the BENCH_QUALITY_NAME=strip variant. */
export function withoutNameSection(text: string): string {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => /^NAME\s*$/.test(l));
  if (start < 0) return text;
  let end = start + 1;
  while (end < lines.length && !/^\S/.test(lines[end]!)) end += 1;
  return [...lines.slice(0, start), ...lines.slice(end)].join('\n');
}

function isMostlyLatin(text: string): boolean {
  const letters = text.match(/\p{L}/gu)?.length ?? 0;
  const latin = text.match(/\p{Script=Latin}/gu)?.length ?? 0;
  return letters === 0 || latin / letters >= 0.95;
}

const normalise = (description: string) => description.toLowerCase().replace(/[\s.]+$/, '').replace(/\s+/g, ' ');

async function pool<T>(items: T[], concurrency: number, work: (item: T) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
}

/** Which package owns each file under /usr/share/man, from dpkg's file lists (symlinks too). */
function packageOwners(): Map<string, string> {
  const owners = new Map<string, string>();
  const dir = '/var/lib/dpkg/info';
  if (!fs.existsSync(dir)) return owners;
  for (const name of fs.readdirSync(dir)) {
    if (!name.endsWith('.list')) continue;
    const pkg = name.slice(0, -'.list'.length).split(':')[0]!;
    for (const line of fs.readFileSync(path.join(dir, name), 'utf8').split('\n')) {
      if (line.startsWith(`${MAN_ROOT}/man`)) owners.set(line, pkg);
    }
  }
  return owners;
}

/**
 * Pages to use instead of the selection rule: a text file with one page per line (man1/tar.1.gz; # comments), or a
 * BENCH_QUALITY_OUT file of an earlier run. Pages this machine lacks are counted and left out.
 */
export function readPinnedPages(file: string): string[] {
  const content = fs.readFileSync(file, 'utf8');
  if (content.trimStart().startsWith('{')) {
    return (JSON.parse(content) as { queries: { page: string }[] }).queries.map((q) => q.page);
  }
  return content.split('\n').map((l) => l.replace(/#.*/, '').trim()).filter(Boolean);
}

export async function loadCorpus(target: number, log: (line: string) => void = () => {}, pinnedPages?: string[]): Promise<Corpus> {
  const tools = await toolVersions();
  const settings = JSON.stringify({ RENDER_VERSION, MANWIDTH, man: tools.manDb, groff: tools.groff });
  const cacheRoot = process.env.BENCH_QUALITY_CACHE ?? path.join(os.homedir(), '.cache', 'docstore-bench');
  const cacheDir = path.join(cacheRoot, `manpages-${crypto.createHash('sha256').update(settings).digest('hex').slice(0, 12)}`);
  fs.mkdirSync(cacheDir, { recursive: true });

  const stats: Corpus['stats'] = {
    files: 0, excludedGcloud: 0, soRedirects: 0, aliases: 0, candidates: 0, examined: 0, renderFailed: 0, tooShort: 0,
    notLatin: 0, taken: 0, noDescription: 0, sharedDescription: 0, sections: {}, chars: 0, bytes: 0, renderSeconds: 0,
    rendered: 0, cached: 0,
  };

  // 1–2. Candidates: one per real file, .so redirects out.
  const byRealPath = new Map<string, string>();
  for (const section of SECTIONS) {
    const dir = path.join(MAN_ROOT, section);
    if (!fs.existsSync(dir)) continue;
    for (const name of fs.readdirSync(dir).sort()) {
      if (!name.endsWith('.gz')) continue;
      stats.files += 1;
      if (EXCLUDED.test(name)) {
        stats.excludedGcloud += 1;
        continue;
      }
      const file = path.join(dir, name);
      let real: string;
      try {
        real = fs.realpathSync(file);
      } catch {
        continue; // a dangling link
      }
      const relative = path.relative(MAN_ROOT, file);
      const seen = byRealPath.get(real);
      // The page under its own name wins over a link to it; otherwise the first name in sorted order.
      if (seen !== undefined) {
        stats.aliases += 1;
        if (real === file) byRealPath.set(real, relative);
        continue;
      }
      byRealPath.set(real, relative);
    }
  }
  const candidates: { page: string; real: string; order: string }[] = [];
  for (const [real, page] of byRealPath) {
    const head = zlib.gunzipSync(fs.readFileSync(real)).subarray(0, 4096).toString('latin1');
    const firstLine = head.split('\n').find((l) => l.trim() && !/^(?:[.']\s*)?\\["#]/.test(l)) ?? '';
    if (/^\.so\s/.test(firstLine)) {
      stats.soRedirects += 1;
      continue;
    }
    candidates.push({ page, real, order: crypto.createHash('sha256').update(page).digest('hex') });
  }
  candidates.sort((a, b) => (a.order < b.order ? -1 : a.order > b.order ? 1 : 0));
  let pinned: Corpus['pinned'];
  if (pinnedPages) {
    const wanted = new Set(pinnedPages);
    const kept = candidates.filter((c) => wanted.has(c.page));
    pinned = { listed: wanted.size, missing: wanted.size - kept.length };
    candidates.splice(0, candidates.length, ...kept);
    target = kept.length;
  }
  stats.candidates = candidates.length;

  // 3. Render in order (two at a time per core), taking pages until the target is met.
  const taken: ManPage[] = [];
  const t0 = performance.now();
  const renderOne = async (c: (typeof candidates)[number]): Promise<string | undefined> => {
    const bytes = fs.readFileSync(c.real);
    const key = crypto.createHash('sha256').update(bytes).digest('hex');
    const cached = path.join(cacheDir, `${key}.txt`);
    const failed = path.join(cacheDir, `${key}.failed`);
    if (fs.existsSync(cached)) {
      stats.cached += 1;
      return fs.readFileSync(cached, 'utf8');
    }
    if (fs.existsSync(failed)) {
      stats.cached += 1;
      return undefined;
    }
    stats.rendered += 1;
    try {
      const { stdout } = await run('man', ['--nh', '--nj', '-l', c.real], {
        env: { PATH: process.env.PATH, HOME: os.tmpdir(), MANWIDTH, LANG: 'C.UTF-8', LC_ALL: 'C.UTF-8', MANPAGER: 'cat', PAGER: 'cat' },
        maxBuffer: 64 * 1024 * 1024,
        timeout: 60_000,
      });
      const text = cleanRendered(stdout);
      fs.writeFileSync(cached, text);
      return text;
    } catch (error) {
      fs.writeFileSync(failed, error instanceof Error ? error.message : String(error));
      return undefined;
    }
  };
  const window = Math.max(2, os.cpus().length * 2);
  for (let i = 0; i < candidates.length && taken.length < target; i += window) {
    const batch = candidates.slice(i, i + window);
    const texts = new Array<string | undefined>(batch.length);
    await pool(
      batch.map((c, j) => ({ c, j })),
      window,
      async ({ c, j }) => {
        texts[j] = await renderOne(c);
      },
    );
    for (const [j, c] of batch.entries()) {
      if (taken.length >= target) break;
      stats.examined += 1;
      const text = texts[j];
      if (!text) {
        stats.renderFailed += 1;
        continue;
      }
      if (text.length < MIN_CHARS) {
        stats.tooShort += 1;
        continue;
      }
      if (!isMostlyLatin(text)) {
        stats.notLatin += 1;
        continue;
      }
      const parsed = nameLine(text) ?? { names: '', description: '' };
      taken.push({ page: c.page, text, ...parsed });
    }
    if (stats.rendered > 0 && (i / window) % 25 === 0) log(`  rendering man pages: ${taken.length}/${target} taken, ${stats.rendered} rendered, ${stats.cached} from cache`);
  }
  stats.renderSeconds = (performance.now() - t0) / 1000;
  stats.taken = taken.length;

  // 4. Known items must be findable by an unambiguous description.
  const counts = new Map<string, number>();
  for (const d of taken) if (d.description) counts.set(normalise(d.description), (counts.get(normalise(d.description)) ?? 0) + 1);
  const sharedExamples: string[] = [];
  const noDescriptionExamples: string[] = [];
  const documents = taken.filter((d) => {
    if (!d.description) {
      stats.noDescription += 1;
      if (noDescriptionExamples.length < 5) noDescriptionExamples.push(`${d.page}: "${d.names}"`);
      return false;
    }
    if (counts.get(normalise(d.description))! > 1) {
      stats.sharedDescription += 1;
      if (sharedExamples.length < 6) sharedExamples.push(`${d.page}: "${d.description}"`);
      return false;
    }
    return true;
  });
  for (const d of documents) {
    const section = d.page.split('/')[0]!;
    stats.sections[section] = (stats.sections[section] ?? 0) + 1;
    stats.chars += d.text.length;
    stats.bytes += Buffer.byteLength(d.text);
  }
  const owners = packageOwners();
  const packages = new Set(documents.map((d) => owners.get(`${MAN_ROOT}/${d.page}`) ?? '?')).size;
  const fingerprint = crypto.createHash('sha256');
  for (const d of documents) fingerprint.update(`${d.page}\0${d.text}\0`);
  return { documents, stats, tools, packages, fingerprint: fingerprint.digest('hex').slice(0, 16), pinned, cacheDir, sharedExamples, noDescriptionExamples };
}
