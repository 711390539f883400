import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadSigningKey } from '../../src/sign/key.ts';
import { requestIdToken } from '../../src/sign/oidc.ts';
import { crc32c, gcpDefaultAudience } from '../../src/sign/providers/gcp.ts';
import { createGcpKmsProvider } from '../../src/sign/providers/gcp-kms.ts';
import { createGcpSecretManagerProvider } from '../../src/sign/providers/gcp-secret-manager.ts';
import { defaultAudience } from '../../src/sign/providers/select.ts';
import { ProviderError } from '../../src/sign/providers/types.ts';
import { bindRemoteKey, remoteSigningKey } from '../../src/sign/remote.ts';
import { exportPublicKey } from '../../src/sign/remote-key.ts';
import { signFiles } from '../../src/sign/signer.ts';
import { type GcpStandIn, startGcpStandIn } from '../e2e/services/gcp.ts';
import { type OidcIssuer, startOidcIssuer } from '../e2e/services/oidc-issuer.ts';

let issuer: OidcIssuer;
let gcp: GcpStandIn;
let dir: string;
const logs: string[] = [];
const masked = new Set<string>();
const CREATED = new Date('2026-03-01T00:00:00Z');
const UID = 'Acme Release <release@acme.example>';
const noSleep = { sleep: async () => {}, baseMs: 1 };
const FIX = join(import.meta.dirname, '..', 'fixtures', 'keys');
const ED_KEY = readFileSync(join(FIX, 'ed25519-pw.sec.asc'), 'utf8');
const ED_PASS = 'test-only-ed25519-passphrase';
const SIGNER = 'release-signer@acme-release.iam.gserviceaccount.com';
const OTHER_SA = 'other@acme-release.iam.gserviceaccount.com';
const sqVersion = spawnSync('sq', ['--version'], { encoding: 'utf8' }).stdout ?? '';

function allSecrets(): string[] {
  return [...issuer.issuedTokens, issuer.requestToken, ...gcp.issuedTokens, ED_KEY.split('\n')[3]!, ED_PASS];
}
function assertNoSecret(text: string) {
  for (const s of allSecrets()) assert.ok(!text.includes(s), `secret leaked into: ${text.slice(0, 160)}`);
}

async function jwt(audience = gcpDefaultAudience(gcp.providerResource)) {
  return (await requestIdToken({ env: issuer.env(), audience })).token;
}

function kms(key: string, extra: Partial<Parameters<typeof createGcpKmsProvider>[0]> = {}) {
  return createGcpKmsProvider({
    key,
    workloadIdentityProvider: gcp.providerResource,
    serviceAccount: SIGNER,
    env: gcp.env(),
    retry: noSleep,
    log: (l) => logs.push(l),
    mask: (s) => masked.add(s),
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

function sqVerify(pub: string, sig: string, file: string) {
  const args = /^sq 0\./.test(sqVersion)
    ? ['verify', '--signer-cert', pub, '--detached', sig, file]
    : ['verify', '--signer-file', pub, '--signature-file', sig, file];
  return spawnSync('sq', args, { encoding: 'utf8', env: { ...process.env, SEQUOIA_HOME: join(dir, 'sq-home') } });
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'jit-gpg-gcp-'));
  issuer = await startOidcIssuer({ owner: 'acme', repo: 'widgets' });
  gcp = await startGcpStandIn({
    issuer: issuer.url,
    attributeCondition: { repository: 'acme/widgets', ref: 'refs/heads/main' },
    serviceAccounts: { [SIGNER]: { repository: 'acme/widgets' }, [OTHER_SA]: { repository: 'acme/other' } },
    grants: {
      [SIGNER]: [
        'cloudkms.cryptoKeyVersions.viewPublicKey',
        'cloudkms.cryptoKeyVersions.useToSign',
        'secretmanager.versions.access',
      ],
      principalSet: ['cloudkms.cryptoKeyVersions.viewPublicKey'],
    },
    keys: {
      rsa2048: 'RSA_SIGN_PKCS1_2048_SHA256',
      rsa3072: 'RSA_SIGN_PKCS1_3072_SHA256',
      p256: 'EC_SIGN_P256_SHA256',
      p384: 'EC_SIGN_P384_SHA384',
      ed: 'EC_SIGN_ED25519',
      k1: 'EC_SIGN_SECP256K1_SHA256',
    },
    secrets: {
      gpg: JSON.stringify({ private_key: ED_KEY, passphrase: ED_PASS }),
      plain: ED_KEY,
      'other-field': JSON.stringify({ key: ED_KEY }),
    },
  });
});

