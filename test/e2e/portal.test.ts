/**
 * The Number Management Portal end to end: headless Chromium against the local host (API, Operator
 * Connect simulator, flow-through worker, lookup) serving the built bundle. The tests run in order
 * and build on each other (one account set-up, like an operator's working day). Every screen is
 * scanned with axe (no serious or critical violation) and screenshotted at 1280 and 768 px into
 * test/e2e/screenshots/ (git-ignored). Facts are checked through the API, not only on screen.
 */
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { SIM_ADDRESSES, SIM_NUMBER_RANGES, SIM_TENANT_US } from '../../dev/ocSimulator';
import { createApiClient, type ApiClient } from '../support/apiClient';
import { eventually } from '../support/flowthroughHost';
import { launchChromium } from './support/browser';
import { SCREENSHOT_DIR, newPortalPage, screenshotBothWidths, seriousViolations, settle, signIn } from './support/portalPage';
import { startPortalHost, type PortalHost } from './support/portalHost';

const DR_ACCOUNT = 'fabrikam-dr';
const OC_ACCOUNT = 'contoso-oc';
const CSV_FIRST = 14255551000n;
const CSV_ROWS = 1000;

// Browser steps under a loaded 2-core machine: more room than jest.config.js's 60 s default.
jest.setTimeout(120_000);

let host: PortalHost;
let browser: Browser;
let api: ApiClient;
let page: Page;
let consoleErrors: string[];

/** Screenshots at both widths and the axe scan of what is on screen now. */
async function checkScreen(name: string, on: Page = page): Promise<void> {
  await screenshotBothWidths(on, name);
  expect({ screen: name, violations: await seriousViolations(on) }).toEqual({ screen: name, violations: [] });
}

async function numberCount(account: string, filter?: string): Promise<number> {
  const res = await api.get(`/accounts/${account}/numbers`, { query: { countRecords: true, maxpagesize: 1, ...(filter ? { filter } : {}) } });
  expect(res.status).toBe(200);
  return Number(res.headers.get('x-ms-record-count'));
}

function csvNumber(i: number): string {
  return `+${(CSV_FIRST + BigInt(i)).toString()}`;
}

beforeAll(async () => {
  host = await startPortalHost();
  api = createApiClient(host.baseUrl, { headers: await host.adminHeaders() });
  browser = await launchChromium();
  ({ page, consoleErrors } = await newPortalPage(browser));
}, 240_000);

afterEach(async () => {
  // What the page showed when each test ended: the first thing to look at when one fails.
  const name = (expect.getState().currentTestName ?? 'test').replace(/[^A-Za-z0-9]+/g, '-').slice(0, 60);
  await page?.screenshot({ path: path.join(SCREENSHOT_DIR, `end-of-${name}.png`), fullPage: true }).catch(() => undefined);
});

afterAll(async () => {
  await browser?.close();
  await host?.stop();
});

test('signs in locally with the development issuer and lands on the accounts list', async () => {
  await page.goto(`${host.origin}/portal/`);
  await page.getByRole('button', { name: 'Sign in' }).waitFor();
  await checkScreen('sign-in');
  await signIn(page, host.origin, 'Ada Operator', ['Admin (everything)']);
  await expect(page.getByTestId('signed-in-user').textContent()).resolves.toBe('Ada Operator (AdminUser)');
  await page.getByRole('heading', { name: 'Accounts', level: 1 }).waitFor();
  await checkScreen('accounts-empty');
});

