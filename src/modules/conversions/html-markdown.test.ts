import { describe, expect, it } from 'vitest';
import { htmlToMarkdown } from './html-markdown.js';

describe('htmlToMarkdown', () => {
  it('keeps the language of code blocks (language-x, lang-x, on <pre>, data-lang) and fences code holding ```', () => {
    const html = `<pre><code class="language-ts">const a: number = 1;</code></pre>
      <pre><code class="hljs lang-python">print(1)\n\n\nprint(2)</code></pre>
      <pre class="language-rust">fn main() {}</pre>
      <pre data-lang="ruby"><code>puts 1</code></pre>
      <div class="highlight highlight-source-shell"><pre>ls -l</pre></div>
      <pre><code>\`\`\`js\nx\n\`\`\`</code></pre>`;
    expect(htmlToMarkdown(html)).toBe(
      '```ts\nconst a: number = 1;\n```\n\n```python\nprint(1)\n\n\nprint(2)\n```\n\n```rust\nfn main() {}\n```\n\n' +
        '```ruby\nputs 1\n```\n\n```shell\nls -l\n```\n\n````\n```js\nx\n```\n````\n',
    );
  });

  it('resolves relative links and images against the document URL', () => {
    const html = `<p>See <a href="../guide/intro.html?x=1#setup">the guide</a>, <a href="//cdn.test/a b.pdf">the PDF</a>
      and <img src="img/chart.png" alt="Chart"> <img src="/logo.svg">.</p>`;
    expect(htmlToMarkdown(html, { baseUrl: 'https://docs.test/v2/start/page.html' })).toBe(
      'See [the guide](https://docs.test/v2/guide/intro.html?x=1#setup), [the PDF](https://cdn.test/a%20b.pdf) ' +
        'and ![Chart](https://docs.test/v2/start/img/chart.png) ![](https://docs.test/logo.svg).\n',
    );
  });

  it('leaves absolute, mailto: and unparsable URLs as written, and anchors of the page as text', () => {
    const html = `<p><a href="https://other.test/x">abs</a> <a href="mailto:ada@x.test">mail</a> <a href="http://[bad">bad</a>
      <a href="#top">top</a></p>`;
    expect(htmlToMarkdown(html, { baseUrl: 'https://docs.test/a/' })).toBe(
      '[abs](https://other.test/x) [mail](mailto:ada@x.test) [bad](http://[bad) top\n',
    );
  });

  it('leaves relative URLs relative without a document URL (or with an invalid one)', () => {
    const html = `<p><a href="../guide.html">guide</a> <img src="img/a.png" alt="A"></p>`;
    expect(htmlToMarkdown(html)).toBe('[guide](../guide.html) ![A](img/a.png)\n');
    expect(htmlToMarkdown(html, { baseUrl: 'not a url' })).toBe('[guide](../guide.html) ![A](img/a.png)\n');
  });

  it('honours <base href>: alone, over the document URL, and relative to it', () => {
    const page = (base: string) => `<html><head><base href="${base}"></head><body><p><a href="x.html">x</a> <img src="i.png" alt="i"></p></body></html>`;
    expect(htmlToMarkdown(page('https://cdn.test/assets/'))).toBe('[x](https://cdn.test/assets/x.html) ![i](https://cdn.test/assets/i.png)\n');
    expect(htmlToMarkdown(page('https://cdn.test/assets/'), { baseUrl: 'https://docs.test/a/b.html' })).toBe(
      '[x](https://cdn.test/assets/x.html) ![i](https://cdn.test/assets/i.png)\n',
    );
    expect(htmlToMarkdown(page('../shared/'), { baseUrl: 'https://docs.test/a/b.html' })).toBe(
      '[x](https://docs.test/shared/x.html) ![i](https://docs.test/shared/i.png)\n',
    );
    // A javascript: base is ignored, as browsers do.
    expect(htmlToMarkdown(page('javascript:alert(1)//'), { baseUrl: 'https://docs.test/a/b.html' })).toBe(
      '[x](https://docs.test/a/x.html) ![i](https://docs.test/a/i.png)\n',
    );
  });

  it('never writes javascript: (or vbscript:, data:) links: the link goes, its text stays', () => {
    const html = `<p><a href="javascript:alert(1)">one</a>, <a href=" JaVa&#x09;ScRiPt:alert(2)">two</a>,
      <a href="vbscript:msgbox">three</a>, <a href="data:text/html,<script>alert(3)</script>">four</a>
      <img src="javascript:alert(4)" alt="x"></p>`;
    for (const baseUrl of [undefined, 'https://docs.test/']) {
      const md = htmlToMarkdown(html, { baseUrl });
      expect(md).toBe('one, two, three, four\n');
      expect(md).not.toMatch(/script:|data:/i);
    }
  });

  it('makes the first row the header of a table without <th> (as Word writes them), one line per row, merged cells kept in their columns', () => {
    const html = `<table><tr><td><p>Owner</p></td><td><p>Goal</p></td><td>Due</td></tr>
      <tr><td><p>Ada</p><p>Lovelace</p></td><td>a | b</td><td>Q1</td></tr>
      <tr><td colspan="2">Both</td><td>Q3</td></tr><tr><td>Linus</td></tr></table>`;
    expect(htmlToMarkdown(html)).toBe(
      '| Owner | Goal | Due |\n| --- | --- | --- |\n| Ada Lovelace | a \\| b | Q1 |\n| Both |  | Q3 |\n| Linus |  |  |\n',
    );
    // A table inside a cell becomes text; a caption comes before its table.
    const nested = '<table><caption>Plan</caption><tr><th>k</th><th>v</th></tr><tr><td>a</td><td><table><tr><td>x</td><td>y</td></tr></table></td></tr></table>';
    expect(htmlToMarkdown(nested)).toBe('Plan\n\n| k | v |\n| --- | --- |\n| a | x y |\n');
  });

  it('nests lists with the indentation of their marker', () => {
    const html = `<ul><li>Search<ul><li>Vectors<ol start="3"><li>HNSW</li><li>Flat</li></ol></li></ul></li><li>Crawlers</li></ul>
      <ol><li>One</li><li><p>Two</p><p>More</p></li></ol>`;
    expect(htmlToMarkdown(html)).toBe('- Search\n  - Vectors\n    3. HNSW\n    4. Flat\n- Crawlers\n\n1. One\n2. Two\n\n   More\n');
  });

  it('converts deeply nested documents without overflowing the stack', () => {
    const depth = 20_000;
    const deep = `<main><h1>Deep</h1>${'<div>'.repeat(depth)}<p>bottom <a href="/x">text</a></p>${'</div>'.repeat(depth)}<p>after</p></main>`;
    expect(htmlToMarkdown(deep, { baseUrl: 'https://docs.test/' })).toBe('# Deep\n\nbottom text\n\nafter\n');
    // Unclosed tags nest too; what lies beyond the depth cap is kept as text, a line per block.
    const unclosed = '<body>' + Array.from({ length: 2_000 }, (_, i) => `<div><b>line ${i}`).join('');
    const md = htmlToMarkdown(unclosed);
    expect(md).toContain('line 0');
    expect(md).toContain('line 1999');
    const lists = '<ul><li>item'.repeat(1_000);
    expect(htmlToMarkdown(lists)).toMatch(/^- item\n {2}- item\n/);
  });
});
