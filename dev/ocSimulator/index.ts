/**
 * Operator Connect simulator: a local stand-in for the Microsoft Teams Operator Connect partner API
 * (docs/oc-simulator.md), started by tests, benchmarks and `npm start`. This module is the programmatic
 * face: it starts the HTTP server and offers the same customer-side and control actions as `/_sim`.
 */
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { addApp, removeApp, updateApp, type AppSpec } from './apps';
import { VirtualClock, type ClockMode } from './clock';
import type { OcSimCounters } from './counters';
import { addConsent, reactivateConsent, removeConsent, suspendConsent, type ConsentSpec } from './customerConsents';
import { assignNumber, releaseNumberByTenant, unassignNumber, updateEmergencyAddressByTenant, type AssignmentTarget } from './customerNumbers';
import type { FaultSpec } from './faults';
import type { AppRecord, CallingProfileRecord, ConsentRecord, NumberRecord, OcRole, OrderRecord, TenantRecord } from './model';
import { SIM_CLIENT_ID, SIM_CLIENT_SECRET, SIM_OPERATOR_ID, SIM_OPERATOR_TENANT_ID, SIM_SCOPE } from './seed';
import { createSimulatorServer } from './server';
import { DEFAULT_SETTINGS, mergeSettings, type OcSimSettings, type OrderTimes, type RemovalPolicy } from './settings';
import { Simulation } from './simulation';
import { addCivicAddress, createTenant, type CivicAddressSpec, type TenantSpec } from './tenants';
import { mintAccessToken } from './tokenEndpoint';

export {
  SIM_ADDRESSES,
  SIM_CLIENT_ID,
  SIM_CLIENT_SECRET,
  SIM_LOCATIONS,
  SIM_NUMBER_RANGES,
  SIM_OPERATOR_ID,
  SIM_OPERATOR_TENANT_ID,
  SIM_PROFILE_CALLING_CONFERENCING_ID,
  SIM_PROFILE_CALLING_ID,
  SIM_PROFILE_MOBILE_ID,
  SIM_READER_CLIENT_ID,
  SIM_READER_CLIENT_SECRET,
  SIM_RESOURCE,
  SIM_SCOPE,
  SIM_SEED_NUMBERS,
  SIM_TENANT_GB,
  SIM_TENANT_PENDING_SETUP,
  SIM_TENANT_REMOVED,
  SIM_TENANT_SUSPENDED,
  SIM_TENANT_US,
  SIM_TENANT_WITHOUT_CONSENT,
  SIM_UNREGISTERED_CLIENT_ID,
  SIM_UNREGISTERED_CLIENT_SECRET,
  simNumber,
} from './seed';
export { OC_SIM_ERROR_CODES, SimError, type OcSimErrorCode } from './errors';
export { OC_ROLES } from './model';
export type { AppSpec, AssignmentTarget, CivicAddressSpec, ClockMode, ConsentSpec, FaultSpec, OcRole, OcSimCounters, OcSimSettings, OrderTimes, RemovalPolicy, TenantSpec };
export type { AppRecord, CallingProfileRecord, ConsentRecord, NumberRecord, OrderRecord, TenantRecord };
export type { NumberAlreadyExistsMode } from './settings';
export type { LocationSpec } from './tenants';
export type { ContactSpec } from './customerConsents';

export interface OcSimulatorOptions {
  /** 0 (default) picks a free port. */
  readonly port?: number;
  /** Default 127.0.0.1. */
  readonly host?: string;
  /** `real` (default): virtual time follows real time × timeScale. `manual`: time moves only on advance(). */
  readonly clock?: ClockMode;
  /** Virtual ms per real ms in `real` mode (default 1). */
  readonly timeScale?: number;
  /** Order t1/t2 in virtual ms (default 1 000 / 3 000). */
  readonly orderTimes?: OrderTimes;
  /** Per app id (default 100); null disables throttling. */
  readonly throttlePerMinute?: number | null;
  /** Seed tenants, consents and numbers (default true). Apps and calling profiles are always there. */
  readonly seed?: boolean;
  /** Default `/oc/v1`. */
  readonly apiPrefix?: string;
  /** Virtual time at start (default: the wall clock at start). */
  readonly startAt?: number | Date;
  /** Any other knob (listLagMs, maxNumbersPerOrder, numberAlreadyExists, removalPolicy, page sizes, ...). */
  readonly settings?: Partial<OcSimSettings>;
}

