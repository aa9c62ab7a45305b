// The replay's decoder for what targets send back: RunManyReplies (and a Run
// call's JobEvent), read straight into the objects @grpc/proto-loader's codec
// gives with LOADER_OPTIONS (load.ts). That codec decodes into a protobufjs
// message (a Long object per 64-bit field) and then copies it into a plain
// object with toObject; in a profile of the replay bench that was a fifth of
// the replay's CPU, and a share of its garbage. Here each event is one object
// literal of the same shape, fields in proto order.
//
// It is a port of protobufjs 7's generated decoders and of its BufferReader,
// not a new reading of the wire format: it accepts what they accept, throws
// where they throw (grpc-js then fails the call as it would), and gives the
// same values for the same bytes — int64/uint64 as numbers (longs: Number),
// enums by name (an unknown number stays a number), absent fields as their
// defaults, an absent message as null. decode-replies.test.ts holds it against
// the codec on every field and on damaged messages.
import { loadComputeProto } from './load.ts';
import type { EventTypeName, JobEndOut, JobEventOut, RunManyRepliesOut, RunManyReplyOut } from './types.ts';

/** EventType names by number, read from compute.proto's own descriptor (one definition of the enum). */
const EVENT_TYPE_NAMES: readonly EventTypeName[] = (() => {
  const names: EventTypeName[] = [];
  const descriptor = loadComputeProto().mirrorbench.compute.v1.EventType.type as { value: { name: EventTypeName; number: number }[] };
  for (const v of descriptor.value) names[v.number] = v.name;
  return names;
})();

/** protobufjs's util.recursionLimit: how deep nested groups may be skipped. */
const RECURSION_LIMIT = 100;

/** Node's Buffer has utf8Slice, which protobufjs's BufferReader uses for strings (the same decoding as toString('utf8')). */
type Utf8Sliceable = Buffer & { utf8Slice(start: number, end: number): string };

function outOfRange(): RangeError {
  return new RangeError('index out of range');
}

/** protobufjs's BufferReader: `len` is the end of the message being read, which an embedded message narrows. */
class Reader {
  pos = 0;
  len: number;
  /** The last 64-bit varint read (readLongVarint's LongBits), as unsigned halves. */
  lo = 0;
  hi = 0;

  constructor(readonly buf: Utf8Sliceable) {
    this.len = buf.length;
  }

  uint32(): number {
    const buf = this.buf;
    if (this.len - this.pos < 5) {
      if (this.pos >= this.len) throw outOfRange();
      if (buf[this.pos]! >= 128) return this.varint32NearEnd();
    }
    let value = (buf[this.pos]! & 127) >>> 0;
    if (buf[this.pos++]! < 128) return value;
    value = (value | ((buf[this.pos]! & 127) << 7)) >>> 0;
    if (buf[this.pos++]! < 128) return value;
    value = (value | ((buf[this.pos]! & 127) << 14)) >>> 0;
    if (buf[this.pos++]! < 128) return value;
    value = (value | ((buf[this.pos]! & 127) << 21)) >>> 0;
    if (buf[this.pos++]! < 128) return value;
    value = (value | ((buf[this.pos]! & 15) << 28)) >>> 0;
    if (buf[this.pos++]! < 128) return value;
    // The upper five bytes of a 10-byte varint are skipped unread, as protobufjs does.
    if ((this.pos += 5) > this.len) {
      this.pos = this.len;
      throw outOfRange();
    }
    return value;
  }

  private varint32NearEnd(): number {
    let value = 0;
    for (let i = 0; i < 4; ++i) {
      if (this.pos >= this.len) throw outOfRange();
      const b = this.buf[this.pos++]!;
      value = (value | ((b & 127) << (i * 7))) >>> 0;
      if (b < 128) return value;
    }
    throw outOfRange();
  }

