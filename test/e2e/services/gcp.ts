// A Google Cloud stand-in for tests: STS, IAM credentials, Cloud KMS and Secret Manager on one 127.0.0.1 port (point
// clients at it with gcloud's CLOUDSDK_API_ENDPOINT_OVERRIDES_* variables). Not Google: it speaks, with Google's
// documented request and response shapes, status codes and error texts, only what a remote signer and a key store
// use:
//
//   STS  POST /v1/token (form, RFC 8693; JSON with camelCase fields also accepted, as Google does)
//     - grant_type token-exchange, subject_token_type jwt, requested_token_type access_token, scope cloud-platform
//     - audience //iam.googleapis.com/projects/N/locations/global/workloadIdentityPools/P/providers/X must name the
//       configured provider (400 invalid_target otherwise)
//     - the JWT's RS256 signature against the issuer's JWKS (discovery from its iss), exp, iss = the provider's
//       issuer, aud among the provider's allowed audiences (default: https://iam.googleapis.com/<provider>)
//     - the attribute condition: every `assertion.<claim> == 'value'` it holds (403 unauthorized_client "The given
//       credential is rejected by the attribute condition.")
//     - errors: {"error": "<oauth code>", "error_description": "…"}; answer {access_token, issued_token_type,
//       token_type: "Bearer", expires_in}
//   IAM credentials  POST /v1/projects/-/serviceAccounts/SA:generateAccessToken {scope[], lifetime}
//     - bearer = an STS token whose repository the service account's workloadIdentityUser binding names
//   KMS  GET /v1/{version}/publicKey → {pem, algorithm, pemCrc32c, name, protectionLevel}
//        POST /v1/{version}:asymmetricSign {digest:{sha256|sha384|sha512}, digestCrc32c} | {data, dataCrc32c}
//          → {signature, signatureCrc32c, verifiedDigestCrc32c, verifiedDataCrc32c, name, protectionLevel}
//   Secret Manager  GET /v1/projects/P/secrets/S/versions/{latest|N}:access → {name, payload:{data, dataCrc32c}}
//   Google API errors: {"error": {"code": N, "message": "…", "status": "PERMISSION_DENIED" | …}}; every API call checks
//   the bearer token (401 UNAUTHENTICATED) and the caller's permission on the resource (403 PERMISSION_DENIED).
import {
  constants,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  privateEncrypt,
  randomBytes,
  sign as cryptoSign,
  verify as cryptoVerify,
} from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { crc32c } from '../../../src/sign/providers/gcp.ts';
import { bytesToBigInt, type EcCurveName, ecdsaSignDigest } from '../../../src/sign/key.ts';
import { DIGEST_INFO_PREFIX, type HashName } from '../../../src/sign/packet.ts';

export const PROJECT_NUMBER = '123456789012';
export const PROJECT = 'acme-release';

export type GcpKmsAlgorithm =
  | 'RSA_SIGN_PKCS1_2048_SHA256'
  | 'RSA_SIGN_PKCS1_3072_SHA256'
  | 'RSA_SIGN_PKCS1_4096_SHA512'
  | 'EC_SIGN_P256_SHA256'
  | 'EC_SIGN_P384_SHA384'
  | 'EC_SIGN_ED25519'
  | 'EC_SIGN_SECP256K1_SHA256';

export type GcpPermission =
  | 'cloudkms.cryptoKeyVersions.viewPublicKey'
  | 'cloudkms.cryptoKeyVersions.useToSign'
  | 'secretmanager.versions.access';

