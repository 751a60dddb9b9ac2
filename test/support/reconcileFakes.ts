/**
 * For unit-level suites of the flow-through reconcile (shared/flowthrough/reconcile/): one
 * in-memory Azurite per suite for the tables the reconcile reads and writes, an in-memory
 * Operator Connect that records every call and plays scripted answers and OcErrors, and a DNS port
 * kept in a map. No host, no HTTP API: the reconcile functions are called directly.
 *
 * `TEST_TABLES_CONNECTION_STRING`, when set, names an Azurite (or storage) already running: the suite
 * uses it with a fresh table prefix instead of starting its own (a mutation run starts one for all
 * mutants, scripts/mutation.mjs).
 */
import { randomInt } from 'node:crypto';
import { startAzurite } from '../../dev/azurite';
import { DnsError, normaliseFqdn, type DnsPort, type TxtRecord } from '../../shared/flowthrough/dns/port';
import {
  OcError,
  type NumberUpdate,
  type OcCallingProfile,
  type OcConsent,
  type OcNumber,
  type OcOrder,
  type OperatorConnect,
  type UploadOrder,
} from '../../shared/flowthrough/oc/port';

export interface TableStorage {
  readonly connectionString: string;
  readonly tablePrefix: string;
  stop(): Promise<void>;
}

const randomPrefix = () => 't' + Array.from({ length: 10 }, () => String.fromCharCode(97 + randomInt(26))).join('');

/**
 * Points the store modules at an in-memory Azurite with a fresh table prefix. Call in beforeAll,
 * before the first store call (the app configuration is read on first use).
 */
