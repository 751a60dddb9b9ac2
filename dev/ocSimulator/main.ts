/**
 * Runs the simulator on its own, for poking at it with curl or pointing a client at it:
 * `npm run build && node dist/dev/ocSimulator/main.js`. Settings: OC_SIMULATOR_PORT (7072),
 * OC_SIMULATOR_HOST (127.0.0.1), OC_SIMULATOR_CLOCK (real | manual), OC_SIMULATOR_TIME_SCALE (1).
 */
import { startOcSimulator } from './index';
import { SIM_TENANT_US } from './seed';
import { stopOnSignals } from '../stopOnSignals';

function envNumber(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name}=${raw} is not a non-negative number.`);
  return value;
}

async function main(): Promise<void> {
  const clock = process.env.OC_SIMULATOR_CLOCK === 'manual' ? 'manual' : 'real';
  const sim = await startOcSimulator({
    port: envNumber('OC_SIMULATOR_PORT', 7072),
    host: process.env.OC_SIMULATOR_HOST || '127.0.0.1',
    clock,
    timeScale: envNumber('OC_SIMULATOR_TIME_SCALE', 1) || 1,
  });
  const token = sim.issueToken();
  console.log(
    [
      '',
      'Operator Connect simulator ready',
      `  API base URL   ${sim.apiBaseUrl}`,
      `  Token URL      ${sim.tokenUrl()}`,
      `  Client         ${sim.clientId} / ${sim.clientSecret}`,
      `  Scope          ${sim.scope}`,
      `  Test control   ${sim.url}/_sim/state  (clock: ${clock})`,
      `  Try            curl -H "Authorization: Bearer ${token}" ${sim.apiBaseUrl}/tenants/${SIM_TENANT_US}/numbers`,
      '',
    ].join('\n'),
  );
  stopOnSignals(() => sim.close());
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
