/**
 * @ipc/core: what every @ipc package stands on. Shared-memory handles and the heap that holds them,
 * futex-style waits, thread liveness, the message codec, and the error classes.
 *
 * Importing it registers the calling thread in the liveness table (see `currentThreadToken`).
 */

export { isBuiltInError } from './built-in-errors.ts';
export { callerModuleUrl } from './caller.ts';
export type { Codec, ScratchBytes } from './codec/codec.ts';
export { DataCodec, dataCodec } from './codec/data-codec.ts';
export type { DataReferences } from './codec/data-wire.ts';
export { forgetHandles, StructuredCodec, structuredCodec } from './codec/structured-codec.ts';
export { type Deadline, deadlineAfter } from './deadline.ts';
export {
  AuthenticationError,
  BrokenBarrierError,
  BufferTooShort,
  type BufferTooShortOptions,
  Empty,
  EOFError,
  type ErrorRecord,
  Full,
  InvalidStateError,
  isProcessError,
  ProcessError,
  type ProcessErrorOptions,
  RemoteError,
  type RemoteErrorOptions,
  ShutDown,
  TimeoutError,
} from './errors.ts';
export { Futex, type FutexWaitOptions } from './futex/futex.ts';
export { enterGuard, isGuardAbandoned, leaveGuard } from './guard/guard.ts';
export {
  definePortableType,
  isPortable,
  PORTABLE_TYPE,
  Portable,
  type PortableType,
  portableTypeNamed,
} from './handle/portable.ts';
export {
  revive,
  type SharedDescriptor,
  type SharedErrorDescriptor,
  type SharedHandleDescriptor,
  type SharedPortableDescriptor,
  share,
} from './handle/share.ts';
export { SharedBlock } from './handle/shared-block.ts';
export { attachShared, isShareable, SHARED_BLOCK, type Shareable, SharedHandle } from './handle/shared-handle.ts';
export { defineSharedType, type SharedType, sharedTypeModules, sharedTypeNamed } from './handle/shared-type.ts';
export { Heap } from './heap/heap.ts';
export {
  currentThreadToken,
  isThreadAlive,
  markThreadExited,
  type ThreadToken,
} from './liveness/current-thread.ts';
export {
  ConsumerJournal as RingConsumerJournal,
  GrowJournal as RingGrowJournal,
  MAX_RING_BYTES,
  ProducerJournal as RingProducerJournal,
  RING_HEADER_BYTES,
  RING_HEADER_WORDS,
  RING_OPEN,
  RingLayout,
  RingRecord,
  recordBytes,
} from './ring/layout.ts';
export { PayloadEncoder } from './ring/payloads.ts';
export {
  type Decoder,
  initRing,
  type Payload,
  RING_EMPTY,
  RING_FULL,
  RING_SHUT,
  type RingView,
  releaseRing,
  ringCapacity,
  ringMessageCount,
  ringSettlePuts,
  ringTryGet,
  ringTryPut,
  ringView,
} from './ring/ring.ts';
export { checkTag, tagWord } from './tag.ts';
export { fairlyResolved } from './wait/fair-promise.ts';
export {
  checkCount,
  checkTimeout,
  planTimed,
  planWait,
  type TimedWaitOptions,
  type WaitOptions,
  type WaitPlan,
} from './wait/options.ts';
export {
  type Attempt,
  DEFAULT_SPIN_ASYNC,
  DEFAULT_SPIN_SYNC,
  type ParkingSpot,
  type ParkOptions,
  parkUntil,
  parkUntilSync,
  wakeParked,
} from './wait/park.ts';
export { isWaitable, type Readiness, WAITABLE, type Waitable } from './wait/waitable.ts';

import { currentThreadToken } from './liveness/current-thread.ts';

// Register this thread now, before it starts any worker: a worker learns its parent's token from the
// environment data present when it is constructed (liveness/current-thread.ts).
currentThreadToken();
