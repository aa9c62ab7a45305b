// A FIFO that keeps at most `memoryItems` entries in memory and spills the
// rest, in order, to a file of JSON lines: a target that falls behind by a
// million jobs holds a file, not a million objects (issue 13). Synchronous
// file calls on purpose: a refill reads one bounded chunk, and the replay's
// callers stay simple (no interleaving between a shift and its refill).
import { closeSync, ftruncateSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULTS } from '../common/defaults.ts';

export interface SpillQueueOptions<T> {
  /** Entries held in memory before later ones go to disk. */
  memoryItems?: number;
  /** Where the spill file lives; a fresh folder under the OS temp dir by default. */
  dir?: string;
  encode?: (item: T) => string;
  decode?: (line: string) => T;
}

const CHUNK_BYTES = 1 << 20;

export class SpillQueue<T> {
  private head: T[] = [];
  private headAt = 0;
  /** Encoded entries waiting to be appended to the file. */
  private tail: string[] = [];
  private fd: number | undefined;
  private path: string | undefined;
  private ownDir: string | undefined;
  private writePos = 0;
  private readPos = 0;
  /** Entries in the file (written, not yet read back) and in `tail`. */
  private spilled = 0;
  private carry = '';
  private readonly memoryItems: number;
  private readonly encode: (item: T) => string;
  private readonly decode: (line: string) => T;

  constructor(private readonly opts: SpillQueueOptions<T> = {}) {
    this.memoryItems = Math.max(1, opts.memoryItems ?? DEFAULTS.replay.queueMemoryItems);
    this.encode = opts.encode ?? ((x) => JSON.stringify(x));
    this.decode = opts.decode ?? ((l) => JSON.parse(l) as T);
  }

  get length(): number {
    return this.head.length - this.headAt + this.spilled;
  }

  /** Entries held as objects in memory (the bound this queue keeps). */
  get inMemory(): number {
    return this.head.length - this.headAt + this.tail.length;
  }

  push(item: T): void {
    // Once anything is on disk, later entries go behind it to keep the order.
    if (this.spilled === 0 && this.head.length - this.headAt < this.memoryItems) {
      this.head.push(item);
      return;
    }
    this.tail.push(this.encode(item));
    this.spilled++;
    if (this.tail.length >= Math.min(1000, this.memoryItems)) this.flushTail();
  }

  shift(): T | undefined {
    if (this.headAt >= this.head.length) this.refill();
    if (this.headAt >= this.head.length) return undefined;
    const item = this.head[this.headAt]!;
    this.head[this.headAt++] = undefined as T;
    if (this.headAt > 1024 && this.headAt * 2 > this.head.length) {
      this.head = this.head.slice(this.headAt);
      this.headAt = 0;
    }
    return item;
  }

  /** Removes and yields every entry in order. */
  *drain(): Generator<T> {
    for (let x = this.shift(); x !== undefined; x = this.shift()) yield x;
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    if (this.ownDir) rmSync(this.ownDir, { recursive: true, force: true });
    else if (this.path) rmSync(this.path, { force: true });
    this.fd = undefined;
    this.head = [];
    this.headAt = 0;
    this.tail = [];
    this.spilled = 0;
  }

  private file(): number {
    if (this.fd === undefined) {
      const dir = this.opts.dir ?? (this.ownDir = mkdtempSync(join(tmpdir(), 'mb-spill-')));
      this.path = join(dir, `queue-${process.pid}-${Math.random().toString(36).slice(2)}.jsonl`);
      this.fd = openSync(this.path, 'w+');
    }
    return this.fd;
  }

  private flushTail(): void {
    if (!this.tail.length) return;
    const buf = Buffer.from(this.tail.join('\n') + '\n');
    this.tail = [];
    const fd = this.file();
    let off = 0;
    while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off, this.writePos + off);
    this.writePos += buf.length;
  }

  private refill(): void {
    if (this.spilled === 0) return;
    this.head = [];
    this.headAt = 0;
    if (this.readPos >= this.writePos) this.flushTail();
    const fd = this.file();
    const buf = Buffer.allocUnsafe(CHUNK_BYTES);
    while (this.head.length < this.memoryItems && this.readPos < this.writePos) {
      const n = readSync(fd, buf, 0, Math.min(CHUNK_BYTES, this.writePos - this.readPos), this.readPos);
      if (n <= 0) break;
      this.readPos += n;
      const lines = (this.carry + buf.toString('utf8', 0, n)).split('\n');
      this.carry = lines.pop()!;
      for (const l of lines) this.head.push(this.decode(l));
      this.spilled -= lines.length;
    }
    // Everything written has been read back: start the file over so it never grows past one backlog.
    if (this.readPos >= this.writePos && this.carry === '') {
      ftruncateSync(fd, 0);
      this.readPos = this.writePos = 0;
    }
  }
}
