// A new public Azure DNS zone for the Direct Routing records. Deployed into the zone's resource
// group (module scope in main.bicep). The parent domain must delegate to the name servers output.

param zoneName string
param tags object

resource zone 'Microsoft.Network/dnsZones@2018-05-01' = {
  name: zoneName
  location: 'global'
  tags: tags
  properties: {
    zoneType: 'Public'
  }
}

output nameServers array = zone.properties.nameServers
