/** Route-level answers shared by every function: unknown action (404) and wrong method (405). */
import { ApiError, ErrorCode } from './errors';

export function methodNotAllowed(method: string, allowed: readonly string[]): ApiError {
  return new ApiError(405, ErrorCode.MethodNotAllowed, `${method} is not supported on this resource; use ${allowed.join(', ')}.`, {
    headers: { Allow: allowed.join(', ') },
  });
}

export function unknownRoute(path: string): ApiError {
  return new ApiError(404, ErrorCode.NotFound, `No operation exists at ${path.slice(0, 200)}.`);
}

/** Azure.Core actions: `/accounts/{name}:{action}`; account names cannot contain ':'. */
export function splitAction(segment: string): { name: string; action?: string } {
  const at = segment.indexOf(':');
  return at < 0 ? { name: segment } : { name: segment.slice(0, at), action: segment.slice(at + 1) };
}
