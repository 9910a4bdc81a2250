// Declared MIME types checked against what the bytes are (sniffed from their first bytes).

const TEXTUAL = /^(text\/|application\/(json|xml|yaml|x-yaml|javascript|x-ndjson|ld\+json|sql|graphql)$|.*\+(xml|json)$)/;

export const isTextual = (mime: string) => TEXTUAL.test(mime);

const ALIASES: Record<string, string> = {
  'image/jpg': 'image/jpeg',
  'application/x-pdf': 'application/pdf',
  'application/x-zip-compressed': 'application/zip',
  'audio/mp3': 'audio/mpeg',
};
const canonical = (mime: string) => ALIASES[mime] ?? mime;

/** Zip-based formats file-type may only see as a zip. */
const ZIP_BASED = /(openxmlformats|opendocument|epub\+zip|java-archive|vnd\.android|x-zip|\+zip$)/;

/**
 * Whether the declared type can describe the detected bytes. Text formats are told apart by intent, not bytes, so
 * any textual declaration fits textual bytes; unknown binary bytes fit any binary declaration.
 */
export function isCompatible(declared: string, detected: string): boolean {
  const d = canonical(declared);
  const s = canonical(detected);
  if (d === s) return true;
  if (isTextual(s)) return isTextual(d);
  if (s === 'application/octet-stream') return !isTextual(d);
  if (s === 'application/zip') return ZIP_BASED.test(d);
  return false;
}
