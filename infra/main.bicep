// The provisioning platform in one resource group, as two Flex Consumption function apps built from
// one package (infra/README.md "Function apps"):
//   api     the Provisioning API, the flow-through worker and the sweeper (APP_FUNCTIONS=api,worker)
//   lookup  the SIP layer's route lookup, never cold: always-ready instances (APP_FUNCTIONS=lookup)
// with one user-assigned managed identity each, Table Storage (zone-redundant), Service Bus (the
// flow-through queue with sessions), Application Insights + Log Analytics, and optionally the Azure
// DNS zone of the Direct Routing records. No keys or secrets: every connection is an identity.
// Raw resources only, no registry modules, so the template builds without network access to a
// module registry. Deploy with `az deployment group create` (infra/README.md).

targetScope = 'resourceGroup'

// ---------------------------------------------------------------------------------------------
// Naming and placement

@description('Short name of this deployment, part of every resource name: 2-10 characters; only lower-case letters and digits are kept (others are dropped, see names below).')
@minLength(2)
@maxLength(10)
param appName string = 'voiceprov'

// Regions that offer Flex Consumption, from Microsoft's Flex Consumption quickstart template
// (Azure-Samples/functions-quickstart-typescript-azd infra/main.bicep) as of 2026-12-07; the
// current list: `az functionapp list-flexconsumption-locations`.
@description('Azure region: one that offers Flex Consumption.')
@allowed([
  'australiaeast'
  'australiasoutheast'
  'brazilsouth'
  'canadacentral'
  'centralindia'
  'centralus'
  'eastasia'
  'eastus'
  'eastus2'
  'francecentral'
  'germanywestcentral'
  'italynorth'
  'japaneast'
  'koreacentral'
  'northcentralus'
  'northeurope'
  'norwayeast'
  'southafricanorth'
  'southcentralus'
  'southeastasia'
  'southindia'
  'spaincentral'
  'swedencentral'
  'uaenorth'
  'uksouth'
  'ukwest'
  'westcentralus'
  'westeurope'
  'westus'
  'westus2'
  'westus3'
])
param location string = resourceGroup().location
param tags object = {}

// ---------------------------------------------------------------------------------------------
// Scale and warm instances

@allowed([512, 2048, 4096])
param instanceMemoryMB int = 2048
@description('Most instances of the API app (Provisioning API + worker).')
@minValue(40)
@maxValue(1000)
param apiMaximumInstanceCount int = 100
@description('Most instances of the lookup app.')
@minValue(40)
@maxValue(1000)
param lookupMaximumInstanceCount int = 100
@description('Always-ready instances of the lookup (HTTP group): every SIP call asks it, so it is never scaled to zero. 2 keeps one warm while the other restarts.')
@minValue(1)
@maxValue(20)
param lookupAlwaysReady int = 2
@description('Always-ready instances of the Provisioning API (HTTP group). 0 = the first BSS call after idle waits for a cold start.')
@minValue(0)
@maxValue(20)
param apiAlwaysReady int = 0
@description('Always-ready instances of the flow-through worker (Service Bus trigger). 0 = a kick after idle waits for the scale controller and a cold start (seconds), which the asynchronous flow-through tolerates.')
@minValue(0)
@maxValue(20)
param workerAlwaysReady int = 0

// ---------------------------------------------------------------------------------------------
// Inbound access: source IP allow-lists (default deny), on top of the bearer tokens

@description('Addresses (CIDR, e.g. 203.0.113.0/24) of the BSS clients allowed to call the Provisioning API. Empty = nobody.')
param apiAllowedAddresses array = []
@description('Addresses (CIDR) of the SIP layer (SBCs / Kamailio) allowed to call the lookup. Empty = nobody.')
param lookupAllowedAddresses array = []
@description('Addresses (CIDR) allowed to reach the deployment (scm) endpoint of both apps, e.g. the CI runner. Empty = not restricted by address (scm still requires an Entra token with rights on the app).')
param deploymentAllowedAddresses array = []

