/**
 * Scenario (seed 004, "進程之間的通信 Queue"): three processes each put one message on the queue the main
 * created; the main gets the three of them, in whatever order they arrive, then joins the processes.
 *
 * Python:
 *     def func(q, name):
 *         q.put('My Process_name is %s and put the data to the id %d queue' % (name, id(q)))
 *     if __name__ == "__main__":
 *         q = Queue()
 *         print("main queue id: %d" % id(q))
 *         for i in range(3):
 *             proc = Process(target=func, args=(q, 'Process-%d' % i))
 *             process_list.append(proc); proc.start()
 *         print(q.get()); print(q.get()); print(q.get())
 *         for each_process in process_list: each_process.join()
 *
 * The seed notices that each child prints another `id(q)` than the main, and concludes that the children
 * hold pickled copies that still reach the same queue. Here it is plainer: each child gets its own `Queue`
 * object over the **same shared memory** (a queue in `args` arrives live): `put` encodes a message into that
 * memory and the main's `get` decodes it from there. `currentProcess().name` gives the name the seed passes
 * by hand.
 */
import { currentProcess, isMainProcess, Process } from '@ipc/process';
import { Queue } from '@ipc/queue';

/** The target: exported, so that each child (which imports this module) can find it. */
export async function func(q: Queue<string>): Promise<void> {
  await q.put(`My process name is ${currentProcess().name} and I put this on the main's queue`);
}

if (isMainProcess()) {
  const q = new Queue<string>();
  const processes = [0, 1, 2].map(() => new Process({ target: func, args: [q] }));
  for (const p of processes) p.start();
  // get() waits for each message, however slowly the children start; the order is theirs.
  for (let i = 0; i < processes.length; i++) console.log(`main got: ${await q.get()}`);
  for (const p of processes) await p.join();
  console.log(`main: joined ${processes.length} processes (exit codes ${processes.map((p) => p.exitcode).join(' ')})`);
}
