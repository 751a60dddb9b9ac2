// Least privilege on the Direct Routing zone: a custom role that can read the zone and read, write
// and delete its TXT record sets, nothing else (no other record types, no zone settings, no
// delegation), assigned to the API app's identity on the zone only. The worker PUTs and DELETEs the
// customers' TXT record sets through ARM (shared/flowthrough/dns/azureDns.ts). Deployed into the
// zone's resource group (module scope in main.bicep).

param zoneName string
@description('Principal (object) id of the API app\'s user-assigned managed identity.')
param principalId string

resource zone 'Microsoft.Network/dnsZones@2018-05-01' existing = {
  name: zoneName
}

// One definition per zone (every environment writing to it shares it); its name is unique in the tenant.
resource txtRecordWriter 'Microsoft.Authorization/roleDefinitions@2022-04-01' = {
  name: guid(subscription().id, resourceGroup().id, zoneName, 'dns-txt-record-writer')
  properties: {
    roleName: 'DNS TXT record writer (${zoneName}, ${resourceGroup().name})'
    description: 'Read the zone; read, create, update and delete its TXT record sets. Nothing else.'
    type: 'CustomRole'
    permissions: [
      {
        actions: [
          'Microsoft.Network/dnsZones/read'
          'Microsoft.Network/dnsZones/TXT/read'
          'Microsoft.Network/dnsZones/TXT/write'
          'Microsoft.Network/dnsZones/TXT/delete'
        ]
        notActions: []
      }
    ]
    // Custom roles are assignable at resource group scope or above; the assignment below is on the zone.
    assignableScopes: [
      resourceGroup().id
    ]
  }
}

resource txtWriterAssignment 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(zone.id, principalId, txtRecordWriter.id)
  scope: zone
  properties: {
    roleDefinitionId: txtRecordWriter.id
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}