test('refuses an invalid Direct Routing account in the browser, then creates a valid one and shows its FQDNs', async () => {
  await page.getByRole('button', { name: 'Create account' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Account name').fill(DR_ACCOUNT);
  await dialog.getByRole('switch', { name: 'Enable Teams Direct Routing' }).click();
  await dialog.getByRole('textbox', { name: /^Subdomain\W*$/ }).fill('much-too-long-label');
  await dialog.getByLabel('Subdomain token, region 1').fill('token-one');
  await dialog.getByLabel('Subdomain token, region 2').fill('token-two');
  await dialog.getByRole('button', { name: 'Create' }).click();
  // The shared schema's bound (10 characters), shown on the field; nothing was sent.
  await expect(dialog.getByText(/at most 10|<=10 characters/).count()).resolves.toBeGreaterThan(0);
  expect((await api.get(`/accounts/${DR_ACCOUNT}`)).status).toBe(404);
  await checkScreen('account-editor-errors');

  await dialog.getByRole('textbox', { name: /^Subdomain\W*$/ }).fill('fabrikam');
  await expect(dialog.getByTestId('fqdns').textContent()).resolves.toBe(
    'Customer FQDNs: fabrikam.1r1.example.commsgw.azure.com and fabrikam.1r2.example.commsgw.azure.com',
  );
  await dialog.getByLabel('Correlation ID').fill('crm-42');
  await dialog.getByRole('button', { name: 'Create' }).click();
  await dialog.waitFor({ state: 'detached' });

  const stored = await api.get(`/accounts/${DR_ACCOUNT}`);
  expect(stored.status).toBe(200);
  expect(stored.body.serviceDetails.teamsDirectRouting.configuration).toEqual({ callScreening: false, subdomain: 'fabrikam', subdomainTokens: { region1Token: 'token-one', region2Token: 'token-two' } });

  await page.getByRole('link', { name: DR_ACCOUNT }).click();
  await expect(page.getByTestId('account-fqdns').textContent()).resolves.toBe('fabrikam.1r1.example.commsgw.azure.com, fabrikam.1r2.example.commsgw.azure.com');
  await expect(page.getByTestId('subdomain-status').textContent()).resolves.toMatch(/^(provisioned|notProvisioned|inconsistent)$/);
  await checkScreen('account-detail-empty');
});

test('imports a 1,000-row CSV: the 3 bad rows are shown before anything is sent, the 997 good rows land', async () => {
  const lines = ['telephoneNumber,accountName,serviceDetails_teamsDirectRouting_enabled,configuration_customSipHeader'];
  for (let i = 0; i < CSV_ROWS; i++) lines.push(`${csvNumber(i)},${DR_ACCOUNT},true,fab-${i}`);
  lines[1 + 10] = `+0042555,${DR_ACCOUNT},true,fab-10`; // not E.164
  lines[1 + 500] = `${csvNumber(500)},${DR_ACCOUNT},yes,fab-500`; // not a boolean
  lines[1 + 900] = `${csvNumber(900)},${DR_ACCOUNT},true,bad header!`; // outside the header's character set
  const badLines = [12, 502, 902]; // file lines (header = 1)

  await page.getByRole('button', { name: 'Import CSV' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByTestId('csv-file').setInputFiles({ name: 'numbers.csv', mimeType: 'text/csv', buffer: Buffer.from(lines.join('\n')) });
  await expect(dialog.getByTestId('csv-summary').textContent()).resolves.toBe('1000 rows read: 997 valid, 3 with problems.');
  const problems = dialog.getByTestId('csv-problems').locator('[data-line]');
  await expect(problems.evaluateAll((nodes) => nodes.map((n) => [Number(n.getAttribute('data-line')), n.getAttribute('data-column')]))).resolves.toEqual([
    [badLines[0], 'telephoneNumber'],
    [badLines[1], 'serviceDetails_teamsDirectRouting_enabled'],
    [badLines[2], 'configuration_customSipHeader'],
  ]);
  // Validated in the browser only: nothing reached the API yet.
  expect(await numberCount(DR_ACCOUNT)).toBe(0);
  await checkScreen('csv-import-problems');

  await dialog.getByRole('button', { name: 'Send 997 valid rows' }).click();
  await dialog.getByTestId('csv-result').waitFor({ timeout: 60_000 });
  await expect(dialog.getByTestId('csv-result').textContent()).resolves.toBe('997 numbers imported, 0 not imported.');
  await checkScreen('csv-import-done');
  await dialog.getByRole('button', { name: 'Close' }).click();

  expect(await numberCount(DR_ACCOUNT)).toBe(997);
  for (const i of [500, 900]) expect((await api.get(`/accounts/${DR_ACCOUNT}/numbers/${encodeURIComponent(csvNumber(i))}`)).status).toBe(404);
  const sample = await api.get(`/accounts/${DR_ACCOUNT}/numbers/${encodeURIComponent(csvNumber(999))}`);
  expect(sample.body.configuration).toEqual({ customSipHeader: 'fab-999' });
  await page.locator('[data-number]').first().waitFor();
  await checkScreen('account-detail-numbers');
}, 180_000);

test('edits a number’s custom header and the lookup answers with the new value', async () => {
  const target = csvNumber(0);
  const lookupToken = await host.token(['Lookup.Query']);
  const lookup = async () => {
    const res = await fetch(`${host.baseUrl}/lookup/v1/route?direction=fromOperator&from=%2B15555550100&to=${encodeURIComponent(target)}`, { headers: { authorization: `Bearer ${lookupToken}` } });
    expect(res.status).toBe(200);
    return (await res.json()) as { customHeader: { value: string } | null };
  };
  const lookupHeader = async () => (await lookup()).customHeader?.value;
  await eventually(async () => ((await lookupHeader()) === 'fab-0' ? true : undefined), 30_000, async () => JSON.stringify(await lookup()));

  await page.getByRole('button', { name: `Edit ${target}` }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Custom SIP header value').fill('fab-renamed');
  await checkScreen('number-editor');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await dialog.waitFor({ state: 'detached' });
  await expect(page.locator(`[data-number="${target}"] [data-testid="custom-header"]`).textContent()).resolves.toBe('fab-renamed');

  expect((await api.get(`/accounts/${DR_ACCOUNT}/numbers/${encodeURIComponent(target)}`)).body.configuration).toEqual({ customSipHeader: 'fab-renamed' });
  await eventually(async () => ((await lookupHeader()) === 'fab-renamed' ? true : undefined), 30_000, async () => JSON.stringify(await lookup()));
});

test('bulk-deletes the selected numbers', async () => {
  await page.getByLabel('Number prefix').fill('+1425555100'); // +14255551000 … +14255551009
  expect(await settle(() => page.locator('[data-number]').count(), (n) => n === 10)).toBe(10);
  await page.getByRole('checkbox', { name: 'Select every number on this page' }).click();
  await page.getByRole('button', { name: 'Delete selected (10)' }).click();
  expect(await settle(() => page.locator('[data-number]').count(), (n) => n === 0, 15_000)).toBe(0);
  expect(await numberCount(DR_ACCOUNT)).toBe(987);
  expect(await numberCount(DR_ACCOUNT, "startswith(telephoneNumber, '+1425555100')")).toBe(0);
  await page.getByLabel('Number prefix').fill('');
});

test('explains a 412 conflict with what changed and reloads the latest version', async () => {
  await page.getByRole('button', { name: 'Edit account' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Correlation ID').waitFor();
  // Someone else changes the account after the form was opened.
  const current = await api.get(`/accounts/${DR_ACCOUNT}`);
  const changed = await api.put(`/accounts/${DR_ACCOUNT}`, { json: { ...current.body, correlationId: 'crm-changed-elsewhere' } });
  expect(changed.status).toBe(200);

  await dialog.getByLabel('Correlation ID').fill('crm-mine');
  await dialog.getByRole('button', { name: 'Save' }).click();
  const conflict = dialog.getByTestId('conflict');
  await conflict.waitFor();
  await expect(conflict.textContent()).resolves.toContain('correlationId: "crm-42" → "crm-changed-elsewhere"');
  expect((await api.get(`/accounts/${DR_ACCOUNT}`)).body.correlationId).toBe('crm-changed-elsewhere');
  await checkScreen('conflict-412');

  await conflict.getByRole('button', { name: 'Reload the latest version' }).click();
  const correlationId = dialog.getByLabel('Correlation ID');
  expect(await settle(() => correlationId.inputValue(), (v) => v === 'crm-changed-elsewhere')).toBe('crm-changed-elsewhere');
  await dialog.getByLabel('Correlation ID').fill('crm-mine');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await dialog.waitFor({ state: 'detached' });
  expect((await api.get(`/accounts/${DR_ACCOUNT}`)).body.correlationId).toBe('crm-mine');
});

test('finds numbers gateway-wide by prefix', async () => {
  await page.getByRole('link', { name: 'Number search' }).click();
  await page.getByLabel('Number or prefix').fill('+142555519');
  await page.getByRole('button', { name: 'Search' }).click();
  // +14255551900 … +14255551999 less +14255551900, whose CSV row had a bad header value.
  expect(await settle(() => page.locator('[data-number]').count(), (n) => n === 99)).toBe(99);
  await expect(page.locator('[data-number="+14255551900"]').count()).resolves.toBe(0);
  await expect(page.locator('[data-number]').first().textContent()).resolves.toContain(DR_ACCOUNT);
  await checkScreen('number-search');
});

test('creates an Operator Connect account from a seeded consent and watches its numbers turn synced without a reload', async () => {
  await host.sweep(); // the consent puller: Operator Connect consents become requests for information
  await page.getByRole('link', { name: 'Requests for information' }).click();
  await page.locator(`[data-tenant="${SIM_TENANT_US}"]`).waitFor();
  await checkScreen('requests-for-information');

  await page.getByRole('button', { name: `Create account for ${SIM_TENANT_US}` }).click();
  const editor = page.getByRole('dialog');
  await expect(editor.getByLabel('Teams tenant ID').inputValue()).resolves.toBe(SIM_TENANT_US);
  await editor.getByLabel('Account name').fill(OC_ACCOUNT);
  await editor.getByRole('button', { name: 'Create' }).click();
  await editor.waitFor({ state: 'detached' });
  await page.getByRole('heading', { name: `Account ${OC_ACCOUNT}` }).waitFor();
  const account = await api.get(`/accounts/${OC_ACCOUNT}`);
  expect(account.body.serviceDetails).toMatchObject({ teamsTenantId: SIM_TENANT_US, teamsOperatorConnect: { enabled: true, syncEnabled: true } });

  // A marker on the window: a reload would lose it.
  await page.evaluate(() => ((window as unknown as { noReload: boolean }).noReload = true));
  await page.getByRole('button', { name: 'Add numbers' }).click();
  const add = page.getByRole('dialog');
  await add.getByRole('radio', { name: 'A range' }).click();
  const first = SIM_NUMBER_RANGES.US.first;
  const last = `+${(BigInt(first.slice(1)) + 4n).toString()}`;
  await add.getByLabel('First number').fill(first);
  await add.getByLabel('Last number').fill(last);
  await add.getByRole('switch', { name: 'Operator Connect' }).click();
  // Usage and capabilities come from the tenant's capability plans, addresses from the tenant.
  await add.getByLabel('Usage').selectOption('CallingUserAssignment');
  await add.getByRole('checkbox', { name: 'InboundCalling' }).click();
  await add.getByRole('checkbox', { name: 'OutboundCalling' }).click();
  await add.getByLabel('Civic address').selectOption(SIM_ADDRESSES.usValidated);
  await checkScreen('add-numbers-operator-connect');
  await add.getByRole('button', { name: 'Add', exact: true }).click();
  await add.waitFor({ state: 'detached' });

  const statuses = () => page.locator('[data-number] [data-status]').evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-status')));
  expect(await settle(statuses, (s) => s.includes('pending'))).toContain('pending');
  await checkScreen('live-status-pending');
  expect(await settle(statuses, (s) => s.length === 5 && s.every((x) => x === 'synced'), 45_000)).toEqual(['synced', 'synced', 'synced', 'synced', 'synced']);
  await expect(page.evaluate(() => (window as unknown as { noReload?: boolean }).noReload)).resolves.toBe(true);
  const stored = await api.get(`/accounts/${OC_ACCOUNT}/numbers`);
  expect(stored.body.value.map((n: { serviceProvisioningStatus: string }) => n.serviceProvisioningStatus)).toEqual(['synced', 'synced', 'synced', 'synced', 'synced']);
  expect(stored.body.value[0].serviceDetails.teamsOperatorConnect.configuration).toMatchObject({
    usage: 'CallingUserAssignment',
    choosableCapabilities: ['InboundCalling', 'OutboundCalling'],
    civicAddressId: SIM_ADDRESSES.usValidated,
  });
}, 150_000);

test('updates a customer relationship, asking for the reason before sending a decline', async () => {
  await page.getByRole('link', { name: 'Requests for information' }).click();
  await page.getByRole('button', { name: `Update relationship of ${SIM_TENANT_US}` }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Relationship status').selectOption('ConsentDeclined');
  await dialog.getByRole('button', { name: 'Update' }).click();
  await dialog.getByText(/comment \(the reason\) is required/).waitFor();
  const before = await api.get(`/teamsRequestsForInformation/${SIM_TENANT_US}`);
  expect(before.body.customerRelationship?.status).not.toBe('ConsentDeclined');
  await checkScreen('relationship-dialog');

  await dialog.getByLabel('Comment').fill('Customer chose another carrier');
  await dialog.getByRole('button', { name: 'Update' }).click();
  await dialog.waitFor({ state: 'detached' });
  const after = await api.get(`/teamsRequestsForInformation/${SIM_TENANT_US}`);
  expect(after.body.customerRelationship).toMatchObject({ status: 'ConsentDeclined', comment: 'Customer chose another carrier' });
});

test('a Read-only user sees no controls that change anything, and the API refuses them too', async () => {
  const reader = await newPortalPage(browser);
  try {
    await reader.page.goto(`${host.origin}/portal/`);
    await signIn(reader.page, host.origin, 'Rita Reader', ['Read (view configuration)']);
    await reader.page.locator(`[data-account="${DR_ACCOUNT}"]`).waitFor();
    expect(await reader.page.getByRole('button', { name: /^(Create account|Edit|Delete)/ }).count()).toBe(0);
    await reader.page.getByRole('link', { name: DR_ACCOUNT }).click();
    await reader.page.locator('[data-number]').first().waitFor();
    expect(await reader.page.getByRole('button', { name: /^(Add numbers|Import CSV|Edit|Delete selected)/ }).count()).toBe(0);
    expect(await reader.page.getByRole('checkbox').count()).toBe(0);
    await checkScreen('account-detail-read-only', reader.page);
    await expect(reader.page.getByRole('button', { name: 'Export CSV' }).isEnabled()).resolves.toBe(true);

    // The API enforces it as well: the reader's own token cannot write.
    const token = await reader.page.evaluate(() => (JSON.parse(sessionStorage.getItem('nmp.devSession') ?? '{}') as { accessToken: string }).accessToken);
    const attempt = await fetch(`${host.baseUrl}/accounts/${DR_ACCOUNT}/numbers/${encodeURIComponent(csvNumber(20))}?api-version=2024-02-29-preview`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(attempt.status).toBe(403);
    expect(await numberCount(DR_ACCOUNT)).toBe(987);
  } finally {
    await reader.context.close();
  }
});

test('reports per-row results of a CSV import and retries only the failed rows', async () => {
  // 150 rows; one number (row 121) already belongs to another account, which only the API can
  // know: its batch (rows 101–150) is refused whole (atomic), the first batch of 100 lands.
  const taken = '+14255553120';
  expect((await api.put('/accounts/other-owner', { json: { name: 'other-owner', serviceDetails: { zoomPhoneCloudPeering: { enabled: true, syncEnabled: false } } } })).status).toBe(201);
  expect((await api.put(`/accounts/other-owner/numbers/${encodeURIComponent(taken)}`, { json: { telephoneNumber: taken, accountName: 'other-owner', serviceDetails: { zoomPhoneCloudPeering: { enabled: true } } } })).status).toBe(201);
  const rows = Array.from({ length: 150 }, (_, i) => `+${(14255553000n + BigInt(i)).toString()}`);
  const csv = ['telephoneNumber,serviceDetails_teamsDirectRouting_enabled', ...rows.map((n) => `${n},true`)].join('\n');
  await page.getByRole('link', { name: 'Accounts', exact: true }).click();
  await page.getByRole('link', { name: DR_ACCOUNT }).click();
  await page.getByRole('button', { name: 'Import CSV' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByTestId('csv-file').setInputFiles({ name: 'more.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await expect(dialog.getByTestId('csv-summary').textContent()).resolves.toBe('150 rows read: 150 valid, 0 with problems.');
  await dialog.getByRole('button', { name: 'Send 150 valid rows' }).click();
  await dialog.getByTestId('csv-result').waitFor({ timeout: 60_000 });
  await expect(dialog.getByTestId('csv-result').textContent()).resolves.toBe('100 numbers imported, 50 not imported.');
  expect(await numberCount(DR_ACCOUNT, "startswith(telephoneNumber, '+142555530')")).toBe(100);
  expect(await numberCount(DR_ACCOUNT, "startswith(telephoneNumber, '+142555531')")).toBe(0);
  await dialog.getByText(/^Line 122 \+14255553120: .*belongs to another account/).waitFor(); // its own reason, listed first
  await checkScreen('csv-import-failed-rows');

  const released = await api.post('/accounts/other-owner:deleteNumbers', { json: { numbers: [{ telephoneNumber: taken }] } });
  expect(released.status).toBe(204);
  await dialog.getByRole('button', { name: 'Retry 50 failed rows' }).click();
  expect(await settle(() => dialog.getByTestId('csv-result').textContent(), (t) => t === '150 numbers imported, 0 not imported.', 60_000)).toBe('150 numbers imported, 0 not imported.');
  expect(await numberCount(DR_ACCOUNT)).toBe(987 + 150);
  await dialog.getByRole('button', { name: 'Close' }).click();
  await dialog.waitFor({ state: 'detached' });
});

test('deletes an account with its numbers once its name is typed', async () => {
  await page.getByRole('link', { name: 'Accounts', exact: true }).click();
  await page.locator(`[data-account="${OC_ACCOUNT}"]`).waitFor();
  await checkScreen('accounts');
  await page.getByRole('button', { name: `Delete ${DR_ACCOUNT}` }).click();
  const dialog = page.getByRole('alertdialog');
  const confirm = dialog.getByRole('button', { name: 'Delete' });
  await expect(confirm.isDisabled()).resolves.toBe(true);
  await dialog.getByLabel(`Type ${DR_ACCOUNT} to confirm`).fill(DR_ACCOUNT);
  await checkScreen('delete-account');
  await confirm.click();
  await dialog.waitFor({ state: 'detached' });
  await eventually(async () => ((await api.get(`/accounts/${DR_ACCOUNT}`)).status === 404 ? true : undefined), 20_000);
  expect((await api.get('/numbers', { query: { filter: "startswith(telephoneNumber, '+14255551')", countRecords: true, maxpagesize: 1 } })).headers.get('x-ms-record-count')).toBe('0');
});

test('the browser reported no errors', () => {
  // The 412 of the conflict test and the 409 of the refused CSV batch are expected answers, not script errors.
  const unexpected = consoleErrors.filter((e) => !/status of (409|412)/.test(e));
  expect(unexpected).toEqual([]);
});
