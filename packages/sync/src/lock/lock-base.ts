import { currentThreadToken, type ParkingSpot, SHARED_BLOCK, type SharedBlock, type SharedType } from '@ipc/core';
import { Acquirable } from '../acquirable.ts';
import { LOCK_BYTES, LOCK_WORDS, LockLayout } from './layout.ts';
import { lockHolder, markContended } from './lock-algorithm.ts';

/** What Lock and RLock share: the lock word (layout.ts, lock-algorithm.ts) and the questions about it. */
export abstract class LockBase extends Acquirable {
  /** The lock's words (layout.ts), for the subclasses' algorithm calls. */
  protected readonly words: Int32Array;
  readonly #spot: ParkingSpot;
  readonly #beforePark: (seen: number) => number | undefined;

  protected constructor(type: SharedType, from: SharedBlock | undefined) {
    super(type, from ?? LOCK_BYTES);
    const words = this[SHARED_BLOCK].int32(0, LOCK_WORDS);
    this.words = words;
    this.#spot = { i32: words, valueIndex: LockLayout.STATE_INDEX, waitersIndex: LockLayout.WAITERS_INDEX };
    this.#beforePark = (seen) => markContended(words, seen);
  }

  protected override get spot(): ParkingSpot {
    return this.#spot;
  }

  protected override get beforePark(): (seen: number) => number | undefined {
    return this.#beforePark;
  }

  /** True while some thread holds it (a snapshot: it may change right after). */
  locked(): boolean {
    return lockHolder(this.words) !== 0;
  }

  /** True when the calling thread holds it. */
  isOwned(): boolean {
    return lockHolder(this.words) === currentThreadToken();
  }
}
