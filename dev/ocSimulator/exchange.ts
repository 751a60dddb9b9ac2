/**
 * The request and response as handlers see them: parsed once by the server, free of sockets, so every
 * handler is a plain function from a request (and the simulation) to a response.
 */
import type { IncomingHttpHeaders } from 'node:http';

export interface SimRequest {
  readonly method: string;
  /** Path below the API prefix (operator routes) or the full path (token and /_sim routes). */
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  /** Parsed JSON, or undefined for an empty body (form bodies are read from rawBody). */
  readonly body: unknown;
  readonly rawBody: string;
}

export interface SimResponse {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

export function jsonResponse(status: number, body: unknown, headers?: Readonly<Record<string, string>>): SimResponse {
  return headers === undefined ? { status, body } : { status, body, headers };
}

export const noContent: SimResponse = { status: 204 };
