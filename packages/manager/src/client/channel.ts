/**
 * A thread's connection to one manager server, shared by all the thread's proxies of that server (Python
 * keeps one per thread too: the server identifies a lock's owner by it). Calls are numbered and may be
 * many at once; replies come in the order the server finishes them.
 *
 * The connection keeps the thread alive only while a call waits for its reply: an idle one lets the
 * thread (or process) end, as an idle Python proxy does.
 */

import { AuthenticationError, DataCodec, InvalidStateError } from '@ipc/core';
import { Client, Pipe } from '@ipc/pipe';
import { MAX_MESSAGE_BYTES, Op, type ReferenceData, type Reply, Status } from '../wire/messages.ts';
import { NOTHING, PipeTransport, SocketTransport, type Transport } from '../wire/transport.ts';
import type { Endpoint } from './endpoint.ts';

/** Builds the proxy for a reference that arrived on a channel (set by proxy.ts, which imports this module). */
export type ProxyMaker = (channel: Channel, data: ReferenceData) => object;

/**
 * How long a call over shared memory waits synchronously for its reply (blocking the thread) before it waits
 * asynchronously: a reply is usually there within microseconds, and an asynchronous wake-up costs tens.
 */
const REPLY_WAIT_MS = 0.5;
/**
 * How much of REPLY_WAIT_MS it spins; then it sleeps until the reply comes (the server wakes it): a thread
 * that spins longer takes the core that the server, or a client with its reply, may need.
 */
const REPLY_SPIN_MS = 0.02;

const CONNECTION_ENDED = 'the connection to the manager ended (is it shut down?)';

interface PendingCall {
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

const CHANNELS_KEY = Symbol.for('@ipc/manager.channels');

/** This thread's channels by endpoint key (on globalThis: the ESM and CJS builds share them). */
function channels(): Map<string, Channel> {
  const holder = globalThis as { [CHANNELS_KEY]?: Map<string, Channel> };
  holder[CHANNELS_KEY] ??= new Map();
  return holder[CHANNELS_KEY];
}

export class Channel {
  readonly endpoint: Endpoint;
  readonly codec: DataCodec;
  #transport: Transport | undefined;
  /** Messages sent before a socket connection is up, encoded when sent, in order. */
  #queued: Uint8Array[] | undefined;
  readonly #pending = new Map<number, PendingCall>();
  #nextCallId = 1;
  #reading = false;
  /** Why the channel is over, once it is. */
  #ended: Error | undefined;
  #unref: (() => void) | undefined;
  #ref: (() => void) | undefined;

  /** The channel of this thread to `endpoint`'s server: the open one, or a new one. */
  static to(endpoint: Endpoint, makeProxy: ProxyMaker): Channel {
    const known = channels().get(endpoint.key);
    if (known !== undefined && known.#ended === undefined) return known;
    const channel = new Channel(endpoint, makeProxy);
    channels().set(endpoint.key, channel);
    return channel;
  }

  private constructor(endpoint: Endpoint, makeProxy: ProxyMaker) {
    this.endpoint = endpoint;
    this.codec = new DataCodec({
      references: {
        is: (value) => (value as { [PROXY_CHANNEL]?: unknown })[PROXY_CHANNEL] !== undefined,
        write: (value) => {
          const proxy = value as { [PROXY_CHANNEL]: Channel; [PROXY_ID]: number };
          if (proxy[PROXY_CHANNEL].endpoint.key !== endpoint.key) {
            throw new TypeError('a proxy can only be sent to its own manager (this one is of another server)');
          }
          return proxy[PROXY_ID];
        },
        read: (data) => makeProxy(this, checkReference(data)),
      },
    });
    if (endpoint.door !== undefined) this.#openPipe(endpoint);
    else this.#openSocket(endpoint);
  }

  #openPipe(endpoint: Endpoint): void {
    const [mine, theirs] = Pipe();
    try {
      (endpoint.door as NonNullable<Endpoint['door']>).putSync(theirs);
    } catch (cause) {
      this.#end(new InvalidStateError('the manager is shut down', { cause }));
      return;
    } finally {
      // The server holds it now (or nobody will): this thread's copy goes.
      theirs.close();
    }
    this.#transport = new PipeTransport(mine, this.codec);
  }

