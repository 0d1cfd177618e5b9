/**
 * A small seeded PRNG (mulberry32) for stress and fault tests (design.md §9), so that a failing run can be
 * replayed: every test prints its seed, and `IPC_SEED` sets it.
 */

/** The seed of this run: `IPC_SEED`, or a fixed default. */
export const SEED = Number(process.env.IPC_SEED ?? 20261130);

/** A generator of numbers in [0, 1) from `seed`. */
export function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}
