import { describe, expect, it } from 'vitest';
import { EmbedBatcher } from '../../src/modules/embedmodels/embed-batcher.js';

/** A fake remote model: vectors are [length of each text]; texts containing "bad" fail the whole request. */
function model() {
  const requests: string[][] = [];
  const send = async (_model: string, texts: string[]) => {
    requests.push(texts);
    if (texts.some((t) => t.includes('bad'))) throw new Error('refused');
    return texts.map((t) => [t.length]);
  };
  return { requests, batcher: new EmbedBatcher<string>(send, { lingerMs: 20 }) };
}

describe('embedding batched across files', () => {
  it('sends texts of concurrent callers for one model in one request, and gives each its own vectors back', async () => {
    const { requests, batcher } = model();
    const [a, b] = await Promise.all([batcher.embed('m', 'm', ['a', 'bb'], 64), batcher.embed('m', 'm', ['ccc'], 64)]);
    expect(requests).toEqual([['a', 'bb', 'ccc']]);
    expect(a).toEqual([[1], [2]]);
    expect(b).toEqual([[3]]);
  });

  it('sends a full batch at once, and keeps models apart', async () => {
    const { requests, batcher } = model();
    const started = performance.now();
    await Promise.all([batcher.embed('m', 'm', ['a', 'b'], 2), batcher.embed('n', 'n', ['c'], 64)]);
    expect(requests).toContainEqual(['a', 'b']);
    expect(requests).toContainEqual(['c']);
    expect(requests).toHaveLength(2);
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it('fails only the caller whose input the service refused', async () => {
    const { requests, batcher } = model();
    const results = await Promise.allSettled([batcher.embed('m', 'm', ['good'], 64), batcher.embed('m', 'm', ['bad'], 64)]);
    expect(results[0]).toEqual({ status: 'fulfilled', value: [[4]] });
    expect(results[1]).toMatchObject({ status: 'rejected', reason: { message: 'refused' } });
    expect(requests[0]).toEqual(['good', 'bad']); // together first, then one by one
    expect(requests.slice(1)).toEqual(expect.arrayContaining([['good'], ['bad']]));
  });
});
