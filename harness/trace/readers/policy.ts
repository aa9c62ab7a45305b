import type { TraceFormatError } from '../../common/errors.ts';

/** What to do with a line that does not fit the schema: stop the run, or skip and count it. */
export interface BadLinePolicy {
  badLines: 'fail' | 'skip';
  onSkip?: (err: TraceFormatError) => void;
}