/** Live, read-only views of the simulated world (orders settled up to now on every read). */
export interface OcSimStateView {
  readonly operatorId: string;
  readonly operatorTenantId: string;
  readonly apps: ReadonlyMap<string, Readonly<AppRecord>>;
  readonly callingProfiles: ReadonlyMap<string, CallingProfileRecord>;
  readonly tenants: ReadonlyMap<string, Readonly<TenantRecord>>;
  /** Keyed by tenant id. */
  readonly consents: ReadonlyMap<string, Readonly<ConsentRecord>>;
  /** Numbers held by a tenant now, keyed by telephone number (ownership, not the lagging list view). */
  readonly numbers: ReadonlyMap<string, Readonly<NumberRecord>>;
  readonly orders: ReadonlyMap<string, Readonly<OrderRecord>>;
}

export interface OcSimulator {
  /** Origin, no trailing slash. */
  readonly url: string;
  /** url + API prefix. */
  readonly apiBaseUrl: string;
  /** Token endpoint for a tenant (default: the operator's tenant, the only one the seeded apps live in). */
  tokenUrl(tenant?: string): string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** What the client asks for in `scope`. */
  readonly scope: string;
  readonly operatorTenantId: string;
  readonly operatorId: string;

  /** Moves virtual time forward (either clock mode) and runs every order step due by then. */
  advance(ms: number): void;
  /** Virtual epoch ms. */
  now(): number;

  /** Arms a fault; returns its id. */
  addFault(spec: FaultSpec): string;
  removeFault(id: string): boolean;
  clearFaults(): void;
  /** Real ms added before every API and token call. */
  setLatency(ms: number): void;
  readonly settings: OcSimSettings;
  configure(settings: Partial<OcSimSettings>): OcSimSettings;

  /** Returns the tenant id. */
  addTenant(spec?: TenantSpec): string;
  /** Returns the new address id. */
  addCivicAddress(tenantId: string, spec: CivicAddressSpec): string;
  /** The customer adds the operator (creating the tenant if needed); returns the tenant id. */
  addConsent(spec?: ConsentSpec): string;
  suspendConsent(tenantId: string): void;
  reactivateConsent(tenantId: string): void;
  removeConsent(tenantId: string, policy?: RemovalPolicy): void;
  assignNumber(tenantId: string, telephoneNumber: string, targetType?: AssignmentTarget): void;
  unassignNumber(tenantId: string, telephoneNumber: string): void;
  /** Tenant-side release (B7): no operator order involved. */
  releaseNumber(tenantId: string, telephoneNumber: string): void;
  updateEmergencyAddress(tenantId: string, telephoneNumber: string, address: { civicAddressId?: string; locationId?: string }): void;
  addApp(spec?: AppSpec): { clientId: string; clientSecret: string };
  updateApp(clientId: string, patch: Partial<Omit<AppSpec, 'clientId'>>): void;
  removeApp(clientId: string): void;
  /** A signed token without the token endpoint, e.g. with odd roles or already expired (negative lifetime). */
  issueToken(options?: { clientId?: string; roles?: readonly OcRole[]; lifetimeSeconds?: number }): string;

  readonly state: OcSimStateView;
  readonly counters: OcSimCounters;
  resetCounters(): void;
  /** Initial world and settings again; faults, counters and throttle cleared; the clock keeps its time. */
  reset(options?: { seed?: boolean }): void;
  close(): Promise<void>;
}

function normalisePrefix(prefix: string): string {
  const trimmed = prefix.trim().replace(/\/+$/, '');
  if (trimmed === '') return '';
  return trimmed.startsWith('/') ? trimmed : `/${trimmed}`;
}

