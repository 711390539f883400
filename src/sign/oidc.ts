// The runner's OIDC token request (no @actions imports: the CLI uses this too).
//
// GitHub offers ACTIONS_ID_TOKEN_REQUEST_URL (already carrying a query such as ?api-version=2.0) and
// ACTIONS_ID_TOKEN_REQUEST_TOKEN only to jobs with `permissions: id-token: write`. We check both before any
// network call, append `&audience=…`, send the request token as a bearer, and read {"value": "<jwt>"}.
// The JWT is returned to the caller (which masks it) and never appears in a message; its payload is decoded,
// without verification, only to show the non-secret claims in logs and error messages.
import { type HttpClient, HttpError, httpRequest, isTransientStatus, retryAfterMs, safeUrl } from '../shared/http.ts';
import { type RetryOptions, retry } from '../shared/retry.ts';

export const OIDC_URL_VAR = 'ACTIONS_ID_TOKEN_REQUEST_URL';
export const OIDC_TOKEN_VAR = 'ACTIONS_ID_TOKEN_REQUEST_TOKEN';
export const DEFAULT_AUDIENCE = 'jit-gpg';

/** Claims that say which workflow run a token belongs to; none of them is secret. */
export const PUBLIC_CLAIMS = [
  'iss',
  'sub',
  'aud',
  'repository',
  'repository_id',
  'repository_owner',
  'repository_owner_id',
  'ref',
  'ref_type',
  'sha',
  'environment',
  'job_workflow_ref',
  'workflow',
  'workflow_ref',
  'run_id',
  'run_number',
  'run_attempt',
  'actor',
  'event_name',
  'runner_environment',
  'iat',
  'nbf',
  'exp',
] as const;

export type PublicClaimName = (typeof PUBLIC_CLAIMS)[number];
export type OidcClaims = Partial<Record<PublicClaimName, string | number | string[]>>;

export interface IdToken {
  /** The JWT itself: secret; mask it (core.setSecret) and never log it. */
  token: string;
  /** Non-secret claims decoded (not verified) from the payload. */
  claims: OidcClaims;
  /** From `exp`, when present. */
  expiresAt?: Date;
}

export class OidcError extends Error {
  override name = 'OidcError';
  /** missing-env | denied | unavailable | bad-response */
  code: string;
  constructor(message: string, code: string) {
    super(message);
    this.code = code;
  }
}

type Env = Record<string, string | undefined>;

/** Whether the runner offers an OIDC token to this job. */
export function oidcAvailable(env: Env = process.env): boolean {
  return Boolean(env[OIDC_URL_VAR]?.trim()) && Boolean(env[OIDC_TOKEN_VAR]?.trim());
}

export const MISSING_PERMISSION_MESSAGE =
  `the job cannot request an OIDC token: ${OIDC_URL_VAR} and ${OIDC_TOKEN_VAR} are not set. ` +
  'Add `permissions: id-token: write` to the job (or the workflow). GitHub withholds the token even then for ' +
  'pull requests from forks and for Dependabot runs, and a reusable workflow gets it only when the calling job ' +
  'grants `id-token: write` too.';

/** Appends `audience` to the request URL, keeping the query it already carries (e.g. ?api-version=2.0). */
export function tokenRequestUrl(requestUrl: string, audience: string): string {
  const url = new URL(requestUrl);
  if (url.searchParams.has('audience')) url.searchParams.delete('audience');
  if (!audience) return url.toString();
  const sep = url.search === '' ? '?' : '&';
  return `${url.toString()}${sep}audience=${encodeURIComponent(audience)}`;
}

