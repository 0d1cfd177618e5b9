/**
 * One thread of a @ipc/sync benchmark (driven by threads.ts). Plain JavaScript that imports the BUILT
 * packages: `@ipc/sync` resolves through the package's own `exports` to `dist/` (toolchain.md pitfall 7).
 *
 * workerData: `{ scenario, index, threads, gate, ...scenario fields }`. `gate` is a SharedArrayBuffer the
 * threads of one run meet on (rendezvous below) before the warm-up and before the timed part, so that
 * module loading never falls inside a measurement and every thread starts timing together.
 *
 * Each thread posts `{ ms, ops, ...checks }`: `ms` the timed part's duration on its own clock, `ops` what it
 * did in it (acquire + release pairs, round trips, generations). The scenarios:
 *
 * - lock-ipc / lock-raw      `iterations` times: acquire, counter[0] = counter[0] + 1 (plain, non-atomic:
 *                            only the lock makes it correct), release; 2 threads contend. Also counts
 *                            hand-offs: acquisitions that found the other thread's last write
 * - solo-ipc-sync / solo-ipc-async / solo-raw
 *                            one thread: acquire + release for `maxMs`, nobody else on the lock
 * - event-sync / event-async ping-pong over two Events: ping sets A, waits for B, clears B; pong waits for
 *                            A, clears A, sets B
 * - barrier-sync / barrier-async
 *                            `threads` parties cross one Barrier for `maxMs`
 */

import { parentPort, workerData } from 'node:worker_threads';
import { revive } from '@ipc/core';
// Registers the @ipc/sync types, so that revive() knows them.
import '@ipc/sync';
import { rendezvousOf } from '../../harness/rendezvous.mjs';
import { rawLock, rawUnlock } from './raw-lock.mjs';

const { scenario, index, threads, gate, guardMs } = workerData;
const rendezvous = rendezvousOf(gate, threads, guardMs, index);

/**
 * Meets the others, runs the untimed warm-up `warm`, meets them again (unless `meetAfterWarmUp` is false:
 * a ping-pong's warm-up needs both sides), then times `timed`.
 */
async function measure(warm, timed, meetAfterWarmUp = true) {
  rendezvous();
  await warm();
  if (meetAfterWarmUp) rendezvous();
  const start = performance.now();
  const result = await timed();
  return { ms: performance.now() - start, ...result };
}

/** Contended lock: `iterations` non-atomic increments under the lock. */
function lockScenario() {
  const counter = new Int32Array(workerData.counter);
  const { iterations, warmIterations } = workerData;
  // The counter value this thread wrote last: finding another one under the lock means the other thread
  // held it in between (a hand-off), so the run says how often the lock changed hands.
  let mine = -1;
  let handOffs = 0;
  let run;
  if (scenario === 'lock-ipc') {
    const lock = revive(workerData.lock);
    run = (n) => {
      for (let i = 0; i < n; i++) {
        lock.acquireSync();
        const seen = counter[0];
        counter[0] = seen + 1;
        lock.release();
        if (seen !== mine) handOffs++;
        mine = seen + 1;
      }
    };
  } else {
    const word = new Int32Array(workerData.rawLock);
    run = (n) => {
      for (let i = 0; i < n; i++) {
        rawLock(word);
        const seen = counter[0];
        counter[0] = seen + 1;
        rawUnlock(word);
        if (seen !== mine) handOffs++;
        mine = seen + 1;
      }
    };
  }
  return measure(
    () => run(warmIterations),
    () => {
      handOffs = 0;
      run(iterations);
      return { ops: iterations, handOffs };
    },
  );
}

/**
 * Runs `batch` (which does 256 operations, returning a Promise or not) until `ms` have passed; returns how
 * many operations it did. The clock is read once per batch.
 */
async function forMs(ms, batch, isAsync) {
  const start = performance.now();
  let ops = 0;
  do {
    if (isAsync) await batch();
    else batch();
    ops += 256;
  } while (performance.now() - start < ms);
  return ops;
}

