// AWS access for jit-gpg's providers: the job's OIDC token exchanged for temporary credentials (STS
// AssumeRoleWithWebIdentity, an unsigned query-API call answered in XML), then JSON 1.1 calls to KMS and Secrets
// Manager signed with SigV4 (src/shared/sigv4.ts; why not the SDK is written there). Credentials live in memory
// only, for the shortest session STS allows (900 s); STS credentials cannot be revoked, so release() drops them.
//
// Endpoints: https://<service>.<region>.amazonaws.com, or what the AWS SDKs' own configuration variables say
// (AWS_ENDPOINT_URL_STS, AWS_ENDPOINT_URL_KMS, AWS_ENDPOINT_URL_SECRETS_MANAGER, AWS_ENDPOINT_URL): VPC endpoints,
// FIPS endpoints and the test stand-in. Plain http is refused off loopback unless allow-insecure-http is set.
import {
  type HttpClient,
  type HttpResponse,
  httpRequest,
  isLoopbackHost,
  isTransientStatus,
} from '../../shared/http.ts';
import type { RetryOptions } from '../../shared/retry.ts';
import { type AwsCredentials, signRequest } from '../../shared/sigv4.ts';
import { decodeJwtPayload, describeClaims, type OidcClaims, publicClaims } from '../oidc.ts';
import { callService, scrub } from './service-call.ts';
import { ProviderError } from './types.ts';

export type AwsService = 'sts' | 'kms' | 'secretsmanager';

const ENDPOINT_VARS: Record<AwsService, string> = {
  sts: 'AWS_ENDPOINT_URL_STS',
  kms: 'AWS_ENDPOINT_URL_KMS',
  secretsmanager: 'AWS_ENDPOINT_URL_SECRETS_MANAGER',
};

const ROLE_ARN = /^arn:aws[a-z-]*:iam::(\d{12}):role\/[\w+=,.@/-]{1,512}$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;

/** The shortest session STS grants: the credentials are useless to anyone 15 minutes later. */
export const AWS_SESSION_SECONDS = 900;

export interface AwsOptions {
  provider: string;
  roleArn: string;
  region: string;
  env?: Readonly<Record<string, string | undefined>>;
  allowInsecureHttp?: boolean;
  http?: HttpClient;
  retry?: RetryOptions;
  log?: (message: string) => void;
  mask?: (secret: string) => void;
  timeoutMs?: number;
}

export interface AwsSession {
  provider: string;
  region: string;
  /** The assumed-role ARN STS reported (what CloudTrail records), e.g. arn:aws:sts::1:assumed-role/R/jit-gpg-42. */
  assumedRoleArn: string;
  credentials: AwsCredentials | undefined;
  endpoint(service: AwsService): string;
  http: HttpClient;
  retry?: RetryOptions;
  log: (message: string) => void;
  timeoutMs?: number;
  secrets: string[];
  claims: OidcClaims;
  /** Drops the credentials (STS has no revocation; they expire on their own). */
  release(): void;
}

/** Checks role, region and endpoints before any network call; names the input at fault. */
export function checkAwsInputs(
  options: Pick<AwsOptions, 'provider' | 'roleArn' | 'region' | 'env' | 'allowInsecureHttp'>,
): void {
  const p = options.provider;
  if (!options.roleArn.trim())
    throw new ProviderError(p, 'config', 'aws-role-arn is required (arn:aws:iam::ACCOUNT:role/NAME)');
  if (!ROLE_ARN.test(options.roleArn.trim())) {
    throw new ProviderError(
      p,
      'config',
      `aws-role-arn "${options.roleArn}" is not an IAM role ARN (arn:aws:iam::123456789012:role/NAME)`,
    );
  }
  if (!options.region.trim()) throw new ProviderError(p, 'config', 'aws-region is required (e.g. eu-central-1)');
  if (!REGION.test(options.region.trim()))
    throw new ProviderError(p, 'config', `aws-region "${options.region}" is not an AWS region (e.g. eu-central-1)`);
  for (const service of ['sts', 'kms', 'secretsmanager'] as const) endpointFor(service, options.region.trim(), options);
}

function endpointFor(
  service: AwsService,
  region: string,
  options: Pick<AwsOptions, 'provider' | 'env' | 'allowInsecureHttp'>,
): string {
  const env = options.env ?? process.env;
  const name = env[ENDPOINT_VARS[service]]
    ? ENDPOINT_VARS[service]
    : env.AWS_ENDPOINT_URL
      ? 'AWS_ENDPOINT_URL'
      : undefined;
  const raw = name ? String(env[name]).trim() : `https://${service}.${region}.amazonaws.com`;
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new ProviderError(options.provider, 'config', `${name} is not a URL`);
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:')
    throw new ProviderError(options.provider, 'config', `${name} must be an https:// URL`);
  if (u.username || u.password)
    throw new ProviderError(options.provider, 'config', `${name} must not contain a user name or password`);
  if (u.protocol === 'http:' && !isLoopbackHost(u.hostname) && !options.allowInsecureHttp) {
    throw new ProviderError(
      options.provider,
      'config',
      `${name} uses plain http to ${u.host}: the OIDC token and AWS credentials would cross the network unencrypted. ` +
        'Use https://, or set allow-insecure-http: true',
    );
  }
  return `${u.origin}${u.pathname.replace(/\/+$/, '')}`;
}

