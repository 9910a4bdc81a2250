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
    "query BulkModels { embedModels(first: 10) { edges { node { id builtin } } } }": typeof types.BulkModelsDocument,
    "\n  mutation BulkStore($modelId: ID!) {\n    createVectorStore(input: { name: \"bulk\", embedModelId: $modelId }) { ... on CreateVectorStorePayload { vectorStore { id } } }\n  }\n": typeof types.BulkStoreDocument,
    "query BulkStoreState($id: ID!) { vectorStore(id: $id) { status fileCounts { completed queued inProgress failed } } }": typeof types.BulkStoreStateDocument,
    "\n  query BulkSearch($id: ID!, $q: String!) {\n    searchVectorStore(input: { vectorStoreId: $id, query: $q, mode: KEYWORD, kDocs: 100 }) {\n      __typename ... on SearchVectorStorePayload { documents { file { id } } }\n    }\n  }\n": typeof types.BulkSearchDocument,
    "\n  mutation BulkAdd($input: AddFilesToVectorStoreInput!) {\n    addFilesToVectorStore(input: $input) {\n      __typename\n      ... on AddFilesToVectorStorePayload { queuedFileIds unchangedFileIds notFoundFileIds }\n      ... on Error { code message }\n    }\n  }\n": typeof types.BulkAddDocument,
    "\n  mutation BulkDelete($ids: [ID!]!) {\n    deleteFiles(input: { fileIds: $ids }) {\n      __typename\n      ... on DeleteFilesPayload { deletedFileIds notFoundFileIds }\n      ... on Error { code message }\n    }\n  }\n": typeof types.BulkDeleteDocument,
    "\n  mutation BulkMetadata($input: UpdateFilesMetadataInput!) {\n    updateFilesMetadata(input: $input) {\n      __typename\n      ... on UpdateFilesMetadataPayload { updatedFileIds notFoundFileIds }\n      ... on Error { code message }\n    }\n  }\n": typeof types.BulkMetadataDocument,
    "query BulkUsage { viewer { tenant { usage { files } } } }": typeof types.BulkUsageDocument,
    "\n  mutation RaceCreate($content: String!, $name: String!) {\n    createFile(input: { name: $name, content: $content }) {\n      __typename\n      ... on CreateFilePayload { deduplicated file { id } }\n    }\n  }\n": typeof types.RaceCreateDocument,
    "\n  mutation RaceVersion($fileId: ID!, $content: String!) {\n    createFileVersion(input: { fileId: $fileId, content: $content }) {\n      __typename\n      ... on CreateFileVersionPayload { version { number } }\n    }\n  }\n": typeof types.RaceVersionDocument,
    "\n  mutation ConvCreateFile($input: CreateFileInput!) {\n    createFile(input: $input) {\n      __typename\n      ... on CreateFilePayload { file { id } version { id number format } }\n      ... on Error { code message }\n    }\n  }\n": typeof types.ConvCreateFileDocument,
    "\n  mutation Convert($input: ConvertFileInput!) {\n    convertFile(input: $input) {\n      __typename\n      ... on ConvertFilePayload {\n        conversion { id status target }\n        version {\n          id number format mimeType\n          previousVersion { id number }\n          derivedFrom { id number format }\n          text\n        }\n      }\n      ... on UnsupportedConversionError { code message from to }\n      ... on Error { code message }\n    }\n  }\n": typeof types.ConvertDocument,
    "\n  mutation ConvNewVersion($input: CreateFileVersionInput!) {\n    createFileVersion(input: $input) {\n      __typename\n      ... on CreateFileVersionPayload {\n        version { id number format }\n        conversion { status resultVersion { number format derivedFrom { number } text } }\n      }\n      ... on Error { code message }\n    }\n  }\n": typeof types.ConvNewVersionDocument,
    "\n  query ConvVersions($id: ID!) {\n    file(id: $id) { versions(first: 20) { edges { node { number format } } } }\n  }\n": typeof types.ConvVersionsDocument,
    "\n  query ConvVersionText($id: ID!, $max: Int) {\n    node(id: $id) { ... on FileVersion { format text(maxLength: $max) pages(first: 10) { edges { node { number text } } } } }\n  }\n": typeof types.ConvVersionTextDocument,
    "\n  query ConvNode($id: ID!) {\n    node(id: $id) {\n      ... on Conversion { status error errorCode resultVersion { number format derivedFrom { number } } }\n    }\n  }\n": typeof types.ConvNodeDocument,
    "query Supported { supportedConversions { from to } }": typeof types.SupportedDocument,
    "query CrawlModels { embedModels(first: 10) { edges { node { id builtin } } } }": typeof types.CrawlModelsDocument,
    "\n  mutation CrawlCreateStore($modelId: ID!) {\n    createVectorStore(input: { name: \"docs\", embedModelId: $modelId }) {\n      ... on CreateVectorStorePayload { vectorStore { id } }\n    }\n  }\n": typeof types.CrawlCreateStoreDocument,
    "\n  query CrawlStoreState($id: ID!) { vectorStore(id: $id) { status fileCounts { completed failed } } }\n": typeof types.CrawlStoreStateDocument,
    "\n  query CrawlSearch($id: ID!, $q: String!, $filter: VectorSearchFilter) {\n    searchVectorStore(input: { vectorStoreId: $id, query: $q, mode: KEYWORD, filter: $filter }) {\n      __typename\n      ... on SearchVectorStorePayload { documents { file { name path } } }\n    }\n  }\n": typeof types.CrawlSearchDocument,
    "\n  query CrawledFiles($filter: FileFilter) {\n    files(first: 100, filter: $filter) {\n      edges { node { id name path ownerId metadata source { crawlerId uri mtimeNs } currentVersion { number mimeType } } }\n    }\n  }\n": typeof types.CrawledFilesDocument,
    "\n  subscription CrawlIndexing($id: ID!) { indexingProgress(vectorStoreId: $id) { status file { path } } }\n": typeof types.CrawlIndexingDocument,
    "\n  subscription CrawlProgress($id: ID!) {\n    crawlerProgress(crawlerId: $id) { runId status done total currentUri counts { discovered created unchanged } }\n  }\n": typeof types.CrawlProgressDocument,
    "query ForeignRun($id: ID!) { node(id: $id) { id } }": typeof types.ForeignRunDocument,
    "\n  query S3Files($filter: FileFilter) {\n    files(first: 100, filter: $filter) { edges { node { path metadata source { uri etag } currentVersion { number } } } }\n  }\n": typeof types.S3FilesDocument,
    "\n  query WebFiles($filter: FileFilter) {\n    files(first: 100, filter: $filter) { edges { node { id name path metadata source { uri etag } currentVersion { number mimeType sourceUrl } } } }\n  }\n": typeof types.WebFilesDocument,
    "subscription EventsFrom($after: String) { events(after: $after) { cursor type data } }": typeof types.EventsFromDocument,
    "\n  mutation CreateFile($input: CreateFileInput!) {\n    createFile(input: $input) {\n      __typename\n      ... on CreateFilePayload {\n        deduplicated\n        file { id name path mimeType size sha256 metadata ownerId downloadUrl currentVersion { id number } }\n        version { id number mimeType sha256 }\n      }\n      ... on Error { message code }\n      ... on ValidationError { fields { path message } }\n      ... on TooLargeError { limitBytes }\n      ... on FetchFailedError { url }\n    }\n  }\n": typeof types.CreateFileDocument,
    "\n  mutation CreateVersion($input: CreateFileVersionInput!) {\n    createFileVersion(input: $input) {\n      __typename\n      ... on CreateFileVersionPayload {\n        deduplicated\n        file { id mimeType currentVersion { number } }\n        version { id number mimeType size metadata downloadUrl previousVersion { id number } file { id } }\n      }\n      ... on Error { message code }\n    }\n  }\n": typeof types.CreateVersionDocument,
    "\n  query GetFile($id: ID!) {\n    file(id: $id) { id name mimeType versions(first: 10) { edges { node { number mimeType } } } }\n    node(id: $id) { id ... on File { name } }\n  }\n": typeof types.GetFileDocument,
    "\n  query GetNode($id: ID!) { node(id: $id) { id } }\n": typeof types.GetNodeDocument,
    "\n  query ListFiles($first: Int, $after: String, $filter: FileFilter) {\n    files(first: $first, after: $after, filter: $filter) {\n      edges { node { id name mimeType } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n": typeof types.ListFilesDocument,
    "\n  mutation UpdateFile($input: UpdateFileInput!) {\n    updateFile(input: $input) {\n      __typename\n      ... on UpdateFilePayload { file { id name metadata ownerId } }\n      ... on Error { message code }\n    }\n  }\n": typeof types.UpdateFileDocument,
    "\n  mutation PurgeFile($input: PurgeFileInput!) {\n    purgeFile(input: $input) { __typename ... on Error { message code } }\n  }\n": typeof types.PurgeFileDocument,
    "\n  mutation DeleteFile($input: DeleteFileInput!) {\n    deleteFile(input: $input) {\n      __typename\n      ... on DeleteFilePayload { deletedFileId }\n      ... on Error { message code }\n    }\n  }\n": typeof types.DeleteFileDocument,
    "\n  mutation RevokeKey($id: ID!) {\n    revokeApiKey(input: { apiKeyId: $id }) {\n      __typename\n      ... on RevokeApiKeyPayload { apiKey { id revokedAt } }\n      ... on Error { message code }\n    }\n  }\n": typeof types.RevokeKeyDocument,
    "\n  query ViewerQuery { viewer { isAdmin tenant { id name } } }\n": typeof types.ViewerQueryDocument,
    "\n  mutation GraphiqlCreateFile($name: String!, $content: String!) {\n    createFile(input: { name: $name, content: $content }) { __typename ... on CreateFilePayload { file { id } } }\n  }\n": typeof types.GraphiqlCreateFileDocument,
    "\n  subscription HostileFileEvents {\n    fileEvents { type fileId }\n  }\n": typeof types.HostileFileEventsDocument,
    "\n  mutation HostileCreateFile($name: String!, $content: String!) {\n    createFile(input: { name: $name, content: $content }) {\n      __typename\n      ... on CreateFilePayload { file { id } }\n      ... on Error { code message }\n    }\n  }\n": typeof types.HostileCreateFileDocument,
    "\n  mutation ParseMemCreateFile($input: CreateFileInput!) {\n    createFile(input: $input) {\n      __typename\n      ... on CreateFilePayload { file { id } }\n      ... on Error { code message }\n    }\n  }\n": typeof types.ParseMemCreateFileDocument,
    "\n  mutation ParseMemConvert($input: ConvertFileInput!) {\n    convertFile(input: $input) {\n      __typename\n      ... on ConvertFilePayload { version { number format } }\n      ... on ExtractionFailedError { code message reason }\n      ... on Error { code message }\n    }\n  }\n": typeof types.ParseMemConvertDocument,
    "\n  query ParseMemVersions($id: ID!) { file(id: $id) { versions(first: 10) { edges { node { number } } } } }\n": typeof types.ParseMemVersionsDocument,
    "\n  mutation ParseCreateFile($input: CreateFileInput!) {\n    createFile(input: $input) {\n      __typename\n      ... on CreateFilePayload { file { id } version { id size } vectorStoreFile { id status } }\n      ... on Error { code message }\n    }\n  }\n": typeof types.ParseCreateFileDocument,
    "\n  mutation ParseConvert($input: ConvertFileInput!) {\n    convertFile(input: $input) {\n      __typename\n      ... on ConvertFilePayload { conversion { id status } version { number format size } }\n      ... on ExtractionFailedError { code message reason }\n      ... on Error { code message }\n    }\n  }\n": typeof types.ParseConvertDocument,
    "\n  query ParseVersions($id: ID!) {\n    file(id: $id) { versions(first: 10) { edges { node { number } } } }\n  }\n": typeof types.ParseVersionsDocument,
    "\n  query ParseText($id: ID!) {\n    node(id: $id) { ... on FileVersion { text(maxLength: 100) } }\n  }\n": typeof types.ParseTextDocument,
    "\n  query ParseConversion($id: ID!) {\n    node(id: $id) { ... on Conversion { status error errorCode resultVersion { number } } }\n  }\n": typeof types.ParseConversionDocument,
    "query ParseModels { embedModels(first: 10) { edges { node { id builtin } } } }": typeof types.ParseModelsDocument,
    "\n  mutation ParseCreateStore($input: CreateVectorStoreInput!) {\n    createVectorStore(input: $input) {\n      __typename\n      ... on CreateVectorStorePayload { vectorStore { id } }\n      ... on Error { code message }\n    }\n  }\n": typeof types.ParseCreateStoreDocument,
    "\n  query ParseStoreFiles($id: ID!) {\n    vectorStore(id: $id) {\n      status\n      fileCounts { queued inProgress completed failed }\n      files(first: 10) { edges { node { status lastError file { name } } } }\n    }\n  }\n": typeof types.ParseStoreFilesDocument,
    "\n  query ParseSearch($input: SearchVectorStoreInput!) {\n    searchVectorStore(input: $input) {\n      __typename\n      ... on SearchVectorStorePayload { documents { file { name } } }\n      ... on Error { code message }\n    }\n  }\n": typeof types.ParseSearchDocument,
    "\n  mutation HostileInputCreateFile($input: CreateFileInput!) {\n    createFile(input: $input) {\n      __typename\n      ... on CreateFilePayload { file { id } }\n      ... on ValidationError { code message fields { path message } }\n      ... on Error { code message }\n    }\n  }\n": typeof types.HostileInputCreateFileDocument,
    "\n  mutation HostileInputUpdateFile($input: UpdateFileInput!) {\n    updateFile(input: $input) {\n      __typename\n      ... on ValidationError { code fields { path message } }\n      ... on Error { code message }\n    }\n  }\n": typeof types.HostileInputUpdateFileDocument,
    "\n  mutation HostileInputUpdateMetadata($input: UpdateFilesMetadataInput!) {\n    updateFilesMetadata(input: $input) {\n      __typename\n      ... on ValidationError { code fields { path message } }\n    }\n  }\n": typeof types.HostileInputUpdateMetadataDocument,
    "\n  mutation HostileInputCreateVersion($input: CreateFileVersionInput!) {\n    createFileVersion(input: $input) {\n      __typename\n      ... on ValidationError { code fields { path message } }\n      ... on Error { code message }\n    }\n  }\n": typeof types.HostileInputCreateVersionDocument,
    "\n  mutation HostileInputRequestUpload($input: RequestFileUploadInput!) {\n    requestFileUpload(input: $input) {\n      __typename\n      ... on ValidationError { code fields { path message } }\n      ... on Error { code message }\n    }\n  }\n": typeof types.HostileInputRequestUploadDocument,
    "\n  mutation HostileInputCreateCrawler($input: CreateCrawlerInput!) {\n    createCrawler(input: $input) {\n      __typename\n      ... on ValidationError { code fields { path message } }\n      ... on Error { code message }\n    }\n  }\n": typeof types.HostileInputCreateCrawlerDocument,
    "\n  mutation HostileInputCreateStore($input: CreateVectorStoreInput!) {\n    createVectorStore(input: $input) {\n      __typename\n      ... on ValidationError { code fields { path message } }\n      ... on Error { code message }\n    }\n  }\n": typeof types.HostileInputCreateStoreDocument,
    "\n  query HostileInputModels { embedModels(first: 10) { edges { node { id builtin } } } }\n": typeof types.HostileInputModelsDocument,
    "\n  mutation HostileInputCreateTenant($name: String!) {\n    createTenant(input: { name: $name }) {\n      __typename\n      ... on ValidationError { code fields { path message } }\n    }\n  }\n": typeof types.HostileInputCreateTenantDocument,
    "\n  mutation HostileInputCreateKey($tenantId: ID!, $name: String!) {\n    createApiKey(input: { tenantId: $tenantId, name: $name }) {\n      __typename\n      ... on ValidationError { code fields { path message } }\n    }\n  }\n": typeof types.HostileInputCreateKeyDocument,
    "\n  query HostileInputListFiles($filter: FileFilter) {\n    files(first: 5, filter: $filter) { edges { node { id } } }\n  }\n": typeof types.HostileInputListFilesDocument,
    "\n  query LimitsViewer { viewer { tenant { name } } }\n": typeof types.LimitsViewerDocument,
    "\n  mutation OutboundRegisterModel($input: RegisterEmbedModelInput!) {\n    registerEmbedModel(input: $input) {\n      __typename\n      ... on RegisterEmbedModelPayload { embedModel { id name } }\n      ... on Error { code message }\n      ... on ValidationError { fields { path message } }\n    }\n  }\n": typeof types.OutboundRegisterModelDocument,
    "\n  mutation OutboundCreateStore($input: CreateVectorStoreInput!) {\n    createVectorStore(input: $input) {\n      __typename\n      ... on CreateVectorStorePayload { vectorStore { id } }\n      ... on Error { code message }\n    }\n  }\n": typeof types.OutboundCreateStoreDocument,
    "\n  mutation OutboundCreateFile($input: CreateFileInput!) {\n    createFile(input: $input) {\n      __typename\n      ... on CreateFilePayload { file { id } }\n      ... on Error { code message }\n    }\n  }\n": typeof types.OutboundCreateFileDocument,
    "\n  query OutboundStoreFiles($id: ID!) {\n    vectorStore(id: $id) { files(first: 5) { edges { node { status lastError } } } }\n  }\n": typeof types.OutboundStoreFilesDocument,
    "\n  query OutboundSearch($input: SearchVectorStoreInput!) {\n    searchVectorStore(input: $input) {\n      __typename\n      ... on SearchVectorStorePayload { documents { score } }\n      ... on Error { code message }\n    }\n  }\n": typeof types.OutboundSearchDocument,
    "\n  mutation SessionsCreateKey($tenantId: ID!, $name: String!) {\n    createApiKey(input: { tenantId: $tenantId, name: $name }) {\n      __typename\n      ... on CreateApiKeyPayload { secret apiKey { id } }\n    }\n  }\n": typeof types.SessionsCreateKeyDocument,
    "\n  mutation SessionsRevoke($id: ID!) {\n    revokeApiKey(input: { apiKeyId: $id }) {\n      __typename\n      ... on RevokeApiKeyPayload { apiKey { revokedAt } }\n    }\n  }\n": typeof types.SessionsRevokeDocument,
    "\n  mutation StuckRegisterModel($input: RegisterEmbedModelInput!) {\n    registerEmbedModel(input: $input) {\n      __typename\n      ... on RegisterEmbedModelPayload { embedModel { id } }\n      ... on Error { code message }\n    }\n  }\n": typeof types.StuckRegisterModelDocument,
    "\n  mutation StuckCreateStore($input: CreateVectorStoreInput!) {\n    createVectorStore(input: $input) {\n      __typename\n      ... on CreateVectorStorePayload { vectorStore { id } }\n      ... on Error { code message }\n    }\n  }\n": typeof types.StuckCreateStoreDocument,
    "\n  mutation StuckCreateIndexedFile($input: CreateFileInput!) {\n    createFile(input: $input) {\n      __typename\n      ... on CreateFilePayload { file { id } vectorStoreFile { id status } }\n      ... on Error { code message }\n    }\n  }\n": typeof types.StuckCreateIndexedFileDocument,
    "\n  mutation MetadataFilterCreateFile($input: CreateFileInput!) {\n    createFile(input: $input) {\n      __typename\n      ... on CreateFilePayload { file { id name } }\n      ... on Error { message code }\n    }\n  }\n": typeof types.MetadataFilterCreateFileDocument,
    "\n  query MetadataFilterFiles($first: Int, $after: String, $last: Int, $before: String, $filter: FileFilter) {\n    files(first: $first, after: $after, last: $last, before: $before, filter: $filter) {\n      edges { cursor node { id name mimeType metadata } }\n      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }\n    }\n  }\n": typeof types.MetadataFilterFilesDocument,
    "\n  query MetadataFilterTenantFiles($filter: FileFilter) {\n    viewer { tenant { files(first: 100, filter: $filter) { edges { node { name } } } } }\n  }\n": typeof types.MetadataFilterTenantFilesDocument,
    "\n  query ListDeep($first: Int) {\n    files(first: $first) {\n      edges {\n        node {\n          id name mimeType size downloadUrl\n          tenant { id name }\n          currentVersion { number previousVersion { number } }\n          versions(first: 10) { edges { node { id number mimeType previousVersion { id } } } }\n        }\n      }\n      pageInfo { hasNextPage }\n    }\n  }\n": typeof types.ListDeepDocument,
    "\n  mutation SetLimits($input: SetTenantLimitsInput!) {\n    setTenantLimits(input: $input) {\n      __typename\n      ... on SetTenantLimitsPayload { tenant { limits { maxFileBytes maxTotalBytes maxFiles } } }\n      ... on Error { code message }\n    }\n  }\n": typeof types.SetLimitsDocument,
    "query Usage { viewer { tenant { usage { files versions bytes } limits { maxFiles } } } }": typeof types.UsageDocument,
    "\n  mutation QuotaCreate($input: CreateFileInput!) {\n    createFile(input: $input) {\n      __typename\n      ... on CreateFilePayload { deduplicated file { id } version { id mimeType detectedMimeType mimeMismatch } }\n      ... on QuotaExceededError { code message quota limit used requested }\n      ... on MimeMismatchError { code message declared detected }\n      ... on Error { code message }\n    }\n  }\n": typeof types.QuotaCreateDocument,
    "mutation QuotaDelete($id: ID!) { deleteFile(input: { fileId: $id }) { __typename } }": typeof types.QuotaDeleteDocument,
    "mutation QuotaPurge($id: ID!) { purgeFile(input: { fileId: $id }) { __typename ... on PurgeFilePayload { receipt { blobs bytes } } } }": typeof types.QuotaPurgeDocument,
    "\n  mutation S3CreateFile($input: CreateFileInput!) {\n    createFile(input: $input) {\n      __typename\n      ... on CreateFilePayload { deduplicated file { id size sha256 downloadUrl } }\n      ... on Error { message code }\n    }\n  }\n": typeof types.S3CreateFileDocument,
    "\n  mutation S3DeleteFile($id: ID!) {\n    deleteFile(input: { fileId: $id }) { __typename }\n  }\n": typeof types.S3DeleteFileDocument,
    "\n  mutation S3PurgeFile($id: ID!) {\n    purgeFile(input: { fileId: $id }) { __typename }\n  }\n": typeof types.S3PurgeFileDocument,
    "\n  query QualitySearch($input: SearchVectorStoreInput!) {\n    searchVectorStore(input: $input) {\n      __typename\n      ... on SearchVectorStorePayload {\n        documents {\n          rank score file { id } version { id }\n          scores { fused vector keyword vectorRank keywordRank similarity bm25 }\n          chunks {\n            text score chunkIndex startOffset endOffset\n            scores { fused vector keyword vectorRank keywordRank similarity bm25 }\n            highlights { kind start end versionStart versionEnd text }\n          }\n        }\n      }\n      ... on Error { code message }\n    }\n  }\n": typeof types.QualitySearchDocument,
    "\n  mutation QualityStore($input: CreateVectorStoreInput!) {\n    createVectorStore(input: $input) {\n      __typename\n      ... on CreateVectorStorePayload { vectorStore { id language bm25 { k1 b } hnsw { state m efConstruction efSearch } } }\n      ... on Error { code message }\n    }\n  }\n": typeof types.QualityStoreDocument,
    "\n  mutation QualityFile($input: CreateFileInput!) {\n    createFile(input: $input) { __typename ... on CreateFilePayload { file { id } version { id } } ... on Error { code message } }\n  }\n": typeof types.QualityFileDocument,
    "\n  mutation QualityVersion($fileId: ID!, $content: String!) {\n    createFileVersion(input: { fileId: $fileId, content: $content, mimeType: \"text/plain\" }) { __typename }\n  }\n": typeof types.QualityVersionDocument,
    "\n  mutation QualityRemove($store: ID!, $file: ID!) {\n    removeFileFromVectorStore(input: { vectorStoreId: $store, fileId: $file }) { __typename }\n  }\n": typeof types.QualityRemoveDocument,
    "\n  mutation QualityDelete($id: ID!) { deleteFile(input: { fileId: $id }) { __typename } }\n": typeof types.QualityDeleteDocument,
    "\n  mutation QualityReadd($store: ID!, $file: ID!, $size: Int) {\n    addFileToVectorStore(input: { vectorStoreId: $store, fileId: $file, chunkSize: $size, chunkOverlap: 0 }) { __typename }\n  }\n": typeof types.QualityReaddDocument,
    "\n  mutation QualityUpdate($input: UpdateVectorStoreInput!) {\n    updateVectorStore(input: $input) {\n      __typename\n      ... on UpdateVectorStorePayload { vectorStore { bm25 { k1 b } hnsw { efSearch efSearchOverride } } }\n      ... on Error { code message }\n    }\n  }\n": typeof types.QualityUpdateDocument,
    "\n  query QualityText($id: ID!, $start: Int, $end: Int) {\n    node(id: $id) { ... on FileVersion { text(start: $start, end: $end) } }\n  }\n": typeof types.QualityTextDocument,
    "\n  subscription FileEvents {\n    fileEvents { type fileId versionId file { id name } }\n  }\n": typeof types.FileEventsDocument,
    "\n  mutation SubsCreateFile($name: String!, $content: String!) {\n    createFile(input: { name: $name, content: $content }) {\n      __typename\n      ... on CreateFilePayload { file { id name } }\n      ... on Error { message }\n    }\n  }\n": typeof types.SubsCreateFileDocument,
    "\n  mutation SubsDeleteFile($id: ID!) {\n    deleteFile(input: { fileId: $id }) { __typename }\n  }\n": typeof types.SubsDeleteFileDocument,
    "\n  query SubsViewer { viewer { tenant { name } } }\n": typeof types.SubsViewerDocument,
    "\n  mutation CreateCrawler($input: CreateCrawlerInput!) {\n    createCrawler(input: $input) {\n      __typename\n      ... on CreateCrawlerPayload {\n        crawler {\n          id name active scheduleIntervalSeconds nextRunAt\n          dataSource {\n            __typename\n            ... on DirectoryDataSource { path include exclude }\n            ... on S3DataSource { bucket prefix endpoint hasCredentials }\n            ... on WebDataSource { startUrls maxPages maxDepth respectRobots }\n          }\n          lastRun { id status }\n        }\n      }\n      ... on ValidationError { code message fields { path message } }\n      ... on Error { code message }\n    }\n  }\n": typeof types.CreateCrawlerDocument,
    "\n  mutation UpdateCrawler($input: UpdateCrawlerInput!) {\n    updateCrawler(input: $input) {\n      __typename\n      ... on UpdateCrawlerPayload { crawler { id active scheduleIntervalSeconds nextRunAt lastRun { id status } } }\n      ... on Error { code message }\n    }\n  }\n": typeof types.UpdateCrawlerDocument,
    "\n  mutation RunCrawler($id: ID!) {\n    runCrawler(input: { crawlerId: $id }) {\n      __typename\n      ... on RunCrawlerPayload { started run { id status } }\n      ... on Error { code message }\n    }\n  }\n": typeof types.RunCrawlerDocument,
    "\n  mutation DeleteCrawler($id: ID!) {\n    deleteCrawler(input: { crawlerId: $id }) {\n      __typename\n      ... on DeleteCrawlerPayload { deletedCrawlerId }\n      ... on Error { code message }\n    }\n  }\n": typeof types.DeleteCrawlerDocument,
    "\n  query CrawlerRun($id: ID!) {\n    node(id: $id) {\n      ... on CrawlerRun {\n        id status trigger attempts error startedAt finishedAt\n        counts { discovered created updated unchanged deleted failed }\n        errors(first: 50) { edges { node { uri message at } } }\n      }\n    }\n  }\n": typeof types.CrawlerRunDocument,
    "\n  query Crawler($id: ID!) {\n    crawler(id: $id) {\n      id name active nextRunAt\n      lastRun { id status trigger counts { discovered created updated unchanged deleted failed } }\n      runs(first: 20) { edges { node { id status trigger } } }\n    }\n  }\n": typeof types.CrawlerDocument,
    "\n  subscription CrawlerProgressEvents($id: ID!) {\n    crawlerProgress(crawlerId: $id) { runId status done total currentUri counts { discovered created updated unchanged deleted failed } }\n  }\n": typeof types.CrawlerProgressEventsDocument,
    "\n  mutation RequestUpload($input: RequestFileUploadInput!) {\n    requestFileUpload(input: $input) {\n      __typename\n      ... on RequestFileUploadPayload {\n        uploadId uploadUrl uploadHeaders expiresAt existingFile { id name }\n        multipart { partSize parts { partNumber url offset size } }\n      }\n      ... on Error { message code }\n    }\n  }\n": typeof types.RequestUploadDocument,
    "\n  mutation CompleteUpload($uploadId: ID!, $parts: [CompletedUploadPartInput!]) {\n    completeFileUpload(input: { uploadId: $uploadId, parts: $parts }) {\n      __typename\n      ... on CompleteFileUploadPayload {\n        deduplicated\n        file { id name mimeType size sha256 downloadUrl metadata }\n        version { id number previousVersion { number } }\n      }\n      ... on Error { message code }\n      ... on ContentMismatchError { expectedSha256 actualSha256 actualSize }\n    }\n  }\n": typeof types.CompleteUploadDocument,
    "\n  mutation FixtureCreateTenant($name: String!) {\n    createTenant(input: { name: $name }) {\n      __typename\n      ... on CreateTenantPayload { tenant { id name } }\n      ... on Error { message code }\n    }\n  }\n": typeof types.FixtureCreateTenantDocument,
    "\n  mutation FixtureCreateApiKey($tenantId: ID!, $name: String!) {\n    createApiKey(input: { tenantId: $tenantId, name: $name }) {\n      __typename\n      ... on CreateApiKeyPayload { secret apiKey { id prefix } }\n      ... on Error { message code }\n    }\n  }\n": typeof types.FixtureCreateApiKeyDocument,
    "\n  query LifecycleStore($id: ID!) {\n    vectorStore(id: $id) { chunkCount hnsw { state m efConstruction efSearch tunedRecall } }\n  }\n": typeof types.LifecycleStoreDocument,
    "\n  mutation LifecycleCreate($input: CreateVectorStoreInput!) {\n    createVectorStore(input: $input) { __typename ... on CreateVectorStorePayload { vectorStore { id } } }\n  }\n": typeof types.LifecycleCreateDocument,
    "\n  mutation LifecycleUpdate($input: UpdateVectorStoreInput!) {\n    updateVectorStore(input: $input) { __typename ... on UpdateVectorStorePayload { vectorStore { hnsw { state m } } } }\n  }\n": typeof types.LifecycleUpdateDocument,
    "\n  mutation LifecycleDrop($id: ID!) { deleteVectorStore(input: { vectorStoreId: $id }) { __typename } }\n": typeof types.LifecycleDropDocument,
    "\n  mutation LifecycleFile($input: CreateFileInput!) { createFile(input: $input) { __typename } }\n": typeof types.LifecycleFileDocument,
    "\n  query LifecycleSearch($input: SearchVectorStoreInput!) {\n    searchVectorStore(input: $input) { __typename ... on SearchVectorStorePayload { documents { file { id } } } }\n  }\n": typeof types.LifecycleSearchDocument,
    "\n  query Models { embedModels(first: 10) { edges { node { id name provider dimensions builtin maxInputTokens description } } } }\n": typeof types.ModelsDocument,
    "\n  mutation Register($input: RegisterEmbedModelInput!) {\n    registerEmbedModel(input: $input) {\n      __typename\n      ... on RegisterEmbedModelPayload { embedModel { id name dimensions hasApiKey builtin } }\n      ... on Error { code message }\n    }\n  }\n": typeof types.RegisterDocument,
    "\n  query MyModels { viewer { tenant { embedModels(first: 50) { edges { node { name builtin } } } } } }\n": typeof types.MyModelsDocument,
    "\n  mutation DeleteModel($id: ID!) {\n    deleteEmbedModel(input: { embedModelId: $id }) { __typename ... on Error { code message } }\n  }\n": typeof types.DeleteModelDocument,
    "\n  mutation CreateStore($input: CreateVectorStoreInput!) {\n    createVectorStore(input: $input) {\n      __typename\n      ... on CreateVectorStorePayload { vectorStore { id name chunkSize chunkOverlap quantization embedModel { name } } }\n      ... on Error { code message }\n    }\n  }\n": typeof types.CreateStoreDocument,
    "\n  mutation DeleteStore($id: ID!) {\n    deleteVectorStore(input: { vectorStoreId: $id }) { __typename ... on Error { code } }\n  }\n": typeof types.DeleteStoreDocument,
    "\n  mutation AddFile($input: AddFileToVectorStoreInput!) {\n    addFileToVectorStore(input: $input) {\n      __typename\n      ... on AddFileToVectorStorePayload { vectorStoreFile { id status chunkSize } }\n      ... on Error { code message }\n    }\n  }\n": typeof types.AddFileDocument,
    "\n  mutation CreateIndexedFile($input: CreateFileInput!) {\n    createFile(input: $input) {\n      __typename\n      ... on CreateFilePayload { file { id name mimeType } version { id } vectorStoreFile { id status } }\n      ... on Error { code message }\n    }\n  }\n": typeof types.CreateIndexedFileDocument,
    "\n  mutation NewVersion($fileId: ID!, $content: String!) {\n    createFileVersion(input: { fileId: $fileId, content: $content, mimeType: \"text/markdown\" }) {\n      __typename\n      ... on CreateFileVersionPayload { version { id number } }\n    }\n  }\n": typeof types.NewVersionDocument,
    "\n  mutation RemoveFile($store: ID!, $file: ID!) {\n    deleteFile(input: { fileId: $file }) { __typename }\n    removeFileFromVectorStore(input: { vectorStoreId: $store, fileId: $file }) { __typename }\n  }\n": typeof types.RemoveFileDocument,
    "\n  mutation RemoveOnly($store: ID!, $file: ID!) {\n    removeFileFromVectorStore(input: { vectorStoreId: $store, fileId: $file }) {\n      __typename\n      ... on RemoveFileFromVectorStorePayload { removedFileId vectorStore { fileCounts { completed } } }\n      ... on Error { code }\n    }\n  }\n": typeof types.RemoveOnlyDocument,
    "\n  mutation RenameStore($id: ID!) {\n    updateVectorStore(input: { vectorStoreId: $id, name: \"renamed\", chunkSize: 300, chunkOverlap: 50 }) {\n      __typename\n      ... on UpdateVectorStorePayload { vectorStore { name chunkSize chunkOverlap } }\n      ... on Error { code }\n    }\n  }\n": typeof types.RenameStoreDocument,
    "\n  query StoreState($id: ID!) {\n    vectorStore(id: $id) {\n      status chunkCount usageBytes\n      fileCounts { queued inProgress completed failed }\n      files(first: 20) { edges { node { status lastError chunkCount file { name } version { number } } } }\n    }\n  }\n": typeof types.StoreStateDocument,
    "\n  query Search($input: SearchVectorStoreInput!) {\n    searchVectorStore(input: $input) {\n      __typename\n      ... on SearchVectorStorePayload {\n        documents { score file { id name } version { number } chunks { text score chunkIndex startOffset endOffset page } }\n      }\n      ... on Error { code message }\n    }\n  }\n": typeof types.SearchDocument,
    "\n  subscription Progress($id: ID!) {\n    indexingProgress(vectorStoreId: $id) { status chunksDone chunksTotal error file { name } }\n  }\n": typeof types.ProgressDocument,
};
const documents: Documents = {
    "query BulkModels { embedModels(first: 10) { edges { node { id builtin } } } }": types.BulkModelsDocument,
    "\n  mutation BulkStore($modelId: ID!) {\n    createVectorStore(input: { name: \"bulk\", embedModelId: $modelId }) { ... on CreateVectorStorePayload { vectorStore { id } } }\n  }\n": types.BulkStoreDocument,
    "query BulkStoreState($id: ID!) { vectorStore(id: $id) { status fileCounts { completed queued inProgress failed } } }": types.BulkStoreStateDocument,
    "\n  query BulkSearch($id: ID!, $q: String!) {\n    searchVectorStore(input: { vectorStoreId: $id, query: $q, mode: KEYWORD, kDocs: 100 }) {\n      __typename ... on SearchVectorStorePayload { documents { file { id } } }\n    }\n  }\n": types.BulkSearchDocument,
    "\n  mutation BulkAdd($input: AddFilesToVectorStoreInput!) {\n    addFilesToVectorStore(input: $input) {\n      __typename\n      ... on AddFilesToVectorStorePayload { queuedFileIds unchangedFileIds notFoundFileIds }\n      ... on Error { code message }\n    }\n  }\n": types.BulkAddDocument,
    "\n  mutation BulkDelete($ids: [ID!]!) {\n    deleteFiles(input: { fileIds: $ids }) {\n      __typename\n      ... on DeleteFilesPayload { deletedFileIds notFoundFileIds }\n      ... on Error { code message }\n    }\n  }\n": types.BulkDeleteDocument,
    "\n  mutation BulkMetadata($input: UpdateFilesMetadataInput!) {\n    updateFilesMetadata(input: $input) {\n      __typename\n      ... on UpdateFilesMetadataPayload { updatedFileIds notFoundFileIds }\n      ... on Error { code message }\n    }\n  }\n": types.BulkMetadataDocument,
    "query BulkUsage { viewer { tenant { usage { files } } } }": types.BulkUsageDocument,
    "\n  mutation RaceCreate($content: String!, $name: String!) {\n    createFile(input: { name: $name, content: $content }) {\n      __typename\n      ... on CreateFilePayload { deduplicated file { id } }\n    }\n  }\n": types.RaceCreateDocument,
    "\n  mutation RaceVersion($fileId: ID!, $content: String!) {\n    createFileVersion(input: { fileId: $fileId, content: $content }) {\n      __typename\n      ... on CreateFileVersionPayload { version { number } }\n    }\n  }\n": types.RaceVersionDocument,
    "\n  mutation ConvCreateFile($input: CreateFileInput!) {\n    createFile(input: $input) {\n      __typename\n      ... on CreateFilePayload { file { id } version { id number format } }\n      ... on Error { code message }\n    }\n  }\n": types.ConvCreateFileDocument,
    "\n  mutation Convert($input: ConvertFileInput!) {\n    convertFile(input: $input) {\n      __typename\n      ... on ConvertFilePayload {\n        conversion { id status target }\n        version {\n          id number format mimeType\n          previousVersion { id number }\n          derivedFrom { id number format }\n          text\n        }\n      }\n      ... on UnsupportedConversionError { code message from to }\n      ... on Error { code message }\n    }\n  }\n": types.ConvertDocument,
    "\n  mutation ConvNewVersion($input: CreateFileVersionInput!) {\n    createFileVersion(input: $input) {\n      __typename\n      ... on CreateFileVersionPayload {\n        version { id number format }\n        conversion { status resultVersion { number format derivedFrom { number } text } }\n      }\n      ... on Error { code message }\n    }\n  }\n": types.ConvNewVersionDocument,
    "\n  query ConvVersions($id: ID!) {\n    file(id: $id) { versions(first: 20) { edges { node { number format } } } }\n  }\n": types.ConvVersionsDocument,
    "\n  query ConvVersionText($id: ID!, $max: Int) {\n    node(id: $id) { ... on FileVersion { format text(maxLength: $max) pages(first: 10) { edges { node { number text } } } } }\n  }\n": types.ConvVersionTextDocument,
    "\n  query ConvNode($id: ID!) {\n    node(id: $id) {\n      ... on Conversion { status error errorCode resultVersion { number format derivedFrom { number } } }\n    }\n  }\n": types.ConvNodeDocument,
    "query Supported { supportedConversions { from to } }": types.SupportedDocument,
    "query CrawlModels { embedModels(first: 10) { edges { node { id builtin } } } }": types.CrawlModelsDocument,
    "\n  mutation CrawlCreateStore($modelId: ID!) {\n    createVectorStore(input: { name: \"docs\", embedModelId: $modelId }) {\n      ... on CreateVectorStorePayload { vectorStore { id } }\n    }\n  }\n": types.CrawlCreateStoreDocument,
    "\n  query CrawlStoreState($id: ID!) { vectorStore(id: $id) { status fileCounts { completed failed } } }\n": types.CrawlStoreStateDocument,
    "\n  query CrawlSearch($id: ID!, $q: String!, $filter: VectorSearchFilter) {\n    searchVectorStore(input: { vectorStoreId: $id, query: $q, mode: KEYWORD, filter: $filter }) {\n      __typename\n      ... on SearchVectorStorePayload { documents { file { name path } } }\n    }\n  }\n": types.CrawlSearchDocument,
    "\n  query CrawledFiles($filter: FileFilter) {\n    files(first: 100, filter: $filter) {\n      edges { node { id name path ownerId metadata source { crawlerId uri mtimeNs } currentVersion { number mimeType } } }\n    }\n  }\n": types.CrawledFilesDocument,
    "\n  subscription CrawlIndexing($id: ID!) { indexingProgress(vectorStoreId: $id) { status file { path } } }\n": types.CrawlIndexingDocument,
    "\n  subscription CrawlProgress($id: ID!) {\n    crawlerProgress(crawlerId: $id) { runId status done total currentUri counts { discovered created unchanged } }\n  }\n": types.CrawlProgressDocument,
    "query ForeignRun($id: ID!) { node(id: $id) { id } }": types.ForeignRunDocument,
    "\n  query S3Files($filter: FileFilter) {\n    files(first: 100, filter: $filter) { edges { node { path metadata source { uri etag } currentVersion { number } } } }\n  }\n": types.S3FilesDocument,
    "\n  query WebFiles($filter: FileFilter) {\n    files(first: 100, filter: $filter) { edges { node { id name path metadata source { uri etag } currentVersion { number mimeType sourceUrl } } } }\n  }\n": types.WebFilesDocument,
    "subscription EventsFrom($after: String) { events(after: $after) { cursor type data } }": types.EventsFromDocument,
    "\n  mutation CreateFile($input: CreateFileInput!) {\n    createFile(input: $input) {\n      __typename\n      ... on CreateFilePayload {\n        deduplicated\n        file { id name path mimeType size sha256 metadata ownerId downloadUrl currentVersion { id number } }\n        version { id number mimeType sha256 }\n      }\n      ... on Error { message code }\n      ... on ValidationError { fields { path message } }\n      ... on TooLargeError { limitBytes }\n      ... on FetchFailedError { url }\n    }\n  }\n": types.CreateFileDocument,
    "\n  mutation CreateVersion($input: CreateFileVersionInput!) {\n    createFileVersion(input: $input) {\n      __typename\n      ... on CreateFileVersionPayload {\n        deduplicated\n        file { id mimeType currentVersion { number } }\n        version { id number mimeType size metadata downloadUrl previousVersion { id number } file { id } }\n      }\n      ... on Error { message code }\n    }\n  }\n": types.CreateVersionDocument,
    "\n  query GetFile($id: ID!) {\n    file(id: $id) { id name mimeType versions(first: 10) { edges { node { number mimeType } } } }\n    node(id: $id) { id ... on File { name } }\n  }\n": types.GetFileDocument,
    "\n  query GetNode($id: ID!) { node(id: $id) { id } }\n": types.GetNodeDocument,
    "\n  query ListFiles($first: Int, $after: String, $filter: FileFilter) {\n    files(first: $first, after: $after, filter: $filter) {\n      edges { node { id name mimeType } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n": types.ListFilesDocument,
    "\n  mutation UpdateFile($input: UpdateFileInput!) {\n    updateFile(input: $input) {\n      __typename\n      ... on UpdateFilePayload { file { id name metadata ownerId } }\n      ... on Error { message code }\n    }\n  }\n": types.UpdateFileDocument,
    "\n  mutation PurgeFile($input: PurgeFileInput!) {\n    purgeFile(input: $input) { __typename ... on Error { message code } }\n  }\n": types.PurgeFileDocument,
    "\n  mutation DeleteFile($input: DeleteFileInput!) {\n    deleteFile(input: $input) {\n      __typename\n      ... on DeleteFilePayload { deletedFileId }\n      ... on Error { message code }\n    }\n  }\n": types.DeleteFileDocument,
    "\n  mutation RevokeKey($id: ID!) {\n    revokeApiKey(input: { apiKeyId: $id }) {\n      __typename\n      ... on RevokeApiKeyPayload { apiKey { id revokedAt } }\n      ... on Error { message code }\n    }\n  }\n": types.RevokeKeyDocument,
    "\n  query ViewerQuery { viewer { isAdmin tenant { id name } } }\n": types.ViewerQueryDocument,
    "\n  mutation GraphiqlCreateFile($name: String!, $content: String!) {\n    createFile(input: { name: $name, content: $content }) { __typename ... on CreateFilePayload { file { id } } }\n  }\n": types.GraphiqlCreateFileDocument,
    "\n  subscription HostileFileEvents {\n    fileEvents { type fileId }\n  }\n": types.HostileFileEventsDocument,
    "\n  mutation HostileCreateFile($name: String!, $content: String!) {\n    createFile(input: { name: $name, content: $content }) {\n      __typename\n      ... on CreateFilePayload { file { id } }\n      ... on Error { code message }\n    }\n  }\n": types.HostileCreateFileDocument,
    "\n  mutation ParseMemCreateFile($input: CreateFileInput!) {\n    createFile(input: $input) {\n      __typename\n      ... on CreateFilePayload { file { id } }\n      ... on Error { code message }\n    }\n  }\n": types.ParseMemCreateFileDocument,
    "\n  mutation ParseMemConvert($input: ConvertFileInput!) {\n    convertFile(input: $input) {\n      __typename\n      ... on ConvertFilePayload { version { number format } }\n      ... on ExtractionFailedError { code message reason }\n      ... on Error { code message }\n    }\n  }\n": types.ParseMemConvertDocument,
    "\n  query ParseMemVersions($id: ID!) { file(id: $id) { versions(first: 10) { edges { node { number } } } } }\n": types.ParseMemVersionsDocument,
    "\n  mutation ParseCreateFile($input: CreateFileInput!) {\n    createFile(input: $input) {\n      __typename\n      ... on CreateFilePayload { file { id } version { id size } vectorStoreFile { id status } }\n      ... on Error { code message }\n    }\n  }\n": types.ParseCreateFileDocument,
    "\n  mutation ParseConvert($input: ConvertFileInput!) {\n    convertFile(input: $input) {\n      __typename\n      ... on ConvertFilePayload { conversion { id status } version { number format size } }\n      ... on ExtractionFailedError { code message reason }\n      ... on Error { code message }\n    }\n  }\n": types.ParseConvertDocument,
    "\n  query ParseVersions($id: ID!) {\n    file(id: $id) { versions(first: 10) { edges { node { number } } } }\n  }\n": types.ParseVersionsDocument,
    "\n  query ParseText($id: ID!) {\n    node(id: $id) { ... on FileVersion { text(maxLength: 100) } }\n  }\n": types.ParseTextDocument,
    "\n  query ParseConversion($id: ID!) {\n    node(id: $id) { ... on Conversion { status error errorCode resultVersion { number } } }\n  }\n": types.ParseConversionDocument,
    "query ParseModels { embedModels(first: 10) { edges { node { id builtin } } } }": types.ParseModelsDocument,
    "\n  mutation ParseCreateStore($input: CreateVectorStoreInput!) {\n    createVectorStore(input: $input) {\n      __typename\n      ... on CreateVectorStorePayload { vectorStore { id } }\n      ... on Error { code message }\n    }\n  }\n": types.ParseCreateStoreDocument,
    "\n  query ParseStoreFiles($id: ID!) {\n    vectorStore(id: $id) {\n      status\n      fileCounts { queued inProgress completed failed }\n      files(first: 10) { edges { node { status lastError file { name } } } }\n    }\n  }\n": types.ParseStoreFilesDocument,
    "\n  query ParseSearch($input: SearchVectorStoreInput!) {\n    searchVectorStore(input: $input) {\n      __typename\n      ... on SearchVectorStorePayload { documents { file { name } } }\n      ... on Error { code message }\n    }\n  }\n": types.ParseSearchDocument,
    "\n  mutation HostileInputCreateFile($input: CreateFileInput!) {\n    createFile(input: $input) {\n      __typename\n      ... on CreateFilePayload { file { id } }\n      ... on ValidationError { code message fields { path message } }\n      ... on Error { code message }\n    }\n  }\n": types.HostileInputCreateFileDocument,
    "\n  mutation HostileInputUpdateFile($input: UpdateFileInput!) {\n    updateFile(input: $input) {\n      __typename\n      ... on ValidationError { code fields { path message } }\n      ... on Error { code message }\n    }\n  }\n": types.HostileInputUpdateFileDocument,
    "\n  mutation HostileInputUpdateMetadata($input: UpdateFilesMetadataInput!) {\n    updateFilesMetadata(input: $input) {\n      __typename\n      ... on ValidationError { code fields { path message } }\n    }\n  }\n": types.HostileInputUpdateMetadataDocument,
    "\n  mutation HostileInputCreateVersion($input: CreateFileVersionInput!) {\n    createFileVersion(input: $input) {\n      __typename\n      ... on ValidationError { code fields { path message } }\n      ... on Error { code message }\n    }\n  }\n": types.HostileInputCreateVersionDocument,
    "\n  mutation HostileInputRequestUpload($input: RequestFileUploadInput!) {\n    requestFileUpload(input: $input) {\n      __typename\n      ... on ValidationError { code fields { path message } }\n      ... on Error { code message }\n    }\n  }\n": types.HostileInputRequestUploadDocument,
    "\n  mutation HostileInputCreateCrawler($input: CreateCrawlerInput!) {\n    createCrawler(input: $input) {\n      __typename\n      ... on ValidationError { code fields { path message } }\n      ... on Error { code message }\n    }\n  }\n": types.HostileInputCreateCrawlerDocument,
    "\n  mutation HostileInputCreateStore($input: CreateVectorStoreInput!) {\n    createVectorStore(input: $input) {\n      __typename\n      ... on ValidationError { code fields { path message } }\n      ... on Error { code message }\n    }\n  }\n": types.HostileInputCreateStoreDocument,
    "\n  query HostileInputModels { embedModels(first: 10) { edges { node { id builtin } } } }\n": types.HostileInputModelsDocument,
    "\n  mutation HostileInputCreateTenant($name: String!) {\n    createTenant(input: { name: $name }) {\n      __typename\n      ... on ValidationError { code fields { path message } }\n    }\n  }\n": types.HostileInputCreateTenantDocument,
    "\n  mutation HostileInputCreateKey($tenantId: ID!, $name: String!) {\n    createApiKey(input: { tenantId: $tenantId, name: $name }) {\n      __typename\n      ... on ValidationError { code fields { path message } }\n    }\n  }\n": types.HostileInputCreateKeyDocument,
    "\n  query HostileInputListFiles($filter: FileFilter) {\n    files(first: 5, filter: $filter) { edges { node { id } } }\n  }\n": types.HostileInputListFilesDocument,
    "\n  query LimitsViewer { viewer { tenant { name } } }\n": types.LimitsViewerDocument,
    "\n  mutation OutboundRegisterModel($input: RegisterEmbedModelInput!) {\n    registerEmbedModel(input: $input) {\n      __typename\n      ... on RegisterEmbedModelPayload { embedModel { id name } }\n      ... on Error { code message }\n      ... on ValidationError { fields { path message } }\n    }\n  }\n": types.OutboundRegisterModelDocument,
    "\n  mutation OutboundCreateStore($input: CreateVectorStoreInput!) {\n    createVectorStore(input: $input) {\n      __typename\n      ... on CreateVectorStorePayload { vectorStore { id } }\n      ... on Error { code message }\n    }\n  }\n": types.OutboundCreateStoreDocument,
    "\n  mutation OutboundCreateFile($input: CreateFileInput!) {\n    createFile(input: $input) {\n      __typename\n      ... on CreateFilePayload { file { id } }\n      ... on Error { code message }\n    }\n  }\n": types.OutboundCreateFileDocument,
    "\n  query OutboundStoreFiles($id: ID!) {\n    vectorStore(id: $id) { files(first: 5) { edges { node { status lastError } } } }\n  }\n": types.OutboundStoreFilesDocument,
    "\n  query OutboundSearch($input: SearchVectorStoreInput!) {\n    searchVectorStore(input: $input) {\n      __typename\n      ... on SearchVectorStorePayload { documents { score } }\n      ... on Error { code message }\n    }\n  }\n": types.OutboundSearchDocument,
    "\n  mutation SessionsCreateKey($tenantId: ID!, $name: String!) {\n    createApiKey(input: { tenantId: $tenantId, name: $name }) {\n      __typename\n      ... on CreateApiKeyPayload { secret apiKey { id } }\n    }\n  }\n": types.SessionsCreateKeyDocument,
    "\n  mutation SessionsRevoke($id: ID!) {\n    revokeApiKey(input: { apiKeyId: $id }) {\n      __typename\n      ... on RevokeApiKeyPayload { apiKey { revokedAt } }\n    }\n  }\n": types.SessionsRevokeDocument,
    "\n  mutation StuckRegisterModel($input: RegisterEmbedModelInput!) {\n    registerEmbedModel(input: $input) {\n      __typename\n      ... on RegisterEmbedModelPayload { embedModel { id } }\n      ... on Error { code message }\n    }\n  }\n": types.StuckRegisterModelDocument,
    "\n  mutation StuckCreateStore($input: CreateVectorStoreInput!) {\n    createVectorStore(input: $input) {\n      __typename\n      ... on CreateVectorStorePayload { vectorStore { id } }\n      ... on Error { code message }\n    }\n  }\n": types.StuckCreateStoreDocument,
    "\n  mutation StuckCreateIndexedFile($input: CreateFileInput!) {\n    createFile(input: $input) {\n      __typename\n      ... on CreateFilePayload { file { id } vectorStoreFile { id status } }\n      ... on Error { code message }\n    }\n  }\n": types.StuckCreateIndexedFileDocument,
    "\n  mutation MetadataFilterCreateFile($input: CreateFileInput!) {\n    createFile(input: $input) {\n      __typename\n      ... on CreateFilePayload { file { id name } }\n      ... on Error { message code }\n    }\n  }\n": types.MetadataFilterCreateFileDocument,
    "\n  query MetadataFilterFiles($first: Int, $after: String, $last: Int, $before: String, $filter: FileFilter) {\n    files(first: $first, after: $after, last: $last, before: $before, filter: $filter) {\n      edges { cursor node { id name mimeType metadata } }\n      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }\n    }\n  }\n": types.MetadataFilterFilesDocument,
    "\n  query MetadataFilterTenantFiles($filter: FileFilter) {\n    viewer { tenant { files(first: 100, filter: $filter) { edges { node { name } } } } }\n  }\n": types.MetadataFilterTenantFilesDocument,
    "\n  query ListDeep($first: Int) {\n    files(first: $first) {\n      edges {\n        node {\n          id name mimeType size downloadUrl\n          tenant { id name }\n          currentVersion { number previousVersion { number } }\n          versions(first: 10) { edges { node { id number mimeType previousVersion { id } } } }\n        }\n      }\n      pageInfo { hasNextPage }\n    }\n  }\n": types.ListDeepDocument,
    "\n  mutation SetLimits($input: SetTenantLimitsInput!) {\n    setTenantLimits(input: $input) {\n      __typename\n      ... on SetTenantLimitsPayload { tenant { limits { maxFileBytes maxTotalBytes maxFiles } } }\n      ... on Error { code message }\n    }\n  }\n": types.SetLimitsDocument,
    "query Usage { viewer { tenant { usage { files versions bytes } limits { maxFiles } } } }": types.UsageDocument,
    "\n  mutation QuotaCreate($input: CreateFileInput!) {\n    createFile(input: $input) {\n      __typename\n      ... on CreateFilePayload { deduplicated file { id } version { id mimeType detectedMimeType mimeMismatch } }\n      ... on QuotaExceededError { code message quota limit used requested }\n      ... on MimeMismatchError { code message declared detected }\n      ... on Error { code message }\n    }\n  }\n": types.QuotaCreateDocument,
    "mutation QuotaDelete($id: ID!) { deleteFile(input: { fileId: $id }) { __typename } }": types.QuotaDeleteDocument,
    "mutation QuotaPurge($id: ID!) { purgeFile(input: { fileId: $id }) { __typename ... on PurgeFilePayload { receipt { blobs bytes } } } }": types.QuotaPurgeDocument,
    "\n  mutation S3CreateFile($input: CreateFileInput!) {\n    createFile(input: $input) {\n      __typename\n      ... on CreateFilePayload { deduplicated file { id size sha256 downloadUrl } }\n      ... on Error { message code }\n    }\n  }\n": types.S3CreateFileDocument,
    "\n  mutation S3DeleteFile($id: ID!) {\n    deleteFile(input: { fileId: $id }) { __typename }\n  }\n": types.S3DeleteFileDocument,
    "\n  mutation S3PurgeFile($id: ID!) {\n    purgeFile(input: { fileId: $id }) { __typename }\n  }\n": types.S3PurgeFileDocument,
    "\n  query QualitySearch($input: SearchVectorStoreInput!) {\n    searchVectorStore(input: $input) {\n      __typename\n      ... on SearchVectorStorePayload {\n        documents {\n          rank score file { id } version { id }\n          scores { fused vector keyword vectorRank keywordRank similarity bm25 }\n          chunks {\n            text score chunkIndex startOffset endOffset\n            scores { fused vector keyword vectorRank keywordRank similarity bm25 }\n            highlights { kind start end versionStart versionEnd text }\n          }\n        }\n      }\n      ... on Error { code message }\n    }\n  }\n": types.QualitySearchDocument,
    "\n  mutation QualityStore($input: CreateVectorStoreInput!) {\n    createVectorStore(input: $input) {\n      __typename\n      ... on CreateVectorStorePayload { vectorStore { id language bm25 { k1 b } hnsw { state m efConstruction efSearch } } }\n      ... on Error { code message }\n    }\n  }\n": types.QualityStoreDocument,
    "\n  mutation QualityFile($input: CreateFileInput!) {\n    createFile(input: $input) { __typename ... on CreateFilePayload { file { id } version { id } } ... on Error { code message } }\n  }\n": types.QualityFileDocument,
    "\n  mutation QualityVersion($fileId: ID!, $content: String!) {\n    createFileVersion(input: { fileId: $fileId, content: $content, mimeType: \"text/plain\" }) { __typename }\n  }\n": types.QualityVersionDocument,
    "\n  mutation QualityRemove($store: ID!, $file: ID!) {\n    removeFileFromVectorStore(input: { vectorStoreId: $store, fileId: $file }) { __typename }\n  }\n": types.QualityRemoveDocument,
    "\n  mutation QualityDelete($id: ID!) { deleteFile(input: { fileId: $id }) { __typename } }\n": types.QualityDeleteDocument,
    "\n  mutation QualityReadd($store: ID!, $file: ID!, $size: Int) {\n    addFileToVectorStore(input: { vectorStoreId: $store, fileId: $file, chunkSize: $size, chunkOverlap: 0 }) { __typename }\n  }\n": types.QualityReaddDocument,
    "\n  mutation QualityUpdate($input: UpdateVectorStoreInput!) {\n    updateVectorStore(input: $input) {\n      __typename\n      ... on UpdateVectorStorePayload { vectorStore { bm25 { k1 b } hnsw { efSearch efSearchOverride } } }\n      ... on Error { code message }\n    }\n  }\n": types.QualityUpdateDocument,
    "\n  query QualityText($id: ID!, $start: Int, $end: Int) {\n    node(id: $id) { ... on FileVersion { text(start: $start, end: $end) } }\n  }\n": types.QualityTextDocument,
    "\n  subscription FileEvents {\n    fileEvents { type fileId versionId file { id name } }\n  }\n": types.FileEventsDocument,
    "\n  mutation SubsCreateFile($name: String!, $content: String!) {\n    createFile(input: { name: $name, content: $content }) {\n      __typename\n      ... on CreateFilePayload { file { id name } }\n      ... on Error { message }\n    }\n  }\n": types.SubsCreateFileDocument,
    "\n  mutation SubsDeleteFile($id: ID!) {\n    deleteFile(input: { fileId: $id }) { __typename }\n  }\n": types.SubsDeleteFileDocument,
    "\n  query SubsViewer { viewer { tenant { name } } }\n": types.SubsViewerDocument,
    "\n  mutation CreateCrawler($input: CreateCrawlerInput!) {\n    createCrawler(input: $input) {\n      __typename\n      ... on CreateCrawlerPayload {\n        crawler {\n          id name active scheduleIntervalSeconds nextRunAt\n          dataSource {\n            __typename\n            ... on DirectoryDataSource { path include exclude }\n            ... on S3DataSource { bucket prefix endpoint hasCredentials }\n            ... on WebDataSource { startUrls maxPages maxDepth respectRobots }\n          }\n          lastRun { id status }\n        }\n      }\n      ... on ValidationError { code message fields { path message } }\n      ... on Error { code message }\n    }\n  }\n": types.CreateCrawlerDocument,
    "\n  mutation UpdateCrawler($input: UpdateCrawlerInput!) {\n    updateCrawler(input: $input) {\n      __typename\n      ... on UpdateCrawlerPayload { crawler { id active scheduleIntervalSeconds nextRunAt lastRun { id status } } }\n      ... on Error { code message }\n    }\n  }\n": types.UpdateCrawlerDocument,
    "\n  mutation RunCrawler($id: ID!) {\n    runCrawler(input: { crawlerId: $id }) {\n      __typename\n      ... on RunCrawlerPayload { started run { id status } }\n      ... on Error { code message }\n    }\n  }\n": types.RunCrawlerDocument,
    "\n  mutation DeleteCrawler($id: ID!) {\n    deleteCrawler(input: { crawlerId: $id }) {\n      __typename\n      ... on DeleteCrawlerPayload { deletedCrawlerId }\n      ... on Error { code message }\n    }\n  }\n": types.DeleteCrawlerDocument,
    "\n  query CrawlerRun($id: ID!) {\n    node(id: $id) {\n      ... on CrawlerRun {\n        id status trigger attempts error startedAt finishedAt\n        counts { discovered created updated unchanged deleted failed }\n        errors(first: 50) { edges { node { uri message at } } }\n      }\n    }\n  }\n": types.CrawlerRunDocument,
    "\n  query Crawler($id: ID!) {\n    crawler(id: $id) {\n      id name active nextRunAt\n      lastRun { id status trigger counts { discovered created updated unchanged deleted failed } }\n      runs(first: 20) { edges { node { id status trigger } } }\n    }\n  }\n": types.CrawlerDocument,
    "\n  subscription CrawlerProgressEvents($id: ID!) {\n    crawlerProgress(crawlerId: $id) { runId status done total currentUri counts { discovered created updated unchanged deleted failed } }\n  }\n": types.CrawlerProgressEventsDocument,
    "\n  mutation RequestUpload($input: RequestFileUploadInput!) {\n    requestFileUpload(input: $input) {\n      __typename\n      ... on RequestFileUploadPayload {\n        uploadId uploadUrl uploadHeaders expiresAt existingFile { id name }\n        multipart { partSize parts { partNumber url offset size } }\n      }\n      ... on Error { message code }\n    }\n  }\n": types.RequestUploadDocument,
    "\n  mutation CompleteUpload($uploadId: ID!, $parts: [CompletedUploadPartInput!]) {\n    completeFileUpload(input: { uploadId: $uploadId, parts: $parts }) {\n      __typename\n      ... on CompleteFileUploadPayload {\n        deduplicated\n        file { id name mimeType size sha256 downloadUrl metadata }\n        version { id number previousVersion { number } }\n      }\n      ... on Error { message code }\n      ... on ContentMismatchError { expectedSha256 actualSha256 actualSize }\n    }\n  }\n": types.CompleteUploadDocument,
    "\n  mutation FixtureCreateTenant($name: String!) {\n    createTenant(input: { name: $name }) {\n      __typename\n      ... on CreateTenantPayload { tenant { id name } }\n      ... on Error { message code }\n    }\n  }\n": types.FixtureCreateTenantDocument,
    "\n  mutation FixtureCreateApiKey($tenantId: ID!, $name: String!) {\n    createApiKey(input: { tenantId: $tenantId, name: $name }) {\n      __typename\n      ... on CreateApiKeyPayload { secret apiKey { id prefix } }\n      ... on Error { message code }\n    }\n  }\n": types.FixtureCreateApiKeyDocument,
    "\n  query LifecycleStore($id: ID!) {\n    vectorStore(id: $id) { chunkCount hnsw { state m efConstruction efSearch tunedRecall } }\n  }\n": types.LifecycleStoreDocument,
    "\n  mutation LifecycleCreate($input: CreateVectorStoreInput!) {\n    createVectorStore(input: $input) { __typename ... on CreateVectorStorePayload { vectorStore { id } } }\n  }\n": types.LifecycleCreateDocument,
    "\n  mutation LifecycleUpdate($input: UpdateVectorStoreInput!) {\n    updateVectorStore(input: $input) { __typename ... on UpdateVectorStorePayload { vectorStore { hnsw { state m } } } }\n  }\n": types.LifecycleUpdateDocument,
    "\n  mutation LifecycleDrop($id: ID!) { deleteVectorStore(input: { vectorStoreId: $id }) { __typename } }\n": types.LifecycleDropDocument,
    "\n  mutation LifecycleFile($input: CreateFileInput!) { createFile(input: $input) { __typename } }\n": types.LifecycleFileDocument,
    "\n  query LifecycleSearch($input: SearchVectorStoreInput!) {\n    searchVectorStore(input: $input) { __typename ... on SearchVectorStorePayload { documents { file { id } } } }\n  }\n": types.LifecycleSearchDocument,
    "\n  query Models { embedModels(first: 10) { edges { node { id name provider dimensions builtin maxInputTokens description } } } }\n": types.ModelsDocument,
    "\n  mutation Register($input: RegisterEmbedModelInput!) {\n    registerEmbedModel(input: $input) {\n      __typename\n      ... on RegisterEmbedModelPayload { embedModel { id name dimensions hasApiKey builtin } }\n      ... on Error { code message }\n    }\n  }\n": types.RegisterDocument,
    "\n  query MyModels { viewer { tenant { embedModels(first: 50) { edges { node { name builtin } } } } } }\n": types.MyModelsDocument,
    "\n  mutation DeleteModel($id: ID!) {\n    deleteEmbedModel(input: { embedModelId: $id }) { __typename ... on Error { code message } }\n  }\n": types.DeleteModelDocument,
    "\n  mutation CreateStore($input: CreateVectorStoreInput!) {\n    createVectorStore(input: $input) {\n      __typename\n      ... on CreateVectorStorePayload { vectorStore { id name chunkSize chunkOverlap quantization embedModel { name } } }\n      ... on Error { code message }\n    }\n  }\n": types.CreateStoreDocument,
    "\n  mutation DeleteStore($id: ID!) {\n    deleteVectorStore(input: { vectorStoreId: $id }) { __typename ... on Error { code } }\n  }\n": types.DeleteStoreDocument,
    "\n  mutation AddFile($input: AddFileToVectorStoreInput!) {\n    addFileToVectorStore(input: $input) {\n      __typename\n      ... on AddFileToVectorStorePayload { vectorStoreFile { id status chunkSize } }\n      ... on Error { code message }\n    }\n  }\n": types.AddFileDocument,
    "\n  mutation CreateIndexedFile($input: CreateFileInput!) {\n    createFile(input: $input) {\n      __typename\n      ... on CreateFilePayload { file { id name mimeType } version { id } vectorStoreFile { id status } }\n      ... on Error { code message }\n    }\n  }\n": types.CreateIndexedFileDocument,
    "\n  mutation NewVersion($fileId: ID!, $content: String!) {\n    createFileVersion(input: { fileId: $fileId, content: $content, mimeType: \"text/markdown\" }) {\n      __typename\n      ... on CreateFileVersionPayload { version { id number } }\n    }\n  }\n": types.NewVersionDocument,
    "\n  mutation RemoveFile($store: ID!, $file: ID!) {\n    deleteFile(input: { fileId: $file }) { __typename }\n    removeFileFromVectorStore(input: { vectorStoreId: $store, fileId: $file }) { __typename }\n  }\n": types.RemoveFileDocument,
    "\n  mutation RemoveOnly($store: ID!, $file: ID!) {\n    removeFileFromVectorStore(input: { vectorStoreId: $store, fileId: $file }) {\n      __typename\n      ... on RemoveFileFromVectorStorePayload { removedFileId vectorStore { fileCounts { completed } } }\n      ... on Error { code }\n    }\n  }\n": types.RemoveOnlyDocument,
    "\n  mutation RenameStore($id: ID!) {\n    updateVectorStore(input: { vectorStoreId: $id, name: \"renamed\", chunkSize: 300, chunkOverlap: 50 }) {\n      __typename\n      ... on UpdateVectorStorePayload { vectorStore { name chunkSize chunkOverlap } }\n      ... on Error { code }\n    }\n  }\n": types.RenameStoreDocument,
    "\n  query StoreState($id: ID!) {\n    vectorStore(id: $id) {\n      status chunkCount usageBytes\n      fileCounts { queued inProgress completed failed }\n      files(first: 20) { edges { node { status lastError chunkCount file { name } version { number } } } }\n    }\n  }\n": types.StoreStateDocument,
    "\n  query Search($input: SearchVectorStoreInput!) {\n    searchVectorStore(input: $input) {\n      __typename\n      ... on SearchVectorStorePayload {\n        documents { score file { id name } version { number } chunks { text score chunkIndex startOffset endOffset page } }\n      }\n      ... on Error { code message }\n    }\n  }\n": types.SearchDocument,
    "\n  subscription Progress($id: ID!) {\n    indexingProgress(vectorStoreId: $id) { status chunksDone chunksTotal error file { name } }\n  }\n": types.ProgressDocument,
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
export function graphql(source: "query BulkModels { embedModels(first: 10) { edges { node { id builtin } } } }"): (typeof documents)["query BulkModels { embedModels(first: 10) { edges { node { id builtin } } } }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation BulkStore($modelId: ID!) {\n    createVectorStore(input: { name: \"bulk\", embedModelId: $modelId }) { ... on CreateVectorStorePayload { vectorStore { id } } }\n  }\n"): (typeof documents)["\n  mutation BulkStore($modelId: ID!) {\n    createVectorStore(input: { name: \"bulk\", embedModelId: $modelId }) { ... on CreateVectorStorePayload { vectorStore { id } } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query BulkStoreState($id: ID!) { vectorStore(id: $id) { status fileCounts { completed queued inProgress failed } } }"): (typeof documents)["query BulkStoreState($id: ID!) { vectorStore(id: $id) { status fileCounts { completed queued inProgress failed } } }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query BulkSearch($id: ID!, $q: String!) {\n    searchVectorStore(input: { vectorStoreId: $id, query: $q, mode: KEYWORD, kDocs: 100 }) {\n      __typename ... on SearchVectorStorePayload { documents { file { id } } }\n    }\n  }\n"): (typeof documents)["\n  query BulkSearch($id: ID!, $q: String!) {\n    searchVectorStore(input: { vectorStoreId: $id, query: $q, mode: KEYWORD, kDocs: 100 }) {\n      __typename ... on SearchVectorStorePayload { documents { file { id } } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation BulkAdd($input: AddFilesToVectorStoreInput!) {\n    addFilesToVectorStore(input: $input) {\n      __typename\n      ... on AddFilesToVectorStorePayload { queuedFileIds unchangedFileIds notFoundFileIds }\n      ... on Error { code message }\n    }\n  }\n"): (typeof documents)["\n  mutation BulkAdd($input: AddFilesToVectorStoreInput!) {\n    addFilesToVectorStore(input: $input) {\n      __typename\n      ... on AddFilesToVectorStorePayload { queuedFileIds unchangedFileIds notFoundFileIds }\n      ... on Error { code message }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation BulkDelete($ids: [ID!]!) {\n    deleteFiles(input: { fileIds: $ids }) {\n      __typename\n      ... on DeleteFilesPayload { deletedFileIds notFoundFileIds }\n      ... on Error { code message }\n    }\n  }\n"): (typeof documents)["\n  mutation BulkDelete($ids: [ID!]!) {\n    deleteFiles(input: { fileIds: $ids }) {\n      __typename\n      ... on DeleteFilesPayload { deletedFileIds notFoundFileIds }\n      ... on Error { code message }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation BulkMetadata($input: UpdateFilesMetadataInput!) {\n    updateFilesMetadata(input: $input) {\n      __typename\n      ... on UpdateFilesMetadataPayload { updatedFileIds notFoundFileIds }\n      ... on Error { code message }\n    }\n  }\n"): (typeof documents)["\n  mutation BulkMetadata($input: UpdateFilesMetadataInput!) {\n    updateFilesMetadata(input: $input) {\n      __typename\n      ... on UpdateFilesMetadataPayload { updatedFileIds notFoundFileIds }\n      ... on Error { code message }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query BulkUsage { viewer { tenant { usage { files } } } }"): (typeof documents)["query BulkUsage { viewer { tenant { usage { files } } } }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RaceCreate($content: String!, $name: String!) {\n    createFile(input: { name: $name, content: $content }) {\n      __typename\n      ... on CreateFilePayload { deduplicated file { id } }\n    }\n  }\n"): (typeof documents)["\n  mutation RaceCreate($content: String!, $name: String!) {\n    createFile(input: { name: $name, content: $content }) {\n      __typename\n      ... on CreateFilePayload { deduplicated file { id } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RaceVersion($fileId: ID!, $content: String!) {\n    createFileVersion(input: { fileId: $fileId, content: $content }) {\n      __typename\n      ... on CreateFileVersionPayload { version { number } }\n    }\n  }\n"): (typeof documents)["\n  mutation RaceVersion($fileId: ID!, $content: String!) {\n    createFileVersion(input: { fileId: $fileId, content: $content }) {\n      __typename\n      ... on CreateFileVersionPayload { version { number } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConvCreateFile($input: CreateFileInput!) {\n    createFile(input: $input) {\n      __typename\n      ... on CreateFilePayload { file { id } version { id number format } }\n      ... on Error { code message }\n    }\n  }\n"): (typeof documents)["\n  mutation ConvCreateFile($input: CreateFileInput!) {\n    createFile(input: $input) {\n      __typename\n      ... on CreateFilePayload { file { id } version { id number format } }\n      ... on Error { code message }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Convert($input: ConvertFileInput!) {\n    convertFile(input: $input) {\n      __typename\n      ... on ConvertFilePayload {\n        conversion { id status target }\n        version {\n          id number format mimeType\n          previousVersion { id number }\n          derivedFrom { id number format }\n          text\n        }\n      }\n      ... on UnsupportedConversionError { code message from to }\n      ... on Error { code message }\n    }\n  }\n"): (typeof documents)["\n  mutation Convert($input: ConvertFileInput!) {\n    convertFile(input: $input) {\n      __typename\n      ... on ConvertFilePayload {\n        conversion { id status target }\n        version {\n          id number format mimeType\n          previousVersion { id number }\n          derivedFrom { id number format }\n          text\n        }\n      }\n      ... on UnsupportedConversionError { code message from to }\n      ... on Error { code message }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConvNewVersion($input: CreateFileVersionInput!) {\n    createFileVersion(input: $input) {\n      __typename\n      ... on CreateFileVersionPayload {\n        version { id number format }\n        conversion { status resultVersion { number format derivedFrom { number } text } }\n      }\n      ... on Error { code message }\n    }\n  }\n"): (typeof documents)["\n  mutation ConvNewVersion($input: CreateFileVersionInput!) {\n    createFileVersion(input: $input) {\n      __typename\n      ... on CreateFileVersionPayload {\n        version { id number format }\n        conversion { status resultVersion { number format derivedFrom { number } text } }\n      }\n      ... on Error { code message }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConvVersions($id: ID!) {\n    file(id: $id) { versions(first: 20) { edges { node { number format } } } }\n  }\n"): (typeof documents)["\n  query ConvVersions($id: ID!) {\n    file(id: $id) { versions(first: 20) { edges { node { number format } } } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConvVersionText($id: ID!, $max: Int) {\n    node(id: $id) { ... on FileVersion { format text(maxLength: $max) pages(first: 10) { edges { node { number text } } } } }\n  }\n"): (typeof documents)["\n  query ConvVersionText($id: ID!, $max: Int) {\n    node(id: $id) { ... on FileVersion { format text(maxLength: $max) pages(first: 10) { edges { node { number text } } } } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConvNode($id: ID!) {\n    node(id: $id) {\n      ... on Conversion { status error errorCode resultVersion { number format derivedFrom { number } } }\n    }\n  }\n"): (typeof documents)["\n  query ConvNode($id: ID!) {\n    node(id: $id) {\n      ... on Conversion { status error errorCode resultVersion { number format derivedFrom { number } } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query Supported { supportedConversions { from to } }"): (typeof documents)["query Supported { supportedConversions { from to } }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query CrawlModels { embedModels(first: 10) { edges { node { id builtin } } } }"): (typeof documents)["query CrawlModels { embedModels(first: 10) { edges { node { id builtin } } } }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CrawlCreateStore($modelId: ID!) {\n    createVectorStore(input: { name: \"docs\", embedModelId: $modelId }) {\n      ... on CreateVectorStorePayload { vectorStore { id } }\n    }\n  }\n"): (typeof documents)["\n  mutation CrawlCreateStore($modelId: ID!) {\n    createVectorStore(input: { name: \"docs\", embedModelId: $modelId }) {\n      ... on CreateVectorStorePayload { vectorStore { id } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query CrawlStoreState($id: ID!) { vectorStore(id: $id) { status fileCounts { completed failed } } }\n"): (typeof documents)["\n  query CrawlStoreState($id: ID!) { vectorStore(id: $id) { status fileCounts { completed failed } } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query CrawlSearch($id: ID!, $q: String!, $filter: VectorSearchFilter) {\n    searchVectorStore(input: { vectorStoreId: $id, query: $q, mode: KEYWORD, filter: $filter }) {\n      __typename\n      ... on SearchVectorStorePayload { documents { file { name path } } }\n    }\n  }\n"): (typeof documents)["\n  query CrawlSearch($id: ID!, $q: String!, $filter: VectorSearchFilter) {\n    searchVectorStore(input: { vectorStoreId: $id, query: $q, mode: KEYWORD, filter: $filter }) {\n      __typename\n      ... on SearchVectorStorePayload { documents { file { name path } } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query CrawledFiles($filter: FileFilter) {\n    files(first: 100, filter: $filter) {\n      edges { node { id name path ownerId metadata source { crawlerId uri mtimeNs } currentVersion { number mimeType } } }\n    }\n  }\n"): (typeof documents)["\n  query CrawledFiles($filter: FileFilter) {\n    files(first: 100, filter: $filter) {\n      edges { node { id name path ownerId metadata source { crawlerId uri mtimeNs } currentVersion { number mimeType } } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription CrawlIndexing($id: ID!) { indexingProgress(vectorStoreId: $id) { status file { path } } }\n"): (typeof documents)["\n  subscription CrawlIndexing($id: ID!) { indexingProgress(vectorStoreId: $id) { status file { path } } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription CrawlProgress($id: ID!) {\n    crawlerProgress(crawlerId: $id) { runId status done total currentUri counts { discovered created unchanged } }\n  }\n"): (typeof documents)["\n  subscription CrawlProgress($id: ID!) {\n    crawlerProgress(crawlerId: $id) { runId status done total currentUri counts { discovered created unchanged } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query ForeignRun($id: ID!) { node(id: $id) { id } }"): (typeof documents)["query ForeignRun($id: ID!) { node(id: $id) { id } }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query S3Files($filter: FileFilter) {\n    files(first: 100, filter: $filter) { edges { node { path metadata source { uri etag } currentVersion { number } } } }\n  }\n"): (typeof documents)["\n  query S3Files($filter: FileFilter) {\n    files(first: 100, filter: $filter) { edges { node { path metadata source { uri etag } currentVersion { number } } } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query WebFiles($filter: FileFilter) {\n    files(first: 100, filter: $filter) { edges { node { id name path metadata source { uri etag } currentVersion { number mimeType sourceUrl } } } }\n  }\n"): (typeof documents)["\n  query WebFiles($filter: FileFilter) {\n    files(first: 100, filter: $filter) { edges { node { id name path metadata source { uri etag } currentVersion { number mimeType sourceUrl } } } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "subscription EventsFrom($after: String) { events(after: $after) { cursor type data } }"): (typeof documents)["subscription EventsFrom($after: String) { events(after: $after) { cursor type data } }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateFile($input: CreateFileInput!) {\n    createFile(input: $input) {\n      __typename\n      ... on CreateFilePayload {\n        deduplicated\n        file { id name path mimeType size sha256 metadata ownerId downloadUrl currentVersion { id number } }\n        version { id number mimeType sha256 }\n      }\n      ... on Error { message code }\n      ... on ValidationError { fields { path message } }\n      ... on TooLargeError { limitBytes }\n      ... on FetchFailedError { url }\n    }\n  }\n"): (typeof documents)["\n  mutation CreateFile($input: CreateFileInput!) {\n    createFile(input: $input) {\n      __typename\n      ... on CreateFilePayload {\n        deduplicated\n        file { id name path mimeType size sha256 metadata ownerId downloadUrl currentVersion { id number } }\n        version { id number mimeType sha256 }\n      }\n      ... on Error { message code }\n      ... on ValidationError { fields { path message } }\n      ... on TooLargeError { limitBytes }\n      ... on FetchFailedError { url }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateVersion($input: CreateFileVersionInput!) {\n    createFileVersion(input: $input) {\n      __typename\n      ... on CreateFileVersionPayload {\n        deduplicated\n        file { id mimeType currentVersion { number } }\n        version { id number mimeType size metadata downloadUrl previousVersion { id number } file { id } }\n      }\n      ... on Error { message code }\n    }\n  }\n"): (typeof documents)["\n  mutation CreateVersion($input: CreateFileVersionInput!) {\n    createFileVersion(input: $input) {\n      __typename\n      ... on CreateFileVersionPayload {\n        deduplicated\n        file { id mimeType currentVersion { number } }\n        version { id number mimeType size metadata downloadUrl previousVersion { id number } file { id } }\n      }\n      ... on Error { message code }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query GetFile($id: ID!) {\n    file(id: $id) { id name mimeType versions(first: 10) { edges { node { number mimeType } } } }\n    node(id: $id) { id ... on File { name } }\n  }\n"): (typeof documents)["\n  query GetFile($id: ID!) {\n    file(id: $id) { id name mimeType versions(first: 10) { edges { node { number mimeType } } } }\n    node(id: $id) { id ... on File { name } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query GetNode($id: ID!) { node(id: $id) { id } }\n"): (typeof documents)["\n  query GetNode($id: ID!) { node(id: $id) { id } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ListFiles($first: Int, $after: String, $filter: FileFilter) {\n    files(first: $first, after: $after, filter: $filter) {\n      edges { node { id name mimeType } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n"): (typeof documents)["\n  query ListFiles($first: Int, $after: String, $filter: FileFilter) {\n    files(first: $first, after: $after, filter: $filter) {\n      edges { node { id name mimeType } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateFile($input: UpdateFileInput!) {\n    updateFile(input: $input) {\n      __typename\n      ... on UpdateFilePayload { file { id name metadata ownerId } }\n      ... on Error { message code }\n    }\n  }\n"): (typeof documents)["\n  mutation UpdateFile($input: UpdateFileInput!) {\n    updateFile(input: $input) {\n      __typename\n      ... on UpdateFilePayload { file { id name metadata ownerId } }\n      ... on Error { message code }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation PurgeFile($input: PurgeFileInput!) {\n    purgeFile(input: $input) { __typename ... on Error { message code } }\n  }\n"): (typeof documents)["\n  mutation PurgeFile($input: PurgeFileInput!) {\n    purgeFile(input: $input) { __typename ... on Error { message code } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteFile($input: DeleteFileInput!) {\n    deleteFile(input: $input) {\n      __typename\n      ... on DeleteFilePayload { deletedFileId }\n      ... on Error { message code }\n    }\n  }\n"): (typeof documents)["\n  mutation DeleteFile($input: DeleteFileInput!) {\n    deleteFile(input: $input) {\n      __typename\n      ... on DeleteFilePayload { deletedFileId }\n      ... on Error { message code }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RevokeKey($id: ID!) {\n    revokeApiKey(input: { apiKeyId: $id }) {\n      __typename\n      ... on RevokeApiKeyPayload { apiKey { id revokedAt } }\n      ... on Error { message code }\n    }\n  }\n"): (typeof documents)["\n  mutation RevokeKey($id: ID!) {\n    revokeApiKey(input: { apiKeyId: $id }) {\n      __typename\n      ... on RevokeApiKeyPayload { apiKey { id revokedAt } }\n      ... on Error { message code }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ViewerQuery { viewer { isAdmin tenant { id name } } }\n"): (typeof documents)["\n  query ViewerQuery { viewer { isAdmin tenant { id name } } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation GraphiqlCreateFile($name: String!, $content: String!) {\n    createFile(input: { name: $name, content: $content }) { __typename ... on CreateFilePayload { file { id } } }\n  }\n"): (typeof documents)["\n  mutation GraphiqlCreateFile($name: String!, $content: String!) {\n    createFile(input: { name: $name, content: $content }) { __typename ... on CreateFilePayload { file { id } } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription HostileFileEvents {\n    fileEvents { type fileId }\n  }\n"): (typeof documents)["\n  subscription HostileFileEvents {\n    fileEvents { type fileId }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation HostileCreateFile($name: String!, $content: String!) {\n    createFile(input: { name: $name, content: $content }) {\n      __typename\n      ... on CreateFilePayload { file { id } }\n      ... on Error { code message }\n    }\n  }\n"): (typeof documents)["\n  mutation HostileCreateFile($name: String!, $content: String!) {\n    createFile(input: { name: $name, content: $content }) {\n      __typename\n      ... on CreateFilePayload { file { id } }\n      ... on Error { code message }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ParseMemCreateFile($input: CreateFileInput!) {\n    createFile(input: $input) {\n      __typename\n      ... on CreateFilePayload { file { id } }\n      ... on Error { code message }\n    }\n  }\n"): (typeof documents)["\n  mutation ParseMemCreateFile($input: CreateFileInput!) {\n    createFile(input: $input) {\n      __typename\n      ... on CreateFilePayload { file { id } }\n      ... on Error { code message }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ParseMemConvert($input: ConvertFileInput!) {\n    convertFile(input: $input) {\n      __typename\n      ... on ConvertFilePayload { version { number format } }\n      ... on ExtractionFailedError { code message reason }\n      ... on Error { code message }\n    }\n  }\n"): (typeof documents)["\n  mutation ParseMemConvert($input: ConvertFileInput!) {\n    convertFile(input: $input) {\n      __typename\n      ... on ConvertFilePayload { version { number format } }\n      ... on ExtractionFailedError { code message reason }\n      ... on Error { code message }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ParseMemVersions($id: ID!) { file(id: $id) { versions(first: 10) { edges { node { number } } } } }\n"): (typeof documents)["\n  query ParseMemVersions($id: ID!) { file(id: $id) { versions(first: 10) { edges { node { number } } } } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ParseCreateFile($input: CreateFileInput!) {\n    createFile(input: $input) {\n      __typename\n      ... on CreateFilePayload { file { id } version { id size } vectorStoreFile { id status } }\n      ... on Error { code message }\n    }\n  }\n"): (typeof documents)["\n  mutation ParseCreateFile($input: CreateFileInput!) {\n    createFile(input: $input) {\n      __typename\n      ... on CreateFilePayload { file { id } version { id size } vectorStoreFile { id status } }\n      ... on Error { code message }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ParseConvert($input: ConvertFileInput!) {\n    convertFile(input: $input) {\n      __typename\n      ... on ConvertFilePayload { conversion { id status } version { number format size } }\n      ... on ExtractionFailedError { code message reason }\n      ... on Error { code message }\n    }\n  }\n"): (typeof documents)["\n  mutation ParseConvert($input: ConvertFileInput!) {\n    convertFile(input: $input) {\n      __typename\n      ... on ConvertFilePayload { conversion { id status } version { number format size } }\n      ... on ExtractionFailedError { code message reason }\n      ... on Error { code message }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ParseVersions($id: ID!) {\n    file(id: $id) { versions(first: 10) { edges { node { number } } } }\n  }\n"): (typeof documents)["\n  query ParseVersions($id: ID!) {\n    file(id: $id) { versions(first: 10) { edges { node { number } } } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ParseText($id: ID!) {\n    node(id: $id) { ... on FileVersion { text(maxLength: 100) } }\n  }\n"): (typeof documents)["\n  query ParseText($id: ID!) {\n    node(id: $id) { ... on FileVersion { text(maxLength: 100) } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ParseConversion($id: ID!) {\n    node(id: $id) { ... on Conversion { status error errorCode resultVersion { number } } }\n  }\n"): (typeof documents)["\n  query ParseConversion($id: ID!) {\n    node(id: $id) { ... on Conversion { status error errorCode resultVersion { number } } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query ParseModels { embedModels(first: 10) { edges { node { id builtin } } } }"): (typeof documents)["query ParseModels { embedModels(first: 10) { edges { node { id builtin } } } }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ParseCreateStore($input: CreateVectorStoreInput!) {\n    createVectorStore(input: $input) {\n      __typename\n      ... on CreateVectorStorePayload { vectorStore { id } }\n      ... on Error { code message }\n    }\n  }\n"): (typeof documents)["\n  mutation ParseCreateStore($input: CreateVectorStoreInput!) {\n    createVectorStore(input: $input) {\n      __typename\n      ... on CreateVectorStorePayload { vectorStore { id } }\n      ... on Error { code message }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ParseStoreFiles($id: ID!) {\n    vectorStore(id: $id) {\n      status\n      fileCounts { queued inProgress completed failed }\n      files(first: 10) { edges { node { status lastError file { name } } } }\n    }\n  }\n"): (typeof documents)["\n  query ParseStoreFiles($id: ID!) {\n    vectorStore(id: $id) {\n      status\n      fileCounts { queued inProgress completed failed }\n      files(first: 10) { edges { node { status lastError file { name } } } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ParseSearch($input: SearchVectorStoreInput!) {\n    searchVectorStore(input: $input) {\n      __typename\n      ... on SearchVectorStorePayload { documents { file { name } } }\n      ... on Error { code message }\n    }\n  }\n"): (typeof documents)["\n  query ParseSearch($input: SearchVectorStoreInput!) {\n    searchVectorStore(input: $input) {\n      __typename\n      ... on SearchVectorStorePayload { documents { file { name } } }\n      ... on Error { code message }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation HostileInputCreateFile($input: CreateFileInput!) {\n    createFile(input: $input) {\n      __typename\n      ... on CreateFilePayload { file { id } }\n      ... on ValidationError { code message fields { path message } }\n      ... on Error { code message }\n    }\n  }\n"): (typeof documents)["\n  mutation HostileInputCreateFile($input: CreateFileInput!) {\n    createFile(input: $input) {\n      __typename\n      ... on CreateFilePayload { file { id } }\n      ... on ValidationError { code message fields { path message } }\n      ... on Error { code message }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation HostileInputUpdateFile($input: UpdateFileInput!) {\n    updateFile(input: $input) {\n      __typename\n      ... on ValidationError { code fields { path message } }\n      ... on Error { code message }\n    }\n  }\n"): (typeof documents)["\n  mutation HostileInputUpdateFile($input: UpdateFileInput!) {\n    updateFile(input: $input) {\n      __typename\n      ... on ValidationError { code fields { path message } }\n      ... on Error { code message }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation HostileInputUpdateMetadata($input: UpdateFilesMetadataInput!) {\n    updateFilesMetadata(input: $input) {\n      __typename\n      ... on ValidationError { code fields { path message } }\n    }\n  }\n"): (typeof documents)["\n  mutation HostileInputUpdateMetadata($input: UpdateFilesMetadataInput!) {\n    updateFilesMetadata(input: $input) {\n      __typename\n      ... on ValidationError { code fields { path message } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation HostileInputCreateVersion($input: CreateFileVersionInput!) {\n    createFileVersion(input: $input) {\n      __typename\n      ... on ValidationError { code fields { path message } }\n      ... on Error { code message }\n    }\n  }\n"): (typeof documents)["\n  mutation HostileInputCreateVersion($input: CreateFileVersionInput!) {\n    createFileVersion(input: $input) {\n      __typename\n      ... on ValidationError { code fields { path message } }\n      ... on Error { code message }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation HostileInputRequestUpload($input: RequestFileUploadInput!) {\n    requestFileUpload(input: $input) {\n      __typename\n      ... on ValidationError { code fields { path message } }\n      ... on Error { code message }\n    }\n  }\n"): (typeof documents)["\n  mutation HostileInputRequestUpload($input: RequestFileUploadInput!) {\n    requestFileUpload(input: $input) {\n      __typename\n      ... on ValidationError { code fields { path message } }\n      ... on Error { code message }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation HostileInputCreateCrawler($input: CreateCrawlerInput!) {\n    createCrawler(input: $input) {\n      __typename\n      ... on ValidationError { code fields { path message } }\n      ... on Error { code message }\n    }\n  }\n"): (typeof documents)["\n  mutation HostileInputCreateCrawler($input: CreateCrawlerInput!) {\n    createCrawler(input: $input) {\n      __typename\n      ... on ValidationError { code fields { path message } }\n      ... on Error { code message }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation HostileInputCreateStore($input: CreateVectorStoreInput!) {\n    createVectorStore(input: $input) {\n      __typename\n      ... on ValidationError { code fields { path message } }\n      ... on Error { code message }\n    }\n  }\n"): (typeof documents)["\n  mutation HostileInputCreateStore($input: CreateVectorStoreInput!) {\n    createVectorStore(input: $input) {\n      __typename\n      ... on ValidationError { code fields { path message } }\n      ... on Error { code message }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query HostileInputModels { embedModels(first: 10) { edges { node { id builtin } } } }\n"): (typeof documents)["\n  query HostileInputModels { embedModels(first: 10) { edges { node { id builtin } } } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation HostileInputCreateTenant($name: String!) {\n    createTenant(input: { name: $name }) {\n      __typename\n      ... on ValidationError { code fields { path message } }\n    }\n  }\n"): (typeof documents)["\n  mutation HostileInputCreateTenant($name: String!) {\n    createTenant(input: { name: $name }) {\n      __typename\n      ... on ValidationError { code fields { path message } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation HostileInputCreateKey($tenantId: ID!, $name: String!) {\n    createApiKey(input: { tenantId: $tenantId, name: $name }) {\n      __typename\n      ... on ValidationError { code fields { path message } }\n    }\n  }\n"): (typeof documents)["\n  mutation HostileInputCreateKey($tenantId: ID!, $name: String!) {\n    createApiKey(input: { tenantId: $tenantId, name: $name }) {\n      __typename\n      ... on ValidationError { code fields { path message } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query HostileInputListFiles($filter: FileFilter) {\n    files(first: 5, filter: $filter) { edges { node { id } } }\n  }\n"): (typeof documents)["\n  query HostileInputListFiles($filter: FileFilter) {\n    files(first: 5, filter: $filter) { edges { node { id } } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query LimitsViewer { viewer { tenant { name } } }\n"): (typeof documents)["\n  query LimitsViewer { viewer { tenant { name } } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation OutboundRegisterModel($input: RegisterEmbedModelInput!) {\n    registerEmbedModel(input: $input) {\n      __typename\n      ... on RegisterEmbedModelPayload { embedModel { id name } }\n      ... on Error { code message }\n      ... on ValidationError { fields { path message } }\n    }\n  }\n"): (typeof documents)["\n  mutation OutboundRegisterModel($input: RegisterEmbedModelInput!) {\n    registerEmbedModel(input: $input) {\n      __typename\n      ... on RegisterEmbedModelPayload { embedModel { id name } }\n      ... on Error { code message }\n      ... on ValidationError { fields { path message } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation OutboundCreateStore($input: CreateVectorStoreInput!) {\n    createVectorStore(input: $input) {\n      __typename\n      ... on CreateVectorStorePayload { vectorStore { id } }\n      ... on Error { code message }\n    }\n  }\n"): (typeof documents)["\n  mutation OutboundCreateStore($input: CreateVectorStoreInput!) {\n    createVectorStore(input: $input) {\n      __typename\n      ... on CreateVectorStorePayload { vectorStore { id } }\n      ... on Error { code message }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation OutboundCreateFile($input: CreateFileInput!) {\n    createFile(input: $input) {\n      __typename\n      ... on CreateFilePayload { file { id } }\n      ... on Error { code message }\n    }\n  }\n"): (typeof documents)["\n  mutation OutboundCreateFile($input: CreateFileInput!) {\n    createFile(input: $input) {\n      __typename\n      ... on CreateFilePayload { file { id } }\n      ... on Error { code message }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query OutboundStoreFiles($id: ID!) {\n    vectorStore(id: $id) { files(first: 5) { edges { node { status lastError } } } }\n  }\n"): (typeof documents)["\n  query OutboundStoreFiles($id: ID!) {\n    vectorStore(id: $id) { files(first: 5) { edges { node { status lastError } } } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query OutboundSearch($input: SearchVectorStoreInput!) {\n    searchVectorStore(input: $input) {\n      __typename\n      ... on SearchVectorStorePayload { documents { score } }\n      ... on Error { code message }\n    }\n  }\n"): (typeof documents)["\n  query OutboundSearch($input: SearchVectorStoreInput!) {\n    searchVectorStore(input: $input) {\n      __typename\n      ... on SearchVectorStorePayload { documents { score } }\n      ... on Error { code message }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SessionsCreateKey($tenantId: ID!, $name: String!) {\n    createApiKey(input: { tenantId: $tenantId, name: $name }) {\n      __typename\n      ... on CreateApiKeyPayload { secret apiKey { id } }\n    }\n  }\n"): (typeof documents)["\n  mutation SessionsCreateKey($tenantId: ID!, $name: String!) {\n    createApiKey(input: { tenantId: $tenantId, name: $name }) {\n      __typename\n      ... on CreateApiKeyPayload { secret apiKey { id } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SessionsRevoke($id: ID!) {\n    revokeApiKey(input: { apiKeyId: $id }) {\n      __typename\n      ... on RevokeApiKeyPayload { apiKey { revokedAt } }\n    }\n  }\n"): (typeof documents)["\n  mutation SessionsRevoke($id: ID!) {\n    revokeApiKey(input: { apiKeyId: $id }) {\n      __typename\n      ... on RevokeApiKeyPayload { apiKey { revokedAt } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation StuckRegisterModel($input: RegisterEmbedModelInput!) {\n    registerEmbedModel(input: $input) {\n      __typename\n      ... on RegisterEmbedModelPayload { embedModel { id } }\n      ... on Error { code message }\n    }\n  }\n"): (typeof documents)["\n  mutation StuckRegisterModel($input: RegisterEmbedModelInput!) {\n    registerEmbedModel(input: $input) {\n      __typename\n      ... on RegisterEmbedModelPayload { embedModel { id } }\n      ... on Error { code message }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation StuckCreateStore($input: CreateVectorStoreInput!) {\n    createVectorStore(input: $input) {\n      __typename\n      ... on CreateVectorStorePayload { vectorStore { id } }\n      ... on Error { code message }\n    }\n  }\n"): (typeof documents)["\n  mutation StuckCreateStore($input: CreateVectorStoreInput!) {\n    createVectorStore(input: $input) {\n      __typename\n      ... on CreateVectorStorePayload { vectorStore { id } }\n      ... on Error { code message }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation StuckCreateIndexedFile($input: CreateFileInput!) {\n    createFile(input: $input) {\n      __typename\n      ... on CreateFilePayload { file { id } vectorStoreFile { id status } }\n      ... on Error { code message }\n    }\n  }\n"): (typeof documents)["\n  mutation StuckCreateIndexedFile($input: CreateFileInput!) {\n    createFile(input: $input) {\n      __typename\n      ... on CreateFilePayload { file { id } vectorStoreFile { id status } }\n      ... on Error { code message }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation MetadataFilterCreateFile($input: CreateFileInput!) {\n    createFile(input: $input) {\n      __typename\n      ... on CreateFilePayload { file { id name } }\n      ... on Error { message code }\n    }\n  }\n"): (typeof documents)["\n  mutation MetadataFilterCreateFile($input: CreateFileInput!) {\n    createFile(input: $input) {\n      __typename\n      ... on CreateFilePayload { file { id name } }\n      ... on Error { message code }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MetadataFilterFiles($first: Int, $after: String, $last: Int, $before: String, $filter: FileFilter) {\n    files(first: $first, after: $after, last: $last, before: $before, filter: $filter) {\n      edges { cursor node { id name mimeType metadata } }\n      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }\n    }\n  }\n"): (typeof documents)["\n  query MetadataFilterFiles($first: Int, $after: String, $last: Int, $before: String, $filter: FileFilter) {\n    files(first: $first, after: $after, last: $last, before: $before, filter: $filter) {\n      edges { cursor node { id name mimeType metadata } }\n      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MetadataFilterTenantFiles($filter: FileFilter) {\n    viewer { tenant { files(first: 100, filter: $filter) { edges { node { name } } } } }\n  }\n"): (typeof documents)["\n  query MetadataFilterTenantFiles($filter: FileFilter) {\n    viewer { tenant { files(first: 100, filter: $filter) { edges { node { name } } } } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ListDeep($first: Int) {\n    files(first: $first) {\n      edges {\n        node {\n          id name mimeType size downloadUrl\n          tenant { id name }\n          currentVersion { number previousVersion { number } }\n          versions(first: 10) { edges { node { id number mimeType previousVersion { id } } } }\n        }\n      }\n      pageInfo { hasNextPage }\n    }\n  }\n"): (typeof documents)["\n  query ListDeep($first: Int) {\n    files(first: $first) {\n      edges {\n        node {\n          id name mimeType size downloadUrl\n          tenant { id name }\n          currentVersion { number previousVersion { number } }\n          versions(first: 10) { edges { node { id number mimeType previousVersion { id } } } }\n        }\n      }\n      pageInfo { hasNextPage }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SetLimits($input: SetTenantLimitsInput!) {\n    setTenantLimits(input: $input) {\n      __typename\n      ... on SetTenantLimitsPayload { tenant { limits { maxFileBytes maxTotalBytes maxFiles } } }\n      ... on Error { code message }\n    }\n  }\n"): (typeof documents)["\n  mutation SetLimits($input: SetTenantLimitsInput!) {\n    setTenantLimits(input: $input) {\n      __typename\n      ... on SetTenantLimitsPayload { tenant { limits { maxFileBytes maxTotalBytes maxFiles } } }\n      ... on Error { code message }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query Usage { viewer { tenant { usage { files versions bytes } limits { maxFiles } } } }"): (typeof documents)["query Usage { viewer { tenant { usage { files versions bytes } limits { maxFiles } } } }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation QuotaCreate($input: CreateFileInput!) {\n    createFile(input: $input) {\n      __typename\n      ... on CreateFilePayload { deduplicated file { id } version { id mimeType detectedMimeType mimeMismatch } }\n      ... on QuotaExceededError { code message quota limit used requested }\n      ... on MimeMismatchError { code message declared detected }\n      ... on Error { code message }\n    }\n  }\n"): (typeof documents)["\n  mutation QuotaCreate($input: CreateFileInput!) {\n    createFile(input: $input) {\n      __typename\n      ... on CreateFilePayload { deduplicated file { id } version { id mimeType detectedMimeType mimeMismatch } }\n      ... on QuotaExceededError { code message quota limit used requested }\n      ... on MimeMismatchError { code message declared detected }\n      ... on Error { code message }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation QuotaDelete($id: ID!) { deleteFile(input: { fileId: $id }) { __typename } }"): (typeof documents)["mutation QuotaDelete($id: ID!) { deleteFile(input: { fileId: $id }) { __typename } }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation QuotaPurge($id: ID!) { purgeFile(input: { fileId: $id }) { __typename ... on PurgeFilePayload { receipt { blobs bytes } } } }"): (typeof documents)["mutation QuotaPurge($id: ID!) { purgeFile(input: { fileId: $id }) { __typename ... on PurgeFilePayload { receipt { blobs bytes } } } }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation S3CreateFile($input: CreateFileInput!) {\n    createFile(input: $input) {\n      __typename\n      ... on CreateFilePayload { deduplicated file { id size sha256 downloadUrl } }\n      ... on Error { message code }\n    }\n  }\n"): (typeof documents)["\n  mutation S3CreateFile($input: CreateFileInput!) {\n    createFile(input: $input) {\n      __typename\n      ... on CreateFilePayload { deduplicated file { id size sha256 downloadUrl } }\n      ... on Error { message code }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation S3DeleteFile($id: ID!) {\n    deleteFile(input: { fileId: $id }) { __typename }\n  }\n"): (typeof documents)["\n  mutation S3DeleteFile($id: ID!) {\n    deleteFile(input: { fileId: $id }) { __typename }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation S3PurgeFile($id: ID!) {\n    purgeFile(input: { fileId: $id }) { __typename }\n  }\n"): (typeof documents)["\n  mutation S3PurgeFile($id: ID!) {\n    purgeFile(input: { fileId: $id }) { __typename }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query QualitySearch($input: SearchVectorStoreInput!) {\n    searchVectorStore(input: $input) {\n      __typename\n      ... on SearchVectorStorePayload {\n        documents {\n          rank score file { id } version { id }\n          scores { fused vector keyword vectorRank keywordRank similarity bm25 }\n          chunks {\n            text score chunkIndex startOffset endOffset\n            scores { fused vector keyword vectorRank keywordRank similarity bm25 }\n            highlights { kind start end versionStart versionEnd text }\n          }\n        }\n      }\n      ... on Error { code message }\n    }\n  }\n"): (typeof documents)["\n  query QualitySearch($input: SearchVectorStoreInput!) {\n    searchVectorStore(input: $input) {\n      __typename\n      ... on SearchVectorStorePayload {\n        documents {\n          rank score file { id } version { id }\n          scores { fused vector keyword vectorRank keywordRank similarity bm25 }\n          chunks {\n            text score chunkIndex startOffset endOffset\n            scores { fused vector keyword vectorRank keywordRank similarity bm25 }\n            highlights { kind start end versionStart versionEnd text }\n          }\n        }\n      }\n      ... on Error { code message }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation QualityStore($input: CreateVectorStoreInput!) {\n    createVectorStore(input: $input) {\n      __typename\n      ... on CreateVectorStorePayload { vectorStore { id language bm25 { k1 b } hnsw { state m efConstruction efSearch } } }\n      ... on Error { code message }\n    }\n  }\n"): (typeof documents)["\n  mutation QualityStore($input: CreateVectorStoreInput!) {\n    createVectorStore(input: $input) {\n      __typename\n      ... on CreateVectorStorePayload { vectorStore { id language bm25 { k1 b } hnsw { state m efConstruction efSearch } } }\n      ... on Error { code message }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation QualityFile($input: CreateFileInput!) {\n    createFile(input: $input) { __typename ... on CreateFilePayload { file { id } version { id } } ... on Error { code message } }\n  }\n"): (typeof documents)["\n  mutation QualityFile($input: CreateFileInput!) {\n    createFile(input: $input) { __typename ... on CreateFilePayload { file { id } version { id } } ... on Error { code message } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation QualityVersion($fileId: ID!, $content: String!) {\n    createFileVersion(input: { fileId: $fileId, content: $content, mimeType: \"text/plain\" }) { __typename }\n  }\n"): (typeof documents)["\n  mutation QualityVersion($fileId: ID!, $content: String!) {\n    createFileVersion(input: { fileId: $fileId, content: $content, mimeType: \"text/plain\" }) { __typename }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation QualityRemove($store: ID!, $file: ID!) {\n    removeFileFromVectorStore(input: { vectorStoreId: $store, fileId: $file }) { __typename }\n  }\n"): (typeof documents)["\n  mutation QualityRemove($store: ID!, $file: ID!) {\n    removeFileFromVectorStore(input: { vectorStoreId: $store, fileId: $file }) { __typename }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation QualityDelete($id: ID!) { deleteFile(input: { fileId: $id }) { __typename } }\n"): (typeof documents)["\n  mutation QualityDelete($id: ID!) { deleteFile(input: { fileId: $id }) { __typename } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation QualityReadd($store: ID!, $file: ID!, $size: Int) {\n    addFileToVectorStore(input: { vectorStoreId: $store, fileId: $file, chunkSize: $size, chunkOverlap: 0 }) { __typename }\n  }\n"): (typeof documents)["\n  mutation QualityReadd($store: ID!, $file: ID!, $size: Int) {\n    addFileToVectorStore(input: { vectorStoreId: $store, fileId: $file, chunkSize: $size, chunkOverlap: 0 }) { __typename }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation QualityUpdate($input: UpdateVectorStoreInput!) {\n    updateVectorStore(input: $input) {\n      __typename\n      ... on UpdateVectorStorePayload { vectorStore { bm25 { k1 b } hnsw { efSearch efSearchOverride } } }\n      ... on Error { code message }\n    }\n  }\n"): (typeof documents)["\n  mutation QualityUpdate($input: UpdateVectorStoreInput!) {\n    updateVectorStore(input: $input) {\n      __typename\n      ... on UpdateVectorStorePayload { vectorStore { bm25 { k1 b } hnsw { efSearch efSearchOverride } } }\n      ... on Error { code message }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query QualityText($id: ID!, $start: Int, $end: Int) {\n    node(id: $id) { ... on FileVersion { text(start: $start, end: $end) } }\n  }\n"): (typeof documents)["\n  query QualityText($id: ID!, $start: Int, $end: Int) {\n    node(id: $id) { ... on FileVersion { text(start: $start, end: $end) } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription FileEvents {\n    fileEvents { type fileId versionId file { id name } }\n  }\n"): (typeof documents)["\n  subscription FileEvents {\n    fileEvents { type fileId versionId file { id name } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SubsCreateFile($name: String!, $content: String!) {\n    createFile(input: { name: $name, content: $content }) {\n      __typename\n      ... on CreateFilePayload { file { id name } }\n      ... on Error { message }\n    }\n  }\n"): (typeof documents)["\n  mutation SubsCreateFile($name: String!, $content: String!) {\n    createFile(input: { name: $name, content: $content }) {\n      __typename\n      ... on CreateFilePayload { file { id name } }\n      ... on Error { message }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SubsDeleteFile($id: ID!) {\n    deleteFile(input: { fileId: $id }) { __typename }\n  }\n"): (typeof documents)["\n  mutation SubsDeleteFile($id: ID!) {\n    deleteFile(input: { fileId: $id }) { __typename }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SubsViewer { viewer { tenant { name } } }\n"): (typeof documents)["\n  query SubsViewer { viewer { tenant { name } } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateCrawler($input: CreateCrawlerInput!) {\n    createCrawler(input: $input) {\n      __typename\n      ... on CreateCrawlerPayload {\n        crawler {\n          id name active scheduleIntervalSeconds nextRunAt\n          dataSource {\n            __typename\n            ... on DirectoryDataSource { path include exclude }\n            ... on S3DataSource { bucket prefix endpoint hasCredentials }\n            ... on WebDataSource { startUrls maxPages maxDepth respectRobots }\n          }\n          lastRun { id status }\n        }\n      }\n      ... on ValidationError { code message fields { path message } }\n      ... on Error { code message }\n    }\n  }\n"): (typeof documents)["\n  mutation CreateCrawler($input: CreateCrawlerInput!) {\n    createCrawler(input: $input) {\n      __typename\n      ... on CreateCrawlerPayload {\n        crawler {\n          id name active scheduleIntervalSeconds nextRunAt\n          dataSource {\n            __typename\n            ... on DirectoryDataSource { path include exclude }\n            ... on S3DataSource { bucket prefix endpoint hasCredentials }\n            ... on WebDataSource { startUrls maxPages maxDepth respectRobots }\n          }\n          lastRun { id status }\n        }\n      }\n      ... on ValidationError { code message fields { path message } }\n      ... on Error { code message }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateCrawler($input: UpdateCrawlerInput!) {\n    updateCrawler(input: $input) {\n      __typename\n      ... on UpdateCrawlerPayload { crawler { id active scheduleIntervalSeconds nextRunAt lastRun { id status } } }\n      ... on Error { code message }\n    }\n  }\n"): (typeof documents)["\n  mutation UpdateCrawler($input: UpdateCrawlerInput!) {\n    updateCrawler(input: $input) {\n      __typename\n      ... on UpdateCrawlerPayload { crawler { id active scheduleIntervalSeconds nextRunAt lastRun { id status } } }\n      ... on Error { code message }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RunCrawler($id: ID!) {\n    runCrawler(input: { crawlerId: $id }) {\n      __typename\n      ... on RunCrawlerPayload { started run { id status } }\n      ... on Error { code message }\n    }\n  }\n"): (typeof documents)["\n  mutation RunCrawler($id: ID!) {\n    runCrawler(input: { crawlerId: $id }) {\n      __typename\n      ... on RunCrawlerPayload { started run { id status } }\n      ... on Error { code message }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteCrawler($id: ID!) {\n    deleteCrawler(input: { crawlerId: $id }) {\n      __typename\n      ... on DeleteCrawlerPayload { deletedCrawlerId }\n      ... on Error { code message }\n    }\n  }\n"): (typeof documents)["\n  mutation DeleteCrawler($id: ID!) {\n    deleteCrawler(input: { crawlerId: $id }) {\n      __typename\n      ... on DeleteCrawlerPayload { deletedCrawlerId }\n      ... on Error { code message }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query CrawlerRun($id: ID!) {\n    node(id: $id) {\n      ... on CrawlerRun {\n        id status trigger attempts error startedAt finishedAt\n        counts { discovered created updated unchanged deleted failed }\n        errors(first: 50) { edges { node { uri message at } } }\n      }\n    }\n  }\n"): (typeof documents)["\n  query CrawlerRun($id: ID!) {\n    node(id: $id) {\n      ... on CrawlerRun {\n        id status trigger attempts error startedAt finishedAt\n        counts { discovered created updated unchanged deleted failed }\n        errors(first: 50) { edges { node { uri message at } } }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Crawler($id: ID!) {\n    crawler(id: $id) {\n      id name active nextRunAt\n      lastRun { id status trigger counts { discovered created updated unchanged deleted failed } }\n      runs(first: 20) { edges { node { id status trigger } } }\n    }\n  }\n"): (typeof documents)["\n  query Crawler($id: ID!) {\n    crawler(id: $id) {\n      id name active nextRunAt\n      lastRun { id status trigger counts { discovered created updated unchanged deleted failed } }\n      runs(first: 20) { edges { node { id status trigger } } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription CrawlerProgressEvents($id: ID!) {\n    crawlerProgress(crawlerId: $id) { runId status done total currentUri counts { discovered created updated unchanged deleted failed } }\n  }\n"): (typeof documents)["\n  subscription CrawlerProgressEvents($id: ID!) {\n    crawlerProgress(crawlerId: $id) { runId status done total currentUri counts { discovered created updated unchanged deleted failed } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RequestUpload($input: RequestFileUploadInput!) {\n    requestFileUpload(input: $input) {\n      __typename\n      ... on RequestFileUploadPayload {\n        uploadId uploadUrl uploadHeaders expiresAt existingFile { id name }\n        multipart { partSize parts { partNumber url offset size } }\n      }\n      ... on Error { message code }\n    }\n  }\n"): (typeof documents)["\n  mutation RequestUpload($input: RequestFileUploadInput!) {\n    requestFileUpload(input: $input) {\n      __typename\n      ... on RequestFileUploadPayload {\n        uploadId uploadUrl uploadHeaders expiresAt existingFile { id name }\n        multipart { partSize parts { partNumber url offset size } }\n      }\n      ... on Error { message code }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CompleteUpload($uploadId: ID!, $parts: [CompletedUploadPartInput!]) {\n    completeFileUpload(input: { uploadId: $uploadId, parts: $parts }) {\n      __typename\n      ... on CompleteFileUploadPayload {\n        deduplicated\n        file { id name mimeType size sha256 downloadUrl metadata }\n        version { id number previousVersion { number } }\n      }\n      ... on Error { message code }\n      ... on ContentMismatchError { expectedSha256 actualSha256 actualSize }\n    }\n  }\n"): (typeof documents)["\n  mutation CompleteUpload($uploadId: ID!, $parts: [CompletedUploadPartInput!]) {\n    completeFileUpload(input: { uploadId: $uploadId, parts: $parts }) {\n      __typename\n      ... on CompleteFileUploadPayload {\n        deduplicated\n        file { id name mimeType size sha256 downloadUrl metadata }\n        version { id number previousVersion { number } }\n      }\n      ... on Error { message code }\n      ... on ContentMismatchError { expectedSha256 actualSha256 actualSize }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation FixtureCreateTenant($name: String!) {\n    createTenant(input: { name: $name }) {\n      __typename\n      ... on CreateTenantPayload { tenant { id name } }\n      ... on Error { message code }\n    }\n  }\n"): (typeof documents)["\n  mutation FixtureCreateTenant($name: String!) {\n    createTenant(input: { name: $name }) {\n      __typename\n      ... on CreateTenantPayload { tenant { id name } }\n      ... on Error { message code }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation FixtureCreateApiKey($tenantId: ID!, $name: String!) {\n    createApiKey(input: { tenantId: $tenantId, name: $name }) {\n      __typename\n      ... on CreateApiKeyPayload { secret apiKey { id prefix } }\n      ... on Error { message code }\n    }\n  }\n"): (typeof documents)["\n  mutation FixtureCreateApiKey($tenantId: ID!, $name: String!) {\n    createApiKey(input: { tenantId: $tenantId, name: $name }) {\n      __typename\n      ... on CreateApiKeyPayload { secret apiKey { id prefix } }\n      ... on Error { message code }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query LifecycleStore($id: ID!) {\n    vectorStore(id: $id) { chunkCount hnsw { state m efConstruction efSearch tunedRecall } }\n  }\n"): (typeof documents)["\n  query LifecycleStore($id: ID!) {\n    vectorStore(id: $id) { chunkCount hnsw { state m efConstruction efSearch tunedRecall } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation LifecycleCreate($input: CreateVectorStoreInput!) {\n    createVectorStore(input: $input) { __typename ... on CreateVectorStorePayload { vectorStore { id } } }\n  }\n"): (typeof documents)["\n  mutation LifecycleCreate($input: CreateVectorStoreInput!) {\n    createVectorStore(input: $input) { __typename ... on CreateVectorStorePayload { vectorStore { id } } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation LifecycleUpdate($input: UpdateVectorStoreInput!) {\n    updateVectorStore(input: $input) { __typename ... on UpdateVectorStorePayload { vectorStore { hnsw { state m } } } }\n  }\n"): (typeof documents)["\n  mutation LifecycleUpdate($input: UpdateVectorStoreInput!) {\n    updateVectorStore(input: $input) { __typename ... on UpdateVectorStorePayload { vectorStore { hnsw { state m } } } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation LifecycleDrop($id: ID!) { deleteVectorStore(input: { vectorStoreId: $id }) { __typename } }\n"): (typeof documents)["\n  mutation LifecycleDrop($id: ID!) { deleteVectorStore(input: { vectorStoreId: $id }) { __typename } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation LifecycleFile($input: CreateFileInput!) { createFile(input: $input) { __typename } }\n"): (typeof documents)["\n  mutation LifecycleFile($input: CreateFileInput!) { createFile(input: $input) { __typename } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query LifecycleSearch($input: SearchVectorStoreInput!) {\n    searchVectorStore(input: $input) { __typename ... on SearchVectorStorePayload { documents { file { id } } } }\n  }\n"): (typeof documents)["\n  query LifecycleSearch($input: SearchVectorStoreInput!) {\n    searchVectorStore(input: $input) { __typename ... on SearchVectorStorePayload { documents { file { id } } } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Models { embedModels(first: 10) { edges { node { id name provider dimensions builtin maxInputTokens description } } } }\n"): (typeof documents)["\n  query Models { embedModels(first: 10) { edges { node { id name provider dimensions builtin maxInputTokens description } } } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Register($input: RegisterEmbedModelInput!) {\n    registerEmbedModel(input: $input) {\n      __typename\n      ... on RegisterEmbedModelPayload { embedModel { id name dimensions hasApiKey builtin } }\n      ... on Error { code message }\n    }\n  }\n"): (typeof documents)["\n  mutation Register($input: RegisterEmbedModelInput!) {\n    registerEmbedModel(input: $input) {\n      __typename\n      ... on RegisterEmbedModelPayload { embedModel { id name dimensions hasApiKey builtin } }\n      ... on Error { code message }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MyModels { viewer { tenant { embedModels(first: 50) { edges { node { name builtin } } } } } }\n"): (typeof documents)["\n  query MyModels { viewer { tenant { embedModels(first: 50) { edges { node { name builtin } } } } } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteModel($id: ID!) {\n    deleteEmbedModel(input: { embedModelId: $id }) { __typename ... on Error { code message } }\n  }\n"): (typeof documents)["\n  mutation DeleteModel($id: ID!) {\n    deleteEmbedModel(input: { embedModelId: $id }) { __typename ... on Error { code message } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateStore($input: CreateVectorStoreInput!) {\n    createVectorStore(input: $input) {\n      __typename\n      ... on CreateVectorStorePayload { vectorStore { id name chunkSize chunkOverlap quantization embedModel { name } } }\n      ... on Error { code message }\n    }\n  }\n"): (typeof documents)["\n  mutation CreateStore($input: CreateVectorStoreInput!) {\n    createVectorStore(input: $input) {\n      __typename\n      ... on CreateVectorStorePayload { vectorStore { id name chunkSize chunkOverlap quantization embedModel { name } } }\n      ... on Error { code message }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteStore($id: ID!) {\n    deleteVectorStore(input: { vectorStoreId: $id }) { __typename ... on Error { code } }\n  }\n"): (typeof documents)["\n  mutation DeleteStore($id: ID!) {\n    deleteVectorStore(input: { vectorStoreId: $id }) { __typename ... on Error { code } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AddFile($input: AddFileToVectorStoreInput!) {\n    addFileToVectorStore(input: $input) {\n      __typename\n      ... on AddFileToVectorStorePayload { vectorStoreFile { id status chunkSize } }\n      ... on Error { code message }\n    }\n  }\n"): (typeof documents)["\n  mutation AddFile($input: AddFileToVectorStoreInput!) {\n    addFileToVectorStore(input: $input) {\n      __typename\n      ... on AddFileToVectorStorePayload { vectorStoreFile { id status chunkSize } }\n      ... on Error { code message }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateIndexedFile($input: CreateFileInput!) {\n    createFile(input: $input) {\n      __typename\n      ... on CreateFilePayload { file { id name mimeType } version { id } vectorStoreFile { id status } }\n      ... on Error { code message }\n    }\n  }\n"): (typeof documents)["\n  mutation CreateIndexedFile($input: CreateFileInput!) {\n    createFile(input: $input) {\n      __typename\n      ... on CreateFilePayload { file { id name mimeType } version { id } vectorStoreFile { id status } }\n      ... on Error { code message }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation NewVersion($fileId: ID!, $content: String!) {\n    createFileVersion(input: { fileId: $fileId, content: $content, mimeType: \"text/markdown\" }) {\n      __typename\n      ... on CreateFileVersionPayload { version { id number } }\n    }\n  }\n"): (typeof documents)["\n  mutation NewVersion($fileId: ID!, $content: String!) {\n    createFileVersion(input: { fileId: $fileId, content: $content, mimeType: \"text/markdown\" }) {\n      __typename\n      ... on CreateFileVersionPayload { version { id number } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RemoveFile($store: ID!, $file: ID!) {\n    deleteFile(input: { fileId: $file }) { __typename }\n    removeFileFromVectorStore(input: { vectorStoreId: $store, fileId: $file }) { __typename }\n  }\n"): (typeof documents)["\n  mutation RemoveFile($store: ID!, $file: ID!) {\n    deleteFile(input: { fileId: $file }) { __typename }\n    removeFileFromVectorStore(input: { vectorStoreId: $store, fileId: $file }) { __typename }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RemoveOnly($store: ID!, $file: ID!) {\n    removeFileFromVectorStore(input: { vectorStoreId: $store, fileId: $file }) {\n      __typename\n      ... on RemoveFileFromVectorStorePayload { removedFileId vectorStore { fileCounts { completed } } }\n      ... on Error { code }\n    }\n  }\n"): (typeof documents)["\n  mutation RemoveOnly($store: ID!, $file: ID!) {\n    removeFileFromVectorStore(input: { vectorStoreId: $store, fileId: $file }) {\n      __typename\n      ... on RemoveFileFromVectorStorePayload { removedFileId vectorStore { fileCounts { completed } } }\n      ... on Error { code }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RenameStore($id: ID!) {\n    updateVectorStore(input: { vectorStoreId: $id, name: \"renamed\", chunkSize: 300, chunkOverlap: 50 }) {\n      __typename\n      ... on UpdateVectorStorePayload { vectorStore { name chunkSize chunkOverlap } }\n      ... on Error { code }\n    }\n  }\n"): (typeof documents)["\n  mutation RenameStore($id: ID!) {\n    updateVectorStore(input: { vectorStoreId: $id, name: \"renamed\", chunkSize: 300, chunkOverlap: 50 }) {\n      __typename\n      ... on UpdateVectorStorePayload { vectorStore { name chunkSize chunkOverlap } }\n      ... on Error { code }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query StoreState($id: ID!) {\n    vectorStore(id: $id) {\n      status chunkCount usageBytes\n      fileCounts { queued inProgress completed failed }\n      files(first: 20) { edges { node { status lastError chunkCount file { name } version { number } } } }\n    }\n  }\n"): (typeof documents)["\n  query StoreState($id: ID!) {\n    vectorStore(id: $id) {\n      status chunkCount usageBytes\n      fileCounts { queued inProgress completed failed }\n      files(first: 20) { edges { node { status lastError chunkCount file { name } version { number } } } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Search($input: SearchVectorStoreInput!) {\n    searchVectorStore(input: $input) {\n      __typename\n      ... on SearchVectorStorePayload {\n        documents { score file { id name } version { number } chunks { text score chunkIndex startOffset endOffset page } }\n      }\n      ... on Error { code message }\n    }\n  }\n"): (typeof documents)["\n  query Search($input: SearchVectorStoreInput!) {\n    searchVectorStore(input: $input) {\n      __typename\n      ... on SearchVectorStorePayload {\n        documents { score file { id name } version { number } chunks { text score chunkIndex startOffset endOffset page } }\n      }\n      ... on Error { code message }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription Progress($id: ID!) {\n    indexingProgress(vectorStoreId: $id) { status chunksDone chunksTotal error file { name } }\n  }\n"): (typeof documents)["\n  subscription Progress($id: ID!) {\n    indexingProgress(vectorStoreId: $id) { status chunksDone chunksTotal error file { name } }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;