// HTML → Markdown (CommonMark + GFM tables, strikethrough and task lists) with turndown. The page's <main>/<article>
// when it has one; navigation, scripts, styles and forms are left out. Code blocks keep their language; links and
// images are resolved against the document's URL (and its <base href>) when known; script links are dropped.
//
// The HTML is first parsed with htmlparser2 (an iterative parser) to pick the content, prune what is left out,
// resolve URLs and cap the nesting depth — turndown and its DOM (domino) recurse once per level and overflow the
// stack somewhere past ~1,300 levels, and hostile pages nest 100,000 elements. Only then is it handed to turndown.
import { createRequire } from 'node:module';
import { Element, isTag, isText, type ChildNode, type ParentNode } from 'domhandler';
import { DomUtils, parseDocument } from 'htmlparser2';
import TurndownService from 'turndown';

export interface HtmlToMarkdownOptions {
  /** The document's own URL: relative links and images are resolved against it (and against its <base href>). */
  baseUrl?: string;
}

// The GFM plugin ships no types. Its table rules are not used (see `tableRules`): they pad cells, give header-less
// tables an empty header row instead of promoting the first row, and keep tables holding lists, headings or code
// as raw HTML — which would skip the link resolution and script-link filtering done here.
const { strikethrough, taskListItems } = createRequire(import.meta.url)('@joplin/turndown-plugin-gfm') as Record<
  'strikethrough' | 'taskListItems',
  TurndownService.Plugin
>;

const SKIP = new Set(['script', 'style', 'noscript', 'template', 'nav', 'head', 'svg', 'iframe', 'form', 'button']);
/** Deeper elements are flattened into their ancestor at this depth (text, images and line breaks are kept). */
export const MAX_DEPTH = 128;
const MAX_SPAN_WIDTH = 1000;
const BLOCK = new Set([
  'address', 'article', 'aside', 'blockquote', 'body', 'dd', 'details', 'div', 'dl', 'dt', 'figcaption', 'figure',
  'footer', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'header', 'hr', 'html', 'li', 'main', 'ol', 'p', 'pre', 'section',
  'summary', 'table', 'tbody', 'td', 'tfoot', 'th', 'thead', 'tr', 'ul',
]);

// ——— URLs ———

const UNSAFE_LINK = new Set(['javascript:', 'vbscript:', 'data:']);
const UNSAFE_IMAGE = new Set(['javascript:', 'vbscript:']);

/** The scheme an href would be given by a browser, lower-cased with its colon ('' when relative). */
function schemeOf(href: string): string {
  // Browsers ignore leading controls and spaces and every tab and newline inside ("java\tscript:"); all are skipped.
  let scheme = '';
  for (const c of href) {
    if (c <= ' ' || c === '\u007f') continue;
    if (c === ':') return scheme ? scheme.toLowerCase() + ':' : '';
    if (!(scheme ? /[a-z0-9+.-]/i : /[a-z]/i).test(c)) return '';
    scheme += c;
  }
  return '';
}

function parseUrl(href: string, base?: URL): URL | undefined {
  try {
    return new URL(href, base);
  } catch {
    return undefined;
  }
}

/** The base URL links resolve against: the document's <base href> resolved against its URL, else its URL. */
function documentBase(baseHref: string | undefined, baseUrl: string | undefined): URL | undefined {
  const fallback = baseUrl === undefined ? undefined : parseUrl(baseUrl.trim());
  if (baseHref !== undefined) {
    const resolved = parseUrl(baseHref.trim(), fallback);
    // As browsers do, a data: or javascript: base is ignored.
    if (resolved && !UNSAFE_LINK.has(resolved.protocol)) return resolved;
  }
  return fallback;
}

/** The URL to write for an href or src; undefined to drop it (a script or data link). */
function resolveUrl(raw: string, base: URL | undefined, unsafe: Set<string>): string | undefined {
  const href = raw.trim();
  const scheme = schemeOf(href);
  if (scheme) return unsafe.has(scheme) ? undefined : href; // absolute (or mailto:, tel:…): left as written
  if (!href || href.startsWith('#') || !base) return href;
  const url = parseUrl(href, base);
  if (!url) return href; // unparsable: left alone
  return unsafe.has(url.protocol) ? undefined : url.href;
}

