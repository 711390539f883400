import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { foreignKey, type OidcIssuer, startOidcIssuer } from './oidc-issuer.ts';
import { githubVaultOptions, startVaultStandIn, type VaultStandIn, vaultGlob } from './vault.ts';

let issuer: OidcIssuer;
let vault: VaultStandIn;
let clock = Date.now();

interface Reply {
  status: number;
  body: Record<string, unknown> | null;
  text: string;
}

async function call(
  method: string,
  path: string,
  opts: { body?: unknown; token?: string; namespace?: string } = {},
): Promise<Reply> {
  const headers: Record<string, string> = {};
  if (opts.token) headers['x-vault-token'] = opts.token;
  if (opts.namespace) headers['x-vault-namespace'] = opts.namespace;
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${vault.url}/v1/${path}`, {
    method,
    headers,
    body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : null, text };
}

const jwtFor = (overrides: Record<string, unknown> = {}, audience = 'vault') =>
  issuer.sign({ ...issuer.claimsFor(audience), ...overrides });

async function login(role: string, jwt: string, opts: { mount?: string; namespace?: string } = {}) {
  return call('POST', `auth/${opts.mount ?? 'jwt'}/login`, { body: { role, jwt }, namespace: opts.namespace });
}

async function tokenFor(role = 'any-ref') {
  const r = await login(role, jwtFor());
  assert.equal(r.status, 200, r.text);
  return (r.body!.auth as { client_token: string }).client_token;
}

before(async () => {
  issuer = await startOidcIssuer({ owner: 'acme', repo: 'widgets' });
  vault = await startVaultStandIn({
    now: () => clock,
    auth: [
      {
        oidc_discovery_url: issuer.url,
        bound_issuer: issuer.url,
        roles: {
          'any-ref': {
            bound_audiences: ['vault', 'other'],
            bound_claims: { repository: 'acme/widgets' },
            user_claim: 'sub',
            claim_mappings: { repository: 'repository', ref: 'ref' },
            token_policies: ['reader'],
            token_ttl: 60,
          },
          'glob-main': {
            bound_audiences: ['vault'],
            bound_claims_type: 'glob',
            bound_claims: { sub: 'repo:acme/*:ref:refs/heads/main', ref: ['refs/heads/main', 'refs/tags/*'] },
            token_policies: ['reader'],
          },
          'string-main': {
            bound_audiences: ['vault'],
            bound_claims_type: 'string',
            bound_claims: { sub: 'repo:acme/*:ref:refs/heads/main' },
          },
          'needs-env': { bound_audiences: ['vault'], bound_claims: { environment: 'prod,staging' } },
          subject: { bound_audiences: ['vault'], bound_subject: 'repo:acme/widgets:ref:refs/heads/release' },
          'no-aud': { token_policies: ['reader'] },
          pointer: { bound_audiences: ['vault'], bound_claims: { '/nested/team': 'signers' } },
        },
      },
      {
        path: 'gh',
        namespace: 'team-a',
        jwks_url: issuer.jwksUrl,
        roles: { r: { bound_audiences: ['vault'], token_policies: ['ns-reader'] } },
      },
    ],
    kv: [
      { path: 'secret', secrets: { 'release/gpg': { private_key: 'k1', passphrase: 'p1' }, 'other/thing': { a: 1 } } },
      { path: 'kv', namespace: 'team-a', secrets: { 'signing/key': { private_key: 'nk' } } },
    ],
    policies: {
      reader: { 'secret/data/release/*': ['read'], 'secret/data/release/forbidden': ['deny'] },
      'ns-reader': { 'kv/data/+/key': ['read'] },
    },
  });
});

after(async () => {
  await vault.close();
  await issuer.close();
});

describe('vaultGlob (go-glob semantics)', () => {
  it('matches * across slashes and nothing else specially', () => {
    assert.ok(vaultGlob('repo:acme/*:ref:refs/heads/main', 'repo:acme/widgets:ref:refs/heads/main'));
    assert.ok(vaultGlob('*', 'anything/at/all'));
    assert.ok(vaultGlob('refs/tags/v*', 'refs/tags/v1.2.3'));
    assert.ok(vaultGlob('a*b*c', 'a-x-b-y-c'));
    assert.ok(!vaultGlob('a*b*c', 'a-x-c-y-b'));
    assert.ok(!vaultGlob('refs/heads/main', 'refs/heads/main2'));
    assert.ok(!vaultGlob('repo:acme/?', 'repo:acme/x'));
    assert.ok(vaultGlob('ab*ba', 'aba') === false);
  });
});

describe('JWT login', () => {
  it("returns Vault's login response shape", async () => {
    const r = await login('any-ref', jwtFor());
    assert.equal(r.status, 200, r.text);
    const body = r.body!;
    assert.deepEqual(Object.keys(body).sort(), [
      'auth',
      'data',
      'lease_duration',
      'lease_id',
      'mount_type',
      'renewable',
      'request_id',
      'warnings',
      'wrap_info',
    ]);
    assert.equal(body.lease_id, '');
    assert.equal(body.renewable, false);
    assert.equal(body.data, null);
    const auth = body.auth as Record<string, unknown>;
    assert.match(String(auth.client_token), /^hvs\.[A-Za-z0-9]{24}$/);
    assert.equal(typeof auth.accessor, 'string');
    assert.deepEqual(auth.policies, ['default', 'reader']);
    assert.deepEqual(auth.token_policies, ['default', 'reader']);
    assert.deepEqual(auth.metadata, { role: 'any-ref', repository: 'acme/widgets', ref: 'refs/heads/main' });
    assert.equal(auth.lease_duration, 60);
    assert.equal(auth.renewable, true);
    assert.equal(auth.token_type, 'service');
    assert.equal(auth.orphan, true);
    assert.match(String(auth.entity_id), /^[0-9a-f-]{36}$/);
  });

  it('caches the JWKS across logins', async () => {
    const before = vault.jwksFetches();
    await tokenFor();
    await tokenFor();
    assert.equal(vault.jwksFetches(), before);
    assert.ok(before >= 1);
  });

  const refusals: [string, () => Promise<Reply>, string][] = [
    ['missing role', () => login('', jwtFor()), 'missing role'],
    ['unknown role', () => login('ghost', jwtFor()), 'role "ghost" could not be found'],
    ['missing jwt', () => call('POST', 'auth/jwt/login', { body: { role: 'any-ref' } }), 'missing token'],
    [
      'wrong audience',
      () => login('any-ref', jwtFor({}, 'nope')),
      'error validating token: invalid audience (aud) claim: audience claim does not match any expected audience',
    ],
    [
      'aud present, none bound',
      () => login('no-aud', jwtFor()),
      'error validating token: audience claim found in JWT but no audiences bound to the role',
    ],
    [
      'bound claim mismatch',
      () => login('any-ref', jwtFor({ repository: 'acme/other' })),
      'error validating claims: claim "repository" does not match any associated bound claim values',
    ],
    [
      'glob pattern in string mode',
      () => login('string-main', jwtFor()),
      'error validating claims: claim "sub" does not match any associated bound claim values',
    ],
    [
      'missing bound claim',
      () => login('needs-env', jwtFor()),
      'error validating claims: claim "environment" is missing',
    ],
    [
      'environment not in comma list',
      () => login('needs-env', jwtFor({ environment: 'dev' })),
      'error validating claims: claim "environment" does not match any associated bound claim values',
    ],
    ['bound_subject', () => login('subject', jwtFor()), 'error validating token: invalid subject (sub) claim'],
    [
      'bound_issuer',
      () => login('any-ref', jwtFor({ iss: 'https://evil.example' })),
      'error validating token: invalid issuer (iss) claim',
    ],
    [
      'expired beyond leeway',
      () => login('any-ref', jwtFor({ exp: Math.floor(Date.now() / 1000) - 120 })),
      'error validating token: invalid expiration time (exp) claim: token is expired',
    ],
    [
      'not yet valid',
      () =>
        login(
          'any-ref',
          jwtFor({ nbf: Math.floor(Date.now() / 1000) + 600, iat: Math.floor(Date.now() / 1000) + 600 }),
        ),
      'error validating token: invalid not before (nbf) claim: token not yet valid',
    ],
    [
      'foreign signature',
      () => login('any-ref', issuer.sign(issuer.claimsFor('vault'), { key: foreignKey() })),
      'error validating token: error verifying token signature: failed to verify id token signature',
    ],
    ['user claim missing', () => login('any-ref', jwtFor({ sub: undefined })), 'claim "sub" not found in token'],
  ];
  for (const [name, attempt, message] of refusals) {
    it(`400 with Vault's message: ${name}`, async () => {
      const r = await attempt();
      assert.equal(r.status, 400, r.text);
      assert.deepEqual(r.body, { errors: [message] });
    });
  }

  it('glob bound claims: any list value may match', async () => {
    assert.equal((await login('glob-main', jwtFor())).status, 200);
    assert.equal(
      (await login('glob-main', jwtFor({ ref: 'refs/tags/v9', sub: 'repo:acme/x:ref:refs/heads/main' }))).status,
      200,
    );
    assert.equal((await login('glob-main', jwtFor({ ref: 'refs/heads/dev' }))).status, 400);
    assert.equal((await login('glob-main', jwtFor({ sub: 'repo:evil/widgets:ref:refs/heads/main' }))).status, 400);
  });

  it('a token within the clock skew leeway is accepted', async () => {
    assert.equal((await login('any-ref', jwtFor({ exp: Math.floor(Date.now() / 1000) - 30 }))).status, 200);
  });

  it('bound claims by JSON pointer', async () => {
    assert.equal((await login('pointer', jwtFor({ nested: { team: 'signers' } }))).status, 200);
    assert.equal((await login('pointer', jwtFor({ nested: { team: 'x' } }))).status, 400);
  });

  it('an unknown auth mount is 403 permission denied', async () => {
    const r = await login('any-ref', jwtFor(), { mount: 'nope' });
    assert.equal(r.status, 403);
    assert.deepEqual(r.body, { errors: ['permission denied'] });
  });

  it('role names are case-insensitive as in Vault', async () => {
    assert.equal((await login('ANY-REF', jwtFor())).status, 200);
  });
});

