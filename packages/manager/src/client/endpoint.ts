/** Where a manager's server is, as proxies carry it between threads. */

import type { Connection, SocketAddress } from '@ipc/pipe';
import type { SimpleQueue } from '@ipc/queue';

export interface Endpoint {
  /** One string per server (its address), naming the connection each thread keeps to it. */
  readonly key: string;
  readonly address: SocketAddress;
  readonly authkey: Uint8Array;
  /**
   * Present in the server's own process: threads hand the server one end of a shared-memory Pipe here
   * instead of connecting to the socket (no system calls per message).
   */
  readonly door: SimpleQueue<Connection> | undefined;
}

export function endpointKey(address: SocketAddress): string {
  return typeof address === 'string' ? `unix:${address}` : `tcp:${address.host}:${address.port}`;
}
