/**
 * Codec round trip: what it costs to turn a message into bytes and back, the ceiling of every queue and
 * pipe benchmark (design.md §7).
 *
 * For each value shape, one "op" is `decode(encode(value))` with
 * - ours: `structuredCodec` (msgpackr with structured-clone fidelity),
 * - v8:   `v8.serialize` + `v8.deserialize` (what `postMessage` does, minus the transport),
 * - JSON: `JSON.stringify` + `TextEncoder` / `TextDecoder` + `JSON.parse`, only where the value survives
 *         JSON unchanged (`-` otherwise: JSON would not be a fair stand-in there).
 * Each cell is calibrated, warmed up for ~0.1 s, then timed for ~0.5 s in batches; the ratios compare
 * cells of the same run. Every codec's output is first checked to equal the input (`isDeepStrictEqual`),
 * so a fast but lossy path would show up as a warning under the table, not as a win.
 *
 * The codec is imported from the TypeScript source (tsx compiles it with esbuild, as tsup does for dist).
 */

import { isDeepStrictEqual } from 'node:util';
import v8 from 'node:v8';
import { structuredCodec } from '@ipc/core';
import { formatMicros, formatRate, formatRatio } from '../../report/format.ts';
import { type Column, renderTable } from '../../report/table.ts';

/** A value to round-trip, and whether JSON carries it faithfully. */
interface Shape {
  readonly name: string;
  readonly value: unknown;
  readonly json: boolean;
}

/** One way to turn a value into bytes and back. */
interface RoundTrip {
  readonly name: string;
  encode(value: unknown): Uint8Array;
  decode(bytes: Uint8Array): unknown;
}

/** Options for {@link runCodecBench}. */
export interface CodecBenchOptions {
  /** Timed milliseconds per cell. */
  readonly measureMs: number;
  /** Warm-up milliseconds per cell, after calibration. */
  readonly warmupMs: number;
}

/** Repeats a short ASCII text up to `length` characters, so long strings are not one repeated char. */
function text(length: number): string {
  const words = 'the quick brown fox jumps over the lazy dog 0123456789 ';
  return words.repeat(Math.ceil(length / words.length)).slice(0, length);
}

function shapes(): Shape[] {
  const bytes = new Uint8Array(64 * 1024);
  for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 31) & 0xff;
  return [
    { name: "small object {i, s:'x'}", value: { i: 1, s: 'x' }, json: true },
    { name: 'string, 20 chars', value: text(20), json: true },
    { name: 'string, 10 KB', value: text(10 * 1024), json: true },
    { name: 'number', value: Math.PI, json: true },
    {
      name: 'nested: arrays, Map, Date',
      value: {
        id: 42,
        name: 'order',
        tags: ['a', 'b', 'c'],
        created: new Date(1_700_000_000_000),
        totals: new Map<string, number>([
          ['net', 100.5],
          ['tax', 20.1],
        ]),
        lines: [
          { sku: 'A-1', qty: 2, price: [9.99, 'EUR'] },
          { sku: 'B-2', qty: 1, price: [80.52, 'EUR'] },
        ],
        meta: { paid: true, note: null },
      },
      json: false,
    },
    { name: 'Uint8Array, 64 KiB', value: bytes, json: false },
    { name: "1000 × {i, s:'x'}", value: Array.from({ length: 1000 }, (_, i) => ({ i, s: 'x' })), json: true },
  ];
}

const utf8Encoder = new TextEncoder();
const utf8Decoder = new TextDecoder();

const OURS: RoundTrip = {
  name: 'structuredCodec',
  encode: (value) => structuredCodec.encode(value),
  decode: (bytes) => structuredCodec.decode(bytes),
};
const V8: RoundTrip = {
  name: 'v8.serialize',
  encode: (value) => v8.serialize(value),
  decode: (bytes) => v8.deserialize(bytes),
};
const JSON_UTF8: RoundTrip = {
  name: 'JSON + UTF-8',
  encode: (value) => utf8Encoder.encode(JSON.stringify(value)),
  decode: (bytes) => JSON.parse(utf8Decoder.decode(bytes)),
};

