// A Vault stand-in for tests. Real HashiCorp Vault (or OpenBao) cannot be installed on these machines, so the
// tests start this HTTP(S) server on 127.0.0.1 instead. It is not Vault: it implements, with Vault's documented
// request/response shapes, status codes and error texts, only the endpoints jit-gpg uses:
//
//   POST|PUT /v1/auth/<mount>/login {role, jwt}    JWT auth method (vault-plugin-auth-jwt semantics):
//     - keys from `jwks_url` or OIDC discovery (`oidc_discovery_url` + /.well-known/openid-configuration), fetched
//       and cached, refetched on an unknown kid; RS256 signature verified
//     - exp / nbf / iat checked with clock_skew_leeway (default 60 s); bound_issuer; bound_audiences (any match;
//       a token with aud and a role without bound_audiences is refused, as Vault ≥ 1.16.3 does); bound_subject;
//       bound_claims with bound_claims_type "string" (exact) or "glob" (`*` only, like Vault), list values = any
//       match, comma-separated strings split as Vault's role parser does; claim names may be JSON pointers;
//       user_claim (default sub); claim_mappings into token metadata
//     - 400 {"errors":[…]} with Vault's messages on refusal; 403 "permission denied" for an unknown mount
//     - success: Vault's login response (request_id, lease_id "", auth.client_token "hvs.…", accessor, policies,
//       token_policies, metadata {role…}, lease_duration, renewable, entity_id, token_type "service", orphan)
//   GET /v1/<kv mount>/data/<path>[?version=N]     KV v2 read: {"data":{"data":{…},"metadata":{…}}}; 404
//                                                  {"errors":[]} when absent; 403 "1 error occurred: permission
//                                                  denied" unless a policy grants read (ACL globs `*` suffix, `+`)
//   POST|PUT /v1/auth/token/revoke-self            204; the token is really dead afterwards
//   GET /v1/auth/token/lookup-self                 the token's data (ttl, policies, meta, …)
//   GET /v1/sys/health                             200 {initialized, sealed:false, standby:false, …}
//   GET /v1/<transit>/keys/<k>, POST /v1/<transit>/sign/<k>[/<hash>]   transit engine: see vault-transit.ts
//                                                  (read on keys/<k>, update on sign/<k>… as Vault's ACL requires)
//
// X-Vault-Namespace (and a namespace prefix in the path) selects namespaced mounts; tokens belong to the namespace
// they logged in to and work there and below. Tokens expire after their TTL. Fault injection (`failNext`) answers
// the next N matching requests with 500/503 or drops the connection. `tokens()` lets a test see what is alive.
// Not implemented: everything else (other auth methods, writes, leases, renewals, sys/*, response wrapping).
import { execFileSync } from 'node:child_process';
import { createPublicKey, randomBytes, randomUUID, verify as verifySignature } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { readFileSync, writeFileSync } from 'node:fs';
import { createTransitEngine, type TransitEngine, TransitFailure, type TransitMount } from './vault-transit.ts';

export interface JwtRoleConfig {
  role_type?: 'jwt' | 'oidc';
  bound_audiences?: string[];
  bound_subject?: string;
  bound_claims?: Record<string, string | number | boolean | (string | number | boolean)[]>;
  bound_claims_type?: 'string' | 'glob';
  user_claim?: string;
  claim_mappings?: Record<string, string>;
  token_policies?: string[];
  token_no_default_policy?: boolean;
  /** Token TTL in seconds (default 3600). */
  token_ttl?: number;
  clock_skew_leeway?: number;
  expiration_leeway?: number;
  not_before_leeway?: number;
}

export interface JwtAuthMount {
  /** Mount path under auth/ (default jwt). */
  path?: string;
  /** Namespace ('' = root). */
  namespace?: string;
  jwks_url?: string;
  /** Issuer base URL; keys come from its discovery document. */
  oidc_discovery_url?: string;
  bound_issuer?: string;
  roles: Record<string, JwtRoleConfig>;
}

export interface KvMount {
  /** Mount path (default secret). */
  path?: string;
  namespace?: string;
  /** Secret path (below the mount, without data/) → fields. Each entry becomes version 1. */
  secrets?: Record<string, Record<string, unknown>>;
}

