// The RunManyRequests message that starts one job, written straight from the
// trace job into one buffer. @grpc/proto-loader's codec first copies the
// request into protobufjs messages (fromObject: a Long object per 64-bit
// field), then queues one writer operation per field and copies them out at
// finish(); per job that was a fifth of the replay's CPU in a profile of the
// replay bench, and a share of its garbage.
//
// The bytes are the codec's, byte for byte (encode-run-many.test.ts holds it
// to that): the same field order, every field the request object would carry
// written even when it is zero (protobufjs writes what fromObject set, not
// only what differs from the default), 64-bit integers converted as Long.fromValue
// converts numbers (clamped, truncated, negatives in two's complement), and
// strings shorter than 40 characters written by protobufjs's own UTF-8 loop,
// which keeps a lone surrogate as three bytes of its own where Buffer writes
// U+FFFD (longer ones go through Buffer as protobufjs sends them).
import type { Job } from '../trace/job.ts';

const TWO_32 = 4294967296;
const TWO_63 = 9223372036854775808;
const TWO_64 = 18446744073709551616;

/** Node's Buffer has utf8Write, which protobufjs uses for strings of 40 characters or more. */
type Utf8Writable = Buffer & { utf8Write(s: string, offset: number): number };

/** What the request carries beside the job: the same for every target of a release. */
export interface RunManyStart {
  tag: number;
  runId: string;
  idempotencyKey: string;
  speed: number;
  intendedAtUs: number;
  /** Already a whole number of ms (RunRequestEncoder clamps it); taken as uint32 (>>> 0), as fromObject does. */
  deadlineMs: number;
}

/** Long.fromValue(value, unsigned) for a number, as the two unsigned 32-bit halves the writer writes. */
class LongBits {
  lo = 0;
  hi = 0;

  set(value: number, unsigned: boolean): this {
    if (Number.isNaN(value)) return this.bits(0, 0);
    if (unsigned) {
      if (value < 0) return this.bits(0, 0);
      if (value >= TWO_64) return this.bits(0xffffffff, 0xffffffff);
    } else {
      if (value <= -TWO_63) return this.bits(0, 0x80000000);
      if (value + 1 >= TWO_63) return this.bits(0xffffffff, 0x7fffffff);
    }
    const negative = value < 0;
    const m = negative ? -value : value;
    let lo = (m % TWO_32 | 0) >>> 0;
    let hi = ((m / TWO_32) | 0) >>> 0;
    if (negative) {
      // Long.neg(): not, then add one.
      lo = ~lo >>> 0;
      hi = ~hi >>> 0;
      lo = lo + 1;
      if (lo > 0xffffffff) {
        lo = 0;
        hi = (hi + 1) >>> 0;
      }
    }
    return this.bits(lo, hi);
  }

  private bits(lo: number, hi: number): this {
    this.lo = lo >>> 0;
    this.hi = hi >>> 0;
    return this;
  }

  /** LongBits.length(): bytes of its varint. */
  get length(): number {
    const part0 = this.lo;
    const part1 = ((this.lo >>> 28) | (this.hi << 4)) >>> 0;
    const part2 = this.hi >>> 24;
    return part2 === 0
      ? part1 === 0
        ? part0 < 16384 ? (part0 < 128 ? 1 : 2) : part0 < 2097152 ? 3 : 4
        : part1 < 16384 ? (part1 < 128 ? 5 : 6) : part1 < 2097152 ? 7 : 8
      : part2 < 128 ? 9 : 10;
  }
}

function varint32Length(value: number): number {
  value >>>= 0;
  return value < 128 ? 1 : value < 16384 ? 2 : value < 2097152 ? 3 : value < 268435456 ? 4 : 5;
}

/** A length-delimited field's payload size with its length prefix. */
function delimited(n: number): number {
  return varint32Length(n) + n;
}

/**
 * Sizes first, then one buffer written front to back. String byte lengths are
 * kept from the sizing pass for the writing pass, in the order both visit them.
 */
class Writer {
  private readonly lens: number[] = [];
  private li = 0;
  private buf!: Utf8Writable;
  private pos = 0;
  private readonly long = new LongBits();

  /** The labels' keys, taken once for both passes. */
  labelKeys: string[] | undefined;

  /** Sizing pass: a string's byte length, remembered for the writing pass. */
  strLen(s: string): number {
    // Short strings are counted here rather than by a call into C++ (the same count: a lone surrogate is 3 bytes either way).
    const n = s.length < 40 ? utf8Length(s) : Buffer.byteLength(s);
    this.lens[this.li++] = n;
    return n;
  }

  int64Len(value: number, unsigned: boolean): number {
    return this.long.set(value, unsigned).length;
  }

