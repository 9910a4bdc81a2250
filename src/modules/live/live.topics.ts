export interface LiveDocumentChangedPayload {
  tenantId: string;
  fileId: string;
  documentId: string;
  /** Automerge heads (hex change hashes) after the changes. */
  heads: string[];
  /** Paths that changed (up to three segments, dot-separated), coalesced over ~200 ms. */
  paths: string[];
  at: string;
}

export interface LiveTopics {
  liveDocumentChanged: LiveDocumentChangedPayload;
}
