/**
 * Scenario (seed 003, "管道"): a pipe between two processes. The first sleeps, then writes "msg" into the
 * pipe and ends; the main joins it; the second process then reads the message and prints it. The seed's
 * pipe is duplex (`Pipe()`), and it notes that `Pipe(False)` makes a one-way pipe whose first end only
 * reads and second end only writes.
 *
 * Python:
 *     def fun1():
 *         time.sleep(2)
 *         fd2.send("msg")
 *     def fun2():
 *         print(fd1.recv())
 *     if __name__ == '__main__':
 *         fd1, fd2 = Pipe()
 *         p1 = Process(target=fun1); p1.start(); p1.join()
 *         p2 = Process(target=fun2); p2.start(); p2.join()
 *
 * The seed's children find `fd1`/`fd2` as globals inherited by fork; here the ends travel in `args` and
 * arrive live. The message waits in the pipe after its writer ended (the pipe is shared memory, not the
 * writer's), then the reader takes it. The same again one way, where the read end refuses to send.
 */
import { type Connection, InvalidStateError, Pipe } from '@ipc/pipe';
import { isMainProcess, Process } from '@ipc/process';

/** The writer (the seed's fun1): waits a little, then writes. */
export async function fun1(fd2: Connection<string>, label: string): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 200));
  fd2.sendSync('msg');
  console.log(`${label} writer: sent "msg" and ends`);
}

/** The reader (the seed's fun2): blocks until a message comes, and prints it. */
export function fun2(fd1: Connection<string>, label: string): void {
  console.log(`${label} reader: received "${fd1.recvSync()}"`);
}

async function run(fd1: Connection<string>, fd2: Connection<string>, label: string): Promise<void> {
  const p1 = new Process({ target: fun1, args: [fd2, label] });
  p1.start();
  await p1.join();
  const p2 = new Process({ target: fun2, args: [fd1, label] });
  p2.start();
  await p2.join();
  console.log(`${label}: both joined (exit codes ${p1.exitcode} ${p2.exitcode})`);
}

if (isMainProcess()) {
  const [fd1, fd2] = Pipe<string>();
  await run(fd1, fd2, 'duplex');

  const [readEnd, writeEnd] = Pipe<string>(false);
  console.log(`one-way: readEnd.readable ${readEnd.readable}, writable ${readEnd.writable}`);
  await run(readEnd, writeEnd, 'one-way');
  try {
    readEnd.sendSync('back');
  } catch (error) {
    if (!(error instanceof InvalidStateError)) throw error;
    console.log(`one-way: readEnd.send() throws InvalidStateError (${error.message})`);
  }
}