/** One thread, nobody else on the lock: acquire + release pairs for `maxMs`. */
function soloScenario() {
  const { maxMs, warmMs } = workerData;
  let batch;
  let isAsync = false;
  let check;
  if (scenario === 'solo-raw') {
    const word = new Int32Array(workerData.rawLock);
    batch = () => {
      for (let i = 0; i < 256; i++) {
        rawLock(word);
        rawUnlock(word);
      }
    };
    check = () => Atomics.load(word, 0) === 0;
  } else {
    const lock = revive(workerData.lock);
    check = () => !lock.locked();
    if (scenario === 'solo-ipc-sync') {
      batch = () => {
        for (let i = 0; i < 256; i++) {
          if (!lock.acquireSync()) throw new Error('acquireSync returned false');
          lock.release();
        }
      };
    } else {
      isAsync = true;
      batch = async () => {
        for (let i = 0; i < 256; i++) {
          if (!(await lock.acquire())) throw new Error('acquire resolved false');
          lock.release();
        }
      };
    }
  }
  return measure(
    () => forMs(warmMs, batch, isAsync),
    async () => {
      const ops = await forMs(maxMs, batch, isAsync);
      if (!check()) throw new Error('the lock is still held after the run');
      return { ops };
    },
  );
}

/**
 * Event ping-pong. Ping times round trips for `maxMs` (checking the clock every 64), then raises STOP and
 * sets A once more; pong counts its answers, which must equal ping's round trips (warm-up included).
 */
function eventScenario() {
  const a = revive(workerData.a);
  const b = revive(workerData.b);
  const stop = new Int32Array(workerData.stop);
  const { maxMs, warmMs } = workerData;
  const isAsync = scenario === 'event-async';
  if (index === 0) {
    let total = 0;
    const ping = async (ms) => {
      const start = performance.now();
      let trips = 0;
      do {
        for (let i = 0; i < 64; i++) {
          a.set();
          if (isAsync) await b.wait();
          else b.waitSync();
          b.clear();
        }
        trips += 64;
      } while (performance.now() - start < ms);
      total += trips;
      return trips;
    };
    return measure(
      () => ping(warmMs),
      async () => {
        const ops = await ping(maxMs);
        Atomics.store(stop, 0, 1);
        a.set();
        return { ops, sent: total };
      },
      false,
    );
  }
  return measure(
    () => undefined,
    async () => {
      let answered = 0;
      for (;;) {
        if (isAsync) await a.wait();
        else a.waitSync();
        a.clear();
        if (Atomics.load(stop, 0) === 1) break;
        b.set();
        answered++;
      }
      // Pong's timing is not used: its loop starts before ping's warm-up ends.
      return { ops: 0, answered };
    },
    false,
  );
}

/**
 * Barrier cycles for `maxMs`. Party 0 reads the clock every 16 generations and, once time is up, writes
 * STOP = g + 1 before its wait number g: every other party passes that wait only after party 0 arrived, so
 * it sees STOP at the top of generation g + 1, and all parties do exactly g + 1 waits. Each party counts
 * the waits that returned index 0: one per generation, so their sum must equal the generations.
 */
function barrierScenario() {
  const barrier = revive(workerData.barrier);
  const stop = new Int32Array(workerData.stop);
  const { maxMs, warmGenerations } = workerData;
  const isAsync = scenario === 'barrier-async';
  let zeros = 0;
  const cross = isAsync
    ? async () => {
        if ((await barrier.wait()) === 0) zeros++;
      }
    : () => {
        if (barrier.waitSync() === 0) zeros++;
      };
  return measure(
    async () => {
      for (let g = 0; g < warmGenerations; g++) {
        if (isAsync) await cross();
        else cross();
      }
    },
    async () => {
      const start = performance.now();
      let g = 0;
      for (;;) {
        if (index === 0 && (g & 15) === 0 && Atomics.load(stop, 0) > g && performance.now() - start >= maxMs) {
          Atomics.store(stop, 0, g + 1);
        }
        if (g >= Atomics.load(stop, 0)) break;
        if (isAsync) await cross();
        else cross();
        g++;
      }
      return { ops: g, zeros };
    },
  );
}

function run() {
  if (scenario.startsWith('lock-')) return lockScenario();
  if (scenario.startsWith('solo-')) return soloScenario();
  if (scenario.startsWith('event-')) return eventScenario();
  if (scenario.startsWith('barrier-')) return barrierScenario();
  throw new TypeError(`unknown scenario ${scenario}`);
}

parentPort?.postMessage({ index, ...(await run()) });