  #openSocket(endpoint: Endpoint): void {
    this.#queued = [];
    Client(endpoint.address, { authkey: endpoint.authkey, maxMessageBytes: MAX_MESSAGE_BYTES }).then(
      (connection) => {
        if (this.#ended !== undefined) {
          connection.close();
          return;
        }
        this.#transport = new SocketTransport(connection, this.codec);
        this.#unref = () => connection.unref();
        this.#ref = () => connection.ref();
        if (this.#pending.size === 0) this.#unref();
        for (const bytes of this.#queued ?? []) this.#transport.sendEncoded(bytes);
        this.#queued = undefined;
        if (this.#pending.size > 0) this.#read();
      },
      (cause) =>
        this.#end(
          // A wrong key is said as such; anything else (no server there) is a state of the manager.
          cause instanceof AuthenticationError
            ? cause
            : new InvalidStateError(`cannot connect to the manager at ${endpoint.key}`, { cause }),
        ),
    );
  }

  /**
   * Sends a request with no reply. Encoded at once.
   *
   * @throws {TypeError} for an argument the manager codec cannot carry.
   */
  post(message: unknown[]): void {
    if (this.#ended === undefined) this.#send(message);
  }

  /** Encodes `message` now; sends it now, or once the socket is connected. */
  #send(message: unknown[]): void {
    if (this.#queued !== undefined) this.#queued.push(this.codec.encode(message));
    else (this.#transport as Transport).send(message);
  }

  /**
   * Sends `[op, callId, ...rest]` and resolves with the reply. An aborted `signal` sends CANCEL; the call
   * still ends as the server says (a result that was already on its way wins: nothing taken is lost).
   */
  call(op: number, rest: unknown[], signal?: AbortSignal): Promise<unknown> {
    if (this.#ended !== undefined) return Promise.reject(this.#ended);
    if (signal?.aborted) return Promise.reject(signal.reason);
    const callId = this.#nextCallId++;
    return new Promise((resolve, reject) => {
      // A value the codec cannot carry throws here: the promise rejects, and nothing was sent.
      this.#send([op, callId, ...rest]);
      if (this.#pending.size === 0) this.#ref?.();
      if (signal === undefined) {
        this.#pending.set(callId, { resolve, reject });
      } else {
        const onAbort = (): void => this.post([Op.CANCEL, callId]);
        signal.addEventListener('abort', onAbort, { once: true });
        this.#pending.set(callId, {
          resolve: (value) => {
            signal.removeEventListener('abort', onAbort);
            resolve(value);
          },
          reject: (error) => {
            signal.removeEventListener('abort', onAbort);
            reject(signal.aborted ? signal.reason : error);
          },
        });
      }
      const transport = this.#transport;
      if (transport === undefined) return;
      try {
        // A manager call over shared memory is answered within microseconds: wait for the reply briefly
        // here (blocking this thread) rather than asynchronously, which costs tens of microseconds a message.
        for (
          let reply = transport.recvWithin(REPLY_WAIT_MS, REPLY_SPIN_MS);
          reply !== NOTHING;
          reply = transport.recvWithin(0)
        ) {
          this.#dispatch(reply as Reply);
          if (!this.#pending.has(callId)) return;
        }
      } catch (cause) {
        // The server is gone (EOFError) or sent what is not a reply: this call and every other one end.
        this.#end(new InvalidStateError(CONNECTION_ENDED, { cause }));
        return;
      }
      if (!this.#reading) this.#read();
    });
  }

  /** Reads replies while calls wait for them. */
  async #read(): Promise<void> {
    this.#reading = true;
    try {
      while (this.#pending.size > 0 && this.#ended === undefined) {
        this.#dispatch((await (this.#transport as Transport).recv()) as Reply);
      }
    } catch (cause) {
      this.#end(new InvalidStateError(CONNECTION_ENDED, { cause }));
    } finally {
      this.#reading = false;
      if (this.#pending.size === 0) this.#unref?.();
    }
  }

  #dispatch(reply: Reply): void {
    if (!Array.isArray(reply)) throw new TypeError('the manager sent something that is not a reply');
    const [callId, status, value] = reply;
    const pending = this.#pending.get(callId);
    if (pending === undefined) return;
    this.#pending.delete(callId);
    if (status === Status.OK) pending.resolve(value);
    else pending.reject(value);
  }

  #end(error: Error): void {
    if (this.#ended !== undefined) return;
    this.#ended = error;
    this.#transport?.close();
    for (const pending of this.#pending.values()) pending.reject(error);
    this.#pending.clear();
    if (channels().get(this.endpoint.key) === this) channels().delete(this.endpoint.key);
  }
}

/** Where a proxy keeps its channel and object id (symbols: the codec finds proxies of any copy by them). */
export const PROXY_CHANNEL = Symbol.for('@ipc/manager.proxyChannel');
export const PROXY_ID = Symbol.for('@ipc/manager.proxyId');

function checkReference(data: unknown): ReferenceData {
  if (
    !Array.isArray(data) ||
    typeof data[0] !== 'number' ||
    typeof data[1] !== 'string' ||
    (data[2] !== undefined && (!Array.isArray(data[2]) || !data[2].every((name) => typeof name === 'string')))
  ) {
    throw new TypeError('the manager sent a malformed reference');
  }
  return data as ReferenceData;
}
