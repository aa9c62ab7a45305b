// The data policy of a scenario as a predicate: a job more sensitive than the
// policy allows is never sent to a permissionless target (anyone can run one
// of its nodes); it is recorded there as withheld instead.
import { SENSITIVITIES, type Job, type Sensitivity } from '../trace/job.ts';

export function withholdPredicate(
  targets: readonly { name: string; permissionless: boolean }[],
  permissionlessMaxSensitivity: Sensitivity,
): ((job: Job, target: string) => boolean) | undefined {
  const open = new Set(targets.filter((t) => t.permissionless).map((t) => t.name));
  const max = SENSITIVITIES.indexOf(permissionlessMaxSensitivity);
  if (open.size === 0 || max === SENSITIVITIES.length - 1) return undefined;
  return (job, target) => open.has(target) && SENSITIVITIES.indexOf(job.sensitivity) > max;
}
