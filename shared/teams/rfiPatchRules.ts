/**
 * The rules of an RFI merge patch (D9) without any I/O, so the portal validates the relationship
 * status and its comment with exactly the code the API runs (docs/portal.md). Used by rfiPatch.ts.
 */
import { z } from 'zod';
import { ErrorCode, type ErrorDetail } from '../contract/errors';
import type { CustomerRelationshipStatus } from '../flowthrough/oc/port';
import { combinedDetailsError } from '../provisioning/errors';
import type { CustomerRelationship } from '../store/rfiStore';

export const CUSTOMER_RELATIONSHIP_STATUSES: readonly CustomerRelationshipStatus[] = ['ConsentAcknowledged', 'CustomerContacted', 'AgreementSigned', 'ConsentDeclined', 'ContractTerminated'];
/** D9: declining or terminating needs the reason. */
export const NEEDS_COMMENT: readonly string[] = ['ConsentDeclined', 'ContractTerminated'];
/** Operator Connect's bound on the comment. */
export const MAX_COMMENT_LENGTH = 1000;

/** Merge-patch body: `null` removes a member; read-only `lastModifiedOn` is accepted and ignored. */
export const rfiPatchSchema = z.strictObject({
  customerRelationship: z
    .strictObject({
      status: z.string().max(100).nullable().optional(),
      comment: z.string().max(MAX_COMMENT_LENGTH).nullable().optional(),
      lastModifiedOn: z.string().optional(),
    })
    .optional(),
});
export type RfiPatch = z.infer<typeof rfiPatchSchema>;

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
