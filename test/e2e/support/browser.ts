/**
 * Headless Chromium for the portal suite: Debian's /usr/bin/chromium driven by playwright-core
 * (`npx playwright install` cannot download browsers here). No browser is a failure with a clear
 * message, never a skip. PORTAL_E2E_CHROMIUM points at another binary.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM_PATH = process.env.PORTAL_E2E_CHROMIUM || '/usr/bin/chromium';

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `The portal end-to-end suite needs Chromium at ${CHROMIUM_PATH}, and none was found. ` +
        'Install it (Debian: apt-get install chromium; .ci/run does this) or set PORTAL_E2E_CHROMIUM.',
    );
  }
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}
