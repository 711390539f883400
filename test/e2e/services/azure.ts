// An Azure stand-in for tests: the Microsoft Entra ID token endpoint and Key Vault keys and secrets REST on one
// 127.0.0.1 TLS port (Azure's clients insist on TLS; the certificate comes from a test CA made with openssl, see
// generateTlsFixture). Not Azure: it speaks, with the documented request and response shapes, only what a remote
// signer and a key store use:
//
//   GET  /{tenant}/v2.0/.well-known/openid-configuration (the tenant's discovery document, for MSAL)
//   POST /{tenant}/oauth2/v2.0/token  (form: client_id, scope, grant_type=client_credentials,
//        client_assertion_type=urn:ietf:params:oauth:client-assertion-type:jwt-bearer, client_assertion)
//     - the tenant and the app (client id) exist (AADSTS90002, AADSTS700016)
//     - the assertion JWT: RS256 signature against its issuer's JWKS (discovery), exp (AADSTS700024)
//     - a federated identity credential of the app with that issuer, subject and audience (AADSTS70021, naming the
//       assertion's issuer, subject and audience, as Entra does)
//     - scope https://vault.azure.net/.default (AADSTS70011)
//     answers {token_type: "Bearer", expires_in, ext_expires_in, access_token}; errors HTTP 400/401
//       {error, error_description: "AADSTSnnnn: …", error_codes: [nnnn], timestamp, trace_id, correlation_id}
//   Key Vault (api-version required), Authorization: Bearer <access token>; no or bad token: 401 with
//   WWW-Authenticate: Bearer authorization="…/{tenant}", resource="https://vault.azure.net"
//     GET  /keys/{name}[/{version}]  → {key: JWK (kid, kty RSA-HSM|EC-HSM, key_ops, n/e | crv/x/y), attributes}
//     POST /keys/{name}/{version}/sign {alg RS256|RS384|RS512|ES256|ES384, value: base64url digest} → {kid, value}
//       (ES*: raw r‖s; the digest length must match the algorithm; the alg must fit the key)
//     GET  /secrets/{name}[/{version}] → {value, id, attributes}
//   errors: {error: {code, message, innererror?}}: 403 Forbidden/ForbiddenByRbac without the RBAC role ("Key Vault
//   Crypto User" for keys get+sign, "Key Vault Secrets User" for secrets get), 404 KeyNotFound/SecretNotFound,
//   400 BadParameter.
import {
  constants,
  createPublicKey,
  createVerify,
  generateKeyPairSync,
  type KeyObject,
  privateEncrypt,
  randomBytes,
  randomUUID,
} from 'node:crypto';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { bigIntToBytes, bytesToBigInt, ecdsaSignDigest } from '../../../src/sign/key.ts';
import { DIGEST_INFO_PREFIX, type HashName } from '../../../src/sign/packet.ts';

export type AzureKeyType = 'RSA_2048' | 'RSA_3072' | 'P-256' | 'P-384';
export type AzureRole = 'Key Vault Crypto User' | 'Key Vault Secrets User' | 'Key Vault Reader';

export interface FederatedCredential {
  issuer: string;
  subject: string;
  audiences?: string[];
}

export interface AzureApp {
  clientId: string;
  federated: FederatedCredential[];
  roles: AzureRole[];
}

export interface AzureStandInOptions {
  tls: { cert: string; key: string };
  tenantId: string;
  apps: AzureApp[];
  /** Keys: name → type (one version each). */
  keys?: Record<string, AzureKeyType>;
  /** Secrets: name → value. */
  secrets?: Record<string, string>;
  now?: () => number;
}

export interface AzureCall {
  what: 'token' | 'get-key' | 'sign' | 'get-secret';
  status: number;
}

export interface AzureStandIn {
  /** https://127.0.0.1:PORT: AZURE_AUTHORITY_HOST and the vault URL. */
  url: string;
  keyId(name: string, withVersion?: boolean): string;
  secretId(name: string): string;
  /** Every access token handed out (secrets: tests assert they never reach a log). */
  issuedTokens: string[];
  calls: AzureCall[];
  /** Milliseconds added before every answer (a far-away service). */
  setLatency(ms: number): void;
  close(): Promise<void>;
}

interface Key {
  name: string;
  version: string;
  type: AzureKeyType;
  privateKey: KeyObject;
  publicJwk: Record<string, unknown>;
}

const ALG_HASH: Record<string, HashName> = {
  RS256: 'sha256',
  RS384: 'sha384',
  RS512: 'sha512',
  ES256: 'sha256',
  ES384: 'sha384',
};

class Failure extends Error {
  status: number;
  body: Record<string, unknown>;
  headers: Record<string, string>;
  constructor(status: number, body: Record<string, unknown>, headers: Record<string, string> = {}) {
    super(JSON.stringify(body));
    this.status = status;
    this.body = body;
    this.headers = headers;
  }
}

