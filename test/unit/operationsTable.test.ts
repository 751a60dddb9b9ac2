/**
 * The operations table (shared/operations/table.ts) against the official swagger: every swagger
 * operation declared exactly once with the swagger's method and path, no route served twice, the
 * permissions the one role map (shared/auth/roles.ts) gives, and the registrar's resource routes with
 * the dispatch answers (405 + Allow, 404 for an unknown action).
 */
import type { ApiRequest } from '../../shared/contract/http';
import { OPERATION_IDS, requiredPermission } from '../../shared/auth/roles';
import { resourceRoutes } from '../../shared/operations/dispatch';
import { OPERATIONS } from '../../shared/operations/table';
import { functionNameOf } from '../../functions/registrar';
import { thrownApiError } from '../support/apiErrors';
import { operationById, operationIds } from '../support/swagger';

function request(method: string, path: string, params: Record<string, string>): ApiRequest {
  return { method, url: new URL(`http://localhost${path}`), params, headers: new Headers(), readBody: async () => Buffer.alloc(0) };
}


describe('operations table', () => {
  test('every swagger operation is in the table exactly once, with its method and path', () => {
    const ids = OPERATIONS.map((o) => o.operationId);
    expect([...ids].sort()).toEqual([...operationIds()].sort());
    expect(new Set(ids).size).toBe(ids.length);
    for (const operation of OPERATIONS) {
      const declared = operationById(operation.operationId);
      expect({ id: operation.operationId, method: declared?.method.toUpperCase(), path: declared?.pathTemplate }).toEqual({
        id: operation.operationId,
        method: operation.method,
        path: `/${operation.route}`,
      });
    }
  });

  test('no method and route is served twice', () => {
    const keys = OPERATIONS.map((o) => `${o.method} ${o.route}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  test('permissions come from the one role map, which names exactly the table plus the lookup', () => {
    for (const o of OPERATIONS) expect(o.permission).toBe(requiredPermission(o.operationId));
    expect([...OPERATION_IDS].sort()).toEqual([...OPERATIONS.map((o) => o.operationId), 'Lookup_Route'].sort());
  });

  test('repeatable: exactly the operations whose swagger declares Repeatability-Request-ID', () => {
    for (const o of OPERATIONS) {
      const params: { $ref?: string }[] = operationById(o.operationId)?.operation.parameters ?? [];
      const declaresRepeatability = params.some((p) => p.$ref?.endsWith('repeatabilityRequestId') === true);
      expect({ id: o.operationId, repeatable: o.repeatable }).toEqual({ id: o.operationId, repeatable: declaresRepeatability });
    }
  });
});

describe('registrar routes', () => {
  const routes = resourceRoutes(OPERATIONS);
  const route = (resource: string) => {
    const found = routes.find((r) => r.resource === resource);
    if (found === undefined) throw new Error(`no route ${resource}`);
    return found;
  };

  test('one function per resource route, actions served by their resource, unique function names', () => {
    expect(routes.map((r) => r.resource).sort()).toEqual([
      'accounts',
      'accounts/{accountName}',
      'accounts/{accountName}/numbers',
      'accounts/{accountName}/numbers/{telephoneNumber}',
      'accounts/{accountName}/teamsCivicAddresses',
      'accounts/{accountName}/teamsCivicAddresses/{civicAddressId}',
      'numbers',
      'teamsRequestsForInformation',
      'teamsRequestsForInformation/{tenantId}',
    ]);
    const names = routes.map((r) => functionNameOf(r.resource));
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) expect(name).toMatch(/^[A-Za-z][A-Za-z0-9_-]*$/);
  });

  test('dispatch: method and action choose the operation; the action is split off the path parameter', async () => {
    const account = route('accounts/{accountName}');
    expect(account.resolve(request('PUT', '/accounts/contoso', { accountName: 'contoso' })).operationId).toBe('Accounts_CreateOrReplace');
    const batch = account.resolve(request('POST', '/accounts/contoso:createOrUpdateNumbers', { accountName: 'contoso:createOrUpdateNumbers' }));
    expect(batch.operationId).toBe('Accounts_CreateOrUpdateNumbers');
    expect(batch.repeatable).toBe(true);
    // The path parameter the command sees is the name without the action: a bad name is the accountName 400.
    const badPath = request('POST', '/accounts/bad.name:getTeamsCapabilityPlans', { accountName: 'bad.name:getTeamsCapabilityPlans' });
    const plans = account.resolve(badPath);
    expect(plans.operationId).toBe('Accounts_GetTeamsCapabilityPlans');
    await expect(plans.command(badPath)).rejects.toMatchObject({ status: 400, target: 'accountName', message: 'accountName must be 1-100 letters, digits, "_" or "-".' });
  });

  test('dispatch: a wrong method is a 405 listing the resource methods in table order; an unknown action a 404', () => {
    const account = route('accounts/{accountName}');
    const patch = thrownApiError(() => account.resolve(request('PATCH', '/accounts/contoso', { accountName: 'contoso' })));
    expect({ status: patch.status, allow: patch.headers?.Allow }).toEqual({ status: 405, allow: 'GET, PUT, DELETE' });
    const getAction = thrownApiError(() => account.resolve(request('GET', '/accounts/contoso:deleteNumbers', { accountName: 'contoso:deleteNumbers' })));
    expect({ status: getAction.status, allow: getAction.headers?.Allow }).toEqual({ status: 405, allow: 'POST' });
    const unknown = thrownApiError(() => account.resolve(request('POST', '/accounts/contoso:frobnicate', { accountName: 'contoso:frobnicate' })));
    expect(unknown.status).toBe(404);
    const rfi = thrownApiError(() => route('teamsRequestsForInformation/{tenantId}').resolve(request('PUT', '/teamsRequestsForInformation/x', { tenantId: 'x' })));
    expect(rfi.headers?.Allow).toBe('GET, PATCH');
  });
});
