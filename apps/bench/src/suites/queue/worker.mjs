/**
 * One thread of an @ipc/queue benchmark run (started by threads.ts). Loads the BUILT package, as users do.
 *
 * workerData: `scenario`, `role` ('producer' | 'consumer'), `index`, `threads`, `gate` (a SharedArrayBuffer
 * for the rendezvous), `guardMs`, `producers`, `consumers`, `count` (items of the timed part, all producers
 * together), `warm` (items of the untimed warm-up), `size` (bytes of a payload, for bytes-*), and `queue`
 * (a shared Queue or JoinableQueue) or `port` (a MessagePort to the other side, for *-post), `done` (a
 * SharedArrayBuffer).
 *
 * Scenarios: `objects-{sync,async,post}` move `{ i, s: 'x' }`; `bytes-{sync,async,post}` move a Uint8Array
 * of `size` bytes whose first 4 bytes hold `i` (little-endian). `sync` is putSync/getSync, `async` is
 * `await put()`/`await get()`, `post` is `port.postMessage()` (structured clone, a copy, no backpressure).
 * `joinable-{sync,async}` move `{ i, s: 'x' }` through a JoinableQueue: each consumer (a "worker" of the
 * task queue) calls taskDone() after checking each item, and the producer's timed part ends when its
 * joinSync() / `await join()` returns.
 *
 * Producer p of P sends items i = p * n + k, k = 0..n-1 (n = count / P), in order. Each consumer checks
 * every item: `s === 'x'` (objects) or the payload's length and last byte (bytes), and that the k of each
 * producer only goes up (a FIFO queue hands one consumer a producer's items in order, even when other
 * consumers take some of them). It reports what it received, the sum of the i and how many broke a rule;
 * run.ts compares the consumers' totals with the count and the sum that was sent. With one consumer, it takes
 * exactly `count` items; with several, it takes items until the queue is shut down and drained (the last
 * producer to finish calls `queue.shutdown()`), or, for joinable-*, until it gets a `null` (the producer
 * puts one per consumer once join has returned, untimed), so that no consumer stops early or waits for ever.
 *
 * Every thread meets the others before the warm-up and before the timed part; the warm-up (`warm` items,
 * each consumer taking warm / C) is not timed. Posts `{ index, ms, ops, ...checks }` to its parent.
 */

import { parentPort, workerData } from 'node:worker_threads';
import { revive } from '@ipc/core';
// Registers the @ipc/queue types, so that revive() knows them.
import '@ipc/queue';
import { rendezvousOf } from '../../harness/rendezvous.mjs';

const { scenario, role, index, threads, gate, guardMs, producers, consumers, count, warm, size } = workerData;
const rendezvous = rendezvousOf(gate, threads, guardMs, index);

const kind = scenario.slice(0, scenario.indexOf('-'));
const transport = scenario.slice(scenario.indexOf('-') + 1);
const transports = kind === 'joinable' ? ['sync', 'async'] : ['sync', 'async', 'post'];
if (!['objects', 'bytes', 'joinable'].includes(kind) || !transports.includes(transport))
  throw new TypeError(`unknown scenario ${scenario}`);
/** What the items are: a JoinableQueue moves the same small objects as objects-*. */
const shape = kind === 'bytes' ? 'bytes' : 'objects';

// ---------------------------------------------------------------------------------------------------------
// Items: what producers make, and what consumers check.

/** The payload bytes every bytes-* producer sends (a copy each time; the first 4 bytes change). */
function patternedPayload() {
  const payload = new Uint8Array(size);
  for (let b = 0; b < size; b++) payload[b] = (b * 31) & 0xff;
  return payload;
}
const LAST_BYTE = ((size - 1) * 31) & 0xff;

/** The item with number `i`. Bytes: the same buffer each time (put and postMessage copy it at once). */
const makeItem =
  shape === 'objects'
    ? (i) => ({ i, s: 'x' })
    : (() => {
        const payload = patternedPayload();
        const view = new DataView(payload.buffer);
        return (i) => {
          view.setUint32(0, i, true);
          return payload;
        };
      })();