// ---------------------------------------------------------------------------------------------
// Application settings the code reads

@description('Prefix of every table name (TABLE_PREFIX): isolates side-by-side deployments sharing one account. Empty = none.')
param tablePrefix string = ''

@description('Base domain of the Direct Routing customer subdomains (DR_BASE_DOMAIN): records are <label>.1r1.<base> and <label>.1r2.<base>.')
param drBaseDomain string

@description('Entra tenant whose tokens both apps accept (AUTH_TENANT_ID).')
param authTenantId string = tenant().tenantId
@description('Accepted token audience(s), comma-separated: the API app registration\'s Application ID URI or client id (AUTH_AUDIENCE).')
param authAudience string
@description('Optional: accepted issuer(s) when not the tenant\'s v2.0 issuer (AUTH_ISSUER).')
param authIssuer string = ''
@description('Optional: JWKS URI when not the tenant\'s (AUTH_JWKS_URI).')
param authJwksUri string = ''
@description('Optional: accepted signature algorithms (AUTH_ALGORITHMS); the app defaults to RS256,ES256.')
param authAlgorithms string = ''

@description('Optional: the portal\'s Entra app registration (a single-page application) client id (PORTAL_CLIENT_ID). Empty = the portal offers no cloud sign-in (docs/portal.md).')
param portalClientId string = ''
@description('Optional: the API scope the portal asks tokens for (PORTAL_API_SCOPE), e.g. api://voice-provisioning/.default.')
param portalApiScope string = ''

@description('Operator Connect API base URL (OC_API_BASE_URL). Empty until the operator is onboarded.')
param ocApiBaseUrl string = ''
@description('Token scope of the Operator Connect API (OC_SCOPE), e.g. <api-app-id-uri>/.default.')
param ocScope string = ''
@description('Whether the Operator Connect client authenticates with the API app\'s managed identity (OC_AUTH_MODE=managed-identity).')
param ocUseManagedIdentity bool = true

// The lookup's answers (docs/lookup.md). Changing one later: a redeploy with the new value, or an
// app setting change on the lookup app, which restarts it (infra/README.md "Changing the header name").
@description('SIP header that carries the number\'s custom value (LOOKUP_HEADER_NAME): an RFC 3261 token, at most 64 characters. The SBCs must add the header under this name.')
@minLength(1)
@maxLength(64)
param lookupHeaderName string = 'X-MS-Operator-Content'
@description('Whether answers carry the custom header at all (LOOKUP_CUSTOM_HEADER_ENABLED).')
param lookupCustomHeaderEnabled bool = true
@description('Services this deployment offers (LOOKUP_SERVICES).')
@allowed(['teamsDirectRouting', 'teamsOperatorConnect', 'teamsPhoneMobile', 'zoomPhoneCloudPeering', 'azureOperatorCallProtection'])
param lookupServices array = ['teamsDirectRouting', 'teamsOperatorConnect', 'teamsPhoneMobile', 'zoomPhoneCloudPeering', 'azureOperatorCallProtection']
@description('Default service of unprovisioned numbers per SIP trunk the call arrived on (LOOKUP_TRUNK_DEFAULTS): { trunkName: teamsOperatorConnect | teamsPhoneMobile | none }.')
param lookupTrunkDefaults object = {
  'operator-fixed': 'teamsOperatorConnect'
  'operator-mobile': 'teamsPhoneMobile'
}
@description('E.164 prefixes of the operator\'s mobile numbers (LOOKUP_MOBILE_PREFIXES), e.g. [\'+4915\', \'+4917\'].')
param lookupMobilePrefixes array = []
@description('How long the SBC may reuse an answer (LOOKUP_TTL_SECONDS); adds to the view\'s staleness, so keep it short.')
@minValue(0)
@maxValue(300)
param lookupTtlSeconds int = 1
@description('E.164 numbers Zoom uses to verify the peering, routed to Zoom by a built-in rule (LOOKUP_ZOOM_VERIFICATION_NUMBERS).')
param lookupZoomVerificationNumbers array = []

