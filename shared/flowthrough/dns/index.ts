/** The DNS backend of the flow-through worker (D5): port, pure helpers and the two implementations. */
export { DnsError, normaliseFqdn, type DnsFailureKind, type DnsPort, type TxtRecord } from './port';
export {
  desiredTxtRecords,
  desiredTxtRecordsOf,
  dnsChanges,
  subdomainStatusOf,
  type DnsChanges,
  type PublishedTxt,
  type SubdomainStatus,
  type SubdomainTokens,
} from './records';
export { alterLocalDnsRecord, createLocalDnsStore, listLocalDnsRecords, LOCAL_DNS_TABLE } from './localDnsStore';
export { createAzureDns, relativeRecordName, type AzureDnsOptions, type AzureDnsZone } from './azureDns';
export { dnsPort, dnsPortFromEnv, loadDnsConfig, DNS_ENV_NAMES, type DnsConfig } from './dnsConfig';
