// Streams a text file line by line with 1-based line numbers, gunzipping
// `.gz`; memory stays flat whatever the file length. Each line is checked to
// be UTF-8 (a decoder would quietly turn bad bytes into U+FFFD and the job
// would be sent changed) and no longer than a limit (a line with no end is a
// broken file, not a job to buffer whole). A UTF-8 byte order mark before the
// first line is dropped. CRLF and LF line ends are both read.
import { isUtf8 } from 'node:buffer';
import { DEFAULTS } from '../../common/defaults.ts';
import { TraceFormatError } from '../../common/errors.ts';
import { checkReadable, fileProblem, openBytes } from './source.ts';

export type Line = { line: number; text: string; error?: undefined } | { line: number; error: TraceFormatError; text?: undefined };

export interface LineOptions {
  maxLineBytes?: number;
}

const BOM = [0xef, 0xbb, 0xbf];

/** Splits a byte stream into lines; a line that is too long or not UTF-8 comes as an error for that line, and reading goes on. */
export async function* splitLines(bytes: AsyncIterable<Buffer>, file: string, opts: LineOptions = {}): AsyncGenerator<Line> {
  const max = opts.maxLineBytes ?? DEFAULTS.trace.maxLineBytes;
  let parts: Buffer[] = [];
  let size = 0;
  let tooLong = false;
  let line = 0;
  const finish = (piece: Buffer): Line => {
    line++;
    if (tooLong || size + piece.length > max) {
      return { line, error: new TraceFormatError(file, line, '(line)', `line longer than ${max} bytes: not a trace line (is the file a trace at all?)`) };
    }
    let b = parts.length ? Buffer.concat([...parts, piece]) : piece;
    if (b.length && b[b.length - 1] === 0x0d) b = b.subarray(0, b.length - 1);
    if (line === 1 && b.length >= 3 && b[0] === BOM[0] && b[1] === BOM[1] && b[2] === BOM[2]) b = b.subarray(3);
    if (!isUtf8(b)) return { line, error: new TraceFormatError(file, line, '(line)', `not valid UTF-8 text${badByte(b)}`) };
    return { line, text: b.toString('utf8') };
  };
  for await (const chunk of bytes) {
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf(0x0a, start);
      if (nl === -1) {
        const rest = chunk.subarray(start);
        if (!tooLong && size + rest.length > max) {
          // Drop what was gathered: the line is refused, only its end is looked for.
          tooLong = true;
          parts = [];
          size = 0;
        }
        if (!tooLong && rest.length) {
          parts.push(rest);
          size += rest.length;
        }
        break;
      }
      yield finish(chunk.subarray(start, nl));
      parts = [];
      size = 0;
      tooLong = false;
      start = nl + 1;
    }
  }
  if (size > 0 || tooLong) yield finish(Buffer.alloc(0));
}

/** Where the first byte that breaks UTF-8 is, for the message (only on the error path). */
function badByte(b: Buffer): string {
  for (let i = 0; i < b.length; ) {
    const c = b[i]!;
    const n = c < 0x80 ? 0 : c >= 0xc2 && c <= 0xdf ? 1 : c >= 0xe0 && c <= 0xef ? 2 : c >= 0xf0 && c <= 0xf4 ? 3 : -1;
    if (n < 0 || (n > 0 && !isUtf8(b.subarray(i, i + n + 1)))) return ` (byte 0x${c.toString(16).padStart(2, '0')} at byte ${i + 1} of the line)`;
    i += n + 1;
  }
  return '';
}

/** Lines of a trace file; file-level problems (missing, not gzip, cut short) are thrown as TraceFormatError. */
export async function* readLines(path: string, opts: LineOptions = {}): AsyncGenerator<Line> {
  await checkReadable(path);
  try {
    yield* splitLines(openBytes(path) as AsyncIterable<Buffer>, path, opts);
  } catch (err) {
    throw fileProblem(path, err);
  }
}

/**
 * The file as checked text, in chunks of whole lines, for a parser that keeps
 * its own line count (CSV): the first bad line stops it with its line number.
 */
export async function* readCheckedText(path: string, opts: LineOptions = {}): AsyncGenerator<string> {
  let chunk = '';
  for await (const l of readLines(path, opts)) {
    if (l.error) throw l.error;
    chunk += `${l.text}\n`;
    if (chunk.length >= 1 << 16) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk) yield chunk;
}
