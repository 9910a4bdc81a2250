// Tables in and out: CSV (papaparse) and XLSX sheets (exceljs) read into rows; rows and JSON rendered as Markdown.
// Pure functions of their input bytes, so they can run in a worker with its own limits.
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import Papa from 'papaparse';
import { ExtractionError } from '../../errors.js';

export type Cell = string | number | boolean | null;

/** The delimiters a CSV may use, in order of preference when two split the sample equally well. */
const DELIMITERS = [',', '\t', ';', '|'] as const;

/**
 * The delimiter that splits the first rows most consistently: the share of rows as wide as the header first, then the
 * header's width. papaparse parses each candidate (so quoted fields count as one); its own guess is not used because
 * it prefers ',' for `x;y` files with decimal commas (`1,5;2,5`).
 */
function guessDelimiter(source: string): string {
  let best = { delimiter: ',', consistency: 0, width: 1 };
  for (const delimiter of DELIMITERS) {
    const rows = Papa.parse<string[]>(source, { delimiter, newline: '\n', preview: 20, skipEmptyLines: true }).data;
    const width = rows[0]?.length ?? 0;
    if (width < 2) continue;
    const consistency = rows.filter((r) => r.length === width).length / rows.length;
    if (consistency > best.consistency || (consistency === best.consistency && width > best.width)) best = { delimiter, consistency, width };
  }
  return best.delimiter;
}

/**
 * CSV as RFC 4180 (quoted fields with "" escapes and line breaks), delimited by ',', ';', tab or '|' — whichever fits
 * (see guessDelimiter). A BOM is dropped, CRLF and CR line breaks become LF (inside quoted fields too), empty lines
 * are skipped; an unterminated quoted field is an ExtractionError.
 */
export function parseCsv(text: string): string[][] {
  const source = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const { data, errors } = Papa.parse<string[]>(source, { delimiter: guessDelimiter(source), newline: '\n', skipEmptyLines: true });
  const unterminated = errors.find((e) => e.code === 'MissingQuotes');
  if (unterminated) {
    const line = source.slice(0, unterminated.index ?? 0).split('\n').length;
    throw new ExtractionError(`The CSV has an unterminated quoted field (opened on line ${line})`);
  }
  return data;
}

/** Header row → one object per following row. Duplicate or empty headers get a column number. */
export function rowsToObjects(rows: Cell[][]): Record<string, Cell>[] {
  if (rows.length === 0) return [];
  const seen = new Map<string, number>();
  const headers = rows[0]!.map((h, i) => {
    let name = String(h ?? '').trim() || `column${i + 1}`;
    const count = seen.get(name) ?? 0;
    seen.set(name, count + 1);
    if (count) name = `${name}_${count + 1}`;
    return name;
  });
  return rows.slice(1).map((r) => Object.fromEntries(headers.map((h, i) => [h, r[i] ?? null])));
}

const cellText = (value: unknown) =>
  (value === null || value === undefined ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value))
    .replace(/\|/g, '\\|')
    .replace(/\r?\n/g, '<br>');

export function markdownTable(rows: unknown[][]): string {
  if (rows.length === 0) return '';
  const width = rows.reduce((max, r) => Math.max(max, r.length), 0); // not Math.max(...rows): a spread of 200k rows overflows the stack
  const line = (r: unknown[]) => `| ${Array.from({ length: width }, (_, i) => cellText(r[i])).join(' | ')} |`;
  return [line(rows[0]!), `| ${Array(width).fill('---').join(' | ')} |`, ...rows.slice(1).map(line)].join('\n');
}

export interface Sheet {
  name: string;
  rows: Cell[][];
}

const DAY = 86_400_000;
/** Serial day numbers count from 1899-12-30 (1900 system) or 1904-01-01 (1904 system); 25569 is 1970-01-01. */
const UNIX_EPOCH = 25_569;
const SYSTEM_1904 = 1_462;
const OLE_CONTAINER = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);

/**
 * Whether a number format shows a date or time: d, m, y, h or s in any case, outside quoted text, escaped characters,
 * fill and padding (*x, _x) and [brackets] (colours, locales — but [h], [mm], [ss] elapsed time count). exceljs's own
 * test is case-sensitive (it misses `YYYY`) and counts a `b`. It also unescapes format codes when it reads them, so a
 * unit such as `0.0\\ \\k\\m` reaches us as `0.0 km` and is taken for a date, by both tests.
 */
export function isDateFormat(format: string | undefined): boolean {
  if (!format) return false;
  const bare = format.replace(/"[^"]*"|\\.|[_*].|\[(?![hms]+\])[^\]]*\]/gi, '');
  return /[dmyhs]/i.test(bare);
}

/**
 * A serial date as ISO 8601: 'YYYY-MM-DD' when it has no time of day, else the full UTC timestamp (Excel dates have no
 * zone). In the 1900 system the serials 1–59 lie before Excel's phantom 1900-02-29 (serial 60, read as 1900-02-28) and
 * move up a day. Negative serials and ones past 9999-12-31 are no dates (Excel shows ####): undefined.
 */
