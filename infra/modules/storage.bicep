// One storage account for everything the apps keep: the provisioning tables (the system of record;
// the app creates its tables on first use), the Functions hosts' blobs (timer locks, host keys) and
// the Flex deployment package containers. Zone-redundant (at least) because it holds the system of
// record. Shared-key access is off: every client uses a managed identity.

param location string
param tags object
param storageAccountName string
@allowed(['Standard_ZRS', 'Standard_GZRS', 'Standard_RAGZRS'])
param skuName string = 'Standard_ZRS'
param deploymentContainerNames array
@description('Principal (object) ids of the apps\' user-assigned managed identities.')
param principalIds array

var roles = {
  storageBlobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
  storageTableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
}

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: storageAccountName
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: { name: skuName }
  properties: {
    allowSharedKeyAccess: false
    defaultToOAuthAuthentication: true
    allowBlobPublicAccess: false
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    publicNetworkAccess: 'Enabled'
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: storage
  name: 'default'
}

resource deploymentContainers 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = [
  for containerName in deploymentContainerNames: {
    parent: blobService
    name: containerName
    properties: { publicAccess: 'None' }
  }
]

resource tableService 'Microsoft.Storage/storageAccounts/tableServices@2023-05-01' = {
  parent: storage
  name: 'default'
}

// Account scope, not just a deployment container: each host also needs its own blob containers
// (azure-webjobs-hosts, azure-webjobs-secrets) for timer singletons and keys.
resource blobDataOwner 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for principalId in principalIds: {
    name: guid(storage.id, principalId, roles.storageBlobDataOwner)
    scope: storage
    properties: {
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageBlobDataOwner)
      principalId: principalId
      principalType: 'ServicePrincipal'
    }
  }
]

// Includes creating tables, which both apps do on first use (createTable is idempotent; the lookup
// only reads rows, but shared/store/tables.ts creates the tables it opens).
resource tableDataContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for principalId in principalIds: {
    name: guid(storage.id, principalId, roles.storageTableDataContributor)
    scope: storage
    properties: {
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageTableDataContributor)
      principalId: principalId
      principalType: 'ServicePrincipal'
    }
  }
]

output name string = storage.name
output blobEndpoint string = storage.properties.primaryEndpoints.blob
// Without the trailing slash the portal shows; the app's TABLES_ENDPOINT must be https.
output tableEndpoint string = 'https://${storage.name}.table.${environment().suffixes.storage}'
