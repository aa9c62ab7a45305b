// The report section of sequential stopping: the record stored with the run (reports/sequential-stop.ts).
import { section } from './section.ts';

export const sequentialStopSection = section({
  fills: ['sequentialStop'],
  load: async () => null,
  build: (_rows: null, input) => ({ sequentialStop: input.config.sequentialStop }),
});