function serialToIso(serial: number, date1904: boolean): string | undefined {
  const leapBug = !date1904 && serial >= 1 && serial < 60 ? 1 : 0;
  const ms = Math.round((serial - UNIX_EPOCH + (date1904 ? SYSTEM_1904 : 0) + leapBug) * DAY);
  if (!(serial >= 0) || ms >= Date.UTC(10_000, 0, 1)) return undefined;
  const iso = new Date(ms).toISOString();
  return ms % DAY === 0 ? iso.slice(0, 10) : iso;
}

interface DateSystems {
  /** What the workbook declares. */
  date1904: boolean;
  /** What exceljs converted its Date values with (it reads only date1904="1", not "true"). */
  exceljs1904: boolean;
}

/** A cell value as a plain Cell: rich text and hyperlinks as their text, formulas as their cached result, errors as '#DIV/0!'. */
function plainValue(value: unknown, numFmt: string | undefined, systems: DateSystems): Cell {
  if (value === null || value === undefined) return null;
  if (value instanceof Date || typeof value === 'number') {
    const serial = value instanceof Date ? value.getTime() / DAY + UNIX_EPOCH - (systems.exceljs1904 ? SYSTEM_1904 : 0) : value;
    if (!Number.isFinite(serial)) return null;
    const iso = isDateFormat(numFmt) ? serialToIso(serial, systems.date1904) : undefined;
    // A number exceljs took for a date (a `b` in its format, or out of range) went through a millisecond Date.
    return iso ?? (value instanceof Date ? Math.round(serial * 1e8) / 1e8 : serial);
  }
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value !== 'object') return String(value);
  if ('richText' in value && Array.isArray(value.richText)) return value.richText.map((run: { text?: unknown }) => String(run.text ?? '')).join('');
  if ('error' in value) return String(value.error);
  if ('hyperlink' in value) return plainValue('text' in value ? value.text : value.hyperlink, undefined, systems);
  if ('formula' in value || 'sharedFormula' in value) return plainValue('result' in value ? value.result : null, numFmt, systems);
  return null;
}

/** Whether xl/workbook.xml declares the 1904 date system (an xsd:boolean: "1" or "true"). */
async function declares1904(bytes: Buffer): Promise<boolean> {
  const workbook = await (await JSZip.loadAsync(bytes)).file('xl/workbook.xml')?.async('string');
  if (workbook === undefined) throw new Error('it has no xl/workbook.xml');
  return /<(?:[\w.-]+:)?workbookPr\b[^>]*\bdate1904\s*=\s*["'](?:1|true)["']/.test(workbook);
}

/**
 * Cells of every sheet, in workbook order, read by exceljs: strings, numbers, booleans, formula results; dates (cells
 * with a date or time number format) as ISO 8601 strings in the workbook's date system; merged and empty cells null.
 */
export async function readXlsx(bytes: Buffer): Promise<Sheet[]> {
  if (bytes.subarray(0, 8).equals(OLE_CONTAINER)) {
    throw new ExtractionError('The XLSX is password-protected or a legacy binary workbook (an OLE container)');
  }
  const book = new ExcelJS.Workbook();
  let date1904: boolean;
  try {
    date1904 = await declares1904(bytes);
    // exceljs types its input as its own `Buffer` (an ArrayBuffer); it hands it to JSZip, which takes Node Buffers.
    await book.xlsx.load(bytes as unknown as ExcelJS.Buffer);
  } catch (error) {
    throw new ExtractionError(`The XLSX could not be read: ${(error as Error).message}`);
  }
  const systems: DateSystems = { date1904, exceljs1904: Boolean(book.properties.date1904) };
  return book.worksheets.map((sheet) => {
    const rows: Cell[][] = [];
    sheet.eachRow((row, rowNumber) => {
      const cells: Cell[] = (rows[rowNumber - 1] = []);
      row.eachCell((cell, column) => {
        cells[column - 1] = cell.type === ExcelJS.ValueType.Merge ? null : plainValue(cell.value, cell.numFmt, systems);
      });
    });
    return { name: sheet.name, rows: Array.from(rows, (r) => Array.from(r ?? [], (c) => c ?? null)) };
  });
}

/** JSON as Markdown: arrays of objects as tables, objects as nested lists, scalars as text. */
export function jsonToMarkdown(value: unknown, depth = 0): string {
  const indent = '  '.repeat(depth);
  if (Array.isArray(value)) {
    if (value.length && value.every((v) => v && typeof v === 'object' && !Array.isArray(v))) {
      const keys = [...new Set(value.flatMap((v) => Object.keys(v as object)))];
      return markdownTable([keys, ...value.map((v) => keys.map((k) => (v as Record<string, unknown>)[k]))]);
    }
    return value.map((v) => `${indent}- ${scalarOrNested(v, depth)}`).join('\n');
  }
  if (value && typeof value === 'object') {
    return Object.entries(value)
      .map(([k, v]) => `${indent}- **${k}**: ${scalarOrNested(v, depth)}`)
      .join('\n');
  }
  return cellText(value);
}

function scalarOrNested(value: unknown, depth: number): string {
  if (value && typeof value === 'object') {
    const nested = jsonToMarkdown(value, depth + 1);
    return nested.startsWith('|') ? `\n\n${nested.replace(/^/gm, '  '.repeat(depth + 1))}\n` : `\n${nested}`;
  }
  return cellText(value);
}
