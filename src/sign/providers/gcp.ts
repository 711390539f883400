// Google Cloud access for jit-gpg's providers: the job's OIDC token exchanged at Google STS for a federated access
// token (workload identity federation), optionally traded for a service account's access token
// (iamcredentials generateAccessToken, lifetime 300 s: the shortest allowed), then REST calls to Cloud KMS and
// Secret Manager with it as the bearer token. A small REST client rather than the google-cloud SDKs: four JSON
// calls do not justify gRPC/gax and google-auth-library in the bundle. Tokens live in memory only; STS and
// generateAccessToken tokens cannot be revoked, so release() drops them and they expire on their own.
//
// Endpoints: https://sts.googleapis.com, https://iamcredentials.googleapis.com, https://cloudkms.googleapis.com,
// https://secretmanager.googleapis.com, or what gcloud's own override variables say
// (CLOUDSDK_API_ENDPOINT_OVERRIDES_STS, _IAMCREDENTIALS, _CLOUDKMS, _SECRETMANAGER): private endpoints and the
// test stand-in. Plain http is refused off loopback unless allow-insecure-http is set.
import { type HttpClient, httpRequest, isLoopbackHost } from '../../shared/http.ts';
import type { RetryOptions } from '../../shared/retry.ts';
import { decodeJwtPayload, describeClaims, type OidcClaims, publicClaims } from '../oidc.ts';
import { callService, scrub } from './service-call.ts';
import { ProviderError } from './types.ts';

export type GcpService = 'sts' | 'iamcredentials' | 'cloudkms' | 'secretmanager';

const ENDPOINT_VARS: Record<GcpService, string> = {
  sts: 'CLOUDSDK_API_ENDPOINT_OVERRIDES_STS',
  iamcredentials: 'CLOUDSDK_API_ENDPOINT_OVERRIDES_IAMCREDENTIALS',
  cloudkms: 'CLOUDSDK_API_ENDPOINT_OVERRIDES_CLOUDKMS',
  secretmanager: 'CLOUDSDK_API_ENDPOINT_OVERRIDES_SECRETMANAGER',
};

const WORKLOAD_IDENTITY_PROVIDER =
  /^(?:\/\/iam\.googleapis\.com\/)?(projects\/(\d{1,20})\/locations\/global\/workloadIdentityPools\/([a-z0-9-]{4,32})\/providers\/([a-z0-9-]{4,32}))$/;
const SERVICE_ACCOUNT = /^[a-z0-9][a-z0-9._-]{0,99}@[a-z0-9][a-z0-9.-]{0,200}\.gserviceaccount\.com$/;

/** The shortest lifetime generateAccessToken allows. */
export const GCP_TOKEN_LIFETIME = '300s';
const CLOUD_PLATFORM = 'https://www.googleapis.com/auth/cloud-platform';

export interface GcpOptions {
  provider: string;
  /** projects/NUMBER/locations/global/workloadIdentityPools/POOL/providers/PROVIDER (// iam URL prefix allowed). */
  workloadIdentityProvider: string;
  /** Service account to impersonate; without it the federated token itself calls the APIs. */
  serviceAccount?: string;
  env?: Readonly<Record<string, string | undefined>>;
  allowInsecureHttp?: boolean;
  http?: HttpClient;
  retry?: RetryOptions;
  log?: (message: string) => void;
  mask?: (secret: string) => void;
  timeoutMs?: number;
}

export interface GcpSession {
  provider: string;
  /** What Cloud Audit Logs record as the caller: the service account, or the federated principal. */
  identity: string;
  accessToken: string | undefined;
  endpoint(service: GcpService): string;
  http: HttpClient;
  retry?: RetryOptions;
  log: (message: string) => void;
  timeoutMs?: number;
  secrets: string[];
  claims: OidcClaims;
  /** Drops the access token (Google has no revocation for these; they expire on their own). */
  release(): void;
}

/** The workload identity provider resource (projects/…/providers/…), or undefined if it is not one. */
export function workloadIdentityProviderResource(value: string): string | undefined {
  return WORKLOAD_IDENTITY_PROVIDER.exec(value.trim())?.[1];
}

/** The OIDC audience a workload identity provider accepts by default. */
export function gcpDefaultAudience(workloadIdentityProvider: string): string {
  const resource = workloadIdentityProviderResource(workloadIdentityProvider) ?? workloadIdentityProvider.trim();
  return `https://iam.googleapis.com/${resource}`;
}

