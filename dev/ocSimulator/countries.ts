/**
 * Which country a telephone number belongs to, from its E.164 prefix. Operator Connect checks a
 * number's country against the consent's countries (B1); North American toll-free numbers share +1 8xx
 * across countries and need an explicit displayed country (B5).
 */

/** `+`, no leading zero, at most 15 digits (≤16 characters, the number rule in docs/oc-simulator.md). */
const E164 = /^\+[1-9]\d{1,14}$/;

export function isE164(telephoneNumber: string): boolean {
  return E164.test(telephoneNumber);
}

/** NANP toll-free area codes. */
const NANP_TOLL_FREE = new Set(['800', '833', '844', '855', '866', '877', '888']);

/** Canadian NANP area codes; every other geographic +1 area code counts as US here. */
const CANADIAN_AREA_CODES = new Set([
  '204', '226', '236', '249', '250', '263', '289', '306', '343', '354', '365', '367', '368', '382', '403', '416', '418', '428',
  '431', '437', '438', '450', '468', '474', '506', '514', '519', '548', '579', '581', '584', '587', '604', '613', '639', '647',
  '672', '683', '705', '709', '742', '753', '778', '780', '782', '807', '819', '825', '867', '873', '879', '902', '905',
]);

/** Non-NANP country codes the simulator knows, with the national prefixes of their toll-free ranges. */
const COUNTRY_CODES: readonly { readonly code: string; readonly iso: string; readonly tollFree: readonly string[] }[] = [
  { code: '44', iso: 'GB', tollFree: ['800', '808'] },
  { code: '61', iso: 'AU', tollFree: ['1800'] },
  { code: '49', iso: 'DE', tollFree: ['800'] },
  { code: '33', iso: 'FR', tollFree: ['80'] },
  { code: '972', iso: 'IL', tollFree: ['1800'] },
  { code: '353', iso: 'IE', tollFree: ['1800'] },
  { code: '31', iso: 'NL', tollFree: ['800'] },
];

export type NumberCountry =
  | { readonly known: true; readonly isoCountryCode: string; readonly tollFree: boolean }
  | { readonly known: false; readonly reason: string };

/** Consents sometimes say `UK` (an ACG example does); treat it as GB. */
export function normaliseCountry(code: string): string {
  const upper = code.trim().toUpperCase();
  return upper === 'UK' ? 'GB' : upper;
}

export function isNanpTollFree(telephoneNumber: string): boolean {
  return telephoneNumber.startsWith('+1') && NANP_TOLL_FREE.has(telephoneNumber.slice(2, 5));
}

export function countryOfNumber(telephoneNumber: string, displayedCountryCode?: string): NumberCountry {
  const digits = telephoneNumber.slice(1);
  if (digits.startsWith('1')) {
    const national = digits.slice(1);
    if (national.length !== 10) return { known: false, reason: 'A +1 number has ten digits after the country code.' };
    const areaCode = national.slice(0, 3);
    if (NANP_TOLL_FREE.has(areaCode)) {
      const displayed = displayedCountryCode === undefined ? undefined : normaliseCountry(displayedCountryCode);
      if (displayed === 'US' || displayed === 'CA') return { known: true, isoCountryCode: displayed, tollFree: true };
      return { known: false, reason: 'A North American toll-free number needs displayedCountryCode US or CA.' };
    }
    return { known: true, isoCountryCode: CANADIAN_AREA_CODES.has(areaCode) ? 'CA' : 'US', tollFree: false };
  }
  const entry = COUNTRY_CODES.find((candidate) => digits.startsWith(candidate.code));
  if (entry === undefined) return { known: false, reason: `No country is known for the prefix of ${telephoneNumber}.` };
  const national = digits.slice(entry.code.length);
  return { known: true, isoCountryCode: entry.iso, tollFree: entry.tollFree.some((prefix) => national.startsWith(prefix)) };
}
