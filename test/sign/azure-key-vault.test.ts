import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type HttpClient, httpRequest } from '../../src/shared/http.ts';
import { loadSigningKey } from '../../src/sign/key.ts';
import { requestIdToken } from '../../src/sign/oidc.ts';
import { createAzureKeyVaultProvider } from '../../src/sign/providers/azure-key-vault.ts';
import { createAzureKeyVaultSecretProvider } from '../../src/sign/providers/azure-key-vault-secret.ts';
import { ProviderError } from '../../src/sign/providers/types.ts';
import { bindRemoteKey, remoteSigningKey } from '../../src/sign/remote.ts';
import { exportPublicKey } from '../../src/sign/remote-key.ts';
import { signFiles } from '../../src/sign/signer.ts';
import { type AzureStandIn, startAzureStandIn } from '../e2e/services/azure.ts';
import { type OidcIssuer, startOidcIssuer } from '../e2e/services/oidc-issuer.ts';
import { generateTlsFixture, hasOpenssl } from '../e2e/services/vault.ts';

const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const SIGNER = '11111111-2222-3333-4444-555555555555';
const TAGS_ONLY = '22222222-2222-3333-4444-555555555555';
const READER = '33333333-2222-3333-4444-555555555555';
const CREATED = new Date('2026-03-01T00:00:00Z');
const UID = 'Acme Release <release@acme.example>';
const noSleep = { sleep: async () => {}, baseMs: 1 };
const FIX = join(import.meta.dirname, '..', 'fixtures', 'keys');
const ED_KEY = readFileSync(join(FIX, 'ed25519-pw.sec.asc'), 'utf8');
const ED_PASS = 'test-only-ed25519-passphrase';
const openssl = hasOpenssl();
const sqVersion = spawnSync('sq', ['--version'], { encoding: 'utf8' }).stdout ?? '';

let issuer: OidcIssuer;
let azure: AzureStandIn;
let dir: string;
let ca: string;
const logs: string[] = [];
const masked = new Set<string>();

function allSecrets(): string[] {
  return [...issuer.issuedTokens, issuer.requestToken, ...azure.issuedTokens, ED_KEY.split('\n')[3]!, ED_PASS];
}
function assertNoSecret(text: string) {
  for (const s of allSecrets()) assert.ok(!text.includes(s), `secret leaked into: ${text.slice(0, 160)}`);
}

async function jwt(audience = 'api://AzureADTokenExchange') {
  return (await requestIdToken({ env: issuer.env(), audience })).token;
}

const common = (extra: Record<string, unknown> = {}) => ({
  clientId: SIGNER,
  tenantId: TENANT,
  env: { AZURE_AUTHORITY_HOST: azure.url },
  ca,
  retry: noSleep,
  log: (l: string) => logs.push(l),
  mask: (s: string) => masked.add(s),
  ...extra,
});

function kv(key: string, extra: Record<string, unknown> = {}) {
  return createAzureKeyVaultProvider({ key, ...common(extra) });
}

async function rejectsWith(promise: Promise<unknown>, code: string, re: RegExp): Promise<ProviderError> {
  try {
    await promise;
  } catch (e) {
    assert.ok(e instanceof ProviderError, String(e));
    assert.equal(e.code, code, e.message);
    assert.match(e.message, re);
    assertNoSecret(e.message);
    return e;
  }
  assert.fail('expected a ProviderError');
}

