export interface CrawlerCounts {
  discovered: number;
  created: number;
  updated: number;
  unchanged: number;
  deleted: number;
  failed: number;
}

export interface CrawlerProgressPayload {
  tenantId: string;
  crawlerId: string;
  runId: string;
  status: 'QUEUED' | 'RUNNING' | 'COMPLETED' | 'FAILED' | 'CANCELLED';
  counts: CrawlerCounts;
  currentUri: string | null;
  done: boolean;
  at: string;
}

export interface CrawlerTopics {
  crawlerProgress: CrawlerProgressPayload;
}
