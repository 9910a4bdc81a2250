// DOCX and XLSX are zip archives, whose entries may inflate a thousand times over (a zip bomb) or number in the
// hundreds of thousands. Before a parser (mammoth, exceljs — both through JSZip) sees one, the archive is walked
// here the way JSZip walks it (end record, central directory, each entry's local header) and every entry inflated and
// counted: the bytes that really come out, not what its headers claim, and none of them kept.
import zlib from 'node:zlib';
import { ExtractionError } from '../../errors.js';

export interface ZipLimits {
  /** Inflated bytes of all entries together. */
  maxDecompressedBytes: number;
  maxZipEntries: number;
}

const SIG = { end: 0x06054b50, zip64Locator: 0x07064b50, zip64End: 0x06064b50, central: 0x02014b50, local: 0x04034b50 };
const STORED = 0;
const DEFLATED = 8;
const MAX_COMMENT = 0xffff;

interface Entry {
  method: number;
  compressedSize: number;
  declaredSize: number;
  localOffset: number;
}

const mib = (bytes: number) => `${Math.round((bytes / 1024 / 1024) * 10) / 10} MiB`;

const tooLarge = (limit: number) =>
  new ExtractionError(`The document inflates to more than ${mib(limit)}`, 'DECOMPRESSED_TOO_LARGE');

/** Refuses an archive over the limits with an ExtractionError naming the limit; anything not a zip passes. */
export async function checkZip(bytes: Buffer, limits: ZipLimits): Promise<void> {
  const end = findEnd(bytes);
  if (!end) return; // not a zip at all: the parser will say so
  if (end.entries > limits.maxZipEntries) throw tooManyEntries(limits.maxZipEntries);
  const entries = centralDirectory(bytes, end, limits.maxZipEntries);
  // Honest headers are refused without inflating anything; lying ones are caught by counting.
  if (entries.reduce((sum, e) => sum + e.declaredSize, 0) > limits.maxDecompressedBytes) throw tooLarge(limits.maxDecompressedBytes);
  let total = 0;
  for (const entry of entries) {
    const data = entryData(bytes, entry, end.shift);
    if (!data) continue; // a broken entry: the parser fails on it if it needs it
    total += entry.method === DEFLATED ? await inflatedSize(data, limits.maxDecompressedBytes - total + 1) : data.length;
    if (total > limits.maxDecompressedBytes) throw tooLarge(limits.maxDecompressedBytes);
  }
}

function tooManyEntries(limit: number) {
  return new ExtractionError(`The document is an archive of more than ${limit} entries`, 'TOO_MANY_ENTRIES');
}

interface End {
  entries: number;
  directoryOffset: number;
  directorySize: number;
  /** Bytes before the archive proper (a prepended stub): offsets in the archive are off by this much. */
  shift: number;
}

/** The end of central directory record (its Zip64 form when the classic one overflows), searched from the end. */
function findEnd(bytes: Buffer): End | undefined {
  const last = bytes.length - 22;
  for (let pos = last; pos >= Math.max(0, last - MAX_COMMENT); pos -= 1) {
    if (bytes.readUInt32LE(pos) !== SIG.end) continue;
    let entries = bytes.readUInt16LE(pos + 10);
    let directorySize = bytes.readUInt32LE(pos + 12);
    let directoryOffset = bytes.readUInt32LE(pos + 16);
    let recordStart = pos;
    const locator = pos - 20;
    if ((entries === 0xffff || directorySize === 0xffffffff || directoryOffset === 0xffffffff) && locator >= 0 && bytes.readUInt32LE(locator) === SIG.zip64Locator) {
      const at = Number(bytes.readBigUInt64LE(locator + 8));
      if (at + 56 <= bytes.length && bytes.readUInt32LE(at) === SIG.zip64End) {
        entries = Number(bytes.readBigUInt64LE(at + 32));
        directorySize = Number(bytes.readBigUInt64LE(at + 40));
        directoryOffset = Number(bytes.readBigUInt64LE(at + 48));
        recordStart = at;
      }
    }
    return { entries, directoryOffset, directorySize, shift: Math.max(0, recordStart - (directoryOffset + directorySize)) };
  }
  return undefined;
}