export interface GcpStandInOptions {
  /** The OIDC issuer the workload identity provider trusts. */
  issuer: string;
  pool?: string;
  provider?: string;
  /** Allowed audiences (default: https://iam.googleapis.com/<provider resource>). */
  allowedAudiences?: string[];
  /** The attribute condition: claim → required value (assertion.<claim> == 'value' && …). */
  attributeCondition?: Record<string, string>;
  /** Service accounts: email → the repository its roles/iam.workloadIdentityUser binding lets impersonate it. */
  serviceAccounts?: Record<string, { repository: string }>;
  /** IAM on keys and secrets: member (a service account email, or `principalSet` for any federated principal of
   *  the pool) → permissions. */
  grants?: Record<string, GcpPermission[]>;
  /** Crypto keys: name → algorithm (key version projects/PROJECT/locations/global/keyRings/release/cryptoKeys/NAME/cryptoKeyVersions/1). */
  keys?: Record<string, GcpKmsAlgorithm>;
  /** Secrets: name → payload (version 1, also `latest`). */
  secrets?: Record<string, string>;
}

export interface GcpCall {
  service: 'sts' | 'iamcredentials' | 'cloudkms' | 'secretmanager';
  method: string;
  status: number;
  /** For generateAccessToken: the lifetime asked for. */
  lifetime?: string;
}

export interface GcpStandIn {
  url: string;
  /** The four CLOUDSDK_API_ENDPOINT_OVERRIDES_* variables, pointing at this stand-in. */
  env(): Record<string, string>;
  /** projects/NUMBER/locations/global/workloadIdentityPools/POOL/providers/PROVIDER */
  providerResource: string;
  keyVersion(name: string): string;
  secretName(name: string): string;
  publicKey(name: string): KeyObject;
  calls: GcpCall[];
  /** Every access token handed out (secrets: tests assert they never reach a log). */
  issuedTokens: string[];
  /** Answers from now on carry a wrong signatureCrc32c / no verified flag (integrity tests). */
  corrupt(mode: 'none' | 'signature-crc' | 'unverified'): void;
  setLatency(ms: number): void;
  close(): Promise<void>;
}

class Failure extends Error {
  status: number;
  body: unknown;
  constructor(status: number, body: unknown) {
    super(JSON.stringify(body));
    this.status = status;
    this.body = body;
  }
}

const GRPC: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
};
function apiError(code: number, message: string, status = GRPC[code]!): Failure {
  return new Failure(code, { error: { code, message, status } });
}
function oauthError(code: number, error: string, description: string): Failure {
  return new Failure(code, { error, error_description: description });
}

const HASH_OF: Record<GcpKmsAlgorithm, HashName | 'pure'> = {
  RSA_SIGN_PKCS1_2048_SHA256: 'sha256',
  RSA_SIGN_PKCS1_3072_SHA256: 'sha256',
  RSA_SIGN_PKCS1_4096_SHA512: 'sha512',
  EC_SIGN_P256_SHA256: 'sha256',
  EC_SIGN_P384_SHA384: 'sha384',
  EC_SIGN_ED25519: 'pure',
  EC_SIGN_SECP256K1_SHA256: 'sha256',
};
const HASH_LEN: Record<HashName, number> = { sha256: 32, sha384: 48, sha512: 64 };

function toFixed(v: bigint, len: number): Buffer {
  return Buffer.from(v.toString(16).padStart(len * 2, '0'), 'hex');
}
function derInt(b: Buffer): Buffer {
  let v = b;
  while (v.length > 1 && v[0] === 0 && !(v[1]! & 0x80)) v = v.subarray(1);
  if (v[0]! & 0x80) v = Buffer.concat([Buffer.from([0]), v]);
  return Buffer.concat([Buffer.from([2, v.length]), v]);
}

function generate(algorithm: GcpKmsAlgorithm) {
  if (algorithm.startsWith('RSA'))
    return generateKeyPairSync('rsa', { modulusLength: Number(algorithm.split('_')[3]) });
  if (algorithm === 'EC_SIGN_ED25519') return generateKeyPairSync('ed25519');
  const namedCurve =
    algorithm === 'EC_SIGN_P256_SHA256'
      ? 'prime256v1'
      : algorithm === 'EC_SIGN_P384_SHA384'
        ? 'secp384r1'
        : 'secp256k1';
  return generateKeyPairSync('ec', { namedCurve });
}

