/**
 * The managed-dict loop: `await d.set(k, i); await d.get(k)` (two round trips to the server), from worker
 * threads on one dict, each on its own key, or from CPython's forked children on one `Manager().dict()`.
 * Every run checks each get's value and each key's final value. Used by this suite's report (run.ts) and by
 * the summary (`pnpm bench`, src/scenarios).
 */

import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { share } from '@ipc/core';
import type { DictProxy, Manager } from '@ipc/manager';
import { runForReport } from '../../harness/child-report.ts';
import { expectEqual } from '../../harness/invalid-run.ts';
import { runWorkers } from '../../harness/worker-run.ts';

const WORKER = new URL('./worker.mjs', import.meta.url);
const CHILD = new URL('./child.mjs', import.meta.url);
const CPYTHON = new URL('./cpython.py', import.meta.url);
/** Timed iterations per thread or process. */
export const COUNT = 10_000;
/** Untimed iterations first (V8 compiles the paths; CPython's connections are made). */
export const WARM = 2_000;
/** A run that has not reported after this long is stuck: it is killed and reported. */
export const GUARD_MS = 60_000;

/** How many iterations each thread or process times, after how many untimed. */
export interface Iterations {
  readonly count: number;
  readonly warm: number;
}

/** Iterations/s of `threads` worker threads on one dict of `manager`, each on its own key; checked. */
export async function dictLoopThreads(
  manager: Manager,
  threads: number,
  iterations: Iterations = { count: COUNT, warm: WARM },
): Promise<number> {
  const dict: DictProxy<string, number> = await manager.dict();
  const barrier = new SharedArrayBuffer(4);
  const keys = Array.from({ length: threads }, (_, index) => `k${index}`);
  const reports = await runWorkers(
    WORKER,
    keys.map((key, index) => ({
      workerData: {
        index,
        key,
        count: iterations.count,
        warm: iterations.warm,
        barrier,
        parties: threads,
        dict: share(dict),
      },
    })),
    GUARD_MS,
  );
  const errors = reports.reduce((sum, report) => sum + (report.errors ?? 0), 0);
  if (errors !== 0) throw new Error(`${errors} gets did not return the value just set`);
  for (const key of keys) {
    const last = await dict.get(key);
    if (last !== iterations.count - 1) throw new Error(`${key} is ${last}, expected ${iterations.count - 1}`);
  }
  if ((await dict.len()) !== threads) throw new Error(`the dict has ${await dict.len()} keys, expected ${threads}`);
  const ms = Math.max(...reports.map((r) => r.ended ?? 0)) - Math.min(...reports.map((r) => r.started ?? 0));
  return (threads * iterations.count) / (ms / 1000);
}

interface ChildReport {
  readonly ms: number;
  readonly ops: number;
  readonly errors: number;
  readonly last: number;
  readonly size: number;
}

/** Runs `node child.mjs` (the socket client) and returns the JSON object on its last stdout line. */
function runChild(args: readonly string[]): Promise<ChildReport> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [fileURLToPath(CHILD), ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    const guard = setTimeout(() => child.kill('SIGKILL'), GUARD_MS);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(guard);
      try {
        const report = JSON.parse(stdout.trim().split('\n').at(-1) ?? '') as ChildReport & { error?: string };
        if (report.error !== undefined) reject(new Error(report.error));
        else if (code !== 0) reject(new Error(`the child exited with ${code}`));
        else resolve(report);
      } catch {
        reject(new Error(`the child exited with ${code}, no JSON report`));
      }
    });
  });
}

/** Iterations/s of a child OS process connected over the manager's socket; checked. */
export async function dictLoopChild(
  manager: Manager,
  iterations: Iterations = { count: COUNT, warm: WARM },
): Promise<number> {
  const report = await runChild([
    JSON.stringify(manager.address),
    Buffer.from(manager.authkey).toString('hex'),
    String(iterations.count),
    String(iterations.warm),
  ]);
  if (report.errors !== 0) throw new Error(`${report.errors} gets did not return the value just set`);
  if (report.last !== iterations.count - 1 || report.size !== 1) {
    throw new Error(
      `the child's dict ended as {k: ${report.last}} of ${report.size} keys, expected ${iterations.count - 1} of 1`,
    );
  }
  return (report.ops / report.ms) * 1000;
}

/** Iterations/s of CPython's `processes` children on one Manager().dict(); checked. */
export async function cpythonDictLoop(
  processes: number,
  iterations: Iterations = { count: COUNT, warm: WARM },
): Promise<{ rate: number; version: string }> {
  const report = await runForReport<{
    ms: number;
    ops: number;
    errors: number;
    finals: number[];
    version: string;
    method: string;
  }>(
    'python3',
    [
      fileURLToPath(CPYTHON),
      String(processes),
      String(iterations.count),
      String(iterations.warm),
      String(GUARD_MS / 2000),
    ],
    { timeoutMs: GUARD_MS },
    (value) => typeof value.ms === 'number',
  );
  if (report.errors !== 0) throw new Error(`CPython: ${report.errors} gets did not return the value just set`);
  if (report.finals.length !== processes || report.finals.some((last) => last !== iterations.count - 1)) {
    throw new Error(`CPython's keys ended as ${JSON.stringify(report.finals)}, expected ${iterations.count - 1} each`);
  }
  expectEqual('the iterations timed', report.ops, processes * iterations.count);
  if (report.method !== 'fork') throw new Error(`CPython used ${report.method}, not fork`);
  return { rate: (report.ops / report.ms) * 1000, version: report.version };
}
