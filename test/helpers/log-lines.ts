// A CLI child's JSON log on stderr, as messages: each complete line's `msg`
// (a line that is not JSON is passed on as it is).
import type { Readable } from 'node:stream';

export function onLogMessages(stream: Readable, onMessage: (msg: string) => void): void {
  let buffered = '';
  stream.on('data', (d: Buffer) => {
    buffered += d.toString();
    const lines = buffered.split('\n');
    buffered = lines.pop()!;
    for (const line of lines) {
      let msg = line;
      try {
        msg = (JSON.parse(line) as { msg?: string }).msg ?? line;
      } catch {
        // not a log line: kept as it is
      }
      onMessage(msg);
    }
  });
}
