// Reads the PEM files a scenario names for TLS to a target at an address.
// File I/O stays here, at the edge: the replay's client gets the contents.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { ConfigError, errorMessage } from '../common/errors.ts';
import type { TargetTls } from '../replay/target-client.ts';
import type { ScenarioTarget } from '../../scenarios/define.ts';

/** The TLS material of `target` (the i-th of the scenario), or undefined for plaintext; a file that cannot be read names its field. */
export async function targetTls(target: ScenarioTarget, i: number): Promise<TargetTls | undefined> {
  if (!target.tls) return undefined;
  const read = async (field: 'ca' | 'cert' | 'key'): Promise<Buffer | undefined> => {
    const file = target.tls?.[field];
    if (!file) return undefined;
    try {
      return await readFile(resolve(file));
    } catch (err) {
      throw new ConfigError(`targets.${i}.tls.${field} (${target.name}): cannot read ${resolve(file)}: ${errorMessage(err)}`, { cause: err });
    }
  };
  return { ca: await read('ca'), cert: await read('cert'), key: await read('key'), serverName: target.tls.serverName };
}
