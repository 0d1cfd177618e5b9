/**
 * The server's objects and their reference counts (Python's `Server.id_to_obj` and `id_to_refcount`).
 *
 * An object lives while anything counts it:
 * - a connection, once per proxy it was given (a reply that carried a reference counts one for the
 *   connection that receives it; the client's RELEASE, or the connection ending, gives them back);
 * - a value stored on the server that holds a reference (a proxy stored in a managed dict): each decoded
 *   reference is a {@link ServerReference} that counts one until the value leaves its container (see
 *   stored-references.ts), or, for one that was never stored or was handed out, until the garbage
 *   collector drops it;
 * - a proxy in flight between two threads of a client (HOLD ... CLAIM, below).
 *
 * A proxy sent to another thread is encoded in the sending thread, which sends HOLD(token) on its own
 * connection at once; the receiving thread sends CLAIM(token) on its connection when it rebuilds the proxy.
 * The two connections race, so either may come first: a HOLD counts one for the token, and the CLAIM that
 * follows moves that count to its connection; a CLAIM that comes first counts one for its connection and
 * leaves the token to cancel the HOLD that follows. The sender's own proxy keeps the object alive until its
 * HOLD is applied, because its RELEASE comes after the HOLD on the same connection. A proxy encoded into a
 * message that is never received keeps its object for good (as a pipe end does).
 */

import type { ManagedType } from './managed-type.ts';

/**
 * Tokens come from clients, so what the table keeps of them is bounded (review: forged CLAIMs and HOLDs
 * piled up for good). A token is a UUID (36 characters); a longer one is no proxy's and counts nothing.
 */
const MAX_TOKEN_LENGTH = 128;
/**
 * Proxies in flight whose HOLD came first. Past this many, the oldest gives its count back: a proxy held
 * that long is most likely in a message never received, which would otherwise keep its object for good.
 */
const MAX_HELD_TOKENS = 1 << 18;
/**
 * CLAIMs that came before their HOLD: a real one waits microseconds for its HOLD, so few are ever pending.
 * Past this many, the oldest is forgotten (its late HOLD, if one ever comes, then counts one that stays).
 */
const MAX_CLAIMED_FIRST_TOKENS = 4096;

function usableToken(token: string): boolean {
  return token.length <= MAX_TOKEN_LENGTH;
}

export interface ManagedObject {
  readonly id: number;
  readonly type: ManagedType;
  readonly value: object;
  refs: number;
}

/** A reference to a managed object inside a value the server decoded; counts one while it is reachable. */
export class ServerReference {
  readonly object: ManagedObject;
  /** Private, so that two references to one object are equal for `isDeepStrictEqual` (list.remove). */
  #release: (() => void) | undefined;

  /** A reference; `release`, for a counted one, gives its count back. */
  constructor(object: ManagedObject, release?: () => void) {
    this.object = object;
    this.#release = release;
  }

  /** Gives the count back now, once. */
  release(): void {
    const release = this.#release;
    this.#release = undefined;
    release?.();
  }
}

/** The objects of one server. */
export class ObjectTable {
  readonly #byId = new Map<number, ManagedObject>();
  /** The same value handed out twice (a registered function returning one object) keeps one id, as Python. */
  readonly #byValue = new Map<object, ManagedObject>();
  #nextId = 1;
  /** Tokens of proxies in flight whose HOLD came first: token → object id. */
  readonly #held = new Map<string, number>();
  /** Tokens whose CLAIM came first: the HOLD that follows counts nothing. */
  readonly #claimedFirst = new Set<string>();
  /** Counts one per live ServerReference; gives it back when the garbage collector takes the reference. */
  readonly #references = new FinalizationRegistry<ManagedObject>((object) => this.release(object));

  /** The object for `value`: the one already made for it, or a new one with no count yet. */
  add(type: ManagedType, value: object): ManagedObject {
    const known = this.#byValue.get(value);
    if (known !== undefined) return known;
    const object: ManagedObject = { id: this.#nextId++, type, value, refs: 0 };
    this.#byId.set(object.id, object);
    this.#byValue.set(value, object);
    return object;
  }

  /** @throws {RangeError} when there is no object `id` (never made, or released by everyone). */
  get(id: unknown): ManagedObject {
    const object = typeof id === 'number' ? this.#byId.get(id) : undefined;
    if (object === undefined) throw new RangeError(`the manager has no object ${String(id)} (it was released)`);
    return object;
  }

  get size(): number {
    return this.#byId.size;
  }

  retain(object: ManagedObject, count = 1): void {
    object.refs += count;
  }

  /** Gives back `count`; the object is dropped (and its type told) when nothing counts it any more. */
  release(object: ManagedObject, count = 1): void {
    object.refs -= count;
    if (object.refs > 0 || this.#byId.get(object.id) !== object) return;
    this.#byId.delete(object.id);
    this.#byValue.delete(object.value);
    object.type.dispose?.(object.value);
  }

  /** A reference found in a decoded value: it counts one until it is garbage-collected. */
  reference(object: ManagedObject): ServerReference {
    // A stored value that leaves its container (overwritten, deleted, its container dropped) gives its
    // references back at once (stored-references.ts); the garbage collector is the fallback for the rest.
    const reference: ServerReference = new ServerReference(object, () => {
      this.#references.unregister(reference);
      this.release(object);
    });
    this.retain(object);
    this.#references.register(reference, object, reference);
    return reference;
  }

  /** HOLD: a proxy of `object` is on its way to another thread. */
  hold(token: string, object: ManagedObject): void {
    if (!usableToken(token)) return;
    if (this.#claimedFirst.delete(token)) return;
    // A second HOLD of one token would count one that no CLAIM gives back.
    if (this.#held.has(token)) return;
    if (this.#held.size >= MAX_HELD_TOKENS) {
      // The oldest (a Map iterates in insertion order) gives its count back.
      for (const [oldest, id] of this.#held) {
        this.#held.delete(oldest);
        const held = this.#byId.get(id);
        if (held !== undefined) this.release(held);
        break;
      }
    }
    this.#held.set(token, object.id);
    this.retain(object);
  }

  /**
   * CLAIM: a proxy of `object` in flight has arrived. The caller has already counted one for the claiming
   * connection; the hold's count, if the HOLD came first, is given back here.
   */
  claim(token: string, object: ManagedObject): void {
    if (!usableToken(token)) return;
    if (this.#held.get(token) === object.id) {
      this.#held.delete(token);
      this.release(object);
      return;
    }
    if (this.#claimedFirst.size >= MAX_CLAIMED_FIRST_TOKENS) {
      // The oldest (a Set iterates in insertion order) is forgotten.
      for (const oldest of this.#claimedFirst) {
        this.#claimedFirst.delete(oldest);
        break;
      }
    }
    this.#claimedFirst.add(token);
  }
}
