/**
 * One account's Operator Connect / Teams Phone Mobile reconcile: follow orders in flight, withdraw
 * what is no longer wanted (unassign, then release), upload what is missing (batched into orders),
 * update emergency addresses in place, read back capabilities and assignment, and derive each
 * number's serviceProvisioningStatus. Every backend change is preceded by a write-ahead row in
 * flowstate, so a crash at any point is resolved by reading back, never by blind repetition.
 */
import type { ErrorDetail } from '../../contract/errors';
import { serviceEnabled, syncEnabled } from '../../domain/accounts';
import { tenantKey } from '../../domain/tenants';
import type { AccountDoc, BackendState, TeamsReadBack } from '../../domain/types';
import type { StoredNumber } from '../../store/backendWrites';
import { step } from '../../store/steps';
import { readManagedNumbers, writeManagedNumbers, type ManagedNumber } from '../../store/flowState';
import type { FlowSettings } from '../config';
import { OcError, type OcNumber, type OperatorConnect } from '../oc/port';
import { desiredUpload, groupUploads, ocEmergencyAddress, pushedKeyOf, splitPushedKey, type DesiredUpload, type SyncService } from './desired';
import { followOrders, IN_FLIGHT } from './orders';
import { callingProfileFor } from './profiles';

export interface OcRunInput {
  readonly accountName: string;
  readonly account: AccountDoc | undefined;
  readonly numbers: ReadonlyMap<string, StoredNumber>;
  readonly oc: OperatorConnect | undefined;
  readonly settings: FlowSettings;
  readonly now: Date;
}

export interface OcOutcome {
  /** The backend state every number of the account should show. */
  readonly backends: Map<string, BackendState>;
  readonly accountErrors: ErrorDetail[];
  /** Orders in flight: come back after settings.followUpMs. */
  readonly inFlight: boolean;
  /** The backend was unavailable or throttled: come back after this long. */
  readonly retryAfterMs?: number;
  /** Numbers we still hold (or may hold) in Operator Connect for this account. */
  readonly managedLeft: number;
}

const SYNCED: BackendState = { status: 'synced', errors: [] };
const PENDING: BackendState = { status: 'pending', errors: [] };

function readBackOf(n: OcNumber): TeamsReadBack {
  return { acquiredCapabilities: [...n.acquiredCapabilities], availableCapabilities: [...n.availableCapabilities], assignmentStatus: n.assignmentStatus };
}

class OcRun {
  private managed = new Map<string, ManagedNumber>();
  private readonly desired = new Map<string, DesiredUpload>();
  private consentError: ErrorDetail | undefined;
  private tenantNumbers: Map<string, OcNumber> | undefined;
  private readonly becamePresent = new Set<string>();
  private readonly accountErrors: ErrorDetail[] = [];
  private retryAfterMs: number | undefined;
  /** The tenant whose consent the account needs (OC/TPM enabled with sync), even before any number. */
  private readonly accountTenant: string | undefined;

  constructor(
    private readonly input: OcRunInput,
    private readonly oc: OperatorConnect,
  ) {
    for (const [n, stored] of input.numbers) {
      const d = desiredUpload(stored.record.doc, input.account);
      if (d !== undefined) this.desired.set(n, d);
    }
    this.accountTenant = syncingTenantOf(input.account);
  }

  get hasWork(): boolean {
    return this.desired.size > 0 || this.managed.size > 0 || this.accountTenant !== undefined;
  }

  async load(): Promise<void> {
    this.managed = await readManagedNumbers(this.input.accountName);
  }

  private async save(updates: readonly ManagedNumber[], removals: readonly string[] = []): Promise<void> {
    await writeManagedNumbers(this.input.accountName, updates, removals);
    for (const m of updates) this.managed.set(m.telephoneNumber, m);
    for (const n of removals) this.managed.delete(n);
  }

  async follow(): Promise<void> {
    const before = new Map(this.managed);
    const { updates, removals } = await followOrders(this.oc, this.managed, this.input.now, this.input.settings.ambiguousGraceMs);
    await this.save(updates, removals);
    for (const m of updates) if (m.phase === 'present' && before.get(m.telephoneNumber)?.phase !== 'present') this.becamePresent.add(m.telephoneNumber);
    step('reconcile.ordersFollowed');
  }

