import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { withGuard } from '../../../tooling/test/guards.ts';
import { runScenario, scenarioFiles } from '../scenarios.ts';

/**
 * The producer–consumer scenarios (two producers of 4 items, two consumers): every item made is eaten
 * exactly once, after it was made, and each consumer eats each producer's items in the order they were made.
 * Returns how many each consumer ate.
 */
function checkEveryItemEatenOnce(stdout: string): Map<string, number> {
  const lines = stdout.split('\n');
  const made = new Map<string, number>();
  lines.forEach((line, at) => {
    if (/^p1? made (?:bun|pancake)\d$/.test(line)) made.set(line, at);
  });
  expect([...made.keys()].sort()).toEqual(
    [0, 1, 2, 3].flatMap((i) => [`p made bun${i}`, `p1 made pancake${i}`]).sort(),
  );
  const eaten = new Map<string, string>();
  const order = new Map<string, number[]>();
  lines.forEach((line, at) => {
    const match = /^(c1?) ate \((.*)\)$/.exec(line);
    if (match === null) return;
    const [, consumer = '', item = ''] = match;
    expect(eaten.has(item), `${item} eaten twice`).toBe(false);
    eaten.set(item, consumer);
    expect(made.get(item), `${item} eaten but never made`).toBeDefined();
    expect(made.get(item)).toBeLessThan(at);
    const index = Number(item.at(-1));
    const key = `${consumer} ${item.split(' ')[0]}`;
    const seen = order.get(key) ?? [];
    expect(index, `${consumer} ate ${item} out of order`).toBeGreaterThan(seen.at(-1) ?? -1);
    order.set(key, [...seen, index]);
  });
  expect(eaten.size).toBe(8);
  const perConsumer = new Map<string, number>([
    ['c', 0],
    ['c1', 0],
  ]);
  for (const consumer of eaten.values()) perConsumer.set(consumer, (perConsumer.get(consumer) ?? 0) + 1);
  return perConsumer;
}

