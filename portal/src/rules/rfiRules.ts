/** The customer relationship update, checked with the API's own merge rules (shared/teams/rfiPatchRules.ts). */
import { CUSTOMER_RELATIONSHIP_STATUSES, MAX_COMMENT_LENGTH, NEEDS_COMMENT, mergeRelationship } from '../../../shared/teams/rfiPatchRules';
import { ApiError } from '../../../shared/contract/errors';
import type { ErrorDetail } from '../api/problem';

export { CUSTOMER_RELATIONSHIP_STATUSES, MAX_COMMENT_LENGTH, NEEDS_COMMENT };

export function relationshipProblems(current: { status?: string; comment?: string } | undefined, status: string, comment: string | null): ErrorDetail[] {
  try {
    const existing = current?.status !== undefined ? { status: current.status, comment: current.comment } : undefined;
    mergeRelationship(existing, { status, comment }, new Date());
    return [];
  } catch (err) {
    if (err instanceof ApiError) return err.details && err.details.length > 0 ? [...err.details] : [{ code: err.code, message: err.message, target: err.target }];
    throw err;
  }
}
