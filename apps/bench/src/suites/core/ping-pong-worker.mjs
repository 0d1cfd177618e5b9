/**
 * One side of a ping-pong between two worker threads (driven by ping-pong.ts). Plain JavaScript that
 * imports the BUILT package: `@ipc/core` resolves through the package's own `exports` to `dist/`, since
 * Node 20 workers cannot load TypeScript (toolchain.md pitfall 7).
 *
 * The shared word counts hand-offs. Ping owns the odd values, pong the even ones:
 *   ping: publish(v + 1), wait while word == v + 1      (one round trip per loop)
 *   pong: wait while word == v, publish(word + 1)
 * Ping runs an untimed warm-up (which also waits for pong's module to load), then times up to
 * `maxRoundTrips` or `maxMs`, whichever comes first, and publishes STOP. Every wait has a timeout
 * (`waitTimeoutMs`) and throws when it expires, so a broken wake-up fails the run instead of hanging it.
 *
 * Each side posts `{ role, roundTrips, ms, publishes, woken }`: `woken` counts the publishes whose notify
 * woke a parked thread, i.e. how often the other side had gone to sleep (spinning avoids that).
 */

import { parentPort, workerData } from 'node:worker_threads';
import { deadlineAfter, parkUntilSync, revive, wakeParked } from '@ipc/core';

const STOP = -1;
const { transport, role, spin, maxRoundTrips, maxMs, warmupRoundTrips, warmupMs, waitTimeoutMs } = workerData;

function timedOut(seen) {
  return new Error(`${role}: ${transport} wait timed out after ${waitTimeoutMs} ms with the word at ${seen}`);
}

/**
 * A transport: `load()`, `publish(value)` (store, then wake the other side; returns how many woke), and
 * `waitChange(seen)` (returns once the word differs from `seen`; a Promise for the async transport).
 */
function makeTransport() {
  switch (transport) {
    case 'atomics-wait': {
      // The naive baseline: always notify, never spin.
      const i32 = new Int32Array(workerData.buffer);
      return {
        load: () => Atomics.load(i32, 0),
        publish(value) {
          Atomics.store(i32, 0, value);
          return Atomics.notify(i32, 0, 1);
        },
        waitChange(seen) {
          while (Atomics.load(i32, 0) === seen) {
            if (Atomics.wait(i32, 0, seen, waitTimeoutMs) === 'timed-out') throw timedOut(seen);
          }
        },
      };
    }
    case 'atomics-spin': {
      // The floor: never sleep, never notify. The clock is read only every 64Ki loads of a long spin.
      const i32 = new Int32Array(workerData.buffer);
      return {
        load: () => Atomics.load(i32, 0),
        publish(value) {
          Atomics.store(i32, 0, value);
          return 0;
        },
        waitChange(seen) {
          let loads = 0;
          let start;
          while (Atomics.load(i32, 0) === seen) {
            if ((++loads & 0xffff) === 0) {
              start ??= performance.now();
              if (performance.now() - start > waitTimeoutMs) throw timedOut(seen);
            }
          }
        },
      };
    }
    case 'futex-sync':
    case 'futex-async': {
      const futex = revive(workerData.futex);
      const options = { timeout: waitTimeoutMs };
      const publish = (value) => {
        futex.store(value);
        return futex.notify(1);
      };
      if (transport === 'futex-sync') {
        return {
          load: () => futex.load(),
          publish,
          waitChange(seen) {
            if (!futex.waitWhileSync(seen, options)) throw timedOut(seen);
          },
        };
      }
      return {
        load: () => futex.load(),
        publish,
        async waitChange(seen) {
          if (!(await futex.waitWhile(seen, options))) throw timedOut(seen);
        },
      };
    }
    case 'park-sync': {
      // parkUntilSync on a plain SharedArrayBuffer: word 0 is the value, word 1 the parked-waiter count.
      const i32 = new Int32Array(workerData.buffer);
      const spot = { i32, valueIndex: 0, waitersIndex: 1 };
      return {
        load: () => Atomics.load(i32, 0),
        publish(value) {
          Atomics.store(i32, 0, value);
          return wakeParked(spot, 1);
        },
        waitChange(seen) {
          const changed = () => (Atomics.load(i32, 0) !== seen ? true : undefined);
          if (parkUntilSync(spot, changed, { deadline: deadlineAfter(waitTimeoutMs), spin }) === undefined) {
            throw timedOut(seen);
          }
        },
      };
    }
    default:
      throw new TypeError(`unknown transport ${transport}`);
  }
}

const t = makeTransport();
const isAsync = transport === 'futex-async';
let publishes = 0;
let woken = 0;

function publish(value) {
  publishes++;
  if (t.publish(value) > 0) woken++;
}

/**
 * Ping: a warm-up of up to `warmupRoundTrips` or `warmupMs` (untimed), then the timed run, then STOP.
 * Returns the timed count and duration.
 */
async function ping() {
  let word = 0;
  const roundTrip = isAsync
    ? async () => {
        publish(word + 1);
        await t.waitChange(word + 1);
        word += 2;
      }
    : () => {
        publish(word + 1);
        t.waitChange(word + 1);
        word += 2;
      };
  // Both limits are checked every 64 round trips: often enough that a pair slowed to one hand-off per
  // scheduler tick (spinning on a busy machine) still stops in time, rarely enough to cost under 1 ns each.
  // With a sync transport no `await` is ever reached, so the loop runs straight through.
  const runFor = async (count, ms) => {
    const start = performance.now();
    let done = 0;
    while (done < count) {
      if (isAsync) await roundTrip();
      else roundTrip();
      if ((++done & 63) === 0 && performance.now() - start >= ms) break;
    }
    return { roundTrips: done, ms: performance.now() - start };
  };
  await runFor(warmupRoundTrips, warmupMs);
  const timed = await runFor(maxRoundTrips, maxMs);
  publish(STOP);
  return timed;
}

/** Pong: answers each odd value with the next even one until it sees STOP. */
async function pong() {
  let word = 0;
  for (;;) {
    if (isAsync) await t.waitChange(word);
    else t.waitChange(word);
    const seen = t.load();
    if (seen === STOP) return { roundTrips: word / 2, ms: 0 };
    word = seen + 1;
    publish(word);
  }
}

const result = role === 'ping' ? await ping() : await pong();
parentPort?.postMessage({ role, ...result, publishes, woken });