const XML_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** The text of the first <tag>…</tag> in an XML document (no attributes on it, entities decoded). */
export function xmlText(xml: string, tag: string): string | undefined {
  const m = new RegExp(`<${tag}>([^<]*)</${tag}>`).exec(xml);
  if (!m) return undefined;
  return m[1]!.replace(/&(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);/g, (_, e: string) =>
    e.startsWith('#x')
      ? String.fromCodePoint(parseInt(e.slice(2), 16))
      : e.startsWith('#')
        ? String.fromCodePoint(Number(e.slice(1)))
        : XML_ENTITIES[e]!,
  );
}

function send(
  s: Pick<AwsSession, 'http' | 'retry' | 'log' | 'timeoutMs' | 'secrets'>,
  provider: string,
  label: string,
  build: () => { url: string; headers: Record<string, string>; body: string },
  transientCode: (res: HttpResponse) => boolean,
): Promise<HttpResponse> {
  return callService(
    { provider, service: 'AWS', retry: s.retry, log: s.log, secrets: s.secrets },
    label,
    () => {
      const r = build();
      return s.http({ url: r.url, method: 'POST', headers: r.headers, body: r.body, timeoutMs: s.timeoutMs });
    },
    (res) => isTransientStatus(res.status) || transientCode(res),
  );
}

function sessionName(claims: OidcClaims): string {
  const run = typeof claims.run_id === 'string' || typeof claims.run_id === 'number' ? String(claims.run_id) : 'cli';
  const attempt = claims.run_attempt !== undefined ? `-${String(claims.run_attempt)}` : '';
  return `jit-gpg-${run}${attempt}`.replace(/[^\w+=,.@-]/g, '-').slice(0, 64);
}

