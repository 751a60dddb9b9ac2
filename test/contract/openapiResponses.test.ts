/**
 * The success bodies of the OpenAPI document (shared/operations/representationSchemas.ts through
 * openapi.ts) against the official swagger's definitions: for every operation and success status,
 * our response schema and the swagger's, followed together through their $refs, have the same
 * type, enum, string format, property names and required set at every level. Our document may only
 * add what DOCUMENTED_ADDITIONS names and leave out the statuses NEVER_ANSWERED names. Any other
 * drift fails, listed by operation, status and path.
 */
import { openApiDocument } from '../../shared/operations/openapi';
import { OPERATIONS } from '../../shared/operations/table';
import { operationById, operationIds, swaggerDocument } from '../support/swagger';

/** Properties we send that the swagger lacks: Operator Connect's free-text description (docs/teams.md). */
const DOCUMENTED_ADDITIONS: Readonly<Record<string, readonly string[]>> = {
  TeamsCivicAddressResource: ['description'],
  Location: ['description'],
};

/** Success statuses the swagger lists that the API never answers: an RFI is created by consents, never by a PATCH (docs/teams.md). */
const NEVER_ANSWERED: Readonly<Record<string, readonly string[]>> = {
  TeamsRequestsForInformation_CreateOrUpdateRequestForInformation: ['201'],
};

type Schema = Record<string, any>;

interface Side {
  readonly resolve: (schema: Schema) => { schema: Schema; name?: string };
}

function side(root: Schema, prefix: string): Side {
  return {
    resolve: (schema) => {
      const ref = schema.$ref as string | undefined;
      if (ref === undefined) return { schema };
      if (!ref.startsWith(prefix)) throw new Error(`unexpected $ref ${ref}`);
      const name = ref.slice(prefix.length);
      const target = root[name] as Schema | undefined;
      if (target === undefined) throw new Error(`dangling $ref ${ref}`);
      return { schema: target, name };
    },
  };
}

/** Every difference between our schema and the swagger's, as `path: what` lines. */
function drift(ours: Side, theirs: Side, ourSchema: Schema, theirSchema: Schema, at: string, seen = new Set<string>()): string[] {
  const o = ours.resolve(ourSchema);
  const t = theirs.resolve(theirSchema);
  if (o.name !== undefined && t.name !== undefined) {
    const pair = `${o.name}|${t.name}`;
    if (seen.has(pair)) return [];
    seen.add(pair);
  }
  const a = o.schema;
  const b = t.schema;
  const problems: string[] = [];
  if (a.type !== b.type) problems.push(`${at}: type ${a.type} where the swagger has ${b.type}`);
  if (b.enum !== undefined || a.enum !== undefined) {
    const mine = JSON.stringify([...(a.enum ?? [])].sort());
    const official = JSON.stringify([...(b.enum ?? [])].sort());
    if (mine !== official) problems.push(`${at}: enum ${mine} where the swagger has ${official}`);
  }
  if (b.type === 'string' && a.format !== b.format) problems.push(`${at}: format ${a.format} where the swagger has ${b.format}`);
  if (b.type === 'array') problems.push(...drift(ours, theirs, a.items ?? {}, b.items ?? {}, `${at}[]`, seen));
  if (b.type === 'object') {
    const mine = Object.keys(a.properties ?? {});
    const official = Object.keys(b.properties ?? {});
    const allowed = DOCUMENTED_ADDITIONS[t.name ?? ''] ?? [];
    for (const name of official.filter((p) => !mine.includes(p))) problems.push(`${at}.${name}: missing`);
    for (const name of mine.filter((p) => !official.includes(p) && !allowed.includes(p))) problems.push(`${at}.${name}: not in the swagger`);
    const required = JSON.stringify([...(a.required ?? [])].sort());
    const officialRequired = JSON.stringify([...(b.required ?? [])].sort());
    if (required !== officialRequired) problems.push(`${at}: required ${required} where the swagger has ${officialRequired}`);
    for (const name of official.filter((p) => mine.includes(p))) problems.push(...drift(ours, theirs, a.properties[name], b.properties[name], `${at}.${name}`, seen));
  }
  return problems;
}

