import { z } from 'zod';
import { ConflictError, EmbeddingFailedError, NotFoundError, ValidationError } from '../../errors.js';
import type { EmbedModel, Prisma, PrismaClient } from '../../generated/prisma/client.js';
import type { SecretBox } from '../../infra/secrets.js';
import { isUuid, NIL_UUID } from '../../schema/global-id.js';
import { EmbedBatcher } from './embed-batcher.js';
import { lexicalEmbedding } from './lexical-embedder.js';
import { embedRemote, EmbeddingRequestError, type EmbedderOutbound, type RemoteOptions } from './remote-embedder.js';
import { auditEffect } from '../../infra/audit-context.js';

export interface RegisterEmbedModelInput {
  name: string;
  baseUrl: string;
  model: string;
  dimensions: number;
  apiKey?: string | null;
  batchSize?: number | null;
  maxInputTokens?: number | null;
  description?: string | null;
}

const registerSchema = z.object({
  name: z.string().trim().min(1, 'must not be empty').max(200),
  baseUrl: z.url({ message: 'must be an http(s) URL' }),
  model: z.string().trim().min(1, 'must not be empty').max(500),
  dimensions: z.number().int().min(1).max(16_000, 'at most 16000 dimensions'),
  apiKey: z.string().min(1).max(4096).nullish(),
  batchSize: z.number().int().min(1).max(2048).nullish(),
  maxInputTokens: z.number().int().min(1).max(1_000_000).nullish(),
  description: z.string().max(2000).nullish(),
});

/** Models a tenant may use: the builtins and its own. */
export const usableModelWhere = (tenantId: string | undefined, id: string): Prisma.EmbedModelWhereInput => ({
  id: isUuid(id) ? id : NIL_UUID,
  OR: [{ tenantId: null }, ...(tenantId ? [{ tenantId }] : [])],
});

/** How long texts for a remote model wait for other files' texts to fill a batch. */
const EMBED_LINGER_MS = 5;

/** Remote query vectors remembered (most recently used kept), and for how long. */
const QUERY_VECTORS = 2000;
const QUERY_VECTOR_TTL_MS = 10 * 60_000;

/** A remote model's identity and settings: a row changed in any of them answers differently. */
const modelKey = (model: EmbedModel) =>
  [model.id, model.baseUrl, model.model, model.dimensions, model.batchSize, model.apiKeyEncrypted ?? ''].join('\u0000');

export class EmbedModelService {
  private readonly queryVectors = new Map<string, { vector: number[]; until: number }>();
  /** Remote requests shared by concurrent indexing jobs (embedding is batched across files). */
  private readonly batcher = new EmbedBatcher<EmbedModel>((model, texts) => this.embedNow(model, texts), { lingerMs: EMBED_LINGER_MS });

  constructor(
    private readonly prisma: PrismaClient,
    private readonly box: SecretBox,
    private readonly outbound: EmbedderOutbound,
    /** Retries of indexing and query requests (DOCSTORE_EMBED_MAX_ATTEMPTS, DOCSTORE_EMBED_RETRY_BASE_MS). */
    private readonly retries: Pick<RemoteOptions, 'maxAttempts' | 'baseDelayMs'> = {},
  ) {}

