// The conversions themselves: bytes of one format in, bytes of the target format out. Pure functions of their
// input, so a conversion can run inline or in a job and give the same result. They run in the extraction processes
// (src/modules/extraction/extraction.worker.ts) under the limits they are given (see extraction/limits.ts).
import { convert as htmlToText } from 'html-to-text';
import mammoth from 'mammoth';
import { marked } from 'marked';
import { ExtractionError, UnsupportedConversionError } from '../../errors.js';
import { extractText, htmlMainText } from '../extraction/extraction.service.js';
import { asExtractionError, checkHtmlDepth, checkJsonDepth, checkOutput, type ExtractionLimits } from '../extraction/limits.js';
import { checkZip } from '../extraction/zip-guard.js';
import { checkConversion, describeSupported, TARGET_MIME, type ConversionTarget, type FileFormat } from './formats.js';
import { htmlToMarkdown } from './html-markdown.js';
import { jsonToMarkdown, markdownTable, parseCsv, readXlsx, rowsToObjects } from './tabular.js';

export interface Converted {
  body: Buffer;
  mimeType: string;
}

export interface ConvertOptions {
  /** The source document's URL, when known: relative links and images in HTML → Markdown are resolved against it. */
  baseUrl?: string;
  /** Without limits nothing is checked: callers on the server go through the Extractor, which passes them. */
  limits?: ExtractionLimits;
}

function utf8(bytes: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, '');
  } catch {
    throw new ExtractionError('The document is not valid UTF-8 text');
  }
}

const htmlDocument = (body: string, title = 'Document') =>
  `<!doctype html>\n<html><head><meta charset="utf-8"><title>${title}</title></head>\n<body>\n${body}\n</body></html>\n`;

async function docxHtml(bytes: Buffer, limits?: ExtractionLimits): Promise<string> {
  if (bytes.subarray(0, 8).equals(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]))) {
    throw new ExtractionError('The DOCX is password-protected (an encrypted OLE container)');
  }
  if (limits) await checkZip(bytes, limits);
  let html: string;
  try {
    html = (await mammoth.convertToHtml({ buffer: bytes })).value;
  } catch (error) {
    throw asExtractionError(error, 'The DOCX could not be read');
  }
  checkHtmlDepth(html, limits?.maxDepth);
  return html;
}

function parseJson(bytes: Buffer, limits?: ExtractionLimits): unknown {
  const source = utf8(bytes);
  checkJsonDepth(source, limits?.maxDepth);
  try {
    return JSON.parse(source);
  } catch (error) {
    throw new ExtractionError(`The document is not valid JSON: ${(error as Error).message}`);
  }
}

/** HTML to be rendered: UTF-8, and no deeper than the renderers can follow. */
function html(bytes: Buffer, limits?: ExtractionLimits): string {
  const source = utf8(bytes);
  checkHtmlDepth(source, limits?.maxDepth);
  return source;
}

async function sheetsOf(bytes: Buffer, format: 'CSV' | 'XLSX', limits?: ExtractionLimits) {
  if (format === 'CSV') return [{ name: 'Sheet1', rows: parseCsv(utf8(bytes)) }];
  if (limits) await checkZip(bytes, limits);
  const sheets = await readXlsx(bytes);
  if (sheets.length === 0) throw new ExtractionError('The workbook has no sheets');
  return sheets;
}

async function convertTo(bytes: Buffer, from: FileFormat, to: ConversionTarget, options: ConvertOptions): Promise<string> {
  const { limits } = options;
  switch (`${from}→${to}`) {
    case 'DOCX→HTML':
      return htmlDocument(await docxHtml(bytes, limits));
    case 'DOCX→MARKDOWN':
      return htmlToMarkdown(await docxHtml(bytes, limits), { baseUrl: options.baseUrl });
    case 'DOCX→TEXT':
      return htmlMainText(await docxHtml(bytes, limits)) + '\n';
    case 'HTML→MARKDOWN':
      return htmlToMarkdown(html(bytes, limits), { baseUrl: options.baseUrl });
    case 'HTML→TEXT':
      return htmlMainText(html(bytes, limits)) + '\n';
    case 'PDF→TEXT':
    case 'PDF→MARKDOWN': {
      const { text, pages = [] } = await extractText(bytes, 'application/pdf', limits);
      const pageTexts = pages.map((p) => text.slice(p.start, p.end).trim());
      // Page breaks stay: a form feed between pages in text (as pdftotext), a rule and a page marker in Markdown.
      if (to === 'TEXT') return pageTexts.join('\n\f') + '\n';
      return pageTexts.map((t, i) => `<!-- page ${i + 1} -->\n\n${t.replace(/\n(?!\n)/g, '  \n')}`).join('\n\n---\n\n') + '\n';
    }
    case 'MARKDOWN→HTML':
      return htmlDocument(await marked.parse(utf8(bytes), { gfm: true }));
    case 'MARKDOWN→TEXT':
      return htmlToText(await marked.parse(utf8(bytes), { gfm: true }), {
        wordwrap: false,
        selectors: [
          { selector: 'a', options: { ignoreHref: true } },
          ...['h1', 'h2', 'h3', 'h4', 'h5', 'h6'].map((h) => ({ selector: h, options: { uppercase: false } })),
          { selector: 'table', format: 'dataTable', options: { uppercaseHeaderCells: false } },
        ],
      }).trim() + '\n';
    case 'CSV→JSON':
    case 'XLSX→JSON': {
      const sheets = await sheetsOf(bytes, from as 'CSV' | 'XLSX', limits);
      const value = from === 'CSV' ? rowsToObjects(sheets[0]!.rows) : Object.fromEntries(sheets.map((s) => [s.name, rowsToObjects(s.rows)]));
      return JSON.stringify(value, null, 2) + '\n';
    }
    case 'CSV→MARKDOWN':
    case 'XLSX→MARKDOWN': {
      const sheets = await sheetsOf(bytes, from as 'CSV' | 'XLSX', limits);
      if (from === 'CSV') return markdownTable(sheets[0]!.rows) + '\n';
      return sheets.map((s) => `## ${s.name}\n\n${markdownTable(s.rows)}`).join('\n\n') + '\n';
    }
    case 'JSON→MARKDOWN':
      return jsonToMarkdown(parseJson(bytes, limits)) + '\n';
    default:
      throw new UnsupportedConversionError(from, to, describeSupported());
  }
}

export async function convert(bytes: Buffer, mimeType: string, to: ConversionTarget, options: ConvertOptions = {}): Promise<Converted> {
  const from = checkConversion(mimeType, to);
  let output: string;
  try {
    output = await convertTo(bytes, from, to, options);
  } catch (error) {
    throw asExtractionError(error);
  }
  if (!output.trim()) throw new ExtractionError('The conversion produced no content');
  checkOutput(output.length, bytes.length, options.limits); // characters: a lower bound of the bytes, cheap to know
  const body = Buffer.from(output, 'utf8');
  checkOutput(body.length, bytes.length, options.limits);
  return { body, mimeType: TARGET_MIME[to] };
}
