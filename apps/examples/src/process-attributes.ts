/**
 * Scenario (seed 001, "Process对象的其他属性"): a Process's attributes — join order, daemon, terminate,
 * isAlive right after terminate, name, pid.
 *
 * Python:
 *     def work():
 *         print('%s is working' % os.getpid()); time.sleep(3)
 *     if __name__ == '__main__':
 *         p1, p2, p3 = Process(target=work), Process(target=work), Process(target=work)
 *         p1.start(); p2.start(); p3.start()
 *         p3.join(); p2.join(); p1.join()   # the main waits for the longest
 *         print('主程序')
 *         p1.terminate(); print(p1.is_alive()); print(p1.name); print(p1.pid)
 *
 * Here: the same, with the durations shortened, and `pid` being each worker's thread id.
 */
import { currentProcess, isMainProcess, Process } from '@ipc/process';

/** The target: exported, so that each child (which imports this module) can find it. */
export async function work(ms: number): Promise<void> {
  console.log(`${currentProcess().name} (pid ${currentProcess().pid}) is working`);
  await new Promise((resolve) => setTimeout(resolve, ms));
  console.log(`${currentProcess().name} is done`);
}

if (isMainProcess()) {
  // join order: p3, p2, p1 — the main program goes on once the longest one has ended.
  const p1 = new Process({ target: work, args: [600] });
  const p2 = new Process({ target: work, args: [400] });
  const p3 = new Process({ target: work, args: [200] });
  for (const p of [p1, p2, p3]) p.start();
  await p3.join();
  await p2.join();
  await p1.join();
  console.log(`main program: all joined, exit codes ${[p1, p2, p3].map((p) => p.exitcode).join(' ')}`);

  // daemon: set before start(); a daemon child is terminated when its parent ends instead of being waited for.
  const guard = new Process({ target: work, args: [60_000], name: 'daemon-guard' });
  guard.daemon = true;
  guard.start();

  // terminate: the child is stopped, but is_alive() right after may still say true (as in Python).
  const victim = new Process({ target: work, args: [60_000], name: 'victim' });
  victim.start();
  await new Promise((resolve) => setTimeout(resolve, 300));
  victim.terminate();
  console.log(`isAlive right after terminate: ${victim.isAlive()}`);
  await victim.join();
  console.log(`isAlive after join: ${victim.isAlive()}, exitcode ${victim.exitcode}`);
  console.log(`name: ${victim.name}, pid: ${victim.pid}`);
  console.log(`main program ends; ${guard.name} is a daemon and ends with it (alive now: ${guard.isAlive()})`);
}
