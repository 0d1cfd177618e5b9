/** The types every `Manager` serves (Python's `SyncManager`): typeid → type. */

import type { ManagedType } from '../managed-type.ts';
import { BARRIER_TYPE } from './barrier.ts';
import { CONDITION_TYPE } from './condition.ts';
import { DICT_TYPE } from './dict.ts';
import { EVENT_TYPE } from './event.ts';
import { LIST_TYPE } from './list.ts';
import { LOCK_TYPE, RLOCK_TYPE } from './lock.ts';
import { NAMESPACE_TYPE } from './namespace.ts';
import { JOINABLE_QUEUE_TYPE, QUEUE_TYPE } from './queue.ts';
import { BOUNDED_SEMAPHORE_TYPE, SEMAPHORE_TYPE } from './semaphore.ts';
import { ARRAY_TYPE, VALUE_TYPE } from './value.ts';

export const BUILT_IN_TYPES: readonly ManagedType[] = [
  DICT_TYPE,
  LIST_TYPE,
  NAMESPACE_TYPE,
  QUEUE_TYPE,
  JOINABLE_QUEUE_TYPE,
  LOCK_TYPE,
  RLOCK_TYPE,
  SEMAPHORE_TYPE,
  BOUNDED_SEMAPHORE_TYPE,
  EVENT_TYPE,
  CONDITION_TYPE,
  BARRIER_TYPE,
  VALUE_TYPE,
  ARRAY_TYPE,
] as ManagedType[];
