/**
 * Contract oracle for the test suite: the official Swagger 2.0 file of the Azure Communications
 * Gateway Provisioning API (2024-02-29-preview), loaded once, with
 *  - findOperation(method, path): concrete request path -> swagger operation,
 *  - validateResponse(observed): every status / header / body problem of one response,
 *  - operationIds() / exampleFiles(): what the swagger declares.
 *
 * Location: `<repo>/../shared/reference/voiceservices-provisioning-2024-02-29-preview/swagger.json`
 * (CI clones the repo with a copy of shared/ beside it), overridable with env PROVISIONING_SWAGGER.
 *
 * Body validation uses Ajv (draft-07 engine on Swagger's draft-04-like schemas): the swagger
 * `definitions` and every response schema are put in one document, compiled lazily and cached.
 * Swagger-only keywords (readOnly, x-ms-*, discriminator, example) are stripped; `x-nullable` and
 * draft-04 boolean exclusiveMinimum/exclusiveMaximum are translated. Strict mode uses a second Ajv
 * instance whose object schemas get `additionalProperties: false`, so any undeclared property fails.
 */
import * as fs from 'fs';
import * as path from 'path';
import Ajv from 'ajv';
import type { ErrorObject, ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

export interface ObservedResponse {
  method: string;
  /** Concrete request path without query, e.g. /accounts/contoso:createOrUpdateNumbers */
  path: string;
  status: number;
  headers: Headers | Record<string, string>;
  /** Parsed JSON, or undefined when the body was empty. */
  body: unknown;
}

export interface OperationMatch {
  operationId: string;
  pathTemplate: string;
}

export interface ValidateOptions {
  /** Reject properties not declared in the schema (default true). */
  strict?: boolean;
}

export const DEFAULT_SWAGGER_PATH = path.resolve(
  __dirname,
  '../../../shared/reference/voiceservices-provisioning-2024-02-29-preview/swagger.json',
);

/** Name of the error-response definition used for non-operation requests. */
export const ERROR_RESPONSE_DEFINITION = 'Azure.Core.Foundations.ErrorResponse';

const HTTP_METHODS = ['get', 'put', 'post', 'patch', 'delete', 'head', 'options'] as const;
const SCHEMA_DOC_ID = 'swagger.json';

interface OperationInfo {
  operationId: string;
  method: string; // upper case
  pathTemplate: string;
  /** One regex per path segment; null for a literal segment compared as-is. */
  segments: { literal: string | null; regex: RegExp | null }[];
  literalLength: number;
  op: any;
  /** Header parameter names the operation accepts, lower case. */
  headerParams: Set<string>;
}

interface Loaded {
  file: string;
  swagger: any;
  operations: OperationInfo[];
  byId: Map<string, OperationInfo>;
  lax: Ajv;
  strict: Ajv;
}

let loaded: Loaded | undefined;

/** Path of the swagger file in use. */
export function swaggerPath(): string {
  const fromEnv = process.env.PROVISIONING_SWAGGER;
  return fromEnv !== undefined && fromEnv !== '' ? path.resolve(fromEnv) : DEFAULT_SWAGGER_PATH;
}

/** The parsed swagger document (loaded once). */
export function swaggerDocument(): any {
  return load().swagger;
}

function load(): Loaded {
  if (loaded !== undefined) return loaded;
  const file = swaggerPath();
  if (!fs.existsSync(file)) {
    throw new Error(
      `Provisioning swagger not found at ${file}. Expected <repo>/../shared/reference/...; set PROVISIONING_SWAGGER to override.`,
    );
  }
  const swagger = JSON.parse(fs.readFileSync(file, 'utf8'));
  const operations: OperationInfo[] = [];
  const byId = new Map<string, OperationInfo>();
  for (const [pathTemplate, item] of Object.entries<any>(swagger.paths ?? {})) {
    const pathParams: any[] = Array.isArray(item.parameters) ? item.parameters : [];
    for (const m of HTTP_METHODS) {
      const op = item[m];
      if (op === undefined) continue;
      const params = [...pathParams, ...(Array.isArray(op.parameters) ? op.parameters : [])].map((p: any) =>
        resolveLocalRef(swagger, p),
      );
      const headerParams = new Set<string>(
        params.filter((p: any) => p?.in === 'header').map((p: any) => String(p.name).toLowerCase()),
      );
      const info: OperationInfo = {
        operationId: String(op.operationId ?? `${m.toUpperCase()} ${pathTemplate}`),
        method: m.toUpperCase(),
        pathTemplate,
        segments: compileTemplate(pathTemplate),
        literalLength: pathTemplate.replace(/\{[^}]+\}/g, '').length,
        op,
        headerParams,
      };
      operations.push(info);
      byId.set(info.operationId, info);
    }
  }
  const lax = buildAjv(swagger, operations, false);
  const strict = buildAjv(swagger, operations, true);
  loaded = { file, swagger, operations, byId, lax, strict };
  return loaded;
}