/** ACL rules: path glob → capabilities, e.g. { 'secret/data/release/*': ['read'] }. */
export type PolicyRules = Record<string, string[]>;

export interface VaultStandInOptions {
  auth?: JwtAuthMount[];
  kv?: KvMount[];
  /** Policies by name (evaluated against paths relative to the token's namespace). */
  policies?: Record<string, PolicyRules>;
  /** Transit engines with generated signing keys (see vault-transit.ts). */
  transit?: TransitMount[];
  /** Serve HTTPS with this certificate (PEM). */
  tls?: { cert: string; key: string };
  /** Clock in ms (default Date.now), for expiry tests. */
  now?: () => number;
}

export interface TokenInfo {
  token: string;
  accessor: string;
  namespace: string;
  policies: string[];
  role: string;
  mount: string;
  createdAt: number;
  expiresAt: number;
  revoked: boolean;
  /** Not revoked and not expired. */
  alive: boolean;
}

export interface RequestRecord {
  method: string;
  path: string;
  namespace: string;
  status: number;
  /** Whether an X-Vault-Token header was sent (never its value). */
  withToken: boolean;
}

export interface FaultMode {
  /** HTTP status to answer (default 500); ignored with drop. */
  status?: number;
  /** Destroy the connection without answering. */
  drop?: boolean;
  /** Only requests whose path (after /v1/) matches. */
  match?: string | RegExp;
}

export interface VaultStandIn {
  /** http(s)://127.0.0.1:PORT */
  url: string;
  requests: RequestRecord[];
  tokens(): TokenInfo[];
  isAlive(token: string): boolean;
  failNext(n: number, mode?: FaultMode): void;
  putSecret(mount: string, path: string, data: Record<string, unknown>, namespace?: string): number;
  setRole(name: string, role: JwtRoleConfig, mount?: string, namespace?: string): void;
  setPolicy(name: string, rules: PolicyRules): void;
  /** How many times a JWKS was fetched (cache behaviour). */
  jwksFetches(): number;
  /** The transit engines by mount path (their sign records and public keys). */
  transit: Map<string, TransitEngine>;
  /** Milliseconds added before every answer (latency tests). */
  setLatency(ms: number): void;
  close(): Promise<void>;
}

interface SecretVersion {
  data: Record<string, unknown>;
  created_time: string;
  version: number;
}

interface StoredToken {
  token: string;
  accessor: string;
  namespace: string;
  policies: string[];
  role: string;
  mount: string;
  meta: Record<string, string>;
  displayName: string;
  entityId: string;
  createdAt: number;
  ttl: number;
  revoked: boolean;
}

class VaultFailure extends Error {
  status: number;
  errors: string[];
  constructor(status: number, errors: string[]) {
    super(errors.join('; '));
    this.status = status;
    this.errors = errors;
  }
}

const PERMISSION_DENIED_MULTI = '1 error occurred:\n\t* permission denied\n\n';

const norm = (s = ''): string => s.replace(/^\/+|\/+$/g, '');

/** Vault's go-glob: `*` matches any run of characters (including `/`); nothing else is special. */
export function vaultGlob(pattern: string, subject: string): boolean {
  if (pattern === '') return subject === '';
  if (pattern === '*') return true;
  const parts = pattern.split('*');
  if (parts.length === 1) return pattern === subject;
  const first = parts[0]!;
  const last = parts[parts.length - 1]!;
  if (!subject.startsWith(first)) return false;
  let rest = subject.slice(first.length);
  for (let i = 1; i < parts.length - 1; i++) {
    const idx = rest.indexOf(parts[i]!);
    if (idx < 0) return false;
    rest = rest.slice(idx + parts[i]!.length);
  }
  return rest.endsWith(last) && rest.length >= last.length;
}

