/**
 * Scenario (seed 002, "进程间的通信 - 队列演示案例" and "批量给 send 函数加入数据"): a `Work` class wraps a
 * queue. `send(message)` puts one message, as JSON unless it is already a string; `send_all()` puts 20
 * numbered messages, one a second; `receive()` gets messages for ever and prints each, parsed back from
 * JSON when it parses. The main starts a sender, a batch sender and a receiver, waits for the batch sender,
 * and ends the receiver with `terminate()`, since its loop never ends by itself.
 *
 * Python:
 *     class Work(object):
 *         def __init__(self, queue): self.queue = queue
 *         def send(self, message):
 *             if not isinstance(message, str): message = json.dumps(message)
 *             self.queue.put(message)
 *         def send_all(self):
 *             for i in range(20):
 *                 self.queue.put('第 {} 次循环,发送的消息为:{}'.format(i, i))   # "loop i, message i"
 *                 time.sleep(1)
 *         def receive(self):
 *             while 1:
 *                 result = self.queue.get()
 *                 try: res = json.loads(result)
 *                 except: res = result
 *                 print('接收到的信息为:{}'.format(res))                     # "received: ..."
 *     if __name__ == '__main__':
 *         queue = multiprocessing.Queue()
 *         work = Work(queue)
 *         send = multiprocessing.Process(target=work.send, args=({'message': '这是一条测试的消息'},))
 *         receive = multiprocessing.Process(target=work.receive)
 *         send_all = multiprocessing.Process(target=work.send_all)
 *         send_all.start(); send.start(); receive.start()
 *         send_all.join()
 *         receive.terminate()
 *
 * The seed's first version had no join: the main reached its end right after `start()`, and a child died
 * with `FileNotFoundError: [Errno 2] No such file or directory`. Python's Queue is a pipe plus locks that
 * are named semaphores; under the spawn start method (macOS, Windows) the main unlinks them in its exit
 * finalizers, before it waits for its children, and a child still unpickling the queue cannot open them
 * any more. Here nothing has a name to unlink: the queue is shared memory that every thread holding it keeps
 * alive, so a child can start using it at any time, joins or no joins. (Without the `terminate()`, the
 * program would simply not end: the main waits for its non-daemon children, and the receiver never
 * returns. `receive.daemon = true` is the other way out: a daemon ends with the main.)
 *
 * Here: the class as it is, with the second shortened to 20 ms. Targets must be exported functions (a bound
 * method such as `work.send` cannot be found by name in the child), so three small exported functions
 * build a `Work` around the queue they receive. `terminate()` of the receiver is clean: it was waiting in
 * `get()`, and even in the middle of taking a message it would leave nothing half taken; the main then
 * finds the queue intact and still usable. A message the receiver had already taken but not printed when
 * `terminate()` struck would be gone with it, in Python as here: to stop a receiver without losing
 * anything, use `shutdown()` and `for await` (queue-producer-consumer-shutdown.ts).
 *
 * The JSON step is kept from the seed but is not needed: a Queue carries objects as they are (structured
 * clone), and `put` throws `TypeError` at once, in the sender, for what cannot travel (the seed's "hidden
 * bug": `json.dumps` of a set or a function).
 */
import { isMainProcess, Process } from '@ipc/process';
import { Empty, Queue } from '@ipc/queue';

export class Work {
  readonly queue: Queue<string>;

  constructor(queue: Queue<string>) {
    this.queue = queue;
  }

  /** Puts one message: a string as it is, anything else as JSON. */
  async send(message: unknown): Promise<void> {
    const text = typeof message === 'string' ? message : JSON.stringify(message);
    if (text === undefined) throw new TypeError(`cannot send ${typeof message} as JSON`); // a function, a symbol
    await this.queue.put(text);
  }

  /** Puts `count` numbered messages, `ms` apart. */
  async sendAll(count: number, ms: number): Promise<void> {
    for (let i = 0; i < count; i++) {
      await this.queue.put(`loop ${i}, the message is ${i}`);
      await new Promise((resolve) => setTimeout(resolve, ms));
    }
  }

  /** Gets and prints messages for ever; a message that is JSON is printed parsed. */
  async receive(): Promise<never> {
    for (;;) {
      const result = await this.queue.get();
      let res: unknown;
      try {
        res = JSON.parse(result);
      } catch {
        res = result;
      }
      console.log('received:', res);
    }
  }
}

/** Targets: exported functions, each building a `Work` around the queue it receives (it arrives live). */
export function send(queue: Queue<string>, message: unknown): Promise<void> {
  return new Work(queue).send(message);
}

export function sendAll(queue: Queue<string>, count: number, ms: number): Promise<void> {
  return new Work(queue).sendAll(count, ms);
}

export function receive(queue: Queue<string>): Promise<never> {
  return new Work(queue).receive();
}

if (isMainProcess()) {
  const COUNT = 20;
  const queue = new Queue<string>();
  const sender = new Process({ target: send, args: [queue, { message: 'this is a test message' }], name: 'send' });
  const receiver = new Process({ target: receive, args: [queue], name: 'receive' });
  const batch = new Process({ target: sendAll, args: [queue, COUNT, 20], name: 'send_all' });
  batch.start();
  sender.start();
  receiver.start();
  // The seed joins only send_all, the longest; joining send as well costs nothing and leaves no doubt.
  await batch.join();
  await sender.join();
  receiver.terminate();
  await receiver.join();
  console.log(
    `main: senders ended (exit codes ${batch.exitcode} ${sender.exitcode}), receiver terminated (exit code ${receiver.exitcode})`,
  );

  // What the receiver had not taken yet is still in the queue, whole.
  let left = 0;
  for (;;) {
    try {
      queue.getNowait();
      left++;
    } catch (error) {
      if (error instanceof Empty) break;
      throw error;
    }
  }
  console.log(`main: ${left} message(s) of ${COUNT + 1} were left in the queue`);
  await queue.put('still works');
  console.log(`main: the queue still works after terminate(): ${await queue.get({ timeout: 1_000 })}`);
}
