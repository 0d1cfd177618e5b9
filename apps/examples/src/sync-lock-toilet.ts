/**
 * Scenario (seed 001, "互斥锁", the toilet): three processes share one toilet; a Lock is the door's bolt, so
 * only one is inside at a time and the others wait outside until it leaves.
 *
 * Python:
 *     def work(mutex):
 *         mutex.acquire()
 *         print('task[%s] 上厕所' % os.getpid())     # enters the toilet
 *         time.sleep(3)
 *         print('task[%s] 上完厕所' % os.getpid())   # leaves the toilet
 *         mutex.release()
 *     if __name__ == '__main__':
 *         mutex = Lock()
 *         p1, p2, p3 = (Process(target=work, args=(mutex,)) for _ in range(3))
 *         p1.start(); p2.start(); p3.start()
 *         p1.join(); p2.join(); p3.join()
 *         print('主')
 *
 * Here: the same, with the 3 s shortened. The Lock passed in `args` arrives live in each child (the same
 * shared memory, not a copy), so an "enters" line is always followed by the same task's "leaves" line.
 * `acquire()` waits without blocking the child's event loop; `acquireSync()` would block the thread, as
 * Python's `acquire()` does.
 */
import { currentProcess, isMainProcess, Process } from '@ipc/process';
import { Lock } from '@ipc/sync';

/** The target: exported, so that each child (which imports this module) can find it. */
export async function work(mutex: Lock, ms: number): Promise<void> {
  const me = `task[${currentProcess().pid}]`;
  await mutex.acquire();
  try {
    console.log(`${me} enters the toilet`);
    await new Promise((resolve) => setTimeout(resolve, ms));
    console.log(`${me} leaves the toilet`);
  } finally {
    // Python's with-statement does this for you; here `await mutex.withLock(() => ...)` would too.
    mutex.release();
  }
}

if (isMainProcess()) {
  const mutex = new Lock();
  const people = [1, 2, 3].map(() => new Process({ target: work, args: [mutex, 200] }));
  for (const p of people) p.start();
  for (const p of people) await p.join();
  console.log(
    `main: everyone is done (exit codes ${people.map((p) => p.exitcode).join(' ')}), lock free: ${!mutex.locked()}`,
  );
}
