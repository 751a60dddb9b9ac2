/**
 * App registrations that may call the API: an Entra app (client id, secret, app roles on Project
 * Synergy) and whether its id is listed in the OC portal, without which every call is 403
 * (docs/oc-client.md, "What is known about Operator Connect").
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { asObject, invalidField, optionalBoolean, optionalString, optionalStringArray } from './bodyFields';
import { SimError } from './errors';
import { OC_ROLES, type AppRecord, type OcRole, type SimState } from './model';

export interface AppSpec {
  readonly clientId?: string;
  readonly clientSecret?: string;
  readonly displayName?: string;
  /** Default: every role. */
  readonly roles?: readonly OcRole[];
  /** Default true. */
  readonly registeredInPortal?: boolean;
}

function parseRoles(value: string[] | undefined): OcRole[] | undefined {
  if (value === undefined) return undefined;
  const unknown = value.filter((role) => !(OC_ROLES as readonly string[]).includes(role));
  if (unknown.length > 0) throw invalidField('roles', `Unknown role(s) ${unknown.join(', ')}; known: ${OC_ROLES.join(', ')}.`);
  return [...new Set(value)] as OcRole[];
}

export function requireApp(state: SimState, clientId: string): AppRecord {
  const app = state.apps.get(clientId);
  if (app === undefined) throw new SimError(404, 'AppNotFound', `No app ${clientId} is registered.`);
  return app;
}

export function addApp(state: SimState, spec: unknown): AppRecord {
  const body = asObject(spec, 'app');
  const clientId = optionalString(body, 'clientId') ?? randomUUID();
  if (state.apps.has(clientId)) throw new SimError(409, 'AppAlreadyExists', `App ${clientId} is already registered.`);
  const app: AppRecord = {
    clientId,
    clientSecret: optionalString(body, 'clientSecret') ?? randomBytes(24).toString('base64url'),
    displayName: optionalString(body, 'displayName') ?? `App ${clientId.slice(0, 8)}`,
    roles: parseRoles(optionalStringArray(body, 'roles')) ?? [...OC_ROLES],
    registeredInPortal: optionalBoolean(body, 'registeredInPortal') ?? true,
  };
  state.apps.set(clientId, app);
  return app;
}

/** Role changes reach new tokens only, as in Entra: issued tokens keep the roles they were minted with. */
export function updateApp(state: SimState, clientId: string, patch: unknown): AppRecord {
  const app = requireApp(state, clientId);
  const body = asObject(patch, 'app');
  const roles = parseRoles(optionalStringArray(body, 'roles'));
  const registeredInPortal = optionalBoolean(body, 'registeredInPortal');
  const clientSecret = optionalString(body, 'clientSecret');
  const displayName = optionalString(body, 'displayName');
  if (roles !== undefined) app.roles = roles;
  if (registeredInPortal !== undefined) app.registeredInPortal = registeredInPortal;
  if (clientSecret !== undefined) app.clientSecret = clientSecret;
  if (displayName !== undefined) app.displayName = displayName;
  return app;
}

export function removeApp(state: SimState, clientId: string): void {
  requireApp(state, clientId);
  state.apps.delete(clientId);
}
