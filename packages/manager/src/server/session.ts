/**
 * One client connection to the server: it reads requests, runs them, and answers. Calls run concurrently
 * (a lock's acquire waiting here holds up nobody's other calls); requests without a reply are applied in
 * the order they came. When the connection ends, everything it counted is given back, its waiting calls
 * give up, and what it owned (locks, semaphore permits) is released (`onEnd`).
 */

import { DataCodec, EOFError, InvalidStateError, type Readiness } from '@ipc/core';
import { Op, type ReferenceData, type Reply, Status } from '../wire/messages.ts';
import { NOTHING, PipeTransport, type Transport } from '../wire/transport.ts';
import type { Caller, ManagedType, SessionHooks } from './managed-type.ts';
import { type ManagedObject, type ObjectTable, ServerReference } from './object-table.ts';
import { AttributeError } from './types/errors.ts';
import { wireError } from './wire-error.ts';

/** What a session needs of its server. */
export interface SessionServer {
  readonly table: ObjectTable;
  typeNamed(typeid: string): ManagedType | undefined;
  /** The typeids served. */
  typeids(): string[];
  /** A client asked the server to stop (after this session's reply is sent). */
  shutdown(): void;
}

/**
 * Calls of one connection that may wait at once (a lock's acquire, a queue's get): one more is refused
 * before it waits (each costs the server a few kilobytes, and a client could send them without end).
 */
const MAX_WAITING_CALLS = 4096;

/** Why a session stops reading: the client broke the protocol. */
class ProtocolError extends Error {}

/** A call in progress: its signal is made on first use (most calls finish without waiting, and never ask). */
class Call implements Caller {
  readonly session: Session;
  readonly callId: number;
  #controller: AbortController | undefined;
  #signal: AbortSignal | undefined;

  constructor(session: Session, callId: number) {
    this.session = session;
    this.callId = callId;
  }

  /**
   * Aborted when the call is cancelled or its connection ends. Asked for by a call about to wait.
   *
   * @throws {InvalidStateError} when the connection already has MAX_WAITING_CALLS calls waiting.
   */
  get signal(): AbortSignal {
    if (this.#signal === undefined) {
      if (this.session.waiting.size >= MAX_WAITING_CALLS) {
        throw new InvalidStateError(
          `this connection already has ${MAX_WAITING_CALLS} calls waiting in the manager: wait for some to end`,
        );
      }
      this.#controller = new AbortController();
      this.#signal = AbortSignal.any([this.#controller.signal, this.session.ended]);
      this.session.waiting.set(this.callId, this);
    }
    return this.#signal;
  }

  cancel(): void {
    this.#controller?.abort(new InvalidStateError('the call was cancelled by the client'));
  }
}

export class Session implements SessionHooks {
  readonly #server: SessionServer;
  readonly #transport: Transport;
  readonly #ending = new AbortController();
  /** How many references to each object this connection's proxies hold. */
  readonly #counted = new Map<ManagedObject, number>();
  /** Calls that asked for their signal (they may wait), by call id, for CANCEL. */
  readonly waiting = new Map<number, Call>();
  readonly #cleanups = new Map<object, () => void>();
  readonly codec: DataCodec;
  /** True for a shared-memory connection: a thread of the server's own process. */
  readonly #local: boolean;

  constructor(server: SessionServer, transport: (codec: DataCodec) => Transport, local: boolean) {
    this.#server = server;
    this.#local = local;
    this.codec = new DataCodec({
      references: {
        is: (value) => value instanceof ServerReference,
        write: (value) => this.#handOut((value as ServerReference).object),
        read: (data) => server.table.reference(server.table.get(data)),
      },
    });
    this.#transport = transport(this.codec);
  }

  get ended(): AbortSignal {
    return this.#ending.signal;
  }

