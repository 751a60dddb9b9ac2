/** Entry: load the server's portal settings, restore a session (dev or MSAL), render. */
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { restoreDevSession } from './auth/devSession';
import type { Session } from './auth/session';
import { loadPortalConfig } from './config';
import { keepPageReadable } from './ui/keepPageReadable';

async function start(root: HTMLElement): Promise<void> {
  const config = await loadPortalConfig();
  let session: Session | undefined;
  let entraSignIn: (() => Promise<void>) | undefined;
  if (config.signIn.kind === 'dev') session = restoreDevSession(() => undefined);
  if (config.signIn.kind === 'entra') {
    // Loaded only in the cloud: keeps MSAL out of the first download for local use.
    const { createEntraAuth } = await import('./auth/entraSession');
    const auth = await createEntraAuth(config.signIn);
    session = await auth.session();
    entraSignIn = () => auth.signIn();
  }
  createRoot(root).render(<App config={config} initialSession={session} entraSignIn={entraSignIn} />);
}

const root = document.getElementById('root');
if (root) {
  keepPageReadable(root);
  start(root).catch((err: unknown) => {
    root.textContent = `The portal could not start: ${err instanceof Error ? err.message : String(err)}`;
  });
}
