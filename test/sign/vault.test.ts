import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { requestIdToken } from '../../src/sign/oidc.ts';
import { ProviderError } from '../../src/sign/providers/types.ts';
import {
  createVaultProvider,
  decodeKeyValue,
  loginErrorMessage,
  normalizeSecretPath,
  normalizeVaultUrl,
  revokeSessionState,
  revokeVaultToken,
  sessionFromState,
  sessionToState,
  type VaultProviderOptions,
  type VaultSession,
} from '../../src/sign/providers/vault.ts';
import { foreignKey, type OidcIssuer, startOidcIssuer } from '../e2e/services/oidc-issuer.ts';
import { generateTlsFixture, hasOpenssl, startVaultStandIn, type VaultStandIn } from '../e2e/services/vault.ts';

// A fake but format-valid armored block, assembled at run time so no scanner trips on the source.
const BLOCK = ['PGP', 'PRIVATE', 'KEY', 'BLOCK'].join(' ');
const FAKE_KEY = [
  `-----BEGIN ${BLOCK}-----`,
  '',
  'lFgEZfakeKEYmaterialONLYforTESTSxYzAbCdEfGhIjKlMnOpQrStUvWxYz0123',
  'ZmFrZWtleW1hdGVyaWFsZm9ydGVzdHNvbmx5bm90YXJlYWxrZXlhdGFsbDAxMjM0',
  '=AbCd',
  `-----END ${BLOCK}-----`,
  '',
].join('\n');
const PASSPHRASE = 'correct horse battery staple 42';
const NS_PASSPHRASE = 'namespaced passphrase 77';
const noSleep = { sleep: async () => {}, baseMs: 1 };

let issuer: OidcIssuer;
let vault: VaultStandIn;

/** Every secret a test saw; asserted absent from messages and log lines. */
const secrets = new Set<string>();
const logs: string[] = [];

function assertNoSecret(text: string) {
  for (const s of secrets) {
    for (const line of s.split('\n')) {
      if (line.trim().length >= 8) assert.ok(!text.includes(line.trim()), `secret leaked into: ${text.slice(0, 120)}`);
    }
  }
}

async function jwt(audience = 'jit-gpg'): Promise<string> {
  const { token } = await requestIdToken({ env: issuer.env(), audience });
  secrets.add(token);
  return token;
}

function provider(extra: Partial<VaultProviderOptions> = {}) {
  const masked: string[] = [];
  const sessions: VaultSession[] = [];
  const p = createVaultProvider({
    url: vault.url,
    role: 'release',
    secret: 'secret/data/release/gpg',
    retry: noSleep,
    log: (l) => logs.push(l),
    mask: (s) => {
      masked.push(s);
      secrets.add(s);
    },
    onSession: (s) => {
      sessions.push(s);
      secrets.add(s.token);
    },
    ...extra,
  });
  return { p, masked, sessions };
}

async function expectProviderError(promise: Promise<unknown>, code: string): Promise<ProviderError> {
  let caught: unknown;
  try {
    await promise;
  } catch (e) {
    caught = e;
  }
  assert.ok(caught instanceof ProviderError, `expected ProviderError, got ${String(caught)}`);
  assert.equal(caught.code, code, caught.message);
  assertNoSecret(caught.message);
  return caught;
}

before(async () => {
  secrets.add(FAKE_KEY);
  secrets.add(PASSPHRASE);
  secrets.add(NS_PASSPHRASE);
  issuer = await startOidcIssuer({ owner: 'acme', repo: 'widgets' });
  secrets.add(issuer.requestToken);
  vault = await startVaultStandIn({
    auth: [
      {
        path: 'jwt',
        oidc_discovery_url: issuer.url,
        bound_issuer: issuer.url,
        roles: {
          release: {
            bound_audiences: ['jit-gpg'],
            bound_claims_type: 'glob',
            bound_claims: { repository: 'acme/widgets', ref: ['refs/heads/main', 'refs/tags/v*'] },
            user_claim: 'repository',
            token_policies: ['gpg-read'],
            token_ttl: 120,
          },
          nopolicy: { bound_audiences: ['jit-gpg'], token_policies: ['unrelated'] },
        },
      },
      {
        path: 'github',
        namespace: 'team-a',
        jwks_url: issuer.jwksUrl,
        roles: { signer: { bound_audiences: ['https://vault.team-a'], token_policies: ['team-gpg'] } },
      },
    ],
    kv: [
      {
        path: 'secret',
        secrets: {
          'release/gpg': { private_key: FAKE_KEY, passphrase: PASSPHRASE },
          'release/nokey': { public_key: 'pub', comment: 'the key lives elsewhere' },
        },
      },
      {
        path: 'kv',
        namespace: 'team-a',
        secrets: {
          'signing/key': { gpg: Buffer.from(FAKE_KEY).toString('base64'), gpg_pass: NS_PASSPHRASE },
        },
      },
    ],
    policies: {
      'gpg-read': { 'secret/data/release/*': ['read'] },
      'team-gpg': { 'kv/data/signing/+': ['read'] },
    },
  });
});

