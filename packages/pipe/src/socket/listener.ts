/**
 * `Listener`: Python's `multiprocessing.connection.Listener` over a Unix socket or TCP.
 *
 * Unlike Python, which authenticates inside `accept()`, one peer at a time (a peer that connects and never
 * speaks blocks every later one), each incoming connection is authenticated on arrival, concurrently, under
 * its own `handshakeTimeout`. `accept()` takes the outcomes in the order the handshakes finished.
 */

import { createServer, type Server, type Socket } from 'node:net';
import { InvalidStateError } from '@ipc/core';
import { arbitraryAddress, boundAddress, checkAddress, listenOptions, type SocketAddress } from './address.ts';
import { authenticate } from './authenticate.ts';
import { FrameReader } from './frame.ts';
import { type ConnectionOptions, type ResolvedOptions, resolveOptions } from './options.ts';
import { createConnection, type SocketConnection } from './socket-connection.ts';

/** Options of a {@link Listener}: where it listens, and the options of every connection it accepts. */
export interface ListenerOptions extends ConnectionOptions {
  /**
   * A Unix socket path or `{ host, port }` (port 0: any free port). Default: a new socket path in the
   * temporary directory (Python's default on Unix too).
   */
  address?: SocketAddress | undefined;
  /** Connections the operating system queues before `accept` (`listen(2)`'s backlog). Default: Node's (511). */
  backlog?: number | undefined;
}

/** What one incoming connection came to: a connection, or the error `accept()` reports for it. */
type Outcome = { readonly connection: SocketConnection } | { readonly error: unknown };

interface Acceptor {
  resolve(connection: SocketConnection): void;
  reject(error: unknown): void;
}

/**
 * Listens for connections from other processes or machines, on a Unix socket or TCP, and authenticates
 * them with an HMAC handshake when given an `authkey`.
 *
 * **Python equivalent:** `multiprocessing.connection.Listener(address, authkey=..., backlog=...)`.
 * Differences: it starts listening in the constructor, and `ready()` resolves once it does (binding a TCP
 * address is asynchronous in Node); handshakes run concurrently as peers connect, each within
 * `handshakeTimeout`, so a silent peer delays no one. A peer that fails its handshake (wrong authkey,
 * another protocol, silence) makes one `accept()` reject with `AuthenticationError`, as in Python; the
 * listener goes on, and the next `accept()` gets the next peer.
 *
 * **When to use:** to accept connections from OS processes (a `child_process`, another program, CPython) or
 * other machines. Between worker threads of one process, use a `Pipe`.
 *
 * **Thread rules:** a listener belongs to the thread that made it; its connections too.
 *
 * **Security:** without an `authkey`, anyone who can reach the address can connect and send data (only data:
 * the codec runs no code). The handshake proves the key; it does not encrypt. Give TCP listeners on
 * anything but loopback an authkey, and prefer a Unix socket (file permissions apply) on one machine.
 *
 * @example
 * ```ts
 * const listener = new Listener({ address: '/tmp/app.sock', authkey: 'secret' });
 * await listener.ready();
 * for (;;) {
 *   let conn: SocketConnection;
 *   try {
 *     conn = await listener.accept();
 *   } catch (error) {
 *     if (error instanceof AuthenticationError) continue; // a peer without the key: serve the next one
 *     throw error;
 *   }
 *   for await (const message of conn) await conn.send(message); // echo until the peer closes
 * }
 * ```
 */
export class Listener implements Disposable {
  readonly #server: Server;
  readonly #options: ResolvedOptions;
  readonly #ready: Promise<SocketAddress>;
  #address: SocketAddress | undefined;
  /** Outcomes no accept() has taken yet, oldest first (only while no accept() waits). */
  readonly #outcomes: Outcome[] = [];
  /** accept() calls waiting, oldest first (only while no outcome waits). */
  readonly #acceptors: Acceptor[] = [];
  /** Sockets whose handshake runs. */
  readonly #handshaking = new Set<Socket>();
  #closed = false;

