// Opening a trace file: its bytes (gunzipped for `.gz`), and what is wrong
// with a file that cannot be read, said as a TraceFormatError naming it —
// never a bare ENOENT or zlib error with a stack trace.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { TraceFormatError } from '../../common/errors.ts';

const gzipped = (path: string) => path.toLowerCase().endsWith('.gz');

/** What went wrong reading `path`, in words a user can act on. */
export function fileProblem(path: string, err: unknown): TraceFormatError {
  if (err instanceof TraceFormatError) return err;
  const e = err as NodeJS.ErrnoException;
  const problem = (() => {
    switch (e?.code) {
      case 'ENOENT':
        return 'the file does not exist';
      case 'EISDIR':
        return 'is a directory, expected a trace file';
      case 'EACCES':
      case 'EPERM':
        return 'permission denied: the file cannot be read';
      case 'Z_DATA_ERROR':
        return `not gzip data, though the name ends in .gz (${e.message})`;
      case 'Z_BUF_ERROR':
        return 'the gzip data ends early: the file is cut short';
      default:
        return `cannot be read: ${e?.message ?? String(err)}`;
    }
  })();
  return TraceFormatError.ofFile(path, problem, { cause: err });
}

/** Refuses, with a clear reason, a path that is not a readable regular file. */
export async function checkReadable(path: string): Promise<void> {
  let s;
  try {
    s = await stat(path);
  } catch (err) {
    throw fileProblem(path, err);
  }
  if (s.isDirectory()) throw fileProblem(path, Object.assign(new Error('directory'), { code: 'EISDIR' }));
  if (!s.isFile() && !s.isFIFO()) throw TraceFormatError.ofFile(path, 'is not a regular file');
}

/** The file's bytes, gunzipped when its name ends in `.gz`. Errors surface when the stream is read; map them with fileProblem. */
export function openBytes(path: string): Readable {
  const raw = createReadStream(path);
  if (!gzipped(path)) return raw;
  const gunzip = createGunzip();
  raw.on('error', (err) => gunzip.destroy(err));
  return raw.pipe(gunzip);
}