after(async () => {
  await vault?.close();
  await issuer?.close();
  assertNoSecret(logs.join('\n'));
});

describe('vault provider: happy paths', () => {
  it('logs in, reads the key and passphrase, masks them, and revokes the token at once', async () => {
    const { p, masked, sessions } = provider();
    const key = await p.fetchKey(await jwt());
    assert.equal(key.armoredKey, FAKE_KEY);
    assert.equal(key.passphrase, PASSPHRASE);
    assert.equal(sessions.length, 1);
    const token = sessions[0]!.token;
    assert.match(token, /^hvs\./);
    assert.equal(sessions[0]!.url, vault.url);
    assert.ok(masked.includes(token), 'the Vault token is masked');
    assert.ok(masked.includes(FAKE_KEY) && masked.includes(PASSPHRASE));
    assert.ok(masked.indexOf(token) < masked.indexOf(FAKE_KEY), 'token masked before the key is read');
    assert.equal(vault.isAlive(token), false, 'token revoked right after the read');
    assert.equal(key.released(), true);
    await key.release(); // idempotent
    assert.equal(key.metadata.version, 1);
    assert.match(key.source, /^vault http:\/\/127\.0\.0\.1:\d+ secret\/data\/release\/gpg$/);
    const paths = vault.requests.slice(-3).map((r) => `${r.method} ${r.path} ${r.status}`);
    assert.deepEqual(paths, [
      'POST auth/jwt/login 200',
      'GET secret/data/release/gpg 200',
      'POST auth/token/revoke-self 204',
    ]);
  });

  it('works in a namespace, with a custom mount and fields, a base64-of-armored key and the CLI path form', async () => {
    const { p, sessions } = provider({
      role: 'signer',
      authMount: 'github',
      namespace: 'team-a',
      secret: 'kv/signing/key',
      keyField: 'gpg',
      passphraseField: 'gpg_pass',
    });
    const key = await p.fetchKey(await jwt('https://vault.team-a'));
    assert.equal(key.armoredKey, FAKE_KEY);
    assert.equal(key.passphrase, NS_PASSPHRASE);
    assert.equal(sessions[0]!.namespace, 'team-a');
    assert.equal(vault.isAlive(sessions[0]!.token), false);
    const last = vault.requests.at(-2)!;
    assert.equal(last.namespace, 'team-a');
    assert.equal(last.path, 'kv/data/signing/key');
  });

  it('accepts a tag ref through the glob bound claim', async () => {
    issuer.setClaims({ ref: 'refs/tags/v1.2.3' });
    try {
      const key = await provider().p.fetchKey(await jwt());
      assert.equal(key.passphrase, PASSPHRASE);
    } finally {
      issuer.setClaims({}, { replace: true });
    }
  });
});