/** The item's number, or -1 when the item breaks its shape's rule. */
const numberOf =
  shape === 'objects'
    ? (item) => (item !== null && typeof item === 'object' && item.s === 'x' ? item.i : -1)
    : (item) =>
        item instanceof Uint8Array && item.length === size && item[size - 1] === LAST_BYTE
          ? item[0] | (item[1] << 8) | (item[2] << 16) | (item[3] << 24)
          : -1;

/**
 * Checks a consumer's items of one phase (`total` items from all producers). A class, not a closure per
 * phase: the timed phase then calls the same function as the warm-up, which V8 has optimised already (a
 * new closure deoptimised the consumer's loop at the start of the timed part). The counts are kept in a
 * Float64Array: the sum outgrows small integers mid-run, and a plain property changing representation there
 * deoptimised the loop again.
 */
class Checker {
  constructor(total) {
    this.perProducer = total / producers;
    this.last = new Float64Array(producers).fill(-1);
    /** received, sum of the i, items that broke a rule. */
    this.totals = new Float64Array(3);
  }

  check(item) {
    const i = numberOf(item);
    const totals = this.totals;
    totals[0]++;
    const p = Math.floor(i / this.perProducer);
    const k = i - p * this.perProducer;
    if (i < 0 || p >= producers || k <= this.last[p]) {
      totals[2]++;
      return;
    }
    this.last[p] = k;
    totals[1] += i;
  }

  get received() {
    return this.totals[0];
  }

  get sum() {
    return this.totals[1];
  }

  get disorder() {
    return this.totals[2];
  }
}

// ---------------------------------------------------------------------------------------------------------
// Transports.

const isShutDown = (error) => error?.code === 'ERR_IPC_SHUTDOWN';

/** Producer: sends items base..base+n-1. */
let send;
/** Producer: one chunk of the warm-up, items base..base+n-1. */
let sendWarm = (base, n) => send(base, n);
/** Producer: after its last item, still in the timed part. */
let finish = () => {};
/** Producer: after the timed part. */
let release = () => {};
/** Consumer: takes `n` items (or, with n = Infinity, until told to stop) and checks each. */
let take;

/** Sends items base..base+n-1 to `queue` with putSync (sync) or `await put()` (async). */
function queueSender(queue) {
  return transport === 'sync'
    ? (base, n) => {
        for (let k = 0; k < n; k++) queue.putSync(makeItem(base + k));
      }
    : async (base, n) => {
        for (let k = 0; k < n; k++) await queue.put(makeItem(base + k));
      };
}

/** Consumer of a Queue: takes `n` items, or with n = Infinity until the queue is shut down and drained. */
function queueTaker(queue) {
  return transport === 'sync'
    ? (n, state) => {
        try {
          for (let k = 0; k < n; k++) state.check(queue.getSync());
        } catch (error) {
          if (!(n === Number.POSITIVE_INFINITY && isShutDown(error))) throw error;
        }
      }
    : async (n, state) => {
        try {
          for (let k = 0; k < n; k++) state.check(await queue.get());
        } catch (error) {
          if (!(n === Number.POSITIVE_INFINITY && isShutDown(error))) throw error;
        }
      };
}

/**
 * Worker of a JoinableQueue: takes `n` items, or until it gets a `null`, and calls taskDone() once it has
 * checked each item (the check is the task). The `null` is not marked done: nobody joins after it.
 */
function taskTaker(queue) {
  return transport === 'sync'
    ? (n, state) => {
        for (let k = 0; k < n; k++) {
          const item = queue.getSync();
          if (item === null) return;
          state.check(item);
          queue.taskDone();
        }
      }
    : async (n, state) => {
        for (let k = 0; k < n; k++) {
          const item = await queue.get();
          if (item === null) return;
          state.check(item);
          queue.taskDone();
        }
      };
}

