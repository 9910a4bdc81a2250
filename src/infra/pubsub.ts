// Events cross processes through Postgres NOTIFY in both modes: PGlite delivers NOTIFY to its own process, the
// server to every listening process. Payloads carry ids only (NOTIFY caps them at 8000 bytes); subscribers
// re-fetch what they show.
import { Repeater } from 'graphql-yoga';
import type { Logger } from '../logger.js';
import type { SqlDriver } from './db.js';

export interface EventBus<Topics extends object> {
  publish<T extends keyof Topics & string>(topic: T, payload: Topics[T]): Promise<void>;
  subscribe<T extends keyof Topics & string>(topic: T, accept?: (payload: Topics[T]) => boolean): AsyncIterable<Topics[T]>;
  /**
   * subscribe(), listening already when it resolves: what a subscription reads after this (a snapshot) cannot miss
   * an event published meanwhile, and a client whose stream has started knows it hears every event from then on.
   * The caller must iterate it to its end or return() it (that stops listening).
   */
  listen<T extends keyof Topics & string>(topic: T, accept?: (payload: Topics[T]) => boolean): Promise<AsyncIterableIterator<Topics[T]>>;
}

const channelOf = (topic: string) => `docstore_${topic.replace(/[^a-z0-9_]/gi, '_').toLowerCase()}`;

export function createEventBus<Topics extends object>(sql: SqlDriver, logger: Logger): EventBus<Topics> {
  const parser =
    <P>(topic: string, accept: ((payload: P) => boolean) | undefined, deliver: (payload: P) => void) =>
    (raw: string) => {
      try {
        const payload = JSON.parse(raw) as P;
        if (!accept || accept(payload)) deliver(payload);
      } catch (error) {
        logger.warn({ err: error, topic }, 'dropped a malformed event');
      }
    };
  return {
    async publish(topic, payload) {
      await sql.query('SELECT pg_notify($1, $2)', [channelOf(topic), JSON.stringify(payload)]);
    },
    subscribe(topic, accept) {
      return new Repeater<Topics[typeof topic]>(async (push, stop) => {
        const unlisten = await sql.listen(channelOf(topic), parser(topic, accept, (payload) => void push(payload)));
        await stop;
        await unlisten();
      });
    },
    async listen(topic, accept) {
      const early: Topics[typeof topic][] = [];
      let deliver = (payload: Topics[typeof topic]) => void early.push(payload);
      const unlisten = await sql.listen(channelOf(topic), parser(topic, accept, (payload) => deliver(payload)));
      const repeater = new Repeater<Topics[typeof topic]>(async (push, stop) => {
        for (const payload of early.splice(0)) void push(payload);
        deliver = (payload) => void push(payload);
        await stop;
        await unlisten();
      });
      return repeater[Symbol.asyncIterator]();
    },
  };
}

/**
 * A stream made from a listening iterator (EventBus.listen) by `produce`. However it ends — read to its end, returned
 * early, or returned before it was ever read (a generator that never started runs no `finally`) — listening stops.
 */
export function streamFrom<E, T>(listening: AsyncIterableIterator<E>, produce: (events: AsyncIterableIterator<E>) => AsyncGenerator<T>): AsyncGenerator<T> {
  const stream = (async function* () {
    try {
      yield* produce(listening);
    } finally {
      await listening.return?.();
    }
  })();
  const end = stream.return.bind(stream);
  stream.return = async (value) => {
    await listening.return?.();
    return end(value);
  };
  return stream;
}
