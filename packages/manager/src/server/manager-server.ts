/**
 * The server: the objects, the types it serves, and the connections it serves them on. It runs in one
 * thread (a started manager's own Process, or the thread that calls `serveForever()`).
 */

import { availableParallelism } from 'node:os';
import { AuthenticationError, ProcessError, type Readiness, WAITABLE, type Waitable } from '@ipc/core';
import { type Connection, Listener, type SocketAddress, wait } from '@ipc/pipe';
import type { SimpleQueue } from '@ipc/queue';
import { MAX_MESSAGE_BYTES } from '../wire/messages.ts';
import { PipeTransport, SocketTransport } from '../wire/transport.ts';
import type { ManagedType } from './managed-type.ts';
import { ObjectTable } from './object-table.ts';
import { Session, type SessionServer } from './session.ts';

/*
 * How the server serves its shared-memory connections (threads of its process), all in one loop (#pump):
 *
 * - it looks at each connection in turn and serves the first request it finds, then looks on from the
 *   next one: a request on any connection is served as soon as the server is free;
 * - but while more client threads are busy than the machine has cores for (with the server's), it waits
 *   for the same connection's next request and serves it, for up to SLICE_MS in a row, before the others
 *   have their turn: a client thread answered at once keeps running and sends its next call within
 *   microseconds, while one whose reply comes while the server serves others has parked, and costs the
 *   server a wake-up and itself tens of microseconds (measured with 10 client threads on 2 cores: 40% more
 *   calls served than in turn, where nearly every reply wakes a client). A client that does work between
 *   its calls is not waited for beyond STICKY_WAIT_MS. When the client threads have cores of their own,
 *   they wait for their replies spinning, and serving them in turn is best;
 * - when no request came on any connection for NEXT_REQUEST_WAIT_MS, it parks on all of them (wait());
 * - the event loop gets a turn at least every MAX_BURST_MS (socket connections, new connections, calls
 *   that waited and now answer).
 *
 * A request is taken and handled in one synchronous step, so each connection's requests are handled in the
 * order they came.
 */

/**
 * How long the server keeps looking, blocking its thread, for the next request of any of its shared-memory
 * connections after it served the last one, before it parks: serving a request that comes meanwhile costs
 * less than a park and wake-up (tens of microseconds).
 */
const NEXT_REQUEST_WAIT_MS = 0.2;

/**
 * How long the server waits for the next request of a connection it turned to, when it has more busy client
 * threads than cores: long enough for a client that had parked to wake up and send its next call (measured
 * here: 40-80 µs typically, a few hundred at times).
 */
const FIRST_STICKY_WAIT_MS = 0.5;

/**
 * How long the server waits for the next request of the connection it serves in a row, after that: a client
 * in a loop of calls, answered at once, sends its next one within a few microseconds (99% within 50 µs
 * here); one that works between calls is not waited for longer.
 */
const STICKY_WAIT_MS = 0.05;

/** The longest the server serves one connection in a row while others may have requests waiting. */
const SLICE_MS = 1;

/** A connection that sent a request within this long counts as a busy client thread. */
const BUSY_MS = 10;

/** The longest the server serves shared-memory requests without a turn of its event loop. */
const MAX_BURST_MS = 1;

/** Longest park of the server on its shared-memory connections before it looks at them all again. */
const PARK_MS = 1_000;

/** Passes of the loop between two looks at the clock (a pass over idle connections takes tens of ns). */
const PASSES_PER_CLOCK = 8;

/** Cores for client threads: the server's thread takes one. */
const CLIENT_CORES = availableParallelism() - 1;

const NOTHING = 0;
const SERVED = 1;
const ENDED = -1;

/** A shared-memory session as the server serves it: what changes when a request comes. */
class LocalConnection implements Waitable {
  readonly session: Session;
  readonly [WAITABLE]: Readiness;
  readonly #words: Int32Array;
  readonly #index: number;
  /** The word when the connection was last looked at. */
  #seen: number;
  /** Look even if the word did not move: the last look found a request (there may be more), or EOF is due. */
  due = true;
  /** When its last request was served (performance.now()). */
  servedAt = Number.NEGATIVE_INFINITY;

  constructor(session: Session, readiness: Readiness) {
    this.session = session;
    this[WAITABLE] = readiness;
    this.#words = readiness.spot.i32;
    this.#index = readiness.spot.valueIndex;
    this.#seen = Atomics.load(this.#words, this.#index);
  }