/** Every central directory record, as long as the signatures continue (JSZip reads them the same way). */
function centralDirectory(bytes: Buffer, end: End, maxEntries: number): Entry[] {
  const entries: Entry[] = [];
  let pos = end.directoryOffset + end.shift;
  if (pos + 4 > bytes.length || bytes.readUInt32LE(pos) !== SIG.central) pos = end.directoryOffset;
  while (pos + 46 <= bytes.length && bytes.readUInt32LE(pos) === SIG.central) {
    if (entries.length >= maxEntries) throw tooManyEntries(maxEntries);
    const nameLength = bytes.readUInt16LE(pos + 28);
    const extraLength = bytes.readUInt16LE(pos + 30);
    const commentLength = bytes.readUInt16LE(pos + 32);
    const entry: Entry = {
      method: bytes.readUInt16LE(pos + 10),
      compressedSize: bytes.readUInt32LE(pos + 20),
      declaredSize: bytes.readUInt32LE(pos + 24),
      localOffset: bytes.readUInt32LE(pos + 42),
    };
    readZip64Sizes(bytes.subarray(pos + 46 + nameLength, pos + 46 + nameLength + extraLength), entry);
    entries.push(entry);
    pos += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/** Sizes and offset that overflow 32 bits are in the Zip64 extra field, in this order, when they are 0xFFFFFFFF. */
function readZip64Sizes(extra: Buffer, entry: Entry) {
  for (let at = 0; at + 4 <= extra.length; ) {
    const id = extra.readUInt16LE(at);
    const size = extra.readUInt16LE(at + 2);
    if (id === 0x0001) {
      let field = at + 4;
      const next = () => {
        if (field + 8 > at + 4 + size || field + 8 > extra.length) return undefined;
        const value = Number(extra.readBigUInt64LE(field));
        field += 8;
        return value;
      };
      if (entry.declaredSize === 0xffffffff) entry.declaredSize = next() ?? entry.declaredSize;
      if (entry.compressedSize === 0xffffffff) entry.compressedSize = next() ?? entry.compressedSize;
      if (entry.localOffset === 0xffffffff) entry.localOffset = next() ?? entry.localOffset;
      return;
    }
    at += 4 + size;
  }
}

/** The entry's compressed bytes: after its local header (whose own name and extra lengths count). */
function entryData(bytes: Buffer, entry: Entry, shift: number): Buffer | undefined {
  if (entry.method !== STORED && entry.method !== DEFLATED) return undefined;
  for (const offset of [entry.localOffset + shift, entry.localOffset]) {
    if (offset + 30 > bytes.length || bytes.readUInt32LE(offset) !== SIG.local) continue;
    const start = offset + 30 + bytes.readUInt16LE(offset + 26) + bytes.readUInt16LE(offset + 28);
    return bytes.subarray(start, Math.min(bytes.length, start + entry.compressedSize));
  }
  return undefined;
}

/** Bytes that `data` inflates to, counting and discarding as they come; stops once `cap` is reached. */
function inflatedSize(data: Buffer, cap: number): Promise<number> {
  return new Promise((resolve) => {
    const inflate = zlib.createInflateRaw({ chunkSize: 64 * 1024 });
    let size = 0;
    inflate.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size >= cap) {
        inflate.destroy();
        resolve(size);
      }
    });
    inflate.on('end', () => resolve(size));
    // Corrupt deflate data: what came out counts; the parser fails on the entry if it reads it.
    inflate.on('error', () => resolve(size));
    inflate.on('close', () => resolve(size));
    inflate.end(data);
  });
}