if (transport === 'post') {
  const { port } = workerData;
  if (role === 'producer') {
    send = (base, n) => {
      for (let k = 0; k < n; k++) port.postMessage(makeItem(base + k));
    };
  } else {
    let pending;
    port.on('message', (item) => {
      const p = pending;
      p.state.check(item);
      if (++p.got === p.n) {
        pending = undefined;
        p.resolve();
      }
    });
    take = (n, state) =>
      new Promise((resolve) => {
        pending = { n, got: 0, state, resolve };
      });
  }
} else if (kind === 'joinable') {
  const queue = revive(workerData.queue);
  if (role === 'producer') {
    send = queueSender(queue);
    finish = transport === 'sync' ? () => queue.joinSync() : () => queue.join();
    // A join after every warm-up chunk: the queue runs empty each time, and join's wait and wake-up are
    // optimised before the one join of the timed part.
    sendWarm = async (base, n) => {
      await send(base, n);
      await finish();
    };
    // One stop item per worker, as CPython's side does with None (Queue.shutdown() would do, but this needs
    // nothing beyond put and get). Untimed, so the async put serves both variants.
    release = async () => {
      for (let c = 0; c < consumers; c++) await queue.put(null);
    };
  } else take = taskTaker(queue);
} else {
  const queue = revive(workerData.queue);
  const done = new Int32Array(workerData.done);
  if (role === 'producer') {
    send = queueSender(queue);
    finish = () => {
      if (consumers > 1 && Atomics.add(done, 0, 1) + 1 === producers) queue.shutdown();
    };
  } else take = queueTaker(queue);
}

// ---------------------------------------------------------------------------------------------------------

/** Items of one warm-up call: more than the objects' maxsize (1024), so that a paused consumer fills it. */
const WARM_CHUNK = 2500;
const nap = new Int32Array(new SharedArrayBuffer(4));

/**
 * Calls `step(done, n)` for chunks of at most WARM_CHUNK of `total` items, one after the other; before each
 * chunk, the consumer (even chunks) or the producer (odd chunks) pauses 1 ms, so that the queue runs full,
 * then empty: every path of the timed part (waiting for room, waiting for an item, the wake-ups) is then
 * optimised by V8 before it is timed, not compiled mid-run.
 */
async function inChunks(total, step) {
  for (let done = 0, chunk = 0; done < total; done += WARM_CHUNK, chunk++) {
    if ((chunk % 2 === 0) === (role === 'consumer')) Atomics.wait(nap, 0, 0, 1);
    await step(done, Math.min(WARM_CHUNK, total - done));
  }
}

/**
 * Meets the others, warms up, meets them again, then times the transfer. The warm-up calls send/take many
 * times on chunks, so that V8 optimises them as functions: after one long warm-up call only the loop
 * inside it was optimised (on-stack replacement), and the timed call started again unoptimised, which made
 * its first ~30k items 3× slower.
 */
async function run() {
  rendezvous();
  if (role === 'producer') {
    const warmBase = index * (warm / producers);
    await inChunks(warm / producers, (done, n) => sendWarm(warmBase + done, n));
    rendezvous();
    const start = performance.now();
    await send(index * (count / producers), count / producers);
    await finish();
    const ms = performance.now() - start;
    await release();
    return { ms, ops: 0 };
  }
  const warmState = new Checker(warm);
  await inChunks(warm / consumers, (_, n) => take(n, warmState));
  rendezvous();
  const state = new Checker(count);
  const start = performance.now();
  await take(consumers === 1 ? count : Number.POSITIVE_INFINITY, state);
  const ms = performance.now() - start;
  const { received, sum, disorder } = state;
  return { ms, ops: received, received, sum, disorder, warmDisorder: warmState.disorder };
}

parentPort?.postMessage({ index, ...(await run()) });