  /**
   * Serves the next request if one may have come (the word moved, or `due`): SERVED, NOTHING, or ENDED
   * once the session is over (the client went, broke the protocol, or the server ended it). The word is
   * read before the look, so that a request put after the look moves it past what was seen.
   */
  serveNext(): number {
    const word = Atomics.load(this.#words, this.#index);
    if (!this.due && word === this.#seen) return NOTHING;
    this.#seen = word;
    this.due = this.session.serveNext();
    return this.due ? SERVED : this.session.ended.aborted ? ENDED : NOTHING;
  }
}

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
  /** The shared-memory sessions, served in turn by one loop (#pump), in the order they came. */
  readonly #local: LocalConnection[] = [];
  /** Where the pump's next look over them starts (after the one served last): each has its turn. */
  #next = 0;
  /** Wakes the pump when it parks and a shared-memory connection comes. */
  #wakePump: (() => void) | undefined;
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
    if (this.#door !== undefined) {
      void this.#acceptPipes(this.#door);
      void this.#pump();
    }
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
    this.#wakePump?.();
    this.#stop();
  }

  #serve(session: Session): void {
    if (this.#stopped) {
      session.end();
      return;
    }
    this.#sessions.add(session);
    const readiness = session.readiness;
    if (readiness === undefined) {
      void session.serve().finally(() => this.#sessions.delete(session));
      return;
    }
    this.#local.push(new LocalConnection(session, readiness));
    this.#wakePump?.();
  }

  /**
   * Serves the shared-memory connections, all in one loop, so that a request is served as soon as the
   * server is free whichever connection it comes on: it takes one request from each connection that has
   * one in turn, looks again without parking for NEXT_REQUEST_WAIT_MS after the last one, then parks until
   * one is ready. The event loop gets a turn at least every MAX_BURST_MS. Ends with the server.
   */
  async #pump(): Promise<void> {
    while (!this.#stopped) {
      if (this.#serveLocal()) {
        await new Promise((resolve) => setImmediate(resolve));
        continue;
      }
      const came = new Promise<void>((resolve) => {
        this.#wakePump = resolve;
      });
      // A request, a client gone (EOF), a new connection, shutdown, or a look at them all now and then.
      await Promise.race([this.#local.length === 0 ? came : wait(this.#local, PARK_MS), came]);
      this.#wakePump = undefined;
    }
  }

  /**
   * Serves requests of the shared-memory connections until none came for NEXT_REQUEST_WAIT_MS (false) or
   * MAX_BURST_MS passed (true: there may be more). Blocks the thread meanwhile.
   */
  #serveLocal(): boolean {
    const local = this.#local;
    // Each connection is looked at once: a client gone does not move the word.
    for (const connection of local) connection.due = true;
    const started = performance.now();
    /** The clock, read every PASSES_PER_CLOCK passes (a pass that serves a request takes a microsecond or two). */
    let now = started;
    let lastServed = started;
    /** The connection served last, while its next request is waited for (more busy clients than cores). */
    let current: LocalConnection | undefined;
    let sliceEnd = 0;
    /** How long its next request is waited for (FIRST_STICKY_WAIT_MS, then STICKY_WAIT_MS). */
    let patience = FIRST_STICKY_WAIT_MS;
    for (let pass = 1; ; pass++) {
      if (pass % PASSES_PER_CLOCK === 0) {
        now = performance.now();
        if (current !== undefined && (now >= sliceEnd || now - current.servedAt >= patience)) current = undefined;
        if (current === undefined && now - lastServed >= NEXT_REQUEST_WAIT_MS) return false;
        if (now - started >= MAX_BURST_MS) return true;
      }
      if (current !== undefined) {
        const outcome = current.serveNext();
        if (outcome === SERVED) {
          current.servedAt = lastServed = now;
          patience = STICKY_WAIT_MS;
          continue;
        }
        if (outcome === NOTHING) continue;
        this.#drop(current);
        current = undefined;
      }
      for (let k = 0; k < local.length; k++) {
        const i = (this.#next + k) % local.length;
        const connection = local[i] as LocalConnection;
        const outcome = connection.serveNext();
        if (outcome === SERVED) {
          connection.servedAt = lastServed = now;
          this.#next = i + 1;
          if (this.#busyClients(now) > CLIENT_CORES) {
            current = connection;
            sliceEnd = now + SLICE_MS;
            patience = FIRST_STICKY_WAIT_MS;
          }
          break;
        }
        if (outcome === ENDED) {
          this.#drop(connection);
          k--;
        }
      }
    }
  }

  /** How many connections sent a request within BUSY_MS of `now` (counted up to one more than CLIENT_CORES). */
  #busyClients(now: number): number {
    let busy = 0;
    for (const connection of this.#local) {
      if (now - connection.servedAt < BUSY_MS && ++busy > CLIENT_CORES) break;
    }
    return busy;
  }

  #drop(connection: LocalConnection): void {
    const index = this.#local.indexOf(connection);
    if (index >= 0) this.#local.splice(index, 1);
    this.#sessions.delete(connection.session);
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
