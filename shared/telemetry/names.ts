/**
 * The names the telemetry contract fixes (docs/observability.md): the one meter and tracer name,
 * and the span names dashboards and the runbook query by.
 */
export const TELEMETRY_NAME = 'voice-provisioning';

export const SPAN_KICK_SEND = 'flowthrough.kick send';
export const SPAN_RECONCILE = 'flowthrough.reconcile';
/** `oc <operation>`: one per Operator Connect HTTP attempt. */
export const ocSpanName = (operation: string): string => `oc ${operation}`;
