// HashiCorp Vault / OpenBao key provider (same HTTP API).
//
//   1. POST {url}/v1/auth/{mount}/login {role, jwt}           -> auth.client_token (a service token)
//   2. GET  {url}/v1/{secret path}  (KV v2: {mount}/data/{path}) -> data.data[{key field}, {passphrase field}]
//   3. POST {url}/v1/auth/token/revoke-self                     -> 204, right after the read (success or not)
//
// Every request carries X-Vault-Namespace when a namespace is set, trusts the extra CA from `vault-ca-cert`,
// is bounded (1 MiB, 10 s) and retried on 5xx/429/connection failures with labelled backoff. Vault's errors
// ({"errors": [...]}) become messages that say what to change; none carries the JWT, the Vault token, the key or
// the passphrase (they are also scrubbed defensively from anything Vault echoes).
//
// Secret path: pass the KV v2 API path, `secret/data/release/gpg`. The CLI form `secret/release/gpg` is accepted
// too: when the second segment is not `data`, `data/` is inserted after the first segment (the mount), as
// `vault kv get` does for a single-segment mount. Mounts with a `/` in their name must use the explicit form.
import {
  type HttpClient,
  HttpError,
  type HttpResponse,
  httpRequest,
  isLoopbackHost,
  isTransientStatus,
  retryAfterMs,
} from '../../shared/http.ts';
import { displayPath } from '../../shared/escape.ts';
import { readRegularTextFile } from '../../shared/read-file.ts';
import { errorMessage, type RetryOptions, retry } from '../../shared/retry.ts';
import { checkServiceUrl } from '../service-url.ts';
import { decodeJwtPayload, describeClaims, type OidcClaims, publicClaims } from '../oidc.ts';
import { armor } from '../packet.ts';
import { type KeyMaterial, type KeyProvider, ProviderError } from './types.ts';

const PROVIDER = 'vault';
/** A CA bundle is a few KiB; a system bundle about 200 KiB. */
const MAX_CA_BYTES = 1024 * 1024;

export interface VaultProviderOptions {
  /** Vault address, e.g. https://vault.example.com:8200 (a trailing /v1 or / is ignored). */
  url: string;
  role: string;
  /** KV v2 path: secret/data/release/gpg (or secret/release/gpg, see above). */
  secret: string;
  /** Where the JWT auth method is mounted (default jwt). */
  authMount?: string;
  namespace?: string;
  /** Field holding the armored (or base64 of armored) key (default private_key). */
  keyField?: string;
  /** Field holding the passphrase (default passphrase); absent field = no passphrase. */
  passphraseField?: string;
  /** Path of a PEM file with the CA that signed Vault's certificate. */
  caCertPath?: string;
  /** Plain http:// to a Vault that is not on this machine is refused unless this is true. */
  allowInsecureHttp?: boolean;
  /** The PEM text itself (alternative to caCertPath). */
  caCert?: string;
  http?: HttpClient;
  retry?: RetryOptions;
  /** Progress and labelled retry lines (never secrets). */
  log?: (message: string) => void;
  /** Called with every secret as soon as it is known: Vault token, key (raw and decoded), passphrase. */
  mask?: (secret: string) => void;
  /** Called right after login with what a post step needs to revoke the token; save it as state. */
  onSession?: (session: VaultSession) => void | Promise<void>;
  /** Called as soon as the token is known to be dead (revoked, or already invalid): clear the saved state. */
  onSessionEnd?: () => void;
  timeoutMs?: number;
}

/** Everything needed to revoke a Vault token later (e.g. from a post step). `token` is secret. */
export interface VaultSession {
  url: string;
  namespace?: string;
  token: string;
  caCertPath?: string;
  /** Non-secret token accessor, for logs. */
  accessor?: string;
}

export interface RevokeOptions {
  http?: HttpClient;
  retry?: RetryOptions;
  log?: (message: string) => void;
  timeoutMs?: number;
  /** PEM text, when the session's caCertPath is no longer readable. */
  caCert?: string;
}

/** The session as one state value (JSON) for core.saveState; the token inside is secret (mask it first). */
export function sessionToState(session: VaultSession): string {
  const out: VaultSession = { url: session.url, token: session.token };
  if (session.namespace) out.namespace = session.namespace;
  if (session.caCertPath) out.caCertPath = session.caCertPath;
  if (session.accessor) out.accessor = session.accessor;
  return JSON.stringify(out);
}

