/**
 * Development token issuer: an in-memory (optionally file-persisted) key pair that signs tokens the
 * local host accepts, so the API can be exercised without Entra ID. It refuses to exist wherever
 * cloud configuration is present, so it can never become a back door in a deployment.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, type JsonWebKey, type KeyObject } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { SignJWT, type JWK } from 'jose';
import { isLoopbackUrl } from '../shared/auth/config';

export const DEV_PORT = 7071;
export const DEV_ISSUER_PATH = '/dev-issuer';
/** Where the local host serves `jwks()`, relative to the issuer URL. */
export const DEV_JWKS_SUFFIX = '/keys';
export const DEV_AUDIENCE = 'api://voice-provisioning-dev';
/** Under `.data/` (git-ignored); relative to the working directory, i.e. the repo root for npm scripts. */
export const DEV_ISSUER_KEY_FILE = '.data/dev-issuer-key.json';

export interface DevIssuerDefaults {
  issuer: string;
  audience: string;
  jwksUri: string;
  keyFile: string;
}

/** The values the local host and the token CLI share; `PORT` moves the host, `DEV_ISSUER_KEY_FILE` the key. */
export function devIssuerDefaults(env: NodeJS.ProcessEnv = process.env): DevIssuerDefaults {
  const portText = env.PORT?.trim() || String(DEV_PORT);
  const port = /^\d{1,5}$/.test(portText) ? Number(portText) : NaN;
  if (!(port >= 1 && port <= 65535)) throw new Error(`PORT must be a TCP port number, got "${portText}"`);
  const issuer = `http://127.0.0.1:${port}${DEV_ISSUER_PATH}`;
  return {
    issuer,
    audience: DEV_AUDIENCE,
    jwksUri: `${issuer}${DEV_JWKS_SUFFIX}`,
    keyFile: path.resolve(env.DEV_ISSUER_KEY_FILE?.trim() || DEV_ISSUER_KEY_FILE),
  };
}

export type DevSigningAlgorithm = 'ES256' | 'RS256';

export interface DevIssuerOptions {
  issuer: string;
  audience: string;
  /** Checked for cloud configuration; defaults to process.env. */
  env?: NodeJS.ProcessEnv;
  /** Algorithm of newly generated keys (a persisted key keeps its own). Default ES256. */
  alg?: DevSigningAlgorithm;
  /** Load the keys from / save them to this file so tokens survive restarts and the CLI shares them. */
  keyFile?: string;
}

export interface IssueTokenOptions {
  roles: readonly string[];
  subject?: string;
  /** Negative values mint already-expired tokens (tests). Default 3600. */
  expiresInSeconds?: number;
  notBefore?: Date;
  audience?: string;
  issuer?: string;
  /** Header kid to claim instead of the current key's (tests: unknown or borrowed kid). */
  kid?: string;
  appId?: string;
  name?: string;
  /** Extra or overriding payload claims (tests: malformed `roles`, `tid`). */
  claims?: Record<string, unknown>;
}

export interface DevIssuer {
  readonly issuer: string;
  readonly audience: string;
  /** kid of the key that signs new tokens. */
  readonly kid: string;
  /** The public JWKS the local host serves at `<issuer>/keys`. */
  jwks(): { keys: JWK[] };
  issueToken(options: IssueTokenOptions): Promise<string>;
  /** New key with a new kid; the JWKS keeps the previous key only when asked. Returns the new kid. */
  rotate(options?: { keepPrevious?: boolean }): string;
}

const CLOUD_MARKERS = ['AZURE_CLIENT_ID', 'AUTH_TENANT_ID', 'WEBSITE_SITE_NAME', 'TABLES_ENDPOINT'] as const;
const ISSUER_SETTINGS = ['AUTH_JWKS_URI', 'AUTH_ISSUER'] as const;

function isSet(env: NodeJS.ProcessEnv, name: string): boolean {
  return (env[name]?.trim() ?? '') !== '';
}

/** Names (never values) of the variables that show we are not on a developer machine. */
export function cloudConfigurationIn(env: NodeJS.ProcessEnv): string[] {
  const offending: string[] = CLOUD_MARKERS.filter((name) => isSet(env, name));
  // FUNCTIONS_WORKER_RUNTIME alone is in local.settings.json; with an instance id it is a real Functions host.
  if (isSet(env, 'FUNCTIONS_WORKER_RUNTIME') && isSet(env, 'WEBSITE_INSTANCE_ID')) {
    offending.push('FUNCTIONS_WORKER_RUNTIME', 'WEBSITE_INSTANCE_ID');
  }
  for (const name of ISSUER_SETTINGS) {
    const value = env[name]?.trim() ?? '';
    if (value !== '' && !value.split(',').every((url) => isLoopbackUrl(url.trim()))) offending.push(name);
  }
  return offending;
}

interface SigningKey {
  kid: string;
  alg: DevSigningAlgorithm;
  privateKey: KeyObject;
}

