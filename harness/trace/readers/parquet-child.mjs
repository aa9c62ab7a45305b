// Reads a Parquet trace with chDB and writes its rows to stdout as JSONEachRow,
// page by page, so memory stays bounded. A separate process because chDB
// allows one data directory per process and the replay's own store may be a
// chDB session. Plain JS: it runs without the TypeScript loader.
// Usage: node parquet-child.mjs FILE PAGE_ROWS
import { query } from 'chdb';

const [file, pageArg] = process.argv.slice(2);
const page = Number(pageArg) || 50000;
const lit = `'${file.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
const settings = "SETTINGS date_time_output_format = 'iso', output_format_json_quote_64bit_integers = 0";

function write(text) {
  return new Promise((resolve) => (process.stdout.write(text) ? resolve() : process.stdout.once('drain', resolve)));
}

try {
  for (let offset = 0; ; offset += page) {
    const text = query(`SELECT * FROM file(${lit}, Parquet) LIMIT ${page} OFFSET ${offset} ${settings}`, 'JSONEachRow');
    if (text) await write(text.endsWith('\n') ? text : `${text}\n`);
    const rows = text ? text.split('\n').filter(Boolean).length : 0;
    if (rows < page) break;
  }
} catch (err) {
  process.stderr.write(String(err instanceof Error ? err.message : err));
  process.exit(1);
}
