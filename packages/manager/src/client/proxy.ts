/**
 * `BaseProxy`: a handle on one object in a manager's server. Its methods send calls over the thread's
 * channel to that server. A proxy counts one reference on the server while it lives: dropping it (the
 * garbage collector) gives the count back, and the object goes when nothing counts it.
 *
 * A proxy travels live: inside another proxy's arguments (stored in a managed dict, it stays a reference,
 * and comes back out a proxy), and to other threads, in `Process` args, queue and pipe messages, and
 * `share()` (the receiving thread connects to the server itself).
 */

import { randomUUID } from 'node:crypto';
import { definePortableType, PORTABLE_TYPE, Portable, type PortableType } from '@ipc/core';
import { Op, type ReferenceData } from '../wire/messages.ts';
import { Channel, PROXY_CHANNEL, PROXY_ID } from './channel.ts';
import type { Endpoint } from './endpoint.ts';

/** A proxy class: built for one reference (the registered or built-in class of its typeid). */
export type ProxyClass = new (channel: Channel, id: number, typeid: string, exposed?: readonly string[]) => BaseProxy;

/** Gives a dropped proxy's count back (RELEASE on its channel, if that is still open). */
const released = new FinalizationRegistry<{ channel: Channel; id: number }>(({ channel, id }) => {
  channel.post([Op.RELEASE, id]);
});

/**
 * The base of every proxy: its object's id and typeid, and `callMethod`.
 *
 * **Python equivalent:** `multiprocessing.managers.BaseProxy` (`_callmethod`, `_getvalue` aside).
 */
export class BaseProxy extends Portable {
  readonly [PROXY_CHANNEL]: Channel;
  readonly [PROXY_ID]: number;
  /** The name of the object's type on the server (`'dict'`, `'Queue'`, or a registered typeid). */
  readonly typeid: string;

  /** Made by the manager: from a factory (`manager.dict()`), a reply, or a message that carried one. */
  constructor(channel: Channel, id: number, typeid: string) {
    super();
    this[PROXY_CHANNEL] = channel;
    this[PROXY_ID] = id;
    this.typeid = typeid;
    released.register(this, { channel, id });
  }

  /**
   * Calls `method` on the object in the server with `args`, and resolves with its result. Python's
   * `_callmethod(name, args)`.
   *
   * @throws (rejects) what the method threw there: the same class for @ipc errors and JavaScript's built-in
   * errors, otherwise a `RemoteError` with the remote class name; `InvalidStateError` once the manager is gone.
   */
  callMethod(method: string, args: readonly unknown[] = [], signal?: AbortSignal): Promise<unknown> {
    return this[PROXY_CHANNEL].call(Op.CALL, [this[PROXY_ID], method, args], signal);
  }

  override get [PORTABLE_TYPE](): PortableType {
    return PROXY_PORTABLE;
  }

  /** `BaseProxy(typeid, id 7)`: what the proxy stands for. */
  override toString(): string {
    return `${this.constructor.name}(${this.typeid}, id ${this[PROXY_ID]} at ${this[PROXY_CHANNEL].endpoint.key})`;
  }
}

/** A proxy of a type the client does not know: one method per name the server exposes (Python's AutoProxy). */
export class AutoProxy extends BaseProxy {
  constructor(channel: Channel, id: number, typeid: string, exposed: readonly string[] = []) {
    super(channel, id, typeid);
    for (const name of exposed) {
      // Never shadow the proxy's own members; never `then` either, which would make the proxy look like a
      // promise to `await` (callMethod('then') still calls it).
      if (name in this || name === 'then') continue;
      Object.defineProperty(this, name, {
        value: (...args: unknown[]) => this.callMethod(name, args),
        enumerable: false,
      });
    }
  }
}

const PROXY_CLASSES_KEY = Symbol.for('@ipc/manager.proxyClasses');

/** Proxy classes by typeid (built-ins, and those given to `register`), shared by the thread's copies. */
export function proxyClasses(): Map<string, ProxyClass> {
  const holder = globalThis as { [PROXY_CLASSES_KEY]?: Map<string, ProxyClass> };
  holder[PROXY_CLASSES_KEY] ??= new Map();
  return holder[PROXY_CLASSES_KEY];
}

/** The proxy for a reference that arrived on `channel` (already counted for it by the server). */
export function makeProxy(channel: Channel, [id, typeid, exposed]: ReferenceData): BaseProxy {
  const Class = proxyClasses().get(typeid) ?? AutoProxy;
  return new Class(channel, id, typeid, exposed);
}

/**
 * A proxy as it travels between threads: a tuple, not an object (msgpackr's record definitions do not
 * survive inside an extension's data read in another thread).
 */
type ProxyWire = [
  key: string,
  address: Endpoint['address'],
  authkey: Uint8Array,
  door: Endpoint['door'],
  id: number,
  typeid: string,
  exposed: readonly string[] | undefined,
  token: string,
];

/** The exposed names an AutoProxy was built with (kept to rebuild it in another thread). */
function exposedOf(proxy: BaseProxy): string[] | undefined {
  if (!(proxy instanceof AutoProxy)) return undefined;
  return Object.getOwnPropertyNames(proxy).filter(
    (name) => typeof (proxy as unknown as Record<string, unknown>)[name] === 'function',
  );
}

const PROXY_PORTABLE = definePortableType<BaseProxy>({
  name: 'ipc.manager.Proxy',
  module: import.meta.url,
  encode(proxy): ProxyWire {
    const channel = proxy[PROXY_CHANNEL];
    const token = randomUUID();
    // Before this thread's own proxy can be dropped (its RELEASE comes after this on the same connection).
    channel.post([Op.HOLD, token, proxy[PROXY_ID]]);
    const { key, address, authkey, door } = channel.endpoint;
    const wire: ProxyWire = [key, address, authkey, door, proxy[PROXY_ID], proxy.typeid, exposedOf(proxy), token];
    return wire;
  },
  decode(data) {
    const [key, address, authkey, door, id, typeid, exposed, token] = data as ProxyWire;
    const channel = Channel.to({ key, address, authkey, door }, makeProxy);
    channel.post([Op.CLAIM, token, id]);
    return makeProxy(channel, exposed === undefined ? [id, typeid] : [id, typeid, [...exposed]]);
  },
});
