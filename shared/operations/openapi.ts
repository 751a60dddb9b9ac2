/**
 * The API's own OpenAPI 3.1 document, generated from the operations table (table.ts) with zod 4's
 * JSON Schema output, served anonymously at GET /openapi.json: every provisioning operation on its
 * contract path with its operationId, parameters, request body schema (what clients send, before
 * normalisation), its success statuses with the body each returns (representationSchemas.ts, one
 * entry per named schema under components/schemas) and the Azure.Core error response; plus the
 * lookup. docs/api.md "The operations table".
 */
import { z } from 'zod';
import { API_VERSION } from '../contract/apiVersion';
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

/** A reference to a named schema of representationSchemas.ts (every success body is one). */
function refTo(schema: z.ZodType): { $ref: string } {
  const id = REPRESENTATIONS.get(schema)?.id;
  if (id === undefined) throw new Error('A success body schema must be named in representationSchemas.ts.');
  return { $ref: `${COMPONENTS}${id}` };
}

/** Every named representation, each referring to the others by $ref (no $schema/$id per entry). */
function componentSchemas(): Record<string, unknown> {
  const { schemas } = z.toJSONSchema(REPRESENTATIONS, { io: 'output', unrepresentable: 'any', uri: (id) => `${COMPONENTS}${id}` });
  return Object.fromEntries(
    Object.entries(schemas).map(([id, schema]) => {
      const { $schema: _schema, $id: _id, ...rest } = schema as Record<string, unknown>;
      return [id, rest];
    }),
  );
}

function operationObject(operation: AnyOperation): Record<string, unknown> {
  const responses: Record<string, unknown> = {};
  for (const status of operation.success) {
    const returns = operation.returns as z.ZodType | undefined;
    responses[String(status)] =
      status === 204 || status === 304 || returns === undefined
        ? { description: REASONS[status] }
        : { description: REASONS[status] ?? 'Success.', content: { 'application/json': { schema: refTo(returns) } } };
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

const lookupQuestion = ['direction', 'from', 'to', 'origin', 'subdomain', 'trunk'];

/** The lookup (our own API for the SIP layer, docs/lookup.md): no api-version, role Lookup.Query. */
function lookupPaths(): Record<string, unknown> {
  const error = { description: 'An Azure.Core error response.', content: { 'application/json': { schema: { $ref: `${COMPONENTS}ErrorResponse` } } } };
  return {
    '/lookup/v1/route': {
      get: {
        operationId: 'Lookup_Route',
        parameters: lookupQuestion.map((name) => ({ name, in: 'query', required: ['direction', 'from', 'to'].includes(name), schema: { type: 'string' } })),
        responses: { 200: { description: 'The route answer.', content: { 'application/json': { schema: { type: 'object' } } } }, default: error },
        security: [{ bearer: [] }],
      },
    },
    '/lookup/v1/route:batch': {
      post: {
        operationId: 'Lookup_RouteBatch',
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: { type: 'object', properties: { questions: { type: 'array', minItems: 1, maxItems: 100, items: { type: 'object' } } }, required: ['questions'] },
            },
          },
        },
        responses: { 200: { description: 'The answers, in question order.', content: { 'application/json': { schema: { type: 'object' } } } }, default: error },
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
