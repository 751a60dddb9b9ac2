/**
 * The small contract modules the pipeline answers with, at unit level: the api-version check
 * (shared/contract/apiVersion.ts), the route errors every function shares (routeErrors.ts: 404 and
 * 405 + Allow) and the response constructors (http.ts). Over HTTP: test/integration/conventions and
 * pipelineOrder tests.
 */
import { API_VERSION, SUPPORTED_API_VERSIONS, checkApiVersion } from '../../shared/contract/apiVersion';
import { emptyResponse, jsonResponse } from '../../shared/contract/http';
import { methodNotAllowed, unknownRoute } from '../../shared/contract/routeErrors';
import type { ApiError } from '../../shared/contract/errors';
import { thrownApiError } from '../support/apiErrors';

const url = (query: string) => new URL(`http://localhost/accounts${query}`);
const errorOf = (err: ApiError) => ({ status: err.status, code: err.code, message: err.message, target: err.target, headers: err.headers });

describe('checkApiVersion', () => {
  const missing = {
    status: 400,
    code: 'MissingApiVersion',
    message: 'The api-version query parameter is required. Supported versions: 2024-02-29-preview.',
    target: undefined,
    headers: undefined,
  };
  const unsupported = (shown: string) => ({
    status: 400,
    code: 'UnsupportedApiVersion',
    message: `The api-version '${shown}' is not supported. Supported versions: 2024-02-29-preview.`,
    target: 'api-version',
    headers: undefined,
  });

  it('the one supported version is the swagger version', () => {
    expect(API_VERSION).toBe('2024-02-29-preview');
    expect(SUPPORTED_API_VERSIONS).toEqual(['2024-02-29-preview']);
  });

  it.each(['?api-version=2024-02-29-preview', '?filter=x&api-version=2024-02-29-preview&top=1'])('accepts %s', (query) => {
    expect(() => checkApiVersion(url(query))).not.toThrow();
  });

  it.each([
    ['no query', ''],
    ['other parameters only', '?filter=x'],
    ['an empty value', '?api-version='],
    ['an empty first of two values', '?api-version=&api-version=2024-02-29-preview'],
    ['a parameter name in another case', '?API-VERSION=2024-02-29-preview'],
  ])('%s is 400 MissingApiVersion listing the supported versions', (_, query) => {
    expect(errorOf(thrownApiError(() => checkApiVersion(url(query))))).toEqual(missing);
  });

  it.each([
    ['another version', '?api-version=1999-01-01', '1999-01-01'],
    ['the version in another case', '?api-version=2024-02-29-PREVIEW', '2024-02-29-PREVIEW'],
    ['the supported version given twice', '?api-version=2024-02-29-preview&api-version=2024-02-29-preview', '2024-02-29-preview,2024-02-29-preview'],
    ['a supported version after an unsupported one', '?api-version=x&api-version=2024-02-29-preview', 'x,2024-02-29-preview'],
    ['the supported version then an empty one', '?api-version=2024-02-29-preview&api-version=', '2024-02-29-preview,'],
  ])('%s is 400 UnsupportedApiVersion naming what was sent and api-version as target', (_, query, shown) => {
    expect(errorOf(thrownApiError(() => checkApiVersion(url(query))))).toEqual(unsupported(shown));
  });

  it('shows at most the first 64 characters of what was sent', () => {
    const sent = `${'v'.repeat(60)}-and-more-text`;
    expect(thrownApiError(() => checkApiVersion(url(`?api-version=${sent}`))).message).toBe(
      `The api-version '${sent.slice(0, 64)}' is not supported. Supported versions: 2024-02-29-preview.`,
    );
    expect(sent.slice(0, 64)).toHaveLength(64);
  });
});

describe('route errors', () => {
  it('methodNotAllowed: 405 MethodNotAllowed naming the method, with the allowed methods in the message and in Allow', () => {
    expect(errorOf(methodNotAllowed('PATCH', ['GET', 'PUT', 'DELETE']))).toEqual({
      status: 405,
      code: 'MethodNotAllowed',
      message: 'PATCH is not supported on this resource; use GET, PUT, DELETE.',
      target: undefined,
      headers: { Allow: 'GET, PUT, DELETE' },
    });
    expect(methodNotAllowed('PUT', ['POST']).headers).toEqual({ Allow: 'POST' });
  });

  it('unknownRoute: 404 NotFound naming the path, cut at 200 characters', () => {
    expect(errorOf(unknownRoute('/accounts/contoso:frobnicate'))).toEqual({
      status: 404,
      code: 'NotFound',
      message: 'No operation exists at /accounts/contoso:frobnicate.',
      target: undefined,
      headers: undefined,
    });
    const long = `/${'a'.repeat(199)}bcdef`;
    expect(unknownRoute(long).message).toBe(`No operation exists at /${'a'.repeat(199)}.`);
  });
});

describe('response constructors', () => {
  it('jsonResponse: status, body and the given headers, none by default', () => {
    expect(jsonResponse(200, { a: 1 }, { ETag: '"x"' })).toStrictEqual({ status: 200, headers: { ETag: '"x"' }, body: { a: 1 } });
    expect(jsonResponse(201, [])).toStrictEqual({ status: 201, headers: {}, body: [] });
  });

  it('emptyResponse: status and headers, no body member at all', () => {
    expect(emptyResponse(204)).toStrictEqual({ status: 204, headers: {} });
    expect(emptyResponse(304, { ETag: '"x"' })).toStrictEqual({ status: 304, headers: { ETag: '"x"' } });
  });

  it('each default header map is a new object, so adding a header to one answer leaves the next alone', () => {
    const first = emptyResponse(204);
    first.headers['x-ms-client-request-id'] = 'c1';
    expect(emptyResponse(204).headers).toStrictEqual({});
    const json = jsonResponse(200, null);
    json.headers['x-ms-client-request-id'] = 'c1';
    expect(jsonResponse(200, null).headers).toStrictEqual({});
  });
});
