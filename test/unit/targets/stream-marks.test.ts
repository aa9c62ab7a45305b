// Stream marks: how a streaming workload tells a bridge its first token and
// token counts (harness/targets/bridges/stream-marks.ts).
import { describe, expect, it } from 'vitest';
import { markEvents, marksFromOutput, marksFromStdout } from '../../../harness/targets/bridges/stream-marks.ts';

describe('stream marks', () => {
  it('reads marks anywhere in stdout, ignores garbled ones and log prefixes, and keeps the first first-token', () => {
    const out = [
      '2026-12-02 INFO loading model',
      'INFO {"mirrorbench":"first_token","ms":412}',
      '{"mirrorbench":"first_token","ms":999}',
      '{"mirrorbench":"tokens","n":57,"ms":1300} {"mirrorbench":"tokens","n":20,"ms":700}',
      '{"mirrorbench":"tokens","n":-1,"ms":5}',
      '{"mirrorbench":"done","output_tokens":80',
      '{"mirrorbench":"done","output_tokens":80}',
    ].join('\n');
    expect(marksFromStdout(out)).toEqual({ firstTokenMs: 412, progress: [{ ms: 1300, n: 57 }, { ms: 700, n: 20 }], outputTokens: 80 });
    expect(marksFromStdout(new TextEncoder().encode('{"mirrorbench":"first_token","ms":3}').buffer)).toMatchObject({ firstTokenMs: 3 });
    expect(marksFromStdout('plain output')).toEqual({ progress: [] });
    expect(marksFromStdout(null)).toEqual({ progress: [] });
  });

  it('reads a SaladCloud job output and places the events after the start, in time order', () => {
    const marks = marksFromOutput({ result: 'x', mirrorbench: { first_token_ms: 50, output_tokens: 40, tokens: [{ ms: 300, n: 30 }, { ms: 100, n: 10 }, { ms: 'x' }] } });
    expect(marks).toEqual({ firstTokenMs: 50, outputTokens: 40, progress: [{ ms: 300, n: 30 }, { ms: 100, n: 10 }] });
    expect(markEvents(marks, { startedUs: 1_000_000, attempt: 2, providerId: 'p' })).toEqual([
      { type: 'FIRST_TOKEN', atUs: 1_050_000, attempt: 2, providerId: 'p', tokens: 1 },
      { type: 'TOKENS', atUs: 1_100_000, attempt: 2, providerId: 'p', tokens: 10 },
      { type: 'TOKENS', atUs: 1_300_000, attempt: 2, providerId: 'p', tokens: 30 },
    ]);
    expect(marksFromOutput(undefined)).toEqual({ progress: [] });
    expect(marksFromOutput({ mirrorbench: 'yes' })).toEqual({ progress: [] });
  });
});
