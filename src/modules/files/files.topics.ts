/** DELETED: moved to the trash; RESTORED: back from it; PURGED: gone for good. */
export type FileEventType = 'CREATED' | 'VERSIONED' | 'UPDATED' | 'DELETED' | 'RESTORED' | 'PURGED';

export interface FileEventPayload {
  tenantId: string;
  type: FileEventType;
  fileId: string;
  versionId?: string;
  at: string;
}

export interface FileTopics {
  fileEvents: FileEventPayload;
}
