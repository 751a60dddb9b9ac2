/**
 * What tests assert on besides responses: how many calls reached the simulator (API and token calls
 * apart, /_sim never counted), per route, and which upload orders each number appeared in, so a test
 * can prove no number was uploaded twice.
 */

export interface OcSimCounters {
  /** Operator API calls received (faulted and rejected ones included; token and /_sim calls excluded). */
  readonly apiCalls: number;
  readonly tokenCalls: number;
  /** Keyed by route (`POST /tenants/{tenantId}/uploadOrders`); unmatched paths as `METHOD (unmatched)`. */
  readonly callsByRoute: Readonly<Record<string, number>>;
  /** Upload order ids each number was submitted in (accepted submissions only), in submission order. */
  readonly uploadOrdersByNumber: Readonly<Record<string, readonly string[]>>;
  /** Current owner tenant of every number the simulator holds. */
  readonly ownerByNumber: Readonly<Record<string, string>>;
  readonly numbersUploadedMoreThanOnce: readonly string[];
}

export class CallCounters {
  private apiCalls = 0;
  private tokenCalls = 0;
  private readonly byRoute = new Map<string, number>();
  private readonly uploads = new Map<string, string[]>();

  countApiCall(routeKey: string): void {
    this.apiCalls++;
    this.byRoute.set(routeKey, (this.byRoute.get(routeKey) ?? 0) + 1);
  }

  countTokenCall(routeKey: string): void {
    this.tokenCalls++;
    this.byRoute.set(routeKey, (this.byRoute.get(routeKey) ?? 0) + 1);
  }

  recordUpload(telephoneNumbers: readonly string[], orderId: string): void {
    for (const telephoneNumber of telephoneNumbers) {
      const orderIds = this.uploads.get(telephoneNumber) ?? [];
      orderIds.push(orderId);
      this.uploads.set(telephoneNumber, orderIds);
    }
  }

  reset(): void {
    this.apiCalls = 0;
    this.tokenCalls = 0;
    this.byRoute.clear();
    this.uploads.clear();
  }

  snapshot(owners: ReadonlyMap<string, { readonly tenantId: string }>): OcSimCounters {
    const uploadOrdersByNumber = Object.fromEntries([...this.uploads].map(([number, orderIds]) => [number, [...orderIds]]));
    return {
      apiCalls: this.apiCalls,
      tokenCalls: this.tokenCalls,
      callsByRoute: Object.fromEntries(this.byRoute),
      uploadOrdersByNumber,
      ownerByNumber: Object.fromEntries([...owners].map(([number, record]) => [number, record.tenantId])),
      numbersUploadedMoreThanOnce: [...this.uploads].filter(([, orderIds]) => orderIds.length > 1).map(([number]) => number),
    };
  }
}
