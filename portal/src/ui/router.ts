/** A small History-API router: the server answers index.html for every client route under /portal/. */
import { useEffect, useState } from 'react';

export const BASE = '/portal';

export type Route =
  | { screen: 'accounts' }
  | { screen: 'account'; accountName: string }
  | { screen: 'numbers' }
  | { screen: 'rfis' };

export function parseRoute(pathname: string): Route {
  const rest = pathname.startsWith(BASE) ? pathname.slice(BASE.length) : pathname;
  const parts = rest.split('/').filter((p) => p !== '').map(decodeURIComponent);
  if (parts[0] === 'accounts' && parts[1] !== undefined) return { screen: 'account', accountName: parts[1] };
  if (parts[0] === 'numbers') return { screen: 'numbers' };
  if (parts[0] === 'requests-for-information') return { screen: 'rfis' };
  return { screen: 'accounts' };
}

export function hrefOf(route: Route): string {
  switch (route.screen) {
    case 'accounts':
      return `${BASE}/accounts`;
    case 'account':
      return `${BASE}/accounts/${encodeURIComponent(route.accountName)}`;
    case 'numbers':
      return `${BASE}/numbers`;
    case 'rfis':
      return `${BASE}/requests-for-information`;
  }
}

const listeners = new Set<() => void>();

export function navigate(route: Route): void {
  const href = hrefOf(route);
  if (window.location.pathname !== href) window.history.pushState(null, '', href);
  listeners.forEach((l) => l());
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(window.location.pathname));
  useEffect(() => {
    const update = () => setRoute(parseRoute(window.location.pathname));
    listeners.add(update);
    window.addEventListener('popstate', update);
    return () => {
      listeners.delete(update);
      window.removeEventListener('popstate', update);
    };
  }, []);
  return route;
}
