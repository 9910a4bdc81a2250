// Embedding batched across callers: indexing jobs of different files that embed at about the same time share
// requests to a remote model — full batches of the model's batchSize instead of one short request per file (the
// last batch of every file). Texts wait at most a few milliseconds for company; a full batch leaves at once.
//
// A request carrying several callers' texts that fails is retried per caller, so one file's bad input (a text the
// service refuses) fails that file only.

interface Waiting {
  texts: string[];
  resolve: (vectors: number[][]) => void;
  reject: (error: unknown) => void;
}

interface Pending<M> {
  model: M;
  callers: Waiting[];
  size: number;
  timer?: NodeJS.Timeout;
}

export class EmbedBatcher<M> {
  private readonly pending = new Map<string, Pending<M>>();

  constructor(
    /** Sends one combined request (which may itself split by batchSize). */
    private readonly send: (model: M, texts: string[]) => Promise<number[][]>,
    private readonly options: { lingerMs: number },
  ) {}

  /**
   * Embeds `texts`, possibly in one request with other callers' texts for the same key (a model and its settings;
   * the request goes out with the first caller's `model`).
   */
  embed(key: string, model: M, texts: string[], batchSize: number): Promise<number[][]> {
    if (texts.length === 0) return Promise.resolve([]);
    return new Promise((resolve, reject) => {
      let group = this.pending.get(key);
      if (!group) {
        group = { model, callers: [], size: 0 };
        this.pending.set(key, group);
      }
      group.callers.push({ texts, resolve, reject });
      group.size += texts.length;
      if (group.size >= batchSize) this.flush(key);
      else group.timer ??= setTimeout(() => this.flush(key), this.options.lingerMs);
    });
  }

  private flush(key: string): void {
    const group = this.pending.get(key);
    if (!group) return;
    this.pending.delete(key);
    if (group.timer) clearTimeout(group.timer);
    void this.run(group.model, group.callers);
  }

  private async run(model: M, callers: Waiting[]): Promise<void> {
    try {
      const vectors = await this.send(model, callers.flatMap((c) => c.texts));
      let offset = 0;
      for (const caller of callers) {
        caller.resolve(vectors.slice(offset, offset + caller.texts.length));
        offset += caller.texts.length;
      }
    } catch (error) {
      if (callers.length === 1) {
        callers[0]!.reject(error);
        return;
      }
      // Someone's input may be what failed: each caller on its own.
      await Promise.all(
        callers.map((caller) =>
          this.send(model, caller.texts).then(caller.resolve, caller.reject),
        ),
      );
    }
  }
}
