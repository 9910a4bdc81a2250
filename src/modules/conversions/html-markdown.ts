// HTML → Markdown (CommonMark + GFM tables): headings, paragraphs, nested lists, tables, links, emphasis, code,
// quotes. The page's <main>/<article> when it has one; navigation, scripts and styles are left out.
import type { AnyNode, Element } from 'domhandler';
import { parseDocument } from 'htmlparser2';

const SKIP = new Set(['script', 'style', 'noscript', 'template', 'nav', 'head', 'svg', 'iframe', 'form', 'button']);
const BLOCK = new Set([
  'p', 'div', 'section', 'article', 'main', 'header', 'footer', 'aside', 'body', 'html', 'h1', 'h2', 'h3', 'h4', 'h5',
  'h6', 'ul', 'ol', 'li', 'table', 'pre', 'blockquote', 'hr', 'figure', 'figcaption', 'dl', 'dt', 'dd',
]);

const isElement = (node: AnyNode): node is Element => node.type === 'tag' || node.type === 'script' || node.type === 'style';

function escapeInline(text: string): string {
  return text.replace(/([\\`*_[\]])/g, '\\$1');
}

function inline(nodes: AnyNode[]): string {
  let out = '';
  for (const node of nodes) {
    if (node.type === 'text') {
      out += escapeInline((node as unknown as { data: string }).data.replace(/\s+/g, ' '));
      continue;
    }
    if (!isElement(node) || SKIP.has(node.name)) continue;
    const inner = () => inline(node.children).trim();
    switch (node.name) {
      case 'strong':
      case 'b': {
        const text = inner();
        out += text ? `**${text}**` : '';
        break;
      }
      case 'em':
      case 'i': {
        const text = inner();
        out += text ? `*${text}*` : '';
        break;
      }
      case 'code':
        out += '`' + textOf(node).replace(/`/g, '\\`') + '`';
        break;
      case 'br':
        out += '  \n';
        break;
      case 'a': {
        const text = inner();
        const href = node.attribs.href;
        out += href && !href.startsWith('#') && text ? `[${text}](${href.replace(/\)/g, '%29')})` : text;
        break;
      }
      case 'img':
        out += node.attribs.alt ? `![${escapeInline(node.attribs.alt)}](${node.attribs.src ?? ''})` : '';
        break;
      default:
        out += BLOCK.has(node.name) ? ` ${inner()} ` : inline(node.children);
    }
  }
  return out;
}

function textOf(node: AnyNode): string {
  if (node.type === 'text') return (node as unknown as { data: string }).data;
  return isElement(node) ? node.children.map(textOf).join('') : '';
}

const clean = (text: string) => text.replace(/[ \t]+/g, ' ').replace(/ *\n */g, '\n').trim();

function list(node: Element, depth: number): string {
  const ordered = node.name === 'ol';
  let index = Number(node.attribs.start ?? 1);
  const lines: string[] = [];
  for (const child of node.children) {
    if (!isElement(child) || child.name !== 'li') continue;
    const marker = ordered ? `${index++}.` : '-';
    const pad = ' '.repeat(marker.length + 1);
    const own = child.children.filter((c) => !(isElement(c) && (c.name === 'ul' || c.name === 'ol')));
    const nested = child.children.filter((c): c is Element => isElement(c) && (c.name === 'ul' || c.name === 'ol'));
    const text = clean(inline(own));
    lines.push(`${marker} ${text}`);
    for (const sub of nested) lines.push(list(sub, depth + 1).replace(/^/gm, pad));
  }
  return lines.join('\n');
}

function table(node: Element): string {
  const rows: string[][] = [];
  let headerRows = 0;
  const walk = (n: Element, inHead: boolean) => {
    for (const child of n.children) {
      if (!isElement(child)) continue;
      if (child.name === 'thead') walk(child, true);
      else if (child.name === 'tbody' || child.name === 'tfoot') walk(child, false);
      else if (child.name === 'tr') {
        const cells = child.children.filter((c): c is Element => isElement(c) && (c.name === 'td' || c.name === 'th'));
        rows.push(cells.map((c) => clean(blocks(c.children, 0).replace(/\n+/g, ' ')).replace(/\|/g, '\\|')));
        if (inHead || cells.every((c) => c.name === 'th')) headerRows = rows.length;
      }
    }
  };
  walk(node, false);
  if (rows.length === 0) return '';
  const width = Math.max(...rows.map((r) => r.length));
  const pad = (r: string[]) => [...r, ...Array(width - r.length).fill('')];
  // GFM needs a header row: the table's own, else its first row.
  const header = pad(rows[Math.max(0, headerRows - 1)]!);
  const body = rows.filter((_, i) => i !== Math.max(0, headerRows - 1)).map(pad);
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...body.map(line)].join('\n');
}

function blocks(nodes: AnyNode[], depth: number): string {
  const out: string[] = [];
  let run: AnyNode[] = [];
  const flush = () => {
    const text = clean(inline(run));
    if (text) out.push(text);
    run = [];
  };
  for (const node of nodes) {
    if (!isElement(node) || !BLOCK.has(node.name)) {
      if (!(isElement(node) && SKIP.has(node.name))) run.push(node);
      continue;
    }
    flush();
    const name = node.name;
    if (/^h[1-6]$/.test(name)) {
      const text = clean(inline(node.children));
      if (text) out.push(`${'#'.repeat(Number(name[1]))} ${text}`);
    } else if (name === 'ul' || name === 'ol') {
      out.push(list(node, depth));
    } else if (name === 'table') {
      out.push(table(node));
    } else if (name === 'pre') {
      out.push('```\n' + textOf(node).replace(/\n$/, '') + '\n```');
    } else if (name === 'blockquote') {
      out.push(blocks(node.children, depth).replace(/^/gm, '> '));
    } else if (name === 'hr') {
      out.push('---');
    } else if (name === 'p' || name === 'figcaption' || name === 'dt' || name === 'dd' || name === 'li') {
      const text = clean(inline(node.children));
      if (text) out.push(text);
    } else {
      out.push(blocks(node.children, depth));
    }
  }
  flush();
  return out.filter((b) => b.trim()).join('\n\n');
}

export function htmlToMarkdown(html: string): string {
  const document = parseDocument(html);
  const find = (nodes: AnyNode[], names: string[]): Element | undefined => {
    for (const node of nodes) {
      if (!isElement(node)) continue;
      if (names.includes(node.name)) return node;
      const found = find(node.children, names);
      if (found) return found;
    }
    return undefined;
  };
  const root = find(document.children, ['main', 'article']) ?? find(document.children, ['body']);
  const markdown = blocks(root ? root.children : document.children, 0);
  return markdown.replace(/\n{3,}/g, '\n\n').trim() + '\n';
}
