// The seeded random source every simulation and sampler draws from. Built on
// pure-rand's xoroshiro128+ (fast, well tested, splittable by seed) so that a
// run is reproducible from its seed alone.
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';

export interface Random {
  /** Uniform in [0, 1). */
  next(): number;
  /** An independent stream derived from this one's seed and a label. */
  fork(label: string): Random;
}

/** 32-bit FNV-1a: stable label hashing for forked streams. */
export function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * FNV-1a followed by the murmur3 finalizer: every input bit reaches every
 * output bit, so `mixedHash32(id) % k` is a fair sample for any k — plain
 * FNV-1a's low bits follow the id's last characters (for k = 2 or 4 a fixed
 * pattern, not a sample).
 */
export function mixedHash32(text: string): number {
  let x = hash32(text);
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

/** splitmix32 finalizer: spreads small or similar seeds over all 32 bits. */
function mix32(x: number): number {
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) | 0;
}

function generator(seed: number): RandomGenerator {
  const gen = xoroshiro128plus(mix32(seed));
  // xoroshiro's first outputs from a low-entropy state are correlated.
  for (let i = 0; i < 8; i++) gen.next();
  return gen;
}

export function seededRandom(seed: number | bigint): Random {
  const big = BigInt(seed);
  const s = (Number(BigInt.asUintN(32, big)) ^ Number(BigInt.asUintN(32, big >> 32n))) | 0;
  return fromGenerator(generator(s), s);
}

function fromGenerator(gen: RandomGenerator, seed: number): Random {
  return {
    next: () => uniformFloat64(gen),
    fork(label: string) {
      const child = mix32(seed ^ hash32(label));
      return fromGenerator(generator(child), child);
    },
  };
}
