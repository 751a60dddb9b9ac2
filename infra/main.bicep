// The provisioning platform in one resource group: Flex Consumption function app (Node 22) with a
// user-assigned managed identity, Table Storage, Service Bus (flow-through queue with sessions),
// Application Insights + Log Analytics, and optionally the Azure DNS zone of the Direct Routing
// records. No keys or secrets: every connection is the managed identity. Deploy with
// `az deployment group create` (infra/README.md). Raw resources only, no registry modules, so the
// template builds without network access to a module registry.

targetScope = 'resourceGroup'

// ---------------------------------------------------------------------------------------------
// Naming and placement

@description('Short name of this deployment (lower-case letters and digits); part of every resource name.')
@minLength(2)
@maxLength(10)
param appName string = 'voiceprov'

param location string = resourceGroup().location
param tags object = {}

// ---------------------------------------------------------------------------------------------
// Function app sizing

@allowed([512, 2048, 4096])
param instanceMemoryMB int = 2048
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int = 100

// ---------------------------------------------------------------------------------------------
// Application settings the code reads

@description('Prefix of every table name (TABLE_PREFIX): isolates side-by-side deployments sharing one account. Empty = none.')
param tablePrefix string = ''

@description('Base domain of the Direct Routing customer subdomains (DR_BASE_DOMAIN): records are <label>.1r1.<base> and <label>.1r2.<base>.')
param drBaseDomain string

@description('Entra tenant whose tokens the Provisioning API accepts (AUTH_TENANT_ID).')
param authTenantId string = tenant().tenantId
@description('Accepted token audience(s), comma-separated: the API app registration\'s Application ID URI or client id (AUTH_AUDIENCE).')
param authAudience string
@description('Optional: accepted issuer(s) when not the tenant\'s v2.0 issuer (AUTH_ISSUER).')
param authIssuer string = ''
@description('Optional: JWKS URI when not the tenant\'s (AUTH_JWKS_URI).')
param authJwksUri string = ''
@description('Optional: accepted signature algorithms (AUTH_ALGORITHMS); the app defaults to RS256,ES256.')
param authAlgorithms string = ''

@description('Operator Connect API base URL (OC_API_BASE_URL). Empty until the operator is onboarded.')
param ocApiBaseUrl string = ''
@description('Token scope of the Operator Connect API (OC_SCOPE), e.g. <api-app-id-uri>/.default.')
param ocScope string = ''
@description('Whether the Operator Connect client authenticates with the managed identity (OC_AUTH_MODE=managed-identity; AZURE_CLIENT_ID picks the user-assigned identity).')
param ocUseManagedIdentity bool = true

@description('More app settings, or overrides of the ones above (e.g. if the Operator Connect client renames a setting). Never put secrets here.')
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
// Names

var token = uniqueString(resourceGroup().id, appName)
var names = {
  identity: 'id-${appName}-${token}'
  logAnalytics: 'log-${appName}-${token}'
  applicationInsights: 'appi-${appName}-${token}'
  storage: take('st${toLower(replace(appName, '-', ''))}${token}', 24)
  serviceBus: 'sb-${appName}-${token}'
  plan: 'plan-${appName}-${token}'
  functionApp: 'func-${appName}-${token}'
}
var deploymentContainerName = 'app-package'
var flowthroughQueue = 'flowthrough'
var useAzureDns = dnsZoneMode != 'none'

// ---------------------------------------------------------------------------------------------
// Resources

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: names.identity
  location: location
  tags: tags
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  params: {
    location: location
    tags: tags
    logAnalyticsName: names.logAnalytics
    applicationInsightsName: names.applicationInsights
    principalId: identity.properties.principalId
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  params: {
    location: location
    tags: tags
    storageAccountName: names.storage
    deploymentContainerName: deploymentContainerName
    principalId: identity.properties.principalId
  }
}

module serviceBus 'modules/serviceBus.bicep' = {
  name: 'serviceBus'
  params: {
    location: location
    tags: tags
    namespaceName: names.serviceBus
    queueName: flowthroughQueue
    principalId: identity.properties.principalId
  }
}

module dnsZone 'modules/dnsZone.bicep' = if (dnsZoneMode == 'new') {
  name: 'dnsZone'
  scope: resourceGroup(dnsZoneSubscriptionId, dnsZoneResourceGroup)
  params: {
    zoneName: dnsZoneName
    tags: tags
  }
}

