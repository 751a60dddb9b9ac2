/**
 * Who may call which operator route (docs/oc-simulator.md, "Operator API"): a valid bearer token (401), an app id listed in the
 * OC portal (403 AppNotRegistered), and one of the route's roles (403 InsufficientRole).
 *
 * Role rules follow the public docs (docs/oc-client.md, "What is known"): reads need the family's Read role, and since the docs grant changes with a
 * Write role and no Read role of that family, Write also allows reading [D]. Number writes need
 * NumberManagement.Write; consent writes accept PartnerSettings.Write or NumberManagement.Write.
 */
import { SimError } from './errors';
import type { SimRequest } from './exchange';
import type { OcRole } from './model';
import { SIM_RESOURCE } from './seed';
import type { Simulation } from './simulation';
import { verifyAccessToken } from './tokens';

export const ROLES_TO_READ_CONSENTS: readonly OcRole[] = ['PartnerSettings.Read', 'PartnerSettings.Write'];
export const ROLES_TO_WRITE_CONSENTS: readonly OcRole[] = ['PartnerSettings.Write', 'NumberManagement.Write'];
export const ROLES_TO_READ_PROFILES: readonly OcRole[] = ['TrunkManagement.Read', 'TrunkManagement.Write'];
export const ROLES_TO_READ_NUMBERS: readonly OcRole[] = ['NumberManagement.Read', 'NumberManagement.Write'];
export const ROLES_TO_WRITE_NUMBERS: readonly OcRole[] = ['NumberManagement.Write'];

export interface Caller {
  readonly appId: string;
  readonly roles: readonly string[];
}

const REASONS = {
  Missing: 'No bearer token was sent.',
  Malformed: 'The bearer token is not a well-formed JWT.',
  InvalidSignature: 'The bearer token signature is not valid.',
  InvalidAudience: `The bearer token audience is not ${SIM_RESOURCE}.`,
  Expired: 'The bearer token has expired.',
} as const;

function unauthenticated(reason: keyof typeof REASONS): SimError {
  const message = REASONS[reason];
  const challenge = reason === 'Missing' ? 'Bearer' : `Bearer error="invalid_token", error_description="${message}"`;
  return new SimError(401, 'InvalidAuthenticationToken', message, [{ code: reason === 'Missing' ? 'MissingToken' : reason, message }], {
    'www-authenticate': challenge,
  });
}

export function authenticate(sim: Simulation, request: SimRequest, nowMs: number): Caller {
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '');
  if (!bearer) throw unauthenticated('Missing');
  const check = verifyAccessToken(sim.signingKey, bearer[1] as string, SIM_RESOURCE, nowMs);
  if (!check.ok) throw unauthenticated(check.reason);
  return { appId: check.claims.appid, roles: check.claims.roles };
}

export function authorize(sim: Simulation, caller: Caller, anyOf: readonly OcRole[]): void {
  const app = sim.state.apps.get(caller.appId);
  if (app === undefined || !app.registeredInPortal) {
    const message = `Application ${caller.appId} is not registered in the Operator Connect portal.`;
    throw new SimError(403, 'AppNotRegistered', message, [{ code: 'AppNotRegistered', message, target: caller.appId }]);
  }
  if (!anyOf.some((role) => caller.roles.includes(role))) {
    const message = `This operation needs one of the roles ${anyOf.join(', ')}.`;
    throw new SimError(403, 'InsufficientRole', message, anyOf.map((role) => ({ code: 'MissingRole', message: `Role ${role} would allow this operation.`, target: role })));
  }
}
