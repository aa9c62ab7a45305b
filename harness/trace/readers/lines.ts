// Streams a text file line by line with 1-based line numbers, gunzipping
// `.gz`; memory stays flat whatever the file length.
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import type { Readable } from 'node:stream';

export function openText(path: string): Readable {
  const raw = createReadStream(path);
  return path.endsWith('.gz') ? raw.pipe(createGunzip()) : raw;
}

export async function* readLines(path: string): AsyncGenerator<{ line: number; text: string }> {
  const rl = createInterface({ input: openText(path), crlfDelay: Infinity });
  let line = 0;
  for await (const text of rl) {
    line++;
    // readline keeps a lone \r when a file mixes endings.
    yield { line, text: text.endsWith('\r') ? text.slice(0, -1) : text };
  }
}
