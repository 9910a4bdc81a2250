// Format conversions as new versions: the result is the next version of the same file, derivedFrom the source
// version. Small sources convert inside the request; larger ones run as jobs whose status the Conversion shows.
import type { Config } from '../../config.js';
import type { OperationService } from '../operations/operations.service.js';
import { AppError, ExtractionError, NotFoundError } from '../../errors.js';
import type { Conversion, FileVersion, PrismaClient } from '../../generated/prisma/client.js';
import type { JobQueue } from '../../infra/jobs.js';
import type { Logger } from '../../logger.js';
import { isUuid, NIL_UUID } from '../../schema/global-id.js';
import { readAll, type TextService } from '../extraction/text.service.js';
import { stageBuffer, type ContentInput, type StagedContent } from '../files/content.js';
import type { FileService, FileWriteResult } from '../files/files.service.js';
import type { Converted } from './converters.js';
import { checkConversion } from './formats.js';
import type { ConversionTarget } from './formats.js';

export const CONVERT_QUEUE = 'convert-version';
const CONVERT_ATTEMPTS = 3;

const bytesOfStaged = async (staged: StagedContent) => staged.body ?? readAll(staged.open());

export class ConversionService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly files: FileService,
    private readonly texts: TextService,
    private readonly jobs: JobQueue,
    private readonly config: Pick<Config, 'convertInlineBytes'>,
    private readonly logger: Logger,
    private readonly operations: OperationService,
  ) {}

  /** A version of one of the tenant's live files (the current one when versionId is omitted). */
  private async requireVersion(tenantId: string, fileId: string, versionId?: string | null): Promise<FileVersion> {
    const file = await this.files.requireFile(tenantId, fileId);
    const id = versionId ?? file.currentVersion?.id;
    const version = id
      ? await this.prisma.fileVersion.findFirst({ where: { id: isUuid(id) ? id : NIL_UUID, fileId: file.id, tenantId } })
      : null;
    if (!version) throw new NotFoundError('FileVersion', versionId ?? undefined);
    return version;
  }

  async convertFile(tenantId: string, input: { fileId: string; versionId?: string | null; to: ConversionTarget }): Promise<Conversion> {
    const version = await this.requireVersion(tenantId, input.fileId, input.versionId);
    checkConversion(version.mimeType, input.to);
    if (Number(version.size) > this.config.convertInlineBytes) return this.enqueue(version, input.to);
    // Inline: a failure is the caller's typed error and leaves nothing behind.
    const converted = await this.texts.extractor.convert(this.sourceOf(version), version.mimeType, input.to, baseOf(version));
    return this.store(version, input.to, converted);
  }

  /**
   * createFileVersion with convertTo: the conversion is checked (and, for small content, done) before anything is
   * stored, so an unsupported pair or a corrupt document stores neither version.
   */
  async createVersionAndConvert(
    tenantId: string,
    input: ContentInput & { fileId: string; mimeType?: string | null; metadata?: unknown },
    to: ConversionTarget,
  ): Promise<FileWriteResult & { conversion: Conversion }> {
    let converted: Converted | undefined;
    const written = await this.files.createVersion(tenantId, input, async (source, staged) => {
      checkConversion(source.mimeType, to);
      if (staged.size <= this.config.convertInlineBytes) {
        converted = await this.texts.extractor.convert(await bytesOfStaged(staged), source.mimeType, to, { baseUrl: staged.sourceUrl });
      }
    });
    const original = await this.prisma.fileVersion.findUniqueOrThrow({ where: { id: written.versionId } });
    const conversion = converted ? await this.store(original, to, converted) : await this.enqueue(original, to);
    return { ...written, conversion };
  }

  /** A version's bytes, read only once the Extractor accepts their size. */
  private sourceOf(version: FileVersion) {
    return { size: Number(version.size), read: () => this.texts.bytesOf(version) };
  }

  /** A conversion done by a job: a CONVERT operation. */
  private async enqueue(version: FileVersion, to: ConversionTarget): Promise<Conversion> {
    const conversion = await this.prisma.$transaction(async (tx) => {
      const operation = await this.operations.create(tx, { tenantId: version.tenantId, type: 'CONVERT', fileId: version.fileId, config: { versionId: version.id, to } });
      return tx.conversion.create({
        data: { tenantId: version.tenantId, fileId: version.fileId, sourceVersionId: version.id, target: to, operationId: operation.id },
      });
    });
    await this.jobs.send(CONVERT_QUEUE, { conversionId: conversion.id }, { retryLimit: CONVERT_ATTEMPTS - 1, retryDelaySeconds: 2 });
    return conversion;
  }

  /** Stores converted bytes as the file's next version and records the conversion, in one transaction. */
  private async store(version: FileVersion, to: ConversionTarget, converted: Converted, conversionId?: string): Promise<Conversion> {
    const staged = stageBuffer(converted.body);
    const source = await this.files.sourceFrom(staged, converted.mimeType, `converted.${to.toLowerCase()}`);
    let conversion: Conversion | undefined;
    await this.files.addVersion(
      version.tenantId,
      version.fileId,
      source,
      {},
      async (tx, result) => {
        const data = { status: 'COMPLETED' as const, resultVersionId: result.versionId, finishedAt: new Date(), error: null, errorCode: null };
        conversion = conversionId
          ? await tx.conversion.update({ where: { id: conversionId }, data })
          : await tx.conversion.create({
              data: { tenantId: version.tenantId, fileId: version.fileId, sourceVersionId: version.id, target: to, ...data },
            });
      },
      { derivedFromId: version.id },
    );
    return conversion!;
  }

  /** The job: converts, or records why not. Unexpected failures are retried, then recorded. */
  async runJob(conversionId: string, retryCount: number): Promise<void> {
    // Claimed once: a duplicate job finds it taken. A retry (the previous attempt failed or its worker died) may
    // take it over from RUNNING.
    const { count } = await this.prisma.conversion.updateMany({
      where: { id: conversionId, status: { in: retryCount > 0 ? ['QUEUED', 'RUNNING'] : ['QUEUED'] } },
      data: { status: 'RUNNING' },
    });
    if (count === 0) return;
    const conversion = await this.prisma.conversion.findUniqueOrThrow({ where: { id: conversionId }, include: { sourceVersion: true } });
    if (conversion.operationId) await this.operations.started(conversion.operationId);
    try {
      const version = conversion.sourceVersion;
      const converted = await this.texts.extractor.convert(this.sourceOf(version), version.mimeType, conversion.target, baseOf(version));
      await this.store(version, conversion.target, converted, conversion.id);
    } catch (error) {
      // A document over a limit fails for good (FAILED with its reason); a busy extractor is tried again later.
      const permanent = error instanceof AppError && !(error instanceof ExtractionError && error.retryable);
      if (!permanent && retryCount + 1 < CONVERT_ATTEMPTS) throw error;
      this.logger.warn({ err: error, conversionId }, 'conversion failed');
      await this.prisma.conversion.update({
        where: { id: conversionId },
        data: {
          status: 'FAILED',
          error: (error as Error).message.slice(0, 2000),
          errorCode: permanent ? error.code : 'INTERNAL',
          finishedAt: new Date(),
        },
      });
    } finally {
      if (conversion.operationId) await this.operations.settle(conversion.operationId);
    }
  }

  /** A conversion job that will not run again although no attempt finished it (its last worker died mid-way). */
  async abandon(conversionId: string, reason: string): Promise<void> {
    await this.prisma.conversion.updateMany({
      where: { id: conversionId, status: { in: ['QUEUED', 'RUNNING'] } },
      data: { status: 'FAILED', error: `Conversion ${reason}`.slice(0, 2000), errorCode: 'INTERNAL', finishedAt: new Date() },
    });
    const conversion = await this.prisma.conversion.findUnique({ where: { id: conversionId }, select: { operationId: true } });
    if (conversion?.operationId) await this.operations.settle(conversion.operationId);
  }
}

/** Relative links in a document fetched from the web resolve against where it came from. */
const baseOf = (version: FileVersion) => ({ baseUrl: version.sourceUrl ?? undefined });
