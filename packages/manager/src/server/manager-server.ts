/**
 * The server: the objects, the types it serves, and the connections it serves them on. It runs in one
 * thread (a started manager's own Process, or the thread that calls `serveForever()`).
 */

import { AuthenticationError, ProcessError } from '@ipc/core';
import { type Connection, Listener, type SocketAddress } from '@ipc/pipe';
import type { SimpleQueue } from '@ipc/queue';
import { MAX_MESSAGE_BYTES } from '../wire/messages.ts';
import { PipeTransport, SocketTransport } from '../wire/transport.ts';
import type { ManagedType } from './managed-type.ts';
import { ObjectTable } from './object-table.ts';
import { Session, type SessionServer } from './session.ts';

export interface ManagerServerOptions {
  /** The types served, by typeid. */
  readonly types: Iterable<ManagedType>;
  /** Where to listen (a Unix socket path or `{ host, port }`); default: a new Unix socket path. */
  readonly address?: SocketAddress | undefined;
  readonly authkey: Uint8Array;
  /** Where threads of this process hand in their connections (a started manager's), if anywhere. */
  readonly door?: SimpleQueue<Connection> | undefined;
}

export class ManagerServer implements SessionServer {
  readonly table = new ObjectTable();
  readonly #types: Map<string, ManagedType>;
  readonly #listener: Listener;
  readonly #door: SimpleQueue<Connection> | undefined;
  readonly #sessions = new Set<Session>();
  #stopped = false;
  readonly #done: Promise<void>;
  #stop: () => void = () => {};

  constructor(options: ManagerServerOptions) {
    this.#types = new Map([...options.types].map((type) => [type.typeid, type]));
    this.#listener = new Listener({
      address: options.address,
      authkey: options.authkey,
      maxMessageBytes: MAX_MESSAGE_BYTES,
    });
    this.#door = options.door;
    this.#done = new Promise((resolve) => {
      this.#stop = resolve;
    });
  }

  /** Resolves with the address once listening. @throws the bind error (an address in use). */
  async ready(): Promise<SocketAddress> {
    await this.#listener.ready();
    return this.#listener.address;
  }

  typeNamed(typeid: string): ManagedType | undefined {
    return this.#types.get(typeid);
  }

  typeids(): string[] {
    return [...this.#types.keys()];
  }

  /** Serves until shut down (by a client's `shutdown()` or {@link ManagerServer.shutdown}). */
  async serveForever(): Promise<void> {
    await this.ready();
    void this.#acceptSockets();
    if (this.#door !== undefined) void this.#acceptPipes(this.#door);
    await this.#done;
  }

  /** Stops listening and ends every connection (their waiting calls give up). Idempotent. */
  shutdown(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#listener.close();
    // Gets drain what is in the door, then fail: ends handed in meanwhile are closed (their clients see EOF).
    this.#door?.shutdown();
    for (const session of this.#sessions) session.end();
    this.#stop();
  }

  #serve(session: Session): void {
    if (this.#stopped) {
      session.end();
      return;
    }
    this.#sessions.add(session);
    void session.serve().finally(() => this.#sessions.delete(session));
  }

  async #acceptSockets(): Promise<void> {
    while (!this.#stopped) {
      try {
        const connection = await this.#listener.accept();
        this.#serve(new Session(this, (codec) => new SocketTransport(connection, codec), false));
      } catch (error) {
        // A peer without the key, or one that broke the handshake: refused; serve the next one.
        if (error instanceof AuthenticationError || (error instanceof ProcessError && !this.#stopped)) continue;
        if (this.#stopped) return;
        throw error;
      }
    }
  }

  async #acceptPipes(door: SimpleQueue<Connection>): Promise<void> {
    for (;;) {
      let end: Connection;
      try {
        end = await door.get();
      } catch {
        return; // ShutDown: the door is shut and empty
      }
      this.#serve(new Session(this, (codec) => new PipeTransport(end, codec), true));
    }
  }
}