function documentDrift(doc: Schema): string[] {
  const swagger = swaggerDocument();
  const ours = side(doc.components.schemas, '#/components/schemas/');
  const theirs = side(swagger.definitions, '#/definitions/');
  const problems: string[] = [];
  for (const id of operationIds()) {
    const { method, pathTemplate, operation } = operationById(id) as { method: string; pathTemplate: string; operation: any };
    const responses: Record<string, Schema> = doc.paths[pathTemplate]?.[method.toLowerCase()]?.responses ?? {};
    for (const [status, response] of Object.entries<any>(operation.responses)) {
      if (status === 'default') continue;
      if (NEVER_ANSWERED[id]?.includes(status)) {
        if (responses[status] !== undefined) problems.push(`${id} ${status}: documented, though listed as never answered`);
        continue;
      }
      const ourSchema = responses[status]?.content?.['application/json']?.schema as Schema | undefined;
      if (response.schema === undefined) {
        if (ourSchema !== undefined) problems.push(`${id} ${status}: a body where the swagger has none`);
        continue;
      }
      if (ourSchema === undefined) problems.push(`${id} ${status}: no body schema`);
      else problems.push(...drift(ours, theirs, ourSchema, response.schema, `${id} ${status} body`));
    }
  }
  const errors = drift(ours, theirs, { $ref: '#/components/schemas/ErrorResponse' }, { $ref: '#/definitions/Azure.Core.Foundations.ErrorResponse' }, 'ErrorResponse');
  return [...problems, ...errors];
}

const document = (): Schema => JSON.parse(JSON.stringify(openApiDocument(OPERATIONS)));

test("every operation's success body is the swagger's definition: types, enums, properties and required sets", () => {
  expect(documentDrift(document())).toEqual([]);
});

test('every success status with a body in the swagger has a named schema in ours', () => {
  const doc = document();
  let bodies = 0;
  for (const id of operationIds()) {
    const { method, pathTemplate, operation } = operationById(id) as { method: string; pathTemplate: string; operation: any };
    for (const [status, response] of Object.entries<any>(operation.responses)) {
      if (status === 'default' || response.schema === undefined || NEVER_ANSWERED[id]?.includes(status)) continue;
      const ref = doc.paths[pathTemplate][method.toLowerCase()].responses[status]?.content?.['application/json']?.schema?.$ref;
      expect({ id, status, ref: typeof ref === 'string' && ref.startsWith('#/components/schemas/') }).toEqual({ id, status, ref: true });
      bodies++;
    }
  }
  expect(bodies).toBeGreaterThanOrEqual(15);
});

test('the comparison reports drift: a dropped property, a changed required set, a changed type and enum', () => {
  const doc = document();
  const schemas = doc.components.schemas;
  delete schemas.NumberResource.properties.configuration;
  schemas.AccountResource.required = [];
  schemas.TeamsCapabilityPlan.properties.supportsTollFree.type = 'string';
  schemas.RequestForInformationResource.properties.status.enum = ['active'];
  schemas.TeamsCivicAddressResource.properties.extra = { type: 'string' };
  const problems = documentDrift(doc);
  expect(problems).toEqual(
    expect.arrayContaining([
      'Accounts_GetNumber 200 body.configuration: missing',
      'Accounts_Get 200 body: required [] where the swagger has ["name"]',
      'Accounts_GetTeamsCapabilityPlans 200 body.capabilityPlans[].supportsTollFree: type string where the swagger has boolean',
      'TeamsRequestsForInformation_GetRequestForInformation 200 body.status: enum ["active"] where the swagger has ["active","removed","suspended"]',
      'Accounts_GetTeamsCivicAddress 200 body.extra: not in the swagger',
    ]),
  );
});
