/**
 * Test-control routes under `/_sim` (docs/oc-simulator.md, "Customer side and test control"): the customer's actions in the Teams
 * admin centre, the clock, faults, knobs, apps, counters, reset and a state dump. They need no token,
 * are never throttled, faulted or counted, and are not part of the Operator Connect API.
 */
import { addApp, removeApp, updateApp } from './apps';
import { asObject, invalidField, optionalBoolean, optionalEnum, optionalNumber } from './bodyFields';
import { addConsent, reactivateConsent, removeConsent, suspendConsent } from './customerConsents';
import { assignNumber, releaseNumberByTenant, unassignNumber, updateEmergencyAddressByTenant } from './customerNumbers';
import { SimError } from './errors';
import { jsonResponse, noContent, type SimRequest, type SimResponse } from './exchange';
import type { ActiveFault } from './faults';
import type { AppRecord, TenantRecord } from './model';
import { RouteTable } from './router';
import { mergeSettings, REMOVAL_POLICIES } from './settings';
import type { Simulation } from './simulation';
import { addCivicAddress, createTenant, requireTenant } from './tenants';
import { iso, wireCallingProfile, wireCivicAddress, wireConsent, wireNumber, wireOrder } from './wire';

interface ControlContext {
  readonly sim: Simulation;
  readonly request: SimRequest;
  readonly params: Readonly<Record<string, string>>;
  readonly nowMs: number;
}

type ControlHandler = (context: ControlContext) => SimResponse;

function param(context: ControlContext, name: string): string {
  const value = context.params[name];
  if (value === undefined) throw new Error(`route has no {${name}}`);
  return value;
}

/** Bodies are optional on action routes (`:suspend`, `:reset`...): an empty body reads as `{}`. */
function bodyOrEmpty(request: SimRequest): Readonly<Record<string, unknown>> {
  return request.body === undefined ? {} : asObject(request.body);
}

function wireFault(fault: ActiveFault) {
  return { id: fault.id, ...fault.spec, hits: fault.hits, ...(fault.remaining !== undefined && { remaining: fault.remaining }) };
}

function wireApp(app: AppRecord) {
  return { clientId: app.clientId, clientSecret: app.clientSecret, displayName: app.displayName, roles: [...app.roles], registeredInPortal: app.registeredInPortal };
}

function wireTenant(sim: Simulation, tenant: TenantRecord) {
  return { tenantId: tenant.tenantId, name: tenant.name, civicAddresses: tenant.civicAddresses.map((address) => wireCivicAddress(address, sim.state.operatorId)) };
}

function clockView(sim: Simulation, nowMs: number) {
  return { mode: sim.clock.mode, timeScale: sim.clock.timeScale, nowMs, now: iso(nowMs) };
}

function stateView(sim: Simulation, nowMs: number) {
  const { state } = sim;
  return {
    clock: clockView(sim, nowMs),
    operatorId: state.operatorId,
    operatorTenantId: state.operatorTenantId,
    apps: [...state.apps.values()].map(wireApp),
    callingProfiles: [...state.callingProfiles.values()].map(wireCallingProfile),
    tenants: [...state.tenants.values()].map((tenant) => wireTenant(sim, tenant)),
    consents: [...state.consents.values()].map((consent) => wireConsent(consent, state.operatorId)),
    numbers: [...state.numbers.values()].map((number) => ({ ...wireNumber(number), visibleFrom: iso(number.visibleFrom) })),
    orders: [...state.orders.values()].map(wireOrder),
    settings: sim.settings,
    faults: sim.faults.list().map(wireFault),
    counters: sim.counters.snapshot(state.numbers),
  };
}

