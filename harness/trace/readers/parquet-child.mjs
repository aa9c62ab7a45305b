// Reads a Parquet trace with chDB and writes its rows to stdout as JSONEachRow,
// streamed chunk by chunk so memory stays bounded, in file order: chDB reads
// row groups in parallel and, unless told to preserve order, returns them in
// any order (paging with LIMIT/OFFSET then drops and repeats rows). Each row
// carries its 0-based row number in the file, `_mirrorbench_row`, so the
// reader can check the order and name the row of a bad value. Strings are
// written as they are in the file (the reader checks they are UTF-8).
// A separate process because chDB allows one data directory per process and
// the replay's own store may be a chDB session. Plain JS: it runs without the
// TypeScript loader.
// Usage: node parquet-child.mjs FILE
import { Session } from 'chdb';

const [file] = process.argv.slice(2);
const sql =
  'SELECT _row_number AS _mirrorbench_row, * FROM file({path:String}, Parquet) ' +
  "SETTINGS input_format_parquet_preserve_order = 1, date_time_output_format = 'iso', output_format_json_quote_64bit_integers = 0, output_format_json_validate_utf8 = 0";

function write(bytes) {
  return new Promise((resolve) => (process.stdout.write(bytes) ? resolve() : process.stdout.once('drain', resolve)));
}

const session = new Session();
try {
  for await (const chunk of session.queryStreamBind(sql, { path: file }, { format: 'JSONEachRow' })) {
    const bytes = chunk.raw();
    if (bytes.length) await write(bytes);
  }
} catch (err) {
  process.stderr.write(String(err instanceof Error ? err.message : err));
  process.exitCode = 1;
} finally {
  session.close();
}