  /**
   * Starts listening at `options.address`.
   *
   * @throws {TypeError}/{RangeError} for a bad address, backlog or connection option. Errors of the bind
   * itself (the address is in use, a path in a missing directory) reject `ready()` and `accept()`.
   */
  constructor(options: ListenerOptions = {}) {
    const { address = arbitraryAddress(), backlog, ...connectionOptions } = options;
    const where = checkAddress(address, 'listen');
    if (backlog !== undefined && typeof backlog !== 'number') {
      throw new TypeError(`backlog must be a number, got ${typeof backlog}`);
    }
    if (backlog !== undefined && (!Number.isInteger(backlog) || backlog < 0)) {
      throw new RangeError(`backlog must be an integer of at least 0, got ${backlog}`);
    }
    this.#options = resolveOptions(connectionOptions);
    const server = createServer((socket) => this.#onConnection(socket));
    this.#server = server;
    this.#ready = new Promise((resolve, reject) => {
      server.once('error', reject);
      server.once('listening', () => {
        server.off('error', reject);
        // Errors after this one (accepting a connection failed: out of file descriptors) go to accept().
        server.on('error', (error) => this.#settle({ error }));
        this.#address = boundAddress(server);
        resolve(this.#address as SocketAddress);
      });
    });
    // Whoever awaits ready() or accept() sees a bind error; nobody awaiting it is no unhandled rejection.
    this.#ready.catch(() => undefined);
    server.listen(listenOptions(where, backlog));
  }

  /**
   * The address clients connect to: the socket path, or `{ host, port }` with the real port when port 0 was
   * asked for. **Python equivalent:** `address`.
   *
   * @throws {InvalidStateError} before the listener listens (await `ready()` first).
   */
  get address(): SocketAddress {
    if (this.#address === undefined) {
      throw new InvalidStateError('the listener is not listening yet: await listener.ready() first');
    }
    return this.#address;
  }

  /** Whether `close()` was called. */
  get closed(): boolean {
    return this.#closed;
  }

  /**
   * Resolves with the bound address once the listener listens.
   *
   * @throws the bind error (e.g. `EADDRINUSE`), as Node reports it.
   */
  ready(): Promise<SocketAddress> {
    return this.#ready;
  }

  /**
   * The next connection, authenticated when the listener has an authkey. Connections that arrive while
   * nobody calls `accept()` wait for it. **Python equivalent:** `accept()`.
   *
   * @throws {AuthenticationError} for a peer whose handshake failed (one per such peer; the listener goes
   * on); {InvalidStateError} once the listener is closed, also for a waiting call; the bind error.
   */
  accept(): Promise<SocketConnection> {
    if (this.#closed) return Promise.reject(new InvalidStateError('the listener is closed'));
    return this.#ready.then(
      () =>
        new Promise<SocketConnection>((resolve, reject) => {
          if (this.#closed) {
            reject(new InvalidStateError('the listener is closed'));
            return;
          }
          const outcome = this.#outcomes.shift();
          if (outcome === undefined) this.#acceptors.push({ resolve, reject });
          else if ('connection' in outcome) resolve(outcome.connection);
          else reject(outcome.error);
        }),
    );
  }

  /**
   * Stops listening (a Unix socket's file is removed), ends the handshakes in progress, closes the
   * connections nobody accepted, and rejects waiting `accept()` calls with InvalidStateError. Accepted
   * connections stay open. Idempotent. **Python equivalent:** `close()`.
   */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#server.close();
    for (const socket of this.#handshaking) socket.destroy();
    for (const outcome of this.#outcomes.splice(0)) {
      if ('connection' in outcome) outcome.connection.close();
    }
    for (const acceptor of this.#acceptors.splice(0)) {
      acceptor.reject(new InvalidStateError('the listener was closed while accept() waited'));
    }
  }

  /** `close()`, for `using listener = new Listener(...)`. */
  [Symbol.dispose](): void {
    this.close();
  }

  #onConnection(socket: Socket): void {
    if (this.#closed) {
      socket.destroy();
      return;
    }
    socket.setNoDelay(true);
    const { authkey, handshakeTimeout } = this.#options;
    if (authkey === undefined) {
      socket.pause();
      this.#settle({ connection: createConnection(socket, new FrameReader(), this.#options) });
      return;
    }
    this.#handshaking.add(socket);
    authenticate(socket, 'listener', authkey, handshakeTimeout).then(
      (reader) => {
        this.#handshaking.delete(socket);
        this.#settle({ connection: createConnection(socket, reader, this.#options) });
      },
      (error: unknown) => {
        this.#handshaking.delete(socket);
        this.#settle({ error });
      },
    );
  }

  /** Gives an outcome to the oldest waiting accept(), or keeps it for the next one. */
  #settle(outcome: Outcome): void {
    if (this.#closed) {
      if ('connection' in outcome) outcome.connection.close();
      return;
    }
    const acceptor = this.#acceptors.shift();
    if (acceptor === undefined) this.#outcomes.push(outcome);
    else if ('connection' in outcome) acceptor.resolve(outcome.connection);
    else acceptor.reject(outcome.error);
  }
}
