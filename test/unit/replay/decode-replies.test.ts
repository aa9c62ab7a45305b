// The replay's reply decoder (harness/proto/decode-replies.ts) against the
// codec it stands in for, @grpc/proto-loader's responseDeserialize: the same
// objects for every field of every event kind, for defaults, unknown enum
// numbers and unknown fields, and the same outcome (equal objects, or both
// throw) for damaged messages.
import { describe, expect, it } from 'vitest';
import { decodeJobEvent, decodeRunManyReplies } from '../../../harness/proto/decode-replies.ts';
import type { EventType, JobEvent, JobEventOut, RunManyRepliesOut, RunManyReplies, RunManyReply } from '../../../harness/proto/types.ts';
import { runManyMethod, runMethod } from '../../../harness/replay/run-request.ts';

/** The methods' codecs as a target uses them: it serializes the input types (longs as strings, enums by number allowed). */
const runMany = runManyMethod() as unknown as { responseSerialize(m: RunManyReplies): Buffer; responseDeserialize(b: Buffer): RunManyRepliesOut };
const run = runMethod() as unknown as { responseSerialize(m: JobEvent): Buffer; responseDeserialize(b: Buffer): JobEventOut };

const KINDS: EventType[] = [
  'EVENT_TYPE_UNSPECIFIED', 'QUEUED', 'OFFER_RECEIVED', 'PROVIDER_ASSIGNED', 'IMAGE_PULLED', 'STARTED', 'PROGRESS', 'PROVIDER_LOST',
  'RETRYING', 'COMPLETED', 'FAILED', 'SETTLED', 'CANCELLED', 'DEBIT_NOTE', 'BILLED', 'FIRST_TOKEN', 'TOKENS',
];

/** Every field set to something other than its default; `i` varies them. */
function fullEvent(type: EventType, i: number): JobEvent {
  return {
    jobId: `job-${i}-ü€𝄞`, type, atUs: 1_700_000_000_000_000 + i, attempt: i + 1, providerId: `p${i}`, pricePerHour: 0.25 + i,
    amount: 1e-9 * (i + 1), currency: i % 2 ? 'GLM' : 'USD', amountUsd: -0.5 * i - 0.1, usdRate: 0.3, errorClass: 'no_capacity', reason: 'Node Offline',
    detail: 'x'.repeat(200 + i), progress: 0.5, outputDigest: 'sha256:abc', bytes: 2 ** 40 + i, offers: 7, billedGpuSeconds: 12.5, gpuClass: 'rtx4090',
    tokens: 4_000_000_000 + i, promptTokens: 300,
  };
}

/** Values at the edges of their types: negative and beyond-2^53 int64, the largest uint64, non-finite doubles, -0. */
const EDGE_EVENTS: JobEvent[] = [
  {},
  { atUs: -1, bytes: '18446744073709551615' },
  { atUs: '-9223372036854775808', bytes: '9007199254740993' },
  { atUs: '9223372036854775807', amount: Number.NaN, amountUsd: Infinity, usdRate: -Infinity, progress: -0 },
  { type: 99 as unknown as EventType },
  { type: -3 as unknown as EventType, attempt: 4294967295, offers: 0 },
  { jobId: '', currency: '', detail: '\u0000\uffff' },
];

const allEvents = (): JobEvent[] => [...KINDS.map((k, i) => fullEvent(k, i)), ...EDGE_EVENTS];

const REPLIES: RunManyReply[] = [
  ...allEvents().map((event, i) => ({ tag: i + 1, event })),
  { tag: 1, end: { code: 0, details: '' } },
  { tag: 2, end: { code: 4, details: 'deadline exceeded' } },
  { tag: '18446744073709551615', event: fullEvent('COMPLETED', 3), end: { code: 14, details: 'gone' } },
  {},
  { tag: 0, end: {} },
];

/** The same object, field for field, with keys in the same order. */
function expectSame(lean: unknown, reflected: unknown): void {
  expect(lean).toStrictEqual(reflected);
  expect(JSON.stringify(keysOf(lean))).toBe(JSON.stringify(keysOf(reflected)));
}

function keysOf(x: unknown): unknown {
  if (Array.isArray(x)) return x.map(keysOf);
  if (x && typeof x === 'object') return Object.entries(x).map(([k, v]) => [k, keysOf(v)]);
  return null;
}

/** Raw bytes of fields no message here has, one per wire type (varint, fixed64, length-delimited, group, fixed32). */
const UNKNOWN_FIELDS = Buffer.from([
  0xf8, 0x07, 0x96, 0x01, // 127: varint 150
  0xf9, 0x07, 1, 2, 3, 4, 5, 6, 7, 8, // 127: fixed64
  0xfa, 0x07, 0x03, 0x61, 0x62, 0x63, // 127: "abc"
  0xfb, 0x07, 0x08, 0x01, 0xfc, 0x07, // 127: group holding field 1 = 1
  0xfd, 0x07, 1, 2, 3, 4, // 127: fixed32
]);

