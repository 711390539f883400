import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadSigningKey } from '../../src/sign/key.ts';
import { requestIdToken } from '../../src/sign/oidc.ts';
import { createAwsKmsProvider } from '../../src/sign/providers/aws-kms.ts';
import { createAwsSecretsManagerProvider } from '../../src/sign/providers/aws-secrets-manager.ts';
import { ProviderError } from '../../src/sign/providers/types.ts';
import { bindRemoteKey, remoteSigningKey } from '../../src/sign/remote.ts';
import { signFiles } from '../../src/sign/signer.ts';
import { exportPublicKey } from '../../src/sign/remote-key.ts';
import { type AwsStandIn, startAwsStandIn } from '../e2e/services/aws.ts';
import { type OidcIssuer, startOidcIssuer } from '../e2e/services/oidc-issuer.ts';

let issuer: OidcIssuer;
let aws: AwsStandIn;
let dir: string;
const logs: string[] = [];
const masked = new Set<string>();
const CREATED = new Date('2026-03-01T00:00:00Z');
const UID = 'Acme Release <release@acme.example>';
const noSleep = { sleep: async () => {}, baseMs: 1 };
const FIX = join(import.meta.dirname, '..', 'fixtures', 'keys');
const ED_KEY = readFileSync(join(FIX, 'ed25519-pw.sec.asc'), 'utf8');
const ED_PASS = 'test-only-ed25519-passphrase';

const env = () => ({ AWS_ENDPOINT_URL: aws.url });
const host = () => issuer.url.replace(/^https?:\/\//, '');

function allSecrets(): string[] {
  return [
    ...issuer.issuedTokens,
    issuer.requestToken,
    ...aws.issued.flatMap((c) => [c.secretAccessKey, c.sessionToken]),
    ED_KEY.split('\n')[3]!,
    ED_PASS,
  ];
}
function assertNoSecret(text: string) {
  for (const s of allSecrets()) assert.ok(!text.includes(s), `secret leaked into: ${text.slice(0, 160)}`);
}

async function jwt(audience = 'sts.amazonaws.com') {
  return (await requestIdToken({ env: issuer.env(), audience })).token;
}

function kms(key: string, extra: Partial<Parameters<typeof createAwsKmsProvider>[0]> = {}) {
  return createAwsKmsProvider({
    key,
    roleArn: aws.roleArn('signer'),
    region: 'eu-central-1',
    env: env(),
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

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'jit-gpg-aws-'));
  issuer = await startOidcIssuer({ owner: 'acme', repo: 'widgets' });
  aws = await startAwsStandIn({
    region: 'eu-central-1',
    oidcProvider: { url: issuer.url, clientIds: ['sts.amazonaws.com'] },
    roles: [
      {
        name: 'signer',
        condition: {
          StringEquals: { [`${host()}:aud`]: 'sts.amazonaws.com' },
          StringLike: { [`${host()}:sub`]: 'repo:acme/widgets:ref:refs/heads/main' },
        },
        allow: { 'kms:Sign': ['*'], 'kms:GetPublicKey': ['*'], 'secretsmanager:GetSecretValue': ['*'] },
      },
      {
        name: 'tags-only',
        condition: { StringLike: { [`${host()}:sub`]: 'repo:acme/widgets:ref:refs/tags/*' } },
        allow: {},
      },
      {
        name: 'read-only',
        condition: { StringLike: { [`${host()}:sub`]: 'repo:acme/*' } },
        allow: { 'kms:GetPublicKey': ['*'] },
      },
    ],
    keys: { rsa: 'RSA_2048', p256: 'ECC_NIST_P256', p384: 'ECC_NIST_P384', ed: 'ECC_NIST_EDWARDS25519' },
    secrets: {
      'release/gpg': JSON.stringify({ private_key: ED_KEY, passphrase: ED_PASS }),
      'release/plain': ED_KEY,
      'release/other-field': JSON.stringify({ key: ED_KEY }),
    },
  });
});

