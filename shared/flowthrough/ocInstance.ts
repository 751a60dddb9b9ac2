/**
 * The process's Operator Connect client, created once from OC_* settings. Without OC_API_BASE_URL
 * flow-through to Operator Connect is not configured: syncing accounts then report
 * `OperatorConnectNotConfigured` instead of silently staying pending.
 */
import { createOperatorConnectClient } from './oc/client';
import { loadOcClientSettings } from './oc/config';
import type { OperatorConnect } from './oc/port';

let instance: { client: OperatorConnect | undefined } | undefined;

export function operatorConnect(env: NodeJS.ProcessEnv = process.env): OperatorConnect | undefined {
  instance ??= { client: env.OC_API_BASE_URL ? createOperatorConnectClient(loadOcClientSettings(env)) : undefined };
  return instance.client;
}

export function resetOperatorConnectForTests(): void {
  instance = undefined;
}
