/**
 * The Operator Connect wire shapes, written once as zod schemas (our pinned contract: docs/oc-client.md).
 * Each schema has two faces:
 * - its input type (`Wire…`, `z.input`) is the JSON the API sends; the simulator (dev/ocSimulator/wire.ts)
 *   produces exactly that, so a field it forgets or misspells is a type error;
 * - its output type (`z.output`) is what the client hands the reconciler; port.ts names these `Oc…`.
 * Reading is tolerant where mirrors disagree: enum values in any casing and separator style, empty
 * strings and nulls as absent, booleans written as strings, alternative field names. Identity fields
 * (ids, telephone numbers, usage) are required. Unknown fields are dropped, except on civic
 * addresses, whose free-form fields are kept as they come.
 */
import { z } from 'zod';

const fold = (value: string): string => value.toLowerCase().replace(/[\s_-]/g, '');

/** The object without its undefined-valued keys, typed with those keys optional. */
type Compact<T> = { [K in keyof T as undefined extends T[K] ? never : K]: T[K] } & { [K in keyof T as undefined extends T[K] ? K : never]?: Exclude<T[K], undefined> };
function compact<T extends object>(fields: T): Compact<T> {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as Compact<T>;
}

// ---------------------------------------------------------------------------------------------
// Field readers.

/** An identity field: a non-empty string, or the object is unusable. */
const requiredText = z.string().min(1);
/** Optional text: an empty string, null or a value of another type counts as absent. */
const optionalText = z
  .string()
  .nullish()
  .catch(undefined)
  .transform((value) => (value === '' || value === null ? undefined : value))
  .optional();
/** Text the port always has: absent is ''. */
const textOrEmpty = optionalText.transform((value) => value ?? '');
/** A list of strings: null or absent is empty, items of another type are dropped; not a list is an error. */
const textList = z
  .array(z.unknown())
  .nullish()
  .transform((items) => (items ?? []).filter((item): item is string => typeof item === 'string'));
/** A list of objects read with `item`; null or absent is empty. */
const listOf = <T extends z.ZodType>(item: T) =>
  z
    .array(item)
    .nullish()
    .transform((items) => items ?? []);
/** true/false, also written as a string in any casing; anything else is undefined. */
const optionalFlag = z
  .union([z.boolean(), z.string()])
  .nullish()
  .catch(undefined)
  .transform((value) => (typeof value === 'boolean' ? value : typeof value === 'string' && /^(true|false)$/i.test(value) ? value.toLowerCase() === 'true' : undefined))
  .optional();
const flag = (fallback: boolean) => optionalFlag.transform((value) => value ?? fallback);

/** Case- and separator-insensitive enum (`in_progress`, `InProgress` and `INPROGRESS` agree); `wire` is the canonical spelling. */
function wireEnum<const W extends string, T extends string>(what: string, table: Readonly<Record<W, T>>) {
  const folded = new Map(Object.entries<T>(table).map(([wire, value]) => [fold(wire), value]));
  return z.custom<W>((value) => typeof value === 'string').transform((value, context): T => {
    const match = folded.get(fold(value));
    if (match === undefined) {
      context.addIssue({ code: 'custom', message: `${what} ${JSON.stringify(value)} is not a known value`, input: value });
      return z.NEVER;
    }
    return match;
  });
}
const identity = <const T extends string>(values: readonly T[]) => Object.fromEntries(values.map((value) => [value, value])) as Record<T, T>;

// ---------------------------------------------------------------------------------------------
// Enumerations (values as in docs/oc-client.md, "What is known"; PascalCase on the wire).

export const CONSENT_STATUSES = ['Active', 'Suspended', 'Removed'] as const;
export const CUSTOMER_RELATIONSHIP_STATUSES = ['ConsentAcknowledged', 'CustomerContacted', 'AgreementSigned', 'ConsentDeclined', 'ContractTerminated'] as const;
export const ORDER_TYPES = ['Upload', 'Release', 'Unassign'] as const;
export const ORDER_STATUSES = ['Pending', 'InProgress', 'Succeeded', 'PartiallySucceeded', 'Failed'] as const;
export const ORDER_ITEM_STATUSES = ['Pending', 'InProgress', 'Succeeded', 'Failed'] as const;
export const VALIDATION_STATUSES = ['Validated', 'NotValidated'] as const;

const consentStatus = wireEnum('consent status', identity(CONSENT_STATUSES));
const relationshipStatus = wireEnum('customer relationship status', identity(CUSTOMER_RELATIONSHIP_STATUSES));
const orderType = wireEnum('order type', identity(ORDER_TYPES));
type OrderStatus = (typeof ORDER_STATUSES)[number];

/**
 * Order status vocabularies: ours (Pending/InProgress/Succeeded/PartiallySucceeded/Failed), the
 * upload one (Success/PartialSuccess/Error) and the release one (Complete/Failed/Expired) seen
 * through Telnyx (docs/oc-client.md, "What is known"). `Complete` is resolved from the per-number results.
 */
