// automerge-repo clients in Node, as an application would run them: a Repo with the WebSocket client adapter,
// pointed at the URL createLiveSession returns.
import { Repo, type DocHandle, type PeerId } from '@automerge/automerge-repo';
import { WebSocketClientAdapter } from '@automerge/automerge-repo-network-websocket';
import crypto from 'node:crypto';

/** The client adapter without its Node-only habit of throwing on a refused upgrade (tickets are single-use). */
class ClientAdapter extends WebSocketClientAdapter {
  closed = false;
  constructor(url: string) {
    super(url, 60 * 60_000); // reconnecting needs a new ticket: the test does it (reconnect)
    this.onError = () => undefined;
    const onClose = this.onClose;
    this.onClose = () => {
      this.closed = true;
      onClose();
    };
  }

  override disconnect(): void {
    // ws reports closing a socket still connecting as an 'error' event, which the adapter no longer listens to.
    this.socket?.on?.('error', () => undefined);
    try {
      super.disconnect();
    } catch {
      // never opened
    }
  }
}

export interface LiveClient {
  repo: Repo;
  adapter: ClientAdapter;
  find<T>(automergeUrl: string): Promise<DocHandle<T>>;
  /** Drops the current connection and connects to `url` (a new session's). */
  reconnect(url: string): void;
  close(): Promise<void>;
}

export function liveClient(url: string): LiveClient {
  let adapter = new ClientAdapter(url);
  const repo = new Repo({ network: [adapter], peerId: `test-${crypto.randomUUID()}` as PeerId });
  return {
    repo,
    get adapter() {
      return adapter;
    },
    // Connected first: a Repo whose socket has not joined within a second reports a document it has never seen
    // as unavailable (a loaded machine is slower, not wrong).
    find: async <T>(automergeUrl: string) => {
      if (repo.peers.length === 0) {
        await new Promise<void>((resolve) => {
          const joined = () => {
            repo.networkSubsystem.off('peer', joined);
            resolve();
          };
          repo.networkSubsystem.on('peer', joined);
          if (repo.peers.length > 0) joined();
        });
      }
      return repo.find<T>(automergeUrl as never);
    },
    reconnect(next: string) {
      const old = adapter;
      repo.networkSubsystem.removeNetworkAdapter(old);
      try {
        old.disconnect();
      } catch {
        // never opened
      }
      adapter = new ClientAdapter(next);
      repo.networkSubsystem.addNetworkAdapter(adapter);
    },
    async close() {
      await repo.shutdown();
    },
  };
}