/** Checks the provider resource, service account and endpoints before any network call; names the input at fault. */
export function checkGcpInputs(
  options: Pick<GcpOptions, 'provider' | 'workloadIdentityProvider' | 'serviceAccount' | 'env' | 'allowInsecureHttp'>,
): void {
  const p = options.provider;
  if (!options.workloadIdentityProvider.trim()) {
    throw new ProviderError(
      p,
      'config',
      'gcp-workload-identity-provider is required (projects/NUMBER/locations/global/workloadIdentityPools/POOL/providers/PROVIDER)',
    );
  }
  if (!workloadIdentityProviderResource(options.workloadIdentityProvider)) {
    throw new ProviderError(
      p,
      'config',
      'gcp-workload-identity-provider is not a workload identity provider resource name ' +
        '(projects/NUMBER/locations/global/workloadIdentityPools/POOL/providers/PROVIDER, with the project NUMBER, not its id)',
    );
  }
  const sa = options.serviceAccount?.trim();
  if (sa && !SERVICE_ACCOUNT.test(sa)) {
    throw new ProviderError(
      p,
      'config',
      'gcp-service-account is not a service account email (NAME@PROJECT.iam.gserviceaccount.com)',
    );
  }
  for (const service of Object.keys(ENDPOINT_VARS) as GcpService[]) endpointFor(service, options);
}

function endpointFor(service: GcpService, options: Pick<GcpOptions, 'provider' | 'env' | 'allowInsecureHttp'>): string {
  const env = options.env ?? process.env;
  const name = env[ENDPOINT_VARS[service]] ? ENDPOINT_VARS[service] : undefined;
  const raw = name ? String(env[name]).trim() : `https://${service}.googleapis.com`;
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new ProviderError(options.provider, 'config', `${name} is not a URL`);
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:')
    throw new ProviderError(options.provider, 'config', `${name} must be an https:// URL`);
  if (u.username || u.password || u.search || u.hash)
    throw new ProviderError(
      options.provider,
      'config',
      `${name} must be a plain base URL (no user, query or fragment)`,
    );
  if (u.protocol === 'http:' && !isLoopbackHost(u.hostname) && !options.allowInsecureHttp) {
    throw new ProviderError(
      options.provider,
      'config',
      `${name} uses plain http to ${u.host}: the OIDC token and Google access tokens would cross the network ` +
        'unencrypted. Use https://, or set allow-insecure-http: true',
    );
  }
  // gcloud's overrides may end in /v1/; the calls add the version themselves
  return `${u.origin}${u.pathname.replace(/\/+$/, '').replace(/\/v1$/, '')}`;
}

export interface GcpError {
  status: number;
  /** google.rpc status (PERMISSION_DENIED, NOT_FOUND, …) or the OAuth error (invalid_grant, …). */
  code: string;
  message: string;
}

export type GcpResult = { ok: true; body: Record<string, unknown> } | { ok: false; error: GcpError };

/** One JSON call with retries on 429/5xx; returns the parsed answer or Google's error (either of its shapes). */
export async function gcpCall(
  s: Pick<GcpSession, 'http' | 'retry' | 'log' | 'timeoutMs' | 'secrets' | 'provider'>,
  request: { method: 'GET' | 'POST'; url: string; headers: Record<string, string>; body?: string },
  label: string,
): Promise<GcpResult> {
  const res = await callService(
    { provider: s.provider, service: 'Google', retry: s.retry, log: s.log, secrets: s.secrets },
    label,
    () => s.http({ ...request, timeoutMs: s.timeoutMs }),
  );
  let parsed: Record<string, unknown> = {};
  try {
    const v = JSON.parse(res.body || '{}') as unknown;
    if (v && typeof v === 'object' && !Array.isArray(v)) parsed = v as Record<string, unknown>;
  } catch {
    throw new ProviderError(s.provider, 'bad-response', `${label}: Google's answer (HTTP ${res.status}) is not JSON`);
  }
  if (res.status === 200) return { ok: true, body: parsed };
  const err = parsed.error;
  if (err && typeof err === 'object') {
    const e = err as Record<string, unknown>;
    return {
      ok: false,
      error: {
        status: res.status,
        code: typeof e.status === 'string' ? e.status : `HTTP ${res.status}`,
        message: scrub(String(e.message ?? ''), s.secrets),
      },
    };
  }
  return {
    ok: false,
    error: {
      status: res.status,
      code: typeof err === 'string' ? err : `HTTP ${res.status}`,
      message: scrub(String(parsed.error_description ?? ''), s.secrets),
    },
  };
}

