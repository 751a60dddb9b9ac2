/**
 * The @azure/identity credential for each Entra-backed auth mode. Kept apart from tokens.ts so the
 * form-POST path (simulator, tests) does not depend on how these credentials are built.
 */
import { ClientCertificateCredential, ClientSecretCredential, ManagedIdentityCredential, type TokenCredential } from '@azure/identity';
import type { OcAuthSettings } from './config';

export function credentialFor(auth: Exclude<OcAuthSettings, { mode: 'client-secret-form' }>): TokenCredential {
  switch (auth.mode) {
    case 'managed-identity':
      // User-assigned when a client id is configured (the platform's AZURE_CLIENT_ID), else system-assigned.
      return auth.clientId === undefined ? new ManagedIdentityCredential() : new ManagedIdentityCredential({ clientId: auth.clientId });
    case 'client-secret':
      return new ClientSecretCredential(auth.tenantId, auth.clientId, auth.clientSecret, { authorityHost: auth.authorityHost });
    case 'client-certificate':
      return new ClientCertificateCredential(auth.tenantId, auth.clientId, { certificatePath: auth.certificatePath }, { authorityHost: auth.authorityHost });
    case 'token-credential':
      return auth.credential;
  }
}
