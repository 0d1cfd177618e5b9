/**
 * The floor under @ipc/sync's Lock: a bare futex mutex over one Int32 word, with nothing @ipc adds (no
 * holder token, no liveness check, no hand-over, no options). Drepper, "Futexes Are Tricky" (2011),
 * mutex take 2, plus the same spin as @ipc's sync waits (core's DEFAULT_SPIN_SYNC loads) before parking.
 *
 * Word 0: 0 free, 1 held with no sleeper, 2 held and a thread may sleep on it. Every Atomics operation is
 * sequentially consistent, so the plain accesses between rawLock and rawUnlock are ordered by them.
 */

/** Loads of the word before parking: @ipc's DEFAULT_SPIN_SYNC, so that both locks spin alike. */
export const RAW_SPIN = 2000;

/** Takes the lock, spinning then sleeping. */
export function rawLock(word) {
  let c = Atomics.compareExchange(word, 0, 0, 1);
  if (c === 0) return;
  for (let k = 0; k < RAW_SPIN; k++) {
    if (Atomics.load(word, 0) === 0) {
      c = Atomics.compareExchange(word, 0, 0, 1);
      if (c === 0) return;
    }
  }
  // Mark it contended (2) before sleeping; whoever gets it from here keeps it marked, so its release notifies.
  if (c !== 2) c = Atomics.exchange(word, 0, 2);
  while (c !== 0) {
    Atomics.wait(word, 0, 2);
    c = Atomics.exchange(word, 0, 2);
  }
}

/** Releases it; notifies only when it was marked contended. */
export function rawUnlock(word) {
  if (Atomics.sub(word, 0, 1) !== 1) {
    Atomics.store(word, 0, 0);
    Atomics.notify(word, 0, 1);
  }
}
