/**
 * How the view stores a number's facts: a million of them per instance is the design point, so the
 * five service flags are one small integer behind getters (4 fields instead of 8), and account names
 * and header values, repeated across many numbers, are shared strings rather than one copy per row.
 */
import type { NumberFacts } from './types';

const TEAMS_OPERATOR_CONNECT = 1;
const TEAMS_DIRECT_ROUTING = 2;
const TEAMS_PHONE_MOBILE = 4;
const ZOOM_PHONE_CLOUD_PEERING = 8;
const AZURE_OPERATOR_CALL_PROTECTION = 16;

export type ServiceFlags = Pick<NumberFacts, 'teamsOperatorConnect' | 'teamsDirectRouting' | 'teamsPhoneMobile' | 'zoomPhoneCloudPeering' | 'azureOperatorCallProtection'>;

export class PackedNumberFacts implements NumberFacts {
  readonly telephoneNumber: string;
  readonly accountName: string;
  readonly customSipHeader: string | undefined;
  private readonly services: number;

  constructor(telephoneNumber: string, accountName: string, services: ServiceFlags, customSipHeader: string | undefined) {
    this.telephoneNumber = telephoneNumber;
    this.accountName = accountName;
    this.customSipHeader = customSipHeader;
    this.services =
      (services.teamsOperatorConnect ? TEAMS_OPERATOR_CONNECT : 0) |
      (services.teamsDirectRouting ? TEAMS_DIRECT_ROUTING : 0) |
      (services.teamsPhoneMobile ? TEAMS_PHONE_MOBILE : 0) |
      (services.zoomPhoneCloudPeering ? ZOOM_PHONE_CLOUD_PEERING : 0) |
      (services.azureOperatorCallProtection ? AZURE_OPERATOR_CALL_PROTECTION : 0);
  }

  get teamsOperatorConnect(): boolean {
    return (this.services & TEAMS_OPERATOR_CONNECT) !== 0;
  }
  get teamsDirectRouting(): boolean {
    return (this.services & TEAMS_DIRECT_ROUTING) !== 0;
  }
  get teamsPhoneMobile(): boolean {
    return (this.services & TEAMS_PHONE_MOBILE) !== 0;
  }
  get zoomPhoneCloudPeering(): boolean {
    return (this.services & ZOOM_PHONE_CLOUD_PEERING) !== 0;
  }
  get azureOperatorCallProtection(): boolean {
    return (this.services & AZURE_OPERATOR_CALL_PROTECTION) !== 0;
  }
}

/**
 * Returns one shared instance per distinct string. Bounded: when full it starts over (strings
 * already shared stay shared; only new ones stop being deduplicated until the pool refills).
 */
export class StringPool {
  private readonly pool = new Map<string, string>();

  constructor(private readonly maxSize: number) {}

  intern(value: string): string {
    const shared = this.pool.get(value);
    if (shared !== undefined) return shared;
    if (this.pool.size >= this.maxSize) this.pool.clear();
    this.pool.set(value, value);
    return value;
  }
}
