/**
 * Scenario (seeds 000, 001, 003: the producer–consumer model, done the better way): the same two producers
 * and two consumers as queue-producer-consumer-none.ts, without sentinels. When the producers are done, the
 * main calls `q.shutdown()`; each consumer's `for await (const food of q)` takes what is still queued and
 * then ends by itself, however many consumers there are.
 *
 * Python 3.13 (`queue.Queue.shutdown`; `multiprocessing.Queue` has no shutdown):
 *     def consumer(q, name):
 *         while True:
 *             try:
 *                 food = q.get()
 *             except queue.ShutDown:                # raised once shut down and drained
 *                 break
 *             print('%s ate %s' % (name, food))
 *     ...
 *     p.join(); p1.join()
 *     q.shutdown()                                 # instead of one None per consumer
 *
 * Here: `for await` does the try/except. A consumer that uses the blocking form writes it out:
 * `for (;;) { try { food = q.getSync(); } catch (e) { if (e instanceof ShutDown) break; throw e; } }`.
 * After `shutdown()`, a `put` throws `ShutDown`; `shutdown({ immediate: true })` would also drop what is
 * still queued. Nothing is lost here: every item made is eaten exactly once.
 *
 * The seeds' other answer, JoinableQueue (`task_done()` + `join()`), is coming to @ipc/queue.
 */
import { currentProcess, isMainProcess, Process } from '@ipc/process';
import { Queue } from '@ipc/queue';

const ITEMS = 4;

const pause = (min: number, max: number) =>
  new Promise((resolve) => setTimeout(resolve, min + Math.random() * (max - min)));

/** Targets: exported, so that each child (which imports this module) can find them. */
export async function producer(name: string, food: string, q: Queue<string>): Promise<void> {
  for (let i = 0; i < ITEMS; i++) {
    await pause(10, 30);
    const f = `${name} made ${food}${i}`;
    console.log(f);
    await q.put(f);
  }
}

export async function consumer(q: Queue<string>, name: string): Promise<void> {
  let eaten = 0;
  for await (const food of q) {
    console.log(`${name} ate (${food})`);
    eaten++;
    await pause(10, 30);
  }
  // The loop ends only when the queue is shut down and empty.
  console.log(`${name} (${currentProcess().name}): the queue is shut down and drained; ate ${eaten}`);
}

if (isMainProcess()) {
  const q = new Queue<string>();
  const p = new Process({ target: producer, args: ['p', 'bun', q] });
  const p1 = new Process({ target: producer, args: ['p1', 'pancake', q] });
  const c = new Process({ target: consumer, args: [q, 'c'] });
  const c1 = new Process({ target: consumer, args: [q, 'c1'] });
  for (const proc of [p, p1, c, c1]) proc.start();
  await p.join();
  await p1.join();
  q.shutdown(); // every consumer stops once it has eaten what is left; no count of sentinels to keep
  await c.join();
  await c1.join();
  console.log(`main: all done (exit codes ${[p, p1, c, c1].map((x) => x.exitcode).join(' ')}), qsize ${q.qsize()}`);
}
