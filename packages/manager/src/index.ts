/**
 * @ipc/manager: Python's `multiprocessing.managers`. A server holds dicts, lists, queues, locks and other
 * objects; proxies reach them from any thread (shared memory), process or machine (authenticated sockets).
 */

export {
  AuthenticationError,
  BrokenBarrierError,
  Empty,
  Full,
  InvalidStateError,
  RemoteError,
  ShutDown,
  TimeoutError,
} from '@ipc/core';
export {
  BaseManager,
  type BaseManagerOptions,
  type ManagerServerHandle,
  type RegisterOptions,
} from './base-manager.ts';
export { BarrierProxy } from './client/proxies/barrier-proxy.ts';
export { ConditionProxy } from './client/proxies/condition-proxy.ts';
export { type DictKey, DictProxy } from './client/proxies/dict-proxy.ts';
export { EventProxy } from './client/proxies/event-proxy.ts';
export { ListProxy } from './client/proxies/list-proxy.ts';
export { LockProxy, RLockProxy } from './client/proxies/lock-proxy.ts';
export { NamespaceProxy } from './client/proxies/namespace-proxy.ts';
export { JoinableQueueProxy, QueueProxy } from './client/proxies/queue-proxy.ts';
export { BoundedSemaphoreProxy, SemaphoreProxy } from './client/proxies/semaphore-proxy.ts';
export { ArrayProxy, ValueProxy } from './client/proxies/value-proxy.ts';
export { AutoProxy, BaseProxy, type ProxyClass } from './client/proxy.ts';
export { Manager } from './manager.ts';
