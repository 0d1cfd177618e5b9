/**
 * Word 0 of every shared structure holds a type tag and a layout version (design.md §3), so that a thread
 * attaching to memory of another type, or of a layout an older or newer package wrote, fails loudly.
 */

/** Packs a 16-bit type tag and a 16-bit layout version into one Int32 word. */
export function tagWord(tag: number, version: number): number {
  if (!Number.isInteger(tag) || tag <= 0 || tag > 0x7fff)
    throw new RangeError(`type tag must be in 1..0x7fff, got ${tag}`);
  if (!Number.isInteger(version) || version < 0 || version > 0xffff) {
    throw new RangeError(`layout version must be in 0..0xffff, got ${version}`);
  }
  return (tag << 16) | version;
}

/**
 * Checks the tag word at `index`.
 *
 * @throws {TypeError} naming what was expected and what was found.
 */
export function checkTag(i32: Int32Array, index: number, tag: number, version: number, what: string): void {
  const found = Atomics.load(i32, index);
  if (found === tagWord(tag, version)) return;
  const foundTag = found >>> 16;
  const foundVersion = found & 0xffff;
  if (foundTag === tag) {
    throw new TypeError(
      `${what} has layout version ${foundVersion}, this code reads version ${version}: ` +
        'two threads load different versions of an @ipc package',
    );
  }
  throw new TypeError(
    `memory is not ${what}: expected type tag 0x${tag.toString(16)}, found 0x${foundTag.toString(16)}`,
  );
}
