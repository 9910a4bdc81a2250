// Extracted text of a version, computed once and kept (version_texts): FileVersion.text and .pages, and indexing.
import type { Readable } from 'node:stream';
import type { Prisma, PrismaClient } from '../../generated/prisma/client.js';
import { blobKeys, type BlobStore } from '../../infra/blobs/index.js';
import { UnsupportedTypeError } from '../../errors.js';
import type { ExtractedText, PageSpan } from './extraction.service.js';

export async function readAll(stream: Readable): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of stream) parts.push(chunk as Buffer);
  return Buffer.concat(parts);
}

export class TextService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly blobs: BlobStore,
  ) {}

  /** The version's bytes. */
  async bytesOf(version: { tenantId: string; sha256: string }): Promise<Buffer> {
    return readAll(await this.blobs.read(blobKeys.content(version.tenantId, version.sha256)));
  }

  /** Extracted text, from the cache or extracted now and cached; undefined for types without text. */
  async textOf(version: { id: string; tenantId: string; sha256: string; mimeType: string }): Promise<ExtractedText | undefined> {
    const cached = await this.prisma.versionText.findUnique({ where: { versionId: version.id } });
    if (cached) return { text: cached.text, pages: (cached.pages as unknown as PageSpan[] | null) ?? undefined };
    let extracted: ExtractedText;
    try {
      // Loaded on first use, like the converters: the parsers behind it are slow to load.
      const { extractText } = await import('./extraction.service.js');
      extracted = await extractText(await this.bytesOf(version), version.mimeType);
    } catch (error) {
      if (error instanceof UnsupportedTypeError) return undefined;
      throw error;
    }
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
    return extracted;
  }
}
