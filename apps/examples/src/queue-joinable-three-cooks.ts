/**
 * Scenario (seed 001, "利用JoinableQueue" with 包子/骨头/豆浆; seed 000, "基于JoinableQueue"; seed 003): three
 * cooks make baozi, gutou and doujiang into a JoinableQueue; two daemon eaters take the items and call
 * `task_done()` after each. No sentinels: the cooks, and then the main, `join()` the queue, which returns
 * once every item put has been marked done. The eaters loop for ever and are never joined: they are daemons,
 * so they end with the main while still blocked in `get`.
 *
 * Python:
 *     def consumer(q):
 *         while True:
 *             res = q.get()
 *             time.sleep(random.randint(1, 3))
 *             print('%s吃了%s' % (os.getpid(), res))   # "<pid> ate <res>"
 *             q.task_done()
 *     def product_baozi(q):
 *         for i in range(5):
 *             time.sleep(2)
 *             res = '包子%s' % i
 *             q.put(res)
 *             print('%s制造了%s' % (os.getpid(), res))  # "<pid> made <res>"
 *         q.join()           # the cook waits until everything it made is eaten
 *     # product_gutou (骨头) and product_doujiang (豆浆): the same
 *     if __name__ == '__main__':
 *         q = JoinableQueue()
 *         p1 = Process(target=product_baozi, args=(q,))
 *         p2 = Process(target=product_doujiang, args=(q,))
 *         p3 = Process(target=product_gutou, args=(q,))
 *         p4 = Process(target=consumer, args=(q,)); p5 = Process(target=consumer, args=(q,))
 *         p4.daemon = True; p5.daemon = True
 *         for p in [p1, p2, p3, p4, p5]: p.start()
 *         p1.join(); p2.join(); p3.join()
 *         q.join()           # seed 000: the main waits until the queue is worked off
 *         print('主')        # "main"; the daemon eaters end with it
 *
 * Here: one `cook` target takes the food as an argument, instead of three copies of it, and the sleeps are
 * shortened. A cook prints before its `put` and an eater before its `taskDone()` (child output is written at
 * once, as a Python child's is), so the output shows cause before effect. `join()` is the Promise form; a
 * daemon eater's pending `get()` does not keep the main alive, and the main's end terminates it.
 */
import { currentProcess, isMainProcess, Process } from '@ipc/process';
import { JoinableQueue } from '@ipc/queue';

const FOODS = ['baozi', 'gutou', 'doujiang'];
const ITEMS = 5;

const pause = (min: number, max: number) =>
  new Promise((resolve) => setTimeout(resolve, min + Math.random() * (max - min)));

/** Targets: exported, so that each child (which imports this module) can find them. */
export async function cook(food: string, q: JoinableQueue<string>): Promise<void> {
  const { name } = currentProcess();
  for (let i = 0; i < ITEMS; i++) {
    await pause(10, 30); // cooking takes a while
    console.log(`${name} made ${food}${i}`);
    await q.put(`${food}${i}`);
  }
  // No sentinel: wait until every item put so far (this cook's among them) has been marked done.
  await q.join();
  console.log(`${name}: all my ${food} is eaten`);
}

export async function eater(q: JoinableQueue<string>): Promise<void> {
  const { name } = currentProcess();
  for (;;) {
    const item = await q.get(); // the last call waits here for ever; the main's end terminates this daemon
    await pause(5, 20); // eating takes a while too
    console.log(`${name} ate ${item}`);
    q.taskDone(); // "I got an item and I am done with it": join() counts these
  }
}

if (isMainProcess()) {
  const q = new JoinableQueue<string>();
  const cooks = FOODS.map((food) => new Process({ target: cook, args: [food, q], name: `cook-${food}` }));
  // daemon: terminated, not waited for, when the main ends (set before start(), as in Python).
  const eaters = [1, 2].map((i) => new Process({ target: eater, args: [q], name: `eater-${i}`, daemon: true }));
  for (const p of [...cooks, ...eaters]) p.start();
  for (const p of cooks) await p.join();
  console.log(`main: the cooks are done (exit codes ${cooks.map((p) => p.exitcode).join(' ')})`);
  // The cooks already waited for the queue; the main's own join() is what seed 000 does, and returns at once.
  await q.join();
  console.log(`main: q.join() returned; unfinished tasks ${q.unfinishedTasks}, qsize ${q.qsize()}`);
  console.log(
    `main ends; the daemon eaters, still waiting in get(), end with it (alive now: ${eaters.map((p) => p.isAlive()).join(' ')})`,
  );
}
