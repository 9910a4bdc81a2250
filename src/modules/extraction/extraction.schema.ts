import { resolveArrayConnection } from '@pothos/plugin-relay';
import { ValidationError } from '../../errors.js';
import { builder, MAX_PAGE_SIZE } from '../../schema/builder.js';
import { FileVersionRef } from '../files/files.schema.js';

const Page = builder.objectRef<{ number: number; text: string }>('FileVersionPage').implement({
  fields: (t) => ({ number: t.exposeInt('number'), text: t.exposeString('text') }),
});

/** A span of a version's text; offsets past the end stop at it. */
function textSpan(text: string, start: number, end: number): string {
  if (start < 0 || end < 0) throw new ValidationError('start and end must not be negative', [{ path: ['start'], message: 'at least 0' }]);
  if (end < start) throw new ValidationError('end must not be before start', [{ path: ['end'], message: 'at least start' }]);
  return text.slice(start, end);
}

const versionSelect = { id: true, tenantId: true, sha256: true, mimeType: true, size: true } as const;

builder.prismaObjectFields(FileVersionRef, (t) => ({
  text: t.string({
    nullable: true,
    description:
      'Extracted text (computed once, then kept): null for types without text; a corrupt document is a field error ' +
      'with code EXTRACTION_FAILED',
    args: {
      start: t.arg.int({ description: 'From this offset (UTF-16 code units, as search highlights and chunk offsets count)' }),
      end: t.arg.int({ description: 'To this offset, exclusive' }),
      maxLength: t.arg.int({ description: 'Cut after this many characters' }),
    },
    select: versionSelect,
    resolve: async (v, args, ctx) => {
      const extracted = await ctx.services.texts.textOf(v);
      if (!extracted) return null;
      const text = textSpan(extracted.text, args.start ?? 0, args.end ?? extracted.text.length);
      return args.maxLength != null && args.maxLength >= 0 ? text.slice(0, args.maxLength) : text;
    },
  }),
  pages: t.connection({
    type: Page,
    nullable: true,
    description: 'PDF pages with their text, in order; null for other formats',
    select: versionSelect,
    resolve: async (v, args, ctx) => {
      if (v.mimeType !== 'application/pdf') return null;
      const extracted = await ctx.services.texts.textOf(v);
      if (!extracted?.pages) return null;
      const pages = extracted.pages.map((p) => ({ number: p.page, text: extracted.text.slice(p.start, p.end) }));
      return resolveArrayConnection({ args, maxSize: MAX_PAGE_SIZE, defaultSize: 20 }, pages);
    },
  }),
}));