// ——— Preparing the tree (iteratively: no recursion over the document's depth) ———

function setChildren(parent: ParentNode, children: ChildNode[]): void {
  parent.children = children;
  children.forEach((child, i) => {
    child.parent = parent;
    child.prev = children[i - 1] ?? null;
    child.next = children[i + 1] ?? null;
  });
}

/** Pre-order walk of the elements under `root`; `enter` returns false to skip an element's subtree. */
function walkElements(root: ParentNode, enter: (element: Element, depth: number) => boolean | void): void {
  const stack: Array<[ChildNode, number]> = root.children.map((c): [ChildNode, number] => [c, 1]).reverse();
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (!isTag(node) || enter(node, depth) === false) continue;
    for (let i = node.children.length - 1; i >= 0; i--) stack.push([node.children[i]!, depth + 1]);
  }
}

/** Replaces an element's subtree by its text, images and line breaks (a break where a block ended). */
function flatten(element: Element): void {
  const out: ChildNode[] = [];
  const lineBreak = () => {
    const last = out[out.length - 1];
    if (last && !(isTag(last) && last.name === 'br')) out.push(new Element('br', {}));
  };
  const BREAK = null;
  const stack: Array<ChildNode | typeof BREAK> = [...element.children].reverse();
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node === BREAK) lineBreak();
    else if (isText(node)) out.push(node);
    else if (isTag(node) && node.name === 'img') out.push(node);
    else if (isTag(node) && node.name === 'br') lineBreak();
    else if (isTag(node)) {
      if (BLOCK.has(node.name)) {
        lineBreak();
        stack.push(BREAK);
      }
      for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i]!);
    }
  }
  const last = out[out.length - 1];
  if (last && isTag(last) && last.name === 'br') out.pop();
  setChildren(element, out);
}

/** The content to convert, pruned, with resolved URLs and at most MAX_DEPTH levels deep, as HTML. */
function prepare(html: string, baseUrl: string | undefined): string {
  const document = parseDocument(html);

  let baseHref: string | undefined;
  walkElements(document, (element) => {
    if (baseHref !== undefined || element.name === 'template') return false;
    if (element.name === 'base' && element.attribs.href !== undefined) baseHref = element.attribs.href;
  });
  const base = documentBase(baseHref, baseUrl);

  // Drop what is left out (and comments, doctypes…), and find the content: the first <main> or <article>, else <body>.
  const keep = (node: ChildNode) => isText(node) || (isTag(node) && !SKIP.has(node.name));
  if (!document.children.every(keep)) setChildren(document, document.children.filter(keep));
  let main: Element | undefined;
  let body: Element | undefined;
  walkElements(document, (element) => {
    if (!element.children.every(keep)) setChildren(element, element.children.filter(keep));
    if (!main && (element.name === 'main' || element.name === 'article')) main = element;
    if (!body && element.name === 'body') body = element;
  });
  const root: ParentNode = main ?? body ?? document;

  walkElements(root, (element, depth) => {
    if (depth >= MAX_DEPTH && element.children.some(isTag)) flatten(element);
    const { attribs } = element;
    if (element.name === 'a' && attribs.href !== undefined) {
      const href = resolveUrl(attribs.href, base, UNSAFE_LINK);
      // A link to an anchor of this page leads nowhere once converted: only its text is kept.
      if (href === undefined || href.startsWith('#')) delete attribs.href;
      else attribs.href = href;
    } else if (element.name === 'img' && attribs.src !== undefined) {
      const src = resolveUrl(attribs.src, base, UNSAFE_IMAGE);
      if (src === undefined) delete attribs.src;
      else attribs.src = src;
    }
  });
  return DomUtils.getInnerHTML(root);
}

// ——— Turndown rules ———

