/**
 * The lookup in GET /openapi.json (shared/lookup/answerSchema.ts and questionSchema.ts through
 * shared/operations/openapi.ts) against the running lookup (local host + Azurite): the answers it
 * sends (a route from provisioned data, defaulted routes, rejects with and without an account, a
 * batch, and the outage answer as view.ts holds it) pass the served response schemas, and the same answers altered are refused; the served
 * batch body schema and query parameter schemas accept and refuse the questions the lookup accepts
 * (200) and refuses (400).
 */
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { stopLookupService } from '../../shared/lookup/lookupService';
import { PROVISIONING_DATA_UNAVAILABLE } from '../../shared/lookup/view';
import { createApiClient } from '../support/apiClient';
import { startLocalHost, type LocalHost } from '../support/localHost';

const BASE_DOMAIN = 'gw.example.net';
const TENANT = '6f1d2c3b-4a59-4e6d-8c7b-0a1b2c3d4e5f';
const DR_NUMBER = '+14255553001';
const UNPROVISIONED = '+14255553999';
const CALLER = '+33123456789';

let host: LocalHost;
let lookupAuth: Record<string, string>;
let doc: any;

interface Reply {
  status: number;
  body: any;
}

async function send(path: string, init: RequestInit = {}): Promise<Reply> {
  const res = await fetch(`${host.baseUrl}${path}`, { ...init, headers: { ...lookupAuth, ...((init.headers as Record<string, string>) ?? {}) } });
  return { status: res.status, body: await res.json() };
}

const ask = (query: Record<string, string>) => send(`/lookup/v1/route?${new URLSearchParams(query).toString()}`);
const askBatch = (body: unknown) => send('/lookup/v1/route:batch', { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });

beforeAll(async () => {
  // Refusals are this file's subject, and each logs a warning.
  jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  host = await startLocalHost({
    DR_BASE_DOMAIN: BASE_DOMAIN,
    LOOKUP_TRUNK_DEFAULTS: 'lab.oc=teamsOperatorConnect,lab.none=none',
    // Answers, not deadlines: a cold read on a busy machine may exceed the 1 s default (lookup.test.ts).
    LOOKUP_STORAGE_TIMEOUT_MS: '10000',
  });
  lookupAuth = { authorization: `Bearer ${await host.token(['Lookup.Query'])}` };
  const api = createApiClient(host.baseUrl, { headers: await host.adminHeaders() });
  const dr = { syncEnabled: false, enabled: true, configuration: { callScreening: true, subdomain: 'oadr', subdomainTokens: { region1Token: 't1', region2Token: 't2' } } };
  const account = await api.put('/accounts/oa-dr', { json: { name: 'oa-dr', serviceDetails: { teamsTenantId: TENANT, teamsDirectRouting: dr } } });
  expect([200, 201]).toContain(account.status);
  const number = { telephoneNumber: DR_NUMBER, accountName: 'oa-dr', serviceDetails: { teamsDirectRouting: { enabled: true } }, configuration: { customSipHeader: 'h-3001' } };
  expect([200, 201]).toContain((await api.put(`/accounts/oa-dr/numbers/${DR_NUMBER}`, { json: number })).status);
  const r = await fetch(`${host.baseUrl}/openapi.json`);
  expect(r.status).toBe(200);
  doc = await r.json();
}, 60_000);

afterAll(async () => {
  stopLookupService();
  await host?.stop();
});

/** A validator for a schema of the served document, its $refs into components resolved. */
function validator(schema: { $ref?: string }): ValidateFunction {
  const ajv = addFormats(new Ajv2020({ strict: false }));
  ajv.addSchema({ $id: 'openapi.json', components: doc.components });
  return ajv.compile(schema.$ref !== undefined ? { $ref: `openapi.json${schema.$ref}` } : schema);
}

const routeOperation = () => doc.paths['/lookup/v1/route'].get;
const batchOperation = () => doc.paths['/lookup/v1/route:batch'].post;
const answerValidator = () => validator(routeOperation().responses['200'].content['application/json'].schema);
const answersValidator = () => validator(batchOperation().responses['200'].content['application/json'].schema);
const batchBodyValidator = () => validator(batchOperation().requestBody.content['application/json'].schema);

