/**
 * Scenario (seed 003, "共享内存"): a block of shared memory that one process writes and another reads; each
 * write overwrites what was there ("每次写入会覆盖之前内容"). `Value(ctype, data)` holds one value, changed
 * through `.value`; `Array(ctype, data)` holds a list of one type, changed by index only, with a fixed length.
 *
 * Python:
 *     from multiprocessing import Value, Array
 *     obj = Value(ctype, data)     # obj.value = ...
 *     obj = Array(ctype, data)     # obj[i] = ...; the length cannot change
 *
 * Here: a writer process sets a Value and an Array's elements twice (the second write replaces the first),
 * then a reader process prints what it finds; the main prints the same. A 'c' Array holds bytes (Python's
 * ctype 'c'), and `.value` reads them up to the first 0. Changing the length throws, as in Python.
 */
import { isMainProcess, Process } from '@ipc/process';
import { SharedArray, Value } from '@ipc/shared';

/** The writer: each write replaces the previous content. */
export function writer(count: Value<'i'>, temps: SharedArray<'d'>, note: SharedArray<'c'>): void {
  count.value = 1;
  temps.set(0, 20.5);
  note.value = new TextEncoder().encode('first');
  count.value = 2; // overwrites 1
  temps.set(0, 21.5); // overwrites 20.5
  note.value = new TextEncoder().encode('second'); // overwrites 'first'
  console.log('writer: wrote twice; the second writes replace the first');
}

/** The reader: sees only the last writes. */
export function reader(count: Value<'i'>, temps: SharedArray<'d'>, note: SharedArray<'c'>): void {
  console.log(
    `reader: count ${count.value}, temps [${temps.toArray().join(', ')}], note "${new TextDecoder().decode(note.value)}"`,
  );
}

if (isMainProcess()) {
  const count = new Value('i', 0);
  const temps = new SharedArray('d', [0, 18, 19]);
  const note = new SharedArray('c', 16); // 16 bytes, zeroed
  for (const target of [writer, reader]) {
    const p = new Process({ target, args: [count, temps, note] });
    p.start();
    await p.join();
  }
  console.log(`main: count ${count.value}, temps length ${temps.length} (fixed)`);
  try {
    temps.set(3, 1);
  } catch (error) {
    console.log(`main: temps.set(3, ...) throws ${(error as Error).name}: the length cannot change`);
  }
}
