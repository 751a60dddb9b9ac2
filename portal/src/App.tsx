/** Sign-in state, the API client bound to the session, and TanStack Query for server state. */
import { FluentProvider, webLightTheme } from '@fluentui/react-components';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { ApiProblem } from './api/problem';
import { createApiClient } from './api/client';
import type { Session } from './auth/session';
import { SignInScreen } from './auth/SignInScreen';
import type { PortalConfig } from './config';
import { Portal } from './ui/context';
import { Shell } from './ui/Shell';

function newQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 5_000,
        // 4xx answers will not change on a retry; outages (5xx, network) get two more tries.
        retry: (count, err) => !(err instanceof ApiProblem && err.status < 500) && count < 2,
        refetchOnWindowFocus: false,
      },
    },
  });
}

export function App({ config, initialSession, entraSignIn }: { config: PortalConfig; initialSession: Session | undefined; entraSignIn?: () => Promise<void> }) {
  const [session, setSession] = useState(initialSession);
  const queryClient = useMemo(newQueryClient, [session]);
  const api = useMemo(
    () =>
      session &&
      createApiClient(config.apiVersion, () => session.token(), () => {
        /* a 401 is shown where it happened; the user signs in again from the header */
      }),
    [config.apiVersion, session],
  );
  const signOut = () => setSession(undefined);
  const wrapped: Session | undefined = session && {
    ...session,
    signOut: () => {
      session.signOut();
      signOut();
    },
  };

  return (
    <FluentProvider theme={webLightTheme} style={{ minHeight: '100vh' }}>
      {wrapped && api ? (
        <QueryClientProvider client={queryClient}>
          <Portal.Provider value={{ api, session: wrapped, config }}>
            <Shell />
          </Portal.Provider>
        </QueryClientProvider>
      ) : (
        <SignInScreen config={config} onSignedIn={setSession} onSignOut={signOut} entraSignIn={entraSignIn} />
      )}
    </FluentProvider>
  );
}
