// Issue 16 item 11: what the argument parser refuses is bad input (exit 2), never an "unexpected" 1.
import { describe, expect, it, vi } from 'vitest';
import { main } from '../../../harness/cli/main.ts';

describe('CLI exit codes for what the argument parser refuses', () => {
  it('exits 2 on an unknown command, an unknown option and a bad option value; 0 on --help', async () => {
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      expect(await main(['node', 'mirrorbench', 'nosuchcmd'])).toBe(2);
      expect(await main(['node', 'mirrorbench', 'trace', 'inspect', '--nosuchflag', 'x.jsonl'])).toBe(2);
      expect(await main(['node', 'mirrorbench', 'demo', '--jobs', 'abc'])).toBe(2);
      expect(await main(['node', 'mirrorbench', '--help'])).toBe(0);
    } finally {
      err.mockRestore();
      out.mockRestore();
    }
  });
});