function base64UrlDecode(part: string): string {
  return Buffer.from(part.replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('utf8');
}

/** The payload of a JWT, decoded without verifying the signature. Throws (without the token) if malformed. */
export function decodeJwtPayload(jwt: string): Record<string, unknown> {
  const parts = jwt.split('.');
  if (parts.length !== 3 || !parts[1])
    throw new OidcError('the OIDC token is not a JWT (expected three parts)', 'bad-response');
  try {
    const payload = JSON.parse(base64UrlDecode(parts[1])) as unknown;
    if (!payload || typeof payload !== 'object' || Array.isArray(payload)) throw new Error('not an object');
    return payload as Record<string, unknown>;
  } catch {
    throw new OidcError('the OIDC token payload is not valid JSON', 'bad-response');
  }
}

/** Keeps only the non-secret claims (strings, numbers, string arrays). */
export function publicClaims(payload: Record<string, unknown>): OidcClaims {
  const out: OidcClaims = {};
  for (const name of PUBLIC_CLAIMS) {
    const v = payload[name];
    if (typeof v === 'string' || typeof v === 'number') out[name] = v;
    else if (Array.isArray(v) && v.every((x) => typeof x === 'string')) out[name] = v as string[];
  }
  return out;
}

/** `name: value` lines for the given claims (default: the ones a Vault role binds), absent ones marked. */
export function describeClaims(
  claims: OidcClaims,
  names: readonly PublicClaimName[] = ['sub', 'aud', 'repository', 'ref', 'environment', 'job_workflow_ref'],
): string {
  return names
    .map((n) => {
      const v = claims[n];
      const shown = v === undefined ? '(absent)' : Array.isArray(v) ? v.join(', ') : String(v);
      return `  ${n}: ${shown}`;
    })
    .join('\n');
}

export interface RequestIdTokenOptions {
  env?: Env;
  /** The `aud` to ask for (default jit-gpg). */
  audience?: string;
  http?: HttpClient;
  retry?: RetryOptions;
  /** Labelled retry lines go here (never the token). */
  log?: (message: string) => void;
  /** Called with the JWT the moment it arrives, before anything else happens (e.g. core.setSecret). */
  mask?: (secret: string) => void;
  timeoutMs?: number;
}

function statusError(status: number, body: string): OidcError {
  let detail = '';
  try {
    const parsed = JSON.parse(body) as { message?: unknown };
    if (typeof parsed?.message === 'string') detail = `: ${parsed.message.slice(0, 200)}`;
  } catch {
    // not JSON: say nothing of it
  }
  const err = new OidcError(`the OIDC token request returned HTTP ${status}${detail}`, 'unavailable');
  return err;
}

/**
 * Requests the job's OIDC token for `audience`. Fails before any network call when the runner offers no token,
 * retries 5xx/429/connection failures with labelled backoff, never retries other 4xx.
 */
export async function requestIdToken(options: RequestIdTokenOptions = {}): Promise<IdToken> {
  const env = options.env ?? process.env;
  if (!oidcAvailable(env)) throw new OidcError(MISSING_PERMISSION_MESSAGE, 'missing-env');
  const requestUrl = env[OIDC_URL_VAR]!.trim();
  const requestToken = env[OIDC_TOKEN_VAR]!.trim();
  const audience = options.audience ?? DEFAULT_AUDIENCE;
  let url: string;
  try {
    url = tokenRequestUrl(requestUrl, audience);
  } catch {
    throw new OidcError(`${OIDC_URL_VAR} is not a valid URL`, 'missing-env');
  }
  const client = options.http ?? httpRequest;
  const where = safeUrl(url);

  let tried = 0;
  const token = await retry(
    async () => {
      tried++;
      const res = await client({
        url,
        method: 'GET',
        headers: { authorization: `Bearer ${requestToken}`, accept: 'application/json; api-version=2.0' },
        timeoutMs: options.timeoutMs,
      });
      if (res.status !== 200) {
        const err = statusError(res.status, res.body);
        if (isTransientStatus(res.status)) {
          Object.assign(err, { transient: true, retryAfterMs: retryAfterMs(res.headers) });
        } else if (res.status === 401 || res.status === 403) {
          err.message +=
            ' (the runner refused its own request token; the job may have ended, or `id-token: write` is missing)';
          err.code = 'denied';
        }
        throw err;
      }
      let value: unknown;
      try {
        value = (JSON.parse(res.body) as { value?: unknown }).value;
      } catch {
        throw new OidcError(`the OIDC token response from ${where} is not JSON`, 'bad-response');
      }
      if (typeof value !== 'string' || value === '') {
        throw new OidcError(`the OIDC token response from ${where} has no "value"`, 'bad-response');
      }
      return value;
    },
    {
      ...options.retry,
      label: 'OIDC token request',
      isRetryable: (e) =>
        (e instanceof HttpError && e.retryable) || Boolean((e as { transient?: boolean } | null)?.transient),
      onRetry: (info) => {
        options.log?.(info.message);
        options.retry?.onRetry?.(info);
      },
    },
  ).catch((e: unknown) => {
    const gaveUp = tried > 1 ? ` (gave up after ${tried} attempts)` : '';
    if (e instanceof OidcError) {
      if ((e as { transient?: boolean }).transient) e.message += gaveUp;
      throw e;
    }
    if (e instanceof HttpError) {
      throw new OidcError(`the OIDC token request failed: ${e.message}${gaveUp}`, 'unavailable');
    }
    throw e;
  });

  options.mask?.(token);
  const payload = decodeJwtPayload(token);
  const claims = publicClaims(payload);
  const result: IdToken = { token, claims };
  if (typeof payload.exp === 'number') result.expiresAt = new Date(payload.exp * 1000);
  return result;
}
