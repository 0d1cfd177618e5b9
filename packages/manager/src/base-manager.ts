/**
 * `BaseManager`: a server of registered types and the way to reach it. `start()` runs the server in a new
 * Process of this process (its own thread: a busy or blocked caller cannot stall it); `connect()` reaches a
 * server another process started; `getServer().serveForever()` serves from this thread.
 */

import { randomBytes } from 'node:crypto';
import { callerModuleUrl, InvalidStateError } from '@ipc/core';
import { type Connection, Pipe, type SocketAddress } from '@ipc/pipe';
import { Process } from '@ipc/process';
import { SimpleQueue } from '@ipc/queue';
import { Channel } from './client/channel.ts';
import { type Endpoint, endpointKey } from './client/endpoint.ts';
import { type BaseProxy, makeProxy, type ProxyClass, proxyClasses } from './client/proxy.ts';
import { addRegistration, registrationsOf } from './registration.ts';
import type { Factory } from './server/custom-type.ts';
import { ManagerServer } from './server/manager-server.ts';
import type { ServerConfig, ServerReport } from './server/server-process.ts';
import { serverTypes } from './server/server-process.ts';
import { Op } from './wire/messages.ts';

/** This package's directory: its frames are not the module that called `register`. */
const OWN_DIRECTORY = new URL('.', import.meta.url).href;
const SERVER_PROCESS = new URL('./server-process.js', import.meta.url);
/** How long `shutdown()` waits for the server Process to end before terminating it. */
const SHUTDOWN_GRACE_MS = 5_000;

export interface BaseManagerOptions {
  /**
   * Where the server listens (`start`, `getServer`) or is (`connect`): a Unix socket path, or `{ host, port }`
   * for TCP (port 0: any free port). `host` defaults to `127.0.0.1`: other interfaces only when named
   * (`'0.0.0.0'`, or `''` as in Python). Default for `start`: a new Unix socket path.
   */
  address?: SocketAddress | { host?: string; port: number } | undefined;
  /** The key clients must prove (HMAC handshake). Default for `start`: 32 random bytes. */
  authkey?: Uint8Array | string | undefined;
}

export interface RegisterOptions {
  /** The methods clients may call; default: the public methods (not starting with `_`) of the first object made. */
  exposed?: readonly string[] | undefined;
  /** The proxy class clients build; default: an AutoProxy with one method per exposed name. */
  proxy?: ProxyClass | undefined;
  /** Add a method named `typeid` to the manager class, as Python's `create_method` (default true). */
  createMethod?: boolean | undefined;
}

/** A server running in this thread (`getServer()`). */
export interface ManagerServerHandle {
  /** Resolves with the address once listening. */
  ready(): Promise<SocketAddress>;
  /** Serves until `shutdown()`. Python's `serve_forever()`. */
  serveForever(): Promise<void>;
  shutdown(): void;
}

function normalAddress(address: BaseManagerOptions['address']): SocketAddress | undefined {
  if (address === undefined || typeof address === 'string') return address;
  if (typeof address !== 'object' || address === null) {
    throw new TypeError(`address must be a socket path or { host, port }, got ${typeof address}`);
  }
  const host = address.host === undefined ? '127.0.0.1' : address.host === '' ? '0.0.0.0' : address.host;
  return { host, port: address.port };
}

function keyBytes(authkey: Uint8Array | string): Uint8Array {
  if (typeof authkey === 'string') return new TextEncoder().encode(authkey);
  if (authkey instanceof Uint8Array) return authkey;
  throw new TypeError(`authkey must be bytes or a string, got ${typeof authkey}`);
}

let started = 0;

/**
 * A manager of registered types.
 *
 * **Python equivalent:** `multiprocessing.managers.BaseManager(address, authkey)`.
 *
 * @example
 * ```ts
 * // server.ts
 * class Counter { n = 0; increment() { return ++this.n; } }
 * const counter = new Counter();
 * BaseManager.register('counter', () => counter);
 * await new BaseManager({ address: { port: 50000 }, authkey: 'secret' }).getServer().serveForever();
 *
 * // client.ts, another process or machine
 * BaseManager.register('counter');
 * const manager = new BaseManager({ address: { host: 'server', port: 50000 }, authkey: 'secret' });
 * await manager.connect();
 * const c = await manager.create('counter');
 * await c.callMethod('increment'); // 1
 * ```
 */
