/**
 * The managed Condition: Python's `threading.Condition` in the server, over a managed Lock or RLock (a new
 * RLock when none is given). `wait` releases the lock whatever its depth and takes it back at that depth,
 * also when the wait times out or is cancelled (the client then holds the lock, as Python's caller does
 * after an interrupted wait). `waitFor` is the client's loop over `wait`, as in Python's proxy.
 */

import { InvalidStateError, planTimed, type WaitOptions } from '@ipc/core';
import { type Caller, managedType } from '../managed-type.ts';
import { ServerReference } from '../object-table.ts';
import { WaitList } from '../wait-list.ts';
import { ServedLock } from './lock.ts';

class ServedCondition {
  readonly lock: ServedLock;
  /** Keeps the lock's managed object alive while this condition uses it. */
  readonly lockReference: ServerReference | undefined;
  readonly waiters = new WaitList();

  constructor(lock: ServedLock, reference: ServerReference | undefined) {
    this.lock = lock;
    this.lockReference = reference;
  }

  checkOwner(caller: Caller, what: string): void {
    if (this.lock.owner !== caller.session) throw new InvalidStateError(`cannot ${what} on un-acquired lock`);
  }
}

function create([lock]: unknown[]): ServedCondition {
  if (lock === undefined || lock === null) return new ServedCondition(new ServedLock(true), undefined);
  const served = lock instanceof ServerReference ? lock.object.value : undefined;
  if (!(served instanceof ServedLock)) throw new TypeError('Condition(lock) takes a Lock or RLock of the same manager');
  return new ServedCondition(served, lock as ServerReference);
}

async function wait(condition: ServedCondition, timeout: unknown, caller: Caller): Promise<boolean> {
  const { deadline } = planTimed(timeout as number | undefined);
  condition.checkOwner(caller, 'wait');
  const depth = condition.lock.releaseAll(caller.session);
  try {
    return await condition.waiters.wait(deadline, caller.signal);
  } finally {
    // Taken back however the wait ended (a cancelled wait too, as Python's interrupted wait), unless the
    // caller's connection is gone.
    await condition.lock.reacquire(caller.session, depth);
  }
}

export const CONDITION_TYPE = managedType<ServedCondition>(
  'Condition',
  create,
  {
    acquire: (c, [options], caller) => c.lock.acquire(caller, options as WaitOptions),
    release: (c, _args, caller) => c.lock.release(caller.session),
    wait: (c, [timeout], caller) => wait(c, timeout, caller),
    notify: (c, [n = 1], caller) => {
      c.checkOwner(caller, 'notify');
      if (typeof n !== 'number' || !Number.isInteger(n) || n < 0)
        throw new RangeError(`n must be a non-negative integer, got ${String(n)}`);
      c.waiters.wake(n);
    },
    notifyAll: (c, _args, caller) => {
      c.checkOwner(caller, 'notify');
      c.waiters.wakeAll();
    },
  },
  { dispose: (c) => c.lockReference?.release() },
);