const orderStatus = wireEnum<string, OrderStatus | 'Complete' | 'Expired'>('order status', {
  ...identity(ORDER_STATUSES),
  Success: 'Succeeded',
  PartialSuccess: 'PartiallySucceeded',
  Error: 'Failed',
  Complete: 'Complete',
  Completed: 'Complete',
  Expired: 'Expired',
});
const orderItemStatus = wireEnum<string, (typeof ORDER_ITEM_STATUSES)[number]>('order item status', {
  ...identity(ORDER_ITEM_STATUSES),
  Success: 'Succeeded',
  Complete: 'Succeeded',
  Completed: 'Succeeded',
  Error: 'Failed',
  Expired: 'Failed',
});

/** Only `Unassigned` means free; every other value (`UserAssigned`, `ConferenceAssigned`, `VoiceAppAssigned`…) is a use. */
const assignmentStatus = z
  .string()
  .nullish()
  .catch(undefined)
  // Missing counts as assigned: the caller then unassigns before releasing, a no-op on a free number.
  .transform((value): 'assigned' | 'unassigned' => (typeof value === 'string' && fold(value) === 'unassigned' ? 'unassigned' : 'assigned'))
  .optional();

const validationStatus = z
  .string()
  .nullish()
  .catch(undefined)
  .transform((value) => (typeof value === 'string' ? VALIDATION_STATUSES.find((status) => fold(status) === fold(value)) : undefined))
  .optional();

/** An offer type as a name or as `{ offerTypeName }` (calling profiles); a nameless object is dropped. */
const offerTypes = z
  .array(z.union([z.string(), z.object({ offerTypeName: optionalText, name: optionalText })]))
  .nullish()
  .transform((items) => (items ?? []).map((item) => (typeof item === 'string' ? item : (item.offerTypeName ?? item.name))).filter((name): name is string => name !== undefined));

// ---------------------------------------------------------------------------------------------
// Consents and calling profiles.

export const contactSchema = z
  .object({ fullName: textOrEmpty, email: textOrEmpty, telephoneNumber: optionalText, phoneNumber: optionalText, companyName: optionalText, companySize: optionalText })
  .transform((c) => ({ fullName: c.fullName, email: c.email, ...compact({ telephoneNumber: c.telephoneNumber ?? c.phoneNumber, companyName: c.companyName, companySize: c.companySize }) }));

export const customerRelationshipSchema = z
  .object({ status: relationshipStatus, comment: optionalText, lastModifiedOn: optionalText })
  .transform((r) => ({ status: r.status, ...compact({ comment: r.comment, lastModifiedOn: r.lastModifiedOn }) }));

export const consentSchema = z
  .object({
    id: requiredText,
    tenantId: requiredText,
    operatorId: textOrEmpty,
    productContext: optionalText,
    status: consentStatus,
    consentedOn: textOrEmpty,
    lastModifiedOn: textOrEmpty,
    consentedCountries: textList,
    contacts: listOf(contactSchema),
    customerRelationship: customerRelationshipSchema.nullish(),
  })
  .transform(({ productContext: _context, customerRelationship, ...consent }) => ({ ...consent, ...compact({ customerRelationship: customerRelationship ?? undefined }) }));

export const callingProfileSchema = z
  .object({ callingProfileId: optionalText, id: optionalText, name: textOrEmpty, nameSuffix: optionalText, offerTypes })
  .refine((p) => p.callingProfileId !== undefined || p.id !== undefined, { message: 'callingProfileId is missing', path: ['callingProfileId'] })
  .transform((p) => ({
    id: (p.callingProfileId ?? p.id) as string,
    name: p.name,
    offerTypes: p.offerTypes,
    /** Teams Phone Mobile profile (numbers carry the Mobile capability). */
    mobile: p.offerTypes.some((offer) => fold(offer) === 'mobile'),
    ...compact({ nameSuffix: p.nameSuffix }),
  }));

// ---------------------------------------------------------------------------------------------
// Capability plans, civic addresses and locations.

export const capabilityPlanSchema = z.object({
  name: textOrEmpty,
  offerTypes,
  usage: requiredText,
  mandatoryCapabilities: textList,
  choosableCapabilities: textList,
  supportsTollFree: flag(false),
});

/** `civicAddressId` and `isDefault` may be left out: the address fills them (civicAddressSchema). */
export const locationSchema = z
  .object({ id: requiredText, civicAddressId: optionalText, description: optionalText, additionalInfo: optionalText, isDefault: optionalFlag, elin: optionalText })
  .transform((l) => compact(l));

/** Free-form text fields of a civic address (docs/oc-client.md, "What is known"). */
export const CIVIC_ADDRESS_TEXT_FIELDS = [
  'houseNumber',
  'houseNumberSuffix',
  'preDirectional',
  'streetName',
  'streetSuffix',
  'postDirectional',
  'stateOrProvince',
  'countyOrDistrict',
  'cityOrTown',
  'cityOrTownAlias',
  'postalOrZipCode',
  'description',
  'companyName',
  'companyId',
  'latitude',
  'longitude',
] as const;
export type CivicAddressTextField = (typeof CIVIC_ADDRESS_TEXT_FIELDS)[number];

