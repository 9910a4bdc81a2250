// Extracted text of a version, computed once and kept (version_texts): FileVersion.text and .pages, and indexing.
// The work itself is the Extractor's (extraction processes, limits).
import type { Readable } from 'node:stream';
import type { Prisma, PrismaClient } from '../../generated/prisma/client.js';
import { blobKeys, type BlobStore } from '../../infra/blobs/index.js';
import { UnsupportedTypeError } from '../../errors.js';
import type { ChunkOptions, TextChunk } from './chunker.js';
import type { ExtractedText, PageSpan } from './extraction.service.js';
import type { Extractor } from './extractor.js';

export async function readAll(stream: Readable): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of stream) parts.push(chunk as Buffer);
  return Buffer.concat(parts);
}

export class TextService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly blobs: BlobStore,
    readonly extractor: Extractor,
  ) {}

  /** The version's bytes. */
  async bytesOf(version: { tenantId: string; sha256: string }): Promise<Buffer> {
    return readAll(await this.blobs.read(blobKeys.content(version.tenantId, version.sha256)));
  }

  /** Extracted text, from the cache or extracted now and cached; undefined for types without text. */
  async textOf(version: { id: string; tenantId: string; sha256: string; mimeType: string; size: bigint | number }): Promise<ExtractedText | undefined> {
    const cached = await this.prisma.versionText.findUnique({ where: { versionId: version.id } });
    if (cached) return { text: cached.text, pages: (cached.pages as unknown as PageSpan[] | null) ?? undefined };
    let extracted: ExtractedText;
    try {
      extracted = await this.extractor.extractText({ size: Number(version.size), read: () => this.bytesOf(version) }, version.mimeType);
    } catch (error) {
      if (error instanceof UnsupportedTypeError) return undefined;
      throw error;
    }
    await this.cacheText(version, extracted);
    return extracted;
  }

  /**
   * A version's text in token-aware chunks (undefined for types without text). Text not extracted yet is extracted
   * and chunked in one task, and cached as textOf does.
   */
  async chunksOf(
    version: { id: string; tenantId: string; sha256: string; mimeType: string; size: bigint | number },
    options: Omit<ChunkOptions, 'pages'>,
  ): Promise<TextChunk[] | undefined> {
    const cached = await this.prisma.versionText.findUnique({ where: { versionId: version.id } });
    if (cached) return this.chunks(cached.text, { ...options, pages: (cached.pages as unknown as PageSpan[] | null) ?? undefined });
    let result: { extracted: ExtractedText; chunks: TextChunk[] };
    try {
      result = await this.extractor.extractChunks({ size: Number(version.size), read: () => this.bytesOf(version) }, version.mimeType, options);
    } catch (error) {
      if (error instanceof UnsupportedTypeError) return undefined;
      throw error;
    }
    await this.cacheText(version, result.extracted);
    return result.chunks;
  }

  private async cacheText(version: { id: string; tenantId: string }, extracted: ExtractedText): Promise<void> {
    await this.prisma.versionText.createMany({
      data: [
        {
          versionId: version.id,
          tenantId: version.tenantId,
          text: extracted.text,
          pages: (extracted.pages ?? undefined) as unknown as Prisma.InputJsonValue | undefined,
        },
      ],
      skipDuplicates: true,
    });
  }

  /** Extracted text in token-aware chunks, as a vector store asks for them. */
  chunks(text: string, options: ChunkOptions): Promise<TextChunk[]> {
    return this.extractor.chunkText(text, options);
  }
}
