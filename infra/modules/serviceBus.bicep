// Service Bus for the flow-through kicks: one session per account (sessionId = accountName) keeps
// an account's reconciles in order. Standard tier is the lowest with sessions. No SAS keys are
// used (disableLocalAuth): the trigger and the app's sender authenticate with the managed identity.

param location string
param tags object
param namespaceName string
param queueName string
@description('Principal (object) id of the app\'s user-assigned managed identity.')
param principalId string

var serviceBusDataOwner = '090c5cfd-751d-490a-894a-3ce6f1109419'

resource sbNamespace 'Microsoft.ServiceBus/namespaces@2024-01-01' = {
  name: namespaceName
  location: location
  tags: tags
  sku: {
    name: 'Standard'
    tier: 'Standard'
  }
  properties: {
    disableLocalAuth: true
    minimumTlsVersion: '1.2'
    publicNetworkAccess: 'Enabled'
  }
}

resource queue 'Microsoft.ServiceBus/namespaces/queues@2024-01-01' = {
  parent: sbNamespace
  name: queueName
  properties: {
    requiresSession: true
    // A kick that fails 10 times is dead-lettered; the sweeper reports it (architecture: poison messages).
    maxDeliveryCount: 10
    deadLetteringOnMessageExpiration: true
    // The host renews the lock (maxAutoLockRenewalDuration 5 min in host.json); 1 min bounds the
    // redelivery delay after a crashed instance.
    lockDuration: 'PT1M'
    defaultMessageTimeToLive: 'P14D'
    // Kicks are idempotent by design (level-triggered reconcile), so no duplicate detection.
    requiresDuplicateDetection: false
    enablePartitioning: false
  }
}

// Data Owner rather than Sender + Receiver: the Functions scale controller reads the queue's
// message count with the app's identity (target-based scaling), which the data roles below Owner
// do not grant. The namespace holds only this queue, so namespace scope grants nothing more.
resource dataOwner 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(sbNamespace.id, principalId, serviceBusDataOwner)
  scope: sbNamespace
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', serviceBusDataOwner)
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

// serviceBusEndpoint is https://<name>.servicebus.windows.net:443/ (the suffix differs in sovereign
// clouds); the trigger wants the bare host name.
output fullyQualifiedNamespace string = split(replace(sbNamespace.properties.serviceBusEndpoint, 'https://', ''), ':')[0]
output name string = sbNamespace.name
output queueName string = queue.name