/** What each scenario must print; every file in src/ needs an entry, so a new scenario needs a test. */
const EXPECTED_OUTPUT: Record<string, RegExp[]> = {
  'core-share-a-futex.ts': [
    /main: waiting for the worker/,
    /worker: storing 42/,
    /main: worker answered=true value=42/,
  ],
  'process-attributes.ts': [
    // The main goes on only after all three are done (their own order depends on start-up times).
    /^(?=[\s\S]*Process-1 \(pid \d+\) is working)(?=[\s\S]*Process-2 \(pid \d+\) is working)(?=[\s\S]*Process-3 \(pid \d+\) is working)/,
    /^(?:(?!main program)[\s\S])*Process-1 is done[\s\S]*main program: all joined, exit codes 0 0 0/,
    /^(?:(?!main program)[\s\S])*Process-2 is done[\s\S]*main program: all joined/,
    /^(?:(?!main program)[\s\S])*Process-3 is done[\s\S]*main program: all joined/,
    /isAlive right after terminate: true\n/,
    /isAlive after join: false, exitcode -15\n/,
    /name: victim, pid: \d+\n/,
    /main program ends; daemon-guard is a daemon and ends with it \(alive now: true\)\n/,
  ],
  'queue-basics.ts': [
    /^put 1, 2, 3: qsize 3, full true\nputNowait\(4\) throws Full\n/,
    // put(4) waits while the queue is full, and goes in once the first get made room.
    /\nget: 1\n(?:[\s\S]*\n)?put\(4\) went in: a get made room\n(?:[\s\S]*\n)?get: 2\n/,
    /\nget: 2\nempty: false\nget: 3\nget: 4\nempty: true, qsize 0\ngetNowait\(\) throws Empty\n/,
    /\nget\(\{ timeout: 100 \}\) throws Empty after waiting\n/,
    /\nconsumer got: hello GF~\nmain: producer and consumer ended \(exit codes 0 0\), qsize 0\n$/,
  ],
  'manager-dict-and-list.ts': [
    // All ten keys (and '2' and 0.25, whose types keep them apart) and all ten appends arrived.
    /^\{(?=[^\n]*'2': 2)(?=[^\n]*0\.25: None)(?=(?:[^\n]*'Process_\d': '1'){10})[^\n]*\}\n/,
    /\n\[0, 1, 2, 3, 4(?=(?:, \d){10}\])(?=[^\n]*, 0\b)(?=[^\n]*, 5\b)(?=[^\n]*, 6\b)(?=[^\n]*, 7\b)(?=[^\n]*, 8\b)(?=[^\n]*, 9\b)[, \d]*\]\n/,
    /\n12 keys, 15 items\n$/,
  ],
  'shared-value-and-array.ts': [
    /^writer: wrote twice; the second writes replace the first\n/,
    /\nreader: count 2, temps \[21\.5, 18, 19\], note "second"\n/,
    /\nmain: count 2, temps length 3 \(fixed\)\nmain: temps\.set\(3, \.\.\.\) throws RangeError: the length cannot change\n$/,
  ],
  'pipe-two-processes.ts': [
    /^duplex writer: sent "msg" and ends\nduplex reader: received "msg"\nduplex: both joined \(exit codes 0 0\)\n/,
    /\none-way: readEnd\.readable true, writable false\none-way writer: sent "msg" and ends\none-way reader: received "msg"\n/,
    /\none-way: readEnd\.send\(\) throws InvalidStateError \(.*\)\n$/,
  ],
  'pipe-main-and-two-children.ts': [
    /^I'm mainprocess, I receive my sub_process message: Hi I'm your subprocess\. My ID is Process-1\n/,
    /\nI'm mainprocess, I receive my sub_process message: Hi I'm your subprocess\. My ID is Process-2\n/,
    /\nID Process-1 receive main_process message: Remember I'm your Master\n/,
    /\nID Process-2 receive main_process message: Remember I'm your Master\n/,
    /\nmain: joined \(exit codes 0 0\)\n$/,
  ],
  'queue-fifo-lifo-priority.ts': [
    /^Queue: get hahha\nQueue \(first in, first out\): put 1 2 3, got 1 2 3\n/,
    /\nLifoQueue: get 3\nLifoQueue \(last in, first out\): then put 4 5, got 5 4 2 1\n/,
    /\nPriorityQueue: get \[-10,"yyyy"\]\n/,
    /\nPriorityQueue: put\('no priority'\) throws TypeError\n/,
    /\nPriorityQueue with compare \(soonest deadline first\): got backup email report\n/,
    /\nchild: put 5 jobs, in the order deploy build test fetch lint\nmain: the child ended \(exit code 0\); got /,
  ],
  'queue-joinable-three-cooks.ts': [
    /\nmain: the cooks are done \(exit codes 0 0 0\)\nmain: q\.join\(\) returned; unfinished tasks 0, qsize 0\n/,
    // The eaters were still alive, waiting in get(), when the main ended; the run still ends (exit code 0).
    /\nmain ends; the daemon eaters, still waiting in get\(\), end with it \(alive now: true true\)\n$/,
  ],
  'queue-producer-consumer-none.ts': [
    /\nc got a null and stops\n/,
    /\nc1 got a null and stops\n/,
    /main: all done \(exit codes 0 0 0 0\), qsize 0\n$/,
  ],
  'queue-producer-consumer-shutdown.ts': [
    /\nc \(Process-\d\): the queue is shut down and drained; ate \d\n/,
    /\nc1 \(Process-\d\): the queue is shut down and drained; ate \d\n/,
    /main: all done \(exit codes 0 0 0 0\), qsize 0\n$/,
  ],
  'queue-three-producers.ts': [
    /^(?:main got: My process name is Process-[123] and I put this on the main's queue\n){3}main: joined 3 processes \(exit codes 0 0 0\)\n$/,
  ],
  'queue-work-send-all.ts': [
    /\nmain: senders ended \(exit codes 0 0\), receiver terminated \(exit code -15\)\n/,
    /\nmain: \d+ message\(s\) of 21 were left in the queue\n/,
    /\nmain: the queue still works after terminate\(\): still works\n$/,
  ],
  'sync-lock-toilet.ts': [
    /^(?:task\[\d+\] (?:enters|leaves) the toilet\n){6}main: everyone is done \(exit codes 0 0 0\), lock free: true\n$/,
  ],
  'sync-lock-ticket-sale.ts': [
    /^main: 3 tickets for 50 buyers\n/,
    /main: all 50 buyers done \(0 failed\); the file says 0 ticket\(s\) left\n$/,
  ],
  'sync-semaphore-limit.ts': [
    /^main: 8 workers, at most 3 at once\n/,
    /main: all done \(exit codes 0 0 0 0 0 0 0 0\)\n/,
    /main: at most [123] ran at once \(limit 3\); permits back: 3\n$/,
  ],
};

/** What a scenario must never print. */
const FORBIDDEN_OUTPUT: Record<string, RegExp[]> = {
  // The daemon is terminated when the main program ends, long before its 60 s of work.
  'process-attributes.ts': [/daemon-guard is done/, /victim is done/],
};

