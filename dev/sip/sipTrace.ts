/**
 * Reads SIPp's message trace (`-trace_msg -message_file F`): every SIP message a SIPp instance sent
 * or received, in order, so tests assert on what actually went over the wire.
 */
import fs from 'node:fs';

export interface SipMessage {
  /** `sent` or `received` by the SIPp instance that wrote the trace. */
  readonly direction: 'sent' | 'received';
  /** When SIPp logged it: ms since the epoch, µs resolution (the trace's local wall-clock time). */
  readonly at: number;
  /** The start line: `INVITE sip:... SIP/2.0` or `SIP/2.0 200 OK`. */
  readonly startLine: string;
  /** Request method, or undefined for a response. */
  readonly method?: string;
  /** Response status, or undefined for a request. */
  readonly status?: number;
  /** Header fields in order, names as written. */
  readonly headers: ReadonlyArray<readonly [name: string, value: string]>;
  readonly body: string;
  readonly callId: string;
  /** CSeq method (`INVITE` for responses to the INVITE). */
  readonly cseqMethod: string;
}

// RFC 3261 §7.3.3 compact forms SIPp or Kamailio could write.
const COMPACT: Readonly<Record<string, string>> = { i: 'call-id', f: 'from', t: 'to', v: 'via', m: 'contact', l: 'content-length', c: 'content-type' };

const canonical = (name: string) => {
  const lower = name.toLowerCase();
  return COMPACT[lower] ?? lower;
};

/** Every value of a header (case-insensitive name, compact forms included). */
export function headerValues(message: SipMessage, name: string): string[] {
  const wanted = canonical(name);
  return message.headers.filter(([n]) => canonical(n) === wanted).map(([, v]) => v);
}

/** The first value of a header, or undefined. */
export function header(message: SipMessage, name: string): string | undefined {
  return headerValues(message, name)[0];
}

const SEPARATOR = /^-{10,} (\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)\.(\d{1,6})$/;

/** The separator's local time → ms since the epoch. */
function stampOf(match: RegExpExecArray): number {
  const [y, mo, d, h, mi, sec] = match.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const micros = Number((match[7] as string).padEnd(6, '0'));
  return new Date(y, mo - 1, d, h, mi, sec).getTime() + micros / 1000;
}
const KIND = /^(?:UDP|TCP|TLS|SCTP) message (sent|received)\b/;

function parseMessage(direction: 'sent' | 'received', at: number, lines: string[]): SipMessage | undefined {
  while (lines.length > 0 && (lines[0] as string).trim() === '') lines.shift();
  const startLine = lines.shift()?.trim();
  if (startLine === undefined || startLine === '') return undefined;
  const headers: Array<readonly [string, string]> = [];
  let i = 0;
  for (; i < lines.length; i++) {
    const line = (lines[i] as string).replace(/\r$/, '');
    if (line.trim() === '') break;
    const last = headers[headers.length - 1];
    if (/^[ \t]/.test(line) && last !== undefined) {
      headers[headers.length - 1] = [last[0], `${last[1]} ${line.trim()}`]; // folded line
      continue;
    }
    const colon = line.indexOf(':');
    if (colon > 0) headers.push([line.slice(0, colon).trim(), line.slice(colon + 1).trim()]);
  }
  const response = /^SIP\/2\.0 (\d{3})/.exec(startLine);
  const message: Omit<SipMessage, 'callId' | 'cseqMethod'> = {
    direction,
    at,
    startLine,
    ...(response !== null ? { status: Number(response[1]) } : { method: startLine.split(' ')[0] as string }),
    headers,
    body: lines.slice(i + 1).join('\n').trim(),
  };
  const partial = { ...message, callId: '', cseqMethod: '' };
  const cseq = header(partial, 'CSeq') ?? '';
  return { ...message, callId: header(partial, 'Call-ID') ?? '', cseqMethod: cseq.split(/\s+/)[1] ?? '' };
}

/** Parses a trace's text. */
export function parseSipTrace(text: string): SipMessage[] {
  const messages: SipMessage[] = [];
  let direction: 'sent' | 'received' | undefined;
  let at = NaN;
  let lines: string[] = [];
  const flush = () => {
    if (direction !== undefined) {
      const message = parseMessage(direction, at, lines);
      if (message !== undefined) messages.push(message);
    }
    direction = undefined;
    lines = [];
  };
  for (const line of text.split('\n')) {
    const separator = SEPARATOR.exec(line.trim());
    if (separator !== null) {
      flush();
      at = stampOf(separator);
      continue;
    }
    const kind = direction === undefined && lines.length === 0 ? KIND.exec(line.trim()) : null;
    if (kind !== null) {
      direction = kind[1] as 'sent' | 'received';
      continue;
    }
    if (direction !== undefined) lines.push(line);
  }
  flush();
  return messages;
}

/** Reads and parses a trace file; a file not written yet is an empty trace. */
export function readSipTrace(file: string): SipMessage[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  return parseSipTrace(text);
}