/** Parses what sessionToState wrote; undefined for an empty or malformed value (a main that never logged in). */
export function sessionFromState(text: string | undefined): VaultSession | undefined {
  if (!text || text.trim() === '') return undefined;
  try {
    const v = JSON.parse(text) as Partial<VaultSession> | null;
    if (!v || typeof v.url !== 'string' || typeof v.token !== 'string' || v.token === '') return undefined;
    const out: VaultSession = { url: v.url, token: v.token };
    if (typeof v.namespace === 'string' && v.namespace) out.namespace = v.namespace;
    if (typeof v.caCertPath === 'string' && v.caCertPath) out.caCertPath = v.caCertPath;
    if (typeof v.accessor === 'string' && v.accessor) out.accessor = v.accessor;
    return out;
  } catch {
    return undefined;
  }
}

/**
 * Normalises the Vault address: no trailing slash, no trailing /v1. Refuses credentials in it and plain http to
 * a host that is not loopback (unless allowed), without ever showing the value.
 */
export function normalizeVaultUrl(url: string, options: { allowInsecureHttp?: boolean } = {}): string {
  let u: URL;
  try {
    u = checkServiceUrl(url, { name: 'vault-url', allowInsecureHttp: options.allowInsecureHttp ?? false });
  } catch (e) {
    throw new ProviderError(PROVIDER, 'config', (e as Error).message);
  }
  let path = u.pathname.replace(/\/+$/, '');
  if (path.endsWith('/v1')) path = path.slice(0, -3);
  return `${u.origin}${path}`;
}

