// The contract between a crawl run and its source: the source lists entries, the run decides what to fetch and
// writes files; each entry's `load` downloads or re-validates one item.
import type { StagedContent } from '../../files/content.js';

/** What the crawler already knows about an item (a crawler_items row). */
export interface KnownItem {
  uri: string;
  fileId: string | null;
  fingerprint: string | null;
  etag: string | null;
  lastModified: string | null;
  sha256: string | null;
  links: string[];
  lastSeenRunId: string | null;
}

export interface ItemValidators {
  fingerprint?: string | null;
  etag?: string | null;
  lastModified?: string | null;
  links?: string[];
}

export type ItemOutcome =
  /** The bytes, downloaded and hashed: new, changed, or unchanged by hash. */
  | { kind: 'content'; staged: StagedContent; validators: ItemValidators }
  /** The source says the item is unchanged (HTTP 304) without sending it. */
  | { kind: 'notModified'; validators: ItemValidators }
  /** The item is gone at the source (404/410): its file is deleted now. */
  | { kind: 'gone'; message: string; quiet?: boolean }
  /** Could not be read this time: recorded as a run error; a file it already has is kept. */
  | { kind: 'failed'; message: string; validators?: ItemValidators };

export interface SourceEntry {
  uri: string;
  /** File name and path for a new file. */
  name: string;
  path: string | null;
  /** Listing-level change token: equal to the known one → unchanged without downloading. */
  fingerprint?: string;
  load(known: KnownItem | undefined): Promise<ItemOutcome>;
  /** Releases what a pre-fetched entry holds when the run stops before loading it. */
  discard?(): Promise<void>;
}

export interface SourceContext {
  runId: string;
  /** Known items by uri (a page at a time). */
  lookup(uris: string[]): Promise<Map<string, KnownItem>>;
  /** Records a problem that is not an item (robots.txt, a sitemap) in the run's errors. */
  warn(uri: string, message: string): Promise<void>;
  /** True once the run should stop at the next item boundary. */
  stopped(): boolean;
  /** The number of entries this run will yield, reported once the listing is complete (for progress bars). */
  total(count: number): Promise<void>;
  maxBytes: number;
}

export interface CrawlSource {
  /** Entries a page at a time, each uri once per run. Throws when the listing itself fails. */
  entries(context: SourceContext): AsyncIterable<SourceEntry[]>;
  /**
   * After `entries` finished: whether every item at the source was seen, so items not seen are gone and can be
   * pruned (false when a page limit cut the crawl short).
   */
  complete(): boolean;
  close(): Promise<void>;
}

/** Source-level failure: the run fails and nothing is pruned. */
export class SourceError extends Error {}
