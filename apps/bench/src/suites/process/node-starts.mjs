// Start + join of `count` trivial threads, timed inside a plain `node` process: run.ts runs it through
// scripts.ts, which passes the arguments and reads the one JSON line printed on stdout. Plain node because a
// main run under tsx makes every file-based worker load tsx's loader too (~80 ms each here), which would
// measure tsx, not @ipc.
//
// argv: count guardMs [pattern...] (default: both patterns). Rows, each timed from the first constructor call to the last exit:
// - @ipc/process: new Process({ target: noop }), start(), await join(); `sequential` one after the other,
//   `all-then-join` all started first, then joined in order;
// - raw Worker: new Worker('', { eval: true }), wait for 'exit': the floor under any worker-based Process.
// An untimed warm-up of a few of each runs first (module loading, code caches).
import { Worker } from 'node:worker_threads';
import { Process } from '@ipc/process';

const count = Number(process.argv[2] ?? 100);
const guardMs = Number(process.argv[3] ?? 20_000);
const patterns = process.argv.length > 4 ? process.argv.slice(4) : ['sequential', 'all-then-join'];
const TARGET = { module: new URL('./targets.mjs', import.meta.url), name: 'noop' };

/** A started @ipc Process, and a guarded wait for its end. */
function startProcess() {
  const child = new Process({ target: TARGET });
  child.start();
  return {
    async ended() {
      await child.join(guardMs);
      if (child.exitcode === null) {
        child.kill();
        throw new Error(`guard: a Process did not end within ${guardMs} ms`);
      }
      if (child.exitcode !== 0) throw new Error(`a Process ended with exitcode ${child.exitcode}`);
    },
  };
}

/** A started raw eval Worker; the exit listener and its guard are set at once, so no event is missed. */
function startWorker() {
  const worker = new Worker('', { eval: true });
  const exited = new Promise((resolve, reject) => {
    const guard = setTimeout(() => {
      void worker.terminate();
      reject(new Error(`guard: a Worker did not exit within ${guardMs} ms`));
    }, guardMs);
    worker.once('error', (error) => {
      clearTimeout(guard);
      reject(error);
    });
    worker.once('exit', (code) => {
      clearTimeout(guard);
      if (code === 0) resolve();
      else reject(new Error(`a Worker exited with code ${code}`));
    });
  });
  return { ended: () => exited };
}

async function sequential(start, n) {
  const begin = performance.now();
  for (let i = 0; i < n; i++) await start().ended();
  return performance.now() - begin;
}

async function allThenJoin(start, n) {
  const begin = performance.now();
  const started = [];
  for (let i = 0; i < n; i++) started.push(start());
  for (const child of started) await child.ended();
  return performance.now() - begin;
}

const IMPLEMENTATIONS = { process: startProcess, worker: startWorker };
const PATTERNS = { sequential, 'all-then-join': allThenJoin };

try {
  for (const start of Object.values(IMPLEMENTATIONS)) await sequential(start, 3);
  const ms = {};
  for (const [implementation, start] of Object.entries(IMPLEMENTATIONS)) {
    for (const pattern of patterns) {
      const run = PATTERNS[pattern];
      if (run === undefined) throw new RangeError(`unknown pattern ${pattern}`);
      ms[`${implementation}/${pattern}`] = await run(start, count);
    }
  }
  console.log(JSON.stringify({ execArgv: process.execArgv, ms }));
} catch (error) {
  console.log(JSON.stringify({ error: error instanceof Error ? error.message : String(error) }));
  process.exitCode = 1;
}
// A guard that fired may leave a worker behind: do not wait for it.
process.exit();
