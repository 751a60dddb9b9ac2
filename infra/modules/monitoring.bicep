// Log Analytics + workspace-based Application Insights. Local (key) ingestion is disabled, so each
// app's identity gets Monitoring Metrics Publisher and authenticates with Entra ID
// (APPLICATIONINSIGHTS_AUTHENTICATION_STRING in main.bicep).

param location string
param tags object
param logAnalyticsName string
param applicationInsightsName string
@description('Principal (object) ids of the apps\' user-assigned managed identities.')
param principalIds array
param retentionInDays int = 30

var monitoringMetricsPublisher = '3913510d-42f4-4e42-8a64-420c390055eb'

resource workspace 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: logAnalyticsName
  location: location
  tags: tags
  properties: {
    sku: { name: 'PerGB2018' }
    retentionInDays: retentionInDays
  }
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: applicationInsightsName
  location: location
  tags: tags
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: workspace.id
    DisableLocalAuth: true
  }
}

resource metricsPublisher 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for principalId in principalIds: {
    name: guid(appInsights.id, principalId, monitoringMetricsPublisher)
    scope: appInsights
    properties: {
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', monitoringMetricsPublisher)
      principalId: principalId
      principalType: 'ServicePrincipal'
    }
  }
]

// The connection string carries only the instrumentation key and endpoints; with local auth
// disabled it cannot ingest without an Entra token, so it is configuration, not a secret.
output connectionString string = appInsights.properties.ConnectionString
output name string = appInsights.name
