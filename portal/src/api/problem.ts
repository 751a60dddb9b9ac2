/** An Azure.Core error answer of the API, kept whole so screens can show its message and targets. */
export interface ErrorDetail {
  readonly code: string;
  readonly message: string;
  readonly target?: string;
  readonly details?: readonly ErrorDetail[];
}

export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly target: string | undefined,
    readonly details: readonly ErrorDetail[],
  ) {
    super(message);
    this.name = 'ApiProblem';
  }

  /** Every (target, message) pair: the top-level error and each detail. */
  problems(): ErrorDetail[] {
    const top: ErrorDetail = { code: this.code, message: this.message, ...(this.target ? { target: this.target } : {}) };
    return this.details.length > 0 ? [...this.details] : [top];
  }
}

export async function problemFrom(response: Response): Promise<ApiProblem> {
  let body: { error?: { code?: string; message?: string; target?: string; details?: ErrorDetail[] } } | undefined;
  try {
    body = (await response.json()) as typeof body;
  } catch {
    body = undefined;
  }
  const error = body?.error;
  const code = error?.code ?? response.headers.get('x-ms-error-code') ?? `Http${response.status}`;
  return new ApiProblem(response.status, code, error?.message ?? `The server answered ${response.status} ${response.statusText}.`, error?.target, error?.details ?? []);
}

/** Plain words for the codes users meet most (docs/errors.md); the server's message follows. */
const PLAIN_WORDS: Readonly<Record<string, string>> = {
  Unauthorized: 'Your sign-in has expired or is not valid. Sign in again.',
  Forbidden: 'Your roles do not allow this action.',
  PreconditionFailed: 'Someone else changed this item since you opened it.',
  SubdomainInUse: 'Another account already uses this Direct Routing subdomain.',
  AccountHasNumbers: 'The account still has numbers.',
  ServiceInUse: 'Numbers of this account still use the service you are disabling.',
  TenantIdLocked: 'The Teams tenant cannot change while the account has Operator Connect or Teams Phone Mobile numbers.',
  NumberInOtherAccount: 'The number belongs to another account; delete it there first.',
  ServiceUnavailable: 'The service is temporarily unavailable. Try again in a moment.',
  OperatorConnectUnavailable: 'Operator Connect is not answering right now. Try again in a moment.',
  OperatorConnectNotConfigured: 'Operator Connect is not configured for this deployment.',
  TeamsTenantIdMissing: 'The account has no Teams tenant ID.',
  TeamsConsentNotFound: 'The Teams tenant has not given this operator consent yet.',
};

export function plainWords(problem: ApiProblem): string | undefined {
  return PLAIN_WORDS[problem.code];
}