export async function startTableStorage(): Promise<TableStorage> {
  const given = process.env.TEST_TABLES_CONNECTION_STRING;
  const azurite = given === undefined || given === '' ? await startAzurite({ port: 0 }) : undefined;
  const connectionString = azurite?.connectionString ?? (given as string);
  const tablePrefix = randomPrefix();
  const previous = { TABLES_CONNECTION_STRING: process.env.TABLES_CONNECTION_STRING, TABLE_PREFIX: process.env.TABLE_PREFIX, TABLES_ENDPOINT: process.env.TABLES_ENDPOINT };
  process.env.TABLES_CONNECTION_STRING = connectionString;
  process.env.TABLE_PREFIX = tablePrefix;
  delete process.env.TABLES_ENDPOINT;
  return {
    connectionString,
    tablePrefix,
    async stop() {
      await azurite?.stop();
      for (const [name, value] of Object.entries(previous)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    },
  };
}

export type OcMethod = keyof OperatorConnect;
const PASS = Symbol('pass');
export type OcCall = readonly [OcMethod, ...unknown[]];

/** A consent as Operator Connect returns it. */
export function consentOf(tenantId: string, status: OcConsent['status'] = 'Active'): OcConsent {
  return { id: `consent-${tenantId}`, tenantId, operatorId: 'op', status, consentedOn: '', lastModifiedOn: '', consentedCountries: [], contacts: [] };
}

/** A number as Operator Connect lists it. */
export function ocNumberOf(tenantId: string, telephoneNumber: string, extra: Partial<OcNumber> = {}): OcNumber {
  return {
    telephoneNumber,
    tenantId,
    usage: 'CallingUserAssignment',
    additionalUsages: [],
    acquiredCapabilities: ['InboundCalling'],
    availableCapabilities: ['InboundCalling', 'OutboundCalling'],
    allowTenantAddressUpdate: false,
    assignmentStatus: 'assigned',
    ...extra,
  } as OcNumber;
}

/** An order as Operator Connect returns it. */
export function orderOf(orderId: string, type: OcOrder['type'], tenantId: string, status: OcOrder['status'], results: { telephoneNumber: string; status: 'Succeeded' | 'Failed' | 'Pending'; errorCode?: string; errorMessage?: string }[], createdAt = ''): OcOrder {
  return { orderId, type, tenantId, status, createdAt, results } as OcOrder;
}

/**
 * Operator Connect in memory. Every call is recorded in `calls` (method and arguments); `fail(method,
 * err)` makes the next call of that method throw; order submissions answer `order-1`, `order-2`, ...
 */
export class FakeOc implements OperatorConnect {
  readonly calls: OcCall[] = [];
  readonly consents = new Map<string, OcConsent>();
  readonly numbers = new Map<string, OcNumber[]>();
  readonly orders = new Map<string, OcOrder>();
  profiles: OcCallingProfile[] = [];
  private readonly failures = new Map<OcMethod, unknown[]>();
  private orderCount = 0;

  fail(method: OcMethod, err: unknown): this {
    this.failures.set(method, [...(this.failures.get(method) ?? []), err]);
    return this;
  }

  /** The next call of the method answers normally (to script a failure of a later call). */
  pass(method: OcMethod): this {
    return this.fail(method, PASS);
  }

  /** The calls of these methods only (all when none given). */
  callsOf(...methods: OcMethod[]): OcCall[] {
    return this.calls.filter(([m]) => methods.length === 0 || methods.includes(m));
  }

  private record(method: OcMethod, ...args: unknown[]): void {
    this.calls.push([method, ...args]);
    const queued = this.failures.get(method);
    if (queued === undefined || queued.length === 0) return;
    const next = queued.shift();
    if (next !== PASS) throw next;
  }

  private newOrder(): { orderId: string } {
    this.orderCount += 1;
    return { orderId: `order-${this.orderCount}` };
  }

  async listConsents(): Promise<OcConsent[]> {
    this.record('listConsents');
    return [...this.consents.values()];
  }
  async getConsent(tenantId: string): Promise<OcConsent | undefined> {
    this.record('getConsent', tenantId);
    return this.consents.get(tenantId);
  }
  async updateCustomerRelationship(tenantId: string): Promise<OcConsent> {
    this.record('updateCustomerRelationship', tenantId);
    throw new OcError('permanent', 400, 'NotImplemented', 'not in the fake');
  }
  async listCallingProfiles(): Promise<OcCallingProfile[]> {
    this.record('listCallingProfiles');
    return this.profiles;
  }
  async getCapabilityPlans(tenantId: string): Promise<never[]> {
    this.record('getCapabilityPlans', tenantId);
    return [];
  }
  async getAvailableCapabilities(tenantId: string, telephoneNumbers: readonly string[]): Promise<{ telephoneNumber: string; availableCapabilities: string[] }[]> {
    this.record('getAvailableCapabilities', tenantId, telephoneNumbers);
    return [];
  }
  async listCivicAddresses(tenantId: string): Promise<never[]> {
    this.record('listCivicAddresses', tenantId);
    return [];
  }
  async getCivicAddress(tenantId: string, civicAddressId: string): Promise<undefined> {
    this.record('getCivicAddress', tenantId, civicAddressId);
    return undefined;
  }
  async listNumbers(tenantId: string): Promise<OcNumber[]> {
    this.record('listNumbers', tenantId);
    return this.numbers.get(tenantId) ?? [];
  }
  async getNumber(tenantId: string, telephoneNumber: string): Promise<OcNumber | undefined> {
    this.record('getNumber', tenantId, telephoneNumber);
    return (this.numbers.get(tenantId) ?? []).find((n) => n.telephoneNumber === telephoneNumber);
  }
  async updateNumber(tenantId: string, telephoneNumber: string, update: NumberUpdate): Promise<OcNumber> {
    this.record('updateNumber', tenantId, telephoneNumber, update);
    return ocNumberOf(tenantId, telephoneNumber);
  }
  async submitUpload(order: UploadOrder): Promise<{ orderId: string }> {
    this.record('submitUpload', order);
    return this.newOrder();
  }
  async submitRelease(tenantId: string, telephoneNumbers: readonly string[]): Promise<{ orderId: string }> {
    this.record('submitRelease', tenantId, [...telephoneNumbers]);
    return this.newOrder();
  }
  async submitUnassign(tenantId: string, telephoneNumbers: readonly string[]): Promise<{ orderId: string }> {
    this.record('submitUnassign', tenantId, [...telephoneNumbers]);
    return this.newOrder();
  }
  async getOrder(orderId: string): Promise<OcOrder | undefined> {
    this.record('getOrder', orderId);
    return this.orders.get(orderId);
  }
  async listOrders(tenantId: string, createdAfter?: string): Promise<OcOrder[]> {
    this.record('listOrders', tenantId, createdAfter);
    return [...this.orders.values()].filter((o) => o.tenantId === tenantId);
  }
}

/** A DNS port over a map (names normalised); `fail(method, err)` makes the next call throw. */
export class FakeDns implements DnsPort {
  readonly records = new Map<string, string>();
  readonly calls: [string, ...unknown[]][] = [];
  private readonly failures = new Map<string, DnsError[]>();

  fail(method: 'read' | 'upsert' | 'remove', err: DnsError): this {
    this.failures.set(method, [...(this.failures.get(method) ?? []), err]);
    return this;
  }

  private record(method: string, ...args: unknown[]): void {
    this.calls.push([method, ...args]);
    const queued = this.failures.get(method);
    if (queued !== undefined && queued.length > 0) throw queued.shift();
  }

  async read(fqdns: readonly string[]): Promise<Map<string, string[]>> {
    this.record('read', [...fqdns]);
    const out = new Map<string, string[]>();
    for (const name of fqdns) {
      const value = this.records.get(normaliseFqdn(name));
      if (value !== undefined) out.set(name, [value]);
    }
    return out;
  }
  async upsert(record: TxtRecord): Promise<void> {
    this.record('upsert', record);
    this.records.set(normaliseFqdn(record.fqdn), record.value);
  }
  async remove(fqdn: string): Promise<void> {
    this.record('remove', fqdn);
    this.records.delete(normaliseFqdn(fqdn));
  }
}