/** The KV v2 API path for what the user wrote, and whether `data/` had to be inserted. */
export function normalizeSecretPath(secret: string): { apiPath: string; inserted: boolean } {
  const clean = secret.trim().replace(/^\/+/, '').replace(/^v1\//, '').replace(/\/+$/, '');
  const parts = clean.split('/').filter((p) => p !== '');
  if (parts.length < 2) {
    throw new ProviderError(
      PROVIDER,
      'config',
      `vault-secret "${secret}" is not a KV v2 path: expected <mount>/data/<path>, e.g. secret/data/release/gpg`,
    );
  }
  if (parts[1] === 'data') return { apiPath: parts.join('/'), inserted: false };
  return { apiPath: [parts[0], 'data', ...parts.slice(1)].join('/'), inserted: true };
}

function cleanSegment(s: string): string {
  return s.trim().replace(/^\/+|\/+$/g, '');
}

const ARMOR_RE = /-----BEGIN PGP (PRIVATE|PUBLIC) KEY BLOCK-----/;

/** First packet tag of binary OpenPGP data, or -1. */
function firstPacketTag(bytes: Uint8Array): number {
  const b = bytes[0];
  if (b === undefined || (b & 0x80) === 0) return -1;
  return b & 0x40 ? b & 0x3f : (b >> 2) & 0x0f;
}

/**
 * The armored key from a field value: armor as is; base64 of armor decoded; base64 of a binary secret key
 * (`gpg --export-secret-keys | base64`) armored. Throws without showing the value.
 */
export function decodeKeyValue(value: string, field = 'private_key'): string {
  let trimmed = value.trim();
  // stored through a tool that escaped the newlines (JSON inside JSON, some Terraform setups): literal \n pairs
  if (!trimmed.includes('\n') && trimmed.includes('\\n')) trimmed = trimmed.replace(/(?:\\r)?\\n/g, '\n');
  if (ARMOR_RE.test(trimmed)) return `${trimmed.replace(/\r\n/g, '\n')}\n`;
  const compact = trimmed.replace(/\s+/g, '');
  if (compact !== '' && /^[A-Za-z0-9+/_-]+={0,2}$/.test(compact)) {
    const bytes = Buffer.from(compact.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
    const text = bytes.toString('utf8');
    if (ARMOR_RE.test(text)) return `${text.trim().replace(/\r\n/g, '\n')}\n`;
    const tag = firstPacketTag(bytes);
    if (tag === 5) return armor(bytes, 'PRIVATE KEY BLOCK');
  }
  throw new ProviderError(
    PROVIDER,
    'bad-key',
    `the field "${field}" holds neither an armored OpenPGP secret key nor base64 of one ` +
      '(store the output of `gpg --armor --export-secret-keys KEYID`, or that output base64-encoded)',
  );
}

/** Vault's {"errors": [...]} list (strings only), or []. */
export function vaultErrors(body: string): string[] {
  try {
    const parsed = JSON.parse(body) as { errors?: unknown };
    if (Array.isArray(parsed?.errors)) return parsed.errors.filter((e): e is string => typeof e === 'string');
  } catch {
    // not JSON
  }
  return [];
}

/** Vault's "1 error occurred:\n\t* permission denied\n\n" flattened to "permission denied". */
export function flattenVaultError(message: string): string {
  const bullets = [...message.matchAll(/^\s*\*\s+(.+)$/gm)].map((m) => m[1]!.trim());
  const text = bullets.length > 0 ? bullets.join('; ') : message.trim();
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}

export function scrub(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) {
    if (s && s.length >= 4) out = out.split(s).join('***');
  }
  return out;
}

export function loadCa(options: { caCert?: string; caCertPath?: string }): string | undefined {
  if (options.caCert) return options.caCert;
  if (!options.caCertPath) return undefined;
  let pem: string;
  try {
    pem = readRegularTextFile(options.caCertPath, {
      what: 'vault-ca-cert: the CA certificate',
      maxBytes: MAX_CA_BYTES,
    });
  } catch (e) {
    throw new ProviderError(PROVIDER, 'config', (e as Error).message);
  }
  if (!pem.includes('-----BEGIN CERTIFICATE-----')) {
    throw new ProviderError(
      PROVIDER,
      'config',
      `vault-ca-cert: ${displayPath(options.caCertPath)} holds no PEM certificate (expected -----BEGIN CERTIFICATE-----)`,
    );
  }
  return pem;
}

export interface VaultCall {
  method: 'GET' | 'POST';
  path: string;
  token?: string;
  body?: unknown;
  label: string;
}

export interface VaultConn {
  url: string;
  namespace?: string;
  ca?: string;
  caCertPath?: string;
  http: HttpClient;
  retry?: RetryOptions;
  log?: (message: string) => void;
  timeoutMs?: number;
  secrets: string[];
}

class TransientStatus extends Error {
  status: number;
  retryAfterMs?: number;
  constructor(message: string, status: number, retryAfter?: number) {
    super(message);
    this.status = status;
    if (retryAfter !== undefined) this.retryAfterMs = retryAfter;
  }
}

/** One Vault API call with retries on transient failures; returns the final non-transient response. */
export async function vaultCall(conn: VaultConn, call: VaultCall): Promise<HttpResponse> {
  // X-Vault-Request marks an API call as Vault's own clients do (required by Vault Agent's listener).
  const headers: Record<string, string> = { accept: 'application/json', 'x-vault-request': 'true' };
  if (conn.namespace) headers['x-vault-namespace'] = conn.namespace;
  if (call.token) headers['x-vault-token'] = call.token;
  if (call.body !== undefined) headers['content-type'] = 'application/json';
  const body = call.body === undefined ? undefined : JSON.stringify(call.body);
  const attempts = conn.retry?.attempts ?? 5;
  let tried = 0;
  try {
    return await retry(
      async () => {
        tried++;
        const res = await conn.http({
          url: `${conn.url}/v1/${call.path}`,
          method: call.method,
          headers,
          body,
          ca: conn.ca,
          timeoutMs: conn.timeoutMs,
        });
        if (isTransientStatus(res.status)) {
          const errs = vaultErrors(res.body).map(flattenVaultError).join('; ');
          throw new TransientStatus(
            `HTTP ${res.status}${errs ? `: ${scrub(errs, conn.secrets)}` : ''}`,
            res.status,
            retryAfterMs(res.headers),
          );
        }
        return res;
      },
      {
        attempts,
        ...conn.retry,
        label: call.label,
        isRetryable: (e) => e instanceof TransientStatus || (e instanceof HttpError && e.retryable),
        onRetry: (info) => {
          conn.log?.(info.message);
          conn.retry?.onRetry?.(info);
        },
      },
    );
  } catch (e) {
    const gaveUp = tried > 1 ? ` (gave up after ${tried} attempts)` : '';
    if (e instanceof TransientStatus) {
      throw new ProviderError(
        PROVIDER,
        'unavailable',
        `${call.label}: Vault at ${conn.url} answered ${e.message}${gaveUp}`,
        e.status,
      );
    }
    if (e instanceof HttpError) {
      if (e.code === 'TLS') {
        const fix = conn.ca
          ? `the CA in vault-ca-cert${conn.caCertPath ? ` (${conn.caCertPath})` : ''} did not verify it; pass the CA that signed Vault's certificate`
          : "set vault-ca-cert to a PEM file with the CA that signed Vault's certificate";
        throw new ProviderError(
          PROVIDER,
          'tls',
          `${call.label}: the TLS certificate of ${conn.url} did not verify (${e.tlsCode ?? 'TLS'}): ${fix}`,
        );
      }
      throw new ProviderError(PROVIDER, 'unavailable', `${call.label}: cannot reach Vault: ${e.message}${gaveUp}`);
    }
    throw e;
  }
}

export function parseJson(res: HttpResponse, what: string): Record<string, unknown> {
  try {
    const parsed = JSON.parse(res.body) as unknown;
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch {
    // fall through
  }
  throw new ProviderError(
    PROVIDER,
    'bad-response',
    `${what}: Vault's answer (HTTP ${res.status}) is not a JSON object`,
  );
}

export function nsNote(namespace?: string): string {
  return namespace ? ` in namespace "${namespace}"` : '';
}

/** Turns a refused login into a message that shows the token's claims beside what to change in the role. */
export function loginErrorMessage(
  status: number,
  errors: string[],
  ctx: { role: string; mount: string; namespace?: string; claims: OidcClaims },
): { code: 'claims-mismatch' | 'role-not-found' | 'login-failed'; message: string } {
  const said = errors.map(flattenVaultError).join('; ') || `HTTP ${status}`;
  const where = `role "${ctx.role}" on auth/${ctx.mount}${nsNote(ctx.namespace)}`;
  const claims = `The token's claims:\n${describeClaims(ctx.claims)}`;
  const head = `Vault refused the login (HTTP ${status}: ${said}).`;
  const show = (v: unknown) => (v === undefined ? '(absent)' : Array.isArray(v) ? v.join(', ') : String(v));

  if (/role "?[^"]*"? ?could not be found|role not found|role could not be found/i.test(said)) {
    return {
      code: 'role-not-found',
      message:
        `${head} There is no ${where}. Check vault-role, and vault-auth-mount if the JWT auth method is mounted ` +
        `elsewhere${ctx.namespace ? ', and vault-namespace' : ''}.`,
    };
  }
  if (/audience|\baud\b/i.test(said)) {
    return {
      code: 'claims-mismatch',
      message:
        `${head} The token's audience does not match the ${where}: add "${show(ctx.claims.aud)}" to the role's ` +
        'bound_audiences, or set the `audience` input to a value the role lists.\n' +
        claims,
    };
  }
  const bound = /claim "([^"]+)" does not match any associated bound claim values/i.exec(said);
  if (bound) {
    const name = bound[1]!;
    return {
      code: 'claims-mismatch',
      message:
        `${head} The token's ${name} (${show((ctx.claims as Record<string, unknown>)[name])}) is not allowed by ` +
        `bound_claims.${name} of the ${where}: add it (or a glob matching it, with bound_claims_type=glob) to the ` +
        'role, or run this job from a repository/ref/environment the role admits.\n' +
        claims,
    };
  }
  const missing = /claim "([^"]+)" is missing/i.exec(said);
  if (missing) {
    const name = missing[1]!;
    const hint =
      name === 'environment'
        ? ' GitHub sets `environment` only for jobs that declare `environment:`.'
        : ' Remove it from bound_claims or make the job produce it.';
    return {
      code: 'claims-mismatch',
      message: `${head} The ${where} binds the claim "${name}", which this token does not carry.${hint}\n${claims}`,
    };
  }
  const userClaim = /claim "([^"]+)" (?:not found in token|could not be converted to string)/i.exec(said);
  if (userClaim) {
    return {
      code: 'claims-mismatch',
      message:
        `${head} The user_claim of the ${where} is "${userClaim[1]}", which this token lacks or holds as a ` +
        'non-string: set user_claim to a claim GitHub always sends as a string (sub, repository, job_workflow_ref).',
    };
  }
  if (/\bsub(ject)?\b/i.test(said)) {
    return {
      code: 'claims-mismatch',
      message:
        `${head} The token's sub (${show(ctx.claims.sub)}) does not match bound_subject of the ${where}: change ` +
        'bound_subject (or prefer bound_claims with globs; repositories created after 2026-07-15 use the ' +
        'immutable form repo:OWNER@ID/REPO@ID:…).\n' +
        claims,
    };
  }
  if (/\biss(uer)?\b/i.test(said)) {
    return {
      code: 'claims-mismatch',
      message:
        `${head} The token's issuer is ${show(ctx.claims.iss)}: set bound_issuer (and oidc_discovery_url or ` +
        `jwks_url) of auth/${ctx.mount}/config to it.\n${claims}`,
    };
  }
  if (/expired|not yet valid|\bexp\b|\bnbf\b|\biat\b|issued at/i.test(said)) {
    return {
      code: 'login-failed',
      message: `${head} The OIDC token's validity window was rejected: check the clock of the Vault server (and the role's clock_skew_leeway).`,
    };
  }
  if (/signature|jwks|keyset|verif/i.test(said)) {
    return {
      code: 'login-failed',
      message:
        `${head} Vault could not verify the token's signature: auth/${ctx.mount}/config must trust the ` +
        'GitHub issuer (oidc_discovery_url https://token.actions.githubusercontent.com, or your enterprise issuer).',
    };
  }
  if (status === 403 || status === 404) {
    return {
      code: 'login-failed',
      message:
        `${head} Is a JWT auth method mounted at auth/${ctx.mount}${nsNote(ctx.namespace)}? Check vault-auth-mount` +
        `${ctx.namespace ? ' and vault-namespace' : ''} (and token_bound_cidrs of the role).`,
    };
  }
  return { code: 'login-failed', message: `${head} Check the ${where}.\n${claims}` };
}

