/**
 * Scenario (seed 000, "python原生queue(堆栈、自定义优先级队列)"; seed 001 lists the same three): Python's
 * `queue` module has three orders — `Queue` first in first out, `LifoQueue` last in first out (a stack),
 * `PriorityQueue` lowest priority first ("越小越优先", the smaller the sooner).
 *
 * Python:
 *     q = queue.Queue()
 *     q.put('hahha')
 *     print(q.get())                 # hahha
 *
 *     q = queue.LifoQueue()
 *     q.put(1); q.put(2); q.put(3)
 *     print(q.get())                 # 3
 *
 *     q = queue.PriorityQueue()
 *     q.put((10, 'haha')); q.put((100, 'hehehe')); q.put((0, 'xxxx')); q.put((-10, 'yyyy'))
 *     print(q.get())                 # (-10, 'yyyy')
 *
 * Here: the same, with every item got rather than the first, and tuples written as arrays: a PriorityQueue
 * item is `[priority, ...rest]` with a number priority. Equal priorities come out in the order they were put
 * (Python's heap would compare the rest of the tuple instead). Python's three are for the threads of one
 * process; these live in shared memory, so the last part has a child put jobs into a PriorityQueue and the
 * main take them, lowest priority first. Items that are not `[priority, ...]` arrays are ordered by a
 * `compare` option (Python: an item class with `__lt__`).
 */
import { isMainProcess, Process } from '@ipc/process';
import { Empty, LifoQueue, PriorityQueue, Queue } from '@ipc/queue';

type Job = [priority: number, task: string];

/** The target: exported, so that the child (which imports this module) can find it. */
export async function scheduler(jobs: PriorityQueue<Job>): Promise<void> {
  const batch: Job[] = [
    [3, 'deploy'],
    [1, 'build'],
    [2, 'test'],
    [0, 'fetch'],
    [2, 'lint'],
  ];
  for (const job of batch) await jobs.put(job);
  console.log(`child: put ${jobs.qsize()} jobs, in the order deploy build test fetch lint`);
}

/** Gets every item without waiting: getNowait() until it throws Empty (empty() would only be a snapshot). */
function drain<T>(q: { getNowait(): T }): T[] {
  const items: T[] = [];
  for (;;) {
    try {
      items.push(q.getNowait());
    } catch (error) {
      if (error instanceof Empty) return items;
      throw error;
    }
  }
}

const show = (items: unknown[]) => items.map((item) => JSON.stringify(item)).join(' ');

if (isMainProcess()) {
  const fifo = new Queue<string | number>();
  await fifo.put('hahha');
  console.log(`Queue: get ${await fifo.get()}`);
  for (const n of [1, 2, 3]) await fifo.put(n);
  console.log(`Queue (first in, first out): put 1 2 3, got ${show(drain(fifo))}`);

  const stack = new LifoQueue<number>();
  for (const n of [1, 2, 3]) await stack.put(n);
  console.log(`LifoQueue: get ${await stack.get()}`);
  for (const n of [4, 5]) stack.putSync(n); // the blocking form: no Promise (it need not wait here)
  console.log(`LifoQueue (last in, first out): then put 4 5, got ${show(drain(stack))}`);

  const pq = new PriorityQueue<Job>();
  const seedItems: Job[] = [
    [10, 'haha'],
    [100, 'hehehe'],
    [0, 'xxxx'],
    [-10, 'yyyy'],
  ];
  for (const item of seedItems) await pq.put(item);
  console.log(`PriorityQueue: get ${JSON.stringify(await pq.get())}`);
  const ties: Job[] = [
    [5, 'first 5'],
    [0, 'another 0'],
    [5, 'second 5'],
  ];
  for (const item of ties) pq.putSync(item);
  console.log(`PriorityQueue (lowest first, ties in put order): got ${show(drain(pq))}`);
  try {
    // @ts-expect-error: not a [priority, ...] array; the types say so, and put() checks at run time too
    await pq.put('no priority');
  } catch (error) {
    if (!(error instanceof TypeError)) throw error;
    console.log(`PriorityQueue: put('no priority') throws TypeError`);
  }

  // Python's custom priority (an item class with __lt__) is a `compare` option here: by deadline, soonest first.
  type Task = { name: string; deadline: number };
  const byDeadline = new PriorityQueue({ compare: (a: Task, b: Task) => a.deadline - b.deadline });
  for (const task of [
    { name: 'report', deadline: 30 },
    { name: 'backup', deadline: 10 },
    { name: 'email', deadline: 20 },
  ]) {
    byDeadline.putSync(task);
  }
  console.log(
    `PriorityQueue with compare (soonest deadline first): got ${drain(byDeadline)
      .map((t) => t.name)
      .join(' ')}`,
  );

  // Between workers: the child puts, the main gets after the child is done, so all five are there to choose
  // from; what comes out first is the lowest priority, not the first put.
  const jobs = new PriorityQueue<Job>();
  const child = new Process({ target: scheduler, args: [jobs] });
  child.start();
  await child.join();
  const order: string[] = [];
  for (let i = 0; i < 5; i++) order.push(JSON.stringify(await jobs.get()));
  console.log(`main: the child ended (exit code ${child.exitcode}); got ${order.join(' ')}`);
}
