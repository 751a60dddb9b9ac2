/**
 * Host-free request/response shapes. functions/ adapts @azure/functions' HttpRequest to ApiRequest
 * and ApiResponse back to HttpResponseInit, so everything below functions/ runs without a host.
 */
export interface ApiRequest {
  readonly method: string;
  readonly url: URL;
  readonly params: Readonly<Record<string, string>>;
  readonly headers: { get(name: string): string | null };
  /**
   * The body, read on the first call through the bounded reader (shared/contract/body.ts) and the
   * same bytes after that. Operations call it after authorization, so an anonymous request's body
   * is never read.
   */
  readBody(): Promise<Buffer>;
}

export interface ApiResponse {
  status: number;
  headers: Record<string, string>;
  /** JSON-serialisable body; undefined = no body. */
  body?: unknown;
}

export function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): ApiResponse {
  return { status, headers, body };
}

export function emptyResponse(status: number, headers: Record<string, string> = {}): ApiResponse {
  return { status, headers };
}
