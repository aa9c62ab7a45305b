// From raw records (one per line or row, as a format reader or an importer
// produced them) to jobs, with every check a trace must pass:
// - each record fits the job schema and its strings are well-formed Unicode;
//   under the "skip" policy a record that does not is skipped and counted;
// - arrival order: a job earlier than the one before it stops the read (the
//   replay's clock runs forward; a negative span would send early jobs before
//   the start). Sort the file by submitted_at;
// - unique job ids: a job id seen before stops the read, naming both lines (the
//   stored tables are keyed by job id, so the second would silently replace the
//   first). Both stop the read under either policy: the trace as a whole is wrong;
// - at least one job: an empty trace, or one whose every line was skipped, is
//   not a trace to replay.
import { TraceFormatError } from '../common/errors.ts';
import { formatTimestampUs, type Job } from './job.ts';
import { JobIdLines } from './job-ids.ts';
import { validateRecord } from './validate.ts';

export type RawRecord = { line: number; raw: unknown; error?: undefined } | { line: number; error: TraceFormatError; raw?: undefined };

export interface TraceRecord {
  line: number;
  job: Job;
}

export interface CheckOptions {
  badLines?: 'fail' | 'skip';
  onSkip?: (err: TraceFormatError) => void;
  /**
   * Check job ids are unique (default true). A second pass over a file whose
   * first pass checked them may leave it off and keep no table of ids.
   */
  uniqueIds?: boolean;
  /** The raw job id at a line, read again: confirms a duplicate candidate of the id table. */
  idAtLine?: (line: number) => Promise<string | undefined>;
}

export async function* checkRecords(file: string, source: AsyncIterable<RawRecord>, opts: CheckOptions = {}): AsyncGenerator<TraceRecord> {
  const skip = opts.badLines === 'skip';
  const ids = opts.uniqueIds === false ? undefined : new JobIdLines();
  let previous: TraceRecord | undefined;
  let accepted = 0;
  let skipped = 0;
  let firstSkip: TraceFormatError | undefined;
  for await (const rec of source) {
    let job: Job;
    try {
      if (rec.error) throw rec.error;
      job = validateRecord(file, rec.line, rec.raw);
    } catch (err) {
      if (!(err instanceof TraceFormatError) || !skip) throw err;
      skipped++;
      firstSkip ??= err;
      opts.onSkip?.(err);
      continue;
    }
    if (previous && job.submitted_at < previous.job.submitted_at) {
      throw new TraceFormatError(
        file,
        rec.line,
        'submitted_at',
        `${formatTimestampUs(job.submitted_at)} is earlier than line ${previous.line}'s ${formatTimestampUs(previous.job.submitted_at)}: a trace must be in arrival order (sort the file by submitted_at)`,
      );
    }
    if (ids) {
      const earlier = await firstLineOf(ids, job.job_id, rec.line, opts.idAtLine);
      if (earlier !== undefined) {
        throw new TraceFormatError(file, rec.line, 'job_id', `${JSON.stringify(job.job_id)} is already the job id of line ${earlier}: job ids must be unique within a trace`);
      }
    }
    previous = { line: rec.line, job };
    accepted++;
    yield previous;
  }
  if (accepted === 0) {
    throw TraceFormatError.ofFile(
      file,
      skipped ? `no jobs: all ${skipped} lines were malformed and skipped (the first: ${firstSkip!.message})` : 'no jobs: the trace is empty',
    );
  }
}

async function firstLineOf(ids: JobIdLines, id: string, line: number, idAtLine: CheckOptions['idAtLine']): Promise<number | undefined> {
  const candidate = ids.firstLine(id, line);
  if (candidate === undefined) return undefined;
  // Without a way to read the line again, a 64-bit hash match stands (about a 1-in-10^7 chance of a wrong call at 10M jobs).
  if (!idAtLine || (await idAtLine(candidate)) === id) return candidate;
  return ids.firstLineExact(id, line);
}