after(async () => {
  await gcp?.close();
  await issuer?.close();
  rmSync(dir, { recursive: true, force: true });
  for (const l of logs) assertNoSecret(l);
});

describe('gcp-kms: keys that never leave Cloud KMS', () => {
  for (const [name, hash] of [
    ['rsa2048', 'SHA256'],
    ['rsa3072', 'SHA256'],
    ['p256', 'SHA256'],
    ['p384', 'SHA384'],
    ['ed', 'SHA256'],
  ] as const) {
    it(`${name}: key export, then signatures with the exported key verify with gpg and sq; tokens masked`, async () => {
      const s1 = await kms(gcp.keyVersion(name)).connect(await jwt());
      const exported = await exportPublicKey(bindRemoteKey(s1, { created: CREATED }), UID);
      await s1.release();
      assert.equal(s1.released(), true);
      const s2 = await kms(gcp.keyVersion(name)).connect(await jwt());
      const file = join(dir, `${name}.tgz`);
      writeFileSync(file, `artifact ${name}\n`);
      const before = gcp.calls.filter((c) => c.method === 'asymmetricSign').length;
      await signFiles({ key: await remoteSigningKey(s2, exported.armored), files: [file] });
      await s2.release();
      assert.equal(gcp.calls.filter((c) => c.method === 'asymmetricSign').length - before, 1);
      const home = join(dir, `gnupg-${name}`);
      mkdirSync(home, { mode: 0o700 });
      assert.equal(spawnSync('gpg', ['--batch', '--homedir', home, '--import'], { input: exported.armored }).status, 0);
      const v = spawnSync('gpg', ['--batch', '--status-fd', '1', '--homedir', home, '--verify', `${file}.asc`, file], {
        encoding: 'utf8',
      });
      assert.equal(v.status, 0, v.stderr);
      // the hash follows the key's algorithm (P-384 → SHA-384); VALIDSIG's 8th field is the hash algorithm id
      const hashId = /VALIDSIG (?:\S+ ){7}(\d+)/.exec(v.stdout)?.[1];
      assert.equal(hashId, { SHA256: '8', SHA384: '9' }[hash]);
      const pub = join(dir, `${name}.pub.asc`);
      writeFileSync(pub, exported.armored);
      const sq = sqVerify(pub, `${file}.asc`, file);
      assert.equal(sq.status, 0, sq.stderr);
      assert.equal(s2.identity, SIGNER);
      for (const t of gcp.issuedTokens) assert.ok(masked.has(t), 'every Google access token is masked');
    });
  }

  it('impersonation asks for the shortest token lifetime (300s)', () => {
    const asked = gcp.calls.filter((c) => c.method === 'generateAccessToken' && c.status === 200);
    assert.ok(asked.length > 0);
    assert.ok(asked.every((c) => c.lifetime === '300s'));
  });

  it('without a service account the federated token itself calls KMS (and its identity is the principal)', async () => {
    const session = await kms(gcp.keyVersion('p256'), { serviceAccount: '' }).connect(await jwt());
    assert.match(
      session.identity ?? '',
      /^principal:\/\/iam\.googleapis\.com\/projects\/\d+\/.*\/subject\/repo:acme\/widgets/,
    );
    // the principalSet may read the public key but not sign
    await rejectsWith(
      exportPublicKey(bindRemoteKey(session, { created: CREATED }), UID),
      'permission-denied',
      /cloudkms\.cryptoKeyVersions\.useToSign on projects\/acme-release\/.*cryptoKeys\/p256\/cryptoKeyVersions\/1 to principal:/,
    );
  });

  it('a Cloud KMS key that does not match public-key is refused before any asymmetricSign call', async () => {
    const s1 = await kms(gcp.keyVersion('p256')).connect(await jwt());
    const exported = await exportPublicKey(bindRemoteKey(s1, { created: CREATED }), UID);
    const s2 = await kms(gcp.keyVersion('rsa2048')).connect(await jwt());
    const before = gcp.calls.filter((c) => c.method === 'asymmetricSign').length;
    assert.throws(() => bindRemoteKey(s2, { publicKey: exported.armored }), /does not match public-key/);
    assert.equal(gcp.calls.filter((c) => c.method === 'asymmetricSign').length, before);
  });

  it('a wrong signatureCrc32c or an unconfirmed request checksum fails the signature', async () => {
    const session = await kms(gcp.keyVersion('p256')).connect(await jwt());
    const key = bindRemoteKey(session, { created: CREATED });
    try {
      gcp.corrupt('signature-crc');
      await rejectsWith(exportPublicKey(key, UID), 'bad-response', /signatureCrc32c does not match/);
      gcp.corrupt('unverified');
      await rejectsWith(exportPublicKey(key, UID), 'bad-response', /did not confirm the request checksum/);
    } finally {
      gcp.corrupt('none');
    }
  });

  it('an algorithm OpenPGP cannot use here (secp256k1) is refused naming the supported ones', async () => {
    await rejectsWith(
      kms(gcp.keyVersion('k1')).connect(await jwt()),
      'bad-key',
      /EC_SIGN_SECP256K1_SHA256.*EC_SIGN_P256_SHA256/,
    );
  });

  it('20 files with 50 ms added to every Google answer sign in under 3 s; one asymmetricSign per file and nothing else', async (t) => {
    const s1 = await kms(gcp.keyVersion('ed')).connect(await jwt());
    const exported = await exportPublicKey(bindRemoteKey(s1, { created: CREATED }), UID);
    const files = Array.from({ length: 20 }, (_, i) => join(dir, `lat-${i}.bin`));
    for (const f of files) writeFileSync(f, Buffer.alloc(32 * 1024, f.length));
    gcp.setLatency(50);
    try {
      const started = performance.now();
      const session = await kms(gcp.keyVersion('ed')).connect(await jwt());
      const callsBefore = gcp.calls.length;
      await signFiles({ key: await remoteSigningKey(session, exported.armored), files });
      const elapsed = performance.now() - started;
      const during = gcp.calls.slice(callsBefore);
      assert.equal(during.length, 20);
      assert.ok(during.every((c) => c.method === 'asymmetricSign' && c.status === 200));
      assert.ok(elapsed < 3000, `took ${Math.round(elapsed)} ms`);
      t.diagnostic(`measured: 20 files, 50 ms latency, ${Math.round(elapsed)} ms including login`);
    } finally {
      gcp.setLatency(0);
    }
  });

  it('crc32c is CRC-32C (Castagnoli): the RFC 3720 check value', () => {
    assert.equal(crc32c(Buffer.from('123456789')), 0xe3069283);
    assert.equal(crc32c(Buffer.alloc(32)), 0x8a9136aa);
  });
});

