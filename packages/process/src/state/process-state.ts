import {
  type Deadline,
  defineSharedType,
  type ParkingSpot,
  parkUntilSync,
  type Readiness,
  SHARED_BLOCK,
  type SharedBlock,
  SharedHandle,
  WAITABLE,
  type Waitable,
  wakeParked,
} from '@ipc/core';
import {
  PROCESS_STATE_BYTES,
  PROCESS_STATE_LAYOUT_VERSION,
  PROCESS_STATE_TAG,
  ProcessStateLayout,
  ProcessStatus,
} from './layout.ts';

const PROCESS_STATE_TYPE = defineSharedType({
  name: 'ipc.process.ProcessState',
  tag: PROCESS_STATE_TAG,
  version: PROCESS_STATE_LAYOUT_VERSION,
  revive: (block) => new ProcessState(block),
});

/**
 * The shared status and exit code of one process (layout.ts). It is also the process's sentinel: a
 * `Waitable` that is ready once the process has exited.
 */
export class ProcessState extends SharedHandle implements Waitable {
  readonly #spot: ParkingSpot;

  constructor(from?: SharedBlock) {
    super(PROCESS_STATE_TYPE, from ?? PROCESS_STATE_BYTES);
    const i32 = this[SHARED_BLOCK].int32(0, PROCESS_STATE_BYTES / 4);
    this.#spot = { i32, valueIndex: ProcessStateLayout.STATUS_INDEX, waitersIndex: ProcessStateLayout.WAITERS_INDEX };
  }

  get status(): number {
    return Atomics.load(this.#spot.i32, ProcessStateLayout.STATUS_INDEX);
  }

  /** The exit code once `status` is EXITED; meaningless before. */
  get exitCode(): number {
    return Atomics.load(this.#spot.i32, ProcessStateLayout.EXIT_CODE_INDEX);
  }

  /** True once the child decoded its args. */
  get argsTaken(): boolean {
    return Atomics.load(this.#spot.i32, ProcessStateLayout.ARGS_TAKEN_INDEX) === 1;
  }

  /** Called by the child once it decoded its args (layout.ts, ARGS_TAKEN). */
  markArgsTaken(): void {
    Atomics.store(this.#spot.i32, ProcessStateLayout.ARGS_TAKEN_INDEX, 1);
  }

  markStarted(): void {
    Atomics.compareExchange(
      this.#spot.i32,
      ProcessStateLayout.STATUS_INDEX,
      ProcessStatus.CREATED,
      ProcessStatus.STARTED,
    );
  }

  /**
   * Records the exit, once: the first caller's code wins (the child's own 'exit' event comes before the
   * parent's Worker 'exit' event, and knows the code the program chose).
   */
  markExited(code: number): void {
    const { i32 } = this.#spot;
    if (Atomics.load(i32, ProcessStateLayout.STATUS_INDEX) === ProcessStatus.EXITED) return;
    // The code is stored before the status (both seq-cst): a reader that sees EXITED sees the code.
    Atomics.store(i32, ProcessStateLayout.EXIT_CODE_INDEX, code);
    Atomics.store(i32, ProcessStateLayout.STATUS_INDEX, ProcessStatus.EXITED);
    wakeParked(this.#spot);
  }

  /** Blocks until the process has exited; false on timeout. */
  waitExitedSync(deadline: Deadline): boolean {
    const exited = () => (this.status === ProcessStatus.EXITED ? true : undefined);
    return parkUntilSync(this.#spot, exited, { deadline }) === true;
  }

  get [WAITABLE](): Readiness {
    return { ready: () => this.status === ProcessStatus.EXITED, spot: this.#spot };
  }
}
