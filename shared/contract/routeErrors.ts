/** Route-level errors shared by every function: unknown route or action (404) and wrong method (405). */
import { ApiError, ErrorCode } from './errors';

export function methodNotAllowed(method: string, allowed: readonly string[]): ApiError {
  return new ApiError(405, ErrorCode.MethodNotAllowed, `${method} is not supported on this resource; use ${allowed.join(', ')}.`, {
    headers: { Allow: allowed.join(', ') },
  });
}

export function unknownRoute(path: string): ApiError {
  return new ApiError(404, ErrorCode.NotFound, `No operation exists at ${path.slice(0, 200)}.`);
}
