// Azure access for jit-gpg's providers: the job's OIDC token is the client assertion of an app registration (or
// user-assigned managed identity) with a federated identity credential; Microsoft Entra ID answers with a Key Vault
// access token (client credentials flow). Then plain REST calls to Key Vault with that bearer token. The token lives
// in memory only; Entra has no revocation for it, so release() drops it and it expires on its own.
//
//   POST {authority}/{tenant}/oauth2/v2.0/token
//     client_id, scope=https://vault.azure.net/.default, grant_type=client_credentials,
//     client_assertion_type=urn:ietf:params:oauth:client-assertion-type:jwt-bearer, client_assertion=<OIDC token>
//
// Authority: https://login.microsoftonline.com, or AZURE_AUTHORITY_HOST (the variable Azure's SDKs read: sovereign
// clouds and the test stand-in). Key Vault URLs must be on a Key Vault domain (the bearer token goes there), or on a
// loopback address for tests.
import { type HttpClient, type HttpResponse, httpRequest, isLoopbackHost } from '../../shared/http.ts';
import type { RetryOptions } from '../../shared/retry.ts';
import { decodeJwtPayload, describeClaims, type OidcClaims, publicClaims } from '../oidc.ts';
import { callService, scrub } from './service-call.ts';
import { ProviderError } from './types.ts';

export const AZURE_AUDIENCE = 'api://AzureADTokenExchange';
export const API_VERSION = '7.4';
const DEFAULT_AUTHORITY = 'https://login.microsoftonline.com';
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TENANT_DOMAIN = /^[a-z0-9][a-z0-9-]{0,62}(\.[a-z0-9][a-z0-9-]{0,62})+$/i;

/** Key Vault DNS suffixes (public and sovereign clouds) and the token scope each one takes. */
const VAULT_DOMAINS: readonly [suffix: string, resource: string][] = [
  ['.vault.azure.net', 'https://vault.azure.net'],
  ['.vault.azure.cn', 'https://vault.azure.cn'],
  ['.vault.usgovcloudapi.net', 'https://vault.usgovcloudapi.net'],
  ['.managedhsm.azure.net', 'https://managedhsm.azure.net'],
];

export interface AzureOptions {
  provider: string;
  clientId: string;
  tenantId: string;
  env?: Readonly<Record<string, string | undefined>>;
  allowInsecureHttp?: boolean;
  /** Extra trusted CA (PEM) for Entra and Key Vault; tests use it for the stand-in's certificate. */
  ca?: string;
  http?: HttpClient;
  retry?: RetryOptions;
  log?: (message: string) => void;
  mask?: (secret: string) => void;
  timeoutMs?: number;
}

export interface AzureSession {
  provider: string;
  /** client id @ tenant: what Entra's sign-in logs record. */
  identity: string;
  token: string | undefined;
  claims: OidcClaims;
  secrets: string[];
  release(): void;
}

/** Checks client id, tenant and authority before any network call; names the input at fault. */
export function checkAzureInputs(
  options: Pick<AzureOptions, 'provider' | 'clientId' | 'tenantId' | 'env' | 'allowInsecureHttp'>,
): void {
  const p = options.provider;
  const clientId = options.clientId.trim();
  const tenant = options.tenantId.trim();
  if (!clientId) throw new ProviderError(p, 'config', 'azure-client-id is required (the application (client) ID)');
  if (!GUID.test(clientId))
    throw new ProviderError(p, 'config', `azure-client-id "${clientId.slice(0, 40)}" is not a GUID`);
  if (!tenant) throw new ProviderError(p, 'config', 'azure-tenant-id is required (the directory (tenant) ID)');
  if (!GUID.test(tenant) && !TENANT_DOMAIN.test(tenant))
    throw new ProviderError(
      p,
      'config',
      `azure-tenant-id "${tenant.slice(0, 40)}" is not a tenant GUID or domain (contoso.onmicrosoft.com)`,
    );
  authority(options);
}

