// `trace inspect`: what it prints about a trace, safely (issue 16 items 8, 15, 16).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatTraceSummary, inspectTrace, summarize } from '../../../harness/trace/inspect.ts';
import { JobRecordSchema } from '../../../harness/trace/job.ts';
import { writeJsonl } from '../../../harness/trace/readers/index.ts';
import { importTrace } from '../../../harness/trace/importers/index.ts';

const dir = mkdtempSync(join(tmpdir(), 'mb-inspect-'));
const at = (s: number) => Date.UTC(2024, 0, 1) * 1000 + s * 1e6;
const mk = (id: string, s: number, extra: Record<string, unknown> = {}) =>
  JobRecordSchema.parse({ job_id: id, submitted_at: at(s), customer: 'c', task_type: 'training', work_seconds: 10, ...extra });

describe('trace inspect', () => {
  it('prints control characters from the trace escaped, never as terminal escape sequences', async () => {
    const path = join(dir, 'escapes.jsonl');
    await writeJsonl(path, [
      mk('e1', 0, { customer: '\u001b]0;pwned\u0007\u001b[2J', profile: 'red\u001b[31mtext' }),
      mk('e2', 1, { customer: 'tab\there', profile: 'nul\u0000byte', gpu_class: 'rtx4090' }),
      mk('e3', 2, { customer: 'back\u0008\u0008\u0008line\u009b1m', labels: { source: 'evil\r\nsource' } }),
    ]);
    const text = formatTraceSummary(await inspectTrace(path));
    // Nothing in the C0/C1 control ranges except the newlines between lines of the summary.
    expect(text.replace(/\n/g, '')).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
    expect(text).toContain('\\x1b]0;pwned\\x07\\x1b[2J');
    expect(text).toContain('nul\\x00byte');
    expect(text).toContain('tab\\there');
    expect(text).toContain('\\x9b1m');
  });

  it('measures the span from the earliest to the latest arrival', () => {
    // summarize() is the pure accumulator; readers refuse unsorted files before it.
    const s = summarize([mk('a', 100), mk('b', 50), mk('c', 400), mk('d', 200)]);
    expect(s.spanSeconds).toBe(350);
    expect(s.first).toBe('2024-01-01T00:00:50.000000Z');
    expect(s.last).toBe('2024-01-01T00:06:40.000000Z');
  });

  it('says where an imported trace came from and how its service was chosen', async () => {
    const conv = join(dir, 'AzureLLMInferenceTrace_conv.csv');
    writeFileSync(conv, 'TIMESTAMP,ContextTokens,GeneratedTokens\r\n2023-11-16 18:15:46.6805900,374,44\r\n2023-11-16 18:15:50.9951690,396,109');
    const out = join(dir, 'conv.jsonl');
    await writeJsonl(out, importTrace('azure-llm', conv));
    const s = await inspectTrace(out);
    expect(s.bySource).toEqual({ 'azure-llm-2023-conv': 2 });
    const text = formatTraceSummary(s);
    expect(text).toMatch(/source +azure-llm-2023-conv 2 \(100\.0%\)/);
    expect(text).toMatch(/service conv, from the file name/);
  });
});
