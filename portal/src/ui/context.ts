/** What every screen needs: the API client, the signed-in session and the server's settings. */
import { createContext, useContext } from 'react';
import type { ApiClient } from '../api/client';
import type { Session } from '../auth/session';
import type { PortalConfig } from '../config';

export interface PortalContext {
  readonly api: ApiClient;
  readonly session: Session;
  readonly config: PortalConfig;
}

export const Portal = createContext<PortalContext | undefined>(undefined);

export function usePortal(): PortalContext {
  const value = useContext(Portal);
  if (value === undefined) throw new Error('usePortal outside <Portal.Provider>');
  return value;
}