describe('gcp-kms: refusals say what to change', () => {
  it('an attribute condition that refuses the token: lists the claims and names the condition', async () => {
    issuer.setClaims({ ref: 'refs/heads/feature' });
    try {
      const e = await rejectsWith(
        kms(gcp.keyVersion('rsa2048')).connect(await jwt()),
        'claims-mismatch',
        /attribute condition/,
      );
      assert.match(e.message, /ref: refs\/heads\/feature/);
      assert.match(e.message, /repository: acme\/widgets/);
      assert.match(e.message, /assertion\.repository == 'OWNER\/REPO'/);
    } finally {
      issuer.setClaims({}, { replace: true });
    }
  });

  it('an audience the provider does not allow: names the default audience', async () => {
    const e = await rejectsWith(
      kms(gcp.keyVersion('rsa2048')).connect(await jwt('jit-gpg')),
      'claims-mismatch',
      /audience/,
    );
    assert.ok(e.message.includes(`https://iam.googleapis.com/${gcp.providerResource}`));
  });

  it('a workload identity provider that does not exist names the input', async () => {
    const wip = gcp.providerResource.replace(/providers\/.*/, 'providers/nope-nope');
    await rejectsWith(
      kms(gcp.keyVersion('rsa2048'), { workloadIdentityProvider: wip }).connect(await jwt()),
      'config',
      /Check gcp-workload-identity-provider/,
    );
  });

  it('a service account the repository may not impersonate: names the binding to add', async () => {
    await rejectsWith(
      kms(gcp.keyVersion('rsa2048'), { serviceAccount: OTHER_SA }).connect(await jwt()),
      'claims-mismatch',
      /roles\/iam\.workloadIdentityUser .*attribute\.repository\/acme\/widgets/,
    );
  });

  it('an unknown key version is not-found', async () => {
    await rejectsWith(
      kms(gcp.keyVersion('missing')).connect(await jwt()),
      'not-found',
      /cryptoKeys\/missing\/cryptoKeyVersions\/1 does not exist/,
    );
  });

  it('missing or malformed inputs are refused before any network call, naming the input', () => {
    const http = async () => assert.fail('no request may be made');
    assert.throws(
      () => kms(gcp.keyVersion('p256'), { workloadIdentityProvider: '', http }),
      /gcp-workload-identity-provider is required/,
    );
    assert.throws(
      () =>
        kms(gcp.keyVersion('p256'), {
          workloadIdentityProvider: 'projects/acme/locations/global/workloadIdentityPools/github/providers/gh',
          http,
        }),
      /project NUMBER/,
    );
    assert.throws(
      () => kms(gcp.keyVersion('p256'), { serviceAccount: 'someone@gmail.com', http }),
      /gcp-service-account is not/,
    );
    assert.throws(() => kms('', { http }), /key is required/);
    assert.throws(
      () => kms('projects/p/locations/global/keyRings/r/cryptoKeys/k', { http }),
      /cryptoKeyVersions\/N is not enough/,
    );
    assert.throws(
      () =>
        kms(gcp.keyVersion('p256'), {
          env: { CLOUDSDK_API_ENDPOINT_OVERRIDES_CLOUDKMS: 'http://kms.example.com/' },
          http,
        }),
      /allow-insecure-http/,
    );
    assert.throws(
      () =>
        kms(gcp.keyVersion('p256'), {
          env: { CLOUDSDK_API_ENDPOINT_OVERRIDES_STS: 'https://u:p@sts.example.com' },
          http,
        }),
      /plain base URL/,
    );
  });

  it('hostile answers: an error echoing the token is scrubbed, non-JSON and 5xx fail closed', async () => {
    const token = await jwt();
    const echo = async (r: { headers?: Record<string, string>; body?: string }) => ({
      status: 400,
      headers: {},
      body: JSON.stringify({
        error: 'invalid_grant',
        error_description: `bad token ${new URLSearchParams(r.body).get('subject_token')}`,
      }),
    });
    const e = await rejectsWith(kms(gcp.keyVersion('p256'), { http: echo }).connect(token), 'login-failed', /\*\*\*/);
    assert.ok(!e.message.includes(token));
    const html = async () => ({ status: 200, headers: {}, body: '<html>proxy login</html>' });
    await rejectsWith(kms(gcp.keyVersion('p256'), { http: html }).connect(token), 'bad-response', /not JSON/);
    let tries = 0;
    const down = async () => {
      tries++;
      return { status: 503, headers: {}, body: '{}' };
    };
    await rejectsWith(
      kms(gcp.keyVersion('p256'), { http: down }).connect(token),
      'unavailable',
      /gave up after 4 attempts/,
    );
    assert.equal(tries, 4);
    const noToken = async () => ({ status: 200, headers: {}, body: '{"token_type":"Bearer"}' });
    await rejectsWith(kms(gcp.keyVersion('p256'), { http: noToken }).connect(token), 'bad-response', /no access_token/);
  });

  it('the default OIDC audience is the provider resource URL', () => {
    assert.equal(
      defaultAudience('gcp-kms', { 'gcp-workload-identity-provider': `//iam.googleapis.com/${gcp.providerResource}` }),
      `https://iam.googleapis.com/${gcp.providerResource}`,
    );
  });
});

