/**
 * design.md §8: Pipe ping-pong round trips between two worker threads, a small number each way. @ipc's
 * `Pipe()` with sendSync / recvSync on both sides, postMessage over a MessageChannel between two workers,
 * CPython's `multiprocessing.Pipe()` between two processes, and the raw floor: two workers bouncing one
 * shared word with a busy spin on Atomics.load (no message, no codec, two cores busy). Every run checks that
 * every answer was the number sent (the floor: that each side saw the other's every step).
 */

import { expectEqual } from '../harness/invalid-run.ts';
import type { ScenarioFactory } from '../scenario.ts';
import { single } from '../scenario.ts';
import { runPair } from '../suites/core/ping-pong.ts';
import { cpythonPipe, pipeWorkers, portWorkers, type Trips } from '../suites/pipe/shared-memory.ts';
import { cpythonRow } from './cpython-row.ts';
import { countText } from './workload.ts';

/** The floor's round trips per second: `trips.count` timed after `trips.warm`, each answered (checked). */
async function spinFloor(trips: Trips): Promise<number> {
  const result = await runPair(
    { label: 'raw spin', transport: 'atomics-spin' },
    {
      repetitions: 1,
      maxRoundTrips: trips.count,
      maxMs: 60_000,
      warmupRoundTrips: trips.warm,
      warmupMs: 60_000,
      waitTimeoutMs: 5_000,
    },
  );
  expectEqual('the timed round trips', result.roundTrips, trips.count);
  expectEqual('the round trips pong answered', result.answered, trips.warm + trips.count);
  return result.perSecond;
}

export const pipePingPong: ScenarioFactory = {
  id: 'pipe-ping-pong',
  create(_mode, python) {
    // Shorter runs park more (each side's spin budget outlasts fewer hand-offs): quick mode keeps the full count.
    const trips: Trips = { count: 50_000, warm: 10_000 };
    const cpython = cpythonRow(python, 'multiprocessing.Pipe()', () => cpythonPipe(trips));
    return {
      id: this.id,
      title: 'Pipe ping-pong round trips, worker ↔ worker',
      unit: 'round trips/s',
      about:
        'Two threads (CPython: processes) send a number back and forth; the floor bounces one shared word by spinning on Atomics. Every run checks each answer.',
      workload: countText(trips.count, 'round trips', trips.warm),
      measurements: [
        single('ipc', '@ipc Pipe sendSync / recvSync', () => pipeWorkers(trips)),
        single('postMessage', 'Node postMessage, MessageChannel', () => portWorkers(trips)),
        ...cpython.measurements,
        single('floor', 'raw Atomics: one word, busy spin', () => spinFloor(trips)),
      ],
      skipped: cpython.skipped,
      targets: [{ kind: 'rate', rate: 400_000 }],
    };
  },
};
