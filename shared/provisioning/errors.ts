import { ApiError, ErrorCode, type ErrorDetail } from '../contract/errors';

/** One 400 for many problems: the top-level code is the shared one, else InvalidRequestContent. */
export function combinedDetailsError(details: ErrorDetail[], message?: string): ApiError {
  const codes = new Set(details.map((d) => d.code));
  const code = codes.size === 1 ? (details[0]?.code ?? ErrorCode.InvalidRequestContent) : ErrorCode.InvalidRequestContent;
  const text = message ?? (details.length === 1 ? (details[0]?.message ?? 'The request is invalid.') : `The request has ${details.length} problems; see details.`);
  return new ApiError(400, code, text, { details });
}
