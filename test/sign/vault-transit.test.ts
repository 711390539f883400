import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { requestIdToken } from '../../src/sign/oidc.ts';
import { ProviderError } from '../../src/sign/providers/types.ts';
import { createVaultTransitProvider, type VaultTransitOptions } from '../../src/sign/providers/vault-transit.ts';
import { bindRemoteKey, remoteSigningKey } from '../../src/sign/remote.ts';
import { signFiles } from '../../src/sign/signer.ts';
import { exportPublicKey } from '../../src/sign/remote-key.ts';
import { type OidcIssuer, startOidcIssuer } from '../e2e/services/oidc-issuer.ts';
import { startVaultStandIn, type VaultStandIn } from '../e2e/services/vault.ts';

let issuer: OidcIssuer;
let vault: VaultStandIn;
let dir: string;
const secrets = new Set<string>();
const logs: string[] = [];
const noSleep = { sleep: async () => {}, baseMs: 1 };
const CREATED = new Date('2026-03-01T00:00:00Z');
const UID = 'Acme Release <release@acme.example>';

function assertNoSecret(text: string) {
  for (const s of secrets) assert.ok(!text.includes(s), `secret leaked into: ${text.slice(0, 160)}`);
}

async function jwt(audience = 'jit-gpg'): Promise<string> {
  const { token } = await requestIdToken({ env: issuer.env(), audience });
  secrets.add(token);
  return token;
}

function provider(extra: Partial<VaultTransitOptions> = {}) {
  return createVaultTransitProvider({
    url: vault.url,
    role: 'signer',
    key: 'release-ed25519',
    retry: noSleep,
    log: (l) => logs.push(l),
    mask: (s) => secrets.add(s),
    ...extra,
  });
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

const KEYS = {
  'release-rsa': 'rsa-2048',
  'release-p256': 'ecdsa-p256',
  'release-p384': 'ecdsa-p384',
  'release-ed25519': 'ed25519',
} as const;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'jit-gpg-transit-'));
  issuer = await startOidcIssuer({ owner: 'acme', repo: 'widgets' });
  secrets.add(issuer.requestToken);
  const signRules: Record<string, string[]> = {};
  for (const k of Object.keys(KEYS)) {
    signRules[`transit/sign/${k}`] = ['update'];
    signRules[`transit/keys/${k}`] = ['read'];
  }
  vault = await startVaultStandIn({
    auth: [
      {
        path: 'jwt',
        oidc_discovery_url: issuer.url,
        bound_issuer: issuer.url,
        roles: {
          signer: {
            bound_audiences: ['jit-gpg'],
            bound_claims_type: 'glob',
            bound_claims: { repository: 'acme/widgets', ref: 'refs/heads/main' },
            user_claim: 'repository',
            token_policies: ['transit-sign'],
            token_ttl: 120,
          },
          other: {
            bound_audiences: ['jit-gpg'],
            bound_claims: { repository: 'acme/other' },
            user_claim: 'repository',
            token_policies: ['transit-sign'],
          },
          readonly: { bound_audiences: ['jit-gpg'], user_claim: 'repository', token_policies: ['transit-read'] },
          signonly: { bound_audiences: ['jit-gpg'], user_claim: 'repository', token_policies: ['transit-signonly'] },
        },
      },
    ],
    transit: [{ path: 'transit', keys: { ...KEYS } }],
    policies: {
      'transit-sign': signRules,
      'transit-read': { 'transit/keys/release-ed25519': ['read'] },
      'transit-signonly': { 'transit/sign/release-ed25519': ['update'] },
    },
  });
});

after(async () => {
  await vault?.close();
  await issuer?.close();
  spawnSync('gpgconf', ['--homedir', join(dir, 'gnupg'), '--kill', 'all']);
  rmSync(dir, { recursive: true, force: true });
  for (const l of logs) assertNoSecret(l);
});

