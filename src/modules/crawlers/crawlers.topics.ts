export interface CrawlerCounts {
  discovered: number;
  created: number;
  updated: number;
  unchanged: number;
  deleted: number;
  failed: number;
}

export const COUNT_FIELDS = ['discovered', 'created', 'updated', 'unchanged', 'deleted', 'failed'] as const;

/** The counters of a run row (or any object carrying them). */
export const countsOf = (row: CrawlerCounts): CrawlerCounts =>
  Object.fromEntries(COUNT_FIELDS.map((k) => [k, row[k]])) as unknown as CrawlerCounts;

export interface CrawlerProgressPayload {
  tenantId: string;
  crawlerId: string;
  runId: string;
  status: 'QUEUED' | 'RUNNING' | 'COMPLETED' | 'FAILED' | 'CANCELLED';
  counts: CrawlerCounts;
  /** Items the source listed, once its listing is complete (null before, and for web sites until the end). */
  total: number | null;
  currentUri: string | null;
  done: boolean;
  at: string;
}

export interface CrawlerTopics {
  crawlerProgress: CrawlerProgressPayload;
}