before(async () => {
  if (!openssl) return;
  dir = mkdtempSync(join(tmpdir(), 'jit-gpg-azure-'));
  const tls = generateTlsFixture(dir);
  ca = readFileSync(tls.caPath, 'utf8');
  issuer = await startOidcIssuer({ owner: 'acme', repo: 'widgets' });
  azure = await startAzureStandIn({
    tls,
    tenantId: TENANT,
    apps: [
      {
        clientId: SIGNER,
        federated: [{ issuer: issuer.url, subject: 'repo:acme/widgets:ref:refs/heads/main' }],
        roles: ['Key Vault Crypto User', 'Key Vault Secrets User'],
      },
      {
        clientId: TAGS_ONLY,
        federated: [{ issuer: issuer.url, subject: 'repo:acme/widgets:ref:refs/tags/v1' }],
        roles: ['Key Vault Crypto User'],
      },
      {
        clientId: READER,
        federated: [{ issuer: issuer.url, subject: 'repo:acme/widgets:ref:refs/heads/main' }],
        roles: ['Key Vault Reader'],
      },
    ],
    keys: { rsa2048: 'RSA_2048', rsa3072: 'RSA_3072', p256: 'P-256', p384: 'P-384' },
    secrets: {
      'release-gpg': JSON.stringify({ private_key: ED_KEY, passphrase: ED_PASS }),
      'release-plain': ED_KEY,
    },
  });
});

after(async () => {
  await azure?.close();
  await issuer?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  for (const l of logs) assertNoSecret(l);
});

describe('azure-key-vault: keys that never leave Key Vault', { skip: !openssl && 'openssl not available' }, () => {
  for (const name of ['rsa2048', 'rsa3072', 'p256', 'p384']) {
    it(`${name}: key export, then a signature verifies with gpg and sq; token masked; version pinned`, async () => {
      const s1 = await kv(azure.keyId(name, false)).connect(await jwt());
      assert.equal(
        s1.source,
        `azure-key-vault ${azure.keyId(name)}`,
        'the unversioned key id is pinned to its version',
      );
      const exported = await exportPublicKey(bindRemoteKey(s1, { created: CREATED }), UID);
      await s1.release();
      assert.equal(s1.released(), true);
      const s2 = await kv(azure.keyId(name)).connect(await jwt());
      const file = join(dir, `${name}.tgz`);
      writeFileSync(file, `artifact ${name}\n`);
      const before = azure.calls.filter((c) => c.what === 'sign').length;
      await signFiles({ key: await remoteSigningKey(s2, exported.armored), files: [file] });
      await s2.release();
      assert.equal(azure.calls.filter((c) => c.what === 'sign').length - before, 1);
      const home = join(dir, `gnupg-${name}`);
      mkdirSync(home, { mode: 0o700 });
      assert.equal(spawnSync('gpg', ['--batch', '--homedir', home, '--import'], { input: exported.armored }).status, 0);
      const v = spawnSync('gpg', ['--batch', '--homedir', home, '--verify', `${file}.asc`, file], { encoding: 'utf8' });
      assert.equal(v.status, 0, v.stderr);
      const certFile = join(dir, `${name}.pub.asc`);
      writeFileSync(certFile, exported.armored);
      const sqArgs = /^sq 0\./.test(sqVersion)
        ? ['verify', '--signer-cert', certFile, '--detached', `${file}.asc`, file]
        : ['verify', '--signer-file', certFile, '--signature-file', `${file}.asc`, file];
      const sq = spawnSync('sq', sqArgs, {
        encoding: 'utf8',
        env: { ...process.env, SEQUOIA_HOME: join(dir, `sq-${name}`) },
      });
      assert.equal(sq.status, 0, sq.stderr);
      for (const t of azure.issuedTokens) assert.ok(masked.has(t), 'every access token is masked');
      assert.equal(s2.identity, `${SIGNER}@${TENANT}`);
    });
  }

  it('20 files with 50 ms added to every answer sign in under 3 s; one sign call per file and nothing else', async (t) => {
    const s1 = await kv(azure.keyId('p256')).connect(await jwt());
    const exported = await exportPublicKey(bindRemoteKey(s1, { created: CREATED }), UID);
    await s1.release();
    const files = Array.from({ length: 20 }, (_, i) => join(dir, `lat-${i}.bin`));
    for (const f of files) writeFileSync(f, Buffer.alloc(32 * 1024, f.length));
    azure.setLatency(50);
    try {
      const started = performance.now();
      const session = await kv(azure.keyId('p256')).connect(await jwt());
      const callsBefore = azure.calls.length;
      await signFiles({ key: await remoteSigningKey(session, exported.armored), files });
      const elapsed = performance.now() - started;
      await session.release();
      const during = azure.calls.slice(callsBefore);
      assert.equal(during.length, 20);
      assert.ok(during.every((c) => c.what === 'sign' && c.status === 200));
      assert.ok(elapsed < 3000, `took ${Math.round(elapsed)} ms`);
      t.diagnostic(`measured: 20 files, 50 ms latency, ${Math.round(elapsed)} ms including login`);
    } finally {
      azure.setLatency(0);
    }
  });

  it('a key that does not match public-key is refused before any sign call', async () => {
    const s1 = await kv(azure.keyId('p256')).connect(await jwt());
    const exported = await exportPublicKey(bindRemoteKey(s1, { created: CREATED }), UID);
    const s2 = await kv(azure.keyId('rsa2048')).connect(await jwt());
    const before = azure.calls.filter((c) => c.what === 'sign').length;
    assert.throws(() => bindRemoteKey(s2, { publicKey: exported.armored }), /does not match public-key/);
    assert.equal(azure.calls.filter((c) => c.what === 'sign').length, before);
  });
});

