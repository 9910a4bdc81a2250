// Crawler documents and helpers shared by the crawler tests.
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';
import { expect } from 'vitest';
import { graphql } from '../gql/index.js';
import type { CreateCrawlerInput } from '../gql/graphql.js';
import { ok, payload, type TestApp, waitFor } from './harness.js';

export const CreateCrawler = graphql(`
  mutation CreateCrawler($input: CreateCrawlerInput!) {
    createCrawler(input: $input) {
      __typename
      ... on CreateCrawlerPayload {
        crawler {
          id name active scheduleIntervalSeconds nextRunAt
          dataSource {
            __typename
            ... on DirectoryDataSource { path include exclude }
            ... on S3DataSource { bucket prefix endpoint hasCredentials }
            ... on WebDataSource { startUrls maxPages maxDepth respectRobots }
          }
          lastRun { id status }
        }
      }
      ... on ValidationError { code message fields { path message } }
      ... on Error { code message }
    }
  }
`);

export const UpdateCrawler = graphql(`
  mutation UpdateCrawler($input: UpdateCrawlerInput!) {
    updateCrawler(input: $input) {
      __typename
      ... on UpdateCrawlerPayload { crawler { id active scheduleIntervalSeconds nextRunAt lastRun { id status } } }
      ... on Error { code message }
    }
  }
`);

export const RunCrawler = graphql(`
  mutation RunCrawler($id: ID!) {
    runCrawler(input: { crawlerId: $id }) {
      __typename
      ... on RunCrawlerPayload { started run { id status } }
      ... on Error { code message }
    }
  }
`);

export const DeleteCrawler = graphql(`
  mutation DeleteCrawler($id: ID!) {
    deleteCrawler(input: { crawlerId: $id }) {
      __typename
      ... on DeleteCrawlerPayload { deletedCrawlerId }
      ... on Error { code message }
    }
  }
`);

export const CrawlerRunQuery = graphql(`
  query CrawlerRun($id: ID!) {
    node(id: $id) {
      ... on CrawlerRun {
        id status trigger attempts error startedAt finishedAt
        counts { discovered created updated unchanged deleted failed }
        errors(first: 50) { edges { node { uri message at } } }
      }
    }
  }
`);

export const CrawlerQuery = graphql(`
  query Crawler($id: ID!) {
    crawler(id: $id) {
      id name active nextRunAt
      lastRun { id status trigger counts { discovered created updated unchanged deleted failed } }
      runs(first: 20) { edges { node { id status trigger } } }
    }
  }
`);

export type RunResult = NonNullable<Awaited<ReturnType<typeof waitForRun>>>;

export async function createCrawler(t: TestApp, key: string, input: CreateCrawlerInput) {
  const result = ok(await t.gql(CreateCrawler, { input }, key)).createCrawler;
  return payload(result, 'CreateCrawlerPayload').crawler;
}

export async function runCrawler(t: TestApp, key: string, crawlerId: string) {
  return payload(ok(await t.gql(RunCrawler, { id: crawlerId }, key)).runCrawler, 'RunCrawlerPayload');
}

const ENDED = new Set(['COMPLETED', 'FAILED', 'CANCELLED']);

/** Polls a run until it has ended. */
/** Waits for a run to end, as long as it makes progress (its status or counts change). */
export async function waitForRun(t: TestApp, key: string, runId: string) {
  return waitFor(`run ${runId}`, async () => {
    const node = ok(await t.gql(CrawlerRunQuery, { id: runId }, key)).node;
    const run = node && 'status' in node ? (node as Extract<typeof node, { status: string }>) : undefined;
    return { done: run && ENDED.has(run.status) ? run : undefined, progress: run && [run.status, run.counts, run.attempts] };
  });
}

/** Starts a run and waits for it; expects it to have been started (no run was active). */
export async function crawl(t: TestApp, key: string, crawlerId: string) {
  const { run, started } = await runCrawler(t, key, crawlerId);
  expect(started).toBe(true);
  return waitForRun(t, key, run.id);
}

export const counts = (run: { counts: Record<string, unknown> }) => {
  const { __typename: _ignored, ...rest } = run.counts as Record<string, number> & { __typename?: string };
  return rest;
};

export const ProgressSubscription = graphql(`
  subscription CrawlerProgressEvents($id: ID!) {
    crawlerProgress(crawlerId: $id) { runId status done total currentUri counts { discovered created updated unchanged deleted failed } }
  }
`);

export interface ProgressEvent {
  runId: string;
  status: string;
  done: boolean;
  total: number | null;
  counts: { discovered: number; created: number; updated: number; unchanged: number; deleted: number; failed: number };
}

/** A subscription over SSE (GraphQL over HTTP, text/event-stream): events collected until `until` says so. */
export async function subscribeOverSse<R, V, E>(
  t: TestApp,
  key: string,
  document: TypedDocumentNode<R, V>,
  variables: V,
  pick: (data: R) => E,
  until: (event: E) => boolean,
) {
  const response = await t.post({ query: print(document), variables }, key, { accept: 'text/event-stream' });
  expect(response.headers.get('content-type')).toContain('text/event-stream');
  const events: E[] = [];
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  const done = (async () => {
    let buffer = '';
    for (;;) {
      const { done: ended, value } = await reader.read();
      if (ended) return;
      buffer += decoder.decode(value, { stream: true });
      let end;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const data = buffer.slice(0, end).split('\n').find((l) => l.startsWith('data:'));
        buffer = buffer.slice(end + 2);
        if (!data || data.length <= 6) continue;
        const parsed = JSON.parse(data.slice(5)) as { data?: R; errors?: unknown };
        if (parsed.errors) throw new Error(JSON.stringify(parsed.errors));
        const event = pick(parsed.data!);
        events.push(event);
        if (until(event)) return;
      }
    }
  })();
  return {
    events,
    done,
    async close() {
      await reader.cancel().catch(() => undefined);
    },
  };
}

/** crawlerProgress over SSE, until the run's final event. */
export const progressOverSse = (t: TestApp, key: string, crawlerId: string) =>
  subscribeOverSse(t, key, ProgressSubscription, { id: crawlerId }, (d) => d.crawlerProgress as ProgressEvent, (e) => e.done);