describe('KV v2 read', () => {
  it("returns data and metadata in Vault's shape, latest or a given version", async () => {
    const token = await tokenFor();
    const r = await call('GET', 'secret/data/release/gpg', { token });
    assert.equal(r.status, 200, r.text);
    const data = r.body!.data as { data: Record<string, unknown>; metadata: Record<string, unknown> };
    assert.deepEqual(data.data, { private_key: 'k1', passphrase: 'p1' });
    assert.deepEqual(Object.keys(data.metadata).sort(), [
      'created_time',
      'custom_metadata',
      'deletion_time',
      'destroyed',
      'version',
    ]);
    assert.equal(data.metadata.version, 1);
    assert.equal(r.body!.mount_type, 'kv');
    vault.putSecret('secret', 'release/gpg', { private_key: 'k2' });
    const v2 = await call('GET', 'secret/data/release/gpg', { token });
    assert.equal((v2.body!.data as { metadata: { version: number } }).metadata.version, 2);
    const v1 = await call('GET', 'secret/data/release/gpg?version=1', { token });
    assert.equal((v1.body!.data as { data: { private_key: string } }).data.private_key, 'k1');
  });

  it('404 {"errors":[]} for a missing secret the policy allows', async () => {
    const r = await call('GET', 'secret/data/release/none', { token: await tokenFor() });
    assert.equal(r.status, 404);
    assert.equal(r.text, '{"errors":[]}');
  });

  it("403 with Vault's multi-error text outside the policy, and for deny", async () => {
    const token = await tokenFor();
    for (const path of ['secret/data/other/thing', 'secret/data/release/forbidden']) {
      const r = await call('GET', path, { token });
      assert.equal(r.status, 403);
      assert.deepEqual(r.body, { errors: ['1 error occurred:\n\t* permission denied\n\n'] });
    }
  });

  it('403 permission denied without a token or with a bogus one', async () => {
    for (const token of [undefined, 'hvs.bogus']) {
      const r = await call('GET', 'secret/data/release/gpg', { token });
      assert.equal(r.status, 403);
      assert.deepEqual(r.body, { errors: ['permission denied'] });
    }
  });

  it('an unmounted path is 404 no handler for route (for a permitted token)', async () => {
    vault.setPolicy('wide', { '*': ['read'] });
    vault.setRole('wide', { bound_audiences: ['vault'], token_policies: ['wide'] });
    const token = await tokenFor('wide');
    const r = await call('GET', 'nomount/data/x', { token });
    assert.equal(r.status, 404);
    assert.deepEqual(r.body, { errors: ['no handler for route "nomount/data/x". route entry not found.'] });
  });
});