export async function startOcSimulator(options: OcSimulatorOptions = {}): Promise<OcSimulator> {
  const startAt = options.startAt instanceof Date ? options.startAt.getTime() : (options.startAt ?? Date.now());
  const clock = new VirtualClock(options.clock ?? 'real', startAt, options.timeScale ?? 1);
  const settings = mergeSettings(DEFAULT_SETTINGS, {
    ...options.settings,
    ...(options.orderTimes !== undefined && { orderTimes: options.orderTimes }),
    ...(options.throttlePerMinute !== undefined && { throttlePerMinute: options.throttlePerMinute }),
  });
  const sim = new Simulation({ clock, settings, apiPrefix: normalisePrefix(options.apiPrefix ?? '/oc/v1'), seed: options.seed ?? true });

  const server = createSimulatorServer(sim);
  // Longer than client pools keep idle sockets (Node's 5 s default races them into ECONNRESET).
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  const host = options.host ?? '127.0.0.1';
  server.listen(options.port ?? 0, host);
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const publicHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  sim.url = `http://${publicHost}:${port}`;

  /** Every programmatic action first brings orders up to now, like an HTTP call would. */
  const act = <T>(action: (nowMs: number) => T): T => action(sim.settle());

  return {
    url: sim.url,
    apiBaseUrl: sim.apiBaseUrl,
    tokenUrl: (tenant = SIM_OPERATOR_TENANT_ID) => `${sim.url}/${encodeURIComponent(tenant)}/oauth2/v2.0/token`,
    clientId: SIM_CLIENT_ID,
    clientSecret: SIM_CLIENT_SECRET,
    scope: SIM_SCOPE,
    operatorTenantId: SIM_OPERATOR_TENANT_ID,
    operatorId: SIM_OPERATOR_ID,

    advance(ms) {
      sim.clock.advance(ms);
      sim.settle();
    },
    now: () => sim.clock.now(),

    addFault: (spec) => act((nowMs) => sim.faults.add(spec, nowMs, sim.apiPrefix).id),
    removeFault: (id) => sim.faults.remove(id),
    clearFaults: () => sim.faults.clear(),
    setLatency(ms) {
      sim.settings = mergeSettings(sim.settings, { latencyMs: ms });
    },
    get settings() {
      return sim.settings;
    },
    configure(patch) {
      sim.settings = mergeSettings(sim.settings, patch);
      return sim.settings;
    },

    addTenant: (spec = {}) => act(() => createTenant(sim.state, spec).tenantId),
    addCivicAddress: (tenantId, spec) => act(() => addCivicAddress(sim.state, tenantId, spec).id),
    addConsent: (spec = {}) => act((nowMs) => addConsent(sim.state, spec, nowMs).tenantId),
    suspendConsent: (tenantId) => act((nowMs) => void suspendConsent(sim.state, tenantId, nowMs)),
    reactivateConsent: (tenantId) => act((nowMs) => void reactivateConsent(sim.state, tenantId, nowMs)),
    removeConsent: (tenantId, policy) =>
      act((nowMs) => void removeConsent(sim.state, tenantId, nowMs, policy ?? sim.settings.removalPolicy, sim.settings.listLagMs)),
    assignNumber: (tenantId, telephoneNumber, targetType = 'user') => act(() => void assignNumber(sim.state, tenantId, telephoneNumber, { targetType })),
    unassignNumber: (tenantId, telephoneNumber) => act(() => void unassignNumber(sim.state, tenantId, telephoneNumber)),
    releaseNumber: (tenantId, telephoneNumber) => act((nowMs) => releaseNumberByTenant(sim.state, tenantId, telephoneNumber, nowMs, sim.settings.listLagMs)),
    updateEmergencyAddress: (tenantId, telephoneNumber, address) => act(() => void updateEmergencyAddressByTenant(sim.state, tenantId, telephoneNumber, address)),
    addApp: (spec = {}) =>
      act(() => {
        const app = addApp(sim.state, spec);
        return { clientId: app.clientId, clientSecret: app.clientSecret };
      }),
    updateApp: (clientId, patch) => act(() => void updateApp(sim.state, clientId, patch)),
    removeApp: (clientId) => act(() => removeApp(sim.state, clientId)),
    issueToken: (tokenOptions = {}) =>
      act((nowMs) => {
        const clientId = tokenOptions.clientId ?? SIM_CLIENT_ID;
        const roles = tokenOptions.roles ?? sim.state.apps.get(clientId)?.roles ?? [];
        return mintAccessToken(sim, { clientId, roles: [...roles] }, nowMs, tokenOptions.lifetimeSeconds ?? sim.settings.tokenLifetimeSeconds);
      }),

    get state(): OcSimStateView {
      sim.settle();
      return sim.state;
    },
    get counters() {
      sim.settle(); // owners change as orders finish
      return sim.counters.snapshot(sim.state.numbers);
    },
    resetCounters: () => sim.counters.reset(),
    reset: (resetOptions = {}) => sim.reset(resetOptions.seed),
    async close() {
      const closed = new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
      server.closeAllConnections();
      await closed;
    },
  };
}
