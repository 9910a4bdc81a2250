// Events cross processes through Postgres NOTIFY in both modes: PGlite delivers NOTIFY to its own process, the
// server to every listening process. Payloads carry ids only (NOTIFY caps them at 8000 bytes); subscribers
// re-fetch what they show.
import { Repeater } from 'graphql-yoga';
import type { Logger } from '../logger.js';
import type { SqlDriver } from './db.js';

export interface EventBus<Topics extends object> {
  publish<T extends keyof Topics & string>(topic: T, payload: Topics[T]): Promise<void>;
  subscribe<T extends keyof Topics & string>(topic: T, accept?: (payload: Topics[T]) => boolean): AsyncIterable<Topics[T]>;
}

const channelOf = (topic: string) => `docstore_${topic.replace(/[^a-z0-9_]/gi, '_').toLowerCase()}`;

export function createEventBus<Topics extends object>(sql: SqlDriver, logger: Logger): EventBus<Topics> {
  return {
    async publish(topic, payload) {
      await sql.query('SELECT pg_notify($1, $2)', [channelOf(topic), JSON.stringify(payload)]);
    },
    subscribe(topic, accept) {
      return new Repeater<Topics[typeof topic]>(async (push, stop) => {
        const unlisten = await sql.listen(channelOf(topic), (raw) => {
          try {
            const payload = JSON.parse(raw) as Topics[typeof topic];
            if (!accept || accept(payload)) void push(payload);
          } catch (error) {
            logger.warn({ err: error, topic }, 'dropped a malformed event');
          }
        });
        await stop;
        await unlisten();
      });
    },
  };
}
