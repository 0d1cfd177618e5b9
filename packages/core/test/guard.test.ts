import { currentThreadToken, enterGuard, isGuardAbandoned, leaveGuard } from '@ipc/core';
import { describe, expect, it } from 'vitest';
import { startFixture } from './helpers/workers.ts';

describe('robust guard', () => {
  it('is taken at once when free, and reports no takeover', () => {
    const words = new Int32Array(new SharedArrayBuffer(8));
    expect(enterGuard(words, 0, currentThreadToken())).toBe(false);
    expect(words[0]).toBe(currentThreadToken());
    leaveGuard(words, 0);
    expect(words[0]).toBe(0);
  });

  it('is taken over from a holder that is not alive, and says so', () => {
    const words = new Int32Array(new SharedArrayBuffer(8));
    const dead = currentThreadToken() + 1; // no thread holds this token
    words[0] = dead;
    expect(isGuardAbandoned(words, 0)).toBe(true);
    expect(enterGuard(words, 0, currentThreadToken())).toBe(true);
    expect(isGuardAbandoned(words, 0)).toBe(false);
    leaveGuard(words, 0);
  });

  it('keeps two workers out of each other: 2 x 20000 non-atomic increments end at 40000', async () => {
    const buffer = new SharedArrayBuffer(8);
    const workers = [0, 1].map(() => startFixture('guard-worker', { buffer, rounds: 20_000 }));
    for (const w of workers) expect(await w.message()).toBe('done');
    await Promise.all(workers.map((w) => w.exit()));
    expect(new Int32Array(buffer)[1]).toBe(40_000);
  });
});