@description('More app settings for both apps (e.g. AUTH_CLOCK_SKEW_SECONDS). They can override the app settings above but not the host\'s storage connection. Never put secrets here.')
param extraAppSettings object = {}

// ---------------------------------------------------------------------------------------------
// Azure DNS for the Direct Routing TXT records

@description('none: no zone, the worker keeps the records in a table (DNS_BACKEND=local; labs only). existing: use a zone that exists. new: create the zone (delegate to the name servers output).')
@allowed(['none', 'existing', 'new'])
param dnsZoneMode string = 'none'
@description('The zone: DR_BASE_DOMAIN itself or a parent of it.')
param dnsZoneName string = drBaseDomain
param dnsZoneSubscriptionId string = subscription().subscriptionId
param dnsZoneResourceGroup string = resourceGroup().name

// ---------------------------------------------------------------------------------------------
// Storage

@description('Redundancy of the storage account that holds the system of record (the tables): zone-redundant at least.')
@allowed(['Standard_ZRS', 'Standard_GZRS', 'Standard_RAGZRS'])
param storageSku string = 'Standard_ZRS'

// ---------------------------------------------------------------------------------------------
// Names

// Bicep has no pattern decorator: characters other than lower-case letters and digits are dropped,
// so every derived name is valid (the unique token keeps names distinct and non-empty).
var nameCharacters = 'abcdefghijklmnopqrstuvwxyz0123456789'
var cleanAppName = join(filter(map(range(0, length(appName)), i => substring(toLower(appName), i, 1)), c => contains(nameCharacters, c)), '')
var token = uniqueString(resourceGroup().id, appName)
var names = {
  apiIdentity: 'id-${cleanAppName}-api-${token}'
  lookupIdentity: 'id-${cleanAppName}-lookup-${token}'
  logAnalytics: 'log-${cleanAppName}-${token}'
  applicationInsights: 'appi-${cleanAppName}-${token}'
  storage: take('st${cleanAppName}${token}', 24)
  serviceBus: 'sb-${cleanAppName}-${token}'
  apiPlan: 'plan-${cleanAppName}-api-${token}'
  lookupPlan: 'plan-${cleanAppName}-lookup-${token}'
  apiApp: 'func-${cleanAppName}-api-${token}'
  lookupApp: 'func-${cleanAppName}-lookup-${token}'
}
// Nested deployment names are unique per environment: two environments whose modules land in one
// resource group (the DNS zone's) must not overwrite each other's deployment records.
var deploymentSuffix = '${cleanAppName}-${token}'
var deploymentContainers = {
  api: 'app-package-api'
  lookup: 'app-package-lookup'
}
// The queue the worker's trigger listens on and the app sends to: FLOWTHROUGH_QUEUE in
// shared/flowthrough/kicks.ts, the one source of the name (test/infra/templates.test.ts checks
// they agree). Not an app setting: the code does not read one.
var flowthroughQueue = 'flowthrough'
var useAzureDns = dnsZoneMode != 'none'

// ---------------------------------------------------------------------------------------------
// Identities: one per app (infra/README.md "Identities")

resource apiIdentity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: names.apiIdentity
  location: location
  tags: tags
}

resource lookupIdentity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: names.lookupIdentity
  location: location
  tags: tags
}

// ---------------------------------------------------------------------------------------------
// Shared resources

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring-${deploymentSuffix}'
  params: {
    location: location
    tags: tags
    logAnalyticsName: names.logAnalytics
    applicationInsightsName: names.applicationInsights
    principalIds: [apiIdentity.properties.principalId, lookupIdentity.properties.principalId]
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage-${deploymentSuffix}'
  params: {
    location: location
    tags: tags
    storageAccountName: names.storage
    skuName: storageSku
    deploymentContainerNames: [deploymentContainers.api, deploymentContainers.lookup]
    principalIds: [apiIdentity.properties.principalId, lookupIdentity.properties.principalId]
  }
}

