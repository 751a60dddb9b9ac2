/** The Teams tenant an account's Teams operations ask Operator Connect about (its `teamsTenantId`). */
import { ApiError, ErrorCode, notFound } from '../contract/errors';
import { tenantKey } from '../domain/tenants';
import { readAccount } from '../store/accountStore';

export async function teamsTenantOf(accountName: string): Promise<string> {
  const account = await readAccount(accountName);
  if (account === undefined) throw notFound(ErrorCode.AccountNotFound, `Account ${accountName} does not exist.`, 'accountName');
  const tenantId = account.doc.serviceDetails?.teamsTenantId;
  if (tenantId === undefined || tenantId === '') {
    // 409: the request is fine, the account's state is not (it names no Teams tenant yet).
    throw new ApiError(409, ErrorCode.TeamsTenantIdMissing, `Account ${accountName} has no serviceDetails.teamsTenantId, so it has no Teams data to read.`, {
      target: 'serviceDetails.teamsTenantId',
    });
  }
  // Operator Connect is asked with the canonical form, whatever spelling the account was given.
  return tenantKey(tenantId);
}

export function consentNotFound(tenantId: string): { code: string; message: string } {
  return { code: ErrorCode.TeamsConsentNotFound, message: `Teams tenant ${tenantId} has no Operator Connect consent for this operator.` };
}
