import { UnsupportedConversionError } from '../../errors.js';
// Formats a version can be in, as the API names them, and the conversions between them.

export type FileFormat = 'MARKDOWN' | 'TEXT' | 'HTML' | 'JSON' | 'CSV' | 'PDF' | 'DOCX' | 'XLSX' | 'OTHER';
export type ConversionTarget = 'MARKDOWN' | 'TEXT' | 'HTML' | 'JSON';

export const DOCX_MIME = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
export const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const BY_MIME: Record<string, FileFormat> = {
  'text/markdown': 'MARKDOWN',
  'text/x-markdown': 'MARKDOWN',
  'text/plain': 'TEXT',
  'text/html': 'HTML',
  'application/xhtml+xml': 'HTML',
  'application/json': 'JSON',
  'text/csv': 'CSV',
  'application/pdf': 'PDF',
  [DOCX_MIME]: 'DOCX',
  [XLSX_MIME]: 'XLSX',
};

export function formatOf(mimeType: string): FileFormat {
  return BY_MIME[mimeType.split(';')[0]!.trim().toLowerCase()] ?? 'OTHER';
}

export const TARGET_MIME: Record<ConversionTarget, string> = {
  MARKDOWN: 'text/markdown',
  TEXT: 'text/plain',
  HTML: 'text/html',
  JSON: 'application/json',
};

/** What converts into what. */
export const CONVERSIONS: Partial<Record<FileFormat, ConversionTarget[]>> = {
  DOCX: ['MARKDOWN', 'HTML', 'TEXT'],
  HTML: ['MARKDOWN', 'TEXT'],
  PDF: ['TEXT', 'MARKDOWN'],
  MARKDOWN: ['HTML', 'TEXT'],
  CSV: ['JSON', 'MARKDOWN'],
  XLSX: ['JSON', 'MARKDOWN'],
  JSON: ['MARKDOWN'],
};

export const supportedConversions = () =>
  Object.entries(CONVERSIONS).map(([from, to]) => ({ from: from as FileFormat, to: to! }));

export function describeSupported(): string {
  return supportedConversions()
    .map((c) => `${c.from} → ${c.to.join(', ')}`)
    .join('; ');
}

/** The source format, when `to` is one it converts to; else an UnsupportedConversionError naming what is supported. */
export function checkConversion(mimeType: string, to: ConversionTarget): FileFormat {
  const from = formatOf(mimeType);
  if (!CONVERSIONS[from]?.includes(to)) throw new UnsupportedConversionError(from, to, describeSupported());
  return from;
}
