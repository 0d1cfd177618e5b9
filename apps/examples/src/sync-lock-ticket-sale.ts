/**
 * Scenario (seed 001, "模拟抢票", the ticket sale): a JSON file holds the number of tickets left; 50 buyers
 * look at it at the same time (no lock needed to look), then buy one at a time under a Lock: read the
 * file, take a ticket if one is left, write the file back.
 *
 * Python:
 *     def chakan():                                   # look
 *         dic = json.load(open('piao'))
 *         print('剩余票数:%s' % dic['count'])          # tickets left
 *     def buy():
 *         dic = json.load(open('piao'))
 *         if dic['count'] > 0:
 *             dic['count'] -= 1
 *             time.sleep(random.randint(1, 3))
 *             json.dump(dic, open('piao', 'w'))
 *             print('%s 购票成功' % os.getpid())      # bought a ticket
 *     def task(mutex):
 *         chakan()
 *         mutex.acquire(); buy(); mutex.release()
 *     if __name__ == '__main__':
 *         mutex = Lock()
 *         for i in range(50):
 *             Process(target=task, args=(mutex,)).start()
 *
 * Here: the same, with the file in a temporary directory, the sleep shortened, the file replaced in one
 * step (so that a buyer who looks without the lock never reads half a file), and each buyer printing which
 * ticket it got. Without the lock, two buyers could read the same count and both "buy" the same
 * ticket; with it, exactly TICKETS buyers succeed, each with a different ticket, and the file ends at 0.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { currentProcess, isMainProcess, Process } from '@ipc/process';
import { Lock } from '@ipc/sync';

const TICKETS = 3;
const BUYERS = 50;

interface TicketFile {
  count: number;
}

/** Looking needs no lock: everyone may read at once (the number may be stale a moment later). */
async function search(file: string): Promise<void> {
  const { count } = JSON.parse(await readFile(file, 'utf8')) as TicketFile;
  console.log(`${currentProcess().name} sees ${count} ticket(s) left`);
}

/** Buying reads, changes and writes the file: only one buyer at a time may do that. */
async function buy(file: string): Promise<void> {
  const data = JSON.parse(await readFile(file, 'utf8')) as TicketFile;
  if (data.count > 0) {
    const ticket = data.count;
    data.count -= 1;
    await new Promise((resolve) => setTimeout(resolve, 10 + Math.random() * 20)); // paying takes a while
    // Write a new file and rename it over the old one: a buyer looking without the lock then reads the old
    // count or the new one, never a file cut short in the middle of the write (Python's open('piao', 'w')
    // has that race).
    await writeFile(`${file}.new`, JSON.stringify(data));
    await rename(`${file}.new`, file);
    console.log(`${currentProcess().name} bought ticket #${ticket}`);
  } else {
    console.log(`${currentProcess().name} found no ticket left`);
  }
}

/** The target: look, then buy under the lock. `withLock` is Python's `with mutex:`. */
export async function task(mutex: Lock, file: string): Promise<void> {
  await search(file);
  await mutex.withLock(() => buy(file));
}

if (isMainProcess()) {
  const dir = mkdtempSync(join(tmpdir(), 'ipc-tickets-'));
  const file = join(dir, 'tickets.json');
  writeFileSync(file, JSON.stringify({ count: TICKETS } satisfies TicketFile));
  console.log(`main: ${TICKETS} tickets for ${BUYERS} buyers`);
  try {
    const mutex = new Lock();
    const buyers = Array.from({ length: BUYERS }, () => new Process({ target: task, args: [mutex, file] }));
    for (const p of buyers) p.start();
    for (const p of buyers) await p.join();
    const { count } = JSON.parse(readFileSync(file, 'utf8')) as TicketFile;
    const failed = buyers.filter((p) => p.exitcode !== 0).length;
    console.log(`main: all ${BUYERS} buyers done (${failed} failed); the file says ${count} ticket(s) left`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
