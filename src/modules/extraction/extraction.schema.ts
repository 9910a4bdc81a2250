import { resolveArrayConnection } from '@pothos/plugin-relay';
import { builder, MAX_PAGE_SIZE } from '../../schema/builder.js';
import { FileVersionRef } from '../files/files.schema.js';

const Page = builder.objectRef<{ number: number; text: string }>('FileVersionPage').implement({
  fields: (t) => ({ number: t.exposeInt('number'), text: t.exposeString('text') }),
});

const versionSelect = { id: true, tenantId: true, sha256: true, mimeType: true, size: true } as const;

builder.prismaObjectFields(FileVersionRef, (t) => ({
  text: t.string({
    nullable: true,
    description:
      'Extracted text (computed once, then kept): null for types without text; a corrupt document is a field error ' +
      'with code EXTRACTION_FAILED',
    args: { maxLength: t.arg.int({ description: 'Cut after this many characters' }) },
    select: versionSelect,
    resolve: async (v, args, ctx) => {
      const extracted = await ctx.services.texts.textOf(v);
      if (!extracted) return null;
      return args.maxLength != null && args.maxLength >= 0 ? extracted.text.slice(0, args.maxLength) : extracted.text;
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