describe('tokens', () => {
  it('lookup-self shows the token; revoke-self (204) really kills it', async () => {
    const token = await tokenFor();
    const look = await call('GET', 'auth/token/lookup-self', { token });
    assert.equal(look.status, 200);
    const d = look.body!.data as Record<string, unknown>;
    assert.equal(d.id, token);
    assert.deepEqual(d.policies, ['default', 'reader']);
    assert.equal(d.path, 'auth/jwt/login');
    assert.equal(d.type, 'service');
    assert.ok(Number(d.ttl) <= 60 && Number(d.ttl) > 0);
    assert.equal(vault.isAlive(token), true);

    const rev = await call('POST', 'auth/token/revoke-self', { token });
    assert.equal(rev.status, 204);
    assert.equal(rev.text, '');
    assert.equal(vault.isAlive(token), false);
    const info = vault.tokens().find((t) => t.token === token)!;
    assert.equal(info.revoked, true);
    assert.equal(info.alive, false);
    assert.equal((await call('GET', 'secret/data/release/gpg', { token })).status, 403);
    assert.equal((await call('GET', 'auth/token/lookup-self', { token })).status, 403);
    assert.equal((await call('POST', 'auth/token/revoke-self', { token })).status, 403);
  });

  it('tokens expire after their TTL', async () => {
    const token = await tokenFor();
    assert.equal((await call('GET', 'secret/data/release/gpg', { token })).status, 200);
    clock += 61_000;
    try {
      assert.equal(vault.isAlive(token), false);
      assert.equal((await call('GET', 'secret/data/release/gpg', { token })).status, 403);
      const info = vault.tokens().find((t) => t.token === token)!;
      assert.equal(info.revoked, false);
      assert.equal(info.alive, false);
    } finally {
      clock = Date.now();
    }
  });
});

