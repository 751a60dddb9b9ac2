/**
 * Functions HTTP route templates -> matchers, resolved the way the host does it closely enough for
 * local use: literals case-insensitive, `{name}`, `{name?}`, `{*rest}`, constraints (`{id:int}`)
 * and defaults accepted but not enforced, params URL-decoded, routes under host.json's routePrefix.
 */
import fs from 'node:fs';
import path from 'node:path';

export interface CompiledRoute {
  /** The full template, route prefix included. */
  template: string;
  pattern: RegExp;
  paramNames: string[];
  /** Segments that are pure literals: more of them wins when several routes match a path. */
  literalSegments: number;
  hasCatchAll: boolean;
}

export interface RouteDefinition {
  functionName: string;
  /** The trigger's `route` (or the function name when it has none), without the prefix. */
  route: string;
  /** Upper-case methods; empty means every method, as in the host. */
  methods: readonly string[];
}

export type RouteResolution =
  | { kind: 'matched'; functionName: string; params: Record<string, string> }
  | { kind: 'methodNotAllowed'; allow: string[] }
  | { kind: 'notFound' };

const TOKEN = /\{([^}]*)\}/g;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** `{*rest}`, `{name?}`, `{id:int}`, `{x=default}` -> name and flags (constraint and default ignored). */
function parseToken(inner: string): { name: string; optional: boolean; catchAll: boolean } {
  const catchAll = /^\*{1,2}/.test(inner);
  const body = inner.replace(/^\*{1,2}/, '');
  const optional = body.endsWith('?');
  const name = body.replace(/\?$/, '').split(/[:=]/)[0]?.trim() ?? '';
  if (!/^\w+$/.test(name)) throw new Error(`Invalid route parameter "{${inner}}"`);
  return { name, optional, catchAll };
}

export function compileRoute(route: string, routePrefix = ''): CompiledRoute {
  const template = [routePrefix, route]
    .map((part) => part.replace(/^~?\/+|\/+$/g, ''))
    .filter((part) => part !== '')
    .join('/');
  const paramNames: string[] = [];
  let literalSegments = 0;
  let hasCatchAll = false;
  let source = '';
  for (const segment of template === '' ? [] : template.split('/')) {
    const whole = /^\{([^}]*)\}$/.exec(segment);
    if (!segment.includes('{')) {
      literalSegments++;
      source += `/${escapeRegExp(segment)}`;
    } else if (whole) {
      const token = parseToken(whole[1] ?? '');
      paramNames.push(token.name);
      if (token.catchAll) {
        hasCatchAll = true;
        source += '(?:/(.*))?';
      } else {
        source += token.optional ? '(?:/([^/]+))?' : '/([^/]+)';
      }
    } else {
      // Complex segment such as `{accountName}:deleteNumbers`: parameters are lazy so the literal
      // part anchors the split.
      let last = 0;
      source += '/';
      for (const match of segment.matchAll(TOKEN)) {
        source += escapeRegExp(segment.slice(last, match.index));
        paramNames.push(parseToken(match[1] ?? '').name);
        source += '([^/]+?)';
        last = match.index + match[0].length;
      }
      source += escapeRegExp(segment.slice(last));
    }
  }
  return { template, pattern: new RegExp(`^${source}/?$`, 'i'), paramNames, literalSegments, hasCatchAll };
}

function decodeParam(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw; // malformed %-escape: hand it over as sent
  }
}

/** Params of `pathname` (as sent, percent-encoded) when it matches, else undefined. */
export function matchRoute(route: CompiledRoute, pathname: string): Record<string, string> | undefined {
  const match = route.pattern.exec(pathname);
  if (!match) return undefined;
  const params: Record<string, string> = {};
  route.paramNames.forEach((name, i) => {
    const value = match[i + 1];
    if (value !== undefined) params[name] = decodeParam(value);
  });
  return params;
}

/** Most specific first: more literal segments, then no catch-all; otherwise registration order. */
function byPrecedence(a: CompiledRoute, b: CompiledRoute): number {
  return b.literalSegments - a.literalSegments || Number(a.hasCatchAll) - Number(b.hasCatchAll);
}

export interface RouteTable {
  routes: ReadonlyArray<{ definition: RouteDefinition; compiled: CompiledRoute }>;
  resolve(method: string, pathname: string): RouteResolution;
}

/**
 * Several functions may share a template with different methods (e.g. `accounts/{accountName}` for
 * GET/PUT/DELETE and `accounts/{accountAction}` for POST): the first matching route, in precedence
 * order, that accepts the method wins; 405 only when no matching route accepts it.
 */
export function buildRouteTable(definitions: readonly RouteDefinition[], routePrefix: string): RouteTable {
  const routes = definitions
    .map((definition) => ({ definition, compiled: compileRoute(definition.route, routePrefix) }))
    .sort((a, b) => byPrecedence(a.compiled, b.compiled));
  return {
    routes,
    resolve(method, pathname) {
      const allow = new Set<string>();
      const upper = method.toUpperCase();
      for (const { definition, compiled } of routes) {
        const params = matchRoute(compiled, pathname);
        if (!params) continue;
        if (definition.methods.length === 0 || definition.methods.includes(upper)) {
          return { kind: 'matched', functionName: definition.functionName, params };
        }
        definition.methods.forEach((m) => allow.add(m));
      }
      return allow.size > 0 ? { kind: 'methodNotAllowed', allow: [...allow] } : { kind: 'notFound' };
    },
  };
}

/** The function app root: the nearest folder holding host.json, from this file (src or dist) upwards. */
export function findAppRoot(from: string = __dirname): string {
  for (let dir = path.resolve(from); ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'host.json'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`No host.json found above ${from}`);
  }
}

/** host.json `extensions.http.routePrefix`; the host's default is `api`. */
export function readRoutePrefix(hostJsonPath: string = path.join(findAppRoot(), 'host.json')): string {
  const hostJson = JSON.parse(fs.readFileSync(hostJsonPath, 'utf8')) as {
    extensions?: { http?: { routePrefix?: unknown } };
  };
  const prefix = hostJson.extensions?.http?.routePrefix;
  return typeof prefix === 'string' ? prefix.replace(/^\/+|\/+$/g, '') : 'api';
}
