/**
 * Telemetry start-up, imported first by functions/index.ts (before @azure/functions and the app's
 * modules, so the Functions instrumentation can patch the library as it loads).
 * With APPLICATIONINSIGHTS_CONNECTION_STRING set, the Azure Monitor OpenTelemetry distro exports
 * the app's metrics and spans (shared/telemetry/) to Application Insights, authenticated with an
 * Entra token of the managed identity named in APPLICATIONINSIGHTS_AUTHENTICATION_STRING (the
 * resource refuses keys). Unset: nothing is loaded and every instrument stays a no-op, so local
 * runs and tests pay nothing. Bad telemetry settings start nothing here; the start-up validation
 * that follows (validateGroupSettings) names them with every other bad setting.
 * docs/observability.md describes what is emitted.
 */
import { SettingProblems } from '../shared/settings/parse';
import { telemetryConfigFrom, type TelemetryConfig } from '../shared/telemetry/config';

/** Whether this process exports telemetry (tests read it). */
export let telemetryStarted = false;

export function startTelemetry(config: TelemetryConfig): boolean {
  if (config.connectionString === undefined) return false;
  const { useAzureMonitor } = require('@azure/monitor-opentelemetry') as typeof import('@azure/monitor-opentelemetry');
  const { ManagedIdentityCredential } = require('@azure/identity') as typeof import('@azure/identity');
  const { AzureFunctionsInstrumentation } = require('@azure/functions-opentelemetry-instrumentation') as typeof import('@azure/functions-opentelemetry-instrumentation');
  const credential = config.entra === undefined ? undefined : new ManagedIdentityCredential(config.entra.clientId !== undefined ? { clientId: config.entra.clientId } : {});
  useAzureMonitor({
    azureMonitorExporterOptions: { connectionString: config.connectionString, ...(credential !== undefined ? { credential } : {}) },
    // The worker's HTTP server only carries the host's proxied requests: the host reports those
    // requests itself, and the registrar's server span is ours (no duplicate request rows).
    instrumentationOptions: { http: { enabled: false } },
  });
  // Microsoft's piece for Node Functions with host.json telemetryMode OpenTelemetry: the handler
  // runs in the host invocation's trace context, and context.log lines go out through OpenTelemetry.
  new AzureFunctionsInstrumentation();
  return true;
}

const problems = new SettingProblems();
const config = telemetryConfigFrom(process.env, problems);
if (problems.empty) telemetryStarted = startTelemetry(config);