function checkedUrl(
  provider: string,
  raw: string,
  what: string,
  allowInsecureHttp: boolean | undefined,
  secretWhat: string,
): URL {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new ProviderError(provider, 'config', `${what} is not a URL`);
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:')
    throw new ProviderError(provider, 'config', `${what} must be an https:// URL`);
  if (u.username || u.password)
    throw new ProviderError(provider, 'config', `${what} must not contain a user name or password`);
  if (u.search || u.hash) throw new ProviderError(provider, 'config', `${what} must not contain a query or fragment`);
  if (u.protocol === 'http:' && !isLoopbackHost(u.hostname) && !allowInsecureHttp) {
    throw new ProviderError(
      provider,
      'config',
      `${what} uses plain http to ${u.host}: ${secretWhat} would cross the network unencrypted. ` +
        'Use https://, or set allow-insecure-http: true',
    );
  }
  return u;
}

function authority(options: Pick<AzureOptions, 'provider' | 'env' | 'allowInsecureHttp'>): string {
  const env = options.env ?? process.env;
  const raw = env.AZURE_AUTHORITY_HOST?.trim();
  if (!raw) return DEFAULT_AUTHORITY;
  const u = checkedUrl(options.provider, raw, 'AZURE_AUTHORITY_HOST', options.allowInsecureHttp, 'the OIDC token');
  return `${u.origin}${u.pathname.replace(/\/+$/, '')}`;
}

/**
 * A Key Vault object URL (`https://NAME.vault.azure.net/keys/NAME[/VERSION]`): its vault origin, name, version and
 * the token scope for that cloud. The bearer token is sent there, so the host must be a Key Vault domain.
 */
export function parseVaultObjectUrl(
  provider: string,
  input: string,
  collection: 'keys' | 'secrets',
  what: string,
  options: Pick<AzureOptions, 'allowInsecureHttp'>,
): { origin: string; name: string; version?: string; scope: string; url: string } {
  const example = `https://NAME.vault.azure.net/${collection}/NAME/VERSION`;
  const u = checkedUrl(provider, input.trim(), what, options.allowInsecureHttp, 'the Key Vault access token');
  const host = u.hostname.toLowerCase();
  const domain = VAULT_DOMAINS.find(([suffix]) => host.endsWith(suffix) && host.length > suffix.length);
  if (!domain && !isLoopbackHost(u.hostname)) {
    throw new ProviderError(
      provider,
      'config',
      `${what} must be a Key Vault URL (${example}); ${u.host} is not a Key Vault host, and the access token is sent to it`,
    );
  }
  const parts = u.pathname.split('/').filter(Boolean);
  if (
    parts[0] !== collection ||
    parts.length < 2 ||
    parts.length > 3 ||
    !parts.every((p) => /^[0-9a-zA-Z-]{1,127}$/.test(p))
  )
    throw new ProviderError(provider, 'config', `${what} must look like ${example}`);
  return {
    origin: u.origin,
    name: parts[1]!,
    ...(parts[2] ? { version: parts[2] } : {}),
    scope: `${domain?.[1] ?? 'https://vault.azure.net'}/.default`,
    url: `${u.origin}/${collection}/${parts[1]}${parts[2] ? `/${parts[2]}` : ''}`,
  };
}

interface SendContext {
  provider: string;
  http: HttpClient;
  retry?: RetryOptions;
  log: (message: string) => void;
  timeoutMs?: number;
  ca?: string;
  secrets: string[];
}

async function send(
  ctx: SendContext,
  label: string,
  request: { url: string; method: 'GET' | 'POST'; headers: Record<string, string>; body?: string },
): Promise<HttpResponse> {
  return callService({ ...ctx, service: 'Azure' }, label, () =>
    ctx.http({
      ...request,
      ...(ctx.ca ? { ca: ctx.ca } : {}),
      timeoutMs: ctx.timeoutMs,
      maxBytes: 256 * 1024,
    }),
  );
}