function resolveLocalRef(doc: any, node: any): any {
  let cur = node;
  for (let i = 0; i < 10 && cur && typeof cur.$ref === 'string' && cur.$ref.startsWith('#/'); i++) {
    cur = jsonPointerGet(doc, cur.$ref.slice(1));
  }
  return cur;
}

function jsonPointerGet(doc: any, pointer: string): any {
  let cur = doc;
  for (const raw of pointer.split('/').slice(1)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = cur[key];
  }
  return cur;
}

function escapePointer(s: string): string {
  return s.replace(/~/g, '~0').replace(/\//g, '~1');
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function compileTemplate(template: string): OperationInfo['segments'] {
  return template.split('/').map((seg) => {
    if (!seg.includes('{')) return { literal: seg, regex: null };
    // A parameter matches a non-empty part of one segment; literal parts (e.g. ':deleteNumbers') must match exactly.
    const source = seg
      .split(/(\{[^}]+\})/)
      .map((part) => (/^\{[^}]+\}$/.test(part) ? '(.+?)' : escapeRegex(part)))
      .join('');
    return { literal: null, regex: new RegExp(`^${source}$`, 's') };
  });
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** Normalizes what a caller passes as a path: strips scheme/host, query and fragment; decodes each segment. */
function pathSegments(p: string): string[] {
  let pathname = p;
  const schemeMatch = /^[a-z][a-z0-9+.-]*:\/\/[^/]*/i.exec(pathname);
  if (schemeMatch) pathname = pathname.slice(schemeMatch[0].length) || '/';
  const q = pathname.search(/[?#]/);
  if (q >= 0) pathname = pathname.slice(0, q);
  if (!pathname.startsWith('/')) pathname = `/${pathname}`;
  return pathname.split('/').map(safeDecode);
}

function matchOperations(p: string): OperationInfo[] {
  const segs = pathSegments(p);
  const matches: OperationInfo[] = [];
  for (const info of load().operations) {
    if (info.segments.length !== segs.length) continue;
    let ok = true;
    for (let i = 0; i < segs.length && ok; i++) {
      const t = info.segments[i]!;
      const s = segs[i]!;
      ok = t.regex === null ? t.literal === s : t.regex.test(s);
    }
    if (ok) matches.push(info);
  }
  // Most literal characters first: '/accounts/{accountName}:deleteNumbers' beats '/accounts/{accountName}'.
  return matches.sort((a, b) => b.literalLength - a.literalLength);
}

function findOperationInfo(method: string, p: string): OperationInfo | undefined {
  const m = method.toUpperCase();
  const candidates = matchOperations(p);
  if (candidates.length === 0) return undefined;
  // Only the most specific template(s) count: a ':action' path must not fall back to the plain resource template.
  const best = candidates[0]!.literalLength;
  return candidates.filter((c) => c.literalLength === best).find((c) => c.method === m);
}

/** The swagger operation a concrete request (method + path, query ignored, %-escapes decoded) belongs to. */
export function findOperation(method: string, p: string): OperationMatch | undefined {
  const info = findOperationInfo(method, p);
  return info === undefined ? undefined : { operationId: info.operationId, pathTemplate: info.pathTemplate };
}

/** All operationIds, in swagger order. */
export function operationIds(): string[] {
  return load().operations.map((o) => o.operationId);
}

/** Method + path template of an operation. */
export function operationById(operationId: string): { method: string; pathTemplate: string; operation: any } | undefined {
  const info = load().byId.get(operationId);
  return info === undefined ? undefined : { method: info.method, pathTemplate: info.pathTemplate, operation: info.op };
}

/** Every x-ms-examples file of every operation, parsed. */
export function exampleFiles(): { operationId: string; file: string; example: any }[] {
  const l = load();
  const dir = path.dirname(l.file);
  const out: { operationId: string; file: string; example: any }[] = [];
  for (const info of l.operations) {
    const examples = info.op['x-ms-examples'] ?? {};
    for (const ref of Object.values<any>(examples)) {
      if (typeof ref?.$ref !== 'string') continue;
      const file = path.resolve(dir, ref.$ref);
      out.push({ operationId: info.operationId, file, example: JSON.parse(fs.readFileSync(file, 'utf8')) });
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Schema preparation

/** Deep-copies a Swagger schema into a JSON-Schema Ajv understands; `strict` closes object schemas. */
function convertSchema(node: any, ctx: { strict: boolean; definitions: any }, open = false): any {
  if (node === null || typeof node !== 'object' || Array.isArray(node)) return node;
  const out: any = {};
  for (const [k, v] of Object.entries<any>(node)) {
    if (k.startsWith('x-') || k === 'readOnly' || k === 'discriminator' || k === 'example' || k === 'externalDocs') continue;
    switch (k) {
      case 'properties':
      case 'patternProperties':
      case 'definitions': {
        const map: any = {};
        for (const [name, sub] of Object.entries<any>(v ?? {})) map[name] = convertSchema(sub, ctx);
        out[k] = map;
        break;
      }
      case 'items':
        out[k] = Array.isArray(v) ? v.map((s) => convertSchema(s, ctx)) : convertSchema(v, ctx);
        break;
      case 'additionalProperties':
      case 'not':
        out[k] = typeof v === 'object' ? convertSchema(v, ctx) : v;
        break;
      case 'allOf':
      case 'anyOf':
      case 'oneOf':
        // allOf members are "base" schemas: in strict mode they must stay open (the derived schema closes itself).
        out[k] = (v as any[]).map((s) => {
          if (k === 'allOf' && typeof s?.$ref === 'string' && s.$ref.startsWith('#/definitions/')) {
            return ctx.strict ? { $ref: `${s.$ref}__open` } : { $ref: s.$ref };
          }
          return convertSchema(s, ctx, k === 'allOf');
        });
        break;
      default:
        out[k] = v;
    }
  }
  // Draft-04 boolean exclusive bounds -> draft-06+ numeric ones.
  if (out.exclusiveMaximum === true && typeof out.maximum === 'number') {
    out.exclusiveMaximum = out.maximum;
    delete out.maximum;
  } else if (typeof out.exclusiveMaximum === 'boolean') delete out.exclusiveMaximum;
  if (out.exclusiveMinimum === true && typeof out.minimum === 'number') {
    out.exclusiveMinimum = out.minimum;
    delete out.minimum;
  } else if (typeof out.exclusiveMinimum === 'boolean') delete out.exclusiveMinimum;
  // Swagger 2.0 has no "file" JSON type.
  if (out.type === 'file') delete out.type;

  if (ctx.strict && !open && out.additionalProperties === undefined && isObjectSchema(out)) {
    const inherited = inheritedPropertyNames(node, ctx.definitions, new Set());
    if (out.properties !== undefined || inherited.size > 0) {
      out.properties = out.properties ?? {};
      for (const name of inherited) if (!(name in out.properties)) out.properties[name] = true;
      out.additionalProperties = false;
    }
  }

  if (node['x-nullable'] === true) {
    if (typeof out.type === 'string') out.type = [out.type, 'null'];
    else if (out.$ref !== undefined) return { anyOf: [out, { type: 'null' }] };
  }
  return out;
}

function isObjectSchema(s: any): boolean {
  return s.type === 'object' || (s.type === undefined && (s.properties !== undefined || s.allOf !== undefined));
}

/** Property names a schema gets through allOf (recursively through $ref'd definitions). */
function inheritedPropertyNames(node: any, definitions: any, seen: Set<any>): Set<string> {
  const names = new Set<string>();
  if (!Array.isArray(node?.allOf)) return names;
  for (const member of node.allOf) {
    let target = member;
    if (typeof member?.$ref === 'string' && member.$ref.startsWith('#/definitions/')) {
      target = definitions[member.$ref.slice('#/definitions/'.length).replace(/~1/g, '/').replace(/~0/g, '~')];
    }
    if (target === undefined || seen.has(target)) continue;
    seen.add(target);
    for (const n of Object.keys(target.properties ?? {})) names.add(n);
    for (const n of inheritedPropertyNames(target, definitions, seen)) names.add(n);
  }
  return names;
}

function buildSchemaDocument(swagger: any, operations: OperationInfo[], strict: boolean): any {
  const definitions: any = swagger.definitions ?? {};
  const ctx = { strict, definitions };
  const defs: any = {};
  for (const [name, schema] of Object.entries<any>(definitions)) {
    defs[name] = convertSchema(schema, ctx);
    if (strict) defs[`${name}__open`] = convertSchema(schema, ctx, true);
  }
  const responses: any = {};
  for (const info of operations) {
    const perStatus: any = {};
    for (const [status, resp] of Object.entries<any>(info.op.responses ?? {})) {
      const r = resolveLocalRef(swagger, resp);
      if (r?.schema !== undefined) perStatus[status] = convertSchema(r.schema, ctx);
    }
    responses[info.operationId] = perStatus;
  }
  return { $id: SCHEMA_DOC_ID, definitions: defs, responses };
}

function buildAjv(swagger: any, operations: OperationInfo[], strict: boolean): Ajv {
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true });
  addFormats(ajv);
  ajv.addFormat('int32', {
    type: 'number',
    validate: (n: number) => Number.isInteger(n) && n >= -2147483648 && n <= 2147483647,
  });
  ajv.addFormat('int64', { type: 'number', validate: (n: number) => Number.isInteger(n) });
  // AutoRest-only formats that ajv-formats does not know.
  ajv.addFormat('date-time-rfc1123', true);
  ajv.addFormat('arm-id', true);
  ajv.addFormat('uuid', /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i);
  ajv.addSchema(buildSchemaDocument(swagger, operations, strict));
  return ajv;
}

const validatorCache = new Map<string, ValidateFunction>();

function getValidator(strict: boolean, pointer: string): ValidateFunction {
  const key = `${strict ? 'S' : 'L'}${pointer}`;
  let v = validatorCache.get(key);
  if (v === undefined) {
    const l = load();
    v = (strict ? l.strict : l.lax).getSchema(`${SCHEMA_DOC_ID}#${pointer}`);
    if (v === undefined) throw new Error(`No schema at ${pointer} in ${l.file}`);
    validatorCache.set(key, v);
  }
  return v;
}

/** Validates a value against a swagger definition, returning Ajv-style messages (JSON pointer first). */
export function validateAgainstDefinition(definition: string, value: unknown, options: ValidateOptions = {}): string[] {
  const strict = options.strict ?? true;
  const v = getValidator(strict, `/definitions/${escapePointer(definition)}`);
  return v(value) ? [] : formatAjvErrors(v.errors ?? []);
}

function formatAjvErrors(errors: ErrorObject[]): string[] {
  return errors.map((e) => {
    const where = `#${e.instancePath}`;
    let msg = e.message ?? e.keyword;
    if (e.keyword === 'additionalProperty' || e.keyword === 'additionalProperties') {
      msg = `has undeclared property '${String((e.params as any).additionalProperty)}'`;
    } else if (e.keyword === 'enum') {
      msg = `${msg}: ${JSON.stringify((e.params as any).allowedValues)}`;
    }
    return `${where} ${msg} (schema ${e.schemaPath})`;
  });
}

// ---------------------------------------------------------------------------------------------
// Response validation

function headerValue(headers: ObservedResponse['headers'], name: string): string | undefined {
  if (typeof (headers as Headers)?.get === 'function') {
    const v = (headers as Headers).get(name);
    return v === null ? undefined : v;
  }
  const lower = name.toLowerCase();
  for (const [k, v] of Object.entries(headers ?? {})) {
    if (k.toLowerCase() === lower && v !== undefined && v !== null) return String(v);
  }
  return undefined;
}

const INT32_RE = /^-?\d+$/;

/** Checks one header value against a Swagger header object (type/format/enum/pattern). */
function headerProblems(name: string, value: string, decl: any): string[] {
  const out: string[] = [];
  const lname = name.toLowerCase();
  if (decl?.type === 'integer' || lname === 'x-ms-record-count') {
    const n = Number(value);
    if (!INT32_RE.test(value.trim()) || !Number.isSafeInteger(n)) {
      out.push(`header ${name} must be an integer, got '${value}'`);
    } else if ((decl?.format ?? 'int32') === 'int32' && (n < -2147483648 || n > 2147483647)) {
      out.push(`header ${name} must be an int32, got '${value}'`);
    } else if (lname === 'x-ms-record-count' && n < 0) {
      out.push(`header ${name} must not be negative, got '${value}'`);
    }
  } else if (decl?.type === 'boolean' && value !== 'true' && value !== 'false') {
    out.push(`header ${name} must be a boolean, got '${value}'`);
  }
  const allowed: unknown[] | undefined =
    Array.isArray(decl?.enum) ? decl.enum : lname === 'repeatability-result' ? ['accepted', 'rejected'] : undefined;
  if (allowed !== undefined && !allowed.includes(value)) {
    out.push(`header ${name} must be one of ${JSON.stringify(allowed)}, got '${value}'`);
  }
  if (typeof decl?.pattern === 'string' && !new RegExp(decl.pattern, 'u').test(value)) {
    out.push(`header ${name} must match ${decl.pattern}, got '${value}'`);
  }
  // x-ms-client-request-id is declared as format uuid but is an echo of whatever the client sent: any string.
  return out;
}

/** Headers whose value is checked whenever present, declared for the status or not. */
const WELL_KNOWN_HEADERS: Record<string, any> = {
  'x-ms-record-count': { type: 'integer', format: 'int32' },
  'Repeatability-Result': { type: 'string', enum: ['accepted', 'rejected'] },
};

function isJsonContentType(ct: string | undefined): boolean {
  if (ct === undefined) return true; // not observed (e.g. examples): nothing to check
  return /^application\/([a-z0-9.+-]*\+)?json\s*(;|$)/i.test(ct.trim());
}

function errorBodyProblems(label: string, r: ObservedResponse, strict: boolean, bodyRequired: boolean): string[] {
  const problems: string[] = [];
  if (r.body === undefined) {
    if (bodyRequired) problems.push(`${label}: error response must have an Azure.Core ErrorResponse body, got an empty body`);
    return problems;
  }
  for (const p of validateAgainstDefinition(ERROR_RESPONSE_DEFINITION, r.body, { strict })) {
    problems.push(`${label}: body${p}`);
  }
  problems.push(...errorCodeProblems(label, r));
  return problems;
}

/** x-ms-error-code must be present and equal the body's error.code. */
function errorCodeProblems(label: string, r: ObservedResponse): string[] {
  const headerCode = headerValue(r.headers, 'x-ms-error-code');
  const bodyCode = (r.body as any)?.error?.code;
  if (headerCode === undefined) return [`${label}: missing header x-ms-error-code (body error.code is ${JSON.stringify(bodyCode)})`];
  if (headerCode !== bodyCode) return [`${label}: header x-ms-error-code '${headerCode}' differs from body error.code ${JSON.stringify(bodyCode)}`];
  return [];
}

/**
 * All contract problems of one observed response (empty when it conforms).
 * Requests that are no swagger operation (unknown path or method) may only get error statuses (>= 400),
 * whose body, when present, must be an Azure.Core ErrorResponse with a matching x-ms-error-code header.
 */
export function validateResponse(r: ObservedResponse, options: ValidateOptions = {}): string[] {
  const strict = options.strict ?? true;
  const method = r.method.toUpperCase();
  const info = findOperationInfo(method, r.path);
  const problems: string[] = [];
  const contentType = headerValue(r.headers, 'content-type');
  if (r.body !== undefined && !isJsonContentType(contentType)) {
    problems.push(`${method} ${r.path} ${r.status}: body content-type must be application/json, got '${contentType}'`);
  }

  if (info === undefined) {
    const label = `(no swagger operation for ${method} ${r.path}) ${r.status}`;
    if (r.status < 400) {
      problems.push(`${label}: a request that is not a swagger operation must get an error status (>= 400)`);
    }
    if (r.status >= 400) problems.push(...errorBodyProblems(label, r, strict, false));
    for (const [name, decl] of Object.entries(WELL_KNOWN_HEADERS)) {
      const v = headerValue(r.headers, name);
      if (v !== undefined) problems.push(...headerProblems(name, v, decl).map((p) => `${label}: ${p}`));
    }
    return problems;
  }

  const label = `${info.operationId} ${r.status}`;
  const responses = info.op.responses ?? {};
  let statusKey: string | undefined;
  let response: any;
  if (responses[String(r.status)] !== undefined) {
    statusKey = String(r.status);
    response = resolveLocalRef(load().swagger, responses[statusKey]);
  } else if (r.status === 304 && method === 'GET' && info.headerParams.has('if-none-match')) {
    statusKey = '304';
    response = { description: 'Not Modified (conditional GET)', headers: { ETag: { type: 'string' } } };
  } else if (r.status >= 400 && responses.default !== undefined) {
    statusKey = 'default';
    response = resolveLocalRef(load().swagger, responses.default);
  } else {
    const declared = Object.keys(responses).join(', ');
    problems.push(`${label}: status ${r.status} is not declared for ${info.operationId} (declared: ${declared})`);
    return problems;
  }

  // Body
  if (response.schema === undefined) {
    if (r.body !== undefined) {
      problems.push(`${label}: response declares no body but got ${truncate(JSON.stringify(r.body))}`);
    }
  } else if (r.body === undefined) {
    problems.push(`${label}: response body is required but was empty`);
  } else {
    const v = getValidator(strict, `/responses/${escapePointer(info.operationId)}/${escapePointer(statusKey)}`);
    if (!v(r.body)) for (const p of formatAjvErrors(v.errors ?? [])) problems.push(`${label}: body${p}`);
  }

  // Headers
  const declaredHeaders: Record<string, any> = response.headers ?? {};
  const checked = new Set<string>();
  for (const [name, decl] of Object.entries(declaredHeaders)) {
    checked.add(name.toLowerCase());
    const v = headerValue(r.headers, name);
    if (v === undefined) continue;
    if (name.toLowerCase() === 'x-ms-error-code') continue; // checked against the body below
    problems.push(...headerProblems(name, v, decl).map((p) => `${label}: ${p}`));
  }
  for (const [name, decl] of Object.entries(WELL_KNOWN_HEADERS)) {
    if (checked.has(name.toLowerCase())) continue;
    const v = headerValue(r.headers, name);
    if (v !== undefined) problems.push(...headerProblems(name, v, decl).map((p) => `${label}: ${p}`));
  }
  if (statusKey === 'default') problems.push(...errorCodeProblems(label, r));
  return problems;
}

function truncate(s: string | undefined, n = 300): string {
  if (s === undefined) return 'undefined';
  return s.length > n ? `${s.slice(0, n)}…` : s;
}