/** What to change when Google STS refuses the token exchange, with the token's claims. */
export function stsErrorMessage(
  e: GcpError,
  ctx: { resource: string; claims: OidcClaims },
): { code: 'claims-mismatch' | 'login-failed' | 'config'; message: string } {
  const head = `Google STS refused the token exchange for ${ctx.resource} (${e.code}: ${e.message}).`;
  const claims = `The token's claims:\n${describeClaims(ctx.claims, ['iss', 'sub', 'aud', 'repository', 'ref', 'environment', 'job_workflow_ref'])}`;
  // first: invalid_target's text also speaks of the "audience" parameter
  if (e.code === 'invalid_target' || /not found|does not exist|disabled/i.test(e.message)) {
    return {
      code: 'config',
      message: `${head} Check gcp-workload-identity-provider: the pool and provider must exist and be enabled (use the project NUMBER).`,
    };
  }
  if (/attribute condition/i.test(e.message)) {
    return {
      code: 'claims-mismatch',
      message:
        `${head} The workload identity provider's attribute condition does not allow this token: compare it ` +
        `(e.g. assertion.repository == 'OWNER/REPO' && assertion.ref == 'refs/heads/main') with the claims below.\n${claims}`,
    };
  }
  if (/audience/i.test(e.message)) {
    return {
      code: 'claims-mismatch',
      message:
        `${head} The provider's allowed audiences do not include the token's aud "${String(ctx.claims.aud)}": set the ` +
        `audience input to ${gcpDefaultAudience(ctx.resource)} (the default) or add it to the provider's allowed audiences.\n${claims}`,
    };
  }
  if (/issuer|expired|signature|JWK/i.test(e.message)) {
    return {
      code: 'login-failed',
      message: `${head} Check the provider's issuer URI (https://token.actions.githubusercontent.com) and the runner's clock.\n${claims}`,
    };
  }
  return { code: 'login-failed', message: `${head}\n${claims}` };
}

/** Exchanges the OIDC token for a short-lived Google access token. Every token is masked before anything else. */
export async function gcpLogin(idToken: string, options: GcpOptions): Promise<GcpSession> {
  checkGcpInputs(options);
  const provider = options.provider;
  const resource = workloadIdentityProviderResource(options.workloadIdentityProvider)!;
  const serviceAccount = options.serviceAccount?.trim() ?? '';
  const log = options.log ?? (() => {});
  const mask = options.mask ?? (() => {});
  let claims: OidcClaims = {};
  try {
    claims = publicClaims(decodeJwtPayload(idToken));
  } catch {
    // not a JWT: STS says so
  }
  const secrets = [idToken];
  const base = {
    provider,
    http: options.http ?? httpRequest,
    retry: options.retry,
    log,
    timeoutMs: options.timeoutMs,
    secrets,
  };
  const endpoint = (service: GcpService) => endpointFor(service, options);
  const sts = await gcpCall(
    base,
    {
      method: 'POST',
      url: `${endpoint('sts')}/v1/token`,
      // RFC 8693 form body, as google-auth-library sends it
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams({
        grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange',
        audience: `//iam.googleapis.com/${resource}`,
        scope: CLOUD_PLATFORM,
        requested_token_type: 'urn:ietf:params:oauth:token-type:access_token',
        subject_token_type: 'urn:ietf:params:oauth:token-type:jwt',
        subject_token: idToken,
      }).toString(),
    },
    'Google STS token exchange',
  );
  if (!sts.ok) {
    const { code, message } = stsErrorMessage(sts.error, { resource, claims });
    throw new ProviderError(provider, code, message, sts.error.status);
  }
  const federated = sts.body.access_token;
  if (typeof federated !== 'string' || !federated)
    throw new ProviderError(provider, 'bad-response', 'Google STS: the answer carries no access_token');
  mask(federated);
  secrets.push(federated);
  const pool = resource.replace(/\/providers\/[^/]+$/, '');
  let identity = `principal://iam.googleapis.com/${pool}/subject/${String(claims.sub ?? '?')}`;
  let accessToken = federated;
  if (serviceAccount) {
    const out = await gcpCall(
      base,
      {
        method: 'POST',
        url: `${endpoint('iamcredentials')}/v1/projects/-/serviceAccounts/${encodeURIComponent(serviceAccount)}:generateAccessToken`,
        headers: {
          'content-type': 'application/json',
          accept: 'application/json',
          authorization: `Bearer ${federated}`,
        },
        body: JSON.stringify({ scope: [CLOUD_PLATFORM], lifetime: GCP_TOKEN_LIFETIME }),
      },
      'Google IAM generateAccessToken',
    );
    if (!out.ok) {
      const head = `Google IAM refused to impersonate ${serviceAccount} (${out.error.code}: ${out.error.message}).`;
      if (out.error.status === 404 || out.error.code === 'NOT_FOUND')
        throw new ProviderError(provider, 'not-found', `${head} Check gcp-service-account.`, out.error.status);
      if (out.error.status === 403 || out.error.code === 'PERMISSION_DENIED') {
        throw new ProviderError(
          provider,
          'claims-mismatch',
          `${head} Grant roles/iam.workloadIdentityUser on the service account to ` +
            `principalSet://iam.googleapis.com/${pool}/attribute.repository/${String(claims.repository ?? 'OWNER/REPO')} ` +
            `(or a narrower principal). The token's claims:\n${describeClaims(claims)}`,
          out.error.status,
        );
      }
      throw new ProviderError(provider, 'login-failed', head, out.error.status);
    }
    if (typeof out.body.accessToken !== 'string' || !out.body.accessToken)
      throw new ProviderError(provider, 'bad-response', 'Google IAM generateAccessToken: no accessToken in the answer');
    accessToken = out.body.accessToken;
    mask(accessToken);
    secrets.push(accessToken);
    identity = serviceAccount;
  }
  log(`Signed in to Google Cloud as ${identity} (token for at most ${serviceAccount ? '5 minutes' : '1 hour'})`);
  const session: GcpSession = {
    ...base,
    identity,
    accessToken,
    endpoint,
    claims,
    release() {
      session.accessToken = undefined;
    },
  };
  return session;
}