describe('azure-key-vault: refusals say what to change', { skip: !openssl && 'openssl not available' }, () => {
  it('a federated credential for another subject (AADSTS70021): names issuer, subject and audience to set', async () => {
    const e = await rejectsWith(
      kv(azure.keyId('rsa2048'), { clientId: TAGS_ONLY }).connect(await jwt()),
      'claims-mismatch',
      /No federated identity credential on the app matches this token/,
    );
    assert.match(e.message, /Subject identifier is "repo:acme\/widgets:ref:refs\/heads\/main"/);
    assert.match(e.message, /Audience is "api:\/\/AzureADTokenExchange"/);
    assert.match(e.message, new RegExp(`Issuer is "${issuer.url.replace(/[.]/g, '\\.')}"`));
    assert.match(e.message, /sub: repo:acme\/widgets:ref:refs\/heads\/main/);
  });

  it('an audience the federated credential does not list', async () => {
    await rejectsWith(
      kv(azure.keyId('rsa2048')).connect(await jwt('jit-gpg')),
      'claims-mismatch',
      /Audience is "jit-gpg"/,
    );
  });

  it('an unknown app and an unknown tenant name the input', async () => {
    await rejectsWith(
      kv(azure.keyId('rsa2048'), { clientId: '99999999-2222-3333-4444-555555555555' }).connect(await jwt()),
      'config',
      /check azure-client-id and azure-tenant-id/,
    );
    await rejectsWith(
      kv(azure.keyId('rsa2048'), { tenantId: '00000000-0000-0000-0000-000000000000' }).connect(await jwt()),
      'config',
      /Check azure-tenant-id/,
    );
  });

  it('no sign permission (403 ForbiddenByRbac): names the RBAC role and the access policy permissions', async () => {
    const e = await rejectsWith(
      kv(azure.keyId('rsa2048'), { clientId: READER }).connect(await jwt()),
      'permission-denied',
      /"Key Vault Crypto User" role/,
    );
    assert.match(e.message, /key permissions Get and Sign/);
    assert.match(e.message, /ForbiddenByRbac/);
  });

  it('an unknown key or version is not-found', async () => {
    await rejectsWith(kv(`${azure.url}/keys/missing`).connect(await jwt()), 'not-found', /check key/);
    await rejectsWith(kv(`${azure.url}/keys/rsa2048/0123abcd`).connect(await jwt()), 'not-found', /KeyNotFound/);
  });

  it('an answer for another key or version (or no kid) is refused before any sign call', async () => {
    for (const kid of [
      azure.keyId('p256'),
      `${azure.url}/keys/rsa2048/other`,
      '',
      'https://evil.example/keys/rsa2048/1',
    ]) {
      const http: HttpClient = async (request) => {
        const res = await httpRequest(request);
        if (request.method !== 'GET' || !String(request.url).includes('/keys/')) return res;
        const body = JSON.parse(res.body) as { key: { kid: string } };
        body.key.kid = kid;
        return { ...res, body: JSON.stringify(body) };
      };
      await rejectsWith(kv(azure.keyId('rsa2048'), { http }).connect(await jwt()), 'bad-response', /another key/);
    }
  });

  it('a stand-in certificate from an untrusted CA fails closed as tls', async () => {
    await rejectsWith(kv(azure.keyId('rsa2048'), { ca: undefined }).connect(await jwt()), 'tls', /./);
  });

  it('missing, malformed or hostile inputs are refused before any network call, naming the input', () => {
    const http = async () => assert.fail('no request may be made');
    assert.throws(() => kv(azure.keyId('p256'), { clientId: '', http }), /azure-client-id is required/);
    assert.throws(() => kv(azure.keyId('p256'), { clientId: 'not-a-guid', http }), /azure-client-id "not-a-guid"/);
    assert.throws(() => kv(azure.keyId('p256'), { tenantId: '', http }), /azure-tenant-id is required/);
    assert.throws(() => kv(azure.keyId('p256'), { tenantId: 'a b', http }), /azure-tenant-id "a b"/);
    assert.throws(() => kv('', { http }), /key is required/);
    assert.throws(() => kv('https://evil.example.com/keys/k/1', { http }), /not a Key Vault host/);
    assert.throws(() => kv('https://v.vault.azure.net.evil.example/keys/k/1', { http }), /not a Key Vault host/);
    assert.throws(() => kv('http://v.vault.azure.net/keys/k/1', { http }), /allow-insecure-http/);
    assert.throws(() => kv('https://v.vault.azure.net/secrets/k/1', { http }), /must look like/);
    assert.throws(() => kv('https://v.vault.azure.net/keys/k/1?x=1', { http }), /query/);
    assert.throws(() => kv('https://u:p@v.vault.azure.net/keys/k/1', { http }), /user name or password/);
    assert.throws(
      () =>
        kv('https://v.vault.azure.net/keys/k/1', { env: { AZURE_AUTHORITY_HOST: 'http://login.example.com' }, http }),
      /allow-insecure-http/,
    );
    // a valid Key Vault URL in a sovereign cloud passes
    kv('https://v.vault.azure.cn/keys/k/0123', { http });
  });
});