  /** readLongVarint, into lo and hi. Near the end it reads a 4th byte unchecked, as protobufjs does (undefined past the buffer counts as 0). */
  longVarint(): void {
    const buf = this.buf as unknown as ArrayLike<number | undefined>;
    let lo = 0;
    let hi = 0;
    let i = 0;
    if (this.len - this.pos > 4) {
      for (; i < 4; ++i) {
        lo = (lo | ((buf[this.pos]! & 127) << (i * 7))) >>> 0;
        if (buf[this.pos++]! < 128) return this.setLong(lo, hi);
      }
      lo = (lo | ((buf[this.pos]! & 127) << 28)) >>> 0;
      hi = (hi | ((buf[this.pos]! & 127) >> 4)) >>> 0;
      if (buf[this.pos++]! < 128) return this.setLong(lo, hi);
      i = 0;
    } else {
      for (; i < 3; ++i) {
        if (this.pos >= this.len) throw outOfRange();
        lo = (lo | ((buf[this.pos]! & 127) << (i * 7))) >>> 0;
        if (buf[this.pos++]! < 128) return this.setLong(lo, hi);
      }
      lo = (lo | (((buf[this.pos++] as number) & 127) << (i * 7))) >>> 0;
      return this.setLong(lo, hi);
    }
    if (this.len - this.pos > 4) {
      for (; i < 5; ++i) {
        hi = (hi | ((buf[this.pos]! & 127) << (i * 7 + 3))) >>> 0;
        if (buf[this.pos++]! < 128) return this.setLong(lo, hi);
      }
    } else {
      for (; i < 5; ++i) {
        if (this.pos >= this.len) throw outOfRange();
        hi = (hi | ((buf[this.pos]! & 127) << (i * 7 + 3))) >>> 0;
        if (buf[this.pos++]! < 128) return this.setLong(lo, hi);
      }
    }
    throw new Error('invalid varint encoding');
  }

  private setLong(lo: number, hi: number): void {
    this.lo = lo;
    this.hi = hi;
  }

  /** uint64 as a number: LongBits.toNumber(true). */
  uint64(): number {
    this.longVarint();
    return this.lo + this.hi * 4294967296;
  }

  /** int64 as a number: LongBits.toNumber(false). */
  int64(): number {
    this.longVarint();
    if (this.hi >>> 31) {
      const lo = (~this.lo + 1) >>> 0;
      let hi = ~this.hi >>> 0;
      if (!lo) hi = (hi + 1) >>> 0;
      return -(lo + hi * 4294967296);
    }
    return this.lo + this.hi * 4294967296;
  }

  double(): number {
    if (this.pos + 8 > this.len) throw outOfRange();
    const value = this.buf.readDoubleLE(this.pos);
    this.pos += 8;
    return value;
  }

  /** A string is cut at the end of its message rather than refused, as BufferReader does. */
  string(): string {
    const len = this.uint32();
    const start = this.pos;
    this.pos = Math.min(this.pos + len, this.len);
    return this.buf.utf8Slice(start, this.pos);
  }

  private skip(length?: number): void {
    if (length !== undefined) {
      if (this.pos + length > this.len) throw outOfRange();
      this.pos += length;
      return;
    }
    do {
      if (this.pos >= this.len) throw outOfRange();
    } while (this.buf[this.pos++]! & 128);
  }

  /** An unknown field is skipped by its wire type. */
  skipType(wireType: number, depth: number): void {
    if (depth > RECURSION_LIMIT) throw new Error('maximum nesting depth exceeded');
    switch (wireType) {
      case 0:
        return this.skip();
      case 1:
        return this.skip(8);
      case 2:
        return this.skip(this.uint32());
      case 3:
        while ((wireType = this.uint32() & 7) !== 4) this.skipType(wireType, depth + 1);
        return;
      case 5:
        return this.skip(4);
      default:
        throw new Error(`invalid wire type ${wireType} at offset ${this.pos}`);
    }
  }

  /** Narrows the reader to an embedded message of the length read next; returns the outer end, for leave(). */
  enter(): number {
    const length = this.uint32();
    const end = this.pos + length;
    if (end > this.len) throw outOfRange();
    const outer = this.len;
    this.len = end;
    return outer;
  }

  /** Leaves an embedded message, which must have been read to its end exactly. */
  leave(outer: number): void {
    if (this.pos !== this.len) throw outOfRange();
    this.len = outer;
  }
}