module serviceBus 'modules/serviceBus.bicep' = {
  name: 'serviceBus-${deploymentSuffix}'
  params: {
    location: location
    tags: tags
    namespaceName: names.serviceBus
    queueName: flowthroughQueue
    principalId: apiIdentity.properties.principalId
  }
}

module dnsZone 'modules/dnsZone.bicep' = if (dnsZoneMode == 'new') {
  name: 'dnsZone-${deploymentSuffix}'
  scope: resourceGroup(dnsZoneSubscriptionId, dnsZoneResourceGroup)
  params: {
    zoneName: dnsZoneName
    tags: tags
  }
}

module dnsZoneAccess 'modules/dnsZoneAccess.bicep' = if (useAzureDns) {
  name: 'dnsZoneAccess-${deploymentSuffix}'
  scope: resourceGroup(dnsZoneSubscriptionId, dnsZoneResourceGroup)
  params: {
    zoneName: dnsZoneName
    principalId: apiIdentity.properties.principalId
  }
  dependsOn: [dnsZone]
}

// ---------------------------------------------------------------------------------------------
// App settings (names as the code reads them; test/infra/templates.test.ts checks both directions)

// Optional settings are left out when empty: the app treats absent and empty alike, and an absent
// setting reads more clearly in the portal.
var commonSettings = union(
  {
    TABLES_ENDPOINT: storage.outputs.tableEndpoint
    DR_BASE_DOMAIN: drBaseDomain
    AUTH_TENANT_ID: authTenantId
    AUTH_AUDIENCE: authAudience
    APPLICATIONINSIGHTS_CONNECTION_STRING: monitoring.outputs.connectionString
  },
  empty(tablePrefix) ? {} : { TABLE_PREFIX: tablePrefix },
  empty(authIssuer) ? {} : { AUTH_ISSUER: authIssuer },
  empty(authJwksUri) ? {} : { AUTH_JWKS_URI: authJwksUri },
  empty(authAlgorithms) ? {} : { AUTH_ALGORITHMS: authAlgorithms }
)

var dnsSettings = useAzureDns
  ? {
      DNS_BACKEND: 'azure'
      DNS_ZONE_SUBSCRIPTION_ID: dnsZoneSubscriptionId
      DNS_ZONE_RESOURCE_GROUP: dnsZoneResourceGroup
      DNS_ZONE_NAME: dnsZoneName
    }
  : {
      DNS_BACKEND: 'local'
    }

var operatorConnectSettings = union(
  ocUseManagedIdentity ? { OC_AUTH_MODE: 'managed-identity' } : {},
  empty(ocApiBaseUrl) ? {} : { OC_API_BASE_URL: ocApiBaseUrl },
  empty(ocScope) ? {} : { OC_SCOPE: ocScope }
)

var portalSettings = union(
  empty(portalClientId) ? {} : { PORTAL_CLIENT_ID: portalClientId },
  empty(portalApiScope) ? {} : { PORTAL_API_SCOPE: portalApiScope }
)

var apiAppSettings = union(commonSettings, dnsSettings, operatorConnectSettings, portalSettings, {
  APP_FUNCTIONS: 'api,worker'
  AZURE_CLIENT_ID: apiIdentity.properties.clientId
  APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${apiIdentity.properties.clientId};Authorization=AAD'
  ServiceBusConnection__fullyQualifiedNamespace: serviceBus.outputs.fullyQualifiedNamespace
  ServiceBusConnection__credential: 'managedidentity'
  ServiceBusConnection__clientId: apiIdentity.properties.clientId
})

