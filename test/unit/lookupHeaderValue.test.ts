/**
 * Stored header values as they enter the lookup's view: what the Provisioning API accepts passes,
 * anything else (control characters, other characters, too long, not a string) is dropped and the
 * number is logged, never the value.
 */
import { storedHeaderValue } from '../../shared/lookup/headerValue';

let warn: jest.SpyInstance;
beforeEach(() => {
  warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
});
afterEach(() => warn.mockRestore());

describe('stored custom SIP header values', () => {
  it.each(['a', 'contoso_7', 'A-b_9', 'x'.repeat(100)])('passes %s on', (value) => {
    expect(storedHeaderValue('+14255550100', value)).toBe(value);
    expect(warn).not.toHaveBeenCalled();
  });

  it.each([undefined, null, ''])('treats %j as no value, silently', (value) => {
    expect(storedHeaderValue('+14255550100', value)).toBeUndefined();
    expect(warn).not.toHaveBeenCalled();
  });

  it.each([
    ['a CR LF and a second header', 'ok\r\nX-Evil: 1'],
    ['a bare LF', 'ok\nmore'],
    ['a NUL', 'ok\u0000'],
    ['a tab', 'ok\tok'],
    ['a DEL', 'ok\u007f'],
    ['a space', 'ok ok'],
    ['a semicolon (header parameters)', 'ok;tag=1'],
    ['a non-ASCII letter', 'café'],
    ['101 characters', 'x'.repeat(101)],
    ['a number, not a string', 42],
  ])('drops a value with %s and logs the number, not the value', (_what, value) => {
    expect(storedHeaderValue('+14255550100', value)).toBeUndefined();
    expect(warn).toHaveBeenCalledTimes(1);
    const logged = JSON.parse(String(warn.mock.calls[0]?.[0]));
    expect(logged).toMatchObject({ event: 'lookup.header.refused', telephoneNumber: '+14255550100' });
    if (typeof value === 'string') expect(String(warn.mock.calls[0]?.[0])).not.toContain(JSON.stringify(value).slice(1, -1));
  });
});
