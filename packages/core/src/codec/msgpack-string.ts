/**
 * How both of core's MessagePack writers (flat.ts, the structured codec's fast path, and data-writer.ts, the
 * data codec) write a string: short ASCII by a loop into a fixstr (cheaper than TextEncoder for the keys and
 * small values messages are made of), anything else UTF-8 by TextEncoder behind a str 8/16/32 header.
 */

/** The longest fixstr: its length fits the header byte's low 5 bits. */
const FIXSTR_MAX = 31;

const textEncoder = new TextEncoder();

/** The most bytes `writeString` can take for `value`: the longest header and 3 UTF-8 bytes per UTF-16 unit. */
export function stringRoom(value: string): number {
  return 5 + 3 * value.length;
}

/** Writes `value` at `bytes[at]` (the caller checked `stringRoom`); returns where the next value goes. */
export function writeString(bytes: Uint8Array, at: number, value: string): number {
  const length = value.length;
  if (length <= FIXSTR_MAX) {
    let i = 0;
    for (; i < length; i++) {
      const code = value.charCodeAt(i);
      if (code >= 0x80) break;
      bytes[at + 1 + i] = code;
    }
    if (i === length) {
      bytes[at] = 0xa0 | length;
      return at + 1 + length;
    }
  }
  // A header sized for the most UTF-8 bytes the string can take: a longer header than the shortest is valid
  // MessagePack.
  const header = 3 * length < 0x100 ? 2 : 3 * length < 0x10000 ? 3 : 5;
  const { written } = textEncoder.encodeInto(value, bytes.subarray(at + header));
  if (header === 2) {
    bytes[at] = 0xd9;
    bytes[at + 1] = written;
  } else if (header === 3) {
    bytes[at] = 0xda;
    bytes[at + 1] = written >>> 8;
    bytes[at + 2] = written & 0xff;
  } else {
    bytes[at] = 0xdb;
    bytes[at + 1] = written >>> 24;
    bytes[at + 2] = (written >>> 16) & 0xff;
    bytes[at + 3] = (written >>> 8) & 0xff;
    bytes[at + 4] = written & 0xff;
  }
  return at + header + written;
}