describe('azure-key-vault-secret: a key store', { skip: !openssl && 'openssl not available' }, () => {
  const sm = (secret: string, extra: Record<string, unknown> = {}) =>
    createAzureKeyVaultSecretProvider({ secret, ...common(extra) });

  it('reads a JSON secret (key + passphrase) that unlocks; everything masked', async () => {
    const material = await sm(azure.secretId('release-gpg')).fetchKey(await jwt());
    assert.equal(material.passphrase, ED_PASS);
    assert.ok(masked.has(material.armoredKey) && masked.has(ED_PASS));
    const key = await loadSigningKey({ key: material.armoredKey, passphrase: material.passphrase! });
    assert.equal(key.algorithm, 'eddsaLegacy');
    key.destroy();
    assert.equal(material.source, `azure-key-vault-secret ${azure.secretId('release-gpg')}/v1`);
    assert.equal(material.metadata.version, 'v1');
    const plain = await sm(azure.secretId('release-plain')).fetchKey(await jwt());
    assert.equal(plain.passphrase, undefined);
    assert.match(plain.armoredKey, /BEGIN PGP PRIVATE KEY BLOCK/);
  });

  it('names the missing secret and the missing role', async () => {
    await rejectsWith(sm(azure.secretId('none')).fetchKey(await jwt()), 'not-found', /check secret/);
    await rejectsWith(
      sm(azure.secretId('release-gpg'), { clientId: READER }).fetchKey(await jwt()),
      'permission-denied',
      /"Key Vault Secrets User" role/,
    );
    assert.throws(() => sm(''), /secret is required/);
    assert.throws(() => sm('https://v.vault.azure.net/keys/k'), /must look like/);
  });
});