/**
 * JWT login (POST auth/<mount>/login {role, jwt}): returns the Vault token, masked and added to conn.secrets at
 * once. A refusal becomes a ProviderError listing the token's claims beside the role element to check.
 */
export async function vaultLogin(
  conn: VaultConn,
  ctx: {
    role: string;
    mount: string;
    namespace?: string;
    idToken: string;
    claims: OidcClaims;
    mask: (secret: string) => void;
  },
): Promise<{ token: string; policies: string[]; accessor?: string }> {
  const loginRes = await vaultCall(conn, {
    method: 'POST',
    path: `auth/${ctx.mount}/login`,
    body: { role: ctx.role, jwt: ctx.idToken },
    label: 'Vault login',
  });
  if (loginRes.status !== 200) {
    const { code, message } = loginErrorMessage(loginRes.status, vaultErrors(loginRes.body), {
      role: ctx.role,
      mount: ctx.mount,
      ...(ctx.namespace ? { namespace: ctx.namespace } : {}),
      claims: ctx.claims,
    });
    throw new ProviderError(PROVIDER, code, scrub(message, conn.secrets), loginRes.status);
  }
  const login = parseJson(loginRes, 'Vault login');
  const auth = login.auth as { client_token?: unknown; accessor?: unknown; policies?: unknown } | null;
  const token = typeof auth?.client_token === 'string' ? auth.client_token : '';
  if (!token) throw new ProviderError(PROVIDER, 'bad-response', 'Vault login: the answer carries no auth.client_token');
  ctx.mask(token);
  conn.secrets.push(token);
  const policies = Array.isArray(auth?.policies) ? auth.policies.filter((p): p is string => typeof p === 'string') : [];
  conn.log?.(`Logged in to Vault with role "${ctx.role}" (policies: ${policies.join(', ') || 'none'})`);
  return { token, policies, ...(typeof auth?.accessor === 'string' ? { accessor: auth.accessor } : {}) };
}