/** One JobEvent up to the reader's end. Fields are switched on by number only, as protobufjs's decoders do. */
function readJobEvent(r: Reader, depth: number): JobEventOut {
  let jobId = '';
  let type: EventTypeName | number = 'EVENT_TYPE_UNSPECIFIED';
  let atUs = 0;
  let attempt = 0;
  let providerId = '';
  let pricePerHour = 0;
  let amount = 0;
  let currency = '';
  let amountUsd = 0;
  let usdRate = 0;
  let errorClass = '';
  let reason = '';
  let detail = '';
  let progress = 0;
  let outputDigest = '';
  let bytes = 0;
  let offers = 0;
  let billedGpuSeconds = 0;
  let gpuClass = '';
  let tokens = 0;
  let promptTokens = 0;
  const end = r.len;
  while (r.pos < end) {
    const t = r.uint32();
    switch (t >>> 3) {
      case 1: jobId = r.string(); break;
      case 2: {
        const n = r.uint32() | 0;
        type = EVENT_TYPE_NAMES[n] ?? n;
        break;
      }
      case 3: atUs = r.int64(); break;
      case 4: attempt = r.uint32(); break;
      case 5: providerId = r.string(); break;
      case 6: pricePerHour = r.double(); break;
      case 7: amount = r.double(); break;
      case 8: currency = r.string(); break;
      case 9: amountUsd = r.double(); break;
      case 10: usdRate = r.double(); break;
      case 11: errorClass = r.string(); break;
      case 12: reason = r.string(); break;
      case 13: detail = r.string(); break;
      case 14: progress = r.double(); break;
      case 15: outputDigest = r.string(); break;
      case 16: bytes = r.uint64(); break;
      case 17: offers = r.uint32(); break;
      case 18: billedGpuSeconds = r.double(); break;
      case 19: gpuClass = r.string(); break;
      case 20: tokens = r.uint32(); break;
      case 21: promptTokens = r.uint32(); break;
      default: r.skipType(t & 7, depth); break;
    }
  }
  return {
    jobId,
    // An unknown number stays a number, as proto-loader gives it; the replay refuses it as a protocol error.
    type: type as EventTypeName,
    atUs, attempt, providerId, pricePerHour, amount, currency, amountUsd, usdRate, errorClass, reason, detail, progress, outputDigest, bytes, offers, billedGpuSeconds, gpuClass, tokens, promptTokens,
  };
}

function readJobEnd(r: Reader, depth: number): JobEndOut {
  let code = 0;
  let details = '';
  const end = r.len;
  while (r.pos < end) {
    const t = r.uint32();
    switch (t >>> 3) {
      case 1: code = r.uint32(); break;
      case 2: details = r.string(); break;
      default: r.skipType(t & 7, depth); break;
    }
  }
  return { code, details };
}

function readRunManyReply(r: Reader, depth: number): RunManyReplyOut {
  let tag = 0;
  let event: JobEventOut | null = null;
  let end: JobEndOut | null = null;
  const stop = r.len;
  while (r.pos < stop) {
    const t = r.uint32();
    switch (t >>> 3) {
      case 1: tag = r.uint64(); break;
      case 2: {
        const outer = r.enter();
        event = readJobEvent(r, depth + 1);
        r.leave(outer);
        break;
      }
      case 3: {
        const outer = r.enter();
        end = readJobEnd(r, depth + 1);
        r.leave(outer);
        break;
      }
      default: r.skipType(t & 7, depth); break;
    }
  }
  return { tag, event, end };
}

/** RunManyReplies from its bytes, as the RunMany method's responseDeserialize gives it. */
export function decodeRunManyReplies(buf: Buffer): RunManyRepliesOut {
  const r = new Reader(buf as Utf8Sliceable);
  const replies: RunManyReplyOut[] = [];
  while (r.pos < r.len) {
    const t = r.uint32();
    if (t >>> 3 === 1) {
      const outer = r.enter();
      replies.push(readRunManyReply(r, 1));
      r.leave(outer);
    } else r.skipType(t & 7, 0);
  }
  return { replies };
}

/** A Run call's JobEvent from its bytes, as the Run method's responseDeserialize gives it. */
export function decodeJobEvent(buf: Buffer): JobEventOut {
  return readJobEvent(new Reader(buf as Utf8Sliceable), 0);
}
