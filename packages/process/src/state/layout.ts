/**
 * Memory layout of a process's shared state: what the parent and the child both see, so that the parent can
 * `joinSync()` (its event loop blocked, no 'exit' event can reach it) and `wait()` can watch sentinels.
 *
 *   word 0  TAG_VERSION   PROCESS_STATE_TAG << 16 | PROCESS_STATE_LAYOUT_VERSION   written at allocation
 *   word 1  STATUS        CREATED -> STARTED (parent, in start()) -> EXITED (child's 'exit' event, or the
 *                         parent's Worker 'exit' event for deaths that run no code in the child)
 *   word 2  EXIT_CODE     the exit code, written before STATUS becomes EXITED            whoever sets EXITED
 *   word 3  WAITERS       threads parked on STATUS                                    parkers (core park.ts)
 *   word 4  ARGS_TAKEN    1 once the child decoded its args (the @ipc primitives in    the child
 *                         them have arrived); at an exit without it, the parent tells
 *                         their types those copies are lost (core forgetHandles)
 *   words 5..7  reserved (0)
 */

export const PROCESS_STATE_TAG = 0x0301;
export const PROCESS_STATE_LAYOUT_VERSION = 2;

export const ProcessStateLayout = {
  STATUS_INDEX: 1,
  EXIT_CODE_INDEX: 2,
  WAITERS_INDEX: 3,
  ARGS_TAKEN_INDEX: 4,
} as const;

export const ProcessStatus = {
  CREATED: 0,
  STARTED: 1,
  EXITED: 2,
} as const;

export const PROCESS_STATE_BYTES = 8 * 4;