  async register(tenantId: string, input: RegisterEmbedModelInput): Promise<EmbedModel> {
    const parsed = registerSchema.safeParse(input);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new ValidationError(`${issue.path.join('.')} ${issue.message}`, parsed.error.issues.map((i) => ({ path: i.path.map(String), message: i.message })));
    }
    const data = parsed.data;
    const existing = await this.prisma.embedModel.findFirst({ where: { tenantId, name: data.name }, select: { id: true } });
    if (existing) throw new ConflictError(`A model named "${data.name}" is already registered`);
    // One real call proves the endpoint, the key and the dimensions before anything is stored. Its address is
    // checked where it connects (no separate look-up beforehand that DNS could answer differently).
    try {
      await embedRemote(
        { baseUrl: data.baseUrl, model: data.model, apiKey: data.apiKey ?? undefined, dimensions: data.dimensions, batchSize: 1 },
        ['Docstore checks that this model answers.'],
        this.outbound,
        { maxAttempts: 2 },
      );
    } catch (error) {
      if (error instanceof EmbeddingRequestError) {
        // A URL that may not be reached, or names no host, is the input's fault; the service misbehaving is not.
        if (error.outbound === 'url' || error.outbound === 'blocked' || error.outbound === 'dns') {
          const message = error.message.replace(/^embedding service [a-z ]+: /, '');
          throw new ValidationError(`baseUrl: ${message}`, [{ path: ['baseUrl'], message }]);
        }
        if (/dimensions/.test(error.message)) {
          throw new ValidationError(error.message, [{ path: ['dimensions'], message: error.message }]);
        }
        throw new EmbeddingFailedError(`The model did not answer the check: ${error.message}`);
      }
      throw error;
    }
    return this.prisma.$transaction(async (tx) => {
      const model = await tx.embedModel.create({
        data: {
          tenantId,
          name: data.name,
          provider: 'OPENAI_COMPATIBLE',
          baseUrl: data.baseUrl.replace(/\/+$/, ''),
          model: data.model,
          dimensions: data.dimensions,
          batchSize: data.batchSize ?? 64,
          maxInputTokens: data.maxInputTokens ?? 8192,
          description: data.description ?? null,
          apiKeyEncrypted: data.apiKey ? this.box.seal(data.apiKey) : null,
        },
      });
      await auditEffect(tx);
      return model;
    });
  }

  async delete(tenantId: string, id: string): Promise<{ deletedId: string }> {
    // Builtins have no tenant, so they are never found here and cannot be deleted.
    const model = isUuid(id) ? await this.prisma.embedModel.findFirst({ where: { id, tenantId }, select: { id: true } }) : null;
    if (!model) throw new NotFoundError('EmbedModel', id);
    const stores = await this.prisma.vectorStore.count({ where: { embedModelId: id } });
    if (stores > 0) throw new ConflictError(`The model is used by ${stores} vector store(s); delete them first`);
    await this.prisma.$transaction(async (tx) => {
      await tx.embedModel.delete({ where: { id } });
      await auditEffect(tx);
    });
    return { deletedId: id };
  }

  /**
   * A search query's vector; a model that cannot answer is an EmbeddingFailedError for the caller. A remote model's
   * answers are remembered for a while (the same query again — a user paging, a reindex validating both
   * generations — is not sent again), keyed by everything that shapes the answer.
   */
  async embedQuery(model: EmbedModel, query: string): Promise<number[]> {
    const key = model.provider === 'BUILTIN' ? undefined : `${modelKey(model)}\u0000${query}`;
    const remembered = key ? this.queryVectors.get(key) : undefined;
    if (remembered && remembered.until > Date.now()) {
      this.queryVectors.delete(key!); // most recently used last
      this.queryVectors.set(key!, remembered);
      return remembered.vector;
    }
    try {
      const vector = (await this.embed(model, [query]))[0]!;
      if (key) {
        this.queryVectors.set(key, { vector, until: Date.now() + QUERY_VECTOR_TTL_MS });
        if (this.queryVectors.size > QUERY_VECTORS) this.queryVectors.delete(this.queryVectors.keys().next().value!);
      }
      return vector;
    } catch (error) {
      if (error instanceof EmbeddingRequestError) throw new EmbeddingFailedError(`The model ${model.name} failed: ${error.message}`);
      throw error;
    }
  }

  async embed(model: EmbedModel, texts: string[]): Promise<number[][]> {
    if (model.provider === 'BUILTIN') return texts.map((t) => lexicalEmbedding(t, model.dimensions));
    return this.embedNow(model, texts);
  }

  /**
   * Embeds chunks for indexing: with a remote model, together with other files' chunks being embedded at the same
   * time (the batcher keys by the model row: one store's jobs share it).
   */
  async embedForIndexing(model: EmbedModel, texts: string[]): Promise<number[][]> {
    if (model.provider === 'BUILTIN') return this.embed(model, texts);
    // Same id and settings, same requests (a model row changed meanwhile is another key).
    return this.batcher.embed(modelKey(model), model, texts, model.batchSize);
  }

  private async embedNow(model: EmbedModel, texts: string[]): Promise<number[][]> {
    return embedRemote(
      {
        baseUrl: model.baseUrl!,
        model: model.model,
        apiKey: model.apiKeyEncrypted ? this.box.open(model.apiKeyEncrypted) : undefined,
        dimensions: model.dimensions,
        batchSize: model.batchSize,
      },
      texts,
      this.outbound,
      this.retries,
    );
  }
}
