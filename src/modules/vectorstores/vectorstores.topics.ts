export interface IndexingProgressPayload {
  tenantId: string;
  vectorStoreId: string;
  vectorStoreFileId: string;
  fileId: string;
  status: string;
  chunksDone: number;
  chunksTotal: number;
  error?: string;
}

export interface VectorStoreTopics {
  indexingProgress: IndexingProgressPayload;
}
