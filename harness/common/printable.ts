// Text from traces and targets shown on a terminal: control characters are
// written as escapes, so a job field cannot move the cursor, retitle the
// window, clear the screen or hide text (C0 and C1 controls, DEL, and the
// bidirectional overrides that reorder what is displayed).
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
const UNSAFE_KEEP_NEWLINES = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

const NAMED: Record<string, string> = { '\t': '\\t', '\n': '\\n', '\r': '\\r' };

function escape(c: string): string {
  const code = c.charCodeAt(0);
  return NAMED[c] ?? (code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`);
}

/** One value on one line: every control character escaped, newlines included. */
export function printable(text: string): string {
  return text.replace(UNSAFE, escape);
}

/** A message that may span lines: newlines kept, every other control character escaped. */
export function printableLines(text: string): string {
  return text.replace(UNSAFE_KEEP_NEWLINES, escape);
}