  /** Uploads need an Active consent of the tenant that covers them (B1). */
  async checkConsent(): Promise<void> {
    const tenants = new Set([...this.desired.values()].map((d) => d.tenantId));
    if (this.accountTenant !== undefined) tenants.add(this.accountTenant);
    for (const tenantId of tenants) {
      const consent = await this.oc.getConsent(tenantId);
      if (consent === undefined) {
        this.consentError = { code: 'ConsentNotFound', message: `Tenant ${tenantId} has not chosen this operator in Teams (no Operator Connect consent).`, target: 'teamsTenantId' };
      } else if (consent.status !== 'Active') {
        this.consentError = { code: 'ConsentNotActive', message: `The tenant's Operator Connect consent is ${consent.status}.`, target: 'teamsTenantId' };
      }
    }
    if (this.consentError !== undefined) this.accountErrors.push(this.consentError);
  }

  private needsTenantList(): boolean {
    for (const [n, d] of this.desired) {
      const m = this.managed.get(n);
      if (m?.phase !== 'present') continue;
      if (this.becamePresent.has(n) || this.input.numbers.get(n)?.record.backend.readBack === undefined) return true;
      if (d.assignmentStatus === 'unassigned') return true;
    }
    return false;
  }

  async readTenantNumbers(): Promise<void> {
    if (!this.needsTenantList()) return;
    const tenants = new Set([...this.desired.values()].map((d) => d.tenantId));
    this.tenantNumbers = new Map();
    for (const tenantId of tenants) for (const n of await this.oc.listNumbers(tenantId)) this.tenantNumbers.set(n.telephoneNumber, n);
  }

  /**
   * The account turned flow-through off for the number's service while the number keeps it: the
   * operator takes the number over; we stop managing it rather than release a customer's number.
   */
  private stoppedSyncing(m: ManagedNumber): boolean {
    const a = this.input.account;
    const doc = this.input.numbers.get(m.telephoneNumber)?.record.doc;
    return a !== undefined && doc?.serviceDetails[m.service]?.enabled === true && !syncEnabled(a, m.service);
  }

  /** Present numbers no longer wanted here (deleted, service disabled, moved) are released. */
  async withdraw(): Promise<void> {
    const dropFailed: string[] = [];
    const release = new Map<string, ManagedNumber[]>();
    for (const m of this.managed.values()) {
      const d = this.desired.get(m.telephoneNumber);
      const wanted = d !== undefined && d.tenantId === m.tenantId && d.service === m.service;
      if (wanted) continue;
      if (m.phase === 'failed' || this.stoppedSyncing(m)) dropFailed.push(m.telephoneNumber);
      else if (m.phase === 'present') release.set(m.tenantId, [...(release.get(m.tenantId) ?? []), m]);
    }
    if (dropFailed.length > 0) await this.save([], dropFailed);
    for (const [tenantId, rows] of release) {
      const unassign = rows.filter((m) => m.errors.some((e) => e.code === 'NumberAssigned'));
      const plain = rows.filter((m) => !unassign.includes(m));
      await this.submitWithdrawal(tenantId, unassign, 'unassigning');
      await this.submitWithdrawal(tenantId, plain, 'releasing');
    }
  }

  private async submitWithdrawal(tenantId: string, rows: readonly ManagedNumber[], phase: 'unassigning' | 'releasing'): Promise<void> {
    for (let i = 0; i < rows.length; i += this.input.settings.maxOrderSize) {
      const chunk = rows.slice(i, i + this.input.settings.maxOrderSize);
      const intents = chunk.map((m) => ({ ...m, phase, orderId: '', submittedAt: this.input.now.toISOString() }));
      await this.save(intents);
      step('reconcile.intentRecorded');
      const numbers = chunk.map((m) => m.telephoneNumber);
      try {
        const { orderId } = await this.submit(intents, () => (phase === 'releasing' ? this.oc.submitRelease(tenantId, numbers) : this.oc.submitUnassign(tenantId, numbers)));
        await this.save(intents.map((m) => ({ ...m, orderId })));
        step('reconcile.orderSubmitted');
      } catch (err) {
        // Refused: the rows are back to present with the refusal (as after a refused release order,
        // orders.ts); a later run withdraws them again. The run goes on with the other numbers.
        if (!(err instanceof RefusedOrder)) throw err;
      }
    }
  }

  /**
   * Runs an order submission. A refusal (permanent) marks the rows failed or back to present; a
   * throttled submission was not accepted, so its rows go; an ambiguous one keeps its rows with no
   * order id, to be read back before anything is sent again.
   */
  private async submit(intents: readonly ManagedNumber[], call: () => Promise<{ orderId: string }>): Promise<{ orderId: string }> {
    try {
      return await call();
    } catch (err) {
      if (!(err instanceof OcError) || err.kind === 'ambiguous') throw err;
      const uploading = intents[0]?.phase === 'uploading';
      if (err.kind === 'permanent') {
        const errors: ErrorDetail[] = [{ code: err.code, message: err.message, target: intents[0]?.service ?? 'teamsOperatorConnect' }];
        await this.save(intents.map((m) => (uploading ? { ...m, phase: 'failed' as const, errors } : { ...m, phase: 'present' as const, errors })));
        throw new RefusedOrder();
      }
      if (uploading) await this.save([], intents.map((m) => m.telephoneNumber));
      else await this.save(intents.map((m) => ({ ...m, phase: 'present' as const })));
      throw err;
    }
  }

