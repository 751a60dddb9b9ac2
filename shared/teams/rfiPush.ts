/**
 * The flow-through half of an RFI PATCH (registered with setRfiHandler): push the pending customer
 * relationship to Operator Connect and record `synced` or `failed`. The outcome is written only while
 * the PATCH it pushed is still the latest (desiredVersion, under the row's ETag): a newer PATCH has
 * its own kick and is never overwritten.
 */
import type { ErrorDetail } from '../contract/errors';
import { ErrorCode } from '../contract/errors';
import { flowSettings } from '../flowthrough/config';
import { kickRfi } from '../flowthrough/kicks';
import { operatorConnect } from '../flowthrough/ocInstance';
import { OcError, type CustomerRelationshipStatus, type OcConsent } from '../flowthrough/oc/port';
import { readRfi, replaceRfi, type RfiRecord } from '../store/rfiStore';
import { isPreconditionFailed } from '../store/storageErrors';
import { relationshipFromOc } from './consentShape';
import { ocErrorDetail } from './ocFailures';

const RELATIONSHIP_TARGET = 'customerRelationship';
const MAX_ATTEMPTS = 20;

type Outcome = { readonly status: 'synced'; readonly confirmed: OcConsent } | { readonly status: 'failed'; readonly error: ErrorDetail };

/** Writes the outcome of pushing `version`; returns false when a newer PATCH (or a sweep) got there first. */
export async function recordPushOutcome(tenantId: string, version: number, outcome: Outcome): Promise<boolean> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const current = await readRfi(tenantId);
    if (current === undefined || current.desiredVersion !== version || current.provisioning.status !== 'pending') return false;
    const next: Omit<RfiRecord, 'etag'> =
      outcome.status === 'synced'
        ? { ...current, relationship: relationshipFromOc(outcome.confirmed) ?? current.relationship, provisioning: { status: 'synced', errors: [] }, lastModified: new Date() }
        : { ...current, provisioning: { status: 'failed', errors: [outcome.error] }, lastModified: new Date() };
    try {
      await replaceRfi(next, current.etag);
      return true;
    } catch (err) {
      // The puller refreshed the consent meanwhile: read again, the version check decides.
      if (!isPreconditionFailed(err)) throw err;
    }
  }
  throw new Error(`could not record the customer relationship push of tenant ${tenantId}: too much contention`);
}

export async function pushCustomerRelationship(tenantId: string): Promise<void> {
  const record = await readRfi(tenantId);
  if (record === undefined || record.provisioning.status !== 'pending' || record.relationship === undefined) return; // nothing to push
  const version = record.desiredVersion;
  const oc = operatorConnect();
  if (oc === undefined) {
    await recordPushOutcome(tenantId, version, {
      status: 'failed',
      error: { code: ErrorCode.OperatorConnectNotConfigured, message: 'Operator Connect is not configured for this deployment.', target: RELATIONSHIP_TARGET },
    });
    return;
  }
  const { status, comment } = record.relationship;
  let confirmed: OcConsent;
  try {
    confirmed = await oc.updateCustomerRelationship(tenantId, { status: status as CustomerRelationshipStatus, ...(comment !== undefined ? { comment } : {}) });
  } catch (err) {
    if (!(err instanceof OcError)) throw err; // storage or a defect: the queue redelivers
    if (err.kind === 'transient' || err.kind === 'ambiguous') {
      // The PATCH is idempotent, so trying again is safe; a scheduled kick instead of a throw keeps an
      // outage from burning the message's deliveries. The sweeper re-kicks or gives up if this is lost.
      await kickRfi(tenantId, 'retry', err.retryAfterMs ?? flowSettings().followUpMs);
      return;
    }
    await recordPushOutcome(tenantId, version, { status: 'failed', error: ocErrorDetail(err, RELATIONSHIP_TARGET) });
    return;
  }
  await recordPushOutcome(tenantId, version, { status: 'synced', confirmed });
}