const routes = new RouteTable<ControlHandler>([
  { method: 'GET', pattern: '/_sim/state', handler: ({ sim, nowMs }) => jsonResponse(200, stateView(sim, nowMs)) },
  {
    method: 'POST',
    pattern: '/_sim/reset',
    handler: ({ sim, request }) => {
      sim.reset(optionalBoolean(bodyOrEmpty(request), 'seed'));
      return noContent;
    },
  },
  { method: 'GET', pattern: '/_sim/clock', handler: ({ sim, nowMs }) => jsonResponse(200, clockView(sim, nowMs)) },
  {
    method: 'POST',
    pattern: '/_sim/clock:advance',
    handler: ({ sim, request }) => {
      const ms = optionalNumber(asObject(request.body), 'ms', { min: 0 });
      if (ms === undefined) throw invalidField('ms', 'ms (virtual milliseconds to advance) is required.');
      sim.clock.advance(ms);
      return jsonResponse(200, clockView(sim, sim.settle()));
    },
  },
  { method: 'GET', pattern: '/_sim/settings', handler: ({ sim }) => jsonResponse(200, sim.settings) },
  {
    method: 'PATCH',
    pattern: '/_sim/settings',
    handler: ({ sim, request }) => {
      sim.settings = mergeSettings(sim.settings, request.body);
      return jsonResponse(200, sim.settings);
    },
  },
  { method: 'GET', pattern: '/_sim/counters', handler: ({ sim }) => jsonResponse(200, sim.counters.snapshot(sim.state.numbers)) },
  {
    method: 'POST',
    pattern: '/_sim/counters:reset',
    handler: ({ sim }) => {
      sim.counters.reset();
      return noContent;
    },
  },
  { method: 'GET', pattern: '/_sim/faults', handler: ({ sim }) => jsonResponse(200, { value: sim.faults.list().map(wireFault) }) },
  { method: 'POST', pattern: '/_sim/faults', handler: ({ sim, request, nowMs }) => jsonResponse(201, wireFault(sim.faults.add(request.body, nowMs, sim.apiPrefix))) },
  {
    method: 'DELETE',
    pattern: '/_sim/faults',
    handler: ({ sim }) => {
      sim.faults.clear();
      return noContent;
    },
  },
  {
    method: 'DELETE',
    pattern: '/_sim/faults/{faultId}',
    handler: (context) => {
      const faultId = param(context, 'faultId');
      if (!context.sim.faults.remove(faultId)) throw new SimError(404, 'FaultNotFound', `No fault ${faultId} is armed.`);
      return noContent;
    },
  },
  { method: 'GET', pattern: '/_sim/apps', handler: ({ sim }) => jsonResponse(200, { value: [...sim.state.apps.values()].map(wireApp) }) },
  { method: 'POST', pattern: '/_sim/apps', handler: ({ sim, request }) => jsonResponse(201, wireApp(addApp(sim.state, bodyOrEmpty(request)))) },
  { method: 'PATCH', pattern: '/_sim/apps/{clientId}', handler: (context) => jsonResponse(200, wireApp(updateApp(context.sim.state, param(context, 'clientId'), context.request.body))) },
  {
    method: 'DELETE',
    pattern: '/_sim/apps/{clientId}',
    handler: (context) => {
      removeApp(context.sim.state, param(context, 'clientId'));
      return noContent;
    },
  },
  { method: 'POST', pattern: '/_sim/tenants', handler: ({ sim, request }) => jsonResponse(201, wireTenant(sim, createTenant(sim.state, bodyOrEmpty(request)))) },
  { method: 'GET', pattern: '/_sim/tenants/{tenantId}', handler: (context) => jsonResponse(200, wireTenant(context.sim, requireTenant(context.sim.state, param(context, 'tenantId')))) },
  {
    method: 'POST',
    pattern: '/_sim/tenants/{tenantId}/civicAddresses',
    handler: (context) =>
      jsonResponse(201, wireCivicAddress(addCivicAddress(context.sim.state, param(context, 'tenantId'), context.request.body), context.sim.state.operatorId)),
  },
  {
    method: 'POST',
    pattern: '/_sim/consents',
    handler: ({ sim, request, nowMs }) => jsonResponse(201, wireConsent(addConsent(sim.state, bodyOrEmpty(request), nowMs), sim.state.operatorId)),
  },
  {
    method: 'POST',
    pattern: '/_sim/consents/{tenantId}:suspend',
    handler: (context) => jsonResponse(200, wireConsent(suspendConsent(context.sim.state, param(context, 'tenantId'), context.nowMs), context.sim.state.operatorId)),
  },
  {
    method: 'POST',
    pattern: '/_sim/consents/{tenantId}:reactivate',
    handler: (context) => jsonResponse(200, wireConsent(reactivateConsent(context.sim.state, param(context, 'tenantId'), context.nowMs), context.sim.state.operatorId)),
  },
  {
    method: 'POST',
    pattern: '/_sim/consents/{tenantId}:remove',
    handler: (context) => {
      const { sim } = context;
      const policy = optionalEnum(bodyOrEmpty(context.request), 'policy', REMOVAL_POLICIES) ?? sim.settings.removalPolicy;
      const consent = removeConsent(sim.state, param(context, 'tenantId'), context.nowMs, policy, sim.settings.listLagMs);
      return jsonResponse(200, wireConsent(consent, sim.state.operatorId));
    },
  },
  {
    method: 'POST',
    pattern: '/_sim/tenants/{tenantId}/numbers/{telephoneNumber}:assign',
    handler: (context) =>
      jsonResponse(200, wireNumber(assignNumber(context.sim.state, param(context, 'tenantId'), param(context, 'telephoneNumber'), bodyOrEmpty(context.request)))),
  },
  {
    method: 'POST',
    pattern: '/_sim/tenants/{tenantId}/numbers/{telephoneNumber}:unassign',
    handler: (context) => jsonResponse(200, wireNumber(unassignNumber(context.sim.state, param(context, 'tenantId'), param(context, 'telephoneNumber')))),
  },
  {
    method: 'POST',
    pattern: '/_sim/tenants/{tenantId}/numbers/{telephoneNumber}:release',
    handler: (context) => {
      releaseNumberByTenant(context.sim.state, param(context, 'tenantId'), param(context, 'telephoneNumber'), context.nowMs, context.sim.settings.listLagMs);
      return noContent;
    },
  },
  {
    method: 'PATCH',
    pattern: '/_sim/tenants/{tenantId}/numbers/{telephoneNumber}/emergencyAddress',
    handler: (context) =>
      jsonResponse(200, wireNumber(updateEmergencyAddressByTenant(context.sim.state, param(context, 'tenantId'), param(context, 'telephoneNumber'), bodyOrEmpty(context.request)))),
  },
]);

export function handleControlCall(sim: Simulation, request: SimRequest): SimResponse {
  const resolution = routes.resolve(request.method, request.path);
  if (resolution.kind === 'notFound') throw new SimError(404, 'RouteNotFound', `No simulator control route ${request.method} ${request.path}.`);
  if (resolution.kind === 'methodNotAllowed') {
    throw new SimError(405, 'MethodNotAllowed', `${request.method} is not allowed here.`, [], { allow: resolution.allow.join(', ') });
  }
  const nowMs = sim.settle();
  return resolution.route.handler({ sim, request, params: resolution.params, nowMs });
}
