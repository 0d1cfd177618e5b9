/** The managed Event: Python's `threading.Event` in the server. */

import { planTimed } from '@ipc/core';
import { type Caller, managedType } from '../managed-type.ts';
import { WaitList } from '../wait-list.ts';

class ServedEvent {
  flag = false;
  readonly waiters = new WaitList();
}

/** As Python: true when set, or when woken by a set() (even if cleared again before this returns). */
function wait(event: ServedEvent, timeout: unknown, caller: Caller): Promise<boolean> {
  const { deadline } = planTimed(timeout as number | undefined);
  if (event.flag) return Promise.resolve(true);
  return event.waiters.wait(deadline, caller.signal);
}

export const EVENT_TYPE = managedType<ServedEvent>('Event', () => new ServedEvent(), {
  set: (event) => {
    event.flag = true;
    event.waiters.wakeAll();
  },
  clear: (event) => {
    event.flag = false;
  },
  isSet: (event) => event.flag,
  wait: (event, [timeout], caller) => wait(event, timeout, caller),
});
