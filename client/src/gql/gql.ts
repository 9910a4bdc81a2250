/* eslint-disable */
import * as types from './graphql.js';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  query SdkViewer { viewer { isAdmin tenant { id name } } }\n": typeof types.SdkViewerDocument,
    "\n  mutation SdkCreateFile($input: CreateFileInput!) {\n    createFile(input: $input) {\n      __typename\n      ... on CreateFilePayload { deduplicated file { id name } version { id } }\n      ... on Error { code message }\n    }\n  }\n": typeof types.SdkCreateFileDocument,
    "\n  mutation SdkRequestUpload($input: RequestFileUploadInput!) {\n    requestFileUpload(input: $input) {\n      __typename\n      ... on RequestFileUploadPayload {\n        uploadId uploadUrl uploadHeaders expiresAt\n        existingFile { id name currentVersion { id } }\n        multipart { partSize parts { partNumber url offset size } }\n      }\n      ... on Error { code message }\n    }\n  }\n": typeof types.SdkRequestUploadDocument,
    "\n  mutation SdkCompleteUpload($input: CompleteFileUploadInput!) {\n    completeFileUpload(input: $input) {\n      __typename\n      ... on CompleteFileUploadPayload { deduplicated file { id name } version { id } }\n      ... on Error { code message }\n    }\n  }\n": typeof types.SdkCompleteUploadDocument,
    "\n  mutation SdkAddToStore($input: AddFilesToVectorStoreInput!) {\n    addFilesToVectorStore(input: $input) { __typename ... on Error { code message } }\n  }\n": typeof types.SdkAddToStoreDocument,
    "\n  query SdkSearch($input: SearchVectorStoreInput!) {\n    searchVectorStore(input: $input) {\n      __typename\n      ... on SearchVectorStorePayload {\n        documents {\n          rank score\n          file { id name path }\n          scores { fused vector keyword bm25 similarity vectorRank keywordRank }\n          chunks { text score highlights { text start end } }\n        }\n      }\n      ... on Error { code message }\n    }\n  }\n": typeof types.SdkSearchDocument,
    "\n  query SdkFiles($first: Int, $after: String) {\n    files(first: $first, after: $after) {\n      pageInfo { hasNextPage endCursor }\n      edges { node { id name path kind mimeType size createdAt } }\n    }\n  }\n": typeof types.SdkFilesDocument,
    "\n  query SdkFile($id: ID!) {\n    file(id: $id) {\n      id name path kind mimeType size sha256 createdAt updatedAt metadata downloadUrl\n      versions(first: 20) { edges { node { id number mimeType size createdAt downloadUrl } } }\n    }\n  }\n": typeof types.SdkFileDocument,
    "\n  mutation SdkDeleteFile($id: ID!) {\n    deleteFile(input: { fileId: $id }) { __typename ... on Error { code message } }\n  }\n": typeof types.SdkDeleteFileDocument,
    "\n  query SdkStores($first: Int) {\n    vectorStores(first: $first) {\n      edges { node { id name status fileCounts { queued inProgress completed failed } } }\n    }\n  }\n": typeof types.SdkStoresDocument,
    "\n  query SdkCrawlers($first: Int) {\n    crawlers(first: $first) { edges { node { id name active lastRun { id status } } } }\n  }\n": typeof types.SdkCrawlersDocument,
    "\n  mutation SdkRunCrawler($id: ID!) {\n    runCrawler(input: { crawlerId: $id }) {\n      __typename\n      ... on RunCrawlerPayload { run { id status } }\n      ... on Error { code message }\n    }\n  }\n": typeof types.SdkRunCrawlerDocument,
    "\n  subscription SdkCrawlerProgress($id: ID!) {\n    crawlerProgress(crawlerId: $id) {\n      runId status done total currentUri\n      counts { discovered created updated unchanged deleted failed }\n    }\n  }\n": typeof types.SdkCrawlerProgressDocument,
    "\n  subscription SdkIndexingProgress($id: ID!) {\n    indexingProgress(vectorStoreId: $id) { status fileId chunksDone chunksTotal error }\n  }\n": typeof types.SdkIndexingProgressDocument,
    "\n  subscription SdkOperationProgress($id: ID!) {\n    operationProgress(operationId: $id) { id type status counters { itemsTotal itemsDone itemsFailed } }\n  }\n": typeof types.SdkOperationProgressDocument,
    "\n  subscription SdkEvents($after: String, $types: [String!]) {\n    events(after: $after, types: $types) { cursor type occurredAt data }\n  }\n": typeof types.SdkEventsDocument,
    "\n  query SdkOperations($first: Int) {\n    operations(first: $first) {\n      edges { node { id type status createdAt completedAt counters { itemsTotal itemsDone itemsFailed } error { code message } } }\n    }\n  }\n": typeof types.SdkOperationsDocument,
};
const documents: Documents = {
    "\n  query SdkViewer { viewer { isAdmin tenant { id name } } }\n": types.SdkViewerDocument,
    "\n  mutation SdkCreateFile($input: CreateFileInput!) {\n    createFile(input: $input) {\n      __typename\n      ... on CreateFilePayload { deduplicated file { id name } version { id } }\n      ... on Error { code message }\n    }\n  }\n": types.SdkCreateFileDocument,
    "\n  mutation SdkRequestUpload($input: RequestFileUploadInput!) {\n    requestFileUpload(input: $input) {\n      __typename\n      ... on RequestFileUploadPayload {\n        uploadId uploadUrl uploadHeaders expiresAt\n        existingFile { id name currentVersion { id } }\n        multipart { partSize parts { partNumber url offset size } }\n      }\n      ... on Error { code message }\n    }\n  }\n": types.SdkRequestUploadDocument,
    "\n  mutation SdkCompleteUpload($input: CompleteFileUploadInput!) {\n    completeFileUpload(input: $input) {\n      __typename\n      ... on CompleteFileUploadPayload { deduplicated file { id name } version { id } }\n      ... on Error { code message }\n    }\n  }\n": types.SdkCompleteUploadDocument,
    "\n  mutation SdkAddToStore($input: AddFilesToVectorStoreInput!) {\n    addFilesToVectorStore(input: $input) { __typename ... on Error { code message } }\n  }\n": types.SdkAddToStoreDocument,
    "\n  query SdkSearch($input: SearchVectorStoreInput!) {\n    searchVectorStore(input: $input) {\n      __typename\n      ... on SearchVectorStorePayload {\n        documents {\n          rank score\n          file { id name path }\n          scores { fused vector keyword bm25 similarity vectorRank keywordRank }\n          chunks { text score highlights { text start end } }\n        }\n      }\n      ... on Error { code message }\n    }\n  }\n": types.SdkSearchDocument,
    "\n  query SdkFiles($first: Int, $after: String) {\n    files(first: $first, after: $after) {\n      pageInfo { hasNextPage endCursor }\n      edges { node { id name path kind mimeType size createdAt } }\n    }\n  }\n": types.SdkFilesDocument,
    "\n  query SdkFile($id: ID!) {\n    file(id: $id) {\n      id name path kind mimeType size sha256 createdAt updatedAt metadata downloadUrl\n      versions(first: 20) { edges { node { id number mimeType size createdAt downloadUrl } } }\n    }\n  }\n": types.SdkFileDocument,
    "\n  mutation SdkDeleteFile($id: ID!) {\n    deleteFile(input: { fileId: $id }) { __typename ... on Error { code message } }\n  }\n": types.SdkDeleteFileDocument,
    "\n  query SdkStores($first: Int) {\n    vectorStores(first: $first) {\n      edges { node { id name status fileCounts { queued inProgress completed failed } } }\n    }\n  }\n": types.SdkStoresDocument,
    "\n  query SdkCrawlers($first: Int) {\n    crawlers(first: $first) { edges { node { id name active lastRun { id status } } } }\n  }\n": types.SdkCrawlersDocument,
    "\n  mutation SdkRunCrawler($id: ID!) {\n    runCrawler(input: { crawlerId: $id }) {\n      __typename\n      ... on RunCrawlerPayload { run { id status } }\n      ... on Error { code message }\n    }\n  }\n": types.SdkRunCrawlerDocument,
    "\n  subscription SdkCrawlerProgress($id: ID!) {\n    crawlerProgress(crawlerId: $id) {\n      runId status done total currentUri\n      counts { discovered created updated unchanged deleted failed }\n    }\n  }\n": types.SdkCrawlerProgressDocument,
    "\n  subscription SdkIndexingProgress($id: ID!) {\n    indexingProgress(vectorStoreId: $id) { status fileId chunksDone chunksTotal error }\n  }\n": types.SdkIndexingProgressDocument,
    "\n  subscription SdkOperationProgress($id: ID!) {\n    operationProgress(operationId: $id) { id type status counters { itemsTotal itemsDone itemsFailed } }\n  }\n": types.SdkOperationProgressDocument,
    "\n  subscription SdkEvents($after: String, $types: [String!]) {\n    events(after: $after, types: $types) { cursor type occurredAt data }\n  }\n": types.SdkEventsDocument,
    "\n  query SdkOperations($first: Int) {\n    operations(first: $first) {\n      edges { node { id type status createdAt completedAt counters { itemsTotal itemsDone itemsFailed } error { code message } } }\n    }\n  }\n": types.SdkOperationsDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SdkViewer { viewer { isAdmin tenant { id name } } }\n"): (typeof documents)["\n  query SdkViewer { viewer { isAdmin tenant { id name } } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SdkCreateFile($input: CreateFileInput!) {\n    createFile(input: $input) {\n      __typename\n      ... on CreateFilePayload { deduplicated file { id name } version { id } }\n      ... on Error { code message }\n    }\n  }\n"): (typeof documents)["\n  mutation SdkCreateFile($input: CreateFileInput!) {\n    createFile(input: $input) {\n      __typename\n      ... on CreateFilePayload { deduplicated file { id name } version { id } }\n      ... on Error { code message }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SdkRequestUpload($input: RequestFileUploadInput!) {\n    requestFileUpload(input: $input) {\n      __typename\n      ... on RequestFileUploadPayload {\n        uploadId uploadUrl uploadHeaders expiresAt\n        existingFile { id name currentVersion { id } }\n        multipart { partSize parts { partNumber url offset size } }\n      }\n      ... on Error { code message }\n    }\n  }\n"): (typeof documents)["\n  mutation SdkRequestUpload($input: RequestFileUploadInput!) {\n    requestFileUpload(input: $input) {\n      __typename\n      ... on RequestFileUploadPayload {\n        uploadId uploadUrl uploadHeaders expiresAt\n        existingFile { id name currentVersion { id } }\n        multipart { partSize parts { partNumber url offset size } }\n      }\n      ... on Error { code message }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SdkCompleteUpload($input: CompleteFileUploadInput!) {\n    completeFileUpload(input: $input) {\n      __typename\n      ... on CompleteFileUploadPayload { deduplicated file { id name } version { id } }\n      ... on Error { code message }\n    }\n  }\n"): (typeof documents)["\n  mutation SdkCompleteUpload($input: CompleteFileUploadInput!) {\n    completeFileUpload(input: $input) {\n      __typename\n      ... on CompleteFileUploadPayload { deduplicated file { id name } version { id } }\n      ... on Error { code message }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SdkAddToStore($input: AddFilesToVectorStoreInput!) {\n    addFilesToVectorStore(input: $input) { __typename ... on Error { code message } }\n  }\n"): (typeof documents)["\n  mutation SdkAddToStore($input: AddFilesToVectorStoreInput!) {\n    addFilesToVectorStore(input: $input) { __typename ... on Error { code message } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SdkSearch($input: SearchVectorStoreInput!) {\n    searchVectorStore(input: $input) {\n      __typename\n      ... on SearchVectorStorePayload {\n        documents {\n          rank score\n          file { id name path }\n          scores { fused vector keyword bm25 similarity vectorRank keywordRank }\n          chunks { text score highlights { text start end } }\n        }\n      }\n      ... on Error { code message }\n    }\n  }\n"): (typeof documents)["\n  query SdkSearch($input: SearchVectorStoreInput!) {\n    searchVectorStore(input: $input) {\n      __typename\n      ... on SearchVectorStorePayload {\n        documents {\n          rank score\n          file { id name path }\n          scores { fused vector keyword bm25 similarity vectorRank keywordRank }\n          chunks { text score highlights { text start end } }\n        }\n      }\n      ... on Error { code message }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SdkFiles($first: Int, $after: String) {\n    files(first: $first, after: $after) {\n      pageInfo { hasNextPage endCursor }\n      edges { node { id name path kind mimeType size createdAt } }\n    }\n  }\n"): (typeof documents)["\n  query SdkFiles($first: Int, $after: String) {\n    files(first: $first, after: $after) {\n      pageInfo { hasNextPage endCursor }\n      edges { node { id name path kind mimeType size createdAt } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SdkFile($id: ID!) {\n    file(id: $id) {\n      id name path kind mimeType size sha256 createdAt updatedAt metadata downloadUrl\n      versions(first: 20) { edges { node { id number mimeType size createdAt downloadUrl } } }\n    }\n  }\n"): (typeof documents)["\n  query SdkFile($id: ID!) {\n    file(id: $id) {\n      id name path kind mimeType size sha256 createdAt updatedAt metadata downloadUrl\n      versions(first: 20) { edges { node { id number mimeType size createdAt downloadUrl } } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SdkDeleteFile($id: ID!) {\n    deleteFile(input: { fileId: $id }) { __typename ... on Error { code message } }\n  }\n"): (typeof documents)["\n  mutation SdkDeleteFile($id: ID!) {\n    deleteFile(input: { fileId: $id }) { __typename ... on Error { code message } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SdkStores($first: Int) {\n    vectorStores(first: $first) {\n      edges { node { id name status fileCounts { queued inProgress completed failed } } }\n    }\n  }\n"): (typeof documents)["\n  query SdkStores($first: Int) {\n    vectorStores(first: $first) {\n      edges { node { id name status fileCounts { queued inProgress completed failed } } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SdkCrawlers($first: Int) {\n    crawlers(first: $first) { edges { node { id name active lastRun { id status } } } }\n  }\n"): (typeof documents)["\n  query SdkCrawlers($first: Int) {\n    crawlers(first: $first) { edges { node { id name active lastRun { id status } } } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SdkRunCrawler($id: ID!) {\n    runCrawler(input: { crawlerId: $id }) {\n      __typename\n      ... on RunCrawlerPayload { run { id status } }\n      ... on Error { code message }\n    }\n  }\n"): (typeof documents)["\n  mutation SdkRunCrawler($id: ID!) {\n    runCrawler(input: { crawlerId: $id }) {\n      __typename\n      ... on RunCrawlerPayload { run { id status } }\n      ... on Error { code message }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription SdkCrawlerProgress($id: ID!) {\n    crawlerProgress(crawlerId: $id) {\n      runId status done total currentUri\n      counts { discovered created updated unchanged deleted failed }\n    }\n  }\n"): (typeof documents)["\n  subscription SdkCrawlerProgress($id: ID!) {\n    crawlerProgress(crawlerId: $id) {\n      runId status done total currentUri\n      counts { discovered created updated unchanged deleted failed }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription SdkIndexingProgress($id: ID!) {\n    indexingProgress(vectorStoreId: $id) { status fileId chunksDone chunksTotal error }\n  }\n"): (typeof documents)["\n  subscription SdkIndexingProgress($id: ID!) {\n    indexingProgress(vectorStoreId: $id) { status fileId chunksDone chunksTotal error }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription SdkOperationProgress($id: ID!) {\n    operationProgress(operationId: $id) { id type status counters { itemsTotal itemsDone itemsFailed } }\n  }\n"): (typeof documents)["\n  subscription SdkOperationProgress($id: ID!) {\n    operationProgress(operationId: $id) { id type status counters { itemsTotal itemsDone itemsFailed } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription SdkEvents($after: String, $types: [String!]) {\n    events(after: $after, types: $types) { cursor type occurredAt data }\n  }\n"): (typeof documents)["\n  subscription SdkEvents($after: String, $types: [String!]) {\n    events(after: $after, types: $types) { cursor type occurredAt data }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SdkOperations($first: Int) {\n    operations(first: $first) {\n      edges { node { id type status createdAt completedAt counters { itemsTotal itemsDone itemsFailed } error { code message } } }\n    }\n  }\n"): (typeof documents)["\n  query SdkOperations($first: Int) {\n    operations(first: $first) {\n      edges { node { id type status createdAt completedAt counters { itemsTotal itemsDone itemsFailed } error { code message } } }\n    }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;