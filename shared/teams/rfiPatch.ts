/**
 * `PATCH /teamsRequestsForInformation/{tenantId}` (JSON merge patch, D9): only `customerRelationship`
 * is writable. The change is stored as `pending` and pushed to Operator Connect by the flow-through
 * worker (rfiPush.ts); the answer is the pending representation.
 */
import { evaluatePreconditions, hasPreconditions, type Preconditions } from '../contract/conditional';
import { ApiError, ErrorCode } from '../contract/errors';
import { kickRfi } from '../flowthrough/kicks';
import { readRfi, replaceRfi, type RfiRecord } from '../store/rfiStore';
import { isPreconditionFailed } from '../store/storageErrors';
import { rfiNotFound } from './rfiReads';
import { representRfi, type RfiRepresentation } from './rfiRepresentation';
import { operatorConnectOrThrow } from './ocFailures';

import { mergeRelationship, type RfiPatch } from './rfiPatchRules';

export { CUSTOMER_RELATIONSHIP_STATUSES, MAX_COMMENT_LENGTH, mergeRelationship, rfiPatchSchema, type RfiPatch } from './rfiPatchRules';

const MAX_ATTEMPTS = 20;

export async function patchRfi(tenantId: string, patch: RfiPatch, preconditions: Preconditions): Promise<RfiRepresentation> {
  const change = patch.customerRelationship;
  // Refused up front: a change that can never be pushed would only turn into `failed` later.
  if (change !== undefined) operatorConnectOrThrow();
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const current = await readRfi(tenantId);
    if (current === undefined) throw rfiNotFound(tenantId);
    evaluatePreconditions(preconditions, representRfi(current), false);
    if (change === undefined) return representRfi(current); // `{}` changes nothing
    const now = new Date();
    const next: Omit<RfiRecord, 'etag'> = {
      ...current,
      relationship: mergeRelationship(current.relationship, change, now),
      provisioning: { status: 'pending', errors: [] },
      desiredVersion: current.desiredVersion + 1,
      desiredAt: now.toISOString(),
      lastModified: now,
    };
    try {
      await replaceRfi(next, current.etag);
    } catch (err) {
      // The consent puller or a concurrent PATCH wrote in between: evaluate everything again.
      if (isPreconditionFailed(err)) continue;
      throw err;
    }
    await kickRfi(tenantId, 'write');
    return representRfi(next);
  }
  if (hasPreconditions(preconditions)) throw new ApiError(412, ErrorCode.PreconditionFailed, 'The request for information kept changing; read it again.');
  throw new ApiError(409, ErrorCode.Conflict, 'The request for information was changed by concurrent requests; retry the request.');
}