var lookupAppSettings = union(commonSettings, {
  APP_FUNCTIONS: 'lookup'
  AZURE_CLIENT_ID: lookupIdentity.properties.clientId
  APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${lookupIdentity.properties.clientId};Authorization=AAD'
  LOOKUP_HEADER_NAME: lookupHeaderName
  LOOKUP_CUSTOM_HEADER_ENABLED: lookupCustomHeaderEnabled ? 'true' : 'false'
  LOOKUP_SERVICES: join(lookupServices, ',')
  LOOKUP_TRUNK_DEFAULTS: join(map(items(lookupTrunkDefaults), trunk => '${trunk.key}=${trunk.value}'), ',')
  LOOKUP_MOBILE_PREFIXES: join(lookupMobilePrefixes, ',')
  LOOKUP_TTL_SECONDS: string(lookupTtlSeconds)
  LOOKUP_ZOOM_VERIFICATION_NUMBERS: join(lookupZoomVerificationNumbers, ',')
})

// ---------------------------------------------------------------------------------------------
// The two function apps

module apiApp 'modules/functionApp.bicep' = {
  name: 'apiApp-${deploymentSuffix}'
  params: {
    location: location
    tags: tags
    planName: names.apiPlan
    functionAppName: names.apiApp
    identityId: apiIdentity.id
    identityClientId: apiIdentity.properties.clientId
    storageAccountName: storage.outputs.name
    storageBlobEndpoint: storage.outputs.blobEndpoint
    deploymentContainerName: deploymentContainers.api
    instanceMemoryMB: instanceMemoryMB
    maximumInstanceCount: apiMaximumInstanceCount
    // HTTP functions scale as one group; the Service Bus trigger scales on its own.
    alwaysReady: union(
      apiAlwaysReady > 0 ? [{ name: 'http', instanceCount: apiAlwaysReady }] : [],
      workerAlwaysReady > 0 ? [{ name: 'function:flowthroughWorker', instanceCount: workerAlwaysReady }] : []
    )
    allowedAddresses: apiAllowedAddresses
    allowedAddressesLabel: 'bss'
    deploymentAllowedAddresses: deploymentAllowedAddresses
    appSettings: apiAppSettings
    extraAppSettings: extraAppSettings
  }
  // The app pulls its package and opens its connections as soon as it exists, so its roles come
  // first: storage, Service Bus and monitoring assign them (dependencies through their outputs);
  // the DNS role has no output to depend on.
  dependsOn: [dnsZoneAccess]
}

module lookupApp 'modules/functionApp.bicep' = {
  name: 'lookupApp-${deploymentSuffix}'
  params: {
    location: location
    tags: tags
    planName: names.lookupPlan
    functionAppName: names.lookupApp
    identityId: lookupIdentity.id
    identityClientId: lookupIdentity.properties.clientId
    storageAccountName: storage.outputs.name
    storageBlobEndpoint: storage.outputs.blobEndpoint
    deploymentContainerName: deploymentContainers.lookup
    instanceMemoryMB: instanceMemoryMB
    maximumInstanceCount: lookupMaximumInstanceCount
    alwaysReady: [{ name: 'http', instanceCount: lookupAlwaysReady }]
    allowedAddresses: lookupAllowedAddresses
    allowedAddressesLabel: 'sip'
    deploymentAllowedAddresses: deploymentAllowedAddresses
    appSettings: lookupAppSettings
    extraAppSettings: extraAppSettings
  }
}

// ---------------------------------------------------------------------------------------------
// Outputs

output apiAppName string = apiApp.outputs.name
output apiUrl string = 'https://${apiApp.outputs.defaultHostName}'
output lookupAppName string = lookupApp.outputs.name
output lookupUrl string = 'https://${lookupApp.outputs.defaultHostName}'
output apiIdentityClientId string = apiIdentity.properties.clientId
output apiIdentityPrincipalId string = apiIdentity.properties.principalId
output lookupIdentityClientId string = lookupIdentity.properties.clientId
output storageAccountName string = storage.outputs.name
output serviceBusNamespace string = serviceBus.outputs.fullyQualifiedNamespace
@description('Name servers of a new DNS zone: delegate the zone to them from its parent domain.')
output dnsNameServers array = dnsZone.?outputs.nameServers ?? []
