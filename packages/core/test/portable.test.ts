import { describe, expect, it } from 'vitest';
import {
  dataCodec,
  definePortableType,
  Futex,
  isPortable,
  PORTABLE_TYPE,
  Portable,
  type PortableType,
  portableTypeNamed,
  revive,
  share,
  sharedTypeModules,
  structuredCodec,
} from '../src/index.ts';

class Pointer extends Portable {
  readonly futex: Futex;
  readonly label: string;
  constructor(futex: Futex, label: string) {
    super();
    this.futex = futex;
    this.label = label;
  }
  get [PORTABLE_TYPE](): PortableType {
    return POINTER;
  }
}

const encoded: string[] = [];
const POINTER: PortableType = definePortableType<Pointer>({
  name: 'test.Pointer',
  module: import.meta.url,
  encode: (pointer) => {
    encoded.push(pointer.label);
    return [pointer.futex, pointer.label];
  },
  decode: (data) => {
    const [futex, label] = data as [Futex, string];
    return new Pointer(futex, `${label} (rebuilt)`);
  },
});

describe('portable objects', () => {
  it('travel in structured-codec messages, rebuilt by their type, with the primitives they hold live', () => {
    const futex = new Futex();
    const message = { pointers: [new Pointer(futex, 'a')], n: 2 };
    const decoded = structuredCodec.decode(structuredCodec.encode(message)) as typeof message;
    const pointer = decoded.pointers[0] as Pointer;
    expect(pointer).toBeInstanceOf(Pointer);
    expect(pointer.label).toBe('a (rebuilt)');
    expect(pointer.futex).toBe(futex);
    expect(decoded.n).toBe(2);
    expect(encoded).toContain('a');
  });

  it('travel through share() and revive()', () => {
    const futex = new Futex();
    const descriptor = structuredClone(share(new Pointer(futex, 'b')));
    const pointer = revive(descriptor) as Pointer;
    expect(pointer.label).toBe('b (rebuilt)');
    expect(pointer.futex).toBe(futex);
  });

  it('are refused by the data codec (another process cannot rebuild them), naming the type', () => {
    expect(() => dataCodec.encode({ p: new Pointer(new Futex(), 'd') })).toThrow(/cannot encode a test\.Pointer/);
  });

  it('are listed with their module for Process children, and named when missing', () => {
    expect(sharedTypeModules()['test.Pointer']).toBe(import.meta.url);
    expect(portableTypeNamed('test.Pointer')).toBe(POINTER);
    expect(() => portableTypeNamed('ipc.manager.Nothing')).toThrow(/import '@ipc\/manager'/);
    expect(isPortable(new Pointer(new Futex(), 'c'))).toBe(true);
    expect(isPortable({})).toBe(false);
  });
});
