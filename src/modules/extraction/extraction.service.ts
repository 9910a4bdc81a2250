// Text out of documents: plain text, Markdown, HTML (main content), PDF (per page), DOCX, CSV and JSON.
// Indexing uses it now; format conversions reuse it. Runs in the extraction processes (extraction.worker.ts), under
// the limits it is given: archives, pages, nesting and output are checked here, before or while they cost.
import { createRequire } from 'node:module';
import path from 'node:path';
import { convert as htmlToText } from 'html-to-text';
import mammoth from 'mammoth';
import { ExtractionError, UnsupportedTypeError } from '../../errors.js';
import { asExtractionError, checkHtmlDepth, checkJsonDepth, checkOutput, maxOutputBytes, type ExtractionLimits } from './limits.js';
import { checkZip } from './zip-guard.js';

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

/** Without `limits` nothing is checked: callers on the server go through the Extractor, which passes them. */
export async function extractText(bytes: Buffer, mimeType: string, limits?: ExtractionLimits): Promise<ExtractedText> {
  const type = mimeType.split(';')[0]!.trim().toLowerCase();
  const extracted = await extractByType(bytes, type, limits);
  if (!extracted.text.trim()) throw new ExtractionError('The document contains no text');
  checkOutput(Buffer.byteLength(extracted.text), bytes.length, limits);
  return extracted;
}

async function extractByType(bytes: Buffer, type: string, limits?: ExtractionLimits): Promise<ExtractedText> {
  switch (type) {
    case 'text/plain':
    case 'text/markdown':
    case 'text/csv':
      return { text: decodeUtf8(bytes) };
    case 'application/json': {
      const source = decodeUtf8(bytes);
      checkJsonDepth(source, limits?.maxDepth);
      return { text: jsonText(source) };
    }
    case 'text/html': {
      const html = decodeUtf8(bytes);
      checkHtmlDepth(html, limits?.maxDepth);
      return { text: htmlMainText(html) };
    }
    case 'application/pdf':
      return pdfText(bytes, limits);
    case DOCX:
      return docxText(bytes, limits);
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

/** Text per page. The page count is checked before any page is read: pdf.js finds each page by walking the page
 *  tree from its root, so a flat tree naming one page 200,000 times costs quadratic time. */
async function pdfText(bytes: Buffer, limits?: ExtractionLimits): Promise<ExtractedText> {
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
    if (limits && document.numPages > limits.maxPdfPages) {
      throw new ExtractionError(`The PDF has ${document.numPages} pages; at most ${limits.maxPdfPages} are read`, 'TOO_MANY_PAGES');
    }
    const maxChars = limits ? maxOutputBytes(bytes.length, limits) : Infinity;
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
      if (text.length > maxChars) checkOutput(text.length, bytes.length, limits); // characters: at most its bytes
    }
    return { text, pages };
  } catch (error) {
    // A broken page tree (a kid that is no page, a cycle) shows only when the page is looked up.
    throw asExtractionError(error, 'The PDF could not be read');
  } finally {
    await loading.destroy();
  }
}

/** The archive is checked first (zip-guard.ts); images are never read: text is all that is wanted. */
async function docxText(bytes: Buffer, limits?: ExtractionLimits): Promise<ExtractedText> {
  if (limits) await checkZip(bytes, limits);
  try {
    const { value } = await mammoth.convertToHtml({ buffer: bytes }, { convertImage: mammoth.images.imgElement(async () => ({ src: '' })) });
    checkHtmlDepth(value, limits?.maxDepth);
    return { text: htmlMainText(value) };
  } catch (error) {
    throw asExtractionError(error, 'The DOCX could not be read');
  }
}
