export type FileEventType = 'CREATED' | 'VERSIONED' | 'UPDATED' | 'DELETED';

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
