// AWS Signature Version 4 (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html)
// for the few JSON calls jit-gpg makes to KMS and Secrets Manager with temporary credentials from STS.
//
// Why not the AWS SDK: the three clients jit-gpg would need (@aws-sdk/client-kms, client-sts, client-secrets-manager
// 3.1178.0, importing only the commands used) bundle to 545 KB of minified JavaScript (159 KB gzipped), against
// 27 KB for this module, the AWS providers and the helpers they share (esbuild --bundle --minify --platform=node
// --format=esm --target=node24, measured 2026-12-05). They also bring their own HTTP handler and proxy logic
// (@smithy/node-http-handler): a second HTTP stack beside src/shared/http.ts, which the project does not allow.
// Signing three kinds of requests is 100 lines; the tests prove it against AWS's published test vector and the
// official SDK signer (@smithy/signature-v4), and the AWS stand-in verifies both with this module.
import { createHash, createHmac } from 'node:crypto';

export interface AwsCredentials {
  accessKeyId: string;
  /** Secret. */
  secretAccessKey: string;
  /** Secret (temporary credentials). */
  sessionToken?: string;
}

export interface SignableRequest {
  method: string;
  url: string | URL;
  /** Header names in any case; `host` is taken from the URL when absent. */
  headers: Record<string, string>;
  body: string;
}

export interface SigV4Options {
  credentials: AwsCredentials;
  region: string;
  service: string;
  /** Signing time (default now). */
  now?: Date;
}

const sha256Hex = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data, 'utf8').digest();

/** RFC 3986 percent-encoding of everything but unreserved characters, as SigV4 requires. */
export function uriEscape(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** 20150830T123600Z */
export function amzDate(d: Date): string {
  return d
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

function canonicalPath(pathname: string): string {
  // non-S3 services: each segment is encoded again (the URL already holds it percent-encoded once)
  return (
    pathname
      .split('/')
      .map((seg) => uriEscape(seg))
      .join('/') || '/'
  );
}

function canonicalQuery(params: URLSearchParams): string {
  return [...params]
    .map(([k, v]) => [uriEscape(k), uriEscape(v)] as const)
    .sort(([ak, av], [bk, bv]) => (ak < bk ? -1 : ak > bk ? 1 : av < bv ? -1 : av > bv ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
}

/** Lower-cased names → values trimmed with inner runs of spaces collapsed. */
function normalizeHeaders(headers: Record<string, string>): Map<string, string> {
  const out = new Map<string, string>();
  for (const [name, value] of Object.entries(headers)) {
    out.set(name.toLowerCase(), String(value).trim().replace(/\s+/g, ' '));
  }
  return out;
}

/** The canonical request and the signed header list for `signedHeaders` (lower case). */
export function canonicalRequest(
  req: SignableRequest,
  signedHeaders: readonly string[],
): { text: string; signedHeaders: string } {
  const url = new URL(String(req.url));
  const headers = normalizeHeaders(req.headers);
  if (!headers.has('host')) headers.set('host', url.host);
  const names = [...new Set(signedHeaders.map((h) => h.toLowerCase()))].sort();
  for (const n of names) if (!headers.has(n)) throw new Error(`SigV4: signed header ${n} is missing`);
  const text = [
    req.method.toUpperCase(),
    canonicalPath(url.pathname),
    canonicalQuery(url.searchParams),
    names.map((n) => `${n}:${headers.get(n)}\n`).join(''),
    names.join(';'),
    sha256Hex(req.body),
  ].join('\n');
  return { text, signedHeaders: names.join(';') };
}

export function signingKey(secret: string, date: string, region: string, service: string): Buffer {
  return hmac(hmac(hmac(hmac(`AWS4${secret}`, date), region), service), 'aws4_request');
}

/** The signature for a canonical request at `when` (YYYYMMDDTHHMMSSZ) in `scope` (date/region/service/aws4_request). */
export function signatureFor(canonical: string, when: string, scope: string, key: Buffer): string {
  const stringToSign = ['AWS4-HMAC-SHA256', when, scope, sha256Hex(canonical)].join('\n');
  return createHmac('sha256', key).update(stringToSign, 'utf8').digest('hex');
}

/**
 * The headers to send: the request's own plus x-amz-date, x-amz-security-token (temporary credentials) and
 * authorization. Every header given is signed, and host.
 */
export function signRequest(req: SignableRequest, options: SigV4Options): Record<string, string> {
  const when = amzDate(options.now ?? new Date());
  const date = when.slice(0, 8);
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) headers[k.toLowerCase()] = v;
  headers.host ??= new URL(String(req.url)).host;
  headers['x-amz-date'] = when;
  if (options.credentials.sessionToken) headers['x-amz-security-token'] = options.credentials.sessionToken;
  const scope = `${date}/${options.region}/${options.service}/aws4_request`;
  const canonical = canonicalRequest({ ...req, headers }, Object.keys(headers));
  const key = signingKey(options.credentials.secretAccessKey, date, options.region, options.service);
  const signature = signatureFor(canonical.text, when, scope, key);
  headers.authorization =
    `AWS4-HMAC-SHA256 Credential=${options.credentials.accessKeyId}/${scope}, ` +
    `SignedHeaders=${canonical.signedHeaders}, Signature=${signature}`;
  return headers;
}

export interface ParsedAuthorization {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
  signedHeaders: string[];
  signature: string;
}

/** Parses an `Authorization: AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…` header, or undefined. */
export function parseAuthorization(header: string | undefined): ParsedAuthorization | undefined {
  const m =
    /^AWS4-HMAC-SHA256 Credential=([^/,\s]+)\/(\d{8})\/([^/,\s]+)\/([^/,\s]+)\/aws4_request,\s*SignedHeaders=([a-z0-9;-]+),\s*Signature=([0-9a-f]{64})$/.exec(
      header?.trim() ?? '',
    );
  if (!m) return undefined;
  return {
    accessKeyId: m[1]!,
    date: m[2]!,
    region: m[3]!,
    service: m[4]!,
    signedHeaders: m[5]!.split(';'),
    signature: m[6]!,
  };
}
