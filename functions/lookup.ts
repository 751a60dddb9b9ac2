/**
 * Lookup_Route: the SIP layer's per-call question (docs/lookup.md).
 *   GET  /lookup/v1/route?direction=&from=&to=[&origin=][&subdomain=][&trunk=]   → RouteAnswer
 *   POST /lookup/v1/route:batch  { questions: [...] } (1–100)             → { answers: [...] } in order
 * Our own API, not the provisioning contract: no api-version. Bearer token with Lookup.Query.
 * Warm calls are answered from memory without awaiting anything but the first token check.
 */
import { logEvent } from '../shared/log/logger';
import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { logAuthRejection, processBearerValidator } from '../shared/auth/authorizer';
import { readBoundedBody, readJsonBody } from '../shared/contract/body';
import { ApiError } from '../shared/contract/errors';
import { echoableClientRequestId, errorResponse, toApiError } from '../shared/contract/pipeline';
import { methodNotAllowed, unknownRoute } from '../shared/contract/routeErrors';
import { lookupSettings, lookupStartupSummary } from '../shared/lookup/config';
import { lookupService, type LookupHealth } from '../shared/lookup/lookupService';
import { lookupParameterError, questionFromQuery, questionsFromBatch } from '../shared/lookup/question';
import type { RouteAnswer } from '../shared/lookup/types';
import { createTokenGate } from '../shared/lookup/verifiedTokens';
import { recordLookupAnswer } from '../shared/telemetry/metrics';

const OPERATION_ID = 'Lookup_Route';
/** Registered by functions/index.ts. */
export const LOOKUP_ROUTE = 'lookup/v1/{operation}';
/** 100 questions of ~150 bytes each, with room for whitespace. */
const MAX_BATCH_BODY_BYTES = 64 * 1024;
const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

// Fail fast at start-up on bad LOOKUP_* or AUTH_* settings, as functions/index.ts does for the rest.
lookupSettings();
// Once per process, where the function registers: how this deployment routes (header, services, defaults).
logEvent('info', 'lookup.settings', { summary: lookupStartupSummary() });
const tokens = createTokenGate(processBearerValidator(), OPERATION_ID);

function respond(status: number, body: string, request: HttpRequest, health?: LookupHealth, extra?: Record<string, string>): HttpResponseInit {
  const headers: Record<string, string> = { 'content-type': JSON_CONTENT_TYPE, ...extra };
  if (health?.degraded === true) {
    headers['x-lookup-degraded'] = 'storage-unavailable';
    headers['x-lookup-staleness-ms'] = String(health.stalenessMs);
  }
  // The API refuses a longer id (shared/contract/pipeline.ts); the SIP layer's lookup answers and drops it.
  const clientRequestId = echoableClientRequestId(request.headers);
  if (clientRequestId !== undefined) headers['x-ms-client-request-id'] = clientRequestId;
  return { status, headers, body };
}

/** The batch body as JSON; every intake problem is the lookup's one 400 code. */
async function batchBody(request: HttpRequest): Promise<unknown> {
  try {
    const bytes = await readBoundedBody(request.body, request.headers.get('content-length'), MAX_BATCH_BODY_BYTES);
    return readJsonBody(bytes, request.headers.get('content-type'), { contentTypes: ['application/json'], maxBytes: MAX_BATCH_BODY_BYTES, required: true });
  } catch (err) {
    if (err instanceof ApiError) throw lookupParameterError(err.message, err.target ?? 'body');
    throw err;
  }
}

async function route(request: HttpRequest, started: number): Promise<HttpResponseInit> {
  const service = lookupService();
  const question = questionFromQuery(request.query);
  const catchingUp = service.freshness();
  if (catchingUp !== undefined) await catchingUp;
  const answer = service.answerFromMemory(question) ?? (await service.answer(question));
  recordLookupAnswer(answer, performance.now() - started);
  return respond(200, JSON.stringify(answer), request, service.health());
}

async function routeBatch(request: HttpRequest, started: number): Promise<HttpResponseInit> {
  const service = lookupService();
  const questions = questionsFromBatch(await batchBody(request));
  await service.freshness();
  const answers = await Promise.all(questions.map((q): RouteAnswer | Promise<RouteAnswer> => service.answerFromMemory(q) ?? service.answer(q)));
  // Each answer counts; a batch's answers share its time.
  const elapsed = performance.now() - started;
  for (const answer of answers) recordLookupAnswer(answer, elapsed);
  return respond(200, JSON.stringify({ answers }), request, service.health());
}

export async function lookupHandler(request: HttpRequest, _context: InvocationContext): Promise<HttpResponseInit> {
  const started = performance.now();
  try {
    const operation = request.params.operation;
    const batch = operation === 'route:batch';
    if (!batch && operation !== 'route') throw unknownRoute(new URL(request.url).pathname);
    const allowed = batch ? 'POST' : 'GET';
    if (request.method !== allowed) throw methodNotAllowed(request.method, [allowed]);
    const verifying = tokens.check(request.headers.get('authorization'));
    if (verifying !== undefined) await verifying;
    return await (batch ? routeBatch(request, started) : route(request, started));
  } catch (err) {
    // Same event as the provisioning API's rejections, so one alert covers both apps (docs/operations.md).
    logAuthRejection(err, OPERATION_ID, new URL(request.url).pathname);
    const { status, headers, body } = errorResponse(toApiError(err));
    return respond(status, JSON.stringify(body), request, undefined, headers);
  }
}
