// A live document's content (JSON) as Markdown for search and reading: a top-level `title` becomes the heading,
// object keys become sub-headings, strings paragraphs, arrays lists. Generic on purpose: documents have any shape.
const MAX_HEADING = 6;

export function renderMarkdown(content: unknown): string {
  const out: string[] = [];
  if (isObject(content) && typeof content.title === 'string' && content.title.trim()) {
    out.push(`# ${oneLine(content.title)}`);
    const { title: _title, ...rest } = content;
    renderObject(rest, 2, out);
  } else if (isObject(content)) {
    renderObject(content, 1, out);
  } else {
    renderValue(content, 1, out);
  }
  return `${out.join('\n\n').trim()}\n`;
}

function renderObject(object: Record<string, unknown>, level: number, out: string[]): void {
  for (const [key, value] of Object.entries(object)) {
    if (value === null || value === undefined || value === '') continue;
    out.push(`${'#'.repeat(Math.min(level, MAX_HEADING))} ${oneLine(key)}`);
    renderValue(value, level + 1, out);
  }
}

function renderValue(value: unknown, level: number, out: string[]): void {
  if (Array.isArray(value)) {
    const items = value.map((item) => (isObject(item) || Array.isArray(item) ? `- ${oneLine(JSON.stringify(item))}` : `- ${oneLine(String(item))}`));
    if (items.length) out.push(items.join('\n'));
  } else if (isObject(value)) {
    renderObject(value, level, out);
  } else if (value !== null && value !== undefined) {
    out.push(String(value).trim());
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim();
