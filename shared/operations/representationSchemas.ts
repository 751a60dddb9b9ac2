/**
 * What the API answers, as zod schemas: the success body of every operation (resources, pages,
 * batch results, Teams answers) and the Azure.Core error body. They describe the responses in the
 * OpenAPI document (openapi.ts); each operation of the table names its own (`returns`). Account and
 * number build on the input schemas (shared/contract/resources.ts) and replace what the server owns
 * (provisioning status and errors, subdomainStatus) with its exact type. The names are the
 * contract's definition names: test/contract/openapi.test.ts compares each with the official one.
 */
import { z } from 'zod';
import { accountInputSchema, accountServiceDetailsSchema, numberInputSchema } from '../contract/resources';
import { CIVIC_ADDRESS_TEXT_FIELDS } from '../flowthrough/oc/wire';

/** Every named schema: the document gives each one entry under components/schemas and refers to it. */
export const REPRESENTATIONS = z.registry<{ id: string }>();

function named<S extends z.ZodType>(id: string, schema: S): S {
  REPRESENTATIONS.add(schema, { id });
  return schema;
}

// ---- Azure.Core errors -----------------------------------------------------------------------

interface InnerError {
  code?: string | undefined;
  innererror?: InnerError | undefined;
}
const innerErrorSchema: z.ZodType<InnerError> = named(
  'InnerError',
  z.object({ code: z.string().optional(), innererror: z.lazy(() => innerErrorSchema).optional() }),
);

interface ErrorObject {
  code: string;
  message: string;
  target?: string | undefined;
  details?: ErrorObject[] | undefined;
  innererror?: InnerError | undefined;
}
const errorObjectSchema: z.ZodType<ErrorObject> = named(
  'Error',
  z.object({
    code: z.string(),
    message: z.string(),
    target: z.string().optional(),
    details: z.array(z.lazy(() => errorObjectSchema)).optional(),
    innererror: innerErrorSchema.optional(),
  }),
);

/** Azure.Core ErrorResponse: what every 4xx/5xx answer carries (with x-ms-error-code). */
export const errorResponseSchema = named('ErrorResponse', z.object({ error: errorObjectSchema }));

// ---- Accounts and numbers --------------------------------------------------------------------

const serverOwned = {
  serviceProvisioningStatus: z.enum(['pending', 'synced', 'failed']).optional(),
  serviceProvisioningErrors: z.array(errorObjectSchema).optional(),
};

const directRoutingAccount = accountServiceDetailsSchema.shape.teamsDirectRouting
  .unwrap()
  .extend({ subdomainStatus: z.enum(['provisioned', 'notProvisioned', 'inconsistent']) });

export const accountResourceSchema = named(
  'AccountResource',
  accountInputSchema.extend({ ...serverOwned, serviceDetails: accountServiceDetailsSchema.extend({ teamsDirectRouting: directRoutingAccount.optional() }).optional() }),
);

export const numberResourceSchema = named('NumberResource', numberInputSchema.extend(serverOwned));

/** A page of a list: `nextLink` while more follow (responses.ts). */
function paged(id: string, item: z.ZodType) {
  return named(id, z.object({ value: z.array(item), nextLink: z.url().optional() }));
}

export const pagedAccountsSchema = paged('PagedAccountResource', accountResourceSchema);
export const pagedAccountNumbersSchema = paged('PagedNumberResource', numberResourceSchema);
export const pagedNumbersSchema = paged('PagedNumberList', numberResourceSchema);

/** The answer of :createOrUpdateNumbers: every number of the batch as stored. */
export const batchNumbersResultSchema = named('BatchNumbers', z.object({ numbers: z.array(numberResourceSchema).max(100) }));

// ---- Teams (read through from Operator Connect, docs/teams.md) -------------------------------

const texts = z.array(z.string());

const capabilityPlanSchema = named(
  'TeamsCapabilityPlan',
  z.object({
    name: z.string(),
    offerTypes: texts.optional(),
    usage: z.string(),
    mandatoryCapabilities: texts.optional(),
    choosableCapabilities: texts.optional(),
    supportsTollFree: z.boolean(),
  }),
);
export const capabilityPlansSchema = named('TeamsCapabilityPlans', z.object({ capabilityPlans: z.array(capabilityPlanSchema) }));

export const availableCapabilitiesSchema = named('TeamsAvailableCapabilities', z.object({ availableCapabilities: texts }));

/** A location keeps Operator Connect's `description` too (shared/teams/civicAddressShape.ts), as the address does. */
const locationSchema = named(
  'Location',
  z.object({
    id: z.string().min(1),
    civicAddressId: z.string().min(1),
    description: z.string().optional(),
    additionalInfo: z.string().optional(),
    isDefault: z.boolean().optional(),
    elin: z.string().optional(),
  }),
);

/** Operator Connect's text fields (description too), the address's tenant and partner (civicAddressShape.ts). */
const ADDRESS_TEXT = ['country', ...CIVIC_ADDRESS_TEXT_FIELDS, 'tenantId', 'partnerId'] as const;
const addressText = Object.fromEntries(ADDRESS_TEXT.map((field) => [field, z.string().optional()])) as Record<(typeof ADDRESS_TEXT)[number], z.ZodOptional<z.ZodString>>;

export const civicAddressSchema = named(
  'TeamsCivicAddressResource',
  z.object({
    id: z.string().min(1),
    defaultLocationId: z.string().min(1),
    ...addressText,
    validationStatus: z.enum(['notValidated', 'validated']).optional(),
    locations: z.array(locationSchema).optional(),
  }),
);
export const pagedCivicAddressesSchema = paged('PagedTeamsCivicAddressResource', civicAddressSchema);

const contactSchema = named(
  'ContactDetails',
  z.object({
    fullName: z.string().min(1),
    email: z.string().min(1),
    telephoneNumber: z.string().optional(),
    companyName: z.string().optional(),
    companySize: z.string().optional(),
  }),
);

const dateTime = z.iso.datetime({ offset: true });

const customerRelationshipSchema = named(
  'CustomerRelationship',
  z.object({ status: z.string().optional(), lastModifiedOn: dateTime.optional(), comment: z.string().optional() }),
);

/** The request for information (shared/teams/rfiRepresentation.ts builds it). */
export const rfiResourceSchema = named(
  'RequestForInformationResource',
  z.object({
    ...serverOwned,
    id: z.string().optional(),
    tenantId: z.string(),
    accountName: z.string().optional(),
    productContext: z.string().optional(),
    operatorId: z.string().optional(),
    status: z.enum(['active', 'suspended', 'removed']).optional(),
    consentedOn: dateTime.optional(),
    lastModifiedOn: dateTime.optional(),
    consentedCountries: texts.optional(),
    contacts: z.array(contactSchema).optional(),
    customerRelationship: customerRelationshipSchema.optional(),
  }),
);
export const pagedRfisSchema = paged('PagedRequestForInformationResource', rfiResourceSchema);
