// Remembers which line each job id of a trace was first seen on, in 16 bytes
// a slot (at most half full, so 16–32 bytes per job) whatever the ids' length:
// two 32-bit hashes of the id and its line, in an open-addressing table. A JS
// Map of the ids takes ~60 bytes per job and stops at 2^24 entries, and traces
// of tens of millions of jobs must still be checked. Two ids agreeing on 64
// bits of hash are only candidates: the caller confirms by reading the earlier
// line's id again (see records.ts), so a collision is never called a duplicate.

function hashes(id: string): [number, number] {
  // FNV-1a and a Murmur-style mix over UTF-16 code units, independent enough for 64 bits together.
  let a = 0x811c9dc5;
  let b = 0x9747b28c ^ id.length;
  for (let i = 0; i < id.length; i++) {
    const c = id.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 15;
  }
  b = Math.imul(b ^ (b >>> 13), 0x5bd1e995);
  return [a >>> 0, (b ^ (b >>> 15)) >>> 0];
}

export class JobIdLines {
  private keysA = new Uint32Array(1 << 12);
  private keysB = new Uint32Array(1 << 12);
  /** 0 marks an empty slot: lines start at 1. */
  private lines = new Float64Array(1 << 12);
  private count = 0;

  get size(): number {
    return this.count;
  }

  /**
   * Records `id` at `line` unless an id with the same hash was recorded
   * before; then returns that earlier line (the caller confirms) and records
   * nothing.
   */
  firstLine(id: string, line: number): number | undefined {
    const [a, b] = hashes(id);
    const slot = this.find(a, b);
    if (this.lines[slot] !== 0) return this.lines[slot];
    this.keysA[slot] = a;
    this.keysB[slot] = b;
    this.lines[slot] = line;
    if (++this.count * 2 > this.lines.length) this.grow();
    return undefined;
  }

  /** Ids whose hash collided with an earlier, different id (about never): kept exactly. */
  private readonly collided = new Map<string, number>();

  /** Like firstLine, for an id whose hash candidate turned out to be a different id. */
  firstLineExact(id: string, line: number): number | undefined {
    const seen = this.collided.get(id);
    if (seen !== undefined) return seen;
    this.collided.set(id, line);
    return undefined;
  }

  private find(a: number, b: number): number {
    const mask = this.lines.length - 1;
    let i = (a ^ Math.imul(b, 0x9e3779b1)) & mask;
    while (this.lines[i] !== 0 && (this.keysA[i] !== a || this.keysB[i] !== b)) i = (i + 1) & mask;
    return i;
  }

  private grow(): void {
    const [oldA, oldB, oldLines] = [this.keysA, this.keysB, this.lines];
    const n = oldLines.length * 2;
    this.keysA = new Uint32Array(n);
    this.keysB = new Uint32Array(n);
    this.lines = new Float64Array(n);
    for (let i = 0; i < oldLines.length; i++) {
      if (oldLines[i] === 0) continue;
      const slot = this.find(oldA[i]!, oldB[i]!);
      this.keysA[slot] = oldA[i]!;
      this.keysB[slot] = oldB[i]!;
      this.lines[slot] = oldLines[i]!;
    }
  }
}
