// Parquet traces through chDB (in a child process, see parquet-child.mjs): the
// rows arrive as JSON lines in file order, each with its row number, and are
// validated like JSONL lines, a row's number (1-based) standing for its line.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { TraceFormatError } from '../../common/errors.ts';
import type { RawRecord } from '../records.ts';
import { splitLines } from './lines.ts';
import { checkReadable } from './source.ts';

const CHILD = fileURLToPath(new URL('./parquet-child.mjs', import.meta.url));
const ROW = '_mirrorbench_row';

export async function* parquetRecords(path: string): AsyncGenerator<RawRecord> {
  await checkReadable(path);
  const child = spawn(process.execPath, [CHILD, path], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += String(d)));
  const exited = new Promise<number>((resolve) => child.once('close', (code) => resolve(code ?? 1)));
  let row = 0;
  try {
    for await (const l of splitLines(child.stdout! as AsyncIterable<Buffer>, path)) {
      // Row n of the file is line n of the child's output.
      row = l.line;
      if (l.error) {
        yield l;
        continue;
      }
      const raw = JSON.parse(l.text) as Record<string, unknown>;
      const fileRow = Number(raw[ROW]) + 1;
      delete raw[ROW];
      if (fileRow !== row) {
        throw TraceFormatError.ofFile(path, `chDB returned row ${fileRow} of the file where row ${row} was expected: the rows did not come in file order`);
      }
      yield { line: row, raw };
    }
    const code = await exited;
    if (code !== 0) throw TraceFormatError.ofFile(path, `chDB could not read it as Parquet${row ? ` after row ${row}` : ''}: ${stderr.trim().split('\n')[0] || `exit ${code}`}`);
  } finally {
    if (child.exitCode === null) child.kill();
  }
}
