// Example parameters: copy, fill in, and deploy with
//   az deployment group create -g <rg> -f infra/main.bicep -p infra/main.bicepparam
// Nothing here is secret; there are no secret parameters at all.
using 'main.bicep'

param appName = 'voiceprov'

// Direct Routing: customer subdomains are <label>.1r1.<drBaseDomain> and <label>.1r2.<drBaseDomain>.
// The FQDN limit is 48 characters (D5), so keep the base domain short (≤ 34 characters).
param drBaseDomain = 'gw1.voice.example.com'

// 'existing': the zone below must exist; 'new': it is created (delegate it to the output name
// servers); 'none': records are kept in a table (labs without DNS).
param dnsZoneMode = 'existing'
param dnsZoneName = 'voice.example.com'
// param dnsZoneSubscriptionId = '<subscription of the zone, default: this one>'
// param dnsZoneResourceGroup = '<resource group of the zone, default: this one>'

// Bearer tokens of the Provisioning API (docs/auth.md). The tenant defaults to the deploying one.
param authAudience = 'api://voice-provisioning'
// param authTenantId = '<tenant GUID>'

// Operator Connect (flow-through). Leave empty until the operator's onboarding is complete.
param ocApiBaseUrl = ''
param ocScope = ''
param ocUseManagedIdentity = true

// param tablePrefix = ''
// param instanceMemoryMB = 2048
// param maximumInstanceCount = 100
// param extraAppSettings = { SOME_SETTING: 'value' }