function parseObject(provider: string, label: string, res: HttpResponse): Record<string, unknown> {
  try {
    const v = JSON.parse(res.body || '{}') as unknown;
    if (v && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
  } catch {
    // below
  }
  throw new ProviderError(
    provider,
    'bad-response',
    `${label}: Azure's answer (HTTP ${res.status}) is not a JSON object`,
  );
}

/** What to change when Entra refuses the client assertion, with the token's claims beside the credential's fields. */
export function entraErrorMessage(
  error: string,
  description: string,
  codes: readonly number[],
  ctx: { clientId: string; tenantId: string; claims: OidcClaims },
): { code: 'claims-mismatch' | 'login-failed' | 'config'; message: string } {
  const first = description.split(/\r?\n/)[0] ?? '';
  const head = `Microsoft Entra ID refused the OIDC token for client ${ctx.clientId} in tenant ${ctx.tenantId} (${error}: ${first})`;
  const claims = `The token's claims:\n${describeClaims(ctx.claims, ['iss', 'sub', 'aud', 'repository', 'ref', 'environment', 'job_workflow_ref'])}`;
  const has = (n: number) => codes.includes(n) || description.includes(`AADSTS${n}:`);
  if (has(70021) || has(700213) || has(700212)) {
    return {
      code: 'claims-mismatch',
      message:
        `${head}. No federated identity credential on the app matches this token: add one (Certificates & secrets → ` +
        `Federated credentials) whose Issuer is "${String(ctx.claims.iss ?? '')}", Subject identifier is ` +
        `"${String(ctx.claims.sub ?? '')}" and Audience is "${String(ctx.claims.aud ?? '')}" (${AZURE_AUDIENCE} by ` +
        `default), or fix azure-client-id / the audience input.\n${claims}`,
    };
  }
  if (has(700016))
    return {
      code: 'config',
      message: `${head}. No application ${ctx.clientId} in that tenant: check azure-client-id and azure-tenant-id.`,
    };
  if (has(90002) || has(900023)) return { code: 'config', message: `${head}. Check azure-tenant-id.` };
  if (has(700024) || has(700027))
    return {
      code: 'login-failed',
      message: `${head}. The OIDC token was expired or not yet valid: check the runner's clock.\n${claims}`,
    };
  if (has(50027) || has(700211))
    return {
      code: 'login-failed',
      message: `${head}. Entra could not validate the token against its issuer "${String(ctx.claims.iss ?? '')}" (keys or issuer URL).\n${claims}`,
    };
  return { code: 'login-failed', message: `${head}.\n${claims}` };
}

/** Exchanges the OIDC token for a Key Vault access token. The token is masked before anything else. */
export async function azureLogin(idToken: string, options: AzureOptions, scope: string): Promise<AzureSession> {
  checkAzureInputs(options);
  const provider = options.provider;
  const clientId = options.clientId.trim();
  const tenantId = options.tenantId.trim();
  let claims: OidcClaims = {};
  try {
    claims = publicClaims(decodeJwtPayload(idToken));
  } catch {
    // not a JWT: Entra says so
  }
  const ctx: SendContext = {
    provider,
    http: options.http ?? httpRequest,
    log: options.log ?? (() => {}),
    secrets: [idToken],
    ...(options.retry ? { retry: options.retry } : {}),
    ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
    ...(options.ca ? { ca: options.ca } : {}),
  };
  const label = 'Microsoft Entra ID token request';
  const res = await send(ctx, label, {
    url: `${authority(options)}/${encodeURIComponent(tenantId)}/oauth2/v2.0/token`,
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: new URLSearchParams({
      client_id: clientId,
      scope,
      grant_type: 'client_credentials',
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: idToken,
    }).toString(),
  });
  const body = parseObject(provider, label, res);
  if (res.status !== 200) {
    const error = typeof body.error === 'string' ? body.error : `HTTP ${res.status}`;
    const description = scrub(typeof body.error_description === 'string' ? body.error_description : '', ctx.secrets);
    const codes = Array.isArray(body.error_codes)
      ? body.error_codes.filter((c): c is number => typeof c === 'number')
      : [];
    const { code, message } = entraErrorMessage(error, description, codes, { clientId, tenantId, claims });
    throw new ProviderError(provider, code, message, res.status);
  }
  const token = body.access_token;
  if (typeof token !== 'string' || !token || String(body.token_type).toLowerCase() !== 'bearer')
    throw new ProviderError(provider, 'bad-response', `${label}: the answer carries no bearer access_token`);
  options.mask?.(token);
  ctx.secrets.push(token);
  const expires = typeof body.expires_in === 'number' ? ` for ${Math.round(body.expires_in / 60)} minutes` : '';
  ctx.log(`Signed in to Microsoft Entra ID as client ${clientId} in tenant ${tenantId}${expires}`);
  const session: AzureSession = {
    provider,
    identity: `${clientId}@${tenantId}`,
    token,
    claims,
    secrets: ctx.secrets,
    release() {
      session.token = undefined;
    },
  };
  return session;
}

export interface VaultError {
  status: number;
  code: string;
  inner?: string;
  message: string;
  challenge?: string;
}

/** One Key Vault REST call with the session's bearer token; the parsed answer or Key Vault's error. */
export async function vaultRequest(
  session: AzureSession,
  options: AzureOptions,
  label: string,
  url: string,
  body?: Record<string, unknown>,
): Promise<{ ok: true; body: Record<string, unknown> } | { ok: false; error: VaultError }> {
  const token = session.token;
  if (!token) throw new ProviderError(session.provider, 'config', `${label}: the Azure session was already released`);
  const ctx: SendContext = {
    provider: session.provider,
    http: options.http ?? httpRequest,
    log: options.log ?? (() => {}),
    secrets: session.secrets,
    ...(options.retry ? { retry: options.retry } : {}),
    ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
    ...(options.ca ? { ca: options.ca } : {}),
  };
  const res = await send(ctx, label, {
    url: `${url}?api-version=${API_VERSION}`,
    method: body ? 'POST' : 'GET',
    headers: {
      authorization: `Bearer ${token}`,
      accept: 'application/json',
      ...(body ? { 'content-type': 'application/json' } : {}),
    },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const parsed = parseObject(session.provider, label, res);
  if (res.status === 200) return { ok: true, body: parsed };
  const err = (parsed.error && typeof parsed.error === 'object' ? parsed.error : {}) as Record<string, unknown>;
  const inner =
    err.innererror && typeof err.innererror === 'object' ? (err.innererror as Record<string, unknown>).code : undefined;
  const challenge = res.headers['www-authenticate'];
  return {
    ok: false,
    error: {
      status: res.status,
      code: typeof err.code === 'string' ? err.code : `HTTP ${res.status}`,
      ...(typeof inner === 'string' ? { inner } : {}),
      message: scrub(typeof err.message === 'string' ? err.message : '', session.secrets),
      ...(typeof challenge === 'string' ? { challenge: scrub(challenge, session.secrets).slice(0, 300) } : {}),
    },
  };
}

/** The general answer to a Key Vault error no caller mapped more precisely. */
export function vaultErrorMessage(
  session: AzureSession,
  label: string,
  e: VaultError,
  permissions: string,
  role: string,
  resource: string,
): ProviderError {
  const p = session.provider;
  if (e.status === 403) {
    return new ProviderError(
      p,
      'permission-denied',
      `${label}: Key Vault denied ${resource} to ${session.identity} (${e.code}${e.inner ? `/${e.inner}` : ''}: ` +
        `${e.message}). Grant the app the "${role}" role on the vault or key (Azure RBAC), or, for a vault using ` +
        `access policies, an access policy with ${permissions}.`,
      e.status,
    );
  }
  if (e.status === 401) {
    return new ProviderError(
      p,
      'login-failed',
      `${label}: Key Vault refused the access token (${e.code}: ${e.message})${e.challenge ? `; it asks for ${e.challenge}` : ''}. ` +
        'Check that azure-tenant-id is the tenant of the vault.',
      e.status,
    );
  }
  return new ProviderError(p, 'bad-response', `${label}: ${e.code}${e.message ? `: ${e.message}` : ''}`, e.status);
}