interface Token {
  identity: string;
  /** `principalSet` for a federated token; the email for a service account token. */
  member: string;
  repository: string;
  expiresAt: number;
}

export async function startGcpStandIn(options: GcpStandInOptions): Promise<GcpStandIn> {
  const pool = options.pool ?? 'github';
  const providerId = options.provider ?? 'github-actions';
  const poolResource = `projects/${PROJECT_NUMBER}/locations/global/workloadIdentityPools/${pool}`;
  const providerResource = `${poolResource}/providers/${providerId}`;
  const allowedAudiences = options.allowedAudiences ?? [`https://iam.googleapis.com/${providerResource}`];
  const issuer = options.issuer.replace(/\/+$/, '');
  const keys = new Map<string, { algorithm: GcpKmsAlgorithm; privateKey: KeyObject; publicKey: KeyObject }>();
  for (const [name, algorithm] of Object.entries(options.keys ?? {})) {
    keys.set(`projects/${PROJECT}/locations/global/keyRings/release/cryptoKeys/${name}/cryptoKeyVersions/1`, {
      algorithm,
      ...generate(algorithm),
    });
  }
  const secrets = new Map<string, string>();
  for (const [name, value] of Object.entries(options.secrets ?? {}))
    secrets.set(`projects/${PROJECT}/secrets/${name}/versions/1`, value);
  const tokens = new Map<string, Token>();
  const calls: GcpCall[] = [];
  const issuedTokens: string[] = [];
  let corruption: 'none' | 'signature-crc' | 'unverified' = 'none';
  let latencyMs = 0;
  let jwks: Map<string, KeyObject> | undefined;

  const mint = (t: Omit<Token, 'expiresAt'>, seconds: number): string => {
    const token = `ya29.${randomBytes(48).toString('base64url')}`;
    tokens.set(token, { ...t, expiresAt: Date.now() + seconds * 1000 });
    issuedTokens.push(token);
    return token;
  };

  const verifyJwt = async (jwt: string): Promise<Record<string, unknown>> => {
    const parts = jwt.split('.');
    let header: Record<string, unknown>;
    let claims: Record<string, unknown>;
    try {
      if (parts.length !== 3) throw new Error('parts');
      header = JSON.parse(Buffer.from(parts[0]!, 'base64url').toString('utf8'));
      claims = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8'));
    } catch {
      throw oauthError(400, 'invalid_request', 'Invalid value for "subject_token". The ID Token is not a valid JWT.');
    }
    if (String(claims.iss ?? '').replace(/\/+$/, '') !== issuer) {
      throw oauthError(
        400,
        'invalid_grant',
        `The issuer in ID Token ${String(claims.iss)} does not match the expected ones: ${issuer}.`,
      );
    }
    if (!jwks) {
      const disc = (await (await fetch(`${issuer}/.well-known/openid-configuration`)).json()) as { jwks_uri: string };
      const set = (await (await fetch(disc.jwks_uri)).json()) as { keys: Record<string, unknown>[] };
      jwks = new Map(set.keys.map((k) => [String(k.kid ?? ''), createPublicKey({ key: k as never, format: 'jwk' })]));
    }
    const key = jwks.get(String(header.kid ?? ''));
    if (
      !key ||
      header.alg !== 'RS256' ||
      !cryptoVerify('sha256', Buffer.from(`${parts[0]}.${parts[1]}`), key, Buffer.from(parts[2]!, 'base64url'))
    ) {
      throw oauthError(400, 'invalid_grant', 'Invalid JWT signature. Failed to verify the ID Token with the JWK set.');
    }
    if (!Number(claims.exp) || Date.now() / 1000 > Number(claims.exp))
      throw oauthError(400, 'invalid_grant', 'ID Token expired.');
    const aud = Array.isArray(claims.aud) ? claims.aud.map(String) : [String(claims.aud ?? '')];
    if (!aud.some((a) => allowedAudiences.includes(a))) {
      throw oauthError(
        400,
        'invalid_grant',
        `The audience in ID Token [${aud.join(', ')}] does not match the expected audience.`,
      );
    }
    return claims;
  };

  const sts = async (req: http.IncomingMessage, raw: string): Promise<unknown> => {
    const json = String(req.headers['content-type'] ?? '').startsWith('application/json');
    let f: (n: string, camel: string) => string;
    if (json) {
      const o = JSON.parse(raw || '{}') as Record<string, unknown>;
      f = (n, camel) => String(o[camel] ?? o[n] ?? '');
    } else {
      const form = new URLSearchParams(raw);
      f = (n) => form.get(n) ?? '';
    }
    if (f('grant_type', 'grantType') !== 'urn:ietf:params:oauth:grant-type:token-exchange')
      throw oauthError(400, 'unsupported_grant_type', 'Invalid value for "grant_type".');
    if (f('subject_token_type', 'subjectTokenType') !== 'urn:ietf:params:oauth:token-type:jwt')
      throw oauthError(400, 'invalid_request', 'Invalid value for "subject_token_type".');
    if (f('requested_token_type', 'requestedTokenType') !== 'urn:ietf:params:oauth:token-type:access_token')
      throw oauthError(400, 'invalid_request', 'Invalid value for "requested_token_type".');
    if (!f('scope', 'scope').split(' ').includes('https://www.googleapis.com/auth/cloud-platform'))
      throw oauthError(400, 'invalid_scope', 'Invalid value for "scope".');
    if (f('audience', 'audience') !== `//iam.googleapis.com/${providerResource}`) {
      throw oauthError(
        400,
        'invalid_target',
        'The target service indicated by the "audience" parameters is invalid. This might either be because the pool ' +
          "or provider is disabled or deleted or because it doesn't exist.",
      );
    }
    const claims = await verifyJwt(f('subject_token', 'subjectToken'));
    for (const [claim, value] of Object.entries(options.attributeCondition ?? {})) {
      if (claims[claim] !== value)
        throw oauthError(403, 'unauthorized_client', 'The given credential is rejected by the attribute condition.');
    }
    const token = mint(
      {
        identity: `principal://iam.googleapis.com/${poolResource}/subject/${String(claims.sub)}`,
        member: 'principalSet',
        repository: String(claims.repository ?? ''),
      },
      3600,
    );
    return {
      access_token: token,
      issued_token_type: 'urn:ietf:params:oauth:token-type:access_token',
      token_type: 'Bearer',
      expires_in: 3600,
    };
  };

  const caller = (req: http.IncomingMessage): Token => {
    const m = /^Bearer (\S+)$/.exec(String(req.headers.authorization ?? ''));
    const t = m ? tokens.get(m[1]!) : undefined;
    if (!t || Date.now() > t.expiresAt) {
      throw apiError(
        401,
        'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid ' +
          'authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.',
      );
    }
    return t;
  };
  const permitted = (t: Token, permission: GcpPermission, resource: string) => {
    if (!(options.grants?.[t.member] ?? []).includes(permission))
      throw apiError(403, `Permission '${permission}' denied on resource '${resource}' (or it may not exist).`);
  };

  const handle = async (req: http.IncomingMessage, path: string, raw: string): Promise<[GcpCall, unknown]> => {
    if (req.method === 'POST' && path === '/v1/token')
      return [{ service: 'sts', method: 'token', status: 200 }, await sts(req, raw)];
    const sa = /^\/v1\/projects\/-\/serviceAccounts\/([^/:]+):generateAccessToken$/.exec(path);
    if (req.method === 'POST' && sa) {
      const t = caller(req);
      const email = decodeURIComponent(sa[1]!);
      const body = JSON.parse(raw || '{}') as { scope?: string[]; lifetime?: string };
      const call: GcpCall = {
        service: 'iamcredentials',
        method: 'generateAccessToken',
        status: 200,
        lifetime: String(body.lifetime),
      };
      const account = options.serviceAccounts?.[email];
      if (!account || t.member !== 'principalSet' || account.repository !== t.repository) {
        throw apiError(
          403,
          `Permission 'iam.serviceAccounts.getAccessToken' denied on resource (or it may not exist).`,
        );
      }
      const seconds = Number(/^(\d+)s$/.exec(body.lifetime ?? '3600s')?.[1] ?? Number.NaN);
      if (!(seconds >= 1 && seconds <= 3600))
        throw apiError(400, 'The lifetime must be between 1 second and 3600 seconds.');
      if (!body.scope?.length) throw apiError(400, 'Scope required.');
      const token = mint({ identity: email, member: email, repository: t.repository }, seconds);
      return [call, { accessToken: token, expireTime: new Date(Date.now() + seconds * 1000).toISOString() }];
    }
    const pub = /^\/v1\/(projects\/.+\/cryptoKeyVersions\/[^/:]+)\/publicKey$/.exec(path);
    if (req.method === 'GET' && pub) {
      const t = caller(req);
      const name = pub[1]!;
      permitted(t, 'cloudkms.cryptoKeyVersions.viewPublicKey', name);
      const k = keys.get(name);
      if (!k) throw apiError(404, `CryptoKeyVersion ${name} not found.`);
      const pem = String(k.publicKey.export({ format: 'pem', type: 'spki' }));
      return [
        { service: 'cloudkms', method: 'getPublicKey', status: 200 },
        { pem, algorithm: k.algorithm, pemCrc32c: String(crc32c(Buffer.from(pem))), name, protectionLevel: 'HSM' },
      ];
    }
    const sig = /^\/v1\/(projects\/.+\/cryptoKeyVersions\/[^/:]+):asymmetricSign$/.exec(path);
    if (req.method === 'POST' && sig) {
      const t = caller(req);
      const name = sig[1]!;
      permitted(t, 'cloudkms.cryptoKeyVersions.useToSign', name);
      const k = keys.get(name);
      if (!k) throw apiError(404, `CryptoKeyVersion ${name} not found.`);
      const body = JSON.parse(raw || '{}') as {
        digest?: Record<string, string>;
        digestCrc32c?: string;
        data?: string;
        dataCrc32c?: string;
      };
      const hash = HASH_OF[k.algorithm];
      let signature: Buffer;
      let verifiedDigestCrc32c = false;
      let verifiedDataCrc32c = false;
      if (hash === 'pure') {
        if (typeof body.data !== 'string' || body.digest)
          throw apiError(400, `Algorithm ${k.algorithm} requires the data field, not digest.`);
        const data = Buffer.from(body.data, 'base64');
        if (body.dataCrc32c !== undefined) {
          if (String(body.dataCrc32c) !== String(crc32c(data)))
            throw apiError(400, 'The checksum in field data_crc32c did not match the data in field data.');
          verifiedDataCrc32c = true;
        }
        signature = cryptoSign(null, data, k.privateKey);
      } else {
        const fields = Object.keys(body.digest ?? {});
        if (body.data !== undefined || fields.length !== 1 || fields[0] !== hash)
          throw apiError(400, `Digest type must match the algorithm ${k.algorithm} (expected ${hash}).`);
        const digest = Buffer.from(body.digest![hash]!, 'base64');
        if (digest.length !== HASH_LEN[hash]) throw apiError(400, `Digest length is invalid for ${hash}.`);
        if (body.digestCrc32c !== undefined) {
          if (String(body.digestCrc32c) !== String(crc32c(digest)))
            throw apiError(400, 'The checksum in field digest_crc32c did not match the data in field digest.');
          verifiedDigestCrc32c = true;
        }
        if (k.algorithm.startsWith('RSA')) {
          signature = privateEncrypt(
            { key: k.privateKey, padding: constants.RSA_PKCS1_PADDING },
            Buffer.concat([DIGEST_INFO_PREFIX[hash], digest]),
          );
        } else {
          const curve: EcCurveName = k.algorithm === 'EC_SIGN_P256_SHA256' ? 'nistP256' : 'nistP384';
          const size = curve === 'nistP256' ? 32 : 48;
          const d = bytesToBigInt(Buffer.from(k.privateKey.export({ format: 'jwk' }).d!, 'base64url'));
          const { r, s } = ecdsaSignDigest(curve, d, digest, hash);
          const seq = Buffer.concat([derInt(toFixed(r, size)), derInt(toFixed(s, size))]);
          signature = Buffer.concat([Buffer.from([0x30, seq.length]), seq]);
        }
      }
      const crc = crc32c(signature);
      return [
        { service: 'cloudkms', method: 'asymmetricSign', status: 200 },
        {
          signature: signature.toString('base64'),
          signatureCrc32c: String(corruption === 'signature-crc' ? (crc + 1) >>> 0 : crc),
          verifiedDigestCrc32c: corruption === 'unverified' ? false : verifiedDigestCrc32c,
          verifiedDataCrc32c: corruption === 'unverified' ? false : verifiedDataCrc32c,
          name,
          protectionLevel: 'HSM',
        },
      ];
    }
    const acc = /^\/v1\/(projects\/[^/]+\/secrets\/[^/]+)\/versions\/([^/:]+):access$/.exec(path);
    if (req.method === 'GET' && acc) {
      const t = caller(req);
      const version = acc[2] === 'latest' ? '1' : acc[2]!;
      const name = `${acc[1]}/versions/${version}`;
      permitted(t, 'secretmanager.versions.access', `${acc[1]}/versions/${acc[2]}`);
      const value = secrets.get(name);
      if (value === undefined) throw apiError(404, `Secret Version [${name}] not found.`);
      const data = Buffer.from(value, 'utf8');
      return [
        { service: 'secretmanager', method: 'access', status: 200 },
        { name, payload: { data: data.toString('base64'), dataCrc32c: String(crc32c(data)) } },
      ];
    }
    throw apiError(404, `The requested URL ${path} was not found on this server.`);
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      const service: GcpCall['service'] =
        path === '/v1/token'
          ? 'sts'
          : path.includes(':generateAccessToken')
            ? 'iamcredentials'
            : path.includes('/secrets/')
              ? 'secretmanager'
              : 'cloudkms';
      let status = 200;
      let body: unknown;
      try {
        const [call, out] = await handle(req, path, Buffer.concat(chunks).toString('utf8'));
        calls.push(call);
        body = out;
      } catch (e) {
        if (!(e instanceof Failure)) throw e;
        status = e.status;
        body = e.body;
        calls.push({ service, method: req.method ?? '', status });
      }
      if (latencyMs > 0) await new Promise((r) => setTimeout(r, latencyMs));
      res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8' });
      res.end(JSON.stringify(body));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    env: () => ({
      CLOUDSDK_API_ENDPOINT_OVERRIDES_STS: url,
      CLOUDSDK_API_ENDPOINT_OVERRIDES_IAMCREDENTIALS: url,
      CLOUDSDK_API_ENDPOINT_OVERRIDES_CLOUDKMS: `${url}/`,
      CLOUDSDK_API_ENDPOINT_OVERRIDES_SECRETMANAGER: `${url}/v1/`,
    }),
    providerResource,
    keyVersion: (name) =>
      `projects/${PROJECT}/locations/global/keyRings/release/cryptoKeys/${name}/cryptoKeyVersions/1`,
    secretName: (name) => `projects/${PROJECT}/secrets/${name}`,
    publicKey(name) {
      const k = keys.get(
        `projects/${PROJECT}/locations/global/keyRings/release/cryptoKeys/${name}/cryptoKeyVersions/1`,
      );
      if (!k) throw new Error(`no key ${name}`);
      return k.publicKey;
    },
    calls,
    issuedTokens,
    corrupt(mode) {
      corruption = mode;
    },
    setLatency(ms) {
      latencyMs = ms;
    },
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
