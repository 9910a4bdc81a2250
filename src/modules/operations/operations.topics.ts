export interface OperationProgressPayload {
  tenantId: string;
  operationId: string;
}

export interface OperationTopics {
  operationProgress: OperationProgressPayload;
}
