/**
 * Telemetry start-up and settings (functions/telemetry.ts, shared/telemetry/config.ts), and the
 * kick's trace context on the wire (shared/flowthrough/kicks.ts, serviceBusTransport.ts). The
 * end-to-end metrics and trace are test/integration/telemetry.test.ts.
 */
import { context, trace } from '@opentelemetry/api';
import type { ServiceBusClient, ServiceBusMessage } from '@azure/service-bus';
import { kickAccount, setKickTransport, type Kick, type KickProperties } from '../../shared/flowthrough/kicks';
import { serviceBusTransport } from '../../shared/flowthrough/serviceBusTransport';
import { loadSettings, SettingsError } from '../../shared/settings/settings';
import { injectTraceContext, tracer } from '../../shared/telemetry/tracing';
import { installTestTelemetry } from '../support/telemetry';

const GOOD = {
  TABLES_CONNECTION_STRING: 'UseDevelopmentStorage=true',
  AUTH_ISSUER: 'http://127.0.0.1:7071/dev-issuer',
  AUTH_AUDIENCE: 'api://voice-provisioning',
  AUTH_JWKS_URI: 'http://127.0.0.1:7071/dev-issuer/keys',
};
const CONNECTION = 'InstrumentationKey=55555555-5555-4555-8555-555555555555;IngestionEndpoint=http://127.0.0.1:9/';
const CLIENT_ID = '11111111-1111-4111-8111-111111111111';

function problemsOf(env: Record<string, string>): SettingsError['problems'] {
  try {
    loadSettings(env);
  } catch (err) {
    if (err instanceof SettingsError) return err.problems;
    throw err;
  }
  throw new Error('the settings were accepted');
}

/** Loads functions/telemetry.ts afresh with this environment; whether it started an SDK. */
function loadTelemetryModule(env: Record<string, string | undefined>): boolean {
  const saved = { ...process.env };
  Object.assign(process.env, env);
  for (const [name, value] of Object.entries(env)) if (value === undefined) delete process.env[name];
  try {
    let started = false;
    jest.isolateModules(() => {
      started = (require('../../functions/telemetry') as typeof import('../../functions/telemetry')).telemetryStarted;
    });
    return started;
  } finally {
    for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
    Object.assign(process.env, saved);
  }
}

describe('telemetry settings', () => {
  it('are optional: unset, telemetry is off', () => {
    expect(loadSettings(GOOD).telemetry).toEqual({});
  });

  it('read the managed identity from the authentication string main.bicep writes', () => {
    const settings = loadSettings({ ...GOOD, APPLICATIONINSIGHTS_CONNECTION_STRING: CONNECTION, APPLICATIONINSIGHTS_AUTHENTICATION_STRING: `ClientId=${CLIENT_ID};Authorization=AAD` });
    expect(settings.telemetry).toEqual({ connectionString: CONNECTION, entra: { clientId: CLIENT_ID } });
    expect(loadSettings({ ...GOOD, APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'authorization=aad' }).telemetry).toEqual({ entra: {} });
  });

  it('refuse a bad authentication string or connection string at start-up, each named with what is wrong', () => {
    expect(problemsOf({ ...GOOD, APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=api-identity;Authorization=AAD' })).toEqual([
      { setting: 'APPLICATIONINSIGHTS_AUTHENTICATION_STRING', message: expect.stringContaining('has ClientId=api-identity, which is not a GUID') },
    ]);
    expect(problemsOf({ ...GOOD, APPLICATIONINSIGHTS_AUTHENTICATION_STRING: `ClientId=${CLIENT_ID}` })[0]?.message).toContain('must contain Authorization=AAD');
    expect(problemsOf({ ...GOOD, APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'AAD' })[0]?.message).toContain("must be Key=value pairs separated by ';'");
    expect(problemsOf({ ...GOOD, APPLICATIONINSIGHTS_CONNECTION_STRING: 'https://example.com' })).toEqual([
      { setting: 'APPLICATIONINSIGHTS_CONNECTION_STRING', message: expect.stringContaining('must contain InstrumentationKey=') },
    ]);
  });
});

describe('functions/telemetry.ts', () => {
  it('starts nothing without a connection string: no SDK, spans do not record, nothing is propagated', () => {
    expect(loadTelemetryModule({ APPLICATIONINSIGHTS_CONNECTION_STRING: undefined, APPLICATIONINSIGHTS_AUTHENTICATION_STRING: undefined })).toBe(false);
    const span = tracer().startSpan('probe');
    expect(span.isRecording()).toBe(false);
    expect(injectTraceContext({}, trace.setSpan(context.active(), span))).toEqual({});
    span.end();
  });

  it('starts nothing on a bad authentication string (start-up validation then names it)', () => {
    expect(loadTelemetryModule({ APPLICATIONINSIGHTS_CONNECTION_STRING: CONNECTION, APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=nope;Authorization=AAD' })).toBe(false);
    expect(tracer().startSpan('probe').isRecording()).toBe(false);
  });
  // The started case (the Azure Monitor distro with main.bicep's settings) runs in a child process:
  // test/infra/package.test.ts starts the packaged app with them.
});

describe('the kick carries the trace context', () => {
  it('as traceparent and Diagnostic-Id application properties, child of the producer span, on the Service Bus message', async () => {
    const telemetry = installTestTelemetry();
    try {
      const sent: { kick: Kick; properties?: KickProperties }[] = [];
      setKickTransport({ send: async (kick, _delay, properties) => void sent.push({ kick, ...(properties ? { properties } : {}) }), takeDeadLetters: async () => [] });
      await kickAccount('contoso', 'write');
      setKickTransport(undefined);
      const [producer] = telemetry.finishedSpans().filter((s) => s.name === 'flowthrough.kick send');
      const expected = `00-${producer?.spanContext().traceId}-${producer?.spanContext().spanId}-01`;
      expect(sent).toHaveLength(1);
      expect(sent[0]?.properties).toEqual({ traceparent: expected, 'Diagnostic-Id': expected });

      const messages: ServiceBusMessage[] = [];
      const client = { createSender: () => ({ sendMessages: async (m: ServiceBusMessage) => void messages.push(m) }) } as unknown as ServiceBusClient;
      await serviceBusTransport(client).send(sent[0]?.kick as Kick, 0, sent[0]?.properties);
      expect(messages[0]?.applicationProperties).toEqual({ traceparent: expected, 'Diagnostic-Id': expected });
    } finally {
      await telemetry.uninstall();
    }
  });
});