/** A logged-in Vault session: the token, its policies, and a revoke that runs once however often it is asked. */
export interface OpenedVaultSession {
  token: string;
  policies: string[];
  session: VaultSession;
  /** Revokes the token; a cancel handler and main's own cleanup share the call in flight. Never throws. */
  release: () => Promise<void>;
  /** Whether the token is known to be gone. */
  released: () => boolean;
}

/** Logs in with the job's OIDC token (both Vault providers: KV and transit). */
export async function openVaultSession(
  conn: VaultConn,
  login: { role: string; mount: string; namespace?: string; idToken: string; mask: (secret: string) => void },
  hooks: { caCertPath?: string; onSessionEnd?: () => void } = {},
): Promise<OpenedVaultSession> {
  let claims: OidcClaims = {};
  try {
    claims = publicClaims(decodeJwtPayload(login.idToken));
  } catch {
    // not a JWT: Vault will say so; we just cannot show claims
  }
  const { token, policies, accessor } = await vaultLogin(conn, { ...login, claims });
  const session: VaultSession = { url: conn.url, token };
  if (login.namespace) session.namespace = login.namespace;
  if (hooks.caCertPath) session.caCertPath = hooks.caCertPath;
  if (accessor) session.accessor = accessor;
  const log = conn.log ?? (() => {});
  let revoked = false;
  let revoking: Promise<void> | undefined;
  const release = (): Promise<void> => {
    if (revoked) return Promise.resolve();
    revoking ??= (async () => {
      try {
        const outcome = await revokeVaultToken(session, {
          http: conn.http,
          retry: conn.retry,
          log,
          caCert: conn.ca,
          timeoutMs: conn.timeoutMs,
        });
        revoked = true;
        hooks.onSessionEnd?.();
        log(outcome === 'revoked' ? 'Revoked the Vault token' : 'The Vault token was already invalid');
      } catch (e) {
        log(`warning: could not revoke the Vault token (the post step will retry): ${errorMessage(e)}`);
      } finally {
        revoking = undefined;
      }
    })();
    return revoking;
  };
  return { token, policies, session, release, released: () => revoked };
}