/** One question of each kind the answer schema tells apart, with the answer it must get. */
const QUESTIONS: Array<{ kind: string; question: Record<string, string>; expected: Record<string, unknown> }> = [
  {
    kind: 'route, provisioned, Contact hosts and header',
    question: { direction: 'fromOperator', from: CALLER, to: DR_NUMBER },
    expected: { action: 'route', destination: 'teamsDirectRouting', accountName: 'oa-dr', teamsTenantId: TENANT, defaulted: false, contactHosts: [`oadr.1r1.${BASE_DOMAIN}`, `oadr.1r2.${BASE_DOMAIN}`] },
  },
  {
    kind: 'route, provisioned, towards the operator network',
    question: { direction: 'toOperator', from: DR_NUMBER, to: CALLER, origin: 'teamsDirectRouting', subdomain: 'OADR' },
    expected: { action: 'route', destination: 'operatorNetwork', accountName: 'oa-dr', customHeader: { name: 'X-MS-Operator-Content', value: 'h-3001' } },
  },
  { kind: 'route, defaulted by prefix', question: { direction: 'fromOperator', from: CALLER, to: UNPROVISIONED }, expected: { action: 'route', defaulted: true, defaultedBy: 'fixedLine' } },
  { kind: 'route, defaulted by trunk', question: { direction: 'fromOperator', from: CALLER, to: UNPROVISIONED, trunk: 'lab.oc' }, expected: { action: 'route', defaulted: true, defaultedBy: 'trunk' } },
  {
    kind: 'route, defaulted by origin',
    question: { direction: 'toOperator', from: UNPROVISIONED, to: CALLER, origin: 'teamsOperatorConnect' },
    expected: { action: 'route', destination: 'operatorNetwork', defaulted: true, defaultedBy: 'origin' },
  },
  {
    kind: 'reject with the account',
    question: { direction: 'toOperator', from: UNPROVISIONED, to: CALLER, origin: 'teamsDirectRouting', subdomain: 'oadr' },
    expected: { action: 'reject', sipStatus: 403, reason: 'CallerIdScreeningFailed', accountName: 'oa-dr', teamsTenantId: TENANT },
  },
  {
    kind: 'reject without an account',
    question: { direction: 'toOperator', from: DR_NUMBER, to: CALLER, origin: 'teamsDirectRouting', subdomain: 'nosuch' },
    expected: { action: 'reject', sipStatus: 404, reason: 'UnknownSubdomain', accountName: null },
  },
  { kind: 'reject by a trunk without default', question: { direction: 'fromOperator', from: CALLER, to: UNPROVISIONED, trunk: 'lab.none' }, expected: { action: 'reject', reason: 'NumberNotProvisioned' } },
];