  /** Desired numbers not in the backend are uploaded, grouped by identical settings. */
  async upload(): Promise<void> {
    if (this.consentError !== undefined) return;
    const needs: DesiredUpload[] = [];
    for (const [n, d] of this.desired) {
      const m = this.managed.get(n);
      if (m === undefined || (m.phase === 'failed' && m.pushedKey !== pushedKeyOf(d))) needs.push(d);
    }
    for (const group of groupUploads(needs, this.input.settings.maxOrderSize)) {
      const first = group[0] as DesiredUpload;
      const callingProfileId = await callingProfileFor(this.oc, first.service, this.input.settings);
      const intents: ManagedNumber[] = group.map((d) => ({
        telephoneNumber: d.telephoneNumber,
        tenantId: d.tenantId,
        service: d.service,
        phase: 'uploading',
        orderId: '',
        submittedAt: this.input.now.toISOString(),
        pushedKey: pushedKeyOf(d),
        errors: [],
      }));
      await this.save(intents);
      step('reconcile.intentRecorded');
      try {
        const { orderId } = await this.submit(intents, () =>
          this.oc.submitUpload({
            tenantId: first.tenantId,
            telephoneNumbers: group.map((d) => d.telephoneNumber),
            callingProfileId,
            usage: first.usage,
            choosableCapabilities: first.choosableCapabilities,
            ...(first.additionalUsages.length > 0 ? { additionalUsages: first.additionalUsages } : {}),
            ...ocEmergencyAddress(first),
            allowTenantAddressUpdate: first.allowTenantAddressUpdate,
            ...(first.displayedCountryCode !== undefined ? { displayedCountryCode: first.displayedCountryCode } : {}),
          }),
        );
        await this.save(intents.map((m) => ({ ...m, orderId })));
        step('reconcile.orderSubmitted');
      } catch (err) {
        if (!(err instanceof RefusedOrder)) throw err;
      }
    }
  }

  /** Emergency address changes of uploaded numbers; unassignment the operator asked for (D14). */
  async updateInPlace(): Promise<void> {
    const unassign = new Map<string, ManagedNumber[]>();
    for (const [n, d] of this.desired) {
      const m = this.managed.get(n);
      if (m?.phase !== 'present' || m.tenantId !== d.tenantId || m.service !== d.service) continue;
      const pushed = splitPushedKey(m.pushedKey);
      if (pushed.uploadKey !== d.uploadKey) continue; // not changeable in place: reported by backendOf
      const wantedKey = pushedKeyOf(d);
      if (pushed.addressKey !== d.addressKey && m.failedKey !== wantedKey) {
        try {
          // A location is sent alone (it implies its address); otherwise null clears what is not wanted.
          const address = d.locationId !== undefined ? ocEmergencyAddress(d) : { civicAddressId: d.civicAddressId ?? null, locationId: null };
          await this.oc.updateNumber(d.tenantId, n, { ...address, allowTenantAddressUpdate: d.allowTenantAddressUpdate });
          const { failedKey: _dropped, ...rest } = m;
          void _dropped;
          await this.save([{ ...rest, pushedKey: wantedKey, errors: [] }]);
          this.becamePresent.add(n);
        } catch (err) {
          if (!(err instanceof OcError) || err.kind !== 'permanent') throw err;
          await this.save([{ ...m, failedKey: wantedKey, errors: [{ code: err.code, message: err.message, target: d.service }] }]);
        }
      }
      const live = this.tenantNumbers?.get(n);
      if (d.assignmentStatus === 'unassigned' && live?.assignmentStatus === 'assigned') unassign.set(d.tenantId, [...(unassign.get(d.tenantId) ?? []), m]);
    }
    for (const [tenantId, rows] of unassign) await this.submitWithdrawal(tenantId, rows, 'unassigning');
  }

