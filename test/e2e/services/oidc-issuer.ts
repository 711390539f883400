// A local stand-in for GitHub's Actions OIDC issuer (token.actions.githubusercontent.com) and for the runner's
// token request endpoint, on 127.0.0.1 with a random port.
//
//   GET /.well-known/openid-configuration   discovery document (issuer, jwks_uri, RS256)
//   GET /.well-known/jwks                   {"keys":[{kty:"RSA",kid,alg:"RS256",use:"sig",n,e}]}
//   GET /token?api-version=2.0&audience=…   Authorization: Bearer <request token> -> {"count":N,"value":"<jwt>"}
//                                           401 on a wrong/missing bearer; aud = the requested audience
//                                           (default https://github.com/OWNER, as GitHub does)
//
// Tokens carry GitHub-shaped claims (sub in the ref, environment or immutable form), live 5 minutes, and can be
// overridden per test. `failNext(n)` makes the next n token requests answer 500 (or drop the connection).
import { generateKeyPairSync, type KeyObject, randomBytes, sign } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface OidcIssuerOptions {
  owner?: string;
  repo?: string;
  ownerId?: number;
  repoId?: number;
  /** Git ref the job runs for (default refs/heads/main). */
  ref?: string;
  /** When set, the job "deploys to" this environment: claim `environment` and sub `…:environment:NAME`. */
  environment?: string;
  /** Use the immutable sub form repo:OWNER@ID/REPO@ID:… (repositories created after 2026-07-15). */
  immutableSub?: boolean;
  /** Claims to add or override in every token (undefined removes a claim). */
  claims?: Record<string, unknown>;
  /** Token lifetime in seconds (default 300, as GitHub). */
  ttlSeconds?: number;
  /** The runner's request token (default: random). */
  requestToken?: string;
}

export interface OidcIssuer {
  /** Issuer URL (the `iss` claim), e.g. http://127.0.0.1:PORT */
  url: string;
  jwksUrl: string;
  /** What the runner puts in ACTIONS_ID_TOKEN_REQUEST_URL: …/token?api-version=2.0 */
  requestUrl: string;
  /** What the runner puts in ACTIONS_ID_TOKEN_REQUEST_TOKEN (secret). */
  requestToken: string;
  /** Every JWT handed out, in order (secrets: tests assert they never reach a log). */
  issuedTokens: string[];
  /** Token endpoint requests seen (including failed ones). */
  requests: { audience: string | null; authorized: boolean; status: number }[];
  /** Both runner variables, ready to merge into a job's environment. */
  env(): Record<'ACTIONS_ID_TOKEN_REQUEST_URL' | 'ACTIONS_ID_TOKEN_REQUEST_TOKEN', string>;
  /** Claims for a token with the given audience (what the token endpoint would sign). */
  claimsFor(audience: string): Record<string, unknown>;
  /** Signs arbitrary claims with the issuer key (or another key, to test signature checks). */
  sign(claims: Record<string, unknown>, opts?: { key?: KeyObject; kid?: string }): string;
  /** Replace or extend the claim overrides for later tokens. */
  setClaims(overrides: Record<string, unknown>, opts?: { replace?: boolean }): void;
  /** The next n token requests fail: HTTP `status` (default 500) or a dropped connection. */
  failNext(n: number, mode?: { status?: number; drop?: boolean }): void;
  close(): Promise<void>;
}

function b64url(data: Buffer | string): string {
  return Buffer.from(data).toString('base64url');
}

