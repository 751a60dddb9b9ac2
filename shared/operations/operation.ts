/**
 * How one contract operation is declared in the operations table (table.ts): the swagger's
 * operationId, method and route, whether Repeatability-Request-ID applies, the permission it needs
 * (shared/auth/roles.ts is the one source), one zod input schema over path, query, headers and body
 * with the cross-part rules ("the body's name must equal the path's") as its refinement, and a
 * `run` that receives the typed command. docs/api.md "The operations table" says how to add one.
 */
import { z } from 'zod';
import { requiredPermission, type OperationId, type Permission } from '../auth/roles';
import { readPreconditions, type Preconditions } from '../contract/conditional';
import { ApiError, ErrorCode, type ErrorDetail } from '../contract/errors';
import type { ApiRequest, ApiResponse } from '../contract/http';
import type { Operation } from '../contract/pipeline';
import { parseWith } from '../contract/validate';
import { combinedDetailsError } from '../provisioning/errors';
import { readRequestJson, type BodyIntake } from './requestBody';

export type HttpMethod = 'GET' | 'PUT' | 'POST' | 'DELETE' | 'PATCH';

export interface ParameterRef {
  readonly name: string;
  readonly in: 'path' | 'query' | 'header';
}

/** Marks a query or headers schema with the contract parameters it reads (for the OpenAPI document). */
export function reads<S extends z.ZodType>(schema: S, parameters: readonly ParameterRef[]): S {
  declaredParameters.set(schema, parameters);
  return schema;
}
const declaredParameters = new WeakMap<z.ZodType, readonly ParameterRef[]>();

const REPEATABILITY: readonly ParameterRef[] = [
  { name: 'Repeatability-Request-ID', in: 'header' },
  { name: 'Repeatability-First-Sent', in: 'header' },
];

/** What the input schema sees: path parameters (action split off), the URL, the headers, the JSON body. */
export interface RequestParts {
  readonly path: Readonly<Record<string, string>>;
  readonly query: URL;
  readonly headers: { get(name: string): string | null };
  readonly body: unknown;
}

/**
 * The input schema's parts, each checked in this order with the errors the contract has always
 * given (a bad path parameter is one 400 naming it, before the body is read); `agreement` is the
 * refinement over the parsed parts.
 */
export interface InputParts<P, Q, H, B> {
  readonly path: z.ZodType<P>;
  readonly headers: z.ZodType<H, RequestParts['headers']>;
  readonly query: z.ZodType<Q, URL>;
  /** Absent: the operation takes no body and none is read. */
  readonly body?: {
    readonly schema: z.ZodType<B>;
    readonly intake: BodyIntake;
    /** What clients send, when `schema` parses it in steps (a batch's items one by one). */
    readonly described?: z.ZodType;
  };
  readonly agreement?: (input: { path: P; query: Q; headers: H; body: B }) => ErrorDetail[];
  /**
   * When true the agreement's problems are not thrown at once but handed to `command`: the
   * operation reports them in the same 400 as the rules it checks against storage (a batch).
   */
  readonly agreementJoinsRun?: boolean;
}

export interface Input<P, Q, H, B> {
  path: P;
  query: Q;
  headers: H;
  body: B;
}

export interface OperationSpec<C> extends Operation<C> {
  readonly operationId: OperationId;
  readonly method: HttpMethod;
  /** The contract path without its leading '/', e.g. `accounts/{accountName}:createOrUpdateNumbers`. */
  readonly route: string;
  readonly permission: Permission;
  /** The one input schema (path, query, headers, body, agreement refinement): for docs and tests. */
  readonly input: z.ZodType;
  readonly success: readonly number[];
  /** The body of a 200/201 answer (representationSchemas.ts); absent when the operation answers 204 only. */
  readonly returns?: z.ZodType;
  /** Path, query and header parameters, in the contract's names (the OpenAPI document's). */
  readonly parameters: readonly ParameterRef[];
  /** The request body's schema as clients see it (before normalisation), if the operation takes one. */
  readonly requestBody?: { readonly schema: z.ZodType; readonly contentTypes: readonly string[]; readonly required: boolean };
  /** Builds the command with the path parameters the registrar resolved. */
  commandFrom(req: ApiRequest, path: Readonly<Record<string, string>>): Promise<C>;
}

/** A path-parameter problem: one 400 naming the parameter, with the parameter schema's message. */
function pathError(issues: readonly z.core.$ZodIssue[]): ApiError {
  const issue = issues[0];
  const target = String(issue?.path[0] ?? 'path');
  return new ApiError(400, ErrorCode.InvalidRequestContent, issue?.message ?? `${target} is invalid.`, { target });
}

