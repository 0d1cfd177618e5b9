import { Pipe } from '@ipc/pipe';
import { Process } from '@ipc/process';
import { describe, expect, it } from 'vitest';
import { prng, SEED } from '../../../../tooling/test/prng.ts';
import { GUARD_MS, joinAll, target, withGuard } from '../helpers.ts';

describe(`stress: senders terminated at random points (seed ${SEED})`, () => {
  it('8 rounds of 3 senders on one end killed at random: whole messages, in order, no gaps or twins, then EOF', async () => {
    const random = prng(SEED);
    for (let round = 0; round < 8; round++) {
      const [here, there] = Pipe<{ sender: number; seq: number; text: string }>();
      const senders = [0, 1, 2].map((s) => new Process({ target: target('sendForever'), args: [there, s] }));
      for (const s of senders) s.start();
      there.close();
      const next = [0, 0, 0];
      // Each sender is killed a random time after its first message arrived (one killed before it decoded its
      // args would leave its copy of the end in flight for good: see docs/pipe.md, known limits).
      const killAt = senders.map(() => 5 + random() * 100);
      const firstSeen: (number | undefined)[] = [undefined, undefined, undefined];
      const killer = setInterval(() => {
        for (const [i, s] of senders.entries()) {
          const first = firstSeen[i];
          if (s.isAlive() && first !== undefined && performance.now() - first > (killAt[i] ?? 0)) s.terminate();
        }
      }, 5);
      try {
        // Ends with EOFError once every sender is dead and everything they committed is read.
        const reading = (async () => {
          for await (const m of here) {
            expect(m.text).toBe('y'.repeat((m.seq * 7) % 3000));
            expect(m.seq).toBe(next[m.sender]);
            firstSeen[m.sender] ??= performance.now();
            next[m.sender] = m.seq + 1;
          }
        })();
        await withGuard(reading, 'the end of the stream');
      } finally {
        clearInterval(killer);
      }
      await joinAll(senders);
      expect(next.every((n) => n > 0)).toBe(true);
      expect(() => here.sendSync({ sender: -1, seq: 0, text: '' })).toThrow(/other end of the pipe is closed/);
    }
  }, 120_000);

  it('a reader killed in recv at random: the senders see the end closed, not a hang', async () => {
    const [here, there] = Pipe<unknown>();
    const reader = new Process({ target: target('echo'), args: [there] });
    reader.start();
    there.close();
    await here.send('warm');
    expect(await withGuard(here.recv(), 'the echo')).toBe('warm');
    reader.terminate();
    await joinAll([reader]);
    const deadline = performance.now() + GUARD_MS;
    let failed: unknown;
    while (failed === undefined && performance.now() < deadline) {
      try {
        here.sendSync('anyone?');
      } catch (error) {
        failed = error;
      }
    }
    expect(String(failed)).toMatch(/other end of the pipe is closed/);
  });
});
