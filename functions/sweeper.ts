/** Timer: finishes number writes whose writer died mid-way (intents older than the stale bound). */
import { app, type InvocationContext, type Timer } from '@azure/functions';
import { repairStaleIntents } from '../shared/provisioning/repair';

export async function sweep(_timer: Timer, context: InvocationContext): Promise<void> {
  const repaired = await repairStaleIntents();
  if (repaired > 0) context.log(JSON.stringify({ event: 'sweeper.repaired', intents: repaired }));
}

app.timer('sweeper', { schedule: '0 * * * * *', runOnStartup: false, handler: sweep });
