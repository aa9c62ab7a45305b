// One slice of a stats bench case (stats.bench.ts, BENCH_STATS_WORKERS > 1):
// argv case name, first and end replication, resamples; prints the tally as JSON.
import { tallyVerdicts } from '../helpers/verdict-sim.ts';
import { statsCases } from './stats.bench.ts';

const [name, from, to, resamples] = process.argv.slice(2);
const c = statsCases().find((x) => x.name === name);
if (!c) throw new RangeError(`no stats bench case named ${name}`);
process.stdout.write(JSON.stringify(tallyVerdicts({ ...c, resamples: Number(resamples) }, Number(from), Number(to))));