describe('gcp-secret-manager: a key store', () => {
  const sm = (secret: string, extra = {}) =>
    createGcpSecretManagerProvider({
      secret,
      workloadIdentityProvider: gcp.providerResource,
      serviceAccount: SIGNER,
      env: gcp.env(),
      retry: noSleep,
      log: (l) => logs.push(l),
      mask: (s) => masked.add(s),
      ...extra,
    });

  it('reads a JSON secret (key + passphrase) that unlocks; everything masked', async () => {
    const material = await sm(gcp.secretName('gpg')).fetchKey(await jwt());
    assert.equal(material.passphrase, ED_PASS);
    assert.ok(masked.has(material.armoredKey) && masked.has(ED_PASS));
    const key = await loadSigningKey({ key: material.armoredKey, passphrase: material.passphrase! });
    assert.equal(key.algorithm, 'eddsaLegacy');
    key.destroy();
    assert.equal(material.source, `gcp-secret-manager ${gcp.secretName('gpg')}/versions/1`);
    assert.equal(material.identity, SIGNER);
    const plain = await sm(`${gcp.secretName('plain')}/versions/1`).fetchKey(await jwt());
    assert.equal(plain.passphrase, undefined);
    assert.match(plain.armoredKey, /BEGIN PGP PRIVATE KEY BLOCK/);
  });

  it('names the missing field, the missing secret and the missing permission', async () => {
    await rejectsWith(sm(gcp.secretName('other-field')).fetchKey(await jwt()), 'field-missing', /fields present: key/);
    await rejectsWith(sm(gcp.secretName('none')).fetchKey(await jwt()), 'not-found', /check secret/);
    await rejectsWith(
      sm(gcp.secretName('gpg'), { serviceAccount: '' }).fetchKey(await jwt()),
      'permission-denied',
      /secretmanager\.versions\.access/,
    );
    assert.throws(() => sm(''), /secret is required/);
    assert.throws(() => sm('release/gpg'), /not a Secret Manager secret resource name/);
  });
});
