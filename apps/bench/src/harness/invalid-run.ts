/** Every benchmark run checks what it did; a run that counted wrong has no rate, only this error. */

/** A run whose checks failed: its rate would be meaningless, so it is reported and not counted. */
export class InvalidRun extends Error {}

/** Throws InvalidRun unless `observed` is `expected`: "invalid: the counter is 9, expected 10". */
export function expectEqual(what: string, observed: number, expected: number): void {
  if (observed !== expected) throw new InvalidRun(`invalid: ${what} is ${observed}, expected ${expected}`);
}
