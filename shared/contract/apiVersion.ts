import { ApiError, ErrorCode } from './errors';

export const API_VERSION = '2024-02-29-preview';
export const SUPPORTED_API_VERSIONS: readonly string[] = [API_VERSION];

/** Every route requires `api-version`; only the versions we implement are accepted. */
export function checkApiVersion(url: URL): void {
  const values = url.searchParams.getAll('api-version');
  if (values.length === 0 || values[0] === '') {
    throw new ApiError(400, ErrorCode.MissingApiVersion, `The api-version query parameter is required. Supported versions: ${SUPPORTED_API_VERSIONS.join(', ')}.`);
  }
  const version = values[0] as string;
  if (values.length > 1 || !SUPPORTED_API_VERSIONS.includes(version)) {
    throw new ApiError(
      400,
      ErrorCode.UnsupportedApiVersion,
      `The api-version '${values.join(',').slice(0, 64)}' is not supported. Supported versions: ${SUPPORTED_API_VERSIONS.join(', ')}.`,
      { target: 'api-version' },
    );
  }
}
