// What reading one document may cost, checked by the readers themselves (extraction.service.ts, converters.ts) as
// early as the document allows: nesting before a recursive parser sees it, the output as it grows. Time and memory
// are the worker pool's (src/infra/worker-pool.ts); the values come from config.extraction.limits.
import { Parser } from 'htmlparser2';
import type { Config } from '../../config.js';
import { AppError, ExtractionError } from '../../errors.js';

export type ExtractionLimits = Config['extraction']['limits'];

/** Small documents may grow this much whatever the ratio (a one-line CSV into a table, a tiny PDF's text). */
export const OUTPUT_FLOOR_BYTES = 16 * 1024 * 1024;

export const maxOutputBytes = (inputBytes: number, limits: Pick<ExtractionLimits, 'maxOutputRatio'>) =>
  Math.max(OUTPUT_FLOOR_BYTES, limits.maxOutputRatio * inputBytes);

/** Refuses output (bytes, or characters as a lower bound while it grows) beyond what its input may give. */
export function checkOutput(outputBytes: number, inputBytes: number, limits: Pick<ExtractionLimits, 'maxOutputRatio'> | undefined) {
  if (!limits) return;
  const max = maxOutputBytes(inputBytes, limits);
  if (outputBytes > max) {
    throw new ExtractionError(`The document's text or conversion would be larger than ${max} bytes`, 'OUTPUT_TOO_LARGE');
  }
}

const tooDeep = (what: string, maxDepth: number) =>
  new ExtractionError(`The document nests ${what} more than ${maxDepth} levels deep`, 'TOO_DEEP');

/**
 * HTML nested deeper than maxDepth elements: the renderers (html-to-text, turndown) recurse per level and overflow
 * the stack or crawl. Counted by htmlparser2's streaming parser, which closes implied and void elements as the DOM
 * would and keeps no tree.
 */
export function checkHtmlDepth(html: string, maxDepth: number | undefined) {
  if (maxDepth === undefined) return;
  let depth = 0;
  const parser = new Parser({
    onopentag() {
      depth += 1;
      if (depth > maxDepth) throw tooDeep('elements', maxDepth);
    },
    onclosetag() {
      depth -= 1;
    },
  });
  parser.write(html);
  parser.end();
}

/** JSON arrays and objects nested deeper than maxDepth: JSON.parse and the Markdown renderer recurse per level. */
export function checkJsonDepth(text: string, maxDepth: number | undefined) {
  if (maxDepth === undefined) return;
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i += 1; // a backslash escapes the next character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x5b || c === 0x7b) {
      depth += 1;
      if (depth > maxDepth) throw tooDeep('arrays and objects', maxDepth);
    } else if (c === 0x5d || c === 0x7d) {
      depth -= 1;
    }
  }
}

/**
 * What a parser's own failure means, when it is not an ExtractionError already: a stack overflow is nesting too deep
 * for it (Markdown lists, DOCX XML), a string or array past V8's maximum is output too large; anything else is a
 * document it cannot read.
 */
export function asExtractionError(error: unknown, what = 'The document could not be read'): Error {
  if (error instanceof AppError) return error;
  const message = error instanceof Error ? error.message : String(error);
  if (/Maximum call stack size exceeded/.test(message)) return new ExtractionError('The document is nested too deeply to read', 'TOO_DEEP');
  if (/Invalid string length|Invalid array length|Invalid typed array length/.test(message)) {
    return new ExtractionError('The document\'s text or conversion is larger than a string can be', 'OUTPUT_TOO_LARGE');
  }
  if (/allocation failed/i.test(message)) return new ExtractionError('The document needs more memory than it may use', 'MEMORY');
  return new ExtractionError(`${what}: ${message.slice(0, 500)}`);
}
