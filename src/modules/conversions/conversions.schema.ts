import { ExtractionError, NotFoundError, QuotaExceededError, UnsupportedConversionError, ValidationError } from '../../errors.js';
import { builder } from '../../schema/builder.js';
import { ConversionTarget, FileFormat, FileRef, FileVersionRef, tenantOf } from '../files/files.schema.js';
import { supportedConversions } from './formats.js';

const SupportedConversion = builder.objectRef<ReturnType<typeof supportedConversions>[number]>('SupportedConversion').implement({
  fields: (t) => ({
    from: t.field({ type: FileFormat, resolve: (c) => c.from }),
    to: t.field({ type: [ConversionTarget], resolve: (c) => c.to }),
  }),
});

builder.queryField('supportedConversions', (t) =>
  t.field({ type: [SupportedConversion], description: 'Which formats convertFile turns into which', resolve: supportedConversions }),
);

builder.relayMutationField(
  'convertFile',
  {
    inputFields: (t) => ({
      fileId: t.globalID({ required: true, for: FileRef }),
      versionId: t.globalID({ for: FileVersionRef, description: 'Default: the current version' }),
      to: t.field({ type: ConversionTarget, required: true }),
    }),
  },
  {
    authScopes: { key: 'FILES_WRITE' },
    description:
      'Converts a version into the next version of the same file (derivedFrom it). Small files convert at once; ' +
      'large ones return a QUEUED conversion that a job completes',
    errors: { types: [NotFoundError, ValidationError, UnsupportedConversionError, ExtractionError, QuotaExceededError] },
    resolve: async (_root, { input }, ctx) => ({
      conversion: await ctx.services.conversions.convertFile(tenantOf(ctx), {
        fileId: input.fileId.id,
        versionId: input.versionId?.id,
        to: input.to,
      }),
    }),
  },
  {
    outputFields: (t) => ({
      conversion: t.prismaField({
        type: 'Conversion',
        resolve: (query, r, _args, ctx) => ctx.prisma.conversion.findUniqueOrThrow({ ...query, where: { id: r.conversion.id } }),
      }),
      version: t.prismaField({
        type: 'FileVersion',
        nullable: true,
        description: 'The converted version (null while a job converts)',
        resolve: (query, r, _args, ctx) => ctx.prisma.conversion.findUniqueOrThrow({ where: { id: r.conversion.id } }).resultVersion(query),
      }),
    }),
  },
);