after(async () => {
  await aws?.close();
  await issuer?.close();
  rmSync(dir, { recursive: true, force: true });
  for (const l of logs) assertNoSecret(l);
});

describe('aws-kms: keys that never leave KMS', () => {
  for (const alias of ['rsa', 'p256', 'p384', 'ed']) {
    it(`${alias}: key export, then signatures with the exported key verify with gpg; credentials masked`, async () => {
      const s1 = await kms(`alias/${alias}`).connect(await jwt());
      const exported = await exportPublicKey(bindRemoteKey(s1, { created: CREATED }), UID);
      await s1.release();
      assert.equal(s1.released(), true);
      const s2 = await kms(aws.keyArn(alias)).connect(await jwt());
      const file = join(dir, `${alias}.tgz`);
      writeFileSync(file, `artifact ${alias}\n`);
      const before = aws.calls.filter((c) => c.action === 'Sign').length;
      await signFiles({ key: await remoteSigningKey(s2, exported.armored), files: [file] });
      await s2.release();
      assert.equal(aws.calls.filter((c) => c.action === 'Sign').length - before, 1);
      const home = join(dir, `gnupg-${alias}`);
      mkdirSync(home, { mode: 0o700 });
      assert.equal(spawnSync('gpg', ['--batch', '--homedir', home, '--import'], { input: exported.armored }).status, 0);
      const v = spawnSync('gpg', ['--batch', '--homedir', home, '--verify', `${file}.asc`, file], { encoding: 'utf8' });
      assert.equal(v.status, 0, v.stderr);
      for (const c of aws.issued) {
        assert.ok(masked.has(c.secretAccessKey) && masked.has(c.sessionToken), 'every credential is masked');
      }
      assert.match(s2.identity ?? '', /assumed-role\/signer\/jit-gpg-/);
    });
  }

  it('a KMS key that does not match public-key is refused before any Sign call', async () => {
    const s1 = await kms('alias/p256').connect(await jwt());
    const exported = await exportPublicKey(bindRemoteKey(s1, { created: CREATED }), UID);
    const s2 = await kms('alias/rsa').connect(await jwt());
    const before = aws.calls.filter((c) => c.action === 'Sign').length;
    assert.throws(() => bindRemoteKey(s2, { publicKey: exported.armored }), /does not match public-key/);
    assert.equal(aws.calls.filter((c) => c.action === 'Sign').length, before);
  });

  it('20 files with 50 ms added to every AWS answer sign in under 3 s; 20 Sign calls and nothing else per file', async () => {
    const s1 = await kms('alias/ed').connect(await jwt());
    const exported = await exportPublicKey(bindRemoteKey(s1, { created: CREATED }), UID);
    const files = Array.from({ length: 20 }, (_, i) => join(dir, `lat-${i}.bin`));
    for (const f of files) writeFileSync(f, Buffer.alloc(32 * 1024, f.length));
    aws.setLatency(50);
    try {
      const started = performance.now();
      const session = await kms('alias/ed').connect(await jwt());
      const callsBefore = aws.calls.length;
      await signFiles({ key: await remoteSigningKey(session, exported.armored), files });
      const elapsed = performance.now() - started;
      const during = aws.calls.slice(callsBefore);
      assert.equal(during.length, 20);
      assert.ok(during.every((c) => c.action === 'Sign' && c.status === 200));
      assert.ok(elapsed < 3000, `took ${Math.round(elapsed)} ms`);
    } finally {
      aws.setLatency(0);
    }
  });
});