describe('namespaces', () => {
  it('X-Vault-Namespace selects namespaced mounts; the token works there, not in root', async () => {
    const r = await login('r', jwtFor(), { mount: 'gh', namespace: 'team-a' });
    assert.equal(r.status, 200, r.text);
    const token = (r.body!.auth as { client_token: string }).client_token;
    assert.equal(vault.tokens().find((t) => t.token === token)!.namespace, 'team-a');
    const read = await call('GET', 'kv/data/signing/key', { token, namespace: 'team-a' });
    assert.equal(read.status, 200);
    assert.equal((read.body!.data as { data: { private_key: string } }).data.private_key, 'nk');
    // same path through a namespace prefix in the URL
    assert.equal((await call('GET', 'team-a/kv/data/signing/key', { token })).status, 200);
    // not in root, and the namespaced mount is invisible from root
    assert.equal((await call('GET', 'secret/data/release/gpg', { token })).status, 403);
    assert.equal((await login('r', jwtFor(), { mount: 'gh' })).status, 403);
    assert.equal((await call('POST', 'auth/token/revoke-self', { token, namespace: 'team-a' })).status, 204);
    assert.equal(vault.isAlive(token), false);
  });
});

describe('fault injection and bookkeeping', () => {
  it('fails the next N matching requests with 503/500, then recovers', async () => {
    vault.failNext(2, { status: 503 });
    const a = await call('GET', 'sys/health');
    assert.equal(a.status, 503);
    assert.deepEqual(a.body, { errors: ['Vault is sealed'] });
    assert.equal((await call('GET', 'sys/health')).status, 503);
    assert.equal((await call('GET', 'sys/health')).status, 200);
    vault.failNext(1, { match: /login$/ });
    assert.equal((await call('GET', 'sys/health')).status, 200);
    assert.equal((await login('any-ref', jwtFor())).status, 500);
    assert.equal((await login('any-ref', jwtFor())).status, 200);
  });

  it('drops the connection', async () => {
    vault.failNext(1, { drop: true });
    await assert.rejects(fetch(`${vault.url}/v1/sys/health`));
    assert.equal((await call('GET', 'sys/health')).status, 200);
  });

  it('records requests without token values', async () => {
    const token = await tokenFor();
    await call('GET', 'secret/data/release/gpg', { token });
    const rec = vault.requests.at(-1)!;
    assert.deepEqual(rec, {
      method: 'GET',
      path: 'secret/data/release/gpg',
      namespace: '',
      status: 200,
      withToken: true,
    });
    assert.ok(!JSON.stringify(vault.requests).includes(token));
  });
});

describe('githubVaultOptions', () => {
  it('sets up a role, a read policy and the secret that the default issuer claims unlock', async () => {
    const gh = await startOidcIssuer();
    const v = await startVaultStandIn(githubVaultOptions({ issuerUrl: gh.url, fields: { private_key: 'k' } }));
    try {
      const jwt = gh.sign(gh.claimsFor('jit-gpg'));
      const r = await fetch(`${v.url}/v1/auth/jwt/login`, {
        method: 'POST',
        body: JSON.stringify({ role: 'jit-gpg', jwt }),
      });
      assert.equal(r.status, 200);
      const token = ((await r.json()) as { auth: { client_token: string } }).auth.client_token;
      const read = await fetch(`${v.url}/v1/secret/data/release/gpg`, { headers: { 'x-vault-token': token } });
      assert.equal(read.status, 200);
      const wrongRef = gh.sign({ ...gh.claimsFor('jit-gpg'), ref: 'refs/heads/dev' });
      const denied = await fetch(`${v.url}/v1/auth/jwt/login`, {
        method: 'POST',
        body: JSON.stringify({ role: 'jit-gpg', jwt: wrongRef }),
      });
      assert.equal(denied.status, 400);
    } finally {
      await v.close();
      await gh.close();
    }
  });

  it('refuses roles of type oidc at the JWT login endpoint', async () => {
    vault.setRole('browser', { role_type: 'oidc', bound_audiences: ['vault'] });
    const r = await login('browser', jwtFor());
    assert.deepEqual(r.body, { errors: ['role with oidc role_type is not allowed'] });
  });
});