module dnsZoneAccess 'modules/dnsZoneAccess.bicep' = if (useAzureDns) {
  name: 'dnsZoneAccess'
  scope: resourceGroup(dnsZoneSubscriptionId, dnsZoneResourceGroup)
  params: {
    zoneName: dnsZoneName
    principalId: identity.properties.principalId
  }
  dependsOn: [dnsZone]
}

// ---------------------------------------------------------------------------------------------
// App settings (names as the code reads them; README.md "Configuration", docs/dns.md, docs/auth.md)

var identitySettings = {
  AZURE_CLIENT_ID: identity.properties.clientId
  TABLES_ENDPOINT: storage.outputs.tableEndpoint
  ServiceBusConnection__fullyQualifiedNamespace: serviceBus.outputs.fullyQualifiedNamespace
  ServiceBusConnection__credential: 'managedidentity'
  ServiceBusConnection__clientId: identity.properties.clientId
  FLOWTHROUGH_QUEUE: flowthroughQueue
  APPLICATIONINSIGHTS_CONNECTION_STRING: monitoring.outputs.connectionString
  APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identity.properties.clientId};Authorization=AAD'
}

var dnsSettings = useAzureDns
  ? {
      DR_BASE_DOMAIN: drBaseDomain
      DNS_BACKEND: 'azure'
      DNS_ZONE_SUBSCRIPTION_ID: dnsZoneSubscriptionId
      DNS_ZONE_RESOURCE_GROUP: dnsZoneResourceGroup
      DNS_ZONE_NAME: dnsZoneName
    }
  : {
      DR_BASE_DOMAIN: drBaseDomain
      DNS_BACKEND: 'local'
    }

// Optional settings are left out when empty: the app treats absent and empty alike, and an absent
// setting reads more clearly in the portal.
var authSettings = union(
  {
    AUTH_TENANT_ID: authTenantId
    AUTH_AUDIENCE: authAudience
  },
  empty(authIssuer) ? {} : { AUTH_ISSUER: authIssuer },
  empty(authJwksUri) ? {} : { AUTH_JWKS_URI: authJwksUri },
  empty(authAlgorithms) ? {} : { AUTH_ALGORITHMS: authAlgorithms }
)

var operatorConnectSettings = union(
  ocUseManagedIdentity ? { OC_AUTH_MODE: 'managed-identity' } : {},
  empty(ocApiBaseUrl) ? {} : { OC_API_BASE_URL: ocApiBaseUrl },
  empty(ocScope) ? {} : { OC_SCOPE: ocScope }
)

var tableSettings = empty(tablePrefix) ? {} : { TABLE_PREFIX: tablePrefix }

module functionApp 'modules/functionApp.bicep' = {
  name: 'functionApp'
  params: {
    location: location
    tags: tags
    planName: names.plan
    functionAppName: names.functionApp
    identityId: identity.id
    identityClientId: identity.properties.clientId
    storageAccountName: storage.outputs.name
    storageBlobEndpoint: storage.outputs.blobEndpoint
    deploymentContainerName: deploymentContainerName
    instanceMemoryMB: instanceMemoryMB
    maximumInstanceCount: maximumInstanceCount
    appSettings: union(identitySettings, tableSettings, dnsSettings, authSettings, operatorConnectSettings, extraAppSettings)
  }
  // The app starts pulling its package and opening its connections as soon as it exists, so its
  // roles come first: the storage, Service Bus and monitoring modules (which assign them) are
  // dependencies through their outputs above; the DNS role has no output to depend on.
  dependsOn: [dnsZoneAccess]
}

// ---------------------------------------------------------------------------------------------
// Outputs

output functionAppName string = functionApp.outputs.name
output functionAppUrl string = 'https://${functionApp.outputs.defaultHostName}'
output managedIdentityClientId string = identity.properties.clientId
output managedIdentityPrincipalId string = identity.properties.principalId
output storageAccountName string = storage.outputs.name
output serviceBusNamespace string = serviceBus.outputs.fullyQualifiedNamespace
@description('Name servers of a new DNS zone: delegate the zone to them from its parent domain.')
output dnsNameServers array = dnsZoneMode == 'new' ? dnsZone.outputs.nameServers : []