describe('answers', () => {
  let answers: Array<{ kind: string; body: any }>;

  beforeAll(async () => {
    answers = [];
    for (const { kind, question, expected } of QUESTIONS) {
      const reply = await ask(question);
      // The sample must be the kind it claims to be, or it proves nothing about that kind.
      expect({ kind, status: reply.status, body: reply.body }).toEqual({ kind, status: 200, body: expect.objectContaining(expected) });
      answers.push({ kind, body: reply.body });
    }
  });

  it('the document refers to the named answer schemas', () => {
    expect(routeOperation().responses['200'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/RouteAnswer' });
    expect(batchOperation().responses['200'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/RouteAnswers' });
    expect(doc.components.schemas.RouteAnswerReject.required).toEqual(
      expect.arrayContaining(['action', 'sipStatus', 'reason', 'callProtection', 'accountName', 'teamsTenantId', 'contactHosts', 'customHeader', 'defaulted', 'defaultedBy', 'ttlSeconds']),
    );
  });

  it('every answer of GET /lookup/v1/route passes the served RouteAnswer schema', () => {
    const validate = answerValidator();
    for (const { kind, body } of answers) {
      expect({ kind, ok: validate(body), errors: validate.errors ?? null }).toEqual({ kind, ok: true, errors: null });
    }
  });

  it('the outage answer (view.ts; lookupOutage.test.ts makes the lookup send it) passes the served RouteAnswer schema', () => {
    const validate = answerValidator();
    const body = JSON.parse(JSON.stringify(PROVISIONING_DATA_UNAVAILABLE));
    expect({ ok: validate(body), errors: validate.errors ?? null }).toEqual({ ok: true, errors: null });
    expect(body).toMatchObject({ action: 'reject', reason: 'ProvisioningDataUnavailable', ttlSeconds: 0 });
  });

  it('the batch answer passes the served RouteAnswers schema', async () => {
    const reply = await askBatch({ questions: QUESTIONS.map((q) => q.question) });
    expect(reply.status).toBe(200);
    expect(reply.body.answers).toEqual(answers.map((a) => a.body));
    const validate = answersValidator();
    expect({ ok: validate(reply.body), errors: validate.errors ?? null }).toEqual({ ok: true, errors: null });
  });

  it('the schemas refuse the same answers altered', () => {
    const of = (kind: string) => structuredClone(answers.find((a) => a.kind.startsWith(kind))?.body);
    const without = (kind: string, field: string) => {
      const body = of(kind);
      delete body[field];
      return body;
    };
    const altered: Array<[string, unknown]> = [
      ['unknown action', { ...of('route, provisioned'), action: 'forward' }],
      ['no ttlSeconds', without('route, provisioned', 'ttlSeconds')],
      ['negative ttlSeconds', { ...of('route, provisioned'), ttlSeconds: -1 }],
      ['fractional ttlSeconds', { ...of('route, defaulted'), ttlSeconds: 0.5 }],
      ['no defaultedBy', without('route, defaulted', 'defaultedBy')],
      ['no accountName', without('reject with', 'accountName')],
      ['unknown destination', { ...of('route, provisioned'), destination: 'pstn' }],
      ['a route with a SIP status', { ...of('route, provisioned'), sipStatus: 404 }],
      ['a route without destination', without('route, provisioned', 'destination')],
      ['a reject with a destination', { ...of('reject with'), destination: 'operatorNetwork' }],
      ['a reject without reason', without('reject with', 'reason')],
      ['an unknown reason', { ...of('reject with'), reason: 'Busy' }],
      ['a SIP status no reason has', { ...of('reject with'), sipStatus: 486 }],
      ['a reject forking to Call Protection', { ...of('reject with'), callProtection: true }],
      ['a reject with a header', { ...of('reject with'), customHeader: { name: 'X-MS-Operator-Content', value: 'h' } }],
      ['a reject with Contact hosts', { ...of('reject with'), contactHosts: ['a.example'] }],
      ['a defaulted route without its rule', { ...of('route, defaulted'), defaultedBy: null }],
      ['a defaulted route with an account', { ...of('route, defaulted'), accountName: 'oa-dr' }],
      ['an unknown rule', { ...of('route, defaulted'), defaultedBy: 'guess' }],
      ['a provisioned route with a rule', { ...of('route, provisioned'), defaultedBy: 'trunk' }],
      ['a provisioned route without its account', { ...of('route, provisioned'), accountName: null }],
      ['a header without value', { ...of('route, provisioned, towards'), customHeader: { name: 'X-MS-Operator-Content' } }],
      ['a tenant that is a number', { ...of('route, provisioned'), teamsTenantId: 7 }],
      ['a field the lookup never sends', { ...of('route, provisioned'), region: 'eu' }],
    ];
    const validate = answerValidator();
    const accepted = altered.filter(([, body]) => validate(body)).map(([what]) => what);
    expect(accepted).toEqual([]);

    const validateBatch = answersValidator();
    expect(validateBatch({ answers: [of('route, provisioned'), altered[0]?.[1]] })).toBe(false);
    expect(validateBatch({})).toBe(false);
    expect(validateBatch({ answers: [of('route, provisioned')], extra: 1 })).toBe(false);
  });
});

describe('questions', () => {
  const fromOperator = { direction: 'fromOperator', from: CALLER, to: UNPROVISIONED };
  const fromTeams = { direction: 'toOperator', from: DR_NUMBER, to: CALLER, origin: 'teamsOperatorConnect' };
  const fromDirectRouting = { direction: 'toOperator', from: DR_NUMBER, to: CALLER, origin: 'teamsDirectRouting', subdomain: 'oadr' };
  const drop = (question: Record<string, unknown>, field: string) => Object.fromEntries(Object.entries(question).filter(([k]) => k !== field));

  const CASES: Array<[what: string, question: unknown, accepted: boolean]> = [
    ['fromOperator', fromOperator, true],
    ['fromOperator with a trunk', { ...fromOperator, trunk: 'lab.oc' }, true],
    ['fromOperator with an origin it does not read', { ...fromOperator, origin: 'bogus', subdomain: 5 }, true],
    ['toOperator from Operator Connect', fromTeams, true],
    ['toOperator ignoring subdomain and trunk', { ...fromTeams, subdomain: 'a.b', trunk: 'not a trunk' }, true],
    ['toOperator from Direct Routing, upper-case label', { ...fromDirectRouting, subdomain: 'OADR' }, true],
    ['toOperator from Direct Routing ignoring trunk', { ...fromDirectRouting, trunk: 7 }, true],
    ['no direction', drop(fromOperator, 'direction'), false],
    ['unknown direction', { ...fromOperator, direction: 'sideways' }, false],
    ['no from', drop(fromOperator, 'from'), false],
    ['from without +', { ...fromOperator, from: '14255553001' }, false],
    ['from as a number', { ...fromOperator, from: 14255553001 }, false],
    ['to with a leading zero', { ...fromOperator, to: '+0425555300' }, false],
    ['to of 16 digits', { ...fromOperator, to: '+1425555300112345' }, false],
    ['a malformed trunk', { ...fromOperator, trunk: 'lab oc' }, false],
    ['a trunk that is not a string', { ...fromOperator, trunk: 7 }, false],
    ['toOperator without origin', drop(fromTeams, 'origin'), false],
    ['toOperator with an unknown origin', { ...fromTeams, origin: 'pstn' }, false],
    ['Direct Routing without subdomain', drop(fromDirectRouting, 'subdomain'), false],
    ['Direct Routing with a dotted subdomain', { ...fromDirectRouting, subdomain: 'oadr.example' }, false],
    ['an unknown field', { ...fromOperator, callId: 'x' }, false],
    ['not an object', 'fromOperator', false],
  ];

  it('the batch body schema and the lookup accept and refuse the same questions', async () => {
    const validate = batchBodyValidator();
    const verdicts: Array<{ what: string; schema: boolean; lookup: boolean }> = [];
    for (const [what, question] of CASES) {
      const body = { questions: [question] };
      const reply = await askBatch(body);
      expect([200, 400]).toContain(reply.status);
      verdicts.push({ what, schema: validate(body), lookup: reply.status === 200 });
    }
    expect(verdicts).toEqual(CASES.map(([what, , accepted]) => ({ what, schema: accepted, lookup: accepted })));
  });

  it('the batch body schema holds the list limits and lets other members pass unread, as the lookup does', async () => {
    const validate = batchBodyValidator();
    const bodies: Array<[what: string, body: unknown, accepted: boolean]> = [
      ['no questions', { questions: [] }, false],
      ['101 questions', { questions: Array.from({ length: 101 }, () => fromOperator) }, false],
      ['100 questions', { questions: Array.from({ length: 100 }, () => fromOperator) }, true],
      ['no list', { question: fromOperator }, false],
      ['another member', { questions: [fromOperator], note: 'unread' }, true],
    ];
    const verdicts = [];
    for (const [what, body] of bodies) verdicts.push({ what, schema: validate(body), lookup: (await askBatch(body)).status === 200 });
    expect(verdicts).toEqual(bodies.map(([what, , accepted]) => ({ what, schema: accepted, lookup: accepted })));
  });

  it('the query parameters: the required three, and each schema refuses the values the lookup refuses', async () => {
    const parameters: any[] = routeOperation().parameters;
    expect(parameters.map((p) => `${p.in} ${p.name}${p.required ? ' required' : ''}`)).toEqual([
      'query direction required',
      'query from required',
      'query to required',
      'query origin',
      'query subdomain',
      'query trunk',
    ]);
    const schemaOf = (name: string) => validator(parameters.find((p) => p.name === name).schema);
    const values: Array<[base: Record<string, string>, name: string, value: string, accepted: boolean]> = [
      [fromOperator, 'direction', 'fromOperator', true],
      [fromOperator, 'direction', 'sideways', false],
      [fromOperator, 'from', '+442071838750', true],
      [fromOperator, 'from', '442071838750', false],
      [fromOperator, 'to', '+0442071838', false],
      [fromOperator, 'trunk', 'lab.none', true],
      [fromOperator, 'trunk', 'lab/none', false],
      [fromTeams, 'origin', 'zoomPhoneCloudPeering', true],
      [fromTeams, 'origin', 'sip', false],
      [fromDirectRouting, 'subdomain', 'Oadr_2-x', true],
      [fromDirectRouting, 'subdomain', 'oadr example', false],
    ];
    const verdicts = [];
    for (const [base, name, value] of values) {
      const reply = await ask({ ...base, [name]: value });
      verdicts.push({ name, value, schema: schemaOf(name)(value), lookup: reply.status === 200, target: reply.body.error?.target ?? null });
    }
    expect(verdicts).toEqual(values.map(([, name, value, accepted]) => ({ name, value, schema: accepted, lookup: accepted, target: accepted ? null : name })));
  });
});