export async function startAzureStandIn(options: AzureStandInOptions): Promise<AzureStandIn> {
  const now = options.now ?? Date.now;
  const issuedTokens: string[] = [];
  const calls: AzureCall[] = [];
  const tokens = new Map<string, { app: AzureApp; expires: number }>();
  let url = '';

  const keys = new Map<string, Key>();
  for (const [name, type] of Object.entries(options.keys ?? {})) {
    const pair = type.startsWith('RSA')
      ? generateKeyPairSync('rsa', { modulusLength: type === 'RSA_2048' ? 2048 : 3072 })
      : generateKeyPairSync('ec', { namedCurve: type === 'P-256' ? 'prime256v1' : 'secp384r1' });
    const jwk = pair.publicKey.export({ format: 'jwk' }) as Record<string, unknown>;
    keys.set(name, {
      name,
      version: randomBytes(16).toString('hex'),
      type,
      privateKey: pair.privateKey,
      publicJwk: { ...jwk, kty: `${String(jwk.kty)}-HSM` },
    });
  }
  const keyId = (k: Key) => `${url}/keys/${k.name}/${k.version}`;

  const aadError = (status: number, error: string, code: number, text: string) => {
    const trace = randomUUID();
    const correlation = randomUUID();
    const timestamp = new Date(now())
      .toISOString()
      .replace('T', ' ')
      .replace(/\.\d+Z$/, 'Z');
    return new Failure(status, {
      error,
      error_description: `AADSTS${code}: ${text} Trace ID: ${trace} Correlation ID: ${correlation} Timestamp: ${timestamp}`,
      error_codes: [code],
      timestamp,
      trace_id: trace,
      correlation_id: correlation,
      error_uri: `https://login.microsoftonline.com/error?code=${code}`,
    });
  };

  const jwksCache = new Map<string, KeyObject>();
  const verifyAssertion = async (jwt: string): Promise<Record<string, unknown>> => {
    const parts = jwt.split('.');
    const malformed = () => aadError(400, 'invalid_request', 50027, 'JWT token is invalid or malformed.');
    if (parts.length !== 3) throw malformed();
    let header: Record<string, unknown>;
    let claims: Record<string, unknown>;
    try {
      header = JSON.parse(Buffer.from(parts[0]!, 'base64url').toString('utf8'));
      claims = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8'));
    } catch {
      throw malformed();
    }
    const iss = String(claims.iss ?? '').replace(/\/+$/, '');
    const kid = String(header.kid ?? '');
    if (!jwksCache.has(kid)) {
      try {
        const disc = (await (await fetch(`${iss}/.well-known/openid-configuration`)).json()) as { jwks_uri: string };
        const jwks = (await (await fetch(disc.jwks_uri)).json()) as { keys: Record<string, unknown>[] };
        for (const k of jwks.keys)
          jwksCache.set(String(k.kid ?? ''), createPublicKey({ key: k as never, format: 'jwk' }));
      } catch {
        throw aadError(
          400,
          'invalid_client',
          700211,
          `No matching federated identity record found for presented assertion issuer '${iss}'.`,
        );
      }
    }
    const key = jwksCache.get(kid);
    const verifier = createVerify('sha256').update(`${parts[0]}.${parts[1]}`);
    if (!key || header.alg !== 'RS256' || !verifier.verify(key, Buffer.from(parts[2]!, 'base64url')))
      throw aadError(401, 'invalid_client', 700212, 'The client assertion signature is invalid.');
    const exp = Number(claims.exp ?? 0);
    if (!exp || now() / 1000 > exp)
      throw aadError(400, 'invalid_client', 700024, 'Client assertion is not within its valid time range.');
    return claims;
  };

  const token = async (form: URLSearchParams, tenant: string) => {
    if (tenant !== options.tenantId)
      throw aadError(
        400,
        'invalid_request',
        90002,
        `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`,
      );
    if (form.get('grant_type') !== 'client_credentials')
      throw aadError(400, 'unsupported_grant_type', 70003, 'The app requested an unsupported grant type.');
    if (form.get('client_assertion_type') !== 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer')
      throw aadError(
        400,
        'invalid_request',
        900144,
        "The request body must contain the following parameter: 'client_assertion_type'.",
      );
    const clientId = form.get('client_id') ?? '';
    const app = options.apps.find((a) => a.clientId === clientId);
    if (!app)
      throw aadError(
        400,
        'unauthorized_client',
        700016,
        `Application with identifier '${clientId}' was not found in the directory '${options.tenantId}'.`,
      );
    const claims = await verifyAssertion(form.get('client_assertion') ?? '');
    const iss = String(claims.iss ?? '');
    const sub = String(claims.sub ?? '');
    const auds = Array.isArray(claims.aud) ? claims.aud.map(String) : [String(claims.aud ?? '')];
    const match = app.federated.some(
      (f) =>
        f.issuer === iss &&
        f.subject === sub &&
        auds.length === 1 &&
        (f.audiences ?? ['api://AzureADTokenExchange']).includes(auds[0]!),
    );
    if (!match)
      throw aadError(
        400,
        'invalid_request',
        70021,
        `No matching federated identity record found for presented assertion. Assertion Issuer: '${iss}'. ` +
          `Assertion Subject: '${sub}'. Assertion Audience: '${auds.join(',')}'. ` +
          'https://docs.microsoft.com/en-us/azure/active-directory/develop/workload-identity-federation',
      );
    if (form.get('scope') !== 'https://vault.azure.net/.default')
      throw aadError(400, 'invalid_scope', 70011, `The provided value for the input parameter 'scope' is not valid.`);
    const access = randomBytes(48).toString('base64url');
    issuedTokens.push(access);
    tokens.set(access, { app, expires: now() + 3600_000 });
    return { token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599, access_token: access };
  };

  const vaultError = (status: number, code: string, message: string, inner?: string) =>
    new Failure(status, { error: { code, message, ...(inner ? { innererror: { code: inner } } : {}) } });

  const authorize = (header: string | undefined, role: AzureRole, action: string, resource: string) => {
    const challenge = {
      'www-authenticate': `Bearer authorization="${url}/${options.tenantId}", resource="https://vault.azure.net"`,
    };
    const m = /^Bearer (\S+)$/.exec(header ?? '');
    if (!m)
      throw new Failure(
        401,
        { error: { code: 'Unauthorized', message: 'AKV10000: Request is missing a Bearer or PoP token.' } },
        challenge,
      );
    const t = tokens.get(m[1]!);
    if (!t || t.expires < now())
      throw new Failure(
        401,
        { error: { code: 'Unauthorized', message: 'AKV10022: Invalid audience or token.' } },
        challenge,
      );
    if (!t.app.roles.includes(role))
      throw vaultError(
        403,
        'Forbidden',
        `Caller is not authorized to perform action on resource.\r\nCaller: appid=${t.app.clientId}\r\n` +
          `Action: '${action}'\r\nResource: '${resource}'\r\nAssignment: (not found)\r\n`,
        'ForbiddenByRbac',
      );
  };

  const findKey = (name: string, version?: string) => {
    const k = keys.get(name);
    if (!k || (version && version !== k.version))
      throw vaultError(
        404,
        'KeyNotFound',
        `A key with (name/id) ${name}${version ? `/${version}` : ''} was not found in this key vault. If you recently deleted this key you may be able to recover it using the correct recovery command.`,
      );
    return k;
  };

  const signDigest = (k: Key, alg: string, value: string) => {
    const hash = ALG_HASH[alg];
    const rsa = k.type.startsWith('RSA');
    const fits = rsa
      ? alg.startsWith('RS')
      : (k.type === 'P-256' && alg === 'ES256') || (k.type === 'P-384' && alg === 'ES384');
    if (!hash || !fits) throw vaultError(400, 'BadParameter', `Invalid algorithm '${alg}' for key type.`);
    const digest = Buffer.from(value, 'base64url');
    const want = { sha256: 32, sha384: 48, sha512: 64 }[hash as 'sha256'];
    if (digest.length !== want)
      throw vaultError(
        400,
        'BadParameter',
        `Invalid length of 'value': ${digest.length} bytes. ${alg} requires ${want}.`,
      );
    if (rsa)
      return privateEncrypt(
        { key: k.privateKey, padding: constants.RSA_PKCS1_PADDING },
        Buffer.concat([DIGEST_INFO_PREFIX[hash], digest]),
      );
    const curve = k.type === 'P-256' ? 'nistP256' : 'nistP384';
    const size = k.type === 'P-256' ? 32 : 48;
    const d = bytesToBigInt(Buffer.from(String(k.privateKey.export({ format: 'jwk' }).d), 'base64url'));
    const { r, s } = ecdsaSignDigest(curve, d, digest, hash);
    return Buffer.concat([bigIntToBytes(r, size), bigIntToBytes(s, size)]);
  };

  const handle = async (
    req: import('node:http').IncomingMessage,
    body: string,
  ): Promise<[AzureCall['what'], unknown]> => {
    const u = new URL(req.url ?? '/', url);
    const parts = u.pathname.split('/').filter(Boolean);
    if (req.method === 'GET' && parts.length === 4 && parts[1] === 'v2.0' && parts[2] === '.well-known') {
      // OpenID discovery of the tenant, as MSAL (under @azure/identity) reads it before the token request
      const base = `${url}/${parts[0]}`;
      return [
        'token',
        {
          issuer: `${url}/${options.tenantId}/v2.0`,
          token_endpoint: `${base}/oauth2/v2.0/token`,
          authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
          end_session_endpoint: `${base}/oauth2/v2.0/logout`,
          jwks_uri: `${base}/discovery/v2.0/keys`,
          response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
          token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
        },
      ];
    }
    if (req.method === 'POST' && parts.length === 4 && parts[1] === 'oauth2' && parts[3] === 'token') {
      return ['token', await token(new URLSearchParams(body), decodeURIComponent(parts[0]!))];
    }
    // jit-gpg pins 7.4; Azure's current SDKs send dated versions (2025-07-01): same shapes for these calls
    if (!/^(7\.[0-6]|20\d\d-\d\d-\d\d)$/.test(u.searchParams.get('api-version') ?? ''))
      throw vaultError(400, 'BadParameter', "The 'api-version' query parameter is missing or not supported.");
    const auth = req.headers.authorization;
    if (parts[0] === 'keys' && req.method === 'GET' && (parts.length === 2 || parts.length === 3)) {
      authorize(auth, 'Key Vault Crypto User', 'Microsoft.KeyVault/vaults/keys/read', u.pathname);
      const k = findKey(parts[1]!, parts[2]);
      const created = Math.floor(now() / 1000) - 86400;
      return [
        'get-key',
        {
          key: { kid: keyId(k), key_ops: ['sign', 'verify'], ...k.publicJwk },
          attributes: {
            enabled: true,
            created,
            updated: created,
            recoveryLevel: 'Recoverable+Purgeable',
            exportable: false,
          },
        },
      ];
    }
    if (parts[0] === 'keys' && req.method === 'POST' && parts.length === 4 && parts[3] === 'sign') {
      authorize(auth, 'Key Vault Crypto User', 'Microsoft.KeyVault/vaults/keys/sign/action', u.pathname);
      const k = findKey(parts[1]!, parts[2]);
      let input: { alg?: unknown; value?: unknown };
      try {
        input = JSON.parse(body);
      } catch {
        throw vaultError(400, 'BadParameter', 'The request body is not valid JSON.');
      }
      if (typeof input.alg !== 'string' || typeof input.value !== 'string')
        throw vaultError(400, 'BadParameter', "Property 'alg' and 'value' are required.");
      return ['sign', { kid: keyId(k), value: signDigest(k, input.alg, input.value).toString('base64url') }];
    }
    if (parts[0] === 'secrets' && req.method === 'GET' && (parts.length === 2 || parts.length === 3)) {
      authorize(auth, 'Key Vault Secrets User', 'Microsoft.KeyVault/vaults/secrets/getSecret/action', u.pathname);
      const value = options.secrets?.[parts[1]!];
      if (value === undefined || (parts[2] && parts[2] !== 'v1'))
        throw vaultError(404, 'SecretNotFound', `A secret with (name/id) ${parts[1]} was not found in this key vault.`);
      const created = Math.floor(now() / 1000) - 3600;
      return [
        'get-secret',
        { value, id: `${url}/secrets/${parts[1]}/v1`, attributes: { enabled: true, created, updated: created } },
      ];
    }
    throw vaultError(400, 'BadParameter', 'Request URL is not supported.');
  };

  let latencyMs = 0;
  const server = https.createServer({ cert: options.tls.cert, key: options.tls.key }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      if (latencyMs > 0) await new Promise((r) => setTimeout(r, latencyMs));
      const body = Buffer.concat(chunks).toString('utf8');
      const what: AzureCall['what'] = req.url?.includes('/oauth2/')
        ? 'token'
        : req.url?.includes('/sign')
          ? 'sign'
          : req.url?.startsWith('/secrets')
            ? 'get-secret'
            : 'get-key';
      handle(req, body).then(
        ([w, out]) => {
          calls.push({ what: w, status: 200 });
          res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
          res.end(JSON.stringify(out));
        },
        (e: unknown) => {
          const f =
            e instanceof Failure ? e : new Failure(500, { error: { code: 'InternalError', message: String(e) } });
          calls.push({ what, status: f.status });
          res.writeHead(f.status, { 'content-type': 'application/json; charset=utf-8', ...f.headers });
          res.end(JSON.stringify(f.body));
        },
      );
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    keyId: (name, withVersion = true) => {
      const k = keys.get(name);
      return k && withVersion ? keyId(k) : `${url}/keys/${name}`;
    },
    secretId: (name) => `${url}/secrets/${name}`,
    issuedTokens,
    calls,
    setLatency: (ms) => {
      latencyMs = ms;
    },
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
