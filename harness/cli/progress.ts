// Progress while a run goes: a live bar on a terminal (cli-progress), a JSON
// progress line every few seconds through pino otherwise.
import cliProgress from 'cli-progress';
import type { Logger } from '../common/logger.ts';
import type { RunProgress } from '../replay/mirror-run.ts';
import type { ProgressView } from '../run/run-scenario.ts';

export function progressView(logger: Logger, planned: number | undefined, tty = process.stderr.isTTY === true): ProgressView {
  if (!tty) {
    let last = 0;
    return {
      update(p) {
        const now = Date.now();
        if (now - last < 5_000) return;
        last = now;
        logger.info({ released: p.released, planned: p.planned, lateMaxMs: Math.round(p.lateMaxUs / 1000), targets: p.targets }, 'progress');
      },
      stop() {},
    };
  }
  const bar = new cliProgress.SingleBar(
    {
      format: '{bar} {percentage}% | sent {value}/{total} | {targets} | late max {late} ms',
      hideCursor: true,
      stream: process.stderr,
      etaBuffer: 50,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(planned ?? 0, 0, { targets: '', late: 0 });
  return {
    update(p) {
      const targets = Object.entries(p.targets)
        .map(([name, c]) => `${name}: ${c.inFlight} in flight, ${c.completed} ok, ${c.failed} failed`)
        .join(' | ');
      bar.update(p.released, { targets, late: (p.lateMaxUs / 1000).toFixed(1) });
    },
    stop() {
      bar.stop();
    },
  };
}
