// An AWS stand-in for tests: STS, KMS and Secrets Manager on one 127.0.0.1 port (point clients at it with
// AWS_ENDPOINT_URL, as the AWS SDKs and CLI are configured). Not AWS: it speaks, with AWS's documented request and
// response shapes, status codes and error texts, only what a remote signer and a key store use:
//
//   STS (query API, form body, XML answers; unsigned, as AWS allows for this action)
//     Action=AssumeRoleWithWebIdentity&Version=2011-06-15&RoleArn&RoleSessionName&WebIdentityToken[&DurationSeconds]
//       - the JWT's RS256 signature against the registered OIDC provider's JWKS (discovery from its issuer URL);
//         exp; aud among the provider's client IDs ("Incorrect token audience")
//       - the role trust policy: Federated principal = the provider, Action sts:AssumeRoleWithWebIdentity,
//         Condition StringEquals/StringLike on `<issuer host>:aud` and `:sub` (403 AccessDenied "Not authorized to
//         perform sts:AssumeRoleWithWebIdentity" otherwise, as AWS says it, naming nothing)
//       - DurationSeconds 900…role max (ValidationError); credentials ASIA…, expiring
//       - errors: <ErrorResponse><Error><Type>Sender</Type><Code>…</Code><Message>…</Message></Error><RequestId/>
//   KMS and Secrets Manager (JSON 1.1: POST /, Content-Type application/x-amz-json-1.1, X-Amz-Target
//   TrentService.<Op> | secretsmanager.<Op>), every request SigV4-verified against the temporary credentials STS
//   issued (InvalidSignatureException, UnrecognizedClientException, ExpiredTokenException, scope service checked)
//     TrentService.GetPublicKey {KeyId}  → {KeyId (ARN), PublicKey (base64 SPKI DER), KeySpec, KeyUsage, SigningAlgorithms}
//     TrentService.Sign {KeyId, Message, MessageType DIGEST|RAW, SigningAlgorithm} → {KeyId, Signature, SigningAlgorithm}
//       RSASSA_PKCS1_V1_5_SHA_256/384/512, ECDSA_SHA_256/384 (DER), ED25519_SHA_512 (RAW only: pure Ed25519)
//     secretsmanager.GetSecretValue {SecretId[, VersionStage]} → {ARN, Name, VersionId, SecretString|SecretBinary, …}
//   errors: HTTP 400 {"__type": "<Code>", "message": "…"} and x-amzn-ErrorType; AccessDeniedException names the
//   assumed-role ARN, the action and the resource, as AWS does. Key ids: key id, key ARN, alias/name, alias ARN.
import {
  createHash,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  privateEncrypt,
  constants,
  randomBytes,
  randomUUID,
  sign as cryptoSign,
  verify as cryptoVerify,
} from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { canonicalRequest, parseAuthorization, signatureFor, signingKey } from '../../../src/shared/sigv4.ts';
import { bytesToBigInt, type EcCurveName, ecdsaSignDigest } from '../../../src/sign/key.ts';
import { DIGEST_INFO_PREFIX, type HashName } from '../../../src/sign/packet.ts';

export const ACCOUNT = '123456789012';

export type KmsKeySpec = 'RSA_2048' | 'RSA_3072' | 'ECC_NIST_P256' | 'ECC_NIST_P384' | 'ECC_NIST_EDWARDS25519';

export interface TrustCondition {
  StringEquals?: Record<string, string | string[]>;
  StringLike?: Record<string, string | string[]>;
}

export interface AwsRole {
  /** Role name; the ARN is arn:aws:iam::ACCOUNT:role/<name>. */
  name: string;
  /** The trust policy's Condition for the GitHub OIDC provider. */
  condition: TrustCondition;
  /** Identity policy: action (kms:Sign, kms:GetPublicKey, secretsmanager:GetSecretValue) → resource ARNs or '*'. */
  allow: Record<string, string[]>;
  /** MaxSessionDuration (default 3600). */
  maxSessionSeconds?: number;
}