/** Revokes a Vault token (POST auth/token/revoke-self). An already-dead token counts as done. */
export async function revokeVaultToken(
  session: VaultSession,
  options: RevokeOptions = {},
): Promise<'revoked' | 'already-invalid'> {
  let ca: string | undefined = options.caCert;
  if (!ca && session.caCertPath) ca = loadCa({ caCertPath: session.caCertPath });
  const conn: VaultConn = {
    // main checked this address before it logged in (and allow-insecure-http decided about plain http)
    url: normalizeVaultUrl(session.url, { allowInsecureHttp: true }),
    namespace: session.namespace || undefined,
    ca,
    caCertPath: session.caCertPath,
    http: options.http ?? httpRequest,
    retry: options.retry,
    log: options.log,
    timeoutMs: options.timeoutMs,
    secrets: [session.token],
  };
  const res = await vaultCall(conn, {
    method: 'POST',
    path: 'auth/token/revoke-self',
    token: session.token,
    label: 'Vault token revoke',
  });
  if (res.status === 204 || res.status === 200) return 'revoked';
  if (res.status === 403 || res.status === 401) return 'already-invalid';
  const said = vaultErrors(res.body).map(flattenVaultError).join('; ');
  throw new ProviderError(
    PROVIDER,
    'bad-response',
    `Vault token revoke: HTTP ${res.status}${said ? `: ${scrub(said, conn.secrets)}` : ''}`,
    res.status,
  );
}

/**
 * For a post step: revokes the token saved by sessionToState, if any. 'no-session' when main saved nothing
 * (never logged in, or already cleared the state after revoking). Throws ProviderError when Vault cannot be
 * reached; a post step should warn, not fail.
 */
export async function revokeSessionState(
  state: string | undefined,
  options: RevokeOptions = {},
): Promise<'no-session' | 'revoked' | 'already-invalid'> {
  const session = sessionFromState(state);
  if (!session) return 'no-session';
  return revokeVaultToken(session, options);
}