function newSigningKey(alg: DevSigningAlgorithm): SigningKey {
  const { privateKey } =
    alg === 'ES256' ? generateKeyPairSync('ec', { namedCurve: 'P-256' }) : generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { kid: `dev-${randomBytes(8).toString('hex')}`, alg, privateKey };
}

function publicJwk(key: SigningKey): JWK {
  return { ...(createPublicKey(key.privateKey).export({ format: 'jwk' }) as JWK), kid: key.kid, alg: key.alg, use: 'sig' };
}

/** File format: `{ "keys": [private JWK, ...] }`, the first one signs. */
function readKeyFile(file: string): SigningKey[] | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  try {
    const stored = (JSON.parse(text) as { keys?: unknown }).keys;
    if (!Array.isArray(stored) || stored.length === 0) throw new Error('no keys');
    return stored.map((entry: unknown) => {
      const jwk = entry as JsonWebKey & { kid?: unknown; alg?: unknown };
      if (typeof jwk.kid !== 'string' || (jwk.alg !== 'ES256' && jwk.alg !== 'RS256')) throw new Error('bad key');
      return { kid: jwk.kid, alg: jwk.alg, privateKey: createPrivateKey({ key: jwk, format: 'jwk' }) };
    });
  } catch (err) {
    throw new Error(`Dev issuer key file ${file} is unreadable (${(err as Error).message}); delete it to generate a new key`);
  }
}

function serialise(keys: readonly SigningKey[]): string {
  const stored = keys.map((key) => ({ ...key.privateKey.export({ format: 'jwk' }), kid: key.kid, alg: key.alg, use: 'sig' }));
  return `${JSON.stringify({ keys: stored }, null, 2)}\n`;
}

function writeKeyFile(file: string, keys: readonly SigningKey[], exclusive: boolean): void {
  mkdirSync(path.dirname(file), { recursive: true });
  if (exclusive) {
    writeFileSync(file, serialise(keys), { mode: 0o600, flag: 'wx' });
    return;
  }
  // Write-then-rename so a CLI reading concurrently never sees half a file.
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, serialise(keys), { mode: 0o600 });
  renameSync(temporary, file);
}

function loadOrCreateKeys(file: string, alg: DevSigningAlgorithm): SigningKey[] {
  const existing = readKeyFile(file);
  if (existing !== undefined) return existing;
  const keys = [newSigningKey(alg)];
  try {
    writeKeyFile(file, keys, true);
  } catch (err) {
    // The host and the CLI may start together: whoever wrote first wins, the other adopts its key.
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    return readKeyFile(file) ?? keys;
  }
  return keys;
}

export function createDevIssuer(options: DevIssuerOptions): DevIssuer {
  const offending = cloudConfigurationIn(options.env ?? process.env);
  if (offending.length > 0) {
    throw new Error(
      `Refusing to create the development token issuer: cloud configuration is present (${offending.join(', ')}). ` +
        'It is for local development only.',
    );
  }
  if (!isLoopbackUrl(options.issuer)) {
    throw new Error(`The development token issuer must live on localhost/127.0.0.1, not ${options.issuer}`);
  }
  const alg = options.alg ?? 'ES256';
  const keyFile = options.keyFile === undefined ? undefined : path.resolve(options.keyFile);
  let keys: SigningKey[] = keyFile === undefined ? [newSigningKey(alg)] : loadOrCreateKeys(keyFile, alg);

  const current = (): SigningKey => keys[0] as SigningKey; // never empty: created with one, rotate prepends

  return {
    issuer: options.issuer,
    audience: options.audience,
    get kid() {
      return current().kid;
    },
    jwks() {
      return { keys: keys.map(publicJwk) };
    },
    async issueToken(token) {
      const signer = current();
      const issuedAt = Math.floor(Date.now() / 1000);
      // Claims go in last so tests can override or (with undefined) drop any of them.
      const payload = {
        iss: token.issuer ?? options.issuer,
        aud: token.audience ?? options.audience,
        sub: token.subject ?? 'dev-user',
        iat: issuedAt,
        exp: issuedAt + (token.expiresInSeconds ?? 3600),
        ...(token.notBefore !== undefined ? { nbf: Math.floor(token.notBefore.getTime() / 1000) } : {}),
        roles: [...token.roles],
        ...(token.appId !== undefined ? { azp: token.appId } : {}),
        ...(token.name !== undefined ? { name: token.name } : {}),
        ...token.claims,
      };
      const jwt = new SignJWT(payload).setProtectedHeader({ alg: signer.alg, kid: token.kid ?? signer.kid, typ: 'JWT' });
      return jwt.sign(signer.privateKey);
    },
    rotate(rotation = {}) {
      const next = newSigningKey(current().alg);
      keys = rotation.keepPrevious === true ? [next, current()] : [next];
      if (keyFile !== undefined) writeKeyFile(keyFile, keys, false);
      return next.kid;
    },
  };
}
