/**
 * Cloud sign-in: MSAL (redirect flow) against Entra ID for the Provisioning API's delegated scope.
 * Portal users hold the `ProvisioningAPI.*User` app roles (docs/auth.md), which arrive in the access
 * token's `roles` claim.
 */
import { InteractionRequiredAuthError, PublicClientApplication, type AccountInfo } from '@azure/msal-browser';
import type { EntraSignIn } from '../config';
import { rolesOf, type Session } from './session';

export interface EntraAuth {
  readonly msal: PublicClientApplication;
  /** The signed-in session after handling a redirect, if any. */
  session(): Promise<Session | undefined>;
  signIn(): Promise<void>;
}

export async function createEntraAuth(settings: EntraSignIn): Promise<EntraAuth> {
  const msal = new PublicClientApplication({
    auth: { clientId: settings.clientId, authority: settings.authority, redirectUri: `${window.location.origin}/portal/` },
    cache: { cacheLocation: 'sessionStorage' },
  });
  await msal.initialize();
  const scopes = [settings.apiScope];

  const tokenFor = async (account: AccountInfo): Promise<string> => {
    try {
      return (await msal.acquireTokenSilent({ account, scopes })).accessToken;
    } catch (err) {
      if (err instanceof InteractionRequiredAuthError) await msal.acquireTokenRedirect({ account, scopes });
      throw err;
    }
  };

  return {
    msal,
    async session() {
      const redirect = await msal.handleRedirectPromise();
      const account = redirect?.account ?? msal.getAllAccounts()[0];
      if (!account) return undefined;
      const token = await tokenFor(account);
      return {
        name: account.name ?? account.username,
        roles: rolesOf(token),
        token: () => tokenFor(account),
        signOut: () => void msal.logoutRedirect({ account }),
      };
    },
    async signIn() {
      await msal.loginRedirect({ scopes });
    },
  };
}
