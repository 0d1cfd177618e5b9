/**
 * Scenario (seed 004, "Pipe (類似socket通信)"): the main and two children over one pipe. The main keeps one
 * end; both children get the other, the same end. Each child sends a greeting with its ID, receives one
 * message from the main, prints it, and closes its end; the main receives a greeting and answers it, once
 * per child.
 *
 * Python:
 *     def func(conn):
 *         conn.send("Hi I'm your subprocess. My ID is %d" % os.getpid())
 *         print("ID %d receive main_process message: " % os.getpid(), conn.recv())
 *         conn.close()
 *     if __name__ == "__main__":
 *         main_conn, sub_conn = Pipe()
 *         for i in range(2):
 *             proc = Process(target=func, args=(sub_conn,)); proc.start()
 *             print("I'm mainprocess, I receive my sub_process message: ", main_conn.recv())
 *             main_conn.send("Remember I'm your Master")
 *         for each_process in processlist: each_process.join()
 *
 * One end shared by two processes carries whole messages, never interleaved bytes. A child's `close()`
 * closes its copy only, as in Python (each process has its own file descriptor): the other child's end
 * stays open. As in Python, the two children read from one stream: either may take either answer.
 */
import { type Connection, Pipe } from '@ipc/pipe';
import { currentProcess, isMainProcess, Process } from '@ipc/process';

/** The child (the seed's func). Its ID is its process name here (threads of one OS process share a pid). */
export function func(conn: Connection<string>): void {
  const id = currentProcess().name;
  conn.sendSync(`Hi I'm your subprocess. My ID is ${id}`);
  console.log(`ID ${id} receive main_process message: ${conn.recvSync()}`);
  conn.close();
}

if (isMainProcess()) {
  const [mainConn, subConn] = Pipe<string>();
  const processes: Process[] = [];
  for (let i = 0; i < 2; i++) {
    const proc = new Process({ target: func, args: [subConn] });
    processes.push(proc);
    proc.start();
    console.log(`I'm mainprocess, I receive my sub_process message: ${await mainConn.recv()}`);
    await mainConn.send("Remember I'm your Master");
  }
  for (const p of processes) await p.join();
  console.log(`main: joined (exit codes ${processes.map((p) => p.exitcode).join(' ')})`);
}
