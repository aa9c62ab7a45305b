// Fault injection a scenario can ask of a simulator. Faults are applied on top
// of the parameters (so a sweep and a fault compose): churn divides session
// lengths, a slow network divides bandwidth; outage windows and a target that
// stops answering are handled by the model and the server. Defined once,
// here: a scenario's `faults` field is this schema.
import { z } from 'zod';

export const SimFaultsSchema = z
  .object({
    /** Sessions (provider online time, instance lifetime) last this many times shorter. */
    churnMultiplier: z.number().positive().optional(),
    /** Bandwidth is this many times lower (image pulls, data transfer). */
    slowNetwork: z.number().positive().optional(),
    /** Provider-wide outages: no provider reachable for the window, running jobs lose their provider. Seconds after the first job. */
    outages: z.array(z.object({ afterSeconds: z.number().nonnegative(), durationSeconds: z.number().positive() }).strict()).readonly().optional(),
    /** Native-currency price shocks: from this many seconds after the first job the USD rate is multiplied by factor (0.6 = −40 %). */
    priceShocks: z.array(z.object({ afterSeconds: z.number().nonnegative(), factor: z.number().positive() }).strict()).readonly().optional(),
    /** The target stops answering this many wall-clock seconds after its first job. */
    stopAnsweringAfterSeconds: z.number().nonnegative().optional(),
  })
  .strict();

export type SimFaults = z.output<typeof SimFaultsSchema>;

/** Parameters with churn and network faults applied (both simulators name them alike). */
export function applyFaults<T extends { churn_multiplier: number; bandwidth_down_mbps: number }>(values: T, faults: SimFaults): T {
  return {
    ...values,
    churn_multiplier: values.churn_multiplier * (faults.churnMultiplier ?? 1),
    bandwidth_down_mbps: values.bandwidth_down_mbps / (faults.slowNetwork ?? 1),
  };
}