/** A bearer-authenticated call to a Google API with the session's token. */
export async function gcpApi(
  session: GcpSession,
  method: 'GET' | 'POST',
  url: string,
  body: Record<string, unknown> | undefined,
  label: string,
): Promise<GcpResult> {
  const token = session.accessToken;
  if (!token) throw new ProviderError(session.provider, 'config', `${label}: the Google session was already released`);
  return gcpCall(
    session,
    {
      method,
      url,
      headers: {
        accept: 'application/json',
        authorization: `Bearer ${token}`,
        ...(body ? { 'content-type': 'application/json' } : {}),
      },
      ...(body ? { body: JSON.stringify(body) } : {}),
    },
    label,
  );
}

/** The general answer to a Google API error no caller mapped more precisely. */
export function gcpErrorMessage(
  session: GcpSession,
  label: string,
  e: GcpError,
  permission: string,
  resource: string,
): ProviderError {
  const p = session.provider;
  if (e.status === 403 || e.code === 'PERMISSION_DENIED') {
    return new ProviderError(
      p,
      'permission-denied',
      `${label}: Google denied ${permission} on ${resource} to ${session.identity} (${e.message}). Grant that ` +
        'identity a role with this permission on exactly this resource.',
      e.status,
    );
  }
  if (e.status === 401 || e.code === 'UNAUTHENTICATED') {
    return new ProviderError(p, 'login-failed', `${label}: Google refused the access token (${e.message})`, e.status);
  }
  if (e.status === 404 || e.code === 'NOT_FOUND') {
    return new ProviderError(p, 'not-found', `${label}: ${resource} does not exist (${e.message})`, e.status);
  }
  return new ProviderError(p, 'bad-response', `${label}: ${e.code}${e.message ? `: ${e.message}` : ''}`, e.status);
}

const CRC32C_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1;
    t[i] = c >>> 0;
  }
  return t;
})();

/** CRC32C (Castagnoli), the checksum Cloud KMS and Secret Manager put beside their payloads. */
export function crc32c(data: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of data) c = CRC32C_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** Whether Google's int64-as-string checksum field (absent = not sent) matches the data. */
export function crc32cMatches(field: unknown, data: Uint8Array): boolean {
  if (field === undefined) return true;
  return String(field) === String(crc32c(data));
}
