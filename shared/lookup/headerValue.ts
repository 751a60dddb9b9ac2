/**
 * A stored custom SIP header value, checked once as a number enters the view (storageFacts.ts), so
 * `decide` never has to: the lookup passes on only what the Provisioning API itself would accept
 * (`customSipHeaderSchema`: 1–100 of `[A-Za-z0-9_-]`, so no CR, LF or other control character can
 * reach a SIP message), whatever wrote the row.
 */
import { logEvent } from '../log/logger';
import { customSipHeaderSchema } from '../contract/resources';

/** The value to send, or undefined for none; a value that is not sendable is dropped and logged. */
export function storedHeaderValue(telephoneNumber: string, raw: unknown): string | undefined {
  if (raw === undefined || raw === null || raw === '') return undefined;
  if (typeof raw === 'string' && customSipHeaderSchema.safeParse(raw).success) return raw;
  // The number, not the value: the value is what is unsafe to pass on, logs included.
  logEvent('warn', 'lookup.header.refused', {
    telephoneNumber,
    reason: 'stored customSipHeader is not a valid header value (1-100 letters, digits, "_" or "-"); answering without the header',
  });
  return undefined;
}
