// DNS Zone Contributor on the zone (new or pre-existing) for the app's identity: the flow-through
// worker PUTs and DELETEs the customers' TXT record sets through ARM (shared/flowthrough/dns).
// Scoped to the zone, never to its resource group.

param zoneName string
@description('Principal (object) id of the app\'s user-assigned managed identity.')
param principalId string

var dnsZoneContributor = 'befefa01-2a29-4197-83a8-272ff33ce314'

resource zone 'Microsoft.Network/dnsZones@2018-05-01' existing = {
  name: zoneName
}

resource zoneContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(zone.id, principalId, dnsZoneContributor)
  scope: zone
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', dnsZoneContributor)
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}
