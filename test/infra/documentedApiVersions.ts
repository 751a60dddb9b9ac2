/**
 * Resource types and API versions the templates may use: each one is listed in Microsoft's ARM
 * template reference (learn.microsoft.com/azure/templates/<provider>/<version>/<type>), checked
 * on 2026-12-07 against the reference and Microsoft's Flex Consumption samples. A new type or
 * version goes here only after the same check (test/infra/templates.test.ts enforces the list).
 */
export const DOCUMENTED_API_VERSIONS: Readonly<Record<string, readonly string[]>> = {
  'Microsoft.ManagedIdentity/userAssignedIdentities': ['2023-01-31'],
  'Microsoft.OperationalInsights/workspaces': ['2023-09-01'],
  'Microsoft.Insights/components': ['2020-02-02'],
  'Microsoft.Storage/storageAccounts': ['2023-05-01'],
  'Microsoft.Storage/storageAccounts/blobServices': ['2023-05-01'],
  'Microsoft.Storage/storageAccounts/blobServices/containers': ['2023-05-01'],
  'Microsoft.Storage/storageAccounts/tableServices': ['2023-05-01'],
  'Microsoft.ServiceBus/namespaces': ['2024-01-01'],
  'Microsoft.ServiceBus/namespaces/queues': ['2024-01-01'],
  'Microsoft.Network/dnsZones': ['2018-05-01'],
  // Flex Consumption (functionAppConfig, alwaysReady) needs Microsoft.Web 2023-12-01 or later.
  'Microsoft.Web/serverfarms': ['2024-04-01'],
  'Microsoft.Web/sites': ['2024-04-01'],
  'Microsoft.Web/sites/config': ['2024-04-01'],
  'Microsoft.Web/sites/basicPublishingCredentialsPolicies': ['2024-04-01'],
  'Microsoft.Authorization/roleAssignments': ['2022-04-01'],
  'Microsoft.Authorization/roleDefinitions': ['2022-04-01'],
};

/**
 * Built-in role definition ids the templates may assign (Azure built-in roles reference), so a
 * mistyped GUID cannot grant an unintended role.
 */
export const BUILT_IN_ROLES: Readonly<Record<string, string>> = {
  'b7e6dc6d-f1e8-4753-8033-0f276bb0955b': 'Storage Blob Data Owner',
  '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3': 'Storage Table Data Contributor',
  '69a216fc-b8fb-44d8-bc22-1f3c2cd27a39': 'Azure Service Bus Data Sender',
  '4f6d3b9b-027b-4f4c-9142-0e5a2a2247e0': 'Azure Service Bus Data Receiver',
  '3913510d-42f4-4e42-8a64-420c390055eb': 'Monitoring Metrics Publisher',
};
