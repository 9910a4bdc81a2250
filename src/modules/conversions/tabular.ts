// Tables in and out: CSV (RFC 4180) and XLSX sheets read into rows; rows and JSON rendered as Markdown.
import JSZip from 'jszip';
import { Parser } from 'htmlparser2';
import { ExtractionError } from '../../errors.js';

export type Cell = string | number | boolean | null;

/** RFC 4180: quoted fields with "" escapes and line breaks, CRLF or LF rows. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let i = 0;
  const source = text.replace(/^\uFEFF/, '');
  while (i < source.length) {
    const c = source[i]!;
    if (quoted) {
      if (c === '"' && source[i + 1] === '"') {
        field += '"';
        i += 2;
        continue;
      }
      if (c === '"') quoted = false;
      else field += c;
      i += 1;
      continue;
    }
    if (c === '"' && field === '') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      if (c === '\r' && source[i + 1] === '\n') i += 1;
    } else field += c;
    i += 1;
  }
  if (quoted) throw new ExtractionError('The CSV has an unterminated quoted field');
  if (field !== '' || row.length) {
    row.push(field);
    rows.push(row);
  }
  return rows.filter((r) => !(r.length === 1 && r[0] === ''));
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
  const width = Math.max(...rows.map((r) => r.length));
  const line = (r: unknown[]) => `| ${Array.from({ length: width }, (_, i) => cellText(r[i])).join(' | ')} |`;
  return [line(rows[0]!), `| ${Array(width).fill('---').join(' | ')} |`, ...rows.slice(1).map(line)].join('\n');
}

export interface Sheet {
  name: string;
  rows: Cell[][];
}

function columnIndex(ref: string): number {
  const letters = /^[A-Z]+/.exec(ref)?.[0] ?? 'A';
  return [...letters].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0) - 1;
}

/** Cells of every sheet, in workbook order: shared and inline strings, numbers, booleans, formula results. */
export async function readXlsx(bytes: Buffer): Promise<Sheet[]> {
  let zip: JSZip;
  try {
    zip = await JSZip.loadAsync(bytes);
  } catch (error) {
    throw new ExtractionError(`The XLSX could not be read: ${(error as Error).message}`);
  }
  const workbook = await zip.file('xl/workbook.xml')?.async('string');
  if (!workbook) {
    const encrypted = zip.file('EncryptionInfo') ?? zip.file('EncryptedPackage');
    throw new ExtractionError(encrypted ? 'The XLSX is password-protected' : 'The XLSX has no workbook');
  }
  const rels = (await zip.file('xl/_rels/workbook.xml.rels')?.async('string')) ?? '';
  const targets = new Map<string, string>();
  xml(rels, (name, attrs) => {
    if (name === 'Relationship') targets.set(attrs.Id!, attrs.Target!.replace(/^\/?(xl\/)?/, 'xl/'));
  });
  const sheets: { name: string; path: string }[] = [];
  xml(workbook, (name, attrs) => {
    if (name === 'sheet') sheets.push({ name: attrs.name!, path: targets.get(attrs['r:id']!) ?? '' });
  });
  const shared: string[] = [];
  const sst = await zip.file('xl/sharedStrings.xml')?.async('string');
  if (sst) {
    let current: string | undefined;
    xml(
      sst,
      (name) => {
        if (name === 'si') current = '';
      },
      (text, path) => {
        if (current !== undefined && path.at(-1) === 't' && !path.includes('rPh')) current += text;
      },
      (name) => {
        if (name === 'si') {
          shared.push(current ?? '');
          current = undefined;
        }
      },
    );
  }
  const result: Sheet[] = [];
  for (const sheet of sheets) {
    const source = await zip.file(sheet.path)?.async('string');
    if (!source) continue;
    const rows: Cell[][] = [];
    let cell: { col: number; type: string; value: string } | undefined;
    let rowIndex = -1;
    xml(
      source,
      (name, attrs) => {
        if (name === 'row') rowIndex = Number(attrs.r ?? rowIndex + 2) - 1;
        if (name === 'c') cell = { col: columnIndex(attrs.r ?? 'A'), type: attrs.t ?? 'n', value: '' };
      },
      (text, path) => {
        if (cell && (path.at(-1) === 'v' || path.at(-1) === 't')) cell.value += text;
      },
      (name) => {
        if (name !== 'c' || !cell) return;
        const row = (rows[rowIndex] ??= []);
        row[cell.col] =
          cell.type === 's' ? (shared[Number(cell.value)] ?? '')
          : cell.type === 'b' ? cell.value === '1'
          : cell.type === 'str' || cell.type === 'inlineStr' || cell.type === 'e' ? cell.value
          : cell.value === '' ? null
          : Number(cell.value);
        cell = undefined;
      },
    );
    result.push({ name: sheet.name, rows: Array.from(rows, (r) => Array.from(r ?? [], (c) => c ?? null)) });
  }
  return result;
}

function xml(
  source: string,
  open: (name: string, attrs: Record<string, string>) => void,
  text?: (text: string, path: string[]) => void,
  close?: (name: string) => void,
) {
  const path: string[] = [];
  const local = (name: string) => name.replace(/^.*:/, '');
  const parser = new Parser(
    {
      onopentag(name, attrs) {
        path.push(local(name));
        open(local(name), attrs);
      },
      ontext(data) {
        text?.(data, path);
      },
      onclosetag(name) {
        path.pop();
        close?.(local(name));
      },
    },
    { xmlMode: true, decodeEntities: true },
  );
  parser.write(source);
  parser.end();
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
