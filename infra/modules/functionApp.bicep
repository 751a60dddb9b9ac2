// One Flex Consumption plan (FC1, Linux; Flex allows one app per plan) and its function app
// (Node 22). The deployment package is pulled from a blob container with the app's user-assigned
// identity; the host's own storage is identity-based too. On Flex, FUNCTIONS_WORKER_RUNTIME,
// FUNCTIONS_EXTENSION_VERSION and WEBSITE_RUN_FROM_PACKAGE are not app settings (runtime and
// deployment live in functionAppConfig), so none is set here.

param location string
param tags object
param planName string
param functionAppName string
param identityId string
param identityClientId string
param storageAccountName string
param storageBlobEndpoint string
param deploymentContainerName string
@description('The app\'s own settings (main.bicep).')
param appSettings object
@description('Operator additions/overrides (main.bicep extraAppSettings): applied after appSettings, before the host settings.')
param extraAppSettings object = {}
param nodeVersion string = '22'
@allowed([512, 2048, 4096])
param instanceMemoryMB int = 2048
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int = 100
@description('Always-ready instances: [{ name: \'http\' | \'function:<name>\', instanceCount }].')
param alwaysReady array = []
@description('CIDRs allowed to call the app; everything else is denied. Empty = nobody.')
param allowedAddresses array = []
@description('Rule name prefix of allowedAddresses (shown in the portal).')
param allowedAddressesLabel string
@description('CIDRs allowed on the scm (deployment) endpoint. Empty = not restricted by address.')
param deploymentAllowedAddresses array = []

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    tier: 'FlexConsumption'
    name: 'FC1'
  }
  properties: {
    reserved: true // Linux: Flex Consumption runs Linux only
  }
}

// Default deny with one allow rule per address; the scm site has its own list so deployments are
// not tied to the callers' addresses.
var accessRules = [
  for (cidr, i) in allowedAddresses: {
    name: '${allowedAddressesLabel}-${i}'
    ipAddress: cidr
    action: 'Allow'
    priority: 100 + i
  }
]
var deploymentRules = [
  for (cidr, i) in deploymentAllowedAddresses: {
    name: 'deploy-${i}'
    ipAddress: cidr
    action: 'Allow'
    priority: 100 + i
  }
]

resource site 'Microsoft.Web/sites@2024-04-01' = {
  name: functionAppName
  location: location
  tags: tags
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    // Key Vault references in app settings (e.g. OC_CLIENT_SECRET when Operator Connect is not reached
    // with the managed identity) resolve with this identity; with only a user-assigned identity the
    // platform has no other identity to use, and the reference would stay unresolved.
    keyVaultReferenceIdentity: identityId
    siteConfig: {
      minTlsVersion: '1.2'
      ipSecurityRestrictions: accessRules
      ipSecurityRestrictionsDefaultAction: 'Deny'
      scmIpSecurityRestrictionsUseMain: false
      scmIpSecurityRestrictions: deploymentRules
      scmIpSecurityRestrictionsDefaultAction: empty(deploymentAllowedAddresses) ? 'Allow' : 'Deny'
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storageBlobEndpoint}${deploymentContainerName}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      scaleAndConcurrency: {
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: instanceMemoryMB
        alwaysReady: alwaysReady
      }
      runtime: {
        name: 'node'
        version: nodeVersion
      }
    }
  }
}

// No basic (user name + password) publishing credentials: deployments authenticate with Entra ID.
resource scmBasicAuth 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: site
  name: 'scm'
  properties: {
    allow: false
  }
}

resource ftpBasicAuth 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: site
  name: 'ftp'
  properties: {
    allow: false
  }
}

// Host storage by identity: no AzureWebJobsStorage connection string, no key.
var hostSettings = {
  AzureWebJobsStorage__accountName: storageAccountName
  AzureWebJobsStorage__credential: 'managedidentity'
  AzureWebJobsStorage__clientId: identityClientId
}

// The appsettings resource replaces the whole set on every deployment: a setting added in the
// portal is removed by the next deployment unless it is in extraAppSettings (infra/README.md).
// The host settings come last so nothing can replace the host's storage connection.
resource settings 'Microsoft.Web/sites/config@2024-04-01' = {
  parent: site
  name: 'appsettings'
  properties: union(appSettings, extraAppSettings, hostSettings)
}

output name string = site.name
output defaultHostName string = site.properties.defaultHostName
