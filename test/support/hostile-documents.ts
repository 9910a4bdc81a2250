// Hostile documents, small on disk and huge once parsed: zip bombs (DOCX, XLSX, many entries), PDFs with pathological
// page trees, deep nesting, pathological CSV. Written byte by byte so they are made in milliseconds, and so the bytes
// are exactly what an attacker would send (no writer would produce them).
import zlib from 'node:zlib';

/** Content of one zip entry: fixed bytes, or `prefix + repeat × times + suffix` (deflated once, repeated as bytes). */
export type EntryContent = Buffer | string | { prefix: string; repeat: string; times: number; suffix: string };

interface Packed {
  compressed: Buffer;
  size: number;
  crc: number;
}

/**
 * Deflates `prefix + repeat × times + suffix` without materialising it: `repeat` is deflated once with a full flush
 * (byte-aligned blocks that refer to nothing before them), and those bytes are repeated — a valid deflate stream.
 */
function pack(content: EntryContent): Packed {
  if (typeof content === 'string' || Buffer.isBuffer(content)) {
    const data = Buffer.from(content);
    return { compressed: zlib.deflateRawSync(data), size: data.length, crc: zlib.crc32(data) };
  }
  const flush = { finishFlush: zlib.constants.Z_FULL_FLUSH, level: 9 };
  const prefix = Buffer.from(content.prefix);
  const unit = Buffer.from(content.repeat.repeat(Math.max(1, Math.floor(65_536 / content.repeat.length))));
  const units = Math.floor(content.times / (unit.length / content.repeat.length));
  const rest = Buffer.from(content.repeat.repeat(content.times - units * (unit.length / content.repeat.length)) + content.suffix);
  const unitDeflated = zlib.deflateRawSync(unit, flush);
  let crc = zlib.crc32(prefix);
  for (let i = 0; i < units; i += 1) crc = zlib.crc32(unit, crc);
  crc = zlib.crc32(rest, crc);
  const compressed = Buffer.concat([
    zlib.deflateRawSync(prefix, flush),
    Buffer.concat(Array.from({ length: units }, () => unitDeflated)),
    zlib.deflateRawSync(rest),
  ]);
  return { compressed, size: prefix.length + units * unit.length + rest.length, crc: crc >>> 0 };
}

export interface ZipOptions {
  /** The inflated size every header claims, instead of the true one (a lie readers must not believe). */
  declaredSize?: number;
}

