// Row encodings for inserts. JSONEachRow is the default: `npm run bench -- store`
// measures it against TabSeparated on both backends (see README "Stored data").
import { TABLES, type RowOf, type TableName } from '../events/schema.ts';

export type InsertFormat = 'JSONEachRow' | 'TabSeparated';

function tsvString(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
}

function tsvArray(a: readonly string[]): string {
  return `[${a.map((s) => `'${tsvString(s).replace(/'/g, "\\'")}'`).join(',')}]`;
}

export function encodeRows<T extends TableName>(table: T, rows: readonly RowOf<T>[], format: InsertFormat): string {
  let out = '';
  if (format === 'JSONEachRow') {
    for (const row of rows) out += JSON.stringify(row) + '\n';
    return out;
  }
  const cols = Object.entries(TABLES[table].columns);
  for (const row of rows) {
    const r = row as Record<string, unknown>;
    let line = '';
    for (let i = 0; i < cols.length; i++) {
      const [name, type] = cols[i]!;
      const v = r[name];
      if (i) line += '\t';
      if (type === 'String') line += tsvString(String(v ?? ''));
      else if (type === 'Array(String)') line += tsvArray((v as string[] | undefined) ?? []);
      else line += String(v ?? 0);
    }
    out += line + '\n';
  }
  return out;
}