describe('vault-transit: keys that never leave Vault', () => {
  for (const name of Object.keys(KEYS)) {
    it(`${name}: key export, then signatures with the exported public key verify with gpg`, async () => {
      const engine = vault.transit.get('transit')!;
      const before = engine.signs.length;
      const s1 = await provider({ key: name }).connect(await jwt());
      const exported = await exportPublicKey(bindRemoteKey(s1, { created: CREATED }), UID);
      await s1.release();

      const s2 = await provider({ key: name }).connect(await jwt());
      const key = await remoteSigningKey(s2, exported.armored);
      const files = [join(dir, `${name}-1.txt`), join(dir, `${name}-2.txt`)];
      for (const f of files) writeFileSync(f, `artifact ${f}\n`);
      await signFiles({ key, files });
      await s2.release();
      assert.equal(s2.released(), true);
      assert.equal(engine.signs.length - before, 3, 'one call for the certification, one per file');

      const home = join(dir, `gnupg-${name}`);
      mkdirSync(home, { mode: 0o700 });
      assert.equal(spawnSync('gpg', ['--batch', '--homedir', home, '--import'], { input: exported.armored }).status, 0);
      for (const f of files) {
        const v = spawnSync('gpg', ['--batch', '--homedir', home, '--verify', `${f}.asc`, f], { encoding: 'utf8' });
        assert.equal(v.status, 0, v.stderr);
      }
      const calls = engine.signs.slice(before);
      for (const c of calls) {
        if (name === 'release-ed25519') assert.equal(c.prehashed, false, 'Ed25519 signs the digest as its message');
        else assert.equal(c.prehashed, true);
        if (name === 'release-rsa') assert.equal(c.signatureAlgorithm, 'pkcs1v15', "not Vault's PSS default");
        if (name === 'release-p384') assert.equal(c.hashAlgorithm, 'sha2-384');
      }
      // both tokens are revoked
      assert.equal(vault.tokens().filter((t) => t.alive).length, 0);
    });
  }

  it('a transit key that does not match public-key is refused before any sign call', async () => {
    const s1 = await provider({ key: 'release-p256' }).connect(await jwt());
    const exported = await exportPublicKey(bindRemoteKey(s1, { created: CREATED }), UID);
    await s1.release();
    const engine = vault.transit.get('transit')!;
    const before = engine.signs.length;
    const s2 = await provider({ key: 'release-ed25519' }).connect(await jwt());
    assert.throws(() => bindRemoteKey(s2, { publicKey: exported.armored }), /does not match public-key/);
    await s2.release();
    assert.equal(engine.signs.length, before);
    assert.throws(
      () => bindRemoteKey(s2, { publicKey: '-----BEGIN PGP SIGNATURE-----\n\nAAAA\n-----END PGP SIGNATURE-----\n' }),
      /not a PGP PUBLIC KEY BLOCK/,
    );
  });

  it('20 files with 50 ms added to every Vault answer sign in under 3 s, with exactly 20 sign calls', async () => {
    const s1 = await provider().connect(await jwt());
    const exported = await exportPublicKey(bindRemoteKey(s1, { created: CREATED }), UID);
    await s1.release();
    const files = Array.from({ length: 20 }, (_, i) => join(dir, `lat-${i}.bin`));
    for (const f of files) writeFileSync(f, Buffer.alloc(64 * 1024, f.length));
    const engine = vault.transit.get('transit')!;
    vault.setLatency(50);
    try {
      const started = performance.now();
      const session = await provider().connect(await jwt());
      const before = engine.signs.length;
      const requestsBefore = vault.requests.length;
      await signFiles({ key: await remoteSigningKey(session, exported.armored), files });
      await session.release();
      const elapsed = performance.now() - started;
      assert.equal(engine.signs.length - before, 20);
      assert.equal(vault.requests.length - requestsBefore, 21, '20 sign calls and the revoke; nothing else per file');
      assert.ok(elapsed < 3000, `took ${Math.round(elapsed)} ms`);
    } finally {
      vault.setLatency(0);
    }
  });
});

describe('vault-transit: refusals say what to change', () => {
  it('a role bound to other claims: lists the token claims', async () => {
    const e = await rejectsWith(provider({ role: 'other' }).connect(await jwt()), 'claims-mismatch', /repository/);
    assert.match(e.message, /acme\/widgets/);
  });

  it('no read on transit/keys/<k>: names the path and the capability, and revokes the token', async () => {
    await rejectsWith(
      provider({ role: 'signonly' }).connect(await jwt()),
      'permission-denied',
      /transit\/keys\/release-ed25519" \{ capabilities = \["read"\] \}/,
    );
    assert.equal(vault.tokens().filter((t) => t.alive).length, 0);
  });

  it('no update on transit/sign/<k>: names the path and the capability', async () => {
    const session = await provider({ role: 'readonly' }).connect(await jwt());
    const key = bindRemoteKey(session, { created: CREATED });
    await rejectsWith(
      exportPublicKey(key, UID),
      'permission-denied',
      /transit\/sign\/release-ed25519" \{ capabilities = \["update"\] \}/,
    );
    await session.release();
  });

  it('an absent key names key and vault-transit-mount', async () => {
    const session = provider({ role: 'signer', key: 'missing' }).connect(await jwt());
    await rejectsWith(session, 'permission-denied', /transit\/keys\/missing/);
    // with a policy that allows it, Vault answers 404
    vault.setPolicy('transit-sign', { 'transit/*': ['read', 'update'] });
    try {
      await rejectsWith(provider({ key: 'missing' }).connect(await jwt()), 'not-found', /vault-transit-mount/);
      await rejectsWith(
        provider({ key: 'release-rsa', transitMount: 'transit2' }).connect(await jwt()),
        'permission-denied',
        /transit2\/keys\/release-rsa/,
      );
    } finally {
      const rules: Record<string, string[]> = {};
      for (const k of Object.keys(KEYS)) {
        rules[`transit/sign/${k}`] = ['update'];
        rules[`transit/keys/${k}`] = ['read'];
      }
      vault.setPolicy('transit-sign', rules);
    }
  });

  it('missing or unsafe inputs are refused before any network call, naming the input', () => {
    const http = async () => assert.fail('no request may be made');
    assert.throws(() => provider({ role: ' ', http }), /vault-role is required/);
    assert.throws(() => provider({ key: '', http }), /key \(the transit key name\) is required/);
    assert.throws(() => provider({ key: '../sys/raw', http }), /key "..\/sys\/raw"/);
    assert.throws(() => provider({ key: 'a/b', http }), /without "\/"/);
    assert.throws(() => provider({ transitMount: 'x?y', http }), /vault-transit-mount/);
    assert.throws(() => provider({ url: 'http://vault.example.com:8200', http }), /allow-insecure-http/);
    assert.doesNotThrow(() => provider({ url: 'http://vault.example.com:8200', allowInsecureHttp: true, http }));
  });

  it('a forged answer (another key version, no vault: prefix) is refused', async () => {
    const session = await provider({
      http: async (req) => {
        const { httpRequest } = await import('../../src/shared/http.ts');
        const res = await httpRequest(req);
        if (String(req.url).includes('/transit/sign/')) {
          return { ...res, body: res.body.replace('vault:v1:', 'vault:v2:') };
        }
        return res;
      },
    }).connect(await jwt());
    await rejectsWith(
      exportPublicKey(bindRemoteKey(session, { created: CREATED }), UID),
      'bad-response',
      /key version 2/,
    );
    await session.release();
  });
});