/** Kept as sent (coordinates sometimes arrive as JSON numbers); the Teams mapping reads them. */
const addressText = z.union([z.string(), z.number()]).optional();

export const civicAddressSchema = z
  .looseObject({
    id: requiredText,
    country: textOrEmpty,
    ...(Object.fromEntries(CIVIC_ADDRESS_TEXT_FIELDS.map((field) => [field, addressText])) as Record<CivicAddressTextField, typeof addressText>),
    tenantId: optionalText,
    partnerId: optionalText,
    validationStatus,
    defaultLocationId: optionalText,
    locations: listOf(locationSchema),
  })
  .transform(({ locations, validationStatus: status, defaultLocationId, ...fields }) => ({
    ...fields,
    locations: locations.map((location) => ({
      ...location,
      civicAddressId: location.civicAddressId ?? fields.id,
      isDefault: location.isDefault ?? location.id === defaultLocationId,
    })),
    ...compact({ defaultLocationId, validationStatus: status }),
  }));

// ---------------------------------------------------------------------------------------------
// Numbers and orders.

export const numberSchema = z
  .object({
    telephoneNumber: requiredText,
    tenantId: optionalText,
    callingProfileId: optionalText,
    usage: textOrEmpty,
    additionalUsages: textList,
    acquiredCapabilities: textList,
    availableCapabilities: textList,
    isoCountryCode: optionalText,
    displayedCountryCode: optionalText,
    civicAddressId: optionalText,
    locationId: optionalText,
    allowTenantAddressUpdate: flag(false),
    assignmentStatus,
    acquiredOn: optionalText,
  })
  .transform(({ tenantId, assignmentStatus: status, ...n }) => ({ ...compact(n), ...compact({ tenantId }), assignmentStatus: status ?? 'assigned' }));

export const orderResultSchema = z
  .object({ telephoneNumber: requiredText, status: orderItemStatus, errorCode: optionalText, errorMessage: optionalText })
  .transform((r) => compact(r));

const orderError = z.object({ code: optionalText, message: optionalText }).transform((e) => ({ code: e.code ?? 'Unknown', message: e.message ?? '' }));

function resolveOrderStatus(wire: OrderStatus | 'Complete' | 'Expired', results: readonly { status: string }[]): OrderStatus {
  if (wire === 'Expired') return 'Failed';
  if (wire !== 'Complete') return wire;
  const failed = results.filter((r) => r.status === 'Failed').length;
  if (failed === 0) return 'Succeeded';
  return failed === results.length ? 'Failed' : 'PartiallySucceeded';
}

export const orderSchema = z
  .object({
    orderId: optionalText,
    id: optionalText,
    type: orderType,
    tenantId: requiredText,
    status: orderStatus,
    createdAt: textOrEmpty,
    completedAt: optionalText,
    /** Counts and ticket are for people reading the order; the results say the same per number. */
    totalCount: z.number().optional().catch(undefined),
    successCount: z.number().optional().catch(undefined),
    failureCount: z.number().optional().catch(undefined),
    ticketId: optionalText,
    results: listOf(orderResultSchema),
    error: orderError.nullish(),
  })
  .refine((o) => o.orderId !== undefined || o.id !== undefined, { message: 'orderId is missing', path: ['orderId'] })
  .transform((o) => {
    const error = o.error ?? (o.status === 'Expired' ? { code: 'OrderExpired', message: 'The order expired before it completed.' } : undefined);
    return {
      orderId: (o.orderId ?? o.id) as string,
      type: o.type,
      tenantId: o.tenantId,
      status: resolveOrderStatus(o.status, o.results),
      createdAt: o.createdAt,
      results: o.results,
      ...compact({ completedAt: o.completedAt, error }),
    };
  });

export const availableCapabilitiesSchema = z.object({
  availableCapabilities: listOf(z.object({ telephoneNumber: requiredText, availableCapabilities: textList })),
});

// ---------------------------------------------------------------------------------------------
// The types, both faces.

export type WireConsent = z.input<typeof consentSchema>;
export type WireCallingProfile = z.input<typeof callingProfileSchema>;
export type WireCapabilityPlan = z.input<typeof capabilityPlanSchema>;
export type WireLocation = z.input<typeof locationSchema>;
export type WireCivicAddress = z.input<typeof civicAddressSchema>;
export type WireNumber = z.input<typeof numberSchema>;
export type WireOrder = z.input<typeof orderSchema>;

export type OcContact = z.output<typeof contactSchema>;
export type OcConsent = z.output<typeof consentSchema>;
export type OcCallingProfile = z.output<typeof callingProfileSchema>;
export type OcCapabilityPlan = z.output<typeof capabilityPlanSchema>;
export type OcCivicAddress = z.output<typeof civicAddressSchema>;
export type OcLocation = OcCivicAddress['locations'][number];
export type OcNumber = z.output<typeof numberSchema>;
export type OcOrderResult = z.output<typeof orderResultSchema>;
export type OcOrder = z.output<typeof orderSchema>;
