/**
 * Path templates like `/tenants/{tenantId}/numbers/{telephoneNumber}` and Azure-style actions like
 * `/consents/{tenantId}:suspend`. A plain `{param}` never matches a segment containing `:`, so an action
 * route and a resource route on the same prefix cannot shadow each other.
 */

type Segment = { readonly kind: 'literal'; readonly text: string } | { readonly kind: 'param'; readonly name: string; readonly suffix: string };

export interface RouteDefinition<H> {
  readonly method: string;
  readonly pattern: string;
  readonly handler: H;
}

export interface CompiledRoute<H> extends RouteDefinition<H> {
  /** `METHOD /pattern`: the name counters and docs use for the route. */
  readonly key: string;
  readonly segments: readonly Segment[];
}

export type Resolution<H> =
  | { readonly kind: 'found'; readonly route: CompiledRoute<H>; readonly params: Readonly<Record<string, string>> }
  | { readonly kind: 'notFound' }
  | { readonly kind: 'methodNotAllowed'; readonly allow: readonly string[] };

function compileSegment(text: string): Segment {
  const param = /^\{([A-Za-z]+)\}(.*)$/.exec(text);
  if (param) return { kind: 'param', name: param[1] as string, suffix: param[2] as string };
  return { kind: 'literal', text };
}

/** Decoded path segments without the leading slash; one trailing slash is ignored. Undefined if undecodable. */
export function pathSegments(path: string): string[] | undefined {
  const trimmed = path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
  try {
    return trimmed.split('/').slice(1).map((segment) => decodeURIComponent(segment));
  } catch {
    return undefined;
  }
}

function matchSegments(segments: readonly Segment[], actual: readonly string[]): Record<string, string> | undefined {
  if (segments.length !== actual.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i] as Segment;
    const text = actual[i] as string;
    if (segment.kind === 'literal') {
      if (segment.text !== text) return undefined;
      continue;
    }
    if (segment.suffix === '') {
      if (text === '' || text.includes(':')) return undefined;
      params[segment.name] = text;
      continue;
    }
    if (!text.endsWith(segment.suffix) || text.length === segment.suffix.length) return undefined;
    params[segment.name] = text.slice(0, -segment.suffix.length);
  }
  return params;
}

export class RouteTable<H> {
  private readonly routes: readonly CompiledRoute<H>[];

  constructor(definitions: readonly RouteDefinition<H>[]) {
    this.routes = definitions.map((definition) => ({
      ...definition,
      key: `${definition.method} ${definition.pattern}`,
      segments: definition.pattern.split('/').slice(1).map(compileSegment),
    }));
  }

  get keys(): string[] {
    return this.routes.map((route) => route.key);
  }

  resolve(method: string, path: string): Resolution<H> {
    const actual = pathSegments(path);
    if (actual === undefined) return { kind: 'notFound' };
    const allow: string[] = [];
    for (const route of this.routes) {
      const params = matchSegments(route.segments, actual);
      if (params === undefined) continue;
      if (route.method === method) return { kind: 'found', route, params };
      if (!allow.includes(route.method)) allow.push(route.method);
    }
    return allow.length > 0 ? { kind: 'methodNotAllowed', allow } : { kind: 'notFound' };
  }
}
