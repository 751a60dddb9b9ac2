// Service Bus for the flow-through kicks: one session per account (sessionId = accountName) keeps
// an account's reconciles in order. Standard tier is the lowest with sessions. No SAS keys are
// used (disableLocalAuth): the trigger and the app's sender authenticate with the API app's
// managed identity, whose rights are scoped to the queue, not the namespace.

param location string
param tags object
param namespaceName string
param queueName string
@description('Principal (object) id of the API app\'s user-assigned managed identity.')
param principalId string

var roles = {
  serviceBusDataSender: '69a216fc-b8fb-44d8-bc22-1f3c2cd27a39'
  serviceBusDataReceiver: '4f6d3b9b-027b-4f4c-9142-0e5a2a2247e0'
}

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

// Sender: the API and the worker send kicks (scheduled follow-ups included). Receiver: the trigger,
// and the sweeper reading the dead-letter sub-queue (and /health peeking it). Both on the queue
// only: the identity can touch no other entity in the namespace.
resource queueRoles 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for roleId in [roles.serviceBusDataSender, roles.serviceBusDataReceiver]: {
    name: guid(queue.id, principalId, roleId)
    scope: queue
    properties: {
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleId)
      principalId: principalId
      principalType: 'ServicePrincipal'
    }
  }
]

// serviceBusEndpoint is https://<name>.servicebus.windows.net:443/ (the suffix differs in sovereign
// clouds); the trigger wants the bare host name.
output fullyQualifiedNamespace string = split(replace(sbNamespace.properties.serviceBusEndpoint, 'https://', ''), ':')[0]
output name string = sbNamespace.name
output queueName string = queue.name
