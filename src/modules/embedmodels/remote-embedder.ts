// Client for the OpenAI embeddings protocol (OpenAI, Ollama, vLLM, TEI, LM Studio…): batched, bounded in
// concurrency, retried with exponential backoff on 429 and 5xx.

export class EmbeddingRequestError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
  }
}

export interface RemoteModel {
  baseUrl: string;
  model: string;
  apiKey?: string;
  dimensions: number;
  batchSize: number;
}

export interface RemoteOptions {
  concurrency?: number;
  maxAttempts?: number;
  baseDelayMs?: number;
  timeoutMs?: number;
}

async function requestOnce(model: RemoteModel, input: string[], timeoutMs: number): Promise<number[][]> {
  let response: Response;
  try {
    response = await fetch(`${model.baseUrl.replace(/\/+$/, '')}/embeddings`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(model.apiKey ? { authorization: `Bearer ${model.apiKey}` } : {}),
      },
      body: JSON.stringify({ model: model.model, input, encoding_format: 'float' }),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    throw new EmbeddingRequestError(`embedding service unreachable: ${(error as Error).message}`, true);
  }
  if (!response.ok) {
    const detail = (await response.text().catch(() => '')).slice(0, 200);
    const retryable = response.status === 429 || response.status >= 500;
    throw new EmbeddingRequestError(`embedding service answered HTTP ${response.status}: ${detail}`, retryable);
  }
  const body = (await response.json().catch(() => null)) as { data?: { embedding?: unknown; index?: number }[] } | null;
  const data = body?.data;
  if (!Array.isArray(data) || data.length !== input.length) {
    throw new EmbeddingRequestError('embedding service returned a malformed response', false);
  }
  const ordered = [...data].sort((a, b) => (a.index ?? 0) - (b.index ?? 0));
  return ordered.map((item) => {
    const vector = item.embedding;
    if (!Array.isArray(vector) || vector.some((v) => typeof v !== 'number')) {
      throw new EmbeddingRequestError('embedding service returned a non-numeric embedding', false);
    }
    if (vector.length !== model.dimensions) {
      throw new EmbeddingRequestError(
        `embedding service returned ${vector.length} dimensions, the model is registered with ${model.dimensions}`,
        false,
      );
    }
    return vector as number[];
  });
}

async function withRetries<T>(fn: () => Promise<T>, maxAttempts: number, baseDelayMs: number): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await fn();
    } catch (error) {
      if (!(error instanceof EmbeddingRequestError) || !error.retryable || attempt >= maxAttempts) throw error;
      const delay = baseDelayMs * 2 ** (attempt - 1) * (0.5 + Math.random());
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}

export async function embedRemote(model: RemoteModel, texts: string[], options: RemoteOptions = {}): Promise<number[][]> {
  const { concurrency = 4, maxAttempts = 5, baseDelayMs = 250, timeoutMs = 60_000 } = options;
  const batches: string[][] = [];
  for (let i = 0; i < texts.length; i += model.batchSize) batches.push(texts.slice(i, i + model.batchSize));
  const results: number[][][] = new Array(batches.length);
  let next = 0;
  const worker = async () => {
    while (next < batches.length) {
      const index = next++;
      results[index] = await withRetries(() => requestOnce(model, batches[index]!, timeoutMs), maxAttempts, baseDelayMs);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, batches.length) }, worker));
  return results.flat();
}