  onEnd(key: object, cleanup: () => void): void {
    // Registered after the end (a waiter woken as its connection ended): the cleanup runs now, not never.
    if (this.#ending.signal.aborted) {
      cleanup();
      return;
    }
    this.#cleanups.set(key, cleanup);
  }

  offEnd(key: object): void {
    this.#cleanups.delete(key);
  }

  /**
   * The readiness of a shared-memory connection (a request is there, or the client is gone), whose
   * requests the server reads with {@link Session.serveNext}; undefined for a socket connection.
   */
  get readiness(): Readiness | undefined {
    return this.#transport instanceof PipeTransport ? this.#transport.readiness : undefined;
  }

  /**
   * Reads and answers the next request of a shared-memory connection, if one is there: true when it did.
   * The server calls it for all of them in turn (a request is taken and handled in one synchronous step, so
   * a connection's requests are handled in the order they came). Ends the session once the client is gone
   * or broke the protocol.
   */
  serveNext(): boolean {
    try {
      const message = (this.#transport as PipeTransport).tryRecv();
      if (message === NOTHING) return false;
      this.#handle(message);
      return true;
    } catch {
      // As in serve().
      this.end();
      return false;
    }
  }

  /** Reads and answers requests until the client goes (or breaks the protocol); then cleans up. */
  async serve(): Promise<void> {
    const transport = this.#transport;
    try {
      for (;;) {
        this.#handle(await transport.recv());
        // A client that sends and does not read its replies: its next request is read once they are written
        // (or the socket fails, the peer being gone), so that they do not pile up in the server.
        if (transport.backlogged()) await transport.flushed();
      }
    } catch {
      // The client went (EOFError), or sent what is not one of our requests (a message that does not decode,
      // a ProtocolError): either way this connection is over, and the server goes on serving the others.
    } finally {
      this.end();
    }
  }

  /** Ends the connection: waiting calls give up, owned things are released, counts given back. */
  end(): void {
    if (this.#ending.signal.aborted) return;
    this.#ending.abort(new EOFError('the client connection ended'));
    this.#transport.close();
    for (const cleanup of [...this.#cleanups.values()]) cleanup();
    this.#cleanups.clear();
    for (const [object, count] of this.#counted) this.#server.table.release(object, count);
    this.#counted.clear();
  }

  /** A reference leaving in a reply: counted for this connection, whose proxy will give it back. */
  #handOut(object: ManagedObject): ReferenceData {
    this.#count(object);
    const { type } = object;
    return type.describeMethods ? [object.id, type.typeid, [...type.methods.keys()]] : [object.id, type.typeid];
  }

  #count(object: ManagedObject): void {
    this.#server.table.retain(object);
    this.#counted.set(object, (this.#counted.get(object) ?? 0) + 1);
  }

  #uncount(object: ManagedObject): void {
    const count = this.#counted.get(object);
    if (count === undefined) return; // not this connection's to give back: ignored
    if (count === 1) this.#counted.delete(object);
    else this.#counted.set(object, count - 1);
    this.#server.table.release(object);
  }

  #handle(message: unknown): void {
    if (!Array.isArray(message)) throw new ProtocolError('a request must be an array');
    const { table } = this.#server;
    switch (message[0]) {
      case Op.CALL: {
        const [, callId, objectId, method, args] = message as unknown[];
        this.#run(checkCallId(callId), () => {
          const object = table.get(objectId);
          const run = typeof method === 'string' ? object.type.methods.get(method) : undefined;
          if (run === undefined) {
            throw new AttributeError(`'${object.type.typeid}' object has no method ${JSON.stringify(method)} served`);
          }
          return run(object.value, checkArgs(args), new Call(this, callId as number));
        });
        return;
      }
      case Op.CREATE: {
        const [, callId, typeid, args] = message as unknown[];
        this.#run(checkCallId(callId), () => {
          const type = typeof typeid === 'string' ? this.#server.typeNamed(typeid) : undefined;
          if (type === undefined) throw new AttributeError(`the manager serves no type ${JSON.stringify(typeid)}`);
          const made = type.create(checkArgs(args), new Call(this, callId as number));
          // Only a real Promise is awaited: an object with a `then` method is an object like any other.
          return made instanceof Promise ? made.then((value) => this.#made(type, value)) : this.#made(type, made);
        });
        return;
      }
      case Op.CANCEL:
        this.waiting.get(message[1] as number)?.cancel();
        return;
      case Op.RELEASE: {
        const object = this.#lookup(message[1]);
        if (object !== undefined) this.#uncount(object);
        return;
      }
      case Op.HOLD: {
        const [, token, objectId] = message as unknown[];
        const object = this.#lookup(objectId);
        // Only a connection that holds the object can send it on.
        if (typeof token === 'string' && object !== undefined && this.#counted.has(object)) table.hold(token, object);
        return;
      }
      case Op.CLAIM: {
        const [, token, objectId] = message as unknown[];
        const object = this.#lookup(objectId);
        if (typeof token !== 'string' || object === undefined) return;
        this.#count(object);
        table.claim(token, object);
        return;
      }
      case Op.DESCRIBE:
        this.#reply([checkCallId(message[1]), Status.OK, [this.#server.typeids(), this.#server.table.size]]);
        return;
      case Op.SHUTDOWN: {
        const callId = checkCallId(message[1]);
        if (!this.#local) {
          // Only the process that started the server may stop it; other clients are refused.
          this.#reply([
            callId,
            Status.ERROR,
            new InvalidStateError('only the process that started the manager can shut it down'),
          ]);
          return;
        }
        this.#reply([callId, Status.OK, null]);
        void this.#transport.flushed().then(() => this.#server.shutdown());
        return;
      }
      default:
        throw new ProtocolError(`unknown request ${String(message[0])}`);
    }
  }

  /** The reply to a CREATE: a reference to the new object, not counted yet (the reply counts it as it leaves). */
  #made(type: ManagedType, value: unknown): ServerReference {
    if (typeof value !== 'object' || value === null) {
      throw new TypeError(`the factory of ${type.typeid} returned ${String(value)}, not an object`);
    }
    // A factory that finished after its client left: nobody would count (or release) the object.
    if (this.#ending.signal.aborted) throw new InvalidStateError('the client left before its object was made');
    return new ServerReference(this.#server.table.add(type, value));
  }

  #lookup(id: unknown): ManagedObject | undefined {
    try {
      return this.#server.table.get(id);
    } catch {
      return undefined;
    }
  }

  /** Runs a call and answers it: at once when it returns a value, later when it returns a promise. */
  #run(callId: number, call: () => unknown): void {
    let result: unknown;
    try {
      result = call();
    } catch (error) {
      this.#reply([callId, Status.ERROR, wireError(error, this.#local)]);
      return;
    }
    if (result instanceof Promise) {
      result.then(
        (value) => this.#answer(callId, value),
        (error) => this.#answer(callId, error, true),
      );
    } else {
      this.#reply([callId, Status.OK, result]);
    }
  }

  #answer(callId: number, value: unknown, failed = false): void {
    this.waiting.delete(callId);
    if (this.#ending.signal.aborted) return;
    this.#reply(failed ? [callId, Status.ERROR, wireError(value, this.#local)] : [callId, Status.OK, value]);
  }

  #reply(reply: Reply): void {
    try {
      this.#transport.send(reply);
    } catch (error) {
      // The result cannot be encoded (a registered type's method returned a function): the caller is told.
      this.#transport.send([reply[0], Status.ERROR, wireError(error, this.#local)]);
    }
  }
}

function checkCallId(value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value))
    throw new ProtocolError('a call id must be an integer');
  return value;
}

function checkArgs(value: unknown): unknown[] {
  if (!Array.isArray(value)) throw new TypeError('the arguments of a call must be an array');
  return value;
}
