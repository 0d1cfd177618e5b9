/**
 * Scenario (seed 000, "基于Queue的生产消费者模型"; seeds 001 and 003 do the same): two producers make food
 * and put it on a queue, two consumers take it and eat it. The consumers cannot know when the producers are
 * done, so the main waits for both producers and then puts one `None` per consumer: a consumer that gets
 * `None` stops.
 *
 * Python:
 *     def producer(name, food, q):
 *         for i in range(4):
 *             time.sleep(random.randint(1, 3))
 *             f = '%s生产的%s%s' % (name, food, i)   # "<name> made <food><i>"
 *             print(f)
 *             q.put(f)
 *     def consumer(q, name):
 *         while True:
 *             food = q.get()
 *             if food is None:
 *                 print('%s获取到一个空' % name)     # "<name> got a None"
 *                 break
 *             print('%s消费了%s' % (name, food))     # "<name> ate <food>"
 *             time.sleep(random.randint(1, 3))
 *     if __name__ == '__main__':
 *         q = Queue()
 *         p = Process(target=producer, args=('p', '包子', q)); p.start()
 *         p1 = Process(target=producer, args=('p1', '烧饼', q)); p1.start()
 *         c = Process(target=consumer, args=(q, 'c')); c.start()
 *         c1 = Process(target=consumer, args=(q, 'c1')); c1.start()
 *         p.join(); p1.join()
 *         q.put(None); q.put(None)                 # one None per consumer
 *
 * Here: the same, with `null` for `None` and the sleeps shortened. It works, and the seeds call it "too
 * low": one sentinel per consumer must be counted by hand (one too few and a consumer waits for ever),
 * and `null` can no longer be an item (seed 003's `if not product:` even stops at an empty string).
 * queue-producer-consumer-shutdown.ts is the better way: `shutdown()` and `for await`.
 */
import { isMainProcess, Process } from '@ipc/process';
import { Queue } from '@ipc/queue';

const ITEMS = 4;

const pause = (min: number, max: number) =>
  new Promise((resolve) => setTimeout(resolve, min + Math.random() * (max - min)));

/** Targets: exported, so that each child (which imports this module) can find them. */
export async function producer(name: string, food: string, q: Queue<string | null>): Promise<void> {
  for (let i = 0; i < ITEMS; i++) {
    await pause(10, 30); // making food takes a while
    const f = `${name} made ${food}${i}`;
    console.log(f);
    await q.put(f);
  }
}

export async function consumer(q: Queue<string | null>, name: string): Promise<void> {
  for (;;) {
    const food = await q.get(); // waits while the queue is empty, without blocking this worker's event loop
    if (food === null) {
      console.log(`${name} got a null and stops`);
      break;
    }
    console.log(`${name} ate (${food})`);
    await pause(10, 30); // eating takes a while too
  }
}

if (isMainProcess()) {
  const q = new Queue<string | null>();
  const p = new Process({ target: producer, args: ['p', 'bun', q] });
  const p1 = new Process({ target: producer, args: ['p1', 'pancake', q] });
  const c = new Process({ target: consumer, args: [q, 'c'] });
  const c1 = new Process({ target: consumer, args: [q, 'c1'] });
  for (const proc of [p, p1, c, c1]) proc.start();
  await p.join();
  await p1.join();
  // The producers are done: one sentinel per consumer. Two consumers, two nulls.
  await q.put(null);
  await q.put(null);
  await c.join();
  await c1.join();
  console.log(`main: all done (exit codes ${[p, p1, c, c1].map((x) => x.exitcode).join(' ')}), qsize ${q.qsize()}`);
}