const trimNewlines = (text: string) => text.replace(/^\n+/, '').replace(/\n+$/, '');
const isElementNode = (node: Node | null): node is HTMLElement => node?.nodeType === 1;
const childElements = (node: Node): HTMLElement[] => Array.from(node.childNodes).filter(isElementNode);

function escapeLinkDestination(destination: string): string {
  const escaped = destination.replace(/([<>()])/g, '\\$1');
  return /\s/.test(escaped) ? `<${escaped}>` : escaped;
}

const LANGUAGE_CLASS = /(?:^|\s)(?:lang|language|highlight-(?:text|source))-([\w#+.-]+)/i;

/** The language of a <pre>: language-x / lang-x or data-lang on its <code> or on itself, GitHub's highlight-source-x. */
function languageOf(pre: HTMLElement): string {
  const children = childElements(pre);
  const code = children.length === 1 && children[0]!.nodeName === 'CODE' ? children[0] : undefined;
  const parent = pre.parentElement;
  for (const element of [code, pre, parent?.nodeName === 'DIV' ? parent : undefined]) {
    if (!element) continue;
    const language =
      element.getAttribute('data-lang') ?? element.getAttribute('data-language') ?? LANGUAGE_CLASS.exec(element.getAttribute('class') ?? '')?.[1];
    if (language && /^[\w#+.-]+$/.test(language.trim())) return language.trim();
  }
  return '';
}

/** A <pre>'s text, <br>s as newlines. */
function preText(pre: HTMLElement): string {
  let text = '';
  const stack: Node[] = Array.from(pre.childNodes).reverse();
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.nodeType === 3) text += node.nodeValue ?? '';
    else if (node.nodeName === 'BR') text += '\n';
    else for (let i = node.childNodes.length - 1; i >= 0; i--) stack.push(node.childNodes[i]!);
  }
  return text;
}

const codeBlock: TurndownService.Rule = {
  filter: 'pre',
  replacement: (_content, node) => {
    const code = preText(node).replace(/\n$/, '');
    let fence = '```';
    for (const run of code.match(/^`{3,}/gm) ?? []) if (run.length >= fence.length) fence = '`'.repeat(run.length + 1);
    return `\n\n${fence}${languageOf(node)}\n${code}\n${fence}\n\n`;
  },
};

/** The position of each item of an ordered list, counted once per list (not once per item: lists can be long). */
const ordinals = new WeakMap<Node, Map<Node, number>>();
function ordinalOf(item: HTMLElement, list: HTMLElement): number {
  let positions = ordinals.get(list);
  if (!positions) {
    const start = Number.parseInt(list.getAttribute('start') ?? '', 10);
    positions = new Map(childElements(list).map((child, i) => [child, (Number.isFinite(start) ? start : 1) + i]));
    ordinals.set(list, positions);
  }
  return positions.get(item) ?? 1;
}

const listItem: TurndownService.Rule = {
  filter: 'li',
  replacement: (content, node) => {
    const parent = node.parentNode;
    const prefix = parent?.nodeName === 'OL' ? `${ordinalOf(node, parent as HTMLElement)}. ` : '- ';
    const paragraph = /\n$/.test(content);
    // A task list's checkbox comes out as "[x] " before the item's own leading space.
    const text = trimNewlines(content).replace(/^(\[[ x]\]) +/, '$1 ') + (paragraph ? '\n' : '');
    return prefix + text.replace(/\n(?!\n|$)/g, '\n' + ' '.repeat(prefix.length)) + (node.nextSibling ? '\n' : '');
  },
};

const heading: TurndownService.Rule = {
  filter: ['h1', 'h2', 'h3', 'h4', 'h5', 'h6'],
  replacement: (content, node) => {
    const text = content.replace(/\s*\n\s*/g, ' ').trim();
    return text ? `\n\n${'#'.repeat(Number(node.nodeName[1]))} ${text}\n\n` : '';
  },
};

const link: TurndownService.Rule = {
  filter: (node) => node.nodeName === 'A' && !!node.getAttribute('href'),
  replacement: (content, node) => {
    const text = content.replace(/\s*\n\s*/g, ' ').trim();
    if (!text) return '';
    const title = (node.getAttribute('title') ?? '').replace(/\s*\n\s*/g, ' ').replace(/"/g, '\\"');
    return `[${text}](${escapeLinkDestination(node.getAttribute('href')!)}${title ? ` "${title}"` : ''})`;
  },
};

/**
 * GFM tables, built from the DOM once the cells are converted: the header is the <thead> row, else the first row
 * (Word and mammoth write no <th>); a cell's blocks are joined on one line; a table inside a table becomes text.
 */
function tableRules(service: TurndownService): void {
  const converted = new WeakMap<Node, string>();
  const cellText = (cell: Node) => (converted.get(cell) ?? '').replace(/\s*\n+\s*/g, ' ').trim();
  service.addRule('tableCell', {
    filter: ['th', 'td', 'caption'],
    replacement: (content, node) => {
      converted.set(node, content);
      return content;
    },
  });
  service.addRule('table', {
    filter: 'table',
    replacement: (_content, table) => {
      const rows: Array<{ cells: string[]; head: boolean }> = [];
      let caption = '';
      const addRow = (tr: HTMLElement, head: boolean) => {
        const cells: string[] = [];
        for (const cell of childElements(tr)) {
          if (cell.nodeName !== 'TD' && cell.nodeName !== 'TH') continue;
          cells.push(cellText(cell).replace(/\|/g, '\\|'));
          // A merged cell keeps the next ones in their columns (up to a width of MAX_SPAN_WIDTH).
          const span = Number.parseInt(cell.getAttribute('colspan') ?? '1', 10) || 1;
          for (let i = 1; i < span && cells.length < MAX_SPAN_WIDTH; i++) cells.push('');
        }
        rows.push({ cells, head });
      };
      for (const child of childElements(table)) {
        if (child.nodeName === 'TR') addRow(child, false);
        else if (child.nodeName === 'CAPTION') caption = cellText(child);
        else if (['THEAD', 'TBODY', 'TFOOT'].includes(child.nodeName)) {
          for (const tr of childElements(child)) if (tr.nodeName === 'TR') addRow(tr, child.nodeName === 'THEAD');
        }
      }
      if (rows.length === 0) return caption ? `\n\n${caption}\n\n` : '';
      let ancestor = table.parentNode;
      while (ancestor && ancestor.nodeName !== 'TABLE') ancestor = ancestor.parentNode;
      if (ancestor) return ' ' + [caption, ...rows.flatMap((r) => r.cells)].filter(Boolean).join(' ') + ' ';

      const headerIndex = Math.max(0, rows.findIndex((r) => r.head));
      const width = rows.reduce((max, r) => Math.max(max, r.cells.length), 0);
      const line = (cells: string[]) => `| ${[...cells, ...Array<string>(width - cells.length).fill('')].join(' | ')} |`;
      const header = rows[headerIndex]!.cells;
      const body = rows.filter((_, i) => i !== headerIndex).map((r) => line(r.cells));
      const markdown = [line(header), line(Array<string>(width).fill('---')), ...body].join('\n');
      return `\n\n${caption ? caption + '\n\n' : ''}${markdown}\n\n`;
    },
  });
}

const service = new TurndownService({
  headingStyle: 'atx',
  hr: '---',
  bulletListMarker: '-',
  codeBlockStyle: 'fenced',
  emDelimiter: '*',
  strongDelimiter: '**',
  br: '  ',
});
service.use([strikethrough, taskListItems, tableRules]);
service.addRule('codeBlock', codeBlock);
service.addRule('listItem', listItem);
service.addRule('heading', heading);
service.addRule('link', link);

export function htmlToMarkdown(html: string, options: HtmlToMarkdownOptions = {}): string {
  const content = prepare(html, options.baseUrl);
  return (content.trim() ? service.turndown(content) : '').trim() + '\n';
}