/** Keeps the optimiser from dropping a round trip whose result is never used. */
let sink: unknown;

/**
 * Runs `op` in batches for `measureMs` and returns ops/s. The batch is sized first (doubling until one
 * batch takes ≥ 5 ms, so the clock is read rarely), then the op runs `warmupMs` untimed for the JIT.
 */
function opsPerSecond(op: () => void, options: CodecBenchOptions): number {
  const runBatch = (size: number): number => {
    const start = performance.now();
    for (let i = 0; i < size; i++) op();
    return performance.now() - start;
  };
  let batch = 1;
  while (runBatch(batch) < 5) batch *= 2;
  const warmupEnd = performance.now() + options.warmupMs;
  while (performance.now() < warmupEnd) runBatch(batch);
  let ops = 0;
  let elapsed = 0;
  do {
    elapsed += runBatch(batch);
    ops += batch;
  } while (elapsed < options.measureMs);
  return ops / (elapsed / 1000);
}

/** One shape's cell for one codec: the round-trip rate, the encoded size, and whether it came back equal. */
interface Cell {
  readonly perSecond: number;
  readonly bytes: number;
  readonly faithful: boolean;
}

function measureCell(codec: RoundTrip, shape: Shape, options: CodecBenchOptions): Cell {
  const encoded = codec.encode(shape.value);
  const faithful = isDeepStrictEqual(codec.decode(encoded), shape.value);
  const { value } = shape;
  const perSecond = opsPerSecond(() => {
    sink = codec.decode(codec.encode(value));
  }, options);
  return { perSecond, bytes: encoded.byteLength, faithful };
}

/** Measures every shape with every codec and returns the printed report. */
export function runCodecBench(options: CodecBenchOptions): string {
  const rows: string[][] = [];
  const warnings: string[] = [];
  for (const shape of shapes()) {
    const ours = measureCell(OURS, shape, options);
    const v8Cell = measureCell(V8, shape, options);
    const json = shape.json ? measureCell(JSON_UTF8, shape, options) : undefined;
    for (const [codec, cell] of [
      [OURS, ours],
      [V8, v8Cell],
      [JSON_UTF8, json],
    ] as const) {
      if (cell !== undefined && !cell.faithful) warnings.push(`! ${codec.name} changed the value: ${shape.name}`);
    }
    rows.push([
      shape.name,
      formatRate(ours.perSecond),
      formatMicros(1e6 / ours.perSecond),
      formatRate(v8Cell.perSecond),
      json === undefined ? '-' : formatRate(json.perSecond),
      formatRatio(ours.perSecond, v8Cell.perSecond),
      formatRatio(ours.perSecond, json?.perSecond),
      `${ours.bytes} / ${v8Cell.bytes} / ${json === undefined ? '-' : json.bytes}`,
    ]);
  }
  void sink;
  const columns: Column[] = [
    { header: 'value' },
    { header: 'ours op/s', align: 'right' },
    { header: 'ours µs/op', align: 'right' },
    { header: 'v8 op/s', align: 'right' },
    { header: 'JSON op/s', align: 'right' },
    { header: 'ours/v8', align: 'right' },
    { header: 'ours/JSON', align: 'right' },
    { header: 'bytes ours / v8 / JSON', align: 'right' },
  ];
  const title =
    'Codec round trip, decode(encode(value)), ops/s (higher is better; ratios > 1× mean ours is faster)\n' +
    `  ours = structuredCodec (msgpackr), v8 = v8.serialize + deserialize, JSON = JSON + TextEncoder/TextDecoder; ` +
    `~${options.measureMs} ms per cell`;
  return [renderTable(title, columns, rows), ...warnings].join('\n');
}
