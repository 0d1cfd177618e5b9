/**
 * Scenario (seed 001, "队列"; seed 000, "1.1 队列" and "1.2 通过队列实现进程间通讯"; seed 003): a Queue(3)
 * holds at most three items, first in first out. `put` waits while it is full and `get` while it is empty;
 * `put_nowait`/`get_nowait` raise `queue.Full`/`queue.Empty` instead of waiting. Then one child puts a
 * message and another child gets it.
 *
 * Python:
 *     q = Queue(3)
 *     q.put(1); q.put(2); q.put(3)
 *     print(q.full())            # True
 *     # q.put(4)                 # full: waits here until someone takes an item
 *     print(q.get()); print(q.get())
 *     print(q.empty())           # False
 *     print(q.get())
 *     print(q.empty())           # True
 *     # print(q.get_nowait())    # empty: raises queue.Empty at once
 *
 *     def producer(q): q.put('hello GF~')
 *     def consumer(q): print(q.get())
 *     if __name__ == '__main__':
 *         q = Queue()
 *         p = Process(target=producer, args=(q,)); c = Process(target=consumer, args=(q,))
 *         p.start(); c.start()   # hello GF~
 *
 * Here: the same calls, camelCased; the commented-out lines run too. Timeouts are in milliseconds, and a
 * wait that runs out throws `Empty`/`Full` as Python's does. `full()`, `empty()` and `qsize()` are
 * snapshots: with other processes at work the answer may be stale a moment later (seed 000 warns about
 * the same), so decide with `putNowait`/`getNowait` or a timeout, not with them.
 */
import { isMainProcess, Process } from '@ipc/process';
import { Empty, Full, Queue } from '@ipc/queue';

/** Targets: exported, so that each child (which imports this module) can find them. */
export async function producer(q: Queue<string>): Promise<void> {
  await q.put('hello GF~');
}

export async function consumer(q: Queue<string>): Promise<void> {
  console.log(`consumer got: ${await q.get()}`);
}

/** What a call threw, by its class name; the queue errors are `Full`, `Empty` and `ShutDown`. */
function thrown(call: () => unknown): string {
  try {
    call();
    return 'nothing';
  } catch (error) {
    if (error instanceof Full || error instanceof Empty) return error.name;
    throw error;
  }
}

if (isMainProcess()) {
  const q = new Queue<number>(3); // Python: Queue(3); no argument, or 0, is unbounded
  await q.put(1);
  await q.put(2);
  q.putSync(3); // the blocking form: no Promise, the thread waits (here it need not)
  console.log(`put 1, 2, 3: qsize ${q.qsize()}, full ${q.full()}`);
  console.log(`putNowait(4) throws ${thrown(() => q.putNowait(4))}`);

  // Python's blocked q.put(4): here a pending Promise; the event loop stays free meanwhile.
  const waiting = q.put(4).then(() => console.log('put(4) went in: a get made room'));
  console.log(`get: ${await q.get()}`);
  await waiting;
  console.log(`get: ${await q.get()}`);
  console.log(`empty: ${q.empty()}`);
  console.log(`get: ${await q.get()}`);
  console.log(`get: ${q.getSync()}`); // the blocking form
  console.log(`empty: ${q.empty()}, qsize ${q.qsize()}`);
  console.log(`getNowait() throws ${thrown(() => q.getNowait())}`);
  try {
    await q.get({ timeout: 100 }); // 100 ms, not 100 s
  } catch (error) {
    if (!(error instanceof Empty)) throw error;
    console.log(`get({ timeout: 100 }) throws ${error.name} after waiting`);
  }

  // Between processes: the queue passed in args arrives live in each child, the same shared memory.
  const hello = new Queue<string>();
  const p = new Process({ target: producer, args: [hello] });
  const c = new Process({ target: consumer, args: [hello] });
  p.start();
  c.start();
  await p.join();
  await c.join();
  console.log(`main: producer and consumer ended (exit codes ${p.exitcode} ${c.exitcode}), qsize ${hello.qsize()}`);
}
