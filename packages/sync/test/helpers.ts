import { Worker } from 'node:worker_threads';
import { withGuard } from '../../../tooling/test/guards.ts';

export { changed, GUARD_MS, joinAll, reached, sleep, withGuard } from '../../../tooling/test/guards.ts';

/** The module that holds the Process targets of these tests. */
export const TARGETS = new URL('./fixtures/targets.mjs', import.meta.url);

/** A Process target reference to `fixtures/targets.mjs`'s export `name`. */
export function target(name: string) {
  return { module: TARGETS, name };
}

/** Starts a raw worker_threads Worker on `fixtures/raw-worker.mjs` (share()/revive() path). */
export function rawWorker(workerData: unknown): { worker: Worker; exit: Promise<number>; message: Promise<unknown> } {
  const worker = new Worker(new URL('./fixtures/raw-worker.mjs', import.meta.url), { workerData });
  const exit = withGuard(new Promise<number>((resolve) => worker.once('exit', resolve)), 'raw worker exit');
  const message = withGuard(
    new Promise<unknown>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    }),
    'raw worker message',
  );
  message.catch(() => {});
  return { worker, exit, message };
}