  private backendOf(n: string, stored: StoredNumber): BackendState {
    const d = this.desired.get(n);
    if (d === undefined) return SYNCED; // nothing to push for this number
    const m = this.managed.get(n);
    if (this.consentError !== undefined && m?.phase !== 'present') return { status: 'failed', errors: [{ ...this.consentError, target: d.service }] };
    if (m === undefined || IN_FLIGHT.has(m.phase)) return PENDING;
    if (m.phase === 'failed') return m.pushedKey === pushedKeyOf(d) ? { status: 'failed', errors: [...m.errors] } : PENDING;
    if (m.tenantId !== d.tenantId || m.service !== d.service) return PENDING; // being released, then uploaded again
    if (splitPushedKey(m.pushedKey).uploadKey !== d.uploadKey) {
      return {
        status: 'failed',
        errors: [{ code: 'ReuploadRequired', message: 'Usage, capabilities and displayed country of an uploaded number cannot be changed in place; delete the number and create it again.', target: d.service }],
      };
    }
    if (m.failedKey === pushedKeyOf(d)) return { status: 'failed', errors: [...m.errors] };
    if (splitPushedKey(m.pushedKey).addressKey !== d.addressKey) return PENDING;
    const live = this.tenantNumbers?.get(n);
    const readBack = live !== undefined ? readBackOf(live) : this.tenantNumbers === undefined ? stored.record.backend.readBack : undefined;
    if (readBack === undefined) return PENDING; // listing lags the order: read again on the follow-up
    if (d.assignmentStatus === 'unassigned' && readBack.assignmentStatus === 'assigned') return { status: 'pending', errors: [], readBack };
    return { status: 'synced', errors: [], readBack };
  }

  outcome(): OcOutcome {
    const backends = new Map<string, BackendState>();
    for (const [n, stored] of this.input.numbers) backends.set(n, this.backendOf(n, stored));
    // Orders in flight, or a present number Operator Connect does not list yet: look again shortly.
    const inFlight = [...this.managed.values()].some((m) => IN_FLIGHT.has(m.phase)) || [...backends.values()].some((b) => b.status === 'pending');
    return {
      backends,
      accountErrors: this.accountErrors,
      inFlight,
      managedLeft: this.managed.size,
      ...(this.retryAfterMs !== undefined ? { retryAfterMs: this.retryAfterMs } : {}),
    };
  }

  backOff(err: OcError): void {
    if (err.kind === 'configuration') {
      this.accountErrors.push({ code: err.code || 'OperatorConnectAccessDenied', message: err.message, target: 'teamsOperatorConnect' });
      this.retryAfterMs = Math.max(60_000, this.input.settings.followUpMs);
      return;
    }
    this.retryAfterMs = err.retryAfterMs ?? this.input.settings.followUpMs;
  }
}

/** The tenant whose consent the account needs: OC or TPM enabled with sync, even before any number. */
function syncingTenantOf(account: AccountDoc | undefined): string | undefined {
  if (account === undefined) return undefined;
  const syncing = (['teamsOperatorConnect', 'teamsPhoneMobile'] as const).some((s) => serviceEnabled(account, s) && syncEnabled(account, s));
  const tenantId = account.serviceDetails?.teamsTenantId;
  return syncing && tenantId !== undefined ? tenantKey(tenantId) : undefined;
}

/** No Operator Connect client in this deployment: whatever needs one says so instead of waiting. */
function withoutOperatorConnect(input: OcRunInput): OcOutcome {
  const errors: ErrorDetail[] = [{ code: 'OperatorConnectNotConfigured', message: 'Flow-through to Operator Connect is not configured in this deployment.', target: 'teamsOperatorConnect' }];
  const backends = new Map<string, BackendState>();
  let needed = syncingTenantOf(input.account) !== undefined;
  for (const [n, stored] of input.numbers) {
    const wanted = desiredUpload(stored.record.doc, input.account) !== undefined;
    needed ||= wanted;
    backends.set(n, wanted ? { status: 'failed', errors } : SYNCED);
  }
  return { backends, accountErrors: needed ? errors : [], inFlight: false, managedLeft: 0 };
}

/** Thrown inside a run when Operator Connect refused an order: its rows are already marked. */
class RefusedOrder extends Error {}

export async function reconcileOperatorConnect(input: OcRunInput): Promise<OcOutcome> {
  if (input.oc === undefined) return withoutOperatorConnect(input);
  const run = new OcRun(input, input.oc);
  await run.load();
  if (!run.hasWork) return run.outcome();
  try {
    await run.follow();
    await run.checkConsent();
    await run.withdraw();
    await run.upload();
    await run.readTenantNumbers();
    await run.updateInPlace();
  } catch (err) {
    if (!(err instanceof OcError)) throw err;
    run.backOff(err);
  }
  return run.outcome();
}

export type { SyncService };
