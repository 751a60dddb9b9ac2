/**
 * From a request to its operation in the table. The host routes one function per resource path
 * (the route without an Azure.Core `:action`, which the host cannot match: `accounts/{accountName}`
 * also receives `accounts/contoso:createOrUpdateNumbers`); here the action is split off the last
 * segment and the method chosen. Wrong method: 405 with Allow; unknown action: 404.
 */
import type { ApiRequest } from '../contract/http';
import type { Operation } from '../contract/pipeline';
import { methodNotAllowed, unknownRoute } from '../contract/routeErrors';
import type { AnyOperation } from './table';

/** The resource route an operation is served on: its route without the `:action` suffix. */
export function resourceRouteOf(route: string): { resource: string; action?: string } {
  const slash = route.lastIndexOf('/');
  const colon = route.indexOf(':', slash + 1);
  return colon < 0 ? { resource: route } : { resource: route.slice(0, colon), action: route.slice(colon + 1) };
}

/** The last path parameter's name in a route, e.g. `accountName` in `accounts/{accountName}`. */
function lastParameter(resource: string): string | undefined {
  return /\{(\w+)\}$/.exec(resource)?.[1];
}

/** Azure.Core actions: `/accounts/{name}:{action}`; account names cannot contain ':'. */
export function splitAction(segment: string): { name: string; action?: string } {
  const at = segment.indexOf(':');
  return at < 0 ? { name: segment } : { name: segment.slice(0, at), action: segment.slice(at + 1) };
}

export interface ResourceRoute {
  readonly resource: string;
  /** Resolves the request's operation with its path parameters (action split off), or throws 404/405. */
  resolve(req: ApiRequest): Operation;
}

function bound(spec: AnyOperation, path: Readonly<Record<string, string>>): Operation {
  return { operationId: spec.operationId, repeatable: spec.repeatable, accountName: path.accountName, command: (req) => spec.commandFrom(req, path), run: spec.run };
}

/** The table grouped by resource route, in table order (a route's Allow lists methods in that order). */
export function resourceRoutes(table: readonly AnyOperation[]): ResourceRoute[] {
  const groups = new Map<string, { plain: AnyOperation[]; actions: Map<string, AnyOperation> }>();
  for (const spec of table) {
    const { resource, action } = resourceRouteOf(spec.route);
    let group = groups.get(resource);
    if (group === undefined) groups.set(resource, (group = { plain: [], actions: new Map() }));
    if (action === undefined) group.plain.push(spec);
    else group.actions.set(action, spec);
  }
  return [...groups].map(([resource, { plain, actions }]) => {
    const parameter = lastParameter(resource);
    const plainMethods: string[] = plain.map((s) => s.method);
    const actionMethods: string[] = [...new Set([...actions.values()].map((s) => s.method))];
    return {
      resource,
      resolve(req: ApiRequest): Operation {
        let path = req.params;
        let action: string | undefined;
        if (parameter !== undefined && actions.size > 0 && req.params[parameter] !== undefined) {
          const split = splitAction(req.params[parameter]);
          action = split.action;
          path = { ...req.params, [parameter]: split.name };
        }
        if (action === undefined) {
          const spec = plain.find((s) => s.method === req.method);
          if (spec === undefined) throw methodNotAllowed(req.method, plainMethods);
          return bound(spec, path);
        }
        if (!actionMethods.includes(req.method)) throw methodNotAllowed(req.method, actionMethods);
        const spec = actions.get(action);
        if (spec === undefined || spec.method !== req.method) throw unknownRoute(req.url.pathname);
        return bound(spec, path);
      },
    };
  });
}
