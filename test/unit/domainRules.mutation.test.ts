/**
 * The account and number rules of shared/domain, pinned at unit level (they are pure): every rule's
 * detail (code, message, target), the boundaries, and the representations' member order. Written
 * against the mutants StrykerJS left alive (docs/mutation.md); the HTTP behaviour of the same rules
 * is covered by test/integration/accounts.test.ts and numbers.test.ts.
 */
import { ApiError } from '../../shared/contract/errors';
import { accountServiceDetailsSchema, numberServiceDetailsSchema, type AccountInput, type NumberInput } from '../../shared/contract/resources';
import {
  accountDesiredStatus,
  accountRepresentation,
  checkAccountChange,
  MAX_SUBDOMAIN_FQDN,
  normaliseAccount,
  serviceEnabled,
  subdomainFqdns,
  subdomainOf,
  syncEnabled,
  validateAccount,
} from '../../shared/domain/accounts';
import { enabledServices, normaliseNumber, numberDesiredStatus, numberRepresentation, validateNumber } from '../../shared/domain/numbers';
import { DESTINATION_SERVICES, SERVICES, SERVICES_WITH_SYNC_FLAG, zeroCounts, type ServiceCounts } from '../../shared/domain/services';
import { sameTenant, tenantKey } from '../../shared/domain/tenants';
import type { AccountDoc, NumberDoc } from '../../shared/domain/types';

const TENANT = 'AbCdEf01-2345-6789-abcd-ef0123456789';
const BASE = 'gw.example.com';
const tokens = { region1Token: 'r1', region2Token: 'r2' };
const counts = (values: Partial<ServiceCounts>): ServiceCounts => ({ ...zeroCounts(), ...values });
/**
 * Same members in the same order (a representation's member order is part of its ETag), and no
 * member present with an undefined value (code reads members with `in`).
 */
