/**
 * The Number Management Portal's static front end (docs/portal.md), built by `npm run build` into
 * dist/portal and served under /portal/: hashed assets cached for a year, index.html revalidated,
 * client routes answered with index.html, a strict Content-Security-Policy on everything, and
 * /portal/config.json telling the browser how to sign in. Registered by functions/index.ts.
 */
import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { portalConfig, portalSecurityHeaders } from '../shared/portal/portalConfig';
import { portalAssets, type PortalAsset } from '../shared/portal/portalAssets';

const NO_CACHE = 'no-cache';
const IMMUTABLE = 'public, max-age=31536000, immutable';

function notFound(): HttpResponseInit {
  const body = JSON.stringify({ error: { code: 'NotFound', message: 'No portal file at this path.' } });
  return { status: 404, headers: { 'content-type': 'application/json; charset=utf-8', 'x-ms-error-code': 'NotFound', ...portalSecurityHeaders(process.env) }, body };
}

function fileResponse(request: HttpRequest, asset: PortalAsset, cacheControl: string): HttpResponseInit {
  const headers: Record<string, string> = {
    'content-type': asset.contentType,
    'cache-control': cacheControl,
    etag: asset.etag,
    ...portalSecurityHeaders(process.env),
  };
  if (request.headers.get('if-none-match') === asset.etag) return { status: 304, headers };
  return { status: 200, headers, body: request.method === 'HEAD' ? undefined : asset.body };
}

/** The portal's route under the host's prefix: one function for every file and client route. */
export const PORTAL_ROUTE = 'portal/{*path}';

export async function portalHandler(request: HttpRequest): Promise<HttpResponseInit> {
  const requested = request.params.path ?? '';
  if (requested === 'config.json') {
    return {
      status: 200,
      headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': NO_CACHE, ...portalSecurityHeaders(process.env) },
      body: JSON.stringify(portalConfig(process.env)),
    };
  }
  const assets = portalAssets(process.env);
  const resolved = assets.resolve(requested);
  switch (resolved.kind) {
    case 'refused':
    case 'missingFile':
      return notFound();
    case 'notBuilt': {
      const body = JSON.stringify({ error: { code: 'ServiceUnavailable', message: 'The portal has not been built: run `npm run build`.' } });
      return { status: 503, headers: { 'content-type': 'application/json; charset=utf-8', 'x-ms-error-code': 'ServiceUnavailable' }, body };
    }
    case 'file':
      return fileResponse(request, resolved.asset, resolved.hashed ? IMMUTABLE : NO_CACHE);
    case 'clientRoute':
      return fileResponse(request, resolved.asset, NO_CACHE);
  }
}