  begin(size: number): void {
    this.buf = Buffer.allocUnsafe(size) as Utf8Writable;
    this.pos = 0;
    this.li = 0;
  }

  end(): Buffer {
    const buf = this.buf;
    this.buf = undefined as unknown as Utf8Writable;
    return buf;
  }

  /** Starts the sizing pass. */
  size(): void {
    this.li = 0;
  }

  uint32(value: number): void {
    value >>>= 0;
    const buf = this.buf;
    while (value > 127) {
      buf[this.pos++] = (value & 127) | 128;
      value >>>= 7;
    }
    buf[this.pos++] = value;
  }

  int64(value: number, unsigned: boolean): void {
    const bits = this.long.set(value, unsigned);
    let lo = bits.lo;
    let hi = bits.hi;
    const buf = this.buf;
    while (hi) {
      buf[this.pos++] = (lo & 127) | 128;
      lo = ((lo >>> 7) | (hi << 25)) >>> 0;
      hi >>>= 7;
    }
    while (lo > 127) {
      buf[this.pos++] = (lo & 127) | 128;
      lo = lo >>> 7;
    }
    buf[this.pos++] = lo;
  }

  double(value: number): void {
    this.buf.writeDoubleLE(value, this.pos);
    this.pos += 8;
  }

  /** The byte length of the string `ahead` places after the next one to be written. */
  peekLen(ahead: number): number {
    return this.lens[this.li + ahead]!;
  }

  stringField(tag: number, s: string): void {
    this.uint32(tag);
    this.string(s);
  }

  uint32Field(tag: number, value: number): void {
    this.uint32(tag);
    this.uint32(value);
  }

  int64Field(tag: number, value: number, unsigned: boolean): void {
    this.uint32(tag);
    this.int64(value, unsigned);
  }

  /** fromObject takes a double through Number(). */
  doubleField(tag: number, value: number): void {
    this.uint32(tag);
    this.double(Number(value));
  }

  /** A string with its length prefix, its byte length taken from the sizing pass. */
  string(s: string): void {
    const n = this.lens[this.li++]!;
    this.uint32(n);
    if (!n) return;
    if (s.length < 40) this.pos += utf8Write(s, this.buf, this.pos);
    else {
      this.buf.utf8Write(s, this.pos);
      this.pos += n;
    }
  }
}

/** UTF-8 bytes of a string (@protobufjs/utf8 length). */
function utf8Length(s: string): number {
  let len = 0;
  for (let i = 0; i < s.length; ++i) {
    const c = s.charCodeAt(i);
    if (c < 128) len += 1;
    else if (c < 2048) len += 2;
    else if ((c & 0xfc00) === 0xd800 && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      ++i;
      len += 4;
    } else len += 3;
  }
  return len;
}

/** protobufjs's @protobufjs/utf8 write: a lone surrogate becomes its own three bytes. */
function utf8Write(s: string, buf: Buffer, offset: number): number {
  const start = offset;
  for (let i = 0; i < s.length; ++i) {
    let c1 = s.charCodeAt(i);
    let c2: number;
    if (c1 < 128) buf[offset++] = c1;
    else if (c1 < 2048) {
      buf[offset++] = (c1 >> 6) | 192;
      buf[offset++] = (c1 & 63) | 128;
    } else if ((c1 & 0xfc00) === 0xd800 && ((c2 = s.charCodeAt(i + 1)) & 0xfc00) === 0xdc00) {
      c1 = 0x10000 + ((c1 & 0x03ff) << 10) + (c2 & 0x03ff);
      ++i;
      buf[offset++] = (c1 >> 18) | 240;
      buf[offset++] = ((c1 >> 12) & 63) | 128;
      buf[offset++] = ((c1 >> 6) & 63) | 128;
      buf[offset++] = (c1 & 63) | 128;
    } else {
      buf[offset++] = (c1 >> 12) | 224;
      buf[offset++] = ((c1 >> 6) & 63) | 128;
      buf[offset++] = (c1 & 63) | 128;
    }
  }
  return offset - start;
}

const w = new Writer();

/**
 * The proto Job's size (toProtoJob's fields, in field order). A field is
 * written when the trace job has it (not null or undefined), as fromObject
 * copies it; prompt and output tokens are always sent, as toProtoJob sends 0.
 */