describe('aws-kms: refusals say what to change', () => {
  it('a trust policy whose sub condition does not match: lists the claims and the policy element', async () => {
    const e = await rejectsWith(
      kms('alias/rsa', { roleArn: aws.roleArn('tags-only') }).connect(await jwt()),
      'claims-mismatch',
      new RegExp(`Condition on "${host().replace(/[.]/g, '\\.')}:sub"`),
    );
    assert.match(e.message, /sub: repo:acme\/widgets:ref:refs\/heads\/main/);
    assert.match(e.message, /oidc-provider\//);
  });

  it('an audience the OIDC provider does not list', async () => {
    await rejectsWith(kms('alias/rsa').connect(await jwt('jit-gpg')), 'claims-mismatch', /client ID/);
  });

  it('no kms:Sign: names the action, the key ARN and the assumed role', async () => {
    const session = await kms('alias/rsa', { roleArn: aws.roleArn('read-only') }).connect(await jwt());
    await rejectsWith(
      exportPublicKey(bindRemoteKey(session, { created: CREATED }), UID),
      'permission-denied',
      new RegExp(`"Action": "kms:Sign", "Resource": "${aws.keyArn('rsa')}"`),
    );
  });

  it('an unknown key names key and aws-region', async () => {
    await rejectsWith(kms('alias/missing').connect(await jwt()), 'not-found', /check key and aws-region/);
  });

  it('missing, malformed or conflicting inputs are refused before any network call, naming the input', () => {
    const http = async () => assert.fail('no request may be made');
    assert.throws(() => kms('alias/rsa', { roleArn: '', http }), /aws-role-arn is required/);
    assert.throws(
      () => kms('alias/rsa', { roleArn: 'arn:aws:iam::1:user/x', http }),
      /aws-role-arn "arn:aws:iam::1:user\/x"/,
    );
    assert.throws(() => kms('alias/rsa', { region: 'mars', http }), /aws-region "mars"/);
    assert.throws(() => kms('', { http }), /key is required/);
    assert.throws(() => kms('not a key', { http }), /key "not a key"/);
    assert.throws(
      () => kms('arn:aws:kms:us-west-2:123456789012:alias/x', { http }),
      /key is in us-west-2 but aws-region is eu-central-1/,
    );
    assert.throws(
      () => kms('alias/rsa', { env: { AWS_ENDPOINT_URL: 'http://kms.example.com' }, http }),
      /allow-insecure-http/,
    );
    assert.throws(
      () => kms('alias/rsa', { env: { AWS_ENDPOINT_URL_KMS: 'https://u:p@kms.example.com' }, http }),
      /user name or password/,
    );
  });
});

describe('aws-secrets-manager: a key store', () => {
  const sm = (secret: string, extra = {}) =>
    createAwsSecretsManagerProvider({
      secret,
      roleArn: aws.roleArn('signer'),
      region: 'eu-central-1',
      env: env(),
      retry: noSleep,
      log: (l) => logs.push(l),
      mask: (s) => masked.add(s),
      ...extra,
    });

  it('reads a JSON secret (key + passphrase) that unlocks; everything masked; credentials dropped', async () => {
    const material = await sm('release/gpg').fetchKey(await jwt());
    assert.equal(material.passphrase, ED_PASS);
    assert.ok(masked.has(material.armoredKey) && masked.has(ED_PASS));
    const key = await loadSigningKey({ key: material.armoredKey, passphrase: material.passphrase! });
    assert.equal(key.algorithm, 'eddsaLegacy');
    key.destroy();
    assert.match(material.source, /^aws-secrets-manager arn:aws:secretsmanager:eu-central-1:/);
    const plain = await sm(aws.secretArn('release/plain')).fetchKey(await jwt());
    assert.equal(plain.passphrase, undefined);
    assert.match(plain.armoredKey, /BEGIN PGP PRIVATE KEY BLOCK/);
  });

  it('names the missing field, the missing secret and the missing permission', async () => {
    await rejectsWith(sm('release/other-field').fetchKey(await jwt()), 'field-missing', /fields present: key/);
    await rejectsWith(sm('release/none').fetchKey(await jwt()), 'not-found', /check secret and aws-region/);
    await rejectsWith(
      sm('release/gpg', { roleArn: aws.roleArn('read-only') }).fetchKey(await jwt()),
      'permission-denied',
      /"Action": "secretsmanager:GetSecretValue"/,
    );
    assert.throws(() => sm(''), /secret is required/);
  });
});