/** A zip archive (deflated entries, no Zip64: every entry's inflated size must stay below 4 GiB). */
export function zip(entries: Record<string, EntryContent>, options: ZipOptions = {}): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, content] of Object.entries(entries)) {
    const packed = pack(content);
    const { compressed, crc } = packed;
    const size = options.declaredSize ?? packed.size;
    const nameBytes = Buffer.from(name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0, 6);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(0, 10);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(compressed.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    local.writeUInt16LE(0, 28);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(0, 12);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(compressed.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, compressed);
    centrals.push(central, nameBytes);
    offset += local.length + nameBytes.length + compressed.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Math.min(Object.keys(entries).length, 0xffff), 8);
  end.writeUInt16LE(Math.min(Object.keys(entries).length, 0xffff), 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

const W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

/** A DOCX whose word/document.xml inflates to about `bytes` bytes of paragraphs. */
export function docxBomb(bytes: number, options: ZipOptions = {}): Buffer {
  const paragraph = '<w:p><w:r><w:t>All work and no play makes Jack a dull boy.</w:t></w:r></w:p>';
  return zip({
    '[Content_Types].xml':
      '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
      '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
      '<Default Extension="xml" ContentType="application/xml"/>' +
      '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
    '_rels/.rels':
      '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
      `<Relationship Id="rId1" Type="${REL}/officeDocument" Target="word/document.xml"/></Relationships>`,
    'word/document.xml': {
      prefix: `<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="${W}"><w:body>`,
      repeat: paragraph,
      times: Math.ceil(bytes / paragraph.length),
      suffix: '</w:body></w:document>',
    },
  }, options);
}

/** An XLSX whose one sheet inflates to about `bytes` bytes of rows of numbers. */
export function xlsxBomb(bytes: number): Buffer {
  const row = '<row><c t="n"><v>1</v></c><c t="n"><v>2</v></c><c t="n"><v>3</v></c><c t="n"><v>4</v></c></row>';
  const ns = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
  return zip({
    '[Content_Types].xml':
      '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
      '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
      '<Default Extension="xml" ContentType="application/xml"/>' +
      '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>' +
      '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
    '_rels/.rels':
      '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
      `<Relationship Id="rId1" Type="${REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
    'xl/workbook.xml': `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="${ns}" xmlns:r="${REL}"><sheets><sheet name="Data" sheetId="1" r:id="rId1"/></sheets></workbook>`,
    'xl/_rels/workbook.xml.rels':
      '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
      `<Relationship Id="rId1" Type="${REL}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`,
    'xl/worksheets/sheet1.xml': {
      prefix: `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="${ns}"><sheetData>`,
      repeat: row,
      times: Math.ceil(bytes / row.length),
      suffix: '</sheetData></worksheet>',
    },
  });
}

/** A DOCX-shaped zip with `count` tiny entries. */
export function manyEntriesZip(count: number): Buffer {
  const entries: Record<string, EntryContent> = {};
  for (let i = 0; i < count; i += 1) entries[`word/media/part${i}.xml`] = '<x/>';
  return zip(entries);
}

/** A PDF assembled from numbered objects, with a correct cross-reference table. */
function pdf(objects: string[]): Buffer {
  let body = '%PDF-1.7\n%\xe2\xe3\xcf\xd3\n';
  const offsets: number[] = [];
  objects.forEach((object, i) => {
    offsets.push(Buffer.byteLength(body, 'latin1'));
    body += `${i + 1} 0 obj\n${object}\nendobj\n`;
  });
  const xref = Buffer.byteLength(body, 'latin1');
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  body += offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('');
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}

const PAGE_TEXT = (text: string) => {
  const stream = `BT /F1 12 Tf 72 720 Td (${text}) Tj ET`;
  return `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`;
};
const FONT = '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>';

/** A page tree whose /Kids name one page object `count` times (/Count says so too). */
export function pdfManyPageRefs(count: number): Buffer {
  const kids = Array.from({ length: count }, () => '3 0 R').join(' ');
  return pdf([
    '<< /Type /Catalog /Pages 2 0 R >>',
    `<< /Type /Pages /Kids [${kids}] /Count ${count} >>`,
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    PAGE_TEXT('The same page again'),
    FONT,
  ]);
}

/** A page tree that contains itself: /Kids names the /Pages node. */
export function pdfSelfReferencingTree(): Buffer {
  return pdf([
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R 2 0 R] /Count 3 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    PAGE_TEXT('Page one'),
    FONT,
  ]);
}

/** A PDF whose page tree is broken: /Kids names an object that is not a page. */
export function pdfCorruptTree(): Buffer {
  return pdf([
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R 4 0 R] /Count 2 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 5 0 R /Resources << /Font << /F1 6 0 R >> >> >>',
    '(not a page at all)',
    PAGE_TEXT('Page one'),
    FONT,
  ]);
}

/** A gzip file of `content` (deflated as zip entries are, never materialised). */
export function gzip(content: EntryContent): Buffer {
  const { compressed, size, crc } = pack(content);
  const header = Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff]);
  const trailer = Buffer.alloc(8);
  trailer.writeUInt32LE(crc, 0);
  trailer.writeUInt32LE(size % 2 ** 32, 4);
  return Buffer.concat([header, compressed, trailer]);
}

/** A gzipped sitemap that inflates to about `bytes` bytes (of comments: a valid, empty urlset). */
export function sitemapBomb(bytes: number): Buffer {
  const padding = '<!-- nothing but padding in this sitemap -->';
  return gzip({
    prefix: '<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
    repeat: padding,
    times: Math.ceil(bytes / padding.length),
    suffix: '</urlset>',
  });
}
