/**
 * The API operations' body intake: the request's bytes through the one bounded reader (read once,
 * after authorization: shared/contract/http.ts `readBody`) and the one JSON reader
 * (shared/contract/body.ts), with the operation's accepted media types.
 */
import { config } from '../config';
import { readJsonBody } from '../contract/body';
import type { ApiRequest } from '../contract/http';

export interface BodyIntake {
  /** Accepted media types, e.g. ['application/json']. */
  readonly contentTypes: readonly string[];
  /** When false an absent/empty body is `undefined` instead of an error. */
  readonly required: boolean;
}

export const JSON_BODY: BodyIntake = { contentTypes: ['application/json'], required: true };

export async function readRequestJson(req: ApiRequest, intake: BodyIntake): Promise<unknown> {
  return readJsonBody(await req.readBody(), req.headers.get('content-type'), { ...intake, maxBytes: config().maxBodyBytes });
}