/** Vault ACL path match: exact, trailing `*` = prefix, `+` = one segment. Returns a specificity or -1. */
function aclMatch(pattern: string, path: string): number {
  const prefix = pattern.endsWith('*');
  const body = prefix ? pattern.slice(0, -1) : pattern;
  const source = body
    .split('/')
    .map((seg) => (seg === '+' ? '[^/]+' : seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/');
  if (!new RegExp(`^${source}${prefix ? '' : '$'}`).test(path)) return -1;
  return (prefix ? 0 : 1_000_000) + body.length;
}

function getClaim(claims: Record<string, unknown>, name: string): unknown {
  if (!name.startsWith('/')) return claims[name];
  let cur: unknown = claims;
  for (const raw of name.slice(1).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (!cur || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}

function normalizeList(v: unknown): unknown[] | undefined {
  if (Array.isArray(v)) return v;
  if (typeof v === 'string' || typeof v === 'boolean' || typeof v === 'number') return [v];
  return undefined;
}

function b64urlJson(part: string): Record<string, unknown> {
  const parsed = JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as unknown;
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
  return parsed as Record<string, unknown>;
}

function randomToken(prefix: string, n: number): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  const bytes = randomBytes(n);
  let out = prefix;
  for (const b of bytes) out += alphabet[b % alphabet.length];
  return out;
}

export interface TlsFixture {
  /** PEM file of the test CA: what a user passes as vault-ca-cert. */
  caPath: string;
  /** Server certificate (for 127.0.0.1 and localhost) and key, PEM text: startVaultStandIn({ tls }). */
  cert: string;
  key: string;
}

/** Whether the openssl CLI is available (TLS tests skip without it). */
export function hasOpenssl(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * A throwaway CA and a server certificate signed by it, written into `dir` with the openssl CLI. The certificate
 * is for 127.0.0.1 and localhost, plus `dnsNames` (e.g. a name only a test proxy resolves).
 */
export function generateTlsFixture(dir: string, dnsNames: readonly string[] = []): TlsFixture {
  const run = (args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
  const subj = (cn: string) => ['-subj', `/CN=${cn}`];
  run([
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    'ca.key',
    '-out',
    'ca.pem',
    '-days',
    '2',
    ...subj('jit-gpg test CA'),
  ]);
  run(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', ...subj('127.0.0.1')]);
  const san = ['IP:127.0.0.1', 'DNS:localhost', ...dnsNames.map((n) => `DNS:${n}`)].join(',');
  writeFileSync(join(dir, 'server.ext'), `subjectAltName=${san}\nextendedKeyUsage=serverAuth\n`);
  run([
    'x509',
    '-req',
    '-in',
    'server.csr',
    '-CA',
    'ca.pem',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-out',
    'server.pem',
    '-days',
    '2',
    '-extfile',
    'server.ext',
  ]);
  return {
    caPath: join(dir, 'ca.pem'),
    cert: readFileSync(join(dir, 'server.pem'), 'utf8'),
    key: readFileSync(join(dir, 'server.key'), 'utf8'),
  };
}

/** What a typical user sets up for GitHub Actions, in one call (see README: Vault setup). */
export interface GithubVaultSetup {
  /** The OIDC issuer URL: oidc_discovery_url and bound_issuer of the JWT auth method. */
  issuerUrl: string;
  /** Role name (default jit-gpg). */
  role?: string;
  /** bound_audiences (default ['jit-gpg'], the action's default audience). */
  audiences?: string[];
  /** bound_claims (glob); default: only refs/heads/main of octo-org/release-app (the issuer's defaults). */
  boundClaims?: JwtRoleConfig['bound_claims'];
  /** JWT auth mount (default jwt). */
  mount?: string;
  namespace?: string;
  /** KV v2 mount (default secret) and path below it (default release/gpg). */
  kvMount?: string;
  secretPath?: string;
  /** The secret's fields, e.g. { private_key, passphrase }. */
  fields: Record<string, unknown>;
  /** Token TTL in seconds (default 300). */
  tokenTtl?: number;
}

/** Options for startVaultStandIn: JWT auth trusting the issuer, one role, a read policy, one KV v2 secret. */
export function githubVaultOptions(setup: GithubVaultSetup): VaultStandInOptions {
  const kvMount = setup.kvMount ?? 'secret';
  const secretPath = setup.secretPath ?? 'release/gpg';
  const policy = `${setup.role ?? 'jit-gpg'}-read`;
  return {
    auth: [
      {
        path: setup.mount ?? 'jwt',
        namespace: setup.namespace,
        oidc_discovery_url: setup.issuerUrl,
        bound_issuer: setup.issuerUrl,
        roles: {
          [setup.role ?? 'jit-gpg']: {
            role_type: 'jwt',
            bound_audiences: setup.audiences ?? ['jit-gpg'],
            bound_claims_type: 'glob',
            bound_claims: setup.boundClaims ?? { repository: 'octo-org/release-app', ref: 'refs/heads/main' },
            user_claim: 'repository',
            token_policies: [policy],
            token_ttl: setup.tokenTtl ?? 300,
          },
        },
      },
    ],
    kv: [{ path: kvMount, namespace: setup.namespace, secrets: { [secretPath]: setup.fields } }],
    policies: { [policy]: { [`${kvMount}/data/${secretPath}`]: ['read'] } },
  };
}

export async function startVaultStandIn(options: VaultStandInOptions = {}): Promise<VaultStandIn> {
  const now = options.now ?? Date.now;
  const authMounts = new Map<string, JwtAuthMount>(); // key ns|path
  const kvMounts = new Map<string, Map<string, SecretVersion[]>>(); // key ns|path
  const policies = new Map<string, PolicyRules>(Object.entries(options.policies ?? {}));
  const tokens = new Map<string, StoredToken>();
  const namespaces = new Set<string>(['']);
  const requests: RequestRecord[] = [];
  const jwksCache = new Map<string, Map<string, Record<string, unknown>>>(); // url → kid → jwk
  let jwksFetchCount = 0;
  let faults = 0;
  let faultMode: FaultMode = {};
  let latencyMs = 0;
  const transit = new Map<string, TransitEngine>();
  for (const t of options.transit ?? []) {
    const engine = createTransitEngine(t, now);
    transit.set(engine.path, engine);
    namespaces.add(engine.namespace);
  }

  const key = (ns: string, path: string) => `${norm(ns)}|${norm(path)}`;

  for (const a of options.auth ?? []) {
    const ns = norm(a.namespace);
    namespaces.add(ns);
    authMounts.set(key(ns, a.path ?? 'jwt'), { ...a, roles: { ...a.roles } });
  }
  const putSecret = (mount: string, path: string, data: Record<string, unknown>, namespace = ''): number => {
    const k = key(namespace, mount);
    let m = kvMounts.get(k);
    if (!m) {
      m = new Map();
      kvMounts.set(k, m);
      namespaces.add(norm(namespace));
    }
    const versions = m.get(norm(path)) ?? [];
    versions.push({ data: { ...data }, created_time: new Date(now()).toISOString(), version: versions.length + 1 });
    m.set(norm(path), versions);
    return versions.length;
  };
  for (const kv of options.kv ?? []) {
    const ns = norm(kv.namespace);
    namespaces.add(ns);
    if (!kvMounts.has(key(ns, kv.path ?? 'secret'))) kvMounts.set(key(ns, kv.path ?? 'secret'), new Map());
    for (const [p, data] of Object.entries(kv.secrets ?? {})) putSecret(kv.path ?? 'secret', p, data, ns);
  }

  const alive = (t: StoredToken) => !t.revoked && now() < t.createdAt + t.ttl * 1000;

  /** A token usable in namespace ns (its own or a child namespace). */
  const authenticate = (tokenValue: string | undefined, ns: string): StoredToken => {
    const t = tokenValue ? tokens.get(tokenValue) : undefined;
    if (!t || !alive(t)) throw new VaultFailure(403, ['permission denied']);
    if (!(ns === t.namespace || t.namespace === '' || ns.startsWith(`${t.namespace}/`))) {
      throw new VaultFailure(403, ['permission denied']);
    }
    return t;
  };

  const allowed = (t: StoredToken, ns: string, path: string, capability: string): boolean => {
    // path relative to the token's namespace
    const rel = t.namespace && ns !== t.namespace ? `${ns.slice(t.namespace.length + 1)}/${path}` : path;
    let best = -1;
    let caps: string[] = [];
    for (const name of t.policies) {
      if (name === 'root') return true;
      for (const [pattern, c] of Object.entries(policies.get(name) ?? {})) {
        const score = aclMatch(pattern, rel);
        if (score > best) {
          best = score;
          caps = c;
        } else if (score === best && score >= 0) {
          caps = [...caps, ...c];
        }
      }
    }
    return best >= 0 && !caps.includes('deny') && caps.includes(capability);
  };

  const fetchJson = async (url: string): Promise<Record<string, unknown>> => {
    const res = await fetch(url, { signal: AbortSignal.timeout(5000) });
    if (!res.ok) throw new Error(`get keys failed: ${res.status} ${res.statusText}`);
    return (await res.json()) as Record<string, unknown>;
  };

  const keysFor = async (mount: JwtAuthMount, kid: string | undefined): Promise<Record<string, unknown>[]> => {
    let jwksUrl = mount.jwks_url;
    if (!jwksUrl && mount.oidc_discovery_url) {
      const disc = await fetchJson(`${mount.oidc_discovery_url.replace(/\/+$/, '')}/.well-known/openid-configuration`);
      if (typeof disc.issuer === 'string' && disc.issuer !== mount.oidc_discovery_url.replace(/\/+$/, '')) {
        throw new Error(`oidc: issuer did not match the issuer returned by provider`);
      }
      jwksUrl = String(disc.jwks_uri ?? '');
    }
    if (!jwksUrl) throw new Error('no jwks_url or oidc_discovery_url configured');
    let cached = jwksCache.get(jwksUrl);
    if (!cached || (kid !== undefined && !cached.has(kid))) {
      jwksFetchCount++;
      const jwks = await fetchJson(jwksUrl);
      cached = new Map();
      for (const k of Array.isArray(jwks.keys) ? (jwks.keys as Record<string, unknown>[]) : []) {
        cached.set(String(k.kid ?? ''), k);
      }
      jwksCache.set(jwksUrl, cached);
    }
    if (kid !== undefined) return cached.has(kid) ? [cached.get(kid)!] : [];
    return [...cached.values()];
  };

  const login = async (mount: JwtAuthMount, mountPath: string, ns: string, body: Record<string, unknown>) => {
    const roleName = typeof body.role === 'string' ? body.role.toLowerCase() : '';
    if (!roleName) throw new VaultFailure(400, ['missing role']);
    const role = mount.roles[roleName];
    if (!role) throw new VaultFailure(400, [`role "${roleName}" could not be found`]);
    if (role.role_type === 'oidc') {
      throw new VaultFailure(400, ['role with oidc role_type is not allowed']);
    }
    const jwt = typeof body.jwt === 'string' ? body.jwt : '';
    if (!jwt) throw new VaultFailure(400, ['missing token']);

    // signature
    const parts = jwt.split('.');
    let header: Record<string, unknown>;
    let claims: Record<string, unknown>;
    try {
      if (parts.length !== 3) throw new Error('malformed');
      header = b64urlJson(parts[0]!);
      claims = b64urlJson(parts[1]!);
    } catch {
      throw new VaultFailure(400, [
        'error validating token: malformed JWT: go-jose/go-jose: compact JWS format must have three parts',
      ]);
    }
    if (header.alg !== 'RS256') {
      throw new VaultFailure(400, [`error validating token: unsupported signing algorithm "${String(header.alg)}"`]);
    }
    let keys: Record<string, unknown>[];
    try {
      keys = await keysFor(mount, typeof header.kid === 'string' ? header.kid : undefined);
    } catch (e) {
      throw new VaultFailure(400, [
        `error validating token: error verifying token signature: fetching keys oidc: ${(e as Error).message}`,
      ]);
    }
    const signed = Buffer.from(`${parts[0]}.${parts[1]}`);
    const sig = Buffer.from(parts[2]!, 'base64url');
    const ok = keys.some((jwk) => {
      try {
        return verifySignature('sha256', signed, createPublicKey({ key: jwk as never, format: 'jwk' }), sig);
      } catch {
        return false;
      }
    });
    if (!ok) {
      throw new VaultFailure(400, [
        'error validating token: error verifying token signature: failed to verify id token signature',
      ]);
    }

    // registered claims
    const t = Math.floor(now() / 1000);
    const skew = role.clock_skew_leeway ?? 60;
    const num = (v: unknown) => (typeof v === 'number' ? v : 0);
    let exp = num(claims.exp);
    let nbf = num(claims.nbf);
    const iat = num(claims.iat);
    if (exp === 0 && nbf === 0 && iat === 0) {
      throw new VaultFailure(400, [
        'error validating token: no issue time, notbefore, or expiration time encoded in token',
      ]);
    }
    if (exp === 0) exp = Math.max(iat, nbf) + (role.expiration_leeway ?? 150);
    if (nbf === 0) nbf = iat !== 0 ? iat : exp - (role.not_before_leeway ?? 150);
    if (mount.bound_issuer && claims.iss !== mount.bound_issuer) {
      throw new VaultFailure(400, ['error validating token: invalid issuer (iss) claim']);
    }
    if (role.bound_subject && claims.sub !== role.bound_subject) {
      throw new VaultFailure(400, ['error validating token: invalid subject (sub) claim']);
    }
    const aud = normalizeList(claims.aud)?.map(String) ?? [];
    const bound = role.bound_audiences ?? [];
    if (bound.length === 0 && aud.length > 0) {
      throw new VaultFailure(400, [
        'error validating token: audience claim found in JWT but no audiences bound to the role',
      ]);
    }
    if (bound.length > 0 && !bound.some((b) => aud.includes(b))) {
      throw new VaultFailure(400, [
        'error validating token: invalid audience (aud) claim: audience claim does not match any expected audience',
      ]);
    }
    if (t > exp + skew) {
      throw new VaultFailure(400, ['error validating token: invalid expiration time (exp) claim: token is expired']);
    }
    if (t < nbf - skew) {
      throw new VaultFailure(400, ['error validating token: invalid not before (nbf) claim: token not yet valid']);
    }
    if (iat !== 0 && t < iat - skew) {
      throw new VaultFailure(400, [
        'error validating token: invalid issued at (iat) claim: token issued in the future',
      ]);
    }

    // bound claims
    const useGlob = role.bound_claims_type === 'glob';
    for (const [name, expected] of Object.entries(role.bound_claims ?? {})) {
      const actual = getClaim(claims, name);
      if (actual === undefined || actual === null) {
        throw new VaultFailure(400, [`error validating claims: claim "${name}" is missing`]);
      }
      const actVals = normalizeList(actual);
      if (!actVals) {
        throw new VaultFailure(400, [`error validating claims: received claim is not a string, bool, int or list`]);
      }
      const expVals =
        typeof expected === 'string'
          ? expected.split(',').map((s) => s.trim())
          : (normalizeList(expected) as (string | number | boolean)[]);
      const found = expVals.some((e) =>
        actVals.some((a) => (useGlob ? typeof a === 'string' && vaultGlob(String(e), a) : String(a) === String(e))),
      );
      if (!found) {
        throw new VaultFailure(400, [
          `error validating claims: claim "${name}" does not match any associated bound claim values`,
        ]);
      }
    }

    // identity
    const userClaim = role.user_claim ?? 'sub';
    const user = getClaim(claims, userClaim);
    if (user === undefined) throw new VaultFailure(400, [`claim "${userClaim}" not found in token`]);
    if (typeof user !== 'string')
      throw new VaultFailure(400, [`claim "${userClaim}" could not be converted to string`]);
    const meta: Record<string, string> = { role: roleName };
    for (const [src, target] of Object.entries(role.claim_mappings ?? {})) {
      const v = getClaim(claims, src);
      if (typeof v === 'string') meta[target] = v;
    }
    const tokenPolicies = [...(role.token_no_default_policy ? [] : ['default']), ...(role.token_policies ?? [])];
    const ttl = role.token_ttl ?? 3600;
    const token: StoredToken = {
      token: randomToken('hvs.', 24) + (ns ? `.${randomToken('', 5)}` : ''),
      accessor: randomToken('', 24),
      namespace: ns,
      policies: tokenPolicies,
      role: roleName,
      mount: mountPath,
      meta,
      displayName: `${mountPath}-${user}`,
      entityId: randomUUID(),
      createdAt: now(),
      ttl,
      revoked: false,
    };
    tokens.set(token.token, token);
    return {
      request_id: randomUUID(),
      lease_id: '',
      renewable: false,
      lease_duration: 0,
      data: null,
      wrap_info: null,
      warnings: null,
      auth: {
        client_token: token.token,
        accessor: token.accessor,
        policies: tokenPolicies,
        token_policies: tokenPolicies,
        metadata: meta,
        lease_duration: ttl,
        renewable: true,
        entity_id: token.entityId,
        token_type: 'service',
        orphan: true,
        mfa_requirement: null,
        num_uses: 0,
      },
      mount_type: '',
    };
  };

  const envelope = (data: unknown, mountType: string) => ({
    request_id: randomUUID(),
    lease_id: '',
    renewable: false,
    lease_duration: 0,
    data,
    wrap_info: null,
    warnings: null,
    auth: null,
    mount_type: mountType,
  });

  const route = async (
    method: string,
    path: string,
    query: URLSearchParams,
    ns: string,
    tokenValue: string | undefined,
    body: Record<string, unknown>,
  ): Promise<{ status: number; body?: unknown }> => {
    const write = method === 'POST' || method === 'PUT';
    if (path === 'sys/health' && method === 'GET') {
      return {
        status: 200,
        body: {
          initialized: true,
          sealed: false,
          standby: false,
          performance_standby: false,
          server_time_utc: Math.floor(now() / 1000),
          version: '1.17.0+standin',
          cluster_name: 'vault-standin',
        },
      };
    }
    const loginMatch = /^auth\/(.+)\/login$/.exec(path);
    if (loginMatch && write) {
      const mount = authMounts.get(key(ns, loginMatch[1]!));
      if (mount) return { status: 200, body: await login(mount, norm(loginMatch[1]), ns, body) };
    }
    if (path === 'auth/token/revoke-self' && write) {
      const t = authenticate(tokenValue, ns);
      t.revoked = true;
      return { status: 204 };
    }
    if (path === 'auth/token/lookup-self' && method === 'GET') {
      const t = authenticate(tokenValue, ns);
      const remaining = Math.max(0, Math.floor((t.createdAt + t.ttl * 1000 - now()) / 1000));
      return {
        status: 200,
        body: envelope(
          {
            accessor: t.accessor,
            creation_time: Math.floor(t.createdAt / 1000),
            creation_ttl: t.ttl,
            display_name: t.displayName,
            entity_id: t.entityId,
            expire_time: new Date(t.createdAt + t.ttl * 1000).toISOString(),
            explicit_max_ttl: 0,
            id: t.token,
            issue_time: new Date(t.createdAt).toISOString(),
            meta: t.meta,
            num_uses: 0,
            orphan: true,
            path: `auth/${t.mount}/login`,
            policies: t.policies,
            renewable: true,
            ttl: remaining,
            type: 'service',
          },
          'token',
        ),
      };
    }
    // transit: the token and the ACL first (read on keys/<k>, update on sign/<k>…), then the engine
    for (const engine of transit.values()) {
      if (engine.namespace !== ns || !path.startsWith(`${engine.path}/`)) continue;
      const t = authenticate(tokenValue, ns);
      if (!allowed(t, ns, path, write ? 'update' : 'read')) throw new VaultFailure(403, [PERMISSION_DENIED_MULTI]);
      try {
        const out = engine.handle(method, path.slice(engine.path.length + 1), body);
        return out.data === undefined
          ? { status: out.status, body: { errors: [] } }
          : { status: out.status, body: envelope(out.data, 'transit') };
      } catch (e) {
        if (e instanceof TransitFailure) throw new VaultFailure(e.status, e.errors);
        throw e;
      }
    }
    // KV v2 read
    for (const [k, secrets] of kvMounts) {
      const [mns, mpath] = k.split('|') as [string, string];
      if (mns !== ns || !path.startsWith(`${mpath}/`)) continue;
      const rest = path.slice(mpath.length + 1);
      if (!rest.startsWith('data/')) break;
      const t = authenticate(tokenValue, ns);
      if (method !== 'GET') break;
      if (!allowed(t, ns, path, 'read')) throw new VaultFailure(403, [PERMISSION_DENIED_MULTI]);
      const versions = secrets.get(norm(rest.slice('data/'.length)));
      const wanted = query.get('version');
      const v =
        versions && (wanted && wanted !== '0' ? versions.find((x) => String(x.version) === wanted) : versions.at(-1));
      if (!v) return { status: 404, body: { errors: [] } };
      return {
        status: 200,
        body: envelope(
          {
            data: { ...v.data },
            metadata: {
              created_time: v.created_time,
              custom_metadata: null,
              deletion_time: '',
              destroyed: false,
              version: v.version,
            },
          },
          'kv',
        ),
      };
    }
    // anything else: Vault checks the token and ACL first, then routes
    const t = authenticate(tokenValue, ns);
    if (!allowed(t, ns, path, write ? 'update' : 'read')) throw new VaultFailure(403, [PERMISSION_DENIED_MULTI]);
    throw new VaultFailure(404, [`no handler for route "${path}". route entry not found.`]);
  };

  const send = (res: http.ServerResponse, status: number, body?: unknown) => {
    if (body === undefined) {
      res.writeHead(status, { 'cache-control': 'no-store' });
      res.end();
      return;
    }
    const text = JSON.stringify(body);
    res.writeHead(status, {
      'content-type': 'application/json',
      'cache-control': 'no-store',
      'content-length': Buffer.byteLength(text),
    });
    res.end(text);
  };

  const handler = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const u = new URL(req.url ?? '/', 'http://vault.invalid');
    const method = req.method ?? 'GET';
    const headerNs = norm(String(req.headers['x-vault-namespace'] ?? ''));
    const tokenValue = typeof req.headers['x-vault-token'] === 'string' ? req.headers['x-vault-token'] : undefined;
    let path = u.pathname.startsWith('/v1/') ? norm(u.pathname.slice(4)) : '';
    // namespace given as a path prefix (ns1/ns2/secret/data/...)
    let ns = headerNs;
    for (;;) {
      const first = path.split('/')[0] ?? '';
      const candidate = ns ? `${ns}/${first}` : first;
      if (!first || !namespaces.has(candidate)) break;
      ns = candidate;
      path = path.slice(first.length + 1);
    }
    const record: RequestRecord = { method, path, namespace: ns, status: 0, withToken: tokenValue !== undefined };
    requests.push(record);

    const matches = faultMode.match === undefined || new RegExp(faultMode.match).test(path);
    if (faults > 0 && matches) {
      faults--;
      if (faultMode.drop) {
        record.status = 0;
        req.socket.destroy();
        return;
      }
      const status = faultMode.status ?? 500;
      record.status = status;
      send(res, status, { errors: [status === 503 ? 'Vault is sealed' : 'internal error'] });
      return;
    }

    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= 1024 * 1024) chunks.push(c);
    });
    req.on('end', () => {
      void (async () => {
        try {
          if (!u.pathname.startsWith('/v1/')) throw new VaultFailure(404, []);
          if (size > 1024 * 1024) throw new VaultFailure(413, ['request body too large']);
          let body: Record<string, unknown> = {};
          const raw = Buffer.concat(chunks).toString('utf8');
          if (raw.trim() !== '') {
            try {
              const parsed = JSON.parse(raw) as unknown;
              if (parsed && typeof parsed === 'object') body = parsed as Record<string, unknown>;
            } catch {
              throw new VaultFailure(400, ['failed to parse JSON input: invalid character']);
            }
          }
          const out = await route(method, path, u.searchParams, ns, tokenValue, body);
          if (latencyMs > 0) await new Promise((r) => setTimeout(r, latencyMs));
          record.status = out.status;
          send(res, out.status, out.body);
        } catch (e) {
          if (e instanceof VaultFailure) {
            record.status = e.status;
            send(res, e.status, { errors: e.errors });
          } else {
            record.status = 500;
            send(res, 500, { errors: ['1 error occurred:\n\t* internal error\n\n'] });
          }
        }
      })();
    });
  };

  const server = options.tls
    ? https.createServer({ cert: options.tls.cert, key: options.tls.key }, handler)
    : http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;

  return {
    url: `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    requests,
    tokens: () =>
      [...tokens.values()].map((t) => ({
        token: t.token,
        accessor: t.accessor,
        namespace: t.namespace,
        policies: [...t.policies],
        role: t.role,
        mount: t.mount,
        createdAt: t.createdAt,
        expiresAt: t.createdAt + t.ttl * 1000,
        revoked: t.revoked,
        alive: alive(t),
      })),
    isAlive: (token) => {
      const t = tokens.get(token);
      return Boolean(t && alive(t));
    },
    failNext(n, mode = {}) {
      faults = n;
      faultMode = mode;
    },
    putSecret,
    setRole(name, role, mount = 'jwt', namespace = '') {
      const m = authMounts.get(key(namespace, mount));
      if (!m) throw new Error(`no JWT auth mount ${mount} in namespace "${namespace}"`);
      m.roles[name.toLowerCase()] = role;
    },
    setPolicy(name, rules) {
      policies.set(name, rules);
    },
    jwksFetches: () => jwksFetchCount,
    transit,
    setLatency(ms) {
      latencyMs = ms;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
