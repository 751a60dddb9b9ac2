/**
 * `PATCH /teamsRequestsForInformation/{tenantId}` (JSON merge patch, D9): only `customerRelationship`
 * is writable. The change is stored as `pending` and pushed to Operator Connect by the flow-through
 * worker (rfiPush.ts); the answer is the pending representation.
 */
import { z } from 'zod';
import { evaluatePreconditions, hasPreconditions, type Preconditions } from '../contract/conditional';
import { ApiError, ErrorCode, type ErrorDetail } from '../contract/errors';
import { parseWith } from '../contract/validate';
import { kickRfi } from '../flowthrough/kicks';
import type { CustomerRelationshipStatus } from '../flowthrough/oc/port';
import { combinedDetailsError } from '../provisioning/errors';
import { isPreconditionFailed } from '../store/storageErrors';
import { rfiNotFound } from './rfiReads';
import type { CustomerRelationship, RfiRecord } from './rfiRecord';
import { representRfi, type RfiRepresentation } from './rfiRepresentation';
import { readRfi, replaceRfi } from './rfiStore';
import { operatorConnectOrThrow } from './ocFailures';

export const CUSTOMER_RELATIONSHIP_STATUSES: readonly CustomerRelationshipStatus[] = ['ConsentAcknowledged', 'CustomerContacted', 'AgreementSigned', 'ConsentDeclined', 'ContractTerminated'];
/** D9: declining or terminating needs the reason. */
const NEEDS_COMMENT: readonly string[] = ['ConsentDeclined', 'ContractTerminated'];
/** Operator Connect's bound on the comment. */
export const MAX_COMMENT_LENGTH = 1000;

/** Merge-patch body: `null` removes a member; read-only `lastModifiedOn` is accepted and ignored. */
const patchSchema = z.strictObject({
  customerRelationship: z
    .strictObject({
      status: z.string().max(100).nullable().optional(),
      comment: z.string().max(MAX_COMMENT_LENGTH).nullable().optional(),
      lastModifiedOn: z.string().optional(),
    })
    .optional(),
});
export type RfiPatch = z.infer<typeof patchSchema>;

export function parseRfiPatch(body: unknown): RfiPatch {
  const parsed = parseWith(patchSchema, body);
  if (!parsed.ok) throw combinedDetailsError(parsed.details);
  return parsed.value;
}

/** The relationship after the patch, or the problems that make it invalid. */
export function mergeRelationship(current: CustomerRelationship | undefined, patch: NonNullable<RfiPatch['customerRelationship']>, now: Date): CustomerRelationship {
  const status = patch.status === undefined ? current?.status : (patch.status ?? undefined);
  const comment = patch.comment === undefined ? current?.comment : (patch.comment ?? undefined);
  const details: ErrorDetail[] = [];
  if (status === undefined) {
    details.push({ code: ErrorCode.InvalidRequestContent, message: 'customerRelationship.status is required.', target: 'customerRelationship.status' });
  } else if (!(CUSTOMER_RELATIONSHIP_STATUSES as readonly string[]).includes(status)) {
    details.push({
      code: ErrorCode.InvalidRequestContent,
      message: `customerRelationship.status must be one of ${CUSTOMER_RELATIONSHIP_STATUSES.join(', ')}.`,
      target: 'customerRelationship.status',
    });
  } else if (NEEDS_COMMENT.includes(status)) {
    // Moving to Declined/Terminated needs the reason in the same request: an older comment is not one.
    const movesThere = patch.status !== undefined && status !== current?.status;
    const reason = movesThere ? patch.comment : comment;
    if (reason === undefined || reason === null || reason.trim() === '') {
      details.push({ code: ErrorCode.CommentRequired, message: `customerRelationship.comment (the reason) is required for ${status}.`, target: 'customerRelationship.comment' });
    }
  }
  if (details.length > 0 || status === undefined) throw combinedDetailsError(details);
  return { status, ...(comment !== undefined ? { comment } : {}), lastModifiedOn: now.toISOString() };
}

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
