// The SDK's operations, typed by GraphQL Code Generator (client preset) from the repository's schema.graphql.
import { graphql } from './gql/index.js';

export const ViewerQuery = graphql(`
  query SdkViewer { viewer { isAdmin tenant { id name } } }
`);

export const CreateFileMutation = graphql(`
  mutation SdkCreateFile($input: CreateFileInput!) {
    createFile(input: $input) {
      __typename
      ... on CreateFilePayload { deduplicated file { id name } version { id } }
      ... on Error { code message }
    }
  }
`);

export const RequestUploadMutation = graphql(`
  mutation SdkRequestUpload($input: RequestFileUploadInput!) {
    requestFileUpload(input: $input) {
      __typename
      ... on RequestFileUploadPayload {
        uploadId uploadUrl uploadHeaders expiresAt
        existingFile { id name currentVersion { id } }
        multipart { partSize parts { partNumber url offset size } }
      }
      ... on Error { code message }
    }
  }
`);

export const CompleteUploadMutation = graphql(`
  mutation SdkCompleteUpload($input: CompleteFileUploadInput!) {
    completeFileUpload(input: $input) {
      __typename
      ... on CompleteFileUploadPayload { deduplicated file { id name } version { id } }
      ... on Error { code message }
    }
  }
`);

export const AddToStoreMutation = graphql(`
  mutation SdkAddToStore($input: AddFilesToVectorStoreInput!) {
    addFilesToVectorStore(input: $input) { __typename ... on Error { code message } }
  }
`);

export const SearchQuery = graphql(`
  query SdkSearch($input: SearchVectorStoreInput!) {
    searchVectorStore(input: $input) {
      __typename
      ... on SearchVectorStorePayload {
        documents {
          rank score
          file { id name path }
          scores { fused vector keyword bm25 similarity vectorRank keywordRank }
          chunks { text score highlights { text start end } }
        }
      }
      ... on Error { code message }
    }
  }
`);

export const FilesQuery = graphql(`
  query SdkFiles($first: Int, $after: String) {
    files(first: $first, after: $after) {
      pageInfo { hasNextPage endCursor }
      edges { node { id name path kind mimeType size createdAt } }
    }
  }
`);

export const FileQuery = graphql(`
  query SdkFile($id: ID!) {
    file(id: $id) {
      id name path kind mimeType size sha256 createdAt updatedAt metadata downloadUrl
      versions(first: 20) { edges { node { id number mimeType size createdAt downloadUrl } } }
    }
  }
`);

export const DeleteFileMutation = graphql(`
  mutation SdkDeleteFile($id: ID!) {
    deleteFile(input: { fileId: $id }) { __typename ... on Error { code message } }
  }
`);

export const StoresQuery = graphql(`
  query SdkStores($first: Int) {
    vectorStores(first: $first) {
      edges { node { id name status fileCounts { queued inProgress completed failed } } }
    }
  }
`);

export const CrawlersQuery = graphql(`
  query SdkCrawlers($first: Int) {
    crawlers(first: $first) { edges { node { id name active lastRun { id status } } } }
  }
`);

export const RunCrawlerMutation = graphql(`
  mutation SdkRunCrawler($id: ID!) {
    runCrawler(input: { crawlerId: $id }) {
      __typename
      ... on RunCrawlerPayload { run { id status } }
      ... on Error { code message }
    }
  }
`);

export const CrawlerProgressSubscription = graphql(`
  subscription SdkCrawlerProgress($id: ID!) {
    crawlerProgress(crawlerId: $id) {
      runId status done total currentUri
      counts { discovered created updated unchanged deleted failed }
    }
  }
`);

export const IndexingProgressSubscription = graphql(`
  subscription SdkIndexingProgress($id: ID!) {
    indexingProgress(vectorStoreId: $id) { status fileId chunksDone chunksTotal error }
  }
`);

export const OperationProgressSubscription = graphql(`
  subscription SdkOperationProgress($id: ID!) {
    operationProgress(operationId: $id) { id type status counters { itemsTotal itemsDone itemsFailed } }
  }
`);

export const EventsSubscription = graphql(`
  subscription SdkEvents($after: String, $types: [String!]) {
    events(after: $after, types: $types) { cursor type occurredAt data }
  }
`);

export const OperationsQuery = graphql(`
  query SdkOperations($first: Int) {
    operations(first: $first) {
      edges { node { id type status createdAt completedAt counters { itemsTotal itemsDone itemsFailed } error { code message } } }
    }
  }
`);
