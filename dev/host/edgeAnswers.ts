/**
 * What the local host answers itself, before or instead of a function: unknown paths, wrong methods,
 * bodies over its cap, and requests Node's parser refuses. Every one is an Azure.Core error body with
 * `x-ms-error-code`, like the API's own answers (docs/api.md "At the edge", docs/errors.md).
 */
import http from 'node:http';
import type { Duplex } from 'node:stream';
import { ErrorCode } from '../../shared/contract/errors';

const JSON_TYPE = 'application/json; charset=utf-8';

/** The request line plus headers Node accepts (its default is 16 KiB); longer → RequestHeadersTooLarge. */
export const MAX_HEADER_BYTES = 64 * 1024;

function errorBody(code: string, message: string): string {
  return JSON.stringify({ error: { code, message } });
}

/**
 * An Azure.Core error from the host. `close` ends the connection after the answer: used when the
 * request body is left unread, so nothing of it is read or buffered.
 */
export function sendEdgeError(
  res: http.ServerResponse,
  status: number,
  code: string,
  message: string,
  options: { headers?: Record<string, string>; close?: boolean } = {},
): void {
  const body = errorBody(code, message);
  if (options.close === true) res.shouldKeepAlive = false;
  res
    .writeHead(status, {
      ...options.headers,
      'content-type': JSON_TYPE,
      'content-length': String(Buffer.byteLength(body)),
      'x-ms-error-code': code,
    })
    .end(body);
}

/** Node's parser error codes → our answer. Anything unlisted is a malformed request (400). */
function classify(err: Error & { code?: string }): { status: number; code: string; message: string } {
  switch (err.code) {
    case 'HPE_HEADER_OVERFLOW':
      return { status: 400, code: ErrorCode.RequestHeadersTooLarge, message: `The request line and headers together exceed ${MAX_HEADER_BYTES / 1024} KiB.` };
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return { status: 408, code: ErrorCode.RequestTimeout, message: 'The request was not received completely in time.' };
    default:
      return { status: 400, code: ErrorCode.InvalidHttpRequest, message: `The request is not valid HTTP/1.1 (${err.code ?? 'parse error'}).` };
  }
}

/**
 * The server's `clientError` handler: Node's own writes a bare `400`/`431`. There is no request or
 * response object here, so the answer is written to the socket, and the connection is closed (the
 * parser cannot find the next request in what follows).
 */
export function answerClientError(err: Error & { code?: string }, socket: Duplex): void {
  const pending = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
  if (err.code === 'ECONNRESET' || !socket.writable || pending?.headersSent === true) {
    socket.destroy();
    return;
  }
  const { status, code, message } = classify(err);
  const body = errorBody(code, message);
  socket.end(
    `HTTP/1.1 ${status} ${http.STATUS_CODES[status] ?? ''}\r\n` +
      `content-type: ${JSON_TYPE}\r\ncontent-length: ${Buffer.byteLength(body)}\r\nx-ms-error-code: ${code}\r\nconnection: close\r\n\r\n${body}`,
  );
}
