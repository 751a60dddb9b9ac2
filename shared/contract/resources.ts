/**
 * Zod schemas of the resources as clients send them (the single source of truth for input shape),
 * matching the official swagger's definitions. Read-only fields are accepted with their declared
 * type (clients round-trip GET bodies) and then dropped: they are never taken from clients.
 */
import { z } from 'zod';

export const ACCOUNT_NAME = /^[A-Za-z0-9_-]+$/;
export const TELEPHONE_NUMBER = /^\+[1-9]\d+$/;
export const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

export const accountNameSchema = z.string().min(1).max(100).regex(ACCOUNT_NAME, 'must contain only letters, digits, "_" and "-"');
export const telephoneNumberSchema = z
  .string()
  .min(3)
  .max(16)
  .regex(TELEPHONE_NUMBER, 'must be an E.164 number: "+", a non-zero digit, then digits (at most 15 digits)');

/** Free-form strings the contract leaves unbounded still get a bound so an entity stays far below Table Storage limits. */
const boundedText = (max: number) => z.string().min(1).max(max);

const errorSchema: z.ZodType<unknown> = z.lazy(() =>
  z.object({ code: z.string(), message: z.string(), target: z.string().optional(), details: z.array(errorSchema).optional() }).loose(),
);
const readOnlyStatus = {
  serviceProvisioningStatus: z.string().optional(),
  serviceProvisioningErrors: z.array(errorSchema).optional(),
};

// ---- Account ---------------------------------------------------------------------------------

const syncedServiceAccount = z.strictObject({
  syncEnabled: z.boolean(),
  enabled: z.boolean(),
  numberCount: z.number().int().optional(),
});

export const subdomainTokensSchema = z.strictObject({
  region1Token: z.string().min(1).max(100).regex(/^[A-Za-z0-9=_-]+$/, 'must contain only letters, digits, "=", "_" and "-"'),
  region2Token: z.string().min(1).max(100).regex(/^[A-Za-z0-9=_-]+$/, 'must contain only letters, digits, "=", "_" and "-"'),
});

export const directRoutingConfigSchema = z.strictObject({
  callScreening: z.boolean(),
  subdomain: z.string().min(1).max(10).regex(ACCOUNT_NAME, 'must contain only letters, digits, "_" and "-"'),
  subdomainTokens: subdomainTokensSchema,
});

export const accountServiceDetailsSchema = z.strictObject({
  teamsTenantId: z.string().regex(GUID, 'must be a GUID').optional(),
  teamsOperatorConnect: syncedServiceAccount.optional(),
  teamsDirectRouting: z
    .strictObject({
      syncEnabled: z.boolean(),
      enabled: z.boolean(),
      numberCount: z.number().int().optional(),
      configuration: directRoutingConfigSchema.optional(),
      subdomainStatus: z.string().optional(),
    })
    .optional(),
  teamsPhoneMobile: syncedServiceAccount.optional(),
  zoomPhoneCloudPeering: syncedServiceAccount.optional(),
  azureOperatorCallProtection: z.strictObject({ enabled: z.boolean(), numberCount: z.number().int().optional() }).optional(),
});

export const accountInputSchema = z.strictObject({
  name: accountNameSchema,
  correlationId: boundedText(256).optional(),
  serviceDetails: accountServiceDetailsSchema.optional(),
  ...readOnlyStatus,
});
export type AccountInput = z.infer<typeof accountInputSchema>;

// ---- Number ----------------------------------------------------------------------------------

const teamsText = boundedText(100);
export const teamsNumberConfigSchema = z.strictObject({
  usage: teamsText,
  choosableCapabilities: z.array(teamsText).max(20),
  acquiredCapabilities: z.array(z.string()).optional(),
  availableCapabilities: z.array(z.string()).optional(),
  additionalUsages: z.array(teamsText).max(20).optional(),
  civicAddressId: teamsText.optional(),
  locationId: teamsText.optional(),
  allowTenantAddressUpdate: z.boolean().optional(),
  displayedCountryCode: z.string().min(1).max(8).optional(),
});

const teamsNumberDetails = z.strictObject({
  enabled: z.boolean(),
  assignmentStatus: z.enum(['assigned', 'unassigned']).optional(),
  configuration: teamsNumberConfigSchema.optional(),
});
const enabledOnly = z.strictObject({ enabled: z.boolean() });

export const numberServiceDetailsSchema = z.strictObject({
  teamsOperatorConnect: teamsNumberDetails.optional(),
  teamsDirectRouting: enabledOnly.optional(),
  teamsPhoneMobile: teamsNumberDetails.optional(),
  zoomPhoneCloudPeering: enabledOnly.optional(),
  azureOperatorCallProtection: enabledOnly.optional(),
});

export const customSipHeaderSchema = z.string().min(1).max(100).regex(/^[A-Za-z0-9_-]+$/, 'must contain only letters, digits, "_" and "-"');

export const numberInputSchema = z.strictObject({
  telephoneNumber: telephoneNumberSchema,
  accountName: accountNameSchema,
  serviceDetails: numberServiceDetailsSchema,
  configuration: z.strictObject({ customSipHeader: customSipHeaderSchema.optional() }).optional(),
  ...readOnlyStatus,
});
export type NumberInput = z.infer<typeof numberInputSchema>;

export const batchNumbersSchema = z.strictObject({ numbers: z.array(z.unknown()).max(100) });
export const numberIdentifierSchema = z.strictObject({ telephoneNumber: telephoneNumberSchema });
export const batchNumbersDeleteSchema = z.strictObject({ numbers: z.array(z.unknown()).max(100) });
