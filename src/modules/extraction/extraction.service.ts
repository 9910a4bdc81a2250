// Text out of documents: plain text, Markdown, HTML (main content), PDF (per page), DOCX, CSV and JSON.
// Indexing uses it now; format conversions reuse it.
import { createRequire } from 'node:module';
import path from 'node:path';
import { convert as htmlToText } from 'html-to-text';
import mammoth from 'mammoth';
import { ExtractionError, UnsupportedTypeError } from '../../errors.js';

export { ExtractionError, UnsupportedTypeError };

export interface PageSpan {
  page: number;
  start: number;
  end: number;
}

export interface ExtractedText {
  text: string;
  /** For paged formats (PDF): where each page's text lies in `text`. */
  pages?: PageSpan[];
}

const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

const require = createRequire(import.meta.url);
const STANDARD_FONTS = path.join(path.dirname(require.resolve('pdfjs-dist/package.json')), 'standard_fonts') + path.sep;

export async function extractText(bytes: Buffer, mimeType: string): Promise<ExtractedText> {
  const type = mimeType.split(';')[0]!.trim().toLowerCase();
  const extracted = await extractByType(bytes, type);
  if (!extracted.text.trim()) throw new ExtractionError('The document contains no text');
  return extracted;
}

async function extractByType(bytes: Buffer, type: string): Promise<ExtractedText> {
  switch (type) {
    case 'text/plain':
    case 'text/markdown':
    case 'text/csv':
      return { text: decodeUtf8(bytes) };
    case 'application/json':
      return { text: jsonText(decodeUtf8(bytes)) };
    case 'text/html':
      return { text: htmlMainText(decodeUtf8(bytes)) };
    case 'application/pdf':
      return pdfText(bytes);
    case DOCX:
      return docxText(bytes);
    default:
      throw new UnsupportedTypeError(type);
  }
}

function decodeUtf8(bytes: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, '');
  } catch {
    throw new ExtractionError('The document is not valid UTF-8 text');
  }
}

function jsonText(source: string): string {
  try {
    return JSON.stringify(JSON.parse(source), null, 2);
  } catch (error) {
    throw new ExtractionError(`The document is not valid JSON: ${(error as Error).message}`);
  }
}

/** The page's main content: <main> or <article> when present, without navigation, scripts and boilerplate. */
export function htmlMainText(html: string): string {
  const hasMain = /<(main|article)[\s>]/i.test(html);
  return htmlToText(html, {
    wordwrap: false,
    ...(hasMain ? { baseElements: { selectors: ['main', 'article'], returnDomByDefault: false } } : {}),
    selectors: [
      { selector: 'nav', format: 'skip' },
      { selector: 'header', format: 'skip' },
      { selector: 'footer', format: 'skip' },
      { selector: 'aside', format: 'skip' },
      { selector: 'script', format: 'skip' },
      { selector: 'style', format: 'skip' },
      { selector: 'img', format: 'skip' },
      { selector: 'a', options: { ignoreHref: true } },
      { selector: 'h1', options: { uppercase: false } },
      { selector: 'h2', options: { uppercase: false } },
      { selector: 'h3', options: { uppercase: false } },
      { selector: 'h4', options: { uppercase: false } },
      { selector: 'table', format: 'dataTable', options: { uppercaseHeaderCells: false } },
    ],
  }).trim();
}

async function pdfText(bytes: Buffer): Promise<ExtractedText> {
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const loading = pdfjs.getDocument({ data: new Uint8Array(bytes), standardFontDataUrl: STANDARD_FONTS, verbosity: 0 });
  let document;
  try {
    document = await loading.promise;
  } catch (error) {
    await loading.destroy();
    const name = (error as Error).name;
    if (name === 'PasswordException') throw new ExtractionError('The PDF is password-protected');
    throw new ExtractionError(`The PDF could not be read: ${(error as Error).message}`);
  }
  try {
    const pages: PageSpan[] = [];
    let text = '';
    for (let number = 1; number <= document.numPages; number += 1) {
      const page = await document.getPage(number);
      const content = await page.getTextContent();
      const pageText = content.items
        .map((item) => ('str' in item ? item.str + (item.hasEOL ? '\n' : '') : ''))
        .join('')
        .trim();
      if (text) text += '\n\n';
      pages.push({ page: number, start: text.length, end: text.length + pageText.length });
      text += pageText;
      page.cleanup();
    }
    return { text, pages };
  } finally {
    await loading.destroy();
  }
}

async function docxText(bytes: Buffer): Promise<ExtractedText> {
  try {
    const { value } = await mammoth.convertToHtml({ buffer: bytes });
    return { text: htmlMainText(value) };
  } catch (error) {
    throw new ExtractionError(`The DOCX could not be read: ${(error as Error).message}`);
  }
}