const expectOrdered = (actual: unknown, expected: unknown) => {
  expect(actual).toStrictEqual(expected);
  expect(JSON.stringify(actual)).toBe(JSON.stringify(expected));
};
/** The ApiError a rule throws, as status, code, target and message. */
const expectRefusal = (rule: () => void, status: number, code: string, target: string, message: string) => {
  let caught: unknown;
  try {
    rule();
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(ApiError);
  const { status: s, code: c, target: t, message: m } = caught as ApiError;
  expect([s, c, t, m]).toEqual([status, code, target, message]);
};

describe('tenants', () => {
  it('compares tenant ids without case; two absent ids are the same tenant, one absent is not', () => {
    expect(tenantKey(TENANT)).toBe(TENANT.toLowerCase());
    expect(sameTenant(TENANT, TENANT.toUpperCase())).toBe(true);
    expect(sameTenant(TENANT, '00000000-0000-0000-0000-000000000000')).toBe(false);
    expect(sameTenant(undefined, undefined)).toBe(true);
    expect(sameTenant(TENANT, undefined)).toBe(false);
    expect(sameTenant(undefined, TENANT)).toBe(false);
  });

  it('knows the services of the contract, and which of them carry a syncEnabled flag (the store filters on those)', () => {
    expect([...SERVICES]).toEqual(Object.keys(numberServiceDetailsSchema.shape));
    const withFlag = Object.entries(accountServiceDetailsSchema.shape)
      .filter(([, schema]) => 'syncEnabled' in ((schema.unwrap() as { shape?: object }).shape ?? {}))
      .map(([service]) => service);
    expect([...SERVICES_WITH_SYNC_FLAG]).toEqual(withFlag);
  });

  it('starts every service count at zero', () => {
    expect(zeroCounts()).toEqual({ teamsOperatorConnect: 0, teamsDirectRouting: 0, teamsPhoneMobile: 0, zoomPhoneCloudPeering: 0, azureOperatorCallProtection: 0 });
  });
});

describe('normaliseAccount', () => {
  it('keeps the client fields in a fixed order and drops read-only ones', () => {
    const input = {
      serviceProvisioningStatus: 'synced',
      serviceDetails: {
        azureOperatorCallProtection: { enabled: true, numberCount: 4 },
        zoomPhoneCloudPeering: { enabled: false, syncEnabled: false, numberCount: 3 },
        teamsPhoneMobile: { enabled: true, syncEnabled: true, numberCount: 2 },
        teamsDirectRouting: {
          subdomainStatus: 'provisioned',
          numberCount: 1,
          configuration: { subdomainTokens: tokens, subdomain: 'Acme', callScreening: true },
          enabled: true,
          syncEnabled: false,
        },
        teamsOperatorConnect: { enabled: true, syncEnabled: true, numberCount: 9 },
        teamsTenantId: TENANT,
      },
      correlationId: 'crm-1',
      name: 'acme',
    } as AccountInput;
    const doc = normaliseAccount(input);
    expectOrdered(doc, {
      name: 'acme',
      correlationId: 'crm-1',
      serviceDetails: {
        teamsTenantId: TENANT,
        teamsOperatorConnect: { syncEnabled: true, enabled: true },
        teamsDirectRouting: {
          syncEnabled: false,
          enabled: true,
          configuration: { callScreening: true, subdomain: 'Acme', subdomainTokens: { region1Token: 'r1', region2Token: 'r2' } },
        },
        teamsPhoneMobile: { syncEnabled: true, enabled: true },
        zoomPhoneCloudPeering: { syncEnabled: false, enabled: false },
        azureOperatorCallProtection: { enabled: true },
      },
    });
  });

  it('leaves out what the client left out', () => {
    expectOrdered(normaliseAccount({ name: 'bare' } as AccountInput), { name: 'bare' });
    expectOrdered(normaliseAccount({ name: 'e', serviceDetails: {} } as AccountInput), { name: 'e', serviceDetails: {} });
    const drOnly = normaliseAccount({ name: 'd', serviceDetails: { teamsDirectRouting: { enabled: false, syncEnabled: false } } } as AccountInput);
    expect(drOnly.serviceDetails).toEqual({ teamsDirectRouting: { syncEnabled: false, enabled: false } });
    expect(Object.keys(drOnly.serviceDetails?.teamsDirectRouting ?? {})).toEqual(['syncEnabled', 'enabled']);
  });
});

describe('account flags and subdomain', () => {
  const doc: AccountDoc = {
    name: 'a',
    serviceDetails: {
      teamsOperatorConnect: { enabled: true, syncEnabled: false },
      teamsPhoneMobile: { enabled: false, syncEnabled: true },
      azureOperatorCallProtection: { enabled: true },
      teamsDirectRouting: { enabled: true, syncEnabled: false, configuration: { callScreening: false, subdomain: 'AcMe', subdomainTokens: tokens } },
    },
  };

  it('reads enabled and syncEnabled only when they are true', () => {
    expect(serviceEnabled(doc, 'teamsOperatorConnect')).toBe(true);
    expect(serviceEnabled(doc, 'teamsPhoneMobile')).toBe(false);
    expect(serviceEnabled(doc, 'zoomPhoneCloudPeering')).toBe(false);
    expect(serviceEnabled({ name: 'x' }, 'teamsOperatorConnect')).toBe(false);
    expect(syncEnabled(doc, 'teamsOperatorConnect')).toBe(false);
    expect(syncEnabled(doc, 'teamsPhoneMobile')).toBe(true);
    expect(syncEnabled(doc, 'zoomPhoneCloudPeering')).toBe(false);
    expect(syncEnabled(doc, 'azureOperatorCallProtection')).toBe(false);
    expect(syncEnabled({ name: 'x' }, 'teamsPhoneMobile')).toBe(false);
  });

  it('lower-cases the subdomain label and builds both regional names', () => {
    expect(subdomainOf(doc)).toBe('acme');
    expect(subdomainOf({ name: 'x' })).toBeUndefined();
    expect(subdomainOf({ name: 'x', serviceDetails: { teamsDirectRouting: { enabled: false, syncEnabled: false } } })).toBeUndefined();
    expect(subdomainFqdns('acme', BASE)).toEqual(['acme.1r1.gw.example.com', 'acme.1r2.gw.example.com']);
  });
});

describe('validateAccount', () => {
  it('accepts a consistent account', () => {
    expect(validateAccount({ name: 'ok' }, BASE)).toEqual([]);
    const ok: AccountDoc = {
      name: 'ok',
      serviceDetails: {
        teamsTenantId: TENANT,
        teamsOperatorConnect: { enabled: true, syncEnabled: true },
        teamsPhoneMobile: { enabled: true, syncEnabled: true },
        teamsDirectRouting: { enabled: true, syncEnabled: false, configuration: { callScreening: true, subdomain: 'a', subdomainTokens: tokens } },
        zoomPhoneCloudPeering: { enabled: true, syncEnabled: false },
      },
    };
    expect(validateAccount(ok, BASE)).toEqual([]);
  });

  it('refuses syncEnabled on Direct Routing and Zoom, one detail each', () => {
    const doc: AccountDoc = {
      name: 'x',
      serviceDetails: { teamsDirectRouting: { enabled: false, syncEnabled: true }, zoomPhoneCloudPeering: { enabled: false, syncEnabled: true } },
    };
    expect(validateAccount(doc, BASE)).toEqual([
      {
        code: 'InvalidRequestContent',
        message: 'Flow-through provisioning is not supported for teamsDirectRouting; syncEnabled must be false.',
        target: 'serviceDetails.teamsDirectRouting.syncEnabled',
      },
      {
        code: 'InvalidRequestContent',
        message: 'Flow-through provisioning is not supported for zoomPhoneCloudPeering; syncEnabled must be false.',
        target: 'serviceDetails.zoomPhoneCloudPeering.syncEnabled',
      },
    ]);
  });

  it('needs the Teams tenant only for an enabled Teams service with sync', () => {
    const missing = (service: 'teamsOperatorConnect' | 'teamsPhoneMobile') => ({
      code: 'InvalidRequestContent',
      message: `serviceDetails.teamsTenantId is required when ${service} is enabled with syncEnabled.`,
      target: 'serviceDetails.teamsTenantId',
    });
    const both: AccountDoc = {
      name: 'x',
      serviceDetails: { teamsOperatorConnect: { enabled: true, syncEnabled: true }, teamsPhoneMobile: { enabled: true, syncEnabled: true } },
    };
    expect(validateAccount(both, BASE)).toEqual([missing('teamsOperatorConnect'), missing('teamsPhoneMobile')]);
    const noSync: AccountDoc = { name: 'x', serviceDetails: { teamsOperatorConnect: { enabled: true, syncEnabled: false } } };
    expect(validateAccount(noSync, BASE)).toEqual([]);
    const disabled: AccountDoc = { name: 'x', serviceDetails: { teamsPhoneMobile: { enabled: false, syncEnabled: true } } };
    expect(validateAccount(disabled, BASE)).toEqual([]);
  });

  it('needs the Direct Routing configuration only when Direct Routing is enabled', () => {
    const enabled: AccountDoc = { name: 'x', serviceDetails: { teamsDirectRouting: { enabled: true, syncEnabled: false } } };
    expect(validateAccount(enabled, BASE)).toEqual([
      {
        code: 'InvalidRequestContent',
        message: 'teamsDirectRouting.configuration (callScreening, subdomain, subdomainTokens) is required when Direct Routing is enabled.',
        target: 'serviceDetails.teamsDirectRouting.configuration',
      },
    ]);
    const disabled: AccountDoc = { name: 'x', serviceDetails: { teamsDirectRouting: { enabled: false, syncEnabled: false } } };
    expect(validateAccount(disabled, BASE)).toEqual([]);
  });

  it(`allows a subdomain FQDN of exactly ${MAX_SUBDOMAIN_FQDN} characters and refuses one more`, () => {
    const withLabel = (label: string): AccountDoc => ({
      name: 'x',
      serviceDetails: { teamsDirectRouting: { enabled: false, syncEnabled: false, configuration: { callScreening: false, subdomain: label, subdomainTokens: tokens } } },
    });
    const fits = 'a'.repeat(MAX_SUBDOMAIN_FQDN - '.1r1.'.length - BASE.length);
    expect(MAX_SUBDOMAIN_FQDN).toBe(48);
    expect(validateAccount(withLabel(fits), BASE)).toEqual([]);
    // Without Direct Routing there is no subdomain to measure, however long the base domain.
    expect(validateAccount({ name: 'x' }, 'b'.repeat(MAX_SUBDOMAIN_FQDN))).toEqual([]);
    const long = fits + 'B';
    expect(validateAccount(withLabel(long), BASE)).toEqual([
      {
        code: 'InvalidRequestContent',
        message: `The customer subdomain ${long.toLowerCase()}.1r1.${BASE} is 49 characters; at most 48 are allowed.`,
        target: 'serviceDetails.teamsDirectRouting.configuration.subdomain',
      },
    ]);
  });
});

describe('checkAccountChange', () => {
  const withTenant = (tenant: string | undefined, services: NonNullable<AccountDoc['serviceDetails']> = {}): AccountDoc => ({
    name: 'x',
    serviceDetails: { ...(tenant === undefined ? {} : { teamsTenantId: tenant }), ...services },
  });
  const oc = { teamsOperatorConnect: { enabled: true, syncEnabled: true } };

  it('locks the tenant while Operator Connect or Teams Phone Mobile numbers exist, counting both', () => {
    const other = '11111111-2222-3333-4444-555555555555';
    expectRefusal(
      () => checkAccountChange(withTenant(TENANT, oc), withTenant(other, { ...oc, teamsPhoneMobile: { enabled: true, syncEnabled: true } }), counts({ teamsOperatorConnect: 2, teamsPhoneMobile: 3 })),
      409,
      'TenantIdLocked',
      'serviceDetails.teamsTenantId',
      'teamsTenantId cannot change while the account has 5 Operator Connect or Teams Phone Mobile numbers.',
    );
    expectRefusal(
      () => checkAccountChange(withTenant(TENANT), withTenant(undefined, { teamsPhoneMobile: { enabled: true, syncEnabled: false } }), counts({ teamsPhoneMobile: 1 })),
      409,
      'TenantIdLocked',
      'serviceDetails.teamsTenantId',
      'teamsTenantId cannot change while the account has 1 Operator Connect or Teams Phone Mobile numbers.',
    );
  });

  it('takes accounts without service details', () => {
    expect(() => checkAccountChange({ name: 'x' }, { name: 'x' }, zeroCounts())).not.toThrow();
  });

  it('lets the tenant change without Teams numbers, and a change of case is no change', () => {
    expect(() => checkAccountChange(withTenant(TENANT), withTenant(undefined), counts({ teamsDirectRouting: 0 }))).not.toThrow();
    expect(() => checkAccountChange(withTenant(TENANT, oc), withTenant(TENANT.toUpperCase(), oc), counts({ teamsOperatorConnect: 7 }))).not.toThrow();
  });

  it('keeps a service enabled while numbers use it, naming every such service', () => {
    expectRefusal(
      () => checkAccountChange(withTenant(undefined), withTenant(undefined), counts({ zoomPhoneCloudPeering: 1, azureOperatorCallProtection: 2 })),
      409,
      'ServiceInUse',
      'serviceDetails.zoomPhoneCloudPeering',
      'Cannot disable zoomPhoneCloudPeering, azureOperatorCallProtection: numbers of this account use it. Disable the service on those numbers or delete them first.',
    );
    const enabled = withTenant(undefined, { zoomPhoneCloudPeering: { enabled: true, syncEnabled: false } });
    expect(() => checkAccountChange(enabled, enabled, counts({ zoomPhoneCloudPeering: 1 }))).not.toThrow();
  });
});

describe('accountDesiredStatus', () => {
  it('is pending for an enabled OC/TPM service with sync or for Direct Routing DNS, synced otherwise', () => {
    const status = (serviceDetails: AccountDoc['serviceDetails']) => accountDesiredStatus({ name: 'x', serviceDetails });
    expect(status(undefined)).toBe('synced');
    expect(status({ teamsPhoneMobile: { enabled: true, syncEnabled: true } })).toBe('pending');
    expect(status({ teamsOperatorConnect: { enabled: true, syncEnabled: false } })).toBe('synced');
    expect(status({ teamsOperatorConnect: { enabled: false, syncEnabled: true } })).toBe('synced');
    expect(status({ zoomPhoneCloudPeering: { enabled: true, syncEnabled: true } })).toBe('synced');
    const config = { callScreening: false, subdomain: 'a', subdomainTokens: tokens };
    expect(status({ teamsDirectRouting: { enabled: true, syncEnabled: false, configuration: config } })).toBe('pending');
    expect(status({ teamsDirectRouting: { enabled: false, syncEnabled: false, configuration: config } })).toBe('synced');
    expect(status({ teamsDirectRouting: { enabled: true, syncEnabled: false } })).toBe('synced');
  });
});

describe('accountRepresentation', () => {
  it('adds counts, the subdomain status (Direct Routing only) and the backend state, in a fixed order', () => {
    const doc: AccountDoc = {
      name: 'acme',
      correlationId: 'c',
      serviceDetails: {
        teamsTenantId: TENANT,
        teamsDirectRouting: { syncEnabled: false, enabled: true },
        teamsOperatorConnect: { syncEnabled: true, enabled: true },
      },
    };
    const errors = [{ code: 'X', message: 'y' }];
    const rendered = accountRepresentation({ doc, counts: counts({ teamsOperatorConnect: 3, teamsDirectRouting: 1 }), backend: { status: 'failed', errors }, subdomainStatus: 'inconsistent' });
    expectOrdered(rendered, {
      name: 'acme',
      correlationId: 'c',
      serviceDetails: {
        teamsTenantId: TENANT,
        teamsOperatorConnect: { syncEnabled: true, enabled: true, numberCount: 3 },
        teamsDirectRouting: { syncEnabled: false, enabled: true, numberCount: 1, subdomainStatus: 'inconsistent' },
      },
      serviceProvisioningStatus: 'failed',
      serviceProvisioningErrors: errors,
    });
    const bare = accountRepresentation({ doc: { name: 'b' }, counts: zeroCounts(), backend: { status: 'synced', errors: [] }, subdomainStatus: 'notProvisioned' });
    expectOrdered(bare, { name: 'b', serviceProvisioningStatus: 'synced', serviceProvisioningErrors: [] });
    const noTenant = accountRepresentation({ doc: { name: 'n', serviceDetails: {} }, counts: zeroCounts(), backend: { status: 'synced', errors: [] }, subdomainStatus: 'notProvisioned' });
    expectOrdered(noTenant, { name: 'n', serviceDetails: {}, serviceProvisioningStatus: 'synced', serviceProvisioningErrors: [] });
  });
});

describe('normaliseNumber', () => {
  it('keeps the client fields in a fixed order, copies arrays and makes allowTenantAddressUpdate explicit', () => {
    const choosable = ['InboundCalling'];
    const input = {
      serviceProvisioningStatus: 'pending',
      configuration: { customSipHeader: 'h1' },
      serviceDetails: {
        azureOperatorCallProtection: { enabled: true },
        zoomPhoneCloudPeering: { enabled: false },
        teamsPhoneMobile: { enabled: false },
        teamsDirectRouting: { enabled: false },
        teamsOperatorConnect: {
          configuration: {
            displayedCountryCode: 'GB',
            locationId: 'loc',
            civicAddressId: 'civ',
            additionalUsages: ['Conference'],
            acquiredCapabilities: ['ReadOnly'],
            choosableCapabilities: choosable,
            usage: 'CallingUserAssignment',
          },
          assignmentStatus: 'assigned',
          enabled: true,
        },
      },
      accountName: 'acme',
      telephoneNumber: '+441',
    } as NumberInput;
    const doc = normaliseNumber(input);
    expectOrdered(doc, {
      telephoneNumber: '+441',
      accountName: 'acme',
      serviceDetails: {
        teamsOperatorConnect: {
          enabled: true,
          assignmentStatus: 'assigned',
          configuration: {
            usage: 'CallingUserAssignment',
            choosableCapabilities: ['InboundCalling'],
            additionalUsages: ['Conference'],
            civicAddressId: 'civ',
            locationId: 'loc',
            allowTenantAddressUpdate: false,
            displayedCountryCode: 'GB',
          },
        },
        teamsDirectRouting: { enabled: false },
        teamsPhoneMobile: { enabled: false },
        zoomPhoneCloudPeering: { enabled: false },
        azureOperatorCallProtection: { enabled: true },
      },
      configuration: { customSipHeader: 'h1' },
    });
    expect(doc.serviceDetails.teamsOperatorConnect?.configuration?.choosableCapabilities).not.toBe(choosable);
  });

  it('keeps allowTenantAddressUpdate when sent and leaves out absent parts', () => {
    const input = {
      telephoneNumber: '+442',
      accountName: 'acme',
      serviceDetails: { teamsPhoneMobile: { enabled: true, configuration: { usage: 'u', choosableCapabilities: [], allowTenantAddressUpdate: true } } },
      configuration: {},
    } as NumberInput;
    const doc = normaliseNumber(input);
    expectOrdered(doc, {
      telephoneNumber: '+442',
      accountName: 'acme',
      serviceDetails: { teamsPhoneMobile: { enabled: true, configuration: { usage: 'u', choosableCapabilities: [], allowTenantAddressUpdate: true } } },
      configuration: {},
    });
    const bare = normaliseNumber({ telephoneNumber: '+443', accountName: 'a', serviceDetails: { teamsOperatorConnect: { enabled: true } } } as NumberInput);
    expectOrdered(bare, { telephoneNumber: '+443', accountName: 'a', serviceDetails: { teamsOperatorConnect: { enabled: true } } });
  });
});

describe('validateNumber', () => {
  const account: AccountDoc = {
    name: 'acme',
    serviceDetails: {
      teamsTenantId: TENANT,
      teamsOperatorConnect: { enabled: true, syncEnabled: true },
      teamsPhoneMobile: { enabled: true, syncEnabled: false },
      teamsDirectRouting: { enabled: true, syncEnabled: false },
      zoomPhoneCloudPeering: { enabled: false, syncEnabled: false },
      azureOperatorCallProtection: { enabled: true },
    },
  };
  const number = (serviceDetails: NumberDoc['serviceDetails'], configuration?: NumberDoc['configuration']): NumberDoc => ({
    telephoneNumber: '+441',
    accountName: 'acme',
    serviceDetails,
    ...(configuration === undefined ? {} : { configuration }),
  });
  const teamsConfig = { usage: 'u', choosableCapabilities: [] };

  it('lists the enabled services in contract order', () => {
    expect(enabledServices(number({ azureOperatorCallProtection: { enabled: true }, teamsDirectRouting: { enabled: true }, teamsPhoneMobile: { enabled: false } }))).toEqual([
      'teamsDirectRouting',
      'azureOperatorCallProtection',
    ]);
  });

  it('accepts a valid number', () => {
    expect(validateNumber(number({ teamsOperatorConnect: { enabled: true, configuration: teamsConfig }, azureOperatorCallProtection: { enabled: true } }, { customSipHeader: 'h' }), account, '')).toEqual([]);
    expect(validateNumber(number({ teamsPhoneMobile: { enabled: true } }), account, '')).toEqual([]);
  });

  it('needs one enabled service; targets are prefixed with the batch item path', () => {
    const detail = { code: 'InvalidRequestContent', message: 'At least one service must be enabled on a number.' };
    expect(validateNumber(number({ teamsDirectRouting: { enabled: false } }), account, '')).toEqual([{ ...detail, target: 'serviceDetails' }]);
    expect(validateNumber(number({}), account, 'numbers[3]')).toEqual([{ ...detail, target: 'numbers[3].serviceDetails' }]);
  });

  it('allows one destination plus Call Protection', () => {
    expect(validateNumber(number({ teamsDirectRouting: { enabled: true }, teamsPhoneMobile: { enabled: true } }), account, '')).toEqual([
      {
        code: 'InvalidRequestContent',
        message: 'A number routes to one destination; teamsDirectRouting and teamsPhoneMobile cannot both be enabled (Call Protection combines with any).',
        target: 'serviceDetails',
      },
    ]);
  });

  it('refuses every pair of destinations', () => {
    const everything: AccountDoc = {
      name: 'acme',
      serviceDetails: Object.fromEntries(DESTINATION_SERVICES.map((s) => [s, { enabled: true, syncEnabled: false }])),
    };
    for (const first of DESTINATION_SERVICES) {
      for (const second of DESTINATION_SERVICES.filter((s) => s > first)) {
        const refused = validateNumber(number({ [first]: { enabled: true }, [second]: { enabled: true } }), everything, '');
        expect([first, second, refused.map((d) => d.message)]).toEqual([
          first,
          second,
          [`A number routes to one destination; ${[first, second].sort((a, b) => SERVICES.indexOf(a) - SERVICES.indexOf(b)).join(' and ')} cannot both be enabled (Call Protection combines with any).`],
        ]);
      }
    }
    expect(DESTINATION_SERVICES).toHaveLength(4);
  });

  it('needs each enabled service enabled on the account', () => {
    expect(validateNumber(number({ zoomPhoneCloudPeering: { enabled: true } }), account, 'n')).toEqual([
      { code: 'ServiceNotEnabledOnAccount', message: 'zoomPhoneCloudPeering is not enabled on account acme.', target: 'n.serviceDetails.zoomPhoneCloudPeering.enabled' },
    ]);
  });

  it('refuses a custom SIP header unless a header-capable service is enabled', () => {
    const refused = {
      code: 'InvalidRequestContent',
      message: 'customSipHeader is not supported for Teams Phone Mobile or Azure Operator Call Protection numbers.',
      target: 'configuration.customSipHeader',
    };
    expect(validateNumber(number({ teamsPhoneMobile: { enabled: true }, azureOperatorCallProtection: { enabled: true } }, { customSipHeader: 'h' }), account, '')).toEqual([refused]);
    expect(validateNumber(number({ teamsDirectRouting: { enabled: true } }, { customSipHeader: 'h' }), account, '')).toEqual([]);
    expect(validateNumber(number({ teamsOperatorConnect: { enabled: true, configuration: teamsConfig } }, { customSipHeader: 'h' }), account, '')).toEqual([]);
    const zoom: AccountDoc = { name: 'acme', serviceDetails: { zoomPhoneCloudPeering: { enabled: true, syncEnabled: false } } };
    expect(validateNumber(number({ zoomPhoneCloudPeering: { enabled: true } }, { customSipHeader: 'h' }), zoom, '')).toEqual([]);
    expect(validateNumber(number({ teamsPhoneMobile: { enabled: true } }, {}), account, '')).toEqual([]);
    // No service at all: only the "one service" detail, not a header detail on top.
    expect(validateNumber(number({}, { customSipHeader: 'h' }), account, '')).toHaveLength(1);
  });

  it('needs the Teams configuration to upload when the account syncs that service', () => {
    const syncing: AccountDoc = { ...account, serviceDetails: { ...account.serviceDetails, teamsPhoneMobile: { enabled: true, syncEnabled: true } } };
    expect(validateNumber(number({ teamsOperatorConnect: { enabled: true } }), syncing, '')).toEqual([
      {
        code: 'InvalidRequestContent',
        message: 'teamsOperatorConnect.configuration (usage, choosableCapabilities) is required to upload the number to Operator Connect.',
        target: 'serviceDetails.teamsOperatorConnect.configuration',
      },
    ]);
    expect(validateNumber(number({ teamsPhoneMobile: { enabled: true } }), syncing, '')).toEqual([
      {
        code: 'InvalidRequestContent',
        message: 'teamsPhoneMobile.configuration (usage, choosableCapabilities) is required to upload the number to Teams Phone Mobile.',
        target: 'serviceDetails.teamsPhoneMobile.configuration',
      },
    ]);
    // Without sync on the account there is nothing to upload.
    expect(validateNumber(number({ teamsPhoneMobile: { enabled: true } }), account, '')).toEqual([]);
  });
});

describe('numberDesiredStatus and numberRepresentation', () => {
  const syncing: AccountDoc = { name: 'acme', serviceDetails: { teamsOperatorConnect: { enabled: true, syncEnabled: true }, teamsPhoneMobile: { enabled: true, syncEnabled: false } } };

  it('is pending only for an enabled service the account syncs', () => {
    const status = (serviceDetails: NumberDoc['serviceDetails']) => numberDesiredStatus({ telephoneNumber: '+1', accountName: 'acme', serviceDetails }, syncing);
    expect(status({ teamsOperatorConnect: { enabled: true } })).toBe('pending');
    expect(status({ teamsOperatorConnect: { enabled: false } })).toBe('synced');
    expect(status({ teamsPhoneMobile: { enabled: true } })).toBe('synced');
    expect(status({ teamsDirectRouting: { enabled: true } })).toBe('synced');
  });

  it('shows what Operator Connect reports for uploaded Teams services, in a fixed order', () => {
    const doc: NumberDoc = {
      telephoneNumber: '+441',
      accountName: 'acme',
      serviceDetails: {
        teamsOperatorConnect: { enabled: true, assignmentStatus: 'unassigned', configuration: { usage: 'u', choosableCapabilities: ['c'], civicAddressId: 'civ', allowTenantAddressUpdate: false } },
        teamsPhoneMobile: { enabled: false, configuration: { usage: 'v', choosableCapabilities: [] } },
        azureOperatorCallProtection: { enabled: true },
      },
      configuration: { customSipHeader: 'h' },
    };
    const readBack = { acquiredCapabilities: ['a'], availableCapabilities: ['b'], assignmentStatus: 'assigned' as const };
    const rendered = numberRepresentation(doc, { status: 'synced', errors: [], readBack });
    expectOrdered(rendered, {
      telephoneNumber: '+441',
      accountName: 'acme',
      serviceDetails: {
        teamsOperatorConnect: {
          enabled: true,
          assignmentStatus: 'assigned',
          configuration: { usage: 'u', choosableCapabilities: ['c'], acquiredCapabilities: ['a'], availableCapabilities: ['b'], civicAddressId: 'civ', allowTenantAddressUpdate: false },
        },
        teamsPhoneMobile: { enabled: false, configuration: { usage: 'v', choosableCapabilities: [] } },
        azureOperatorCallProtection: { enabled: true },
      },
      configuration: { customSipHeader: 'h' },
      serviceProvisioningStatus: 'synced',
      serviceProvisioningErrors: [],
    });
    // The stored document is not changed by rendering it.
    expect(doc.serviceDetails.teamsOperatorConnect?.assignmentStatus).toBe('unassigned');
  });

  it('renders the stored settings as they are without a read-back, and an enabled service without configuration untouched', () => {
    const doc: NumberDoc = { telephoneNumber: '+442', accountName: 'acme', serviceDetails: { teamsOperatorConnect: { enabled: true } } };
    const errors = [{ code: 'E', message: 'm' }];
    expectOrdered(numberRepresentation(doc, { status: 'failed', errors }), {
      telephoneNumber: '+442',
      accountName: 'acme',
      serviceDetails: { teamsOperatorConnect: { enabled: true } },
      serviceProvisioningStatus: 'failed',
      serviceProvisioningErrors: errors,
    });
    const readBack = { acquiredCapabilities: [], availableCapabilities: [], assignmentStatus: 'assigned' as const };
    expect(numberRepresentation(doc, { status: 'synced', errors: [], readBack }).serviceDetails).toEqual({ teamsOperatorConnect: { enabled: true } });
    // Uploadable but not read back yet: shown as stored, nothing of Operator Connect's made up.
    const configured: NumberDoc = { ...doc, serviceDetails: { teamsOperatorConnect: { enabled: true, configuration: { usage: 'u', choosableCapabilities: [] } } } };
    expectOrdered(numberRepresentation(configured, { status: 'pending', errors: [] }).serviceDetails, configured.serviceDetails);
  });
});