export interface AwsStandInOptions {
  region?: string;
  /** The OIDC provider registered in IAM: its issuer URL and client ID list (audiences). */
  oidcProvider: { url: string; clientIds: string[] };
  roles: AwsRole[];
  /** KMS keys: alias name (without alias/) → key spec. */
  keys?: Record<string, KmsKeySpec>;
  /** Secrets: name → SecretString. */
  secrets?: Record<string, string>;
  now?: () => number;
}

export interface AwsCall {
  service: 'sts' | 'kms' | 'secretsmanager';
  action: string;
  status: number;
  /** The access key id that signed it (never the secret). */
  accessKeyId?: string;
}

export interface IssuedCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  role: string;
  expiresAt: number;
  subject: string;
}

export interface AwsStandIn {
  url: string;
  region: string;
  calls: AwsCall[];
  issued: IssuedCredentials[];
  keyArn(alias: string): string;
  publicKey(alias: string): KeyObject;
  secretArn(name: string): string;
  roleArn(name: string): string;
  setLatency(ms: number): void;
  close(): Promise<void>;
}

class AwsFailure extends Error {
  status: number;
  code: string;
  constructor(status: number, code: string, message: string) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

const SIGNING: Record<string, { spec: string[]; hash: HashName | 'ed25519' }> = {
  RSASSA_PKCS1_V1_5_SHA_256: { spec: ['RSA_2048', 'RSA_3072'], hash: 'sha256' },
  RSASSA_PKCS1_V1_5_SHA_384: { spec: ['RSA_2048', 'RSA_3072'], hash: 'sha384' },
  RSASSA_PKCS1_V1_5_SHA_512: { spec: ['RSA_2048', 'RSA_3072'], hash: 'sha512' },
  ECDSA_SHA_256: { spec: ['ECC_NIST_P256'], hash: 'sha256' },
  ECDSA_SHA_384: { spec: ['ECC_NIST_P384'], hash: 'sha384' },
  ED25519_SHA_512: { spec: ['ECC_NIST_EDWARDS25519'], hash: 'ed25519' },
};
const HASH_LEN: Record<HashName, number> = { sha256: 32, sha384: 48, sha512: 64 };

function xmlEscape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** AWS IAM StringLike: `*` any run, `?` one character. */
function iamLike(pattern: string, value: string): boolean {
  const re = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${re}$`, 's').test(value);
}

function randomId(prefix: string, n: number, alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'): string {
  let out = prefix;
  for (const b of randomBytes(n)) out += alphabet[b % alphabet.length];
  return out;
}

function toFixed(v: bigint, len: number): Buffer {
  return Buffer.from(v.toString(16).padStart(len * 2, '0'), 'hex');
}
function derInt(b: Buffer): Buffer {
  let v = b;
  while (v.length > 1 && v[0] === 0 && !(v[1]! & 0x80)) v = v.subarray(1);
  if (v[0]! & 0x80) v = Buffer.concat([Buffer.from([0]), v]);
  return Buffer.concat([Buffer.from([2, v.length]), v]);
}

export async function startAwsStandIn(options: AwsStandInOptions): Promise<AwsStandIn> {
  const region = options.region ?? 'us-east-1';
  const now = options.now ?? Date.now;
  const calls: AwsCall[] = [];
  const issued: IssuedCredentials[] = [];
  const issuerHost = options.oidcProvider.url.replace(/^https?:\/\//, '').replace(/\/+$/, '');
  let latencyMs = 0;

  interface Key {
    id: string;
    arn: string;
    spec: KmsKeySpec;
    privateKey: KeyObject;
    publicKey: KeyObject;
  }
  const keys = new Map<string, Key>(); // alias → key
  for (const [alias, spec] of Object.entries(options.keys ?? {})) {
    const pair = spec.startsWith('RSA_')
      ? generateKeyPairSync('rsa', { modulusLength: Number(spec.slice(4)) })
      : spec === 'ECC_NIST_EDWARDS25519'
        ? generateKeyPairSync('ed25519')
        : generateKeyPairSync('ec', { namedCurve: spec === 'ECC_NIST_P256' ? 'prime256v1' : 'secp384r1' });
    const id = randomUUID();
    keys.set(alias, { id, arn: `arn:aws:kms:${region}:${ACCOUNT}:key/${id}`, spec, ...pair });
  }
  const secretArn = (name: string) => `arn:aws:secretsmanager:${region}:${ACCOUNT}:secret:${name}-AbCdEf`;
  const roleArn = (name: string) => `arn:aws:iam::${ACCOUNT}:role/${name}`;

  const findKey = (keyId: unknown): Key => {
    const v = typeof keyId === 'string' ? keyId : '';
    if (!v)
      throw new AwsFailure(
        400,
        'ValidationException',
        "1 validation error detected: Value null at 'keyId' failed to satisfy constraint: Member must not be null",
      );
    for (const [alias, k] of keys) {
      if ([k.id, k.arn, `alias/${alias}`, `arn:aws:kms:${region}:${ACCOUNT}:alias/${alias}`].includes(v)) return k;
    }
    if (v.startsWith('alias/') || v.includes(':alias/')) {
      throw new AwsFailure(
        400,
        'NotFoundException',
        `Alias ${v.startsWith('arn:') ? v : `arn:aws:kms:${region}:${ACCOUNT}:${v}`} is not found.`,
      );
    }
    throw new AwsFailure(
      400,
      'NotFoundException',
      `Key '${v.startsWith('arn:') ? v : `arn:aws:kms:${region}:${ACCOUNT}:key/${v}`}' does not exist`,
    );
  };

  // ---- JWT verification against the registered provider ----
  const jwksCache = new Map<string, KeyObject>();
  const verifyJwt = async (jwt: string): Promise<Record<string, unknown>> => {
    const parts = jwt.split('.');
    const bad = () =>
      new AwsFailure(
        400,
        'InvalidIdentityToken',
        "Couldn't retrieve verification key from your identity provider,  please reference AssumeRoleWithWebIdentity documentation for requirements",
      );
    if (parts.length !== 3)
      throw new AwsFailure(
        400,
        'InvalidIdentityToken',
        'The ID Token provided is not a valid JWT. (You may see this error if you sent an Access Token)',
      );
    let header: Record<string, unknown>;
    let claims: Record<string, unknown>;
    try {
      header = JSON.parse(Buffer.from(parts[0]!, 'base64url').toString('utf8'));
      claims = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8'));
    } catch {
      throw new AwsFailure(
        400,
        'InvalidIdentityToken',
        'The ID Token provided is not a valid JWT. (You may see this error if you sent an Access Token)',
      );
    }
    const iss = String(claims.iss ?? '').replace(/\/+$/, '');
    if (iss.replace(/^https?:\/\//, '') !== issuerHost) {
      throw new AwsFailure(
        400,
        'InvalidIdentityToken',
        `No OpenIDConnect provider found in your account for ${String(claims.iss)}`,
      );
    }
    const kid = String(header.kid ?? '');
    let key = jwksCache.get(kid);
    if (!key) {
      try {
        const disc = (await (await fetch(`${iss}/.well-known/openid-configuration`)).json()) as { jwks_uri: string };
        const jwks = (await (await fetch(disc.jwks_uri)).json()) as { keys: Record<string, unknown>[] };
        for (const k of jwks.keys)
          jwksCache.set(String(k.kid ?? ''), createPublicKey({ key: k as never, format: 'jwk' }));
      } catch {
        throw bad();
      }
      key = jwksCache.get(kid);
    }
    if (!key || header.alg !== 'RS256') throw bad();
    if (!cryptoVerify('sha256', Buffer.from(`${parts[0]}.${parts[1]}`), key, Buffer.from(parts[2]!, 'base64url'))) {
      throw new AwsFailure(400, 'InvalidIdentityToken', 'Token signature verification failed');
    }
    const exp = Number(claims.exp ?? 0);
    if (!exp || now() / 1000 > exp) {
      throw new AwsFailure(
        400,
        'ExpiredTokenException',
        `Token expired: current date/time ${Math.floor(now() / 1000)} must be before the expiration date/time ${exp}`,
      );
    }
    const aud = Array.isArray(claims.aud) ? claims.aud.map(String) : [String(claims.aud ?? '')];
    if (!aud.some((a) => options.oidcProvider.clientIds.includes(a))) {
      throw new AwsFailure(400, 'InvalidIdentityToken', 'Incorrect token audience');
    }
    return claims;
  };

  const trustAllows = (role: AwsRole, claims: Record<string, unknown>): boolean => {
    const value = (k: string) => {
      const name = k.slice(issuerHost.length + 1);
      const v = claims[name];
      return Array.isArray(v) ? v.map(String) : v === undefined ? [] : [String(v)];
    };
    for (const [op, entries] of Object.entries(role.condition) as [
      keyof TrustCondition,
      Record<string, string | string[]>,
    ][]) {
      for (const [k, expected] of Object.entries(entries ?? {})) {
        if (!k.startsWith(`${issuerHost}:`)) return false;
        const list = Array.isArray(expected) ? expected : [expected];
        const actual = value(k);
        const ok = actual.some((a) => list.some((e) => (op === 'StringEquals' ? a === e : iamLike(e, a))));
        if (!ok) return false;
      }
    }
    return true;
  };

  const sts = async (form: URLSearchParams): Promise<string> => {
    const action = form.get('Action');
    if (action !== 'AssumeRoleWithWebIdentity')
      throw new AwsFailure(
        400,
        'InvalidAction',
        `Could not find operation ${action} for version ${form.get('Version')}`,
      );
    if (form.get('Version') !== '2011-06-15')
      throw new AwsFailure(
        400,
        'InvalidAction',
        `Could not find operation ${action} for version ${form.get('Version')}`,
      );
    for (const p of ['RoleArn', 'RoleSessionName', 'WebIdentityToken']) {
      if (!form.get(p))
        throw new AwsFailure(
          400,
          'ValidationError',
          `1 validation error detected: Value null at '${p[0]!.toLowerCase()}${p.slice(1)}' failed to satisfy constraint: Member must not be null`,
        );
    }
    const sessionName = form.get('RoleSessionName')!;
    if (!/^[\w+=,.@-]{2,64}$/.test(sessionName)) {
      throw new AwsFailure(
        400,
        'ValidationError',
        `1 validation error detected: Value '${sessionName}' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*`,
      );
    }
    const claims = await verifyJwt(form.get('WebIdentityToken')!);
    const role = options.roles.find((r) => roleArn(r.name) === form.get('RoleArn'));
    if (!role || !trustAllows(role, claims))
      throw new AwsFailure(403, 'AccessDenied', 'Not authorized to perform sts:AssumeRoleWithWebIdentity');
    const duration = Number(form.get('DurationSeconds') ?? 3600);
    const max = role.maxSessionSeconds ?? 3600;
    if (!Number.isInteger(duration) || duration < 900) {
      throw new AwsFailure(
        400,
        'ValidationError',
        `1 validation error detected: Value '${form.get('DurationSeconds')}' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900`,
      );
    }
    if (duration > max) {
      throw new AwsFailure(
        400,
        'ValidationError',
        `The requested DurationSeconds exceeds the MaxSessionDuration set for this role.`,
      );
    }
    const cred: IssuedCredentials = {
      accessKeyId: randomId('ASIA', 16),
      secretAccessKey: randomBytes(30).toString('base64'),
      sessionToken: `IQoJb3JpZ2luX2Vj${randomBytes(96).toString('base64')}`,
      role: role.name,
      expiresAt: now() + duration * 1000,
      subject: String(claims.sub ?? ''),
    };
    issued.push(cred);
    const roleId = `AROA${randomId('', 17)}`;
    return [
      '<AssumeRoleWithWebIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">',
      '  <AssumeRoleWithWebIdentityResult>',
      `    <SubjectFromWebIdentityToken>${xmlEscape(cred.subject)}</SubjectFromWebIdentityToken>`,
      `    <Audience>${xmlEscape(String(Array.isArray(claims.aud) ? claims.aud[0] : claims.aud))}</Audience>`,
      '    <AssumedRoleUser>',
      `      <Arn>arn:aws:sts::${ACCOUNT}:assumed-role/${role.name}/${xmlEscape(sessionName)}</Arn>`,
      `      <AssumedRoleId>${roleId}:${xmlEscape(sessionName)}</AssumedRoleId>`,
      '    </AssumedRoleUser>',
      '    <Credentials>',
      `      <SessionToken>${xmlEscape(cred.sessionToken)}</SessionToken>`,
      `      <SecretAccessKey>${xmlEscape(cred.secretAccessKey)}</SecretAccessKey>`,
      `      <Expiration>${new Date(cred.expiresAt).toISOString()}</Expiration>`,
      `      <AccessKeyId>${cred.accessKeyId}</AccessKeyId>`,
      '    </Credentials>',
      `    <Provider>arn:aws:iam::${ACCOUNT}:oidc-provider/${xmlEscape(issuerHost)}</Provider>`,
      '  </AssumeRoleWithWebIdentityResult>',
      `  <ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata>`,
      '</AssumeRoleWithWebIdentityResponse>',
    ].join('\n');
  };

  // ---- SigV4-authenticated JSON 1.1 ----
  const authenticate = (
    req: http.IncomingMessage,
    body: string,
    service: string,
  ): { cred: IssuedCredentials; sessionArn: string } => {
    const auth = parseAuthorization(req.headers.authorization);
    if (!auth)
      throw new AwsFailure(
        400,
        'IncompleteSignatureException',
        `Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' parameter.`,
      );
    const cred = issued.find((c) => c.accessKeyId === auth.accessKeyId);
    if (!cred)
      throw new AwsFailure(
        400,
        'UnrecognizedClientException',
        'The security token included in the request is invalid.',
      );
    if (
      req.headers['x-amz-security-token'] !== cred.sessionToken ||
      !auth.signedHeaders.includes('x-amz-security-token')
    ) {
      throw new AwsFailure(
        400,
        'UnrecognizedClientException',
        'The security token included in the request is invalid.',
      );
    }
    if (now() > cred.expiresAt)
      throw new AwsFailure(400, 'ExpiredTokenException', 'The security token included in the request is expired');
    const when = String(req.headers['x-amz-date'] ?? '');
    const at = Date.parse(when.replace(/^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z$/, '$1-$2-$3T$4:$5:$6Z'));
    if (Number.isNaN(at) || when.slice(0, 8) !== auth.date)
      throw new AwsFailure(400, 'IncompleteSignatureException', "Date must be in ISO-8601 'basic format'.");
    if (Math.abs(now() - at) > 5 * 60 * 1000) {
      throw new AwsFailure(
        400,
        'InvalidSignatureException',
        `Signature expired: ${when} is now earlier than the allowed window.`,
      );
    }
    if (auth.region !== region || auth.service !== service) {
      throw new AwsFailure(
        400,
        'InvalidSignatureException',
        `Credential should be scoped to correct service: '${service}'. `,
      );
    }
    if (!auth.signedHeaders.includes('host'))
      throw new AwsFailure(
        400,
        'InvalidSignatureException',
        "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.",
      );
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers[k] = v;
    const canonical = canonicalRequest(
      { method: req.method ?? 'POST', url: `http://${req.headers.host}${req.url}`, headers, body },
      auth.signedHeaders,
    );
    const expected = signatureFor(
      canonical.text,
      when,
      `${auth.date}/${region}/${service}/aws4_request`,
      signingKey(cred.secretAccessKey, auth.date, region, service),
    );
    if (expected !== auth.signature) {
      throw new AwsFailure(
        400,
        'InvalidSignatureException',
        'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
      );
    }
    return { cred, sessionArn: `arn:aws:sts::${ACCOUNT}:assumed-role/${cred.role}/session` };
  };

  const allowed = (cred: IssuedCredentials, action: string, resource: string) => {
    const role = options.roles.find((r) => r.name === cred.role);
    const list = role?.allow[action] ?? [];
    return list.includes('*') || list.includes(resource);
  };
  const deny = (arn: string, action: string, resource: string) =>
    new AwsFailure(
      400,
      'AccessDeniedException',
      `User: ${arn} is not authorized to perform: ${action} on resource: ${resource} because no identity-based policy allows the ${action} action`,
    );

  const kms = (op: string, input: Record<string, unknown>, cred: IssuedCredentials, arn: string): unknown => {
    if (op === 'GetPublicKey') {
      const k = findKey(input.KeyId);
      if (!allowed(cred, 'kms:GetPublicKey', k.arn)) throw deny(arn, 'kms:GetPublicKey', k.arn);
      return {
        KeyId: k.arn,
        PublicKey: (k.publicKey.export({ format: 'der', type: 'spki' }) as Buffer).toString('base64'),
        CustomerMasterKeySpec: k.spec,
        KeySpec: k.spec,
        KeyUsage: 'SIGN_VERIFY',
        SigningAlgorithms: Object.entries(SIGNING)
          .filter(([, v]) => v.spec.includes(k.spec))
          .map(([n]) => n),
      };
    }
    if (op === 'Sign') {
      const k = findKey(input.KeyId);
      if (!allowed(cred, 'kms:Sign', k.arn)) throw deny(arn, 'kms:Sign', k.arn);
      const algo = String(input.SigningAlgorithm ?? '');
      const spec = SIGNING[algo];
      if (!spec)
        throw new AwsFailure(
          400,
          'ValidationException',
          `1 validation error detected: Value '${algo}' at 'signingAlgorithm' failed to satisfy constraint: Member must satisfy enum value set: [${Object.keys(SIGNING).join(', ')}]`,
        );
      if (!spec.spec.includes(k.spec))
        throw new AwsFailure(
          400,
          'InvalidKeyUsageException',
          `Algorithm ${algo} is incompatible with key spec ${k.spec}.`,
        );
      if (typeof input.Message !== 'string')
        throw new AwsFailure(
          400,
          'ValidationException',
          "1 validation error detected: Value null at 'message' failed to satisfy constraint: Member must not be null",
        );
      const message = Buffer.from(input.Message, 'base64');
      if (message.length === 0 || message.length > 4096)
        throw new AwsFailure(
          400,
          'ValidationException',
          "1 validation error detected: Value at 'message' failed to satisfy constraint: Member must have length less than or equal to 4096",
        );
      const type = String(input.MessageType ?? 'RAW');
      let sig: Buffer;
      if (spec.hash === 'ed25519') {
        if (type !== 'RAW')
          throw new AwsFailure(
            400,
            'ValidationException',
            `MessageType ${type} is not supported with signing algorithm ${algo}. Use MessageType RAW.`,
          );
        sig = cryptoSign(null, message, k.privateKey);
      } else {
        const hash = spec.hash;
        let digest: Buffer;
        if (type === 'DIGEST') {
          if (message.length !== HASH_LEN[hash])
            throw new AwsFailure(400, 'ValidationException', `Digest is invalid length for algorithm ${algo}.`);
          digest = message;
        } else if (type === 'RAW') digest = createHash(hash).update(message).digest();
        else
          throw new AwsFailure(
            400,
            'ValidationException',
            `1 validation error detected: Value '${type}' at 'messageType' failed to satisfy constraint: Member must satisfy enum value set: [DIGEST, RAW]`,
          );
        if (k.spec.startsWith('RSA')) {
          sig = privateEncrypt(
            { key: k.privateKey, padding: constants.RSA_PKCS1_PADDING },
            Buffer.concat([DIGEST_INFO_PREFIX[hash], digest]),
          );
        } else {
          const curve: EcCurveName = k.spec === 'ECC_NIST_P256' ? 'nistP256' : 'nistP384';
          const size = curve === 'nistP256' ? 32 : 48;
          const d = bytesToBigInt(Buffer.from(k.privateKey.export({ format: 'jwk' }).d!, 'base64url'));
          const { r, s } = ecdsaSignDigest(curve, d, digest, hash);
          const seq = Buffer.concat([derInt(toFixed(r, size)), derInt(toFixed(s, size))]);
          sig = Buffer.concat([Buffer.from([0x30, seq.length]), seq]);
        }
      }
      return { KeyId: k.arn, Signature: sig.toString('base64'), SigningAlgorithm: algo };
    }
    throw new AwsFailure(400, 'UnknownOperationException', '');
  };

  const secretsManager = (
    op: string,
    input: Record<string, unknown>,
    cred: IssuedCredentials,
    arn: string,
  ): unknown => {
    if (op !== 'GetSecretValue') throw new AwsFailure(400, 'UnknownOperationException', '');
    const id = typeof input.SecretId === 'string' ? input.SecretId : '';
    const name = Object.keys(options.secrets ?? {}).find((n) => n === id || secretArn(n) === id);
    const resource = name ? secretArn(name) : `arn:aws:secretsmanager:${region}:${ACCOUNT}:secret:${id}`;
    if (!allowed(cred, 'secretsmanager:GetSecretValue', resource))
      throw deny(arn, 'secretsmanager:GetSecretValue', resource);
    if (!name)
      throw new AwsFailure(400, 'ResourceNotFoundException', "Secrets Manager can't find the specified secret.");
    return {
      ARN: secretArn(name),
      Name: name,
      VersionId: '7b3c2f1e-0000-4000-8000-000000000001',
      SecretString: options.secrets![name],
      VersionStages: ['AWSCURRENT'],
      CreatedDate: 1767225600,
    };
  };

  const record = (c: AwsCall) => {
    calls.push(c);
    return c;
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= 1024 * 1024) chunks.push(c);
    });
    req.on('end', () => {
      void (async () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const target = String(req.headers['x-amz-target'] ?? '');
        const isJson = target !== '';
        const call = record({ service: 'sts', action: '', status: 0 });
        const reply = async (status: number, type: string, text: string, extra: Record<string, string> = {}) => {
          if (latencyMs > 0) await new Promise((r) => setTimeout(r, latencyMs));
          call.status = status;
          res.writeHead(status, {
            'content-type': type,
            'x-amzn-requestid': randomUUID(),
            'content-length': Buffer.byteLength(text),
            ...extra,
          });
          res.end(text);
        };
        try {
          if (size > 1024 * 1024) throw new AwsFailure(413, 'RequestEntityTooLarge', 'Request entity too large');
          if (!isJson) {
            const form = new URLSearchParams(req.method === 'POST' ? body : ((req.url ?? '').split('?')[1] ?? ''));
            call.action = form.get('Action') ?? '';
            await reply(200, 'text/xml', await sts(form));
            return;
          }
          const m = /^(TrentService|secretsmanager)\.(\w+)$/.exec(target);
          call.service = m?.[1] === 'TrentService' ? 'kms' : 'secretsmanager';
          call.action = m?.[2] ?? target;
          if (!m) throw new AwsFailure(400, 'UnknownOperationException', '');
          if (
            req.method !== 'POST' ||
            !String(req.headers['content-type'] ?? '').startsWith('application/x-amz-json-1.1')
          ) {
            throw new AwsFailure(400, 'SerializationException', 'Start of structure or map found where not expected.');
          }
          const { cred, sessionArn } = authenticate(req, body, call.service);
          call.accessKeyId = cred.accessKeyId;
          let input: Record<string, unknown>;
          try {
            input = JSON.parse(body || '{}') as Record<string, unknown>;
          } catch {
            throw new AwsFailure(400, 'SerializationException', 'Start of structure or map found where not expected.');
          }
          const out =
            call.service === 'kms'
              ? kms(m[2]!, input, cred, sessionArn)
              : secretsManager(m[2]!, input, cred, sessionArn);
          await reply(200, 'application/x-amz-json-1.1', JSON.stringify(out));
        } catch (e) {
          const f =
            e instanceof AwsFailure
              ? e
              : new AwsFailure(500, 'InternalFailure', 'We encountered an internal error. Please try again.');
          if (!isJson) {
            const xml = `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">\n  <Error>\n    <Type>${f.status >= 500 ? 'Receiver' : 'Sender'}</Type>\n    <Code>${f.code}</Code>\n    <Message>${xmlEscape(f.message)}</Message>\n  </Error>\n  <RequestId>${randomUUID()}</RequestId>\n</ErrorResponse>\n`;
            await reply(f.status, 'text/xml', xml);
          } else {
            await reply(
              f.status,
              'application/x-amz-json-1.1',
              JSON.stringify({ __type: f.code, message: f.message }),
              { 'x-amzn-errortype': f.code },
            );
          }
        }
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    region,
    calls,
    issued,
    keyArn: (alias) => keys.get(alias)!.arn,
    publicKey: (alias) => keys.get(alias)!.publicKey,
    secretArn,
    roleArn,
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