export async function startOidcIssuer(options: OidcIssuerOptions = {}): Promise<OidcIssuer> {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = randomBytes(8).toString('hex');
  const jwk = { ...(publicKey.export({ format: 'jwk' }) as Record<string, unknown>), kid, alg: 'RS256', use: 'sig' };
  const requestToken = options.requestToken ?? randomBytes(24).toString('base64url');
  const owner = options.owner ?? 'octo-org';
  const repo = options.repo ?? 'release-app';
  const ownerId = options.ownerId ?? 5_100_001;
  const repoId = options.repoId ?? 7_200_002;
  const ttl = options.ttlSeconds ?? 300;
  let overrides: Record<string, unknown> = { ...options.claims };
  let failures = 0;
  let failMode: { status?: number; drop?: boolean } = {};
  let count = 0;
  const issuedTokens: string[] = [];
  const requests: OidcIssuer['requests'] = [];
  let url = '';

  const signJwt = (claims: Record<string, unknown>, opts: { key?: KeyObject; kid?: string } = {}): string => {
    const header = b64url(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid: opts.kid ?? kid, x5t: kid }));
    const payload = b64url(JSON.stringify(claims));
    const sig = sign('sha256', Buffer.from(`${header}.${payload}`), opts.key ?? privateKey);
    return `${header}.${payload}.${b64url(sig)}`;
  };

  const claimsFor = (audience: string): Record<string, unknown> => {
    const now = Math.floor(Date.now() / 1000);
    const ref = (overrides.ref as string | undefined) ?? options.ref ?? 'refs/heads/main';
    const environment =
      'environment' in overrides ? (overrides.environment as string | undefined) : options.environment;
    const repository = `${owner}/${repo}`;
    const subject = options.immutableSub ? `repo:${owner}@${ownerId}/${repo}@${repoId}` : `repo:${repository}`;
    const sub = environment ? `${subject}:environment:${environment}` : `${subject}:ref:${ref}`;
    const workflowRef = `${repository}/.github/workflows/release.yml@${ref}`;
    const base: Record<string, unknown> = {
      jti: randomBytes(16).toString('hex'),
      sub,
      aud: audience,
      ref,
      sha: 'a3f1c0de5b7e9d2f4c6a8b0e1d3f5a7c9e2b4d6f',
      repository,
      repository_owner: owner,
      repository_owner_id: String(ownerId),
      run_id: '16001234567',
      run_number: '42',
      run_attempt: '1',
      repository_visibility: 'private',
      repository_id: String(repoId),
      actor_id: '1234567',
      actor: 'release-bot',
      workflow: 'release',
      head_ref: '',
      base_ref: '',
      event_name: 'push',
      ref_protected: 'true',
      ref_type: ref.startsWith('refs/tags/') ? 'tag' : 'branch',
      workflow_ref: workflowRef,
      workflow_sha: 'a3f1c0de5b7e9d2f4c6a8b0e1d3f5a7c9e2b4d6f',
      job_workflow_ref: workflowRef,
      job_workflow_sha: 'a3f1c0de5b7e9d2f4c6a8b0e1d3f5a7c9e2b4d6f',
      runner_environment: 'github-hosted',
      iss: url,
      nbf: now - 5,
      exp: now + ttl,
      iat: now,
    };
    if (environment) base.environment = environment;
    for (const [k, v] of Object.entries(overrides)) {
      if (v === undefined) delete base[k];
      else base[k] = v;
    }
    return base;
  };

  const json = (res: http.ServerResponse, status: number, body: unknown) => {
    const text = JSON.stringify(body);
    res.writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(text),
    });
    res.end(text);
  };

  const server = http.createServer((req, res) => {
    const u = new URL(req.url ?? '/', url);
    if (req.method === 'GET' && u.pathname === '/.well-known/openid-configuration') {
      return json(res, 200, {
        issuer: url,
        jwks_uri: `${url}/.well-known/jwks`,
        subject_types_supported: ['public', 'pairwise'],
        response_types_supported: ['id_token'],
        claims_supported: ['sub', 'aud', 'exp', 'iat', 'iss', 'jti', 'nbf', 'ref', 'repository', 'repository_id'],
        id_token_signing_alg_values_supported: ['RS256'],
        scopes_supported: ['openid'],
      });
    }
    if (req.method === 'GET' && u.pathname === '/.well-known/jwks') return json(res, 200, { keys: [jwk] });
    if (req.method === 'GET' && u.pathname === '/token') {
      const audience = u.searchParams.get('audience');
      const authorized = req.headers.authorization === `Bearer ${requestToken}`;
      if (failures > 0) {
        failures--;
        if (failMode.drop) {
          requests.push({ audience, authorized, status: 0 });
          req.socket.destroy();
          return;
        }
        const status = failMode.status ?? 500;
        requests.push({ audience, authorized, status });
        return json(res, status, { message: 'Internal Server Error' });
      }
      if (!authorized) {
        requests.push({ audience, authorized, status: 401 });
        return json(res, 401, { message: 'Bad credentials' });
      }
      const token = signJwt(claimsFor(audience ?? `https://github.com/${owner}`));
      issuedTokens.push(token);
      requests.push({ audience, authorized, status: 200 });
      return json(res, 200, { count: ++count, value: token });
    }
    json(res, 404, { message: 'Not Found' });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    jwksUrl: `${url}/.well-known/jwks`,
    requestUrl: `${url}/token?api-version=2.0`,
    requestToken,
    issuedTokens,
    requests,
    env: () => ({
      ACTIONS_ID_TOKEN_REQUEST_URL: `${url}/token?api-version=2.0`,
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: requestToken,
    }),
    claimsFor,
    sign: signJwt,
    setClaims(next, opts = {}) {
      overrides = opts.replace ? { ...next } : { ...overrides, ...next };
    },
    failNext(n, mode = {}) {
      failures = n;
      failMode = mode;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A fresh RSA private key that the issuer does not publish (for signature-failure tests). */
export function foreignKey(): KeyObject {
  return generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
}