function agreementIssues<I>(agreement: ((input: I) => ErrorDetail[]) | undefined) {
  return (input: I, ctx: z.core.$RefinementCtx<I>) => {
    for (const d of agreement?.(input) ?? []) ctx.addIssue({ code: 'custom', message: d.message, path: ['body', ...(d.target ?? '').split('.').filter(Boolean)] });
  };
}

export interface Declaration<P, Q, H, C, B> {
  readonly operationId: OperationId;
  readonly method: HttpMethod;
  readonly route: string;
  readonly repeatable: boolean;
  /** The success statuses (the OpenAPI document lists them; errors are Azure.Core ErrorResponses). */
  readonly success: readonly number[];
  /** The body of a 200/201 answer, for the OpenAPI document (representationSchemas.ts). */
  readonly returns?: z.ZodType;
  readonly input: InputParts<P, Q, H, B>;
  /** The typed command from the parsed input (no request, no raw body past this point). */
  readonly command: (input: Input<P, Q, H, B>, problems: ErrorDetail[]) => C;
  readonly run: (command: C) => Promise<ApiResponse>;
}

export function defineOperation<P, Q, H, C, B = undefined>(d: Declaration<P, Q, H, C, B>): OperationSpec<C> {
  const parts = d.input;
  const schema = z
    .object({ path: parts.path, query: parts.query, headers: parts.headers, body: parts.body?.schema ?? z.undefined() })
    .superRefine(agreementIssues(parts.agreement as ((input: unknown) => ErrorDetail[]) | undefined));
  const commandFrom = async (req: ApiRequest, rawPath: Readonly<Record<string, string>>): Promise<C> => {
    const path = parts.path.safeParse(rawPath);
    if (!path.success) throw pathError(path.error.issues);
    const headers = parts.headers.parse(req.headers);
    const query = parts.query.parse(req.url);
    let body = undefined as B;
    if (parts.body !== undefined) {
      const json = await readRequestJson(req, parts.body.intake);
      const parsed = parseWith(parts.body.schema, json);
      if (!parsed.ok) throw combinedDetailsError(parsed.details);
      body = parsed.value;
    }
    const input = { path: path.data, query, headers, body };
    const problems = parts.agreement?.(input) ?? [];
    if (problems.length > 0 && parts.agreementJoinsRun !== true) throw combinedDetailsError(problems);
    return d.command(input, problems);
  };
  const pathNames = parts.path instanceof z.ZodObject ? Object.keys(parts.path.shape) : [];
  const parameters: ParameterRef[] = [
    { name: 'api-version', in: 'query' },
    ...pathNames.map((name): ParameterRef => ({ name, in: 'path' })),
    ...(declaredParameters.get(parts.query) ?? []),
    ...(d.repeatable ? REPEATABILITY : []),
    ...(declaredParameters.get(parts.headers) ?? []),
    // Echoed on every answer (shared/contract/pipeline.ts).
    { name: 'x-ms-client-request-id', in: 'header' },
  ];
  return {
    operationId: d.operationId,
    method: d.method,
    route: d.route,
    repeatable: d.repeatable,
    success: d.success,
    ...(d.returns !== undefined ? { returns: d.returns } : {}),
    parameters,
    ...(parts.body !== undefined
      ? { requestBody: { schema: parts.body.described ?? parts.body.schema, contentTypes: parts.body.intake.contentTypes, required: parts.body.intake.required } }
      : {}),
    permission: requiredPermission(d.operationId),
    input: schema,
    commandFrom,
    command: (req) => commandFrom(req, req.params),
    run: d.run,
  };
}

// ---- Reusable parts -------------------------------------------------------------------------

/** No path parameters, query or headers the operation reads. */
export const noPath = z.object({});
export const anyQuery = z.custom<URL>((v) => v instanceof URL);
export const anyHeaders = z.custom<RequestParts['headers']>();

/** If-Match, If-None-Match, If-Modified-Since, If-Unmodified-Since (Azure.Core conditional requests). */
export const CONDITIONAL_HEADERS: readonly ParameterRef[] = ['If-Match', 'If-None-Match', 'If-Unmodified-Since', 'If-Modified-Since'].map((name) => ({ name, in: 'header' }));
export const conditionalHeaders: z.ZodType<Preconditions, RequestParts['headers']> = reads(
  anyHeaders.transform((headers) => readPreconditions(headers)),
  CONDITIONAL_HEADERS,
);
