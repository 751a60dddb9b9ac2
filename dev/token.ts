/**
 * Prints a development access token the local host accepts:
 *   node dist/dev/token.js --roles Read,Write [--expires 3600] [--audience X]
 * It signs with the same persisted key as the host (devIssuer.ts), so run it from the repo root.
 */
import { KNOWN_ROLES } from '../shared/auth/roles';
import { createDevIssuer, devIssuerDefaults } from './devIssuer';

export interface TokenArgs {
  roles: string[];
  expiresInSeconds: number;
  audience?: string;
}

const USAGE = 'usage: node dist/dev/token.js --roles Read,Write[,Lookup.Query] [--expires <seconds>] [--audience <aud>]';
const DEFAULT_EXPIRES_SECONDS = 3600;
const MAX_EXPIRES_SECONDS = 30 * 24 * 3600;

/** `Read` → `ProvisioningAPI.Read`; full role values (e.g. `Lookup.Query`) pass through. Unknown names are typos. */
export function expandRole(name: string): string {
  const role = name.includes('.') ? name : `ProvisioningAPI.${name}`;
  if (!KNOWN_ROLES.includes(role)) throw new Error(`Unknown role "${name}"; known: ${KNOWN_ROLES.join(', ')}`);
  return role;
}

/** Pure, for tests: accepts `--flag value` and `--flag=value`; `--roles ""` mints a token without roles. */
export function parseTokenArgs(argv: readonly string[]): TokenArgs {
  const values = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const match = /^--(roles|expires|audience)(?:=(.*))?$/.exec(arg);
    if (match === null) throw new Error(`Unexpected argument "${arg}"\n${USAGE}`);
    const flag = match[1] as string;
    let value = match[2];
    if (value === undefined) {
      value = argv[i + 1];
      if (value === undefined || value.startsWith('--')) throw new Error(`--${flag} needs a value\n${USAGE}`);
      i++;
    }
    if (values.has(flag)) throw new Error(`--${flag} given twice\n${USAGE}`);
    values.set(flag, value);
  }

  const rolesText = values.get('roles');
  if (rolesText === undefined) throw new Error(`--roles is required\n${USAGE}`);
  const roles = [...new Set(rolesText.split(',').map((role) => role.trim()).filter((role) => role !== '').map(expandRole))];

  const expiresText = values.get('expires') ?? String(DEFAULT_EXPIRES_SECONDS);
  const expiresInSeconds = /^\d+$/.test(expiresText) ? Number(expiresText) : NaN;
  if (!(expiresInSeconds >= 1 && expiresInSeconds <= MAX_EXPIRES_SECONDS)) {
    throw new Error(`--expires must be a whole number of seconds from 1 to ${MAX_EXPIRES_SECONDS}`);
  }

  const audience = values.get('audience')?.trim();
  if (audience === '') throw new Error('--audience must not be empty');
  return { roles, expiresInSeconds, ...(audience !== undefined ? { audience } : {}) };
}

export async function main(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  try {
    const args = parseTokenArgs(argv);
    const defaults = devIssuerDefaults(env);
    const issuer = createDevIssuer({ issuer: defaults.issuer, audience: defaults.audience, env, keyFile: defaults.keyFile });
    const token = await issuer.issueToken({
      roles: args.roles,
      expiresInSeconds: args.expiresInSeconds,
      ...(args.audience !== undefined ? { audience: args.audience } : {}),
    });
    // Only the token on stdout, so `TOKEN=$(node dist/dev/token.js ...)` works.
    process.stdout.write(`${token}\n`);
    return 0;
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    return 2;
  }
}

if (require.main === module) {
  void main(process.argv.slice(2), process.env).then((code) => {
    process.exitCode = code;
  });
}
