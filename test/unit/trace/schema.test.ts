import { describe, expect, it } from 'vitest';
import { TraceFormatError } from '../../../harness/common/errors.ts';
import { formatTimestampUs, JobRecordSchema, parseTimestampUs } from '../../../harness/trace/job.ts';
import { validateRecord } from '../../../harness/trace/validate.ts';

const good = { job_id: 'j1', submitted_at: '2024-11-15T16:57:50.123456Z', customer: 'c1', task_type: 'image_generation', work_seconds: 23 };

describe('job schema', () => {
  it('fills defaults and parses the timestamp to epoch microseconds', () => {
    const job = JobRecordSchema.parse(good);
    expect(job.submitted_at).toBe(Date.UTC(2024, 10, 15, 16, 57, 50) * 1000 + 123456);
    expect(job).toMatchObject({ profile: 'default', gpu_class: 'rtx4090', gpu_count: 1, sensitivity: 'public', labels: {} });
  });

  it('keeps microseconds that Date would drop, and reads zones', () => {
    expect(parseTimestampUs('2023-11-16 18:17:03.9799600')).toBe(Date.UTC(2023, 10, 16, 18, 17, 3) * 1000 + 979960);
    expect(parseTimestampUs('2024-01-01T02:00:00+02:00')).toBe(Date.UTC(2024, 0, 1) * 1000);
    expect(parseTimestampUs('2024-13-01T00:00:00Z')).toBeUndefined();
    expect(formatTimestampUs(1700158623979960)).toBe('2023-11-16T18:17:03.979960Z');
  });

  it('names file, line and field with what was expected and found', () => {
    const bad = { ...good, gpu_count: 0 };
    expect(() => validateRecord('t.jsonl', 7, bad)).toThrow(TraceFormatError);
    try {
      validateRecord('t.jsonl', 7, bad);
    } catch (e) {
      const err = e as TraceFormatError;
      expect(err.code).toBe('TRACE_FORMAT');
      expect(err.file).toBe('t.jsonl');
      expect(err.line).toBe(7);
      expect(err.field).toBe('gpu_count');
      expect(err.message).toMatch(/^t\.jsonl:7: field "gpu_count": .*found 0\)$/);
    }
  });

  it('reports nested fields, unknown fields and bad enums by path', () => {
    const field = (raw: unknown) => {
      try {
        validateRecord('f', 1, raw);
        return 'no error';
      } catch (e) {
        return (e as TraceFormatError).field;
      }
    };
    expect(field({ ...good, labels: { team: 5 } })).toBe('labels.team');
    expect(field({ ...good, task_type: 'mining' })).toBe('task_type');
    expect(field({ ...good, submitted_at: 'yesterday' })).toBe('submitted_at');
    expect(field({ ...good, colour: 'red' })).toBe('(record)');
  });
});
