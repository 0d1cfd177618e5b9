/**
 * The meeting point of the threads of one benchmark run (worker scripts import it): every thread waits until
 * all have arrived, before the warm-up and again before the timed part, so that their timed parts overlap.
 */

/**
 * A rendezvous of `threads` threads on word 0 of `gate` (a SharedArrayBuffer, 0 at first): each call waits
 * until all `threads` have called it as often as this one (a counter barrier on Atomics.wait; untimed, so it
 * need not be fast). A call throws after `guardMs` instead of hanging; `index` names the thread in the error.
 */
export function rendezvousOf(gate, threads, guardMs, index) {
  const gateWords = new Int32Array(gate);
  let phase = 0;
  return () => {
    phase++;
    const target = threads * phase;
    // The last to arrive wakes the others; the add is sequentially consistent, so each sees every arrival.
    if (Atomics.add(gateWords, 0, 1) + 1 === target) {
      Atomics.notify(gateWords, 0);
      return;
    }
    const end = performance.now() + guardMs;
    for (let seen = Atomics.load(gateWords, 0); seen < target; seen = Atomics.load(gateWords, 0)) {
      const left = end - performance.now();
      if (left <= 0) throw new Error(`thread ${index}: the other threads did not arrive within ${guardMs} ms`);
      Atomics.wait(gateWords, 0, seen, left);
    }
  };
}
