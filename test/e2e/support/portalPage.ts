/** Browser-side helpers for the portal suite: sign-in, screenshots at two widths, the axe scan. */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Browser, BrowserContext, Page } from 'playwright-core';

export const SCREENSHOT_DIR = path.resolve(__dirname, '..', 'screenshots');
export const WIDTHS = { desktop: 1280, tablet: 768 } as const;

export async function newPortalPage(browser: Browser, width: number = WIDTHS.desktop): Promise<{ context: BrowserContext; page: Page; consoleErrors: string[] }> {
  const context = await browser.newContext({ viewport: { width, height: 900 } });
  const page = await context.newPage();
  const consoleErrors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  page.on('pageerror', (err) => consoleErrors.push(err.message));
  return { context, page, consoleErrors };
}

/** Signs in on the development sign-in form with exactly these role labels ticked. */
export async function signIn(page: Page, origin: string, name: string, roleLabels: readonly string[]): Promise<void> {
  await page.goto(`${origin}/portal/`);
  await page.getByLabel('Your name').fill(name);
  for (const label of ['Read (view configuration)', 'Write (add and change)', 'Delete (remove)', 'Admin (everything)']) {
    const box = page.getByRole('checkbox', { name: label });
    if ((await box.isChecked()) !== roleLabels.includes(label)) await box.click();
  }
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByTestId('signed-in-user').waitFor();
}

/** Screenshots of the current screen at desktop and tablet width (git-ignored folder). */
export async function screenshotBothWidths(page: Page, name: string): Promise<string[]> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const original = page.viewportSize() ?? { width: WIDTHS.desktop, height: 900 };
  const files: string[] = [];
  for (const [label, width] of Object.entries(WIDTHS)) {
    await page.setViewportSize({ width, height: 900 });
    await page.waitForTimeout(150); // layout settles after the resize
    const file = path.join(SCREENSHOT_DIR, `${name}-${label}-${width}.png`);
    await page.screenshot({ path: file, fullPage: true });
    files.push(file);
  }
  await page.setViewportSize(original);
  return files;
}

export interface AxeFinding {
  id: string;
  impact: string | null | undefined;
  help: string;
  targets: string[];
}

/** Serious and critical accessibility violations on the page as it is now (WCAG 2.1 A/AA rules). */
export async function seriousViolations(page: Page): Promise<AxeFinding[]> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => n.target.join(' ')) }));
}

/**
 * Reads until `accept` holds or `timeoutMs` passes, and returns the last value read, so the caller's
 * `expect` shows what the page really showed when it fails.
 */
export async function settle<T>(read: () => Promise<T>, accept: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (accept(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
}