function jobSize(job: Job): number {
  let n = 0;
  if (job.job_id != null) n += 1 + delimited(w.strLen(job.job_id));
  if (job.submitted_at != null) n += 1 + w.int64Len(job.submitted_at, false);
  if (job.customer != null) n += 1 + delimited(w.strLen(job.customer));
  if (job.profile != null) n += 1 + delimited(w.strLen(job.profile));
  if (job.task_type != null) n += 1 + delimited(w.strLen(job.task_type));
  if (job.gpu_class != null) n += 1 + delimited(w.strLen(job.gpu_class));
  if (job.gpu_count != null) n += 1 + varint32Length(job.gpu_count);
  if (job.vram_gb != null) n += 1 + 8;
  if (job.image != null) n += 1 + delimited(w.strLen(job.image));
  if (job.image_bytes != null) n += 1 + w.int64Len(job.image_bytes, true);
  if (job.input_bytes != null) n += 1 + w.int64Len(job.input_bytes, true);
  if (job.output_bytes != null) n += 1 + w.int64Len(job.output_bytes, true);
  if (job.work_seconds != null) n += 1 + 8;
  if (job.price_paid_usd != null) n += 1 + 8;
  if (job.sensitivity != null) n += 1 + delimited(w.strLen(job.sensitivity));
  if (job.deadline_seconds != null) n += 2 + 8;
  w.labelKeys = job.labels ? Object.keys(job.labels) : undefined;
  if (job.labels && w.labelKeys) {
    for (const k of w.labelKeys) n += 2 + delimited(1 + delimited(w.strLen(k)) + 1 + delimited(w.strLen(String(job.labels[k]))));
  }
  n += 2 + varint32Length(job.prompt_tokens ?? 0);
  n += 2 + varint32Length(job.output_tokens ?? 0);
  return n;
}

/** Writes the proto Job, visiting its strings in jobSize's order. */
function writeJob(job: Job): void {
  if (job.job_id != null) w.stringField(10, job.job_id);
  if (job.submitted_at != null) w.int64Field(16, job.submitted_at, false);
  if (job.customer != null) w.stringField(26, job.customer);
  if (job.profile != null) w.stringField(34, job.profile);
  if (job.task_type != null) w.stringField(42, job.task_type);
  if (job.gpu_class != null) w.stringField(50, job.gpu_class);
  if (job.gpu_count != null) w.uint32Field(56, job.gpu_count);
  if (job.vram_gb != null) w.doubleField(65, job.vram_gb);
  if (job.image != null) w.stringField(74, job.image);
  if (job.image_bytes != null) w.int64Field(80, job.image_bytes, true);
  if (job.input_bytes != null) w.int64Field(88, job.input_bytes, true);
  if (job.output_bytes != null) w.int64Field(96, job.output_bytes, true);
  if (job.work_seconds != null) w.doubleField(105, job.work_seconds);
  if (job.price_paid_usd != null) w.doubleField(113, job.price_paid_usd);
  if (job.sensitivity != null) w.stringField(122, job.sensitivity);
  if (job.deadline_seconds != null) w.doubleField(129, job.deadline_seconds);
  if (job.labels && w.labelKeys) {
    for (const k of w.labelKeys) {
      // A map entry is a message of its own: key = 1, value = 2, sized from the lengths the sizing pass kept.
      w.uint32(138);
      w.uint32(1 + delimited(w.peekLen(0)) + 1 + delimited(w.peekLen(1)));
      w.stringField(10, k);
      w.stringField(18, String(job.labels[k]));
    }
  }
  w.uint32Field(144, job.prompt_tokens ?? 0);
  w.uint32Field(152, job.output_tokens ?? 0);
}

/**
 * `{ requests: [{ tag, run: { runId, jobId, idempotencyKey, speed, job: toProtoJob(job), intendedAtUs }, deadlineMs }] }`
 * encoded as the RunMany method's requestSerialize encodes it.
 */
export function encodeRunManyStart(job: Job, s: RunManyStart): Buffer {
  w.size();
  const runIdLen = w.strLen(s.runId);
  const jobIdLen = job.job_id != null ? w.strLen(job.job_id) : -1;
  const keyLen = w.strLen(s.idempotencyKey);
  const jobLen = jobSize(job);
  let runLen = 1 + delimited(runIdLen) + 1 + 8 + 1 + delimited(keyLen) + 1 + delimited(jobLen) + 1 + w.int64Len(s.intendedAtUs, false);
  if (jobIdLen >= 0) runLen += 1 + delimited(jobIdLen);
  const requestLen = 1 + w.int64Len(s.tag, true) + 1 + delimited(runLen) + 1 + varint32Length(s.deadlineMs);
  w.begin(1 + delimited(requestLen));
  w.uint32Field(10, requestLen);
  w.int64Field(8, s.tag, true);
  w.uint32Field(18, runLen);
  w.stringField(10, s.runId);
  if (jobIdLen >= 0) w.stringField(18, job.job_id);
  w.stringField(26, s.idempotencyKey);
  w.doubleField(33, s.speed);
  w.uint32Field(42, jobLen);
  writeJob(job);
  w.int64Field(48, s.intendedAtUs, false);
  w.uint32Field(24, s.deadlineMs);
  return w.end();
}
