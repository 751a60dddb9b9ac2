/**
 * The API's own OpenAPI 3.1 document, generated from the operations table (table.ts) with zod 4's
 * JSON Schema output, served anonymously at GET /openapi.json: every provisioning operation on its
 * contract path with its operationId, parameters, request body schema (what clients send, before
 * normalisation), its success statuses with the body each returns (representationSchemas.ts, one
 * entry per named schema under components/schemas) and the Azure.Core error response; plus the
 * lookup, its question and answers from shared/lookup/questionSchema.ts and answerSchema.ts.
 * docs/api.md "The operations table".
 */
import { z } from 'zod';
import { API_VERSION } from '../contract/apiVersion';
import { LOOKUP_ANSWERS, routeAnswerSchema, routeAnswersSchema } from '../lookup/answerSchema';
import { ALWAYS_REQUIRED, QUESTION_FIELDS, routeBatchBodySchema } from '../lookup/questionSchema';
import type { ParameterRef } from './operation';
import { REPRESENTATIONS } from './representationSchemas';
import type { AnyOperation } from './table';

const PARAMETER_SCHEMAS: Record<string, Record<string, unknown>> = {
  'api-version': { type: 'string', enum: [API_VERSION] },
  top: { type: 'integer', format: 'int32' },
  skip: { type: 'integer', format: 'int32', default: 0 },
  maxpagesize: { type: 'integer', format: 'int32' },
  filter: { type: 'string' },
  countRecords: { type: 'boolean' },
  deleteNumbers: { type: 'boolean', default: false },
  'If-Modified-Since': { type: 'string' },
  'If-Unmodified-Since': { type: 'string' },
  'Repeatability-First-Sent': { type: 'string' },
};

function jsonSchema(schema: z.ZodType): Record<string, unknown> {
  const out = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  delete out.$schema;
  return out;
}

function parameter(ref: ParameterRef): Record<string, unknown> {
  return {
    name: ref.name,
    in: ref.in,
    required: ref.in === 'path' || ref.name === 'api-version',
    schema: PARAMETER_SCHEMAS[ref.name] ?? { type: 'string' },
  };
}

const REASONS: Record<number, string> = { 200: 'The request has succeeded.', 201: 'The resource was created.', 204: 'No content.', 304: 'Not modified.' };

const COMPONENTS = '#/components/schemas/';

/** The registries of named response schemas: the API's representations and the lookup's answers. */
const NAMED = [REPRESENTATIONS, LOOKUP_ANSWERS];

/** A reference to a named schema (every success body is one). */
function refTo(schema: z.ZodType): { $ref: string } {
  const id = NAMED.map((registry) => registry.get(schema)?.id).find((found) => found !== undefined);
  if (id === undefined) throw new Error('A success body schema must be named in representationSchemas.ts or answerSchema.ts.');
  return { $ref: `${COMPONENTS}${id}` };
}

/**
 * Every named schema, each referring to the others of its registry by $ref (no $schema/$id per
 * entry). The registries do not refer to each other; a name in both would be a defect.
 */
function componentSchemas(): Record<string, unknown> {
  const components: Record<string, unknown> = {};
  for (const registry of NAMED) {
    const { schemas } = z.toJSONSchema(registry, { io: 'output', unrepresentable: 'any', uri: (id) => `${COMPONENTS}${id}` });
    for (const [id, schema] of Object.entries(schemas)) {
      if (id in components) throw new Error(`Two response schemas are named ${id}.`);
      const { $schema: _schema, $id: _id, ...rest } = schema as Record<string, unknown>;
      components[id] = rest;
    }
  }
  return components;
}

/** A success whose body is the named schema. */
function answered(description: string, schema: z.ZodType): Record<string, unknown> {
  return { description, content: { 'application/json': { schema: refTo(schema) } } };
}

function operationObject(operation: AnyOperation): Record<string, unknown> {
  const responses: Record<string, unknown> = {};
  for (const status of operation.success) {
    const returns = operation.returns as z.ZodType | undefined;
    responses[String(status)] =
      status === 204 || status === 304 || returns === undefined
        ? { description: REASONS[status] }
        : answered(REASONS[status] ?? 'Success.', returns);
  }
  responses.default = {
    description: 'An Azure.Core error response; x-ms-error-code carries the same code.',
    headers: { 'x-ms-error-code': { schema: { type: 'string' } } },
    content: { 'application/json': { schema: { $ref: `${COMPONENTS}ErrorResponse` } } },
  };
  const body = operation.requestBody;
  return {
    operationId: operation.operationId,
    parameters: operation.parameters.map(parameter),
    ...(body !== undefined
      ? { requestBody: { required: body.required, content: Object.fromEntries(body.contentTypes.map((type) => [type, { schema: jsonSchema(body.schema) }])) } }
      : {}),
    responses,
    security: [{ bearer: [] }],
  };
}

/**
 * The lookup (our own API for the SIP layer, docs/lookup.md): no api-version, role Lookup.Query.
 * Which of origin, subdomain and trunk a question needs depends on its direction (and origin): the
 * batch body's schema says so exactly, the query parameters in their descriptions.
 */
function lookupPaths(): Record<string, unknown> {
  const error = { description: 'An Azure.Core error response.', content: { 'application/json': { schema: { $ref: `${COMPONENTS}ErrorResponse` } } } };
  const parameters = Object.entries(QUESTION_FIELDS).map(([name, schema]) => {
    const { description, ...rest } = jsonSchema(schema);
    return { name, in: 'query', required: ALWAYS_REQUIRED.has(name), description, schema: rest };
  });
  return {
    '/lookup/v1/route': {
      get: {
        operationId: 'Lookup_Route',
        description: 'An unknown or repeated query parameter is refused (400 InvalidLookupParameter).',
        parameters,
        responses: { 200: answered('The route answer: route or reject, both with 200.', routeAnswerSchema), default: error },
        security: [{ bearer: [] }],
      },
    },
    '/lookup/v1/route:batch': {
      post: {
        operationId: 'Lookup_RouteBatch',
        requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(routeBatchBodySchema) } } },
        responses: { 200: answered('The answers, in question order.', routeAnswersSchema), default: error },
        security: [{ bearer: [] }],
      },
    },
  };
}

export function openApiDocument(table: readonly AnyOperation[]): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const operation of table) {
    const path = (paths[`/${operation.route}`] ??= {});
    path[operation.method.toLowerCase()] = operationObject(operation);
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Voice gateway Provisioning API', version: API_VERSION },
    paths: { ...paths, ...lookupPaths() },
    components: {
      schemas: componentSchemas(),
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
    },
  };
}
