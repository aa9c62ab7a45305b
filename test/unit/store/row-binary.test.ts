// The RowBinary encoder byte by byte (lengths as LEB128, integers little-endian,
// 64-bit integers beyond 2^53 as the integer JSON prints), and the values it
// refuses so the batch goes as JSON and the server judges it as before.
import { describe, expect, it } from 'vitest';
import type { RowOf } from '../../../harness/events/schema.ts';
import { inSlices } from '../../../harness/store/encode.ts';
import { rowBinaryOrText, rowBinaryOrTextInSlices } from '../../../harness/store/row-binary.ts';

/** price_ticks: run_id String, target String, currency String, usd_rate Float64, at_us Int64, event_date DateTime. */
const tick = (over: Record<string, unknown> = {}) => ({ run_id: 'r', target: 't', currency: 'GLM', usd_rate: 0.5, at_us: 7, event_date: 1_700_000_000, ...over }) as unknown as RowOf<'price_ticks'>;

function expected(parts: (number[] | Buffer)[]): Buffer {
  return Buffer.concat(parts.map((p) => (Buffer.isBuffer(p) ? p : Buffer.from(p))));
}
const f64 = (v: number) => { const b = Buffer.alloc(8); b.writeDoubleLE(v); return b; };
const i64 = (v: bigint) => { const b = Buffer.alloc(8); b.writeBigInt64LE(v); return b; };
const u32 = (v: number) => { const b = Buffer.alloc(4); b.writeUInt32LE(v); return b; };

describe('RowBinary encoding', () => {
  it('writes each column in the table\'s order: strings length-prefixed UTF-8, numbers little-endian', () => {
    const got = rowBinaryOrText('price_ticks', [tick({ run_id: 'é🚀', at_us: -2 })]);
    expect(got).toEqual(expected([[6, 0xc3, 0xa9, 0xf0, 0x9f, 0x9a, 0x80], [1, 0x74], [3, 0x47, 0x4c, 0x4d], f64(0.5), i64(-2n), u32(1_700_000_000)]));
  });

  it('hands out a buffer of its own each time (the encoding buffer is reused)', () => {
    const first = rowBinaryOrText('price_ticks', [tick({ run_id: 'a' })])!;
    const copy = Buffer.from(first);
    rowBinaryOrText('price_ticks', [tick({ run_id: 'b'.repeat(3_000_000) })]); // grows the encoding buffer past its first size
    rowBinaryOrText('price_ticks', [tick({ run_id: 'c' })]);
    expect(first).toEqual(copy);
  });

  it('prefixes a long string with a multi-byte length', () => {
    const got = rowBinaryOrText('price_ticks', [tick({ run_id: 'x'.repeat(300) })])!;
    expect([...got.subarray(0, 2)]).toEqual([0xac, 0x02]);
    expect(got.subarray(2, 302).toString()).toBe('x'.repeat(300));
  });

  it('writes 64-bit integers past 2^53 as the integer JSON would send, and in range only', () => {
    const big = 2 ** 60 + 2 ** 10; // a double; JSON prints 1152921504606848000
    const got = rowBinaryOrText('price_ticks', [tick({ at_us: big }), tick({ at_us: -(2 ** 62) })])!;
    const at = 2 + 2 + 4 + 8; // run_id, target, currency, usd_rate
    expect(got.readBigInt64LE(at)).toBe(BigInt(JSON.stringify(big)));
    expect(got.readBigInt64LE(got.length / 2 + at)).toBe(-4611686018427388000n); // JSON's -4611686018427388000, not 2^62's exact -4611686018427387904
    expect(rowBinaryOrText('price_ticks', [tick({ at_us: 2 ** 63 })])).toBeUndefined();
  });

  it('gives a column left out its default, as JSON leaves the key out', () => {
    const row = tick();
    delete (row as Partial<typeof row>).currency;
    delete (row as Partial<typeof row>).at_us;
    expect(rowBinaryOrText('price_ticks', [row])).toEqual(expected([[1, 0x72], [1, 0x74], [0], f64(0.5), i64(0n), u32(1_700_000_000)]));
  });

  it('writes -0 as 0, as JSON prints it', () => {
    const got = rowBinaryOrText('price_ticks', [tick({ usd_rate: -0 })])!;
    expect(Object.is(got.readDoubleLE(8), 0)).toBe(true);
  });

  it.each([
    ['a lone surrogate', { currency: 'GLM\ud800' }],
    ['a number in a String column', { currency: 5 }],
    ['a string in a Float64 column', { usd_rate: 'not-a-number' }],
    ['NaN', { usd_rate: Number.NaN }],
    ['Infinity', { usd_rate: Number.POSITIVE_INFINITY }],
    ['null', { usd_rate: null }],
    ['a fraction in an Int64 column', { at_us: 1.5 }],
    ['a negative DateTime', { event_date: -1 }],
    ['a DateTime past 2^32', { event_date: 2 ** 32 }],
  ])('leaves the batch to JSON for %s', (_, over) => {
    expect(rowBinaryOrText('price_ticks', [tick(), tick(over)])).toBeUndefined();
  });

  it('refuses an out-of-range UInt8 and an Array(String) that is not an array of strings', () => {
    const online = (v: unknown) => [{ run_id: 'r', target: 't', provider_id: 'p', online: v, at_us: 1, received_at_us: 1, gpu_class: 'g', reason: '', region: '', event_date: 0 }] as unknown as RowOf<'provider_events'>[];
    expect(rowBinaryOrText('provider_events', online(1))).toBeInstanceOf(Buffer);
    expect(rowBinaryOrText('provider_events', online(256))).toBeUndefined();
    expect(rowBinaryOrText('provider_events', online(true))).toBeUndefined();
    const targets = (v: unknown) => [{ run_id: 'r', targets: v }] as unknown as RowOf<'runs'>[];
    expect(rowBinaryOrText('runs', targets(['a', 'b']))).toBeInstanceOf(Buffer);
    expect(rowBinaryOrText('runs', targets('a'))).toBeUndefined();
    expect(rowBinaryOrText('runs', targets([1]))).toBeUndefined();
  });

  it('encodes a large insert slice by slice, the event loop getting a turn between slices, into the same bytes', async () => {
    const rows = Array.from({ length: 25 }, (_, i) => tick({ at_us: i, run_id: `r${i}é` }));
    const log: string[] = [];
    // Another task that wants a turn of the event loop every turn (as the replay's release clock does).
    let stop = false;
    const other = () => {
      if (stop) return;
      log.push('turn');
      setImmediate(other);
    };
    setImmediate(other);
    const parts = await inSlices(rows, 10, (part) => (log.push(`slice ${part.length}`), part.length));
    stop = true;
    expect(parts).toEqual([10, 10, 5]);
    expect(log).toEqual(['slice 10', 'turn', 'slice 10', 'turn', 'slice 5']);
    expect(Buffer.concat((await rowBinaryOrTextInSlices('price_ticks', rows, 10))!)).toEqual(rowBinaryOrText('price_ticks', rows));
    expect(await rowBinaryOrTextInSlices('price_ticks', [...rows, tick({ usd_rate: Number.NaN })], 10)).toBeUndefined();
  });
});
