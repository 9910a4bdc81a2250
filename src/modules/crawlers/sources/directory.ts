// Directory source: a tree under one of DOCSTORE_CRAWL_ROOTS. Symlinks are not followed (a link cannot lead out of
// the root); size + mtime (ns) is the change token, so unchanged files are not read again.
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import picomatch from 'picomatch';
import { TooLargeError } from '../../../errors.js';
import { stageStream } from '../../files/content.js';
import type { DirectorySettings } from '../data-source.js';
import { SourceError, type CrawlSource, type SourceContext, type SourceEntry } from './types.js';

const PAGE = 500;

export function matcher(include: string[], exclude: string[]): (relative: string) => boolean {
  const inc = include.length ? picomatch(include, { dot: true }) : () => true;
  const exc = exclude.length ? picomatch(exclude, { dot: true }) : () => false;
  return (relative) => inc(relative) && !exc(relative);
}

export function directorySource(settings: DirectorySettings, resolveRoot: () => Promise<string>): CrawlSource {
  const wanted = matcher(settings.include, settings.exclude);

  async function* walk(root: string, dir: string): AsyncGenerator<{ absolute: string; relative: string; stat: fs.BigIntStats }> {
    let names: fs.Dirent[];
    try {
      names = await fsp.readdir(dir, { withFileTypes: true });
    } catch (error) {
      throw new SourceError(`cannot read directory ${dir}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
    names.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of names) {
      const absolute = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        yield* walk(root, absolute);
      } else if (entry.isFile()) {
        const relative = path.relative(root, absolute).split(path.sep).join('/');
        if (!wanted(relative)) continue;
        const stat = await fsp.stat(absolute, { bigint: true }).catch(() => undefined);
        if (stat) yield { absolute, relative, stat };
      }
    }
  }

  function entry(absolute: string, relative: string, stat: fs.BigIntStats, context: SourceContext): SourceEntry {
    const fingerprint = `${stat.size}:${stat.mtimeNs}`;
    return {
      uri: absolute,
      name: path.basename(absolute),
      path: relative,
      fingerprint,
      async load() {
        if (stat.size > BigInt(context.maxBytes)) {
          return { kind: 'failed', message: `${stat.size} bytes is over the file size limit of ${context.maxBytes}` };
        }
        try {
          const staged = await stageStream(fs.createReadStream(absolute), context.maxBytes, absolute);
          return { kind: 'content', staged, validators: { fingerprint } };
        } catch (error) {
          const code = (error as NodeJS.ErrnoException).code;
          if (code === 'ENOENT') return { kind: 'gone', message: 'deleted while crawling' };
          if (error instanceof TooLargeError) return { kind: 'failed', message: error.message };
          return { kind: 'failed', message: `cannot read: ${code ?? (error as Error).message}` };
        }
      },
    };
  }

  return {
    async *entries(context) {
      const root = await resolveRoot().catch((error: unknown) => {
        throw new SourceError((error as Error).message);
      });
      // Listed whole before anything is read (a stat per file): the run knows its total from the start.
      const listed: SourceEntry[] = [];
      for await (const { absolute, relative, stat } of walk(root, root)) listed.push(entry(absolute, relative, stat, context));
      await context.total(listed.length);
      for (let i = 0; i < listed.length; i += PAGE) {
        if (i > 0 && context.stopped()) return;
        yield listed.slice(i, i + PAGE);
      }
    },
    complete: () => true,
    close: async () => undefined,
  };
}
