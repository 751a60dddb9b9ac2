/**
 * The one reader of a server-named wait for our outbound calls (Operator Connect, Azure DNS, the
 * token endpoints). Strict: a value that is not exactly one of the forms below is ignored, so a
 * garbled header falls back to our own backoff instead of becoming an arbitrary wait.
 */

interface HeaderSource {
  get(name: string): string | null;
}

/** Azure's millisecond variants, read before `Retry-After` when present. */
const MILLISECOND_HEADERS = ['retry-after-ms', 'x-ms-retry-after-ms'] as const;

const DIGITS = /^\d+$/;

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const DAY = '(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)';
const LONG_DAY = '(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)';
const MONTH = '(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)';
const TIME = '(\\d{2}):(\\d{2}):(\\d{2})';

/** The three HTTP-date forms of RFC 9110 §5.6.7; each yields day, month, year, hour, minute, second. */
const IMF_FIXDATE = new RegExp(`^${DAY}, (\\d{2}) ${MONTH} (\\d{4}) ${TIME} GMT$`);
const RFC850_DATE = new RegExp(`^${LONG_DAY}, (\\d{2})-${MONTH}-(\\d{2}) ${TIME} GMT$`);
const ASCTIME_DATE = new RegExp(`^${DAY} ${MONTH} ( \\d|\\d{2}) ${TIME} (\\d{4})$`);

function utc(year: number, month: string, day: number, hour: number, minute: number, second: number): number | undefined {
  const monthIndex = MONTHS.indexOf(month.toLowerCase());
  if (day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) return undefined;
  const at = Date.UTC(year, monthIndex, day, hour, minute, second);
  // 31 Feb would roll over into March: not a date.
  return new Date(at).getUTCDate() === day ? at : undefined;
}

/** Epoch ms of an HTTP-date (RFC 9110 §5.6.7), all three forms, always GMT; undefined otherwise. `nowMs` places two-digit years. */
export function parseHttpDate(value: string, nowMs: number): number | undefined {
  let m = IMF_FIXDATE.exec(value);
  if (m) return utc(Number(m[3]), m[2] as string, Number(m[1]), Number(m[4]), Number(m[5]), Number(m[6]));
  m = RFC850_DATE.exec(value);
  if (m) {
    // Two-digit years: RFC 9110 §5.6.7 says one more than 50 years ahead is in the past century.
    const twoDigit = Number(m[3]);
    const thisYear = new Date(nowMs).getUTCFullYear();
    let year = Math.floor(thisYear / 100) * 100 + twoDigit;
    if (year > thisYear + 50) year -= 100;
    return utc(year, m[2] as string, Number(m[1]), Number(m[4]), Number(m[5]), Number(m[6]));
  }
  m = ASCTIME_DATE.exec(value);
  if (m) return utc(Number(m[6]), m[1] as string, Number((m[2] as string).trim()), Number(m[3]), Number(m[4]), Number(m[5]));
  return undefined;
}

/**
 * One `Retry-After` value in milliseconds: delay-seconds (digits only) or an HTTP-date relative to
 * `nowMs`, never negative (RFC 9110 §10.2.3). Absent, empty or anything else → undefined.
 */
export function retryAfterValueMs(value: string | null | undefined, nowMs: number): number | undefined {
  const text = value?.trim();
  if (text === undefined || text === '') return undefined;
  if (DIGITS.test(text)) return Number(text) * 1000;
  const at = parseHttpDate(text, nowMs);
  return at === undefined ? undefined : Math.max(0, at - nowMs);
}

/**
 * The server-directed wait of a response in milliseconds: `retry-after-ms` / `x-ms-retry-after-ms`
 * (Azure conventions, digits only), else `Retry-After`. Unreadable or absent → undefined.
 */
export function parseRetryAfter(headers: HeaderSource, nowMs: number): number | undefined {
  for (const name of MILLISECOND_HEADERS) {
    const value = headers.get(name)?.trim();
    if (value !== undefined && DIGITS.test(value)) return Number(value);
  }
  return retryAfterValueMs(headers.get('retry-after'), nowMs);
}