/** Properties of the output that patterns cannot state well: what the primitive guarantees. */
const INVARIANTS: Record<string, (stdout: string) => void> = {
  'queue-fifo-lifo-priority.ts': (stdout) => {
    // PriorityQueue: lowest priority first, and equal priorities in the order they were put (stable).
    const ordered = (line: RegExp, putOrder: [number, string][]) => {
      const items = line.exec(stdout)?.[1]?.match(/\[[^\]]*\]/g) ?? [];
      const got = items.map((item) => JSON.parse(item) as [number, string]);
      const expected = putOrder
        .map((item, at) => ({ item, at }))
        .sort((a, b) => a.item[0] - b.item[0] || a.at - b.at)
        .map(({ item }) => item);
      expect(got).toEqual(expected);
    };
    // After the first get took [-10, 'yyyy'], three more were put.
    ordered(/^PriorityQueue \(lowest first, ties in put order\): got (.*)$/m, [
      [10, 'haha'],
      [100, 'hehehe'],
      [0, 'xxxx'],
      [5, 'first 5'],
      [0, 'another 0'],
      [5, 'second 5'],
    ]);
    // Across workers: the child's put order, the main's get order.
    ordered(/^main: the child ended \(exit code 0\); got (.*)$/m, [
      [3, 'deploy'],
      [1, 'build'],
      [2, 'test'],
      [0, 'fetch'],
      [2, 'lint'],
    ]);
  },
  'queue-joinable-three-cooks.ts': (stdout) => {
    const lines = stdout.split('\n');
    const at = (pattern: RegExp) => lines.findIndex((line) => pattern.test(line));
    // Every item was made once, eaten exactly once by one of the two eaters, and eaten after it was made
    // (a cook prints before its put; child output is written at once, so line order is causal order).
    const made = new Map<string, number>();
    const eaten = new Map<string, number>();
    lines.forEach((line, index) => {
      const making = /^cook-(\w+) made (\w+?)(\d)$/.exec(line);
      if (making !== null) {
        expect(making[2], `${line}: a cook makes its own food`).toBe(making[1]);
        const item = `${making[2]}${making[3]}`;
        expect(made.has(item), `${item} made twice`).toBe(false);
        made.set(item, index);
      }
      const eating = /^eater-[12] ate (\w+)$/.exec(line);
      if (eating !== null) {
        const item = eating[1] ?? '';
        expect(eaten.has(item), `${item} eaten twice`).toBe(false);
        expect(made.get(item), `${item} eaten before it was made`).toBeLessThan(index);
        eaten.set(item, index);
      }
    });
    const all = ['baozi', 'gutou', 'doujiang'].flatMap((food) => [0, 1, 2, 3, 4].map((i) => `${food}${i}`));
    expect([...made.keys()].sort()).toEqual([...all].sort());
    expect([...eaten.keys()].sort()).toEqual([...all].sort());
    // join() returned only once all was done: each cook's after its own items were eaten, the main's after
    // everything was; and nothing was eaten after the main's join() returned.
    for (const food of ['baozi', 'gutou', 'doujiang']) {
      const cookDone = at(new RegExp(`^cook-${food}: all my ${food} is eaten$`));
      expect(cookDone, `cook-${food} never finished`).toBeGreaterThanOrEqual(0);
      for (const [item, index] of eaten) if (item.startsWith(food)) expect(index).toBeLessThan(cookDone);
    }
    const mainJoined = at(/^main: q\.join\(\) returned/);
    expect(Math.max(...eaten.values())).toBeLessThan(mainJoined);
    expect(lines.slice(mainJoined).filter((line) => / (?:ate|made) /.test(line))).toEqual([]);
  },
  'queue-producer-consumer-none.ts': (stdout) => {
    checkEveryItemEatenOnce(stdout);
    // Each consumer stopped at its own null, after its last item; one null each.
    for (const consumer of ['c', 'c1']) {
      expect(stdout.match(new RegExp(`^${consumer} got a null and stops$`, 'gm'))).toHaveLength(1);
      const stop = stdout.indexOf(`${consumer} got a null`);
      expect(stdout.slice(stop)).not.toMatch(new RegExp(`^${consumer} ate `, 'm'));
    }
  },
  'queue-producer-consumer-shutdown.ts': (stdout) => {
    const perConsumer = checkEveryItemEatenOnce(stdout);
    // Each for-await loop ended only after the queue was drained, and counted what its consumer ate.
    for (const [consumer, count] of perConsumer) {
      const end = new RegExp(`^${consumer} \\(Process-\\d\\): the queue is shut down and drained; ate (\\d)$`, 'm');
      expect(Number(end.exec(stdout)?.[1])).toBe(count);
      expect(stdout.slice(stdout.search(end))).not.toMatch(new RegExp(`^${consumer} ate `, 'm'));
    }
  },
  'queue-three-producers.ts': (stdout) => {
    // The main got each child's message exactly once, in whatever order they came.
    const names = [...stdout.matchAll(/^main got: My process name is (Process-\d) /gm)].map(([, name]) => name);
    expect(names.sort()).toEqual(['Process-1', 'Process-2', 'Process-3']);
  },
  'queue-work-send-all.ts': (stdout) => {
    // Before the main's first line, only received messages: the test message at most once, and the batch's
    // messages each at most once, in the order they were sent.
    const received = stdout
      .slice(0, stdout.indexOf('main: senders ended'))
      .split('\n')
      .filter((line) => line !== '');
    const isTestMessage = (line: string) => line === "received: { message: 'this is a test message' }";
    expect(received.filter(isTestMessage).length).toBeLessThanOrEqual(1);
    const batch = received
      .filter((line) => !isTestMessage(line))
      .map((line) => Number(/^received: loop (\d+), the message is \1$/.exec(line)?.[1]));
    expect(batch).toEqual(batch.map((_, i) => i));
    // Nothing lost whole, nothing duplicated: what the receiver printed plus what was left is every message,
    // but for at most the one it held when terminate() struck.
    const left = Number(/^main: (\d+) message\(s\) of 21 were left in the queue$/m.exec(stdout)?.[1]);
    expect(received.length + left).toBeLessThanOrEqual(21);
    expect(received.length + left).toBeGreaterThanOrEqual(20);
  },
  'sync-lock-toilet.ts': (stdout) => {
    // Mutual exclusion: each task leaves before the next one enters, and all three get in.
    const visits = [...stdout.matchAll(/^task\[(\d+)\] (enters|leaves) the toilet$/gm)].map(([, who, what]) => ({
      who,
      what,
    }));
    expect(visits.map((v) => v.what)).toEqual(['enters', 'leaves', 'enters', 'leaves', 'enters', 'leaves']);
    for (let i = 0; i < visits.length; i += 2) expect(visits[i + 1]?.who).toBe(visits[i]?.who);
    expect(new Set(visits.map((v) => v.who)).size).toBe(3);
  },
  'sync-lock-ticket-sale.ts': (stdout) => {
    // Every buyer looked, then tried to buy.
    expect(stdout.match(/^Process-\d+ sees [0-3] ticket\(s\) left$/gm)).toHaveLength(50);
    // Exactly 3 bought, as tickets 3, 2, 1: each purchase read what the previous one wrote, so no ticket
    // was sold twice (the file's final 0 is checked by the pattern above).
    const sold = [...stdout.matchAll(/^(Process-\d+) bought ticket #(\d+)$/gm)];
    expect(sold.map(([, , ticket]) => ticket)).toEqual(['3', '2', '1']);
    expect(new Set(sold.map(([, buyer]) => buyer)).size).toBe(3);
    expect(stdout.match(/^Process-\d+ found no ticket left$/gm)).toHaveLength(47);
  },
  'sync-semaphore-limit.ts': (stdout) => {
    // Never more than the 3 permits inside at once, and every worker got in and out.
    const counts = [...stdout.matchAll(/^Process-\d+ runs \((\d+) inside, (\d+) permit\(s\) left\)$/gm)];
    expect(counts).toHaveLength(8);
    for (const [, inside] of counts) expect(Number(inside)).toBeGreaterThanOrEqual(1);
    for (const [, inside] of counts) expect(Number(inside)).toBeLessThanOrEqual(3);
    expect(stdout.match(/^Process-\d+ leaves$/gm)).toHaveLength(8);
  },
};

describe('examples', () => {
  it('every scenario has expectations', () => {
    expect(scenarioFiles().sort()).toEqual(Object.keys(EXPECTED_OUTPUT).sort());
  });

  // A scenario may start 50 processes, each loading tsx: ~15 s on 2 cores. runScenario has its own guard.
  it.each(Object.entries(EXPECTED_OUTPUT))(
    '%s runs and prints what it should',
    { timeout: 90_000 },
    (file, patterns) => {
      const run = runScenario(file);
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
      for (const pattern of patterns) expect(run.stdout).toMatch(pattern);
      for (const pattern of FORBIDDEN_OUTPUT[file] ?? []) expect(run.stdout).not.toMatch(pattern);
      INVARIANTS[file]?.(run.stdout);
    },
  );
});

/** A scenario program run as a user would (`node --import tsx`), with its output collected. */
function startProgram(file: string, args: string[]) {
  const child = spawn(process.execPath, [
    '--import',
    'tsx',
    new URL(`../src/${file}`, import.meta.url).pathname,
    ...args,
  ]);
  const output = { stdout: '', stderr: '' };
  child.stdout.on('data', (chunk) => {
    output.stdout += String(chunk);
  });
  child.stderr.on('data', (chunk) => {
    output.stderr += String(chunk);
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output, exited };
}

/** `time.ctime()`, as the server writes it: `Mon Nov 30 09:05:01 2026`. */
const CTIME = String.raw`[A-Z][a-z]{2} [A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d \d{4}`;

// Scenario (seed 003, 本地套接字): a local socket server, and a client that sends the lines typed on its stdin.
describe('the local socket server and client (seed 003)', () => {
  it('the client sends each stdin line, prints the copy! answer, and stops at an empty line', {
    timeout: 60_000,
  }, async () => {
    const directory = mkdtempSync(join(tmpdir(), 'ipc-examples-'));
    const path = join(directory, 'msg.sock');
    const server = startProgram('socket/local-server.ts', [path]);
    try {
      while (!server.output.stdout.includes('server: listening')) {
        await withGuard(
          Promise.race([
            once(server.child.stdout, 'data'),
            server.exited.then(() => Promise.reject(new Error(server.output.stderr))),
          ]),
          'the server to listen',
        );
      }
      const client = startProgram('socket/local-client.ts', [path]);
      client.child.stdin.end('hello\n你好\n\nnot sent\n');
      const code = await withGuard(client.exited, 'the client to end', 30_000);
      // Both at once, so that a failure shows what the client said.
      expect({ code, stderr: client.output.stderr }).toEqual({ code: 0, stderr: '' });
      expect(client.output.stdout).toMatch(new RegExp(`^>>>copy! ${CTIME}\n>>>copy! ${CTIME}\n>>>$`));
      expect(server.output.stdout).toMatch(/^server: listening on .*msg\.sock\nhello\n你好\n$/);
    } finally {
      server.child.kill('SIGTERM');
    }
    expect(await withGuard(server.exited, 'the server to end')).toBe(0);
    expect(server.output.stdout).toMatch(/\nserver: closed\n$/);
    expect(server.output.stderr).toBe('');
    expect(existsSync(path)).toBe(false);
    rmSync(directory, { recursive: true, force: true });
  });
});

/** Waits until `program` has printed `text`, or fails with what it printed on stderr if it ends first. */
async function printed(program: ReturnType<typeof startProgram>, text: string, what: string): Promise<void> {
  while (!program.output.stdout.includes(text)) {
    await withGuard(
      Promise.race([
        once(program.child.stdout, 'data'),
        program.exited.then(() => Promise.reject(new Error(program.output.stderr))),
      ]),
      what,
    );
  }
}

// Scenario (seed 004's Manager, across machines): a BaseManager server process and two client processes.
describe('the remote manager server and clients', () => {
  it("two clients in other OS processes share the server's jobs: each job done once, reported to both", {
    timeout: 60_000,
  }, async () => {
    const server = startProgram('manager/remote-server.ts', ['0']);
    try {
      await printed(server, 'server: listening', 'the server to listen');
      const port = String(JSON.parse(/listening on (.*)\n/.exec(server.output.stdout)?.[1] ?? 'null').port);
      const clients = ['alice', 'bob'].map((name) => startProgram('manager/remote-client.ts', [port, name]));
      for (const client of clients) {
        const code = await withGuard(client.exited, 'a client to end', 30_000);
        expect({ code, stderr: client.output.stderr }).toEqual({ code: 0, stderr: '' });
      }
      const done = clients.flatMap((c) => [...c.output.stdout.matchAll(/^(\w+): did (\w+) \(\d done in all\)$/gm)]);
      expect(done.map((match) => match[2]).sort()).toEqual(['cook', 'cut', 'wash']);
      // Each report is what was done when that client finished: its own jobs at least (the other may still work).
      for (const [i, client] of clients.entries()) {
        const name = ['alice', 'bob'][i];
        const report = /: no jobs left; report (.*)\n$/.exec(client.output.stdout)?.[1] ?? 'missing';
        const own = done.filter((match) => match[1] === name).map((match) => [match[2], name]);
        expect(JSON.parse(report)).toEqual(expect.arrayContaining(own));
      }
    } finally {
      server.child.kill('SIGTERM');
    }
    expect(await withGuard(server.exited, 'the server to end')).toBe(0);
    expect(server.output.stdout).toMatch(/\nserver: done, 3 jobs reported\n$/);
    expect(server.output.stderr).toBe('');
  });
});