/** A seeded generator, so a failing case can be replayed. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

function outcome(fn: () => unknown): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: fn() };
  } catch {
    return { ok: false };
  }
}

describe('reply decoder', () => {
  it('decodes every field of every event kind as proto-loader does, in a RunManyReplies and as a Run call event', () => {
    for (const event of allEvents()) {
      const bytes = run.responseSerialize(event);
      expectSame(decodeJobEvent(bytes), run.responseDeserialize(bytes));
    }
    const bytes = runMany.responseSerialize({ replies: REPLIES });
    const reflected = runMany.responseDeserialize(bytes);
    expect(reflected.replies).toHaveLength(REPLIES.length);
    expectSame(decodeRunManyReplies(bytes), reflected);
    // Each reply alone, and an empty message.
    for (const reply of REPLIES) {
      const one = runMany.responseSerialize({ replies: [reply] });
      expectSame(decodeRunManyReplies(one), runMany.responseDeserialize(one));
    }
    const empty = Buffer.alloc(0);
    expectSame(decodeRunManyReplies(empty), runMany.responseDeserialize(empty));
    expectSame(decodeJobEvent(empty), run.responseDeserialize(empty));
  });

  it('skips unknown fields of every wire type at every level, as proto-loader does', () => {
    const event = run.responseSerialize(fullEvent('SETTLED', 1));
    const eventPlus = Buffer.concat([UNKNOWN_FIELDS, event, UNKNOWN_FIELDS]);
    expectSame(decodeJobEvent(eventPlus), run.responseDeserialize(eventPlus));
    // A reply (tag 5) whose event has unknown fields and which has unknown fields itself, in replies with unknown fields.
    const reply = Buffer.concat([Buffer.from([0x08, 0x05]), UNKNOWN_FIELDS, Buffer.from([0x12, ...varint(eventPlus.length)]), eventPlus]);
    const replies = Buffer.concat([UNKNOWN_FIELDS, Buffer.from([0x0a, ...varint(reply.length)]), reply, UNKNOWN_FIELDS]);
    const reflected = runMany.responseDeserialize(replies);
    expect(reflected.replies[0]!.event!.type).toBe('SETTLED');
    expectSame(decodeRunManyReplies(replies), reflected);
  });

  it('gives the same result or the same refusal for damaged messages', () => {
    const rand = lcg(13);
    const sources = [runMany.responseSerialize({ replies: REPLIES }), ...REPLIES.slice(0, 6).map((r) => runMany.responseSerialize({ replies: [r, r] }))];
    let refused = 0;
    for (let i = 0; i < 6000; i++) {
      const src = sources[i % sources.length]!;
      let bytes: Buffer;
      const how = i % 4;
      if (how === 0) bytes = src.subarray(0, Math.floor(rand() * src.length)); // cut short
      else {
        bytes = Buffer.from(src);
        const flips = 1 + Math.floor(rand() * 3);
        for (let f = 0; f < flips; f++) {
          const at = Math.floor(rand() * bytes.length);
          // Flip a bit, set a byte to a value that matters to varints and wire types, or to anything.
          bytes[at] = how === 1 ? bytes[at]! ^ (1 << Math.floor(rand() * 8)) : how === 2 ? [0x80, 0xff, 0x00, 0x7f, 0x0b, 0x0c][Math.floor(rand() * 6)]! : Math.floor(rand() * 256);
        }
      }
      const reflected = outcome(() => runMany.responseDeserialize(bytes));
      const lean = outcome(() => decodeRunManyReplies(bytes));
      expect({ case: i, ok: lean.ok }).toEqual({ case: i, ok: reflected.ok });
      if (lean.ok && reflected.ok) expectSame(lean.value, reflected.value);
      else refused++;
      // The same bytes read as a Run call's event.
      const reflectedEvent = outcome(() => run.responseDeserialize(bytes));
      const leanEvent = outcome(() => decodeJobEvent(bytes));
      expect({ case: i, ok: leanEvent.ok }).toEqual({ case: i, ok: reflectedEvent.ok });
      if (leanEvent.ok && reflectedEvent.ok) expectSame(leanEvent.value, reflectedEvent.value);
    }
    // Both kinds of outcome were exercised.
    expect(refused).toBeGreaterThan(500);
    expect(refused).toBeLessThan(5500);
  });
});

function varint(n: number): number[] {
  const out: number[] = [];
  while (n >= 0x80) {
    out.push((n & 0x7f) | 0x80);
    n >>>= 7;
  }
  out.push(n);
  return out;
}
