// Example parameters: copy, fill in, and deploy with
//   az deployment group create -g <rg> -f infra/main.bicep -p infra/my.bicepparam
// Nothing here is secret; there are no secret parameters at all.
using 'main.bicep'

param appName = 'voiceprov'

// Direct Routing: customer subdomains are <label>.1r1.<drBaseDomain> and <label>.1r2.<drBaseDomain>.
// The FQDN limit is 48 characters, so keep the base domain short (≤ 34 characters).
param drBaseDomain = 'gw1.voice.example.com'

// 'existing': the zone below must exist; 'new': it is created (delegate it to the output name
// servers); 'none': records are kept in a table (labs without DNS).
param dnsZoneMode = 'existing'
param dnsZoneName = 'voice.example.com'
// param dnsZoneSubscriptionId = '<subscription of the zone, default: this one>'
// param dnsZoneResourceGroup = '<resource group of the zone, default: this one>'

// Bearer tokens of both apps (docs/auth.md). The tenant defaults to the deploying one.
param authAudience = 'api://voice-provisioning'
// param authTenantId = '<tenant GUID>'

// Who may call what (CIDRs, documentation ranges here). Everything else is denied.
param apiAllowedAddresses = ['198.51.100.0/28'] // the BSS
param lookupAllowedAddresses = ['203.0.113.10/32', '203.0.113.11/32'] // the SBCs / SIP proxies
// param deploymentAllowedAddresses = ['192.0.2.0/28'] // the CI runner (empty: scm not restricted by address)

// The lookup (docs/lookup.md). The SBCs must read the custom header under this name.
param lookupHeaderName = 'X-MS-Operator-Content'
param lookupCustomHeaderEnabled = true
param lookupTrunkDefaults = {
  'operator-fixed': 'teamsOperatorConnect'
  'operator-mobile': 'teamsPhoneMobile'
}
param lookupMobilePrefixes = ['+4915', '+4916', '+4917']
param lookupTtlSeconds = 1
param lookupZoomVerificationNumbers = []
// param lookupServices = ['teamsDirectRouting', 'teamsOperatorConnect', 'teamsPhoneMobile', 'zoomPhoneCloudPeering', 'azureOperatorCallProtection']
// param lookupAlwaysReady = 2

// Operator Connect (flow-through). Leave empty until the operator's onboarding is complete.
param ocApiBaseUrl = ''
param ocScope = ''
param ocUseManagedIdentity = true

// param tablePrefix = ''
// param storageSku = 'Standard_ZRS'
// param instanceMemoryMB = 2048
// param apiMaximumInstanceCount = 100
// param apiAlwaysReady = 0
// param workerAlwaysReady = 0
// param extraAppSettings = { AUTH_CLOCK_SKEW_SECONDS: '120' }