export class BaseManager implements AsyncDisposable {
  readonly #address: SocketAddress | undefined;
  readonly #authkey: Uint8Array | undefined;
  #endpoint: Endpoint | undefined;
  #process: Process | undefined;
  #state: 'initial' | 'started' | 'connected' | 'shutdown' = 'initial';

  constructor(options: BaseManagerOptions = {}) {
    this.#address = normalAddress(options.address);
    this.#authkey = options.authkey === undefined ? undefined : keyBytes(options.authkey);
  }

  /**
   * Registers a type the manager serves (with a factory) or uses (without one, on a client of a server that
   * registered it). A factory is a function or a class; it runs in the server.
   *
   * For `start()`, register at the top level of a module: the server runs in its own Process, which imports
   * the module that called `register` to find the factory (so the factory may be a closure there).
   */
  static register(typeid: string, factory?: Factory, options: RegisterOptions = {}): void {
    // biome-ignore lint/complexity/noThisInStatic: a subclass registers on itself (Python copies _registry per class).
    registerOn(this, typeid, factory, options);
  }

  /** The types the server serves besides registered ones (none; `Manager` serves Python's SyncManager types). */
  protected static get servesBuiltIns(): boolean {
    return false;
  }

  /** The server's address (once started or connected). @throws {InvalidStateError} before. */
  get address(): SocketAddress {
    if (this.#endpoint === undefined) throw new InvalidStateError('the manager is not started or connected');
    return this.#endpoint.address;
  }

  /** The authkey clients need. @throws {InvalidStateError} before `start`/`connect` when none was given. */
  get authkey(): Uint8Array {
    const key = this.#endpoint?.authkey ?? this.#authkey;
    if (key === undefined) throw new InvalidStateError('the manager has no authkey yet: start() makes one');
    return key;
  }

  /**
   * Starts the server in a new Process (a worker thread of this process), listening at `address` (default:
   * a new Unix socket) for other processes; threads of this process reach it through shared memory.
   *
   * @throws {InvalidStateError} when already started or connected; the server's error (an address in use,
   * a registered type whose factory cannot be found there).
   */
  async start(): Promise<void> {
    if (this.#state !== 'initial') throw new InvalidStateError(`the manager is already ${this.#state}`);
    this.#state = 'started';
    const Class = this.constructor as typeof BaseManager;
    const registrations = [...registrationsOf(Class).values()].filter((r) => r.factory !== undefined);
    const authkey = this.#authkey ?? new Uint8Array(randomBytes(32));
    const config: ServerConfig = {
      address: this.#address,
      authkey,
      builtIns: Class.servesBuiltIns,
      typeids: registrations.map((r) => r.typeid),
      modules: [...new Set(registrations.flatMap((r) => (r.module === undefined ? [] : [r.module])))],
    };
    const door = new SimpleQueue<Connection>();
    const [report, reporter] = Pipe<ServerReport>(false);
    const process = new Process({
      target: { module: SERVER_PROCESS, name: 'runManagerServer' },
      args: [config, door, reporter],
      name: `${Class.name}-${++started}`,
      daemon: true,
    });
    process.start();
    reporter.close();
    this.#process = process;
    let outcome: ServerReport;
    try {
      outcome = await report.recv();
    } catch (cause) {
      this.#state = 'shutdown';
      throw new InvalidStateError(`the manager's server ended before it listened (exit code ${process.exitcode})`, {
        cause,
      });
    } finally {
      report.close();
    }
    if ('error' in outcome) {
      this.#state = 'shutdown';
      await process.join(SHUTDOWN_GRACE_MS);
      throw outcome.error;
    }
    this.#endpoint = { key: endpointKey(outcome.address), address: outcome.address, authkey, door };
  }

  /**
   * Connects to a server that another process started (or serves with `serveForever()`), at `address` with
   * `authkey`.
   *
   * @throws {TypeError} without an address or authkey; {InvalidStateError} when the server cannot be
   * reached; {AuthenticationError} for a wrong key.
   */
  async connect(): Promise<void> {
    if (this.#state !== 'initial') throw new InvalidStateError(`the manager is already ${this.#state}`);
    if (this.#address === undefined) throw new TypeError('connect() needs the address of the server');
    if (this.#authkey === undefined) throw new TypeError('connect() needs the authkey of the server');
    const endpoint: Endpoint = {
      key: endpointKey(this.#address),
      address: this.#address,
      authkey: this.#authkey,
      door: undefined,
    };
    // One round trip: a wrong key or an absent server is reported here, not at the first proxy call.
    await Channel.to(endpoint, makeProxy).call(Op.DESCRIBE, []);
    this.#endpoint = endpoint;
    this.#state = 'connected';
  }

  /**
   * A server in this thread for the registered types (Python's `get_server()`): `serveForever()` serves
   * until `shutdown()`.
   */
  getServer(): ManagerServerHandle {
    if (this.#state !== 'initial') throw new InvalidStateError(`the manager is already ${this.#state}`);
    const Class = this.constructor as typeof BaseManager;
    const registrations = [...registrationsOf(Class).values()].filter((r) => r.factory !== undefined);
    const authkey = this.#authkey ?? new Uint8Array(randomBytes(32));
    const address = this.#address;
    let server: ManagerServer | undefined;
    const make = async (): Promise<ManagerServer> => {
      server ??= new ManagerServer({
        types: await serverTypes({
          builtIns: Class.servesBuiltIns,
          typeids: registrations.map((r) => r.typeid),
          modules: [],
        }),
        address,
        authkey,
      });
      return server;
    };
    return {
      ready: async () => (await make()).ready(),
      serveForever: async () => (await make()).serveForever(),
      shutdown: () => server?.shutdown(),
    };
  }

  /**
   * How many objects the server holds: Python's `_number_of_objects()`, to check that dropped proxies
   * free theirs (an object goes when no proxy, connection or stored reference counts it).
   *
   * @throws {InvalidStateError} before `start()`/`connect()` or after `shutdown()`.
   */
  async numberOfObjects(): Promise<number> {
    if (this.#endpoint === undefined || this.#state === 'shutdown') {
      throw new InvalidStateError(
        `the manager is ${this.#state === 'shutdown' ? 'shut down' : 'not started or connected'}`,
      );
    }
    const [, objects] = (await Channel.to(this.#endpoint, makeProxy).call(Op.DESCRIBE, [])) as [string[], number];
    return objects;
  }

  /**
   * A new object of `typeid` in the server, and its proxy (`manager.dict()` is `create('dict')`).
   *
   * @throws {InvalidStateError} before `start()`/`connect()` or after `shutdown()`; the server's error for
   * a type it does not serve or bad arguments.
   */
  create<P extends BaseProxy = BaseProxy>(typeid: string, ...args: unknown[]): Promise<P> {
    if (this.#endpoint === undefined || this.#state === 'shutdown') {
      return Promise.reject(
        new InvalidStateError(
          `the manager is ${this.#state === 'shutdown' ? 'shut down' : 'not started or connected'}`,
        ),
      );
    }
    return Channel.to(this.#endpoint, makeProxy).call(Op.CREATE, [typeid, args]) as Promise<P>;
  }

  /**
   * Stops a started server (its objects are gone; proxies then fail with InvalidStateError) and waits for
   * its Process to end. For a connected manager, only this manager is done with; the server goes on.
   */
  async shutdown(): Promise<void> {
    const wasStarted = this.#state === 'started';
    this.#state = 'shutdown';
    const process = this.#process;
    if (!wasStarted || process === undefined || this.#endpoint === undefined) return;
    try {
      await Channel.to(this.#endpoint, makeProxy).call(Op.SHUTDOWN, []);
    } catch {
      // Already gone.
    }
    await process.join(SHUTDOWN_GRACE_MS);
    if (process.isAlive()) process.terminate();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.shutdown();
  }
}

/** `BaseManager.register` on `managerClass` (the class it was called on). */
function registerOn(
  managerClass: typeof BaseManager,
  typeid: string,
  factory: Factory | undefined,
  options: RegisterOptions,
): void {
  if (typeof typeid !== 'string' || typeid === '') throw new TypeError('typeid must be a non-empty string');
  if (factory !== undefined && typeof factory !== 'function') {
    throw new TypeError(`the factory of ${typeid} must be a function or a class, got ${typeof factory}`);
  }
  addRegistration(managerClass, {
    typeid,
    factory,
    exposed: options.exposed,
    proxy: options.proxy,
    module: callerModuleUrl(OWN_DIRECTORY),
  });
  if (options.proxy !== undefined) proxyClasses().set(typeid, options.proxy);
  if (options.createMethod !== false && !(typeid in managerClass.prototype)) {
    Object.defineProperty(managerClass.prototype, typeid, {
      value(this: BaseManager, ...args: unknown[]) {
        return this.create(typeid, ...args);
      },
      configurable: true,
      writable: true,
    });
  }
}