export function createVaultProvider(options: VaultProviderOptions): KeyProvider {
  const url = normalizeVaultUrl(options.url, { allowInsecureHttp: options.allowInsecureHttp ?? false });
  const role = options.role.trim();
  if (!role) throw new ProviderError(PROVIDER, 'config', 'vault-role is required');
  const mount = cleanSegment(options.authMount || 'jwt');
  const namespace = options.namespace ? cleanSegment(options.namespace) : undefined;
  const { apiPath, inserted } = normalizeSecretPath(options.secret);
  const keyField = options.keyField || 'private_key';
  const passphraseField = options.passphraseField || 'passphrase';
  const log = options.log ?? (() => {});
  const mask = options.mask ?? (() => {});
  if (url.startsWith('http:') && !isLoopbackHost(new URL(url).hostname)) {
    log(
      `warning: vault-url uses plain http to ${new URL(url).host} (allowed by allow-insecure-http): the OIDC token, ` +
        'the Vault token and the private key cross the network unencrypted.',
    );
  }

  return {
    kind: 'key-store',
    name: PROVIDER,
    label: 'Vault',
    async fetchKey(idToken: string): Promise<KeyMaterial> {
      const ca = loadCa(options);
      const conn: VaultConn = {
        url,
        namespace,
        ca,
        caCertPath: options.caCertPath,
        http: options.http ?? httpRequest,
        retry: options.retry,
        log,
        timeoutMs: options.timeoutMs,
        secrets: [idToken],
      };
      // 1. login
      const {
        token,
        policies,
        session,
        release: revoke,
        released,
      } = await openVaultSession(
        conn,
        { role, mount, namespace, idToken, mask },
        { caCertPath: options.caCertPath, onSessionEnd: options.onSessionEnd },
      );

      try {
        await options.onSession?.(session);
      } catch (e) {
        await revoke();
        throw e;
      }

      // 2. read, 3. revoke whatever happened
      let fields: Record<string, unknown>;
      const metadata: Record<string, string | number> = {};
      try {
        const res = await vaultCall(conn, { method: 'GET', path: apiPath, token, label: 'Vault read' });
        const said = vaultErrors(res.body).map(flattenVaultError).join('; ');
        if (res.status === 403) {
          throw new ProviderError(
            PROVIDER,
            'permission-denied',
            `Vault denied reading ${apiPath}${nsNote(namespace)} (HTTP 403${said ? `: ${scrub(said, conn.secrets)}` : ''}). ` +
              `The token from role "${role}" carries the policies [${policies.join(', ')}]; give one of them ` +
              `read on it: path "${apiPath}" { capabilities = ["read"] }.`,
            403,
          );
        }
        if (res.status === 404) {
          const why = said && !/^\s*$/.test(said) ? ` (${scrub(said, conn.secrets)})` : '';
          const insertedNote = inserted
            ? ` jit-gpg read "${options.secret.trim()}" as ${apiPath}, inserting data/ after the mount "${apiPath.split('/')[0]}";` +
              ' if the mount name has a "/", write the full path with data/.'
            : '';
          throw new ProviderError(
            PROVIDER,
            'not-found',
            `no secret at ${apiPath}${nsNote(namespace)}${why}: check vault-secret. KV v2 paths need data/ after ` +
              `the mount (secret/data/release/gpg for a secret written with \`vault kv put secret/release/gpg\`).${insertedNote}`,
            404,
          );
        }
        if (res.status !== 200) {
          throw new ProviderError(
            PROVIDER,
            'bad-response',
            `Vault read of ${apiPath}: HTTP ${res.status}${said ? `: ${scrub(said, conn.secrets)}` : ''}`,
            res.status,
          );
        }
        const body = parseJson(res, 'Vault read');
        const data = body.data as { data?: unknown; metadata?: unknown } | null | undefined;
        if (data && typeof data.data === 'object' && data.data !== null) {
          fields = data.data as Record<string, unknown>;
          const md = data.metadata as Record<string, unknown> | null | undefined;
          if (md && typeof md === 'object') {
            for (const k of ['version', 'created_time'] as const) {
              const v = md[k];
              if (typeof v === 'string' || typeof v === 'number') metadata[k] = v;
            }
          }
        } else if (data && typeof data === 'object' && data.data === undefined && data.metadata === undefined) {
          fields = data as Record<string, unknown>; // a KV v1 mount read at its plain path
        } else {
          throw new ProviderError(
            PROVIDER,
            'not-found',
            `the secret at ${apiPath}${nsNote(namespace)} has no data (was its latest version deleted?)`,
          );
        }
        // mask the two secret fields as soon as they are known (other fields are not ours to hide)
        for (const f of [keyField, passphraseField]) {
          const v = fields[f];
          if (typeof v === 'string' && v !== '') mask(v);
        }
      } finally {
        await revoke();
      }

      const raw = fields[keyField];
      if (typeof raw !== 'string' || raw.trim() === '') {
        const present = Object.keys(fields).sort();
        throw new ProviderError(
          PROVIDER,
          'field-missing',
          `the secret at ${apiPath} has no ${raw === undefined ? '' : 'usable '}field "${keyField}" (vault-key-field); ` +
            `fields present: ${present.length ? present.join(', ') : 'none'}`,
        );
      }
      const armoredKey = decodeKeyValue(raw, keyField);
      mask(armoredKey);
      const pass = fields[passphraseField];
      const material: KeyMaterial = {
        armoredKey,
        release: revoke,
        released,
        source: `vault ${url} ${apiPath}${nsNote(namespace)}`,
        metadata,
      };
      if (typeof pass === 'string' && pass !== '') {
        mask(pass);
        material.passphrase = pass;
      }
      return material;
    },
  };
}
