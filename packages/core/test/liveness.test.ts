import { describe, expect, it } from 'vitest';
import { currentThreadToken, isThreadAlive, markThreadExited } from '../src/index.ts';
import { startFixture, withGuard } from './helpers/workers.ts';

/** Polls until `check` is true; liveness is updated by 'exit' events, which arrive asynchronously. */
async function eventually(check: () => boolean, what: string): Promise<void> {
  await withGuard(
    (async () => {
      while (!check()) await new Promise((resolve) => setTimeout(resolve, 5));
    })(),
    what,
  );
}

describe('thread liveness', () => {
  it('gives this thread a positive token that is alive', () => {
    const token = currentThreadToken();
    expect(token).toBeGreaterThan(0);
    expect(currentThreadToken()).toBe(token);
    expect(isThreadAlive(token)).toBe(true);
    expect(isThreadAlive(0)).toBe(false);
  });

  it.each(['return', 'throw', 'exit'] as const)('sees a worker dead after it ends by %s', async (end) => {
    const child = startFixture('liveness-worker', { end });
    const { token } = await child.message<{ token: number }>();
    expect(token).not.toBe(currentThreadToken());
    await child.exit();
    await eventually(() => !isThreadAlive(token), `token of a worker that ended by ${end} to die`);
  });

  it('sees a terminated worker dead, and alive until then', async () => {
    const child = startFixture('liveness-worker', { end: 'hang' });
    const { token } = await child.message<{ token: number }>();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(isThreadAlive(token)).toBe(true);
    await child.worker.terminate();
    await eventually(() => !isThreadAlive(token), 'token of a terminated worker to die');
  });

  it('sees a grandchild dead when its parent is terminated', async () => {
    const child = startFixture('liveness-worker', { end: 'spawn-hanging-child' });
    const { token, childToken } = await child.message<{ token: number; childToken: number }>();
    expect(isThreadAlive(token)).toBe(true);
    expect(isThreadAlive(childToken)).toBe(true);
    await child.worker.terminate();
    await eventually(() => !isThreadAlive(childToken), 'grandchild token to die with its parent');
  });

  it('markThreadExited marks a worker dead before its exit event', async () => {
    const child = startFixture('liveness-worker', { end: 'hang' });
    const { token } = await child.message<{ token: number }>();
    markThreadExited(child.worker);
    expect(isThreadAlive(token)).toBe(false);
    await child.worker.terminate();
  });
});