/** What to change when STS refuses the web identity, with the token's claims beside the trust policy elements. */
export function stsErrorMessage(
  code: string,
  said: string,
  ctx: { roleArn: string; claims: OidcClaims },
): { code: 'claims-mismatch' | 'login-failed' | 'config'; message: string } {
  const iss = typeof ctx.claims.iss === 'string' ? ctx.claims.iss : '(absent)';
  const host = iss.replace(/^https?:\/\//, '').replace(/\/+$/, '');
  const account = ROLE_ARN.exec(ctx.roleArn)?.[1] ?? 'ACCOUNT';
  const head = `AWS STS refused AssumeRoleWithWebIdentity for ${ctx.roleArn} (${code}: ${said}).`;
  const claims = `The token's claims:\n${describeClaims(ctx.claims, ['iss', 'sub', 'aud', 'repository', 'ref', 'environment', 'job_workflow_ref'])}`;
  if (code === 'AccessDenied') {
    return {
      code: 'claims-mismatch',
      message:
        `${head} Check the role's trust policy: Principal.Federated arn:aws:iam::${account}:oidc-provider/${host}, ` +
        `Action sts:AssumeRoleWithWebIdentity, and its Condition on "${host}:sub" and "${host}:aud" against this ` +
        `token's sub and aud (and that aws-role-arn names the role you set up).\n${claims}`,
    };
  }
  if (code === 'InvalidIdentityToken' && /audience/i.test(said)) {
    return {
      code: 'claims-mismatch',
      message:
        `${head} The IAM OIDC provider for ${host} does not list the token's audience "${String(ctx.claims.aud)}" as a ` +
        `client ID: add it there, or set the audience input to one it lists (sts.amazonaws.com by default).\n${claims}`,
    };
  }
  if (code === 'InvalidIdentityToken' && /provider found/i.test(said)) {
    return {
      code: 'login-failed',
      message: `${head} Create an IAM OIDC identity provider for ${iss} (audience sts.amazonaws.com) in account ${account}.\n${claims}`,
    };
  }
  if (code === 'ExpiredTokenException') {
    return {
      code: 'login-failed',
      message: `${head} The OIDC token expired before it reached AWS: check the runner's clock.`,
    };
  }
  if (code === 'ValidationError') return { code: 'config', message: `${head} Check aws-role-arn.` };
  return { code: 'login-failed', message: `${head}\n${claims}` };
}

/** Exchanges the OIDC token for 15-minute role credentials. Every credential is masked before anything else. */
export async function assumeRole(idToken: string, options: AwsOptions): Promise<AwsSession> {
  checkAwsInputs(options);
  const provider = options.provider;
  const region = options.region.trim();
  const roleArn = options.roleArn.trim();
  const log = options.log ?? (() => {});
  const mask = options.mask ?? (() => {});
  let claims: OidcClaims = {};
  try {
    claims = publicClaims(decodeJwtPayload(idToken));
  } catch {
    // not a JWT: STS says so
  }
  const secrets = [idToken];
  const base = { http: options.http ?? httpRequest, retry: options.retry, log, timeoutMs: options.timeoutMs, secrets };
  const body = new URLSearchParams({
    Action: 'AssumeRoleWithWebIdentity',
    Version: '2011-06-15',
    RoleArn: roleArn,
    RoleSessionName: sessionName(claims),
    WebIdentityToken: idToken,
    DurationSeconds: String(AWS_SESSION_SECONDS),
  }).toString();
  const stsUrl = `${endpointFor('sts', region, options)}/`;
  const res = await send(
    base,
    provider,
    'AWS STS AssumeRoleWithWebIdentity',
    () => ({
      url: stsUrl,
      headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8', accept: 'text/xml' },
      body,
    }),
    (r) => /<Code>(Throttling|IDPCommunicationError)/.test(r.body),
  );
  if (res.status !== 200) {
    const code = xmlText(res.body, 'Code') ?? `HTTP ${res.status}`;
    const said = scrub(xmlText(res.body, 'Message') ?? '', secrets);
    const { code: kind, message } = stsErrorMessage(code, said, { roleArn, claims });
    throw new ProviderError(provider, kind, message, res.status);
  }
  const accessKeyId = xmlText(res.body, 'AccessKeyId');
  const secretAccessKey = xmlText(res.body, 'SecretAccessKey');
  const sessionToken = xmlText(res.body, 'SessionToken');
  if (!accessKeyId || !secretAccessKey || !sessionToken) {
    throw new ProviderError(provider, 'bad-response', 'AWS STS: the answer carries no Credentials');
  }
  for (const s of [secretAccessKey, sessionToken]) {
    mask(s);
    secrets.push(s);
  }
  const assumedRoleArn = xmlText(res.body, 'Arn') ?? roleArn;
  log(`Assumed ${assumedRoleArn} for ${AWS_SESSION_SECONDS / 60} minutes (access key ${accessKeyId})`);
  const session: AwsSession = {
    provider,
    region,
    assumedRoleArn,
    credentials: { accessKeyId, secretAccessKey, sessionToken },
    endpoint: (service) => endpointFor(service, region, options),
    ...base,
    claims,
    release() {
      session.credentials = undefined;
    },
  };
  return session;
}

export interface AwsJsonError {
  status: number;
  type: string;
  message: string;
}

/** One SigV4-signed JSON 1.1 call; returns the parsed answer or the AWS error (type without namespace, message). */
export async function awsJson(
  session: AwsSession,
  service: 'kms' | 'secretsmanager',
  target: string,
  input: Record<string, unknown>,
  label: string,
): Promise<{ ok: true; body: Record<string, unknown> } | { ok: false; error: AwsJsonError }> {
  const credentials = session.credentials;
  if (!credentials)
    throw new ProviderError(session.provider, 'config', `${label}: the AWS session was already released`);
  const url = `${session.endpoint(service)}/`;
  const body = JSON.stringify(input);
  const res = await send(
    session,
    session.provider,
    label,
    () => ({
      url,
      body,
      headers: signRequest(
        {
          method: 'POST',
          url,
          body,
          headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': target },
        },
        { credentials, region: session.region, service },
      ),
    }),
    (r) => r.status === 400 && /Throttling|TooManyRequests|LimitExceeded/.test(r.body),
  );
  let parsed: Record<string, unknown> = {};
  try {
    const v = JSON.parse(res.body || '{}') as unknown;
    if (v && typeof v === 'object' && !Array.isArray(v)) parsed = v as Record<string, unknown>;
  } catch {
    throw new ProviderError(
      session.provider,
      'bad-response',
      `${label}: AWS's answer (HTTP ${res.status}) is not JSON`,
    );
  }
  if (res.status === 200) return { ok: true, body: parsed };
  const rawType = String(res.headers['x-amzn-errortype'] ?? parsed.__type ?? `HTTP ${res.status}`);
  const type = rawType.split(':')[0]!.split('#').pop()!;
  const message = scrub(String(parsed.message ?? parsed.Message ?? ''), session.secrets);
  return { ok: false, error: { status: res.status, type, message } };
}

/** The general answer to an AWS error no caller mapped more precisely. */
export function awsErrorMessage(
  session: AwsSession,
  label: string,
  e: AwsJsonError,
  action: string,
  resource: string,
): ProviderError {
  const p = session.provider;
  if (e.type === 'AccessDeniedException') {
    return new ProviderError(
      p,
      'permission-denied',
      `${label}: AWS denied ${action} on ${resource} to ${session.assumedRoleArn} (${e.message}). Add to the role's ` +
        `permissions policy: {"Effect": "Allow", "Action": "${action}", "Resource": "${resource}"} ` +
        '(and, for KMS, allow the role in the key policy).',
      e.status,
    );
  }
  if (
    e.type === 'UnrecognizedClientException' ||
    e.type === 'InvalidSignatureException' ||
    e.type === 'ExpiredTokenException'
  ) {
    return new ProviderError(
      p,
      'login-failed',
      `${label}: AWS refused the temporary credentials (${e.type}: ${e.message}); check the runner's clock and aws-region`,
      e.status,
    );
  }
  return new ProviderError(p, 'bad-response', `${label}: ${e.type}${e.message ? `: ${e.message}` : ''}`, e.status);
}