describe('vault provider: refusals say what to change', () => {
  it('a repository mismatch prints the token claims beside the bound claim to change', async () => {
    issuer.setClaims({ repository: 'acme/other', sub: 'repo:acme/other:ref:refs/heads/main' });
    try {
      const e = await expectProviderError(provider().p.fetchKey(await jwt()), 'claims-mismatch');
      assert.equal(e.status, 400);
      assert.match(e.message, /claim "repository" does not match any associated bound claim values/);
      assert.match(e.message, /bound_claims\.repository/);
      assert.match(e.message, /role "release" on auth\/jwt/);
      assert.match(e.message, /sub: repo:acme\/other:ref:refs\/heads\/main/);
      assert.match(e.message, /repository: acme\/other/);
      assert.match(e.message, /aud: jit-gpg/);
      assert.match(e.message, /ref: refs\/heads\/main/);
      assert.match(e.message, /environment: \(absent\)/);
      assert.match(e.message, /job_workflow_ref: acme\/widgets\/\.github\/workflows\/release\.yml@refs\/heads\/main/);
    } finally {
      issuer.setClaims({}, { replace: true });
    }
  });

  it('a ref mismatch names the ref claim', async () => {
    issuer.setClaims({ ref: 'refs/heads/feature' });
    try {
      const e = await expectProviderError(provider().p.fetchKey(await jwt()), 'claims-mismatch');
      assert.match(e.message, /token's ref \(refs\/heads\/feature\)/);
    } finally {
      issuer.setClaims({}, { replace: true });
    }
  });

  it('a wrong audience says to add it to bound_audiences or change the audience input', async () => {
    const e = await expectProviderError(provider().p.fetchKey(await jwt('something-else')), 'claims-mismatch');
    assert.match(e.message, /invalid audience \(aud\) claim/);
    assert.match(e.message, /add "something-else" to the role's bound_audiences/);
    assert.match(e.message, /`audience` input/);
    assert.match(e.message, /aud: something-else/);
  });

  it('an unknown role names role and mount', async () => {
    const e = await expectProviderError(provider({ role: 'nope' }).p.fetchKey(await jwt()), 'role-not-found');
    assert.match(e.message, /role "nope" could not be found/);
    assert.match(e.message, /vault-role/);
    assert.match(e.message, /vault-auth-mount/);
  });

  it('an unknown auth mount (403) asks whether JWT auth is mounted there', async () => {
    const e = await expectProviderError(provider({ authMount: 'gh' }).p.fetchKey(await jwt()), 'login-failed');
    assert.equal(e.status, 403);
    assert.match(e.message, /auth\/gh/);
  });

  it('a token signed by another key fails signature verification', async () => {
    const forged = issuer.sign(issuer.claimsFor('jit-gpg'), { key: foreignKey() });
    secrets.add(forged);
    const e = await expectProviderError(provider().p.fetchKey(forged), 'login-failed');
    assert.match(e.message, /verify the token's signature/);
  });

  it('403 on the secret names the path and the policies, and still revokes the token', async () => {
    const { p, sessions } = provider({ role: 'nopolicy' });
    const e = await expectProviderError(p.fetchKey(await jwt()), 'permission-denied');
    assert.equal(e.status, 403);
    assert.match(e.message, /secret\/data\/release\/gpg/);
    assert.match(e.message, /\[default, unrelated\]/);
    assert.match(e.message, /capabilities = \["read"\]/);
    assert.equal(vault.isAlive(sessions[0]!.token), false);
  });

  it('404 names the path and explains data/', async () => {
    const { p, sessions } = provider({ secret: 'secret/release/missing' });
    const e = await expectProviderError(p.fetchKey(await jwt()), 'not-found');
    assert.match(e.message, /no secret at secret\/data\/release\/missing/);
    assert.match(e.message, /KV v2 paths need data\//);
    assert.match(e.message, /inserting data\/ after the mount "secret"/);
    assert.equal(vault.isAlive(sessions[0]!.token), false);
  });

  it('a missing key field lists the field names present, never their values', async () => {
    const e = await expectProviderError(
      provider({ secret: 'secret/data/release/nokey' }).p.fetchKey(await jwt()),
      'field-missing',
    );
    assert.match(e.message, /no field "private_key"/);
    assert.match(e.message, /fields present: comment, public_key/);
    assert.ok(!e.message.includes('the key lives elsewhere'));
  });
});

describe('vault provider: transient failures', () => {
  it('retries 503 with labelled lines, then succeeds', async () => {
    const lines: string[] = [];
    vault.failNext(2, { status: 503, match: /login$/ });
    const key = await provider({ log: (l) => lines.push(l) }).p.fetchKey(await jwt());
    assert.equal(key.passphrase, PASSPHRASE);
    const retries = lines.filter((l) => l.includes('attempt'));
    assert.equal(retries.length, 2);
    assert.match(retries[0]!, /^Vault login: attempt 1 of 5 failed: HTTP 503: Vault is sealed; retrying in \d+\.\d s$/);
    assert.match(retries[1]!, /^Vault login: attempt 2 of 5 failed/);
    logs.push(...lines);
  });

  it('retries a connection reset on the read', async () => {
    const lines: string[] = [];
    vault.failNext(1, { drop: true, match: /^secret\/data\// });
    const key = await provider({ log: (l) => lines.push(l) }).p.fetchKey(await jwt());
    assert.equal(key.armoredKey, FAKE_KEY);
    assert.match(lines.find((l) => l.includes('attempt'))!, /^Vault read: attempt 1 of 5 failed: .*(reset|ECONNRESET)/);
    logs.push(...lines);
  });

  it('gives up on a Vault that keeps failing, saying so', async () => {
    vault.failNext(100, { status: 500 });
    try {
      const e = await expectProviderError(
        provider({ retry: { ...noSleep, attempts: 3 } }).p.fetchKey(await jwt()),
        'unavailable',
      );
      assert.match(e.message, /HTTP 500/);
      assert.match(e.message, /gave up after 3 attempts/);
    } finally {
      vault.failNext(0);
    }
  });

  it('Vault down: connection refused, retried, then a clear error', async () => {
    const dead = await startVaultStandIn();
    const url = dead.url;
    await dead.close();
    const lines: string[] = [];
    const e = await expectProviderError(
      provider({ url, retry: { ...noSleep, attempts: 2 }, log: (l) => lines.push(l) }).p.fetchKey(await jwt()),
      'unavailable',
    );
    assert.match(e.message, /connection refused/);
    assert.equal(lines.filter((l) => /attempt 1 of 2 failed: connection refused/.test(l)).length, 1);
  });
});

describe('revoking from saved state', () => {
  it('revokes a live token (post step after a crashed main) and then reports it already invalid', async () => {
    // a main that logged in and died before revoking: keep the token alive by failing the revoke
    vault.failNext(100, { status: 500, match: /revoke-self$/ });
    const { p, sessions } = provider({ retry: { ...noSleep, attempts: 2 } });
    const key = await p.fetchKey(await jwt());
    vault.failNext(0);
    const session = sessions[0]!;
    assert.equal(key.released(), false);
    assert.equal(vault.isAlive(session.token), true);
    assert.ok(logs.some((l) => /could not revoke the Vault token/.test(l)));

    const state = sessionFromState(sessionToState(session))!; // as saved with core.saveState, read by post
    assert.deepEqual(state, session);
    assert.equal(await revokeVaultToken(state, { retry: noSleep }), 'revoked');
    assert.equal(vault.isAlive(session.token), false);
    assert.equal(vault.tokens().find((t) => t.token === session.token)?.revoked, true);
    assert.equal(await revokeVaultToken(state, { retry: noSleep }), 'already-invalid');
    assert.equal(await revokeSessionState(sessionToState(session), { retry: noSleep }), 'already-invalid');
    assert.equal(await revokeSessionState('', { retry: noSleep }), 'no-session');
    await key.release();
    assert.equal(key.released(), true);
  });
});

describe('saving the session fails', () => {
  it('revokes the token before giving up', async () => {
    let token = '';
    const { p } = provider({
      onSession: (s) => {
        token = s.token;
        secrets.add(s.token);
        throw new Error('cannot write GITHUB_STATE');
      },
    });
    await assert.rejects(p.fetchKey(await jwt()), /cannot write GITHUB_STATE/);
    assert.ok(token);
    assert.equal(vault.isAlive(token), false);
  });
});

describe('TLS with a private CA', () => {
  let dir = '';
  let tlsVault: VaultStandIn | undefined;
  let caPath = '';
  const openssl = hasOpenssl();
  before(async () => {
    if (!openssl) return;
    dir = mkdtempSync(join(tmpdir(), 'jit-gpg-tls-'));
    const tls = generateTlsFixture(dir);
    caPath = tls.caPath;
    tlsVault = await startVaultStandIn({
      tls: { cert: tls.cert, key: tls.key },
      auth: [{ jwks_url: issuer.jwksUrl, roles: { release: { bound_audiences: ['jit-gpg'], token_policies: ['r'] } } }],
      kv: [{ secrets: { 'release/gpg': { private_key: FAKE_KEY } } }],
      policies: { r: { 'secret/data/*': ['read'] } },
    });
  });
  after(async () => {
    await tlsVault?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('trusts the CA from vault-ca-cert and revokes the token over TLS', async (t) => {
    if (!openssl) return t.skip('openssl not available');
    const { p, sessions } = provider({ url: tlsVault!.url, caCertPath: caPath });
    const key = await p.fetchKey(await jwt());
    assert.equal(key.armoredKey, FAKE_KEY);
    assert.equal(key.passphrase, undefined);
    assert.equal(sessions[0]!.caCertPath, caPath);
    assert.equal(tlsVault!.isAlive(sessions[0]!.token), false);
  });

  it('without the CA, says to set vault-ca-cert (and does not retry)', async (t) => {
    if (!openssl) return t.skip('openssl not available');
    const before = tlsVault!.requests.length;
    const e = await expectProviderError(provider({ url: tlsVault!.url }).p.fetchKey(await jwt()), 'tls');
    assert.match(e.message, /did not verify/);
    assert.match(e.message, /vault-ca-cert/);
    assert.equal(tlsVault!.requests.length, before);
  });

  it('an unreadable CA file is a config error naming the path', async () => {
    const e = await expectProviderError(
      provider({ caCertPath: '/nonexistent/ca.pem' }).p.fetchKey(await jwt()),
      'config',
    );
    assert.match(e.message, /vault-ca-cert: the CA certificate \/nonexistent\/ca\.pem: not found/);
  });

  it('item 8: a CA path that is a FIFO, a directory or too large is refused at once, without its content', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jit-gpg-ca-'));
    try {
      const fifo = join(dir, 'ca.fifo');
      execFileSync('mkfifo', [fifo]);
      const big = join(dir, 'big.pem');
      writeFileSync(big, `-----BEGIN CERTIFICATE-----\nhunter2-${'A'.repeat(2 * 1024 * 1024)}\n`);
      const cases: [string, RegExp][] = [
        [fifo, /is a FIFO \(named pipe\), not a regular file/],
        [dir, /is a directory, not a regular file/],
        [big, /is larger than the 1 MiB limit/],
      ];
      for (const [path, pattern] of cases) {
        const started = Date.now();
        const e = await expectProviderError(provider({ caCertPath: path }).p.fetchKey(await jwt()), 'config');
        assert.match(e.message, pattern);
        assert.ok(!e.message.includes('hunter2'), 'no file content in the error');
        assert.ok(Date.now() - started < 5000, 'no hang');
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('pure helpers', () => {
  it('normalizes secret paths (documented: data/ inserted after a one-segment mount)', () => {
    assert.deepEqual(normalizeSecretPath('secret/data/release/gpg'), {
      apiPath: 'secret/data/release/gpg',
      inserted: false,
    });
    assert.deepEqual(normalizeSecretPath('/v1/secret/data/release/gpg/'), {
      apiPath: 'secret/data/release/gpg',
      inserted: false,
    });
    assert.deepEqual(normalizeSecretPath('secret/release/gpg'), { apiPath: 'secret/data/release/gpg', inserted: true });
    assert.throws(() => normalizeSecretPath('gpg'), ProviderError);
  });

  it('reads back saved state, and ignores empty or foreign state', () => {
    const s: VaultSession = { url: 'https://v:8200', token: 'hvs.x', namespace: 'ns', caCertPath: '/ca.pem' };
    assert.deepEqual(sessionFromState(sessionToState(s)), s);
    for (const bad of [undefined, '', '  ', 'not json', 'null', '{"url":"u"}', '{"url":1,"token":"t"}']) {
      assert.equal(sessionFromState(bad), undefined, String(bad));
    }
  });

  it('normalizes the Vault URL', () => {
    assert.equal(normalizeVaultUrl('https://vault.example.com:8200/'), 'https://vault.example.com:8200');
    assert.equal(normalizeVaultUrl('https://vault.example.com/v1/'), 'https://vault.example.com');
    assert.throws(() => normalizeVaultUrl('vault.example.com'), ProviderError);
    assert.throws(() => normalizeVaultUrl('ftp://vault'), ProviderError);
    assert.throws(
      () => normalizeVaultUrl('https://admin:hunter2pass@vault.example.com'),
      (e: Error) =>
        e instanceof ProviderError && /user name or password/.test(e.message) && !e.message.includes('hunter2pass'),
    );
  });

  it('item 3: refuses plain http to a host that is not loopback unless allowed, then warns', () => {
    const logs: string[] = [];
    const opts = { role: 'r', secret: 'secret/data/x', log: (m: string) => logs.push(m) };
    createVaultProvider({ ...opts, url: 'http://127.0.0.1:8200' });
    createVaultProvider({ ...opts, url: 'https://vault.example.com' });
    assert.deepEqual(logs, []);
    assert.throws(
      () => createVaultProvider({ ...opts, url: 'http://vault.example.com:8200' }),
      (e: Error) =>
        e instanceof ProviderError &&
        e.code === 'config' &&
        /plain http:\/\/ to vault\.example\.com:8200.*allow-insecure-http/.test(e.message),
    );
    assert.deepEqual(logs, []);
    createVaultProvider({ ...opts, url: 'http://vault.example.com:8200', allowInsecureHttp: true });
    assert.equal(logs.length, 1);
    assert.match(logs[0]!, /plain http to vault\.example\.com:8200.*unencrypted/);
  });

  it('item 3: a URL that does not parse is refused without echoing it', () => {
    assert.throws(
      () => normalizeVaultUrl('https://user:pa ss-hunter2@'),
      (e: Error) => e instanceof ProviderError && !e.message.includes('hunter2'),
    );
  });

  it('decodes armored, base64-of-armored and base64-of-binary keys; refuses anything else without echoing it', () => {
    assert.equal(decodeKeyValue(FAKE_KEY), FAKE_KEY);
    assert.equal(decodeKeyValue(`  ${FAKE_KEY.replace(/\n/g, '\r\n')}  `), FAKE_KEY);
    assert.equal(decodeKeyValue(FAKE_KEY.trim().replace(/\n/g, '\\n')), FAKE_KEY);
    const b64 = Buffer.from(FAKE_KEY).toString('base64');
    assert.equal(decodeKeyValue(b64.replace(/(.{60})/g, '$1\n')), FAKE_KEY);
    // new-format packet, tag 5 (secret key)
    const binary = Buffer.from([0xc5, 0x03, 0x04, 0x01, 0x02]);
    const armored = decodeKeyValue(binary.toString('base64'));
    assert.match(
      armored,
      new RegExp(`^-----BEGIN ${BLOCK}-----\n\nxQMEAQI=\n=[A-Za-z0-9+/]{4}\n-----END ${BLOCK}-----\n$`),
    );
    for (const bad of ['hunter2-not-a-key', Buffer.from('plain text secret').toString('base64')]) {
      assert.throws(
        () => decodeKeyValue(bad, 'gpg'),
        (e: unknown) =>
          e instanceof ProviderError && e.code === 'bad-key' && /"gpg"/.test(e.message) && !e.message.includes(bad),
      );
    }
  });
});

describe('loginErrorMessage', () => {
  const ctx = { role: 'r', mount: 'jwt', claims: { sub: 'repo:a/b:ref:refs/heads/main', aud: 'jit-gpg' } };
  it('maps each Vault refusal to a code and a fix', () => {
    const cases: [string, string, RegExp][] = [
      ['error validating token: invalid issuer (iss) claim', 'claims-mismatch', /bound_issuer/],
      ['error validating token: invalid subject (sub) claim', 'claims-mismatch', /bound_subject/],
      ['claim "email" not found in token', 'claims-mismatch', /user_claim of the role "r" on auth\/jwt is "email"/],
      ['error validating token: invalid expiration time (exp) claim: token is expired', 'login-failed', /clock/],
      ['error validating claims: claim "environment" is missing', 'claims-mismatch', /`environment:`/],
      ['missing role', 'login-failed', /Check the role "r"/],
    ];
    for (const [said, code, fix] of cases) {
      const out = loginErrorMessage(400, [said], ctx);
      assert.equal(out.code, code, said);
      assert.match(out.message, fix, said);
    }
  });
});
