/** The Operator Connect client: the port, its HTTP implementation and its settings. */
export * from './port';
export { createOperatorConnectClient, type OperatorConnectDeps } from './client';
export {
  loadOcClientSettings,
  ocClientSettings,
  describeOcClientSettings,
  OcConfigurationError,
  OC_CLIENT_ENV_NAMES,
  OC_CLIENT_DEFAULTS,
  type OcClientSettings,
  type OcClientSettingsInput,
  type OcAuthSettings,
  type OcAuthInput,
} from './config';
export { formClientCredentialsSource, tokenCredentialSource } from './tokens';
export { defaultOcLogger, type OcLogEntry, type OcLogger } from './log';
export type { RetryPolicy } from '../outboundHttp/retryPolicy';
