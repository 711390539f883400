// The signing action with keys that never leave their service (vault-transit, aws-kms) and with a cloud key store
// (aws-secrets-manager), end to end: dist/sign/main.js then post.js through the runner harness, against the OIDC
// issuer, the Vault stand-in's transit engine and the AWS stand-in. Signatures verify with gpg and sq against the
// key from key export; every byte printed is checked for every JWT, Vault token and AWS credential.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { requestIdToken } from '../../src/sign/oidc.ts';
import { createAwsKmsProvider } from '../../src/sign/providers/aws-kms.ts';
import type { RemoteSignerProvider } from '../../src/sign/providers/types.ts';
import { createVaultTransitProvider } from '../../src/sign/providers/vault-transit.ts';
import { bindRemoteKey } from '../../src/sign/remote.ts';
import { exportPublicKey } from '../../src/sign/remote-key.ts';
import { ACTIONS, type ActionRun, type Job, type StepOptions, runAction } from './harness.ts';
import { releaseJob, verifyWithGpgAndSq } from './release-job.ts';
import { type AwsStandIn, startAwsStandIn } from './services/aws.ts';
import { type OidcIssuer, startOidcIssuer } from './services/oidc-issuer.ts';
import { startVaultStandIn, type VaultStandIn } from './services/vault.ts';

const haveDist = existsSync(ACTIONS.sign.main) && existsSync(ACTIONS.sign.post);
const keysDir = join(import.meta.dirname, '..', 'fixtures', 'keys');
const ED_KEY = readFileSync(join(keysDir, 'ed25519-pw.sec.asc'), 'utf8');
const ED_PASS = 'test-only-ed25519-passphrase';
const CREATED = new Date('2026-01-15T00:00:00Z');
const UID = 'Widgets Release <release@widgets.example>';

let issuer: OidcIssuer;
let vault: VaultStandIn;
let aws: AwsStandIn;
const jobs: Job[] = [];
const exported = new Map<string, { armored: string; fingerprint: string }>();

/** main, then post with main's state whatever main did (post-if: always()). */
const runSign = (opts: Omit<StepOptions, 'script' | 'metadata' | 'state'>): Promise<ActionRun> =>
  runAction({ ...opts, action: 'sign' });

function allSecrets(): string[] {
  return [
    issuer.requestToken,
    ...issuer.issuedTokens,
    ...vault.tokens().map((t) => t.token),
    ...aws.issued.flatMap((c) => [c.secretAccessKey, c.sessionToken]),
    ED_PASS,
    ...ED_KEY.split('\n').filter((l) => l.length > 40),
  ];
}

async function exportKey(label: string, provider: RemoteSignerProvider, audience: string) {
  const token = (await requestIdToken({ env: issuer.env(), audience })).token;
  const session = await provider.connect(token);
  try {
    const key = bindRemoteKey(session, { created: CREATED });
    exported.set(label, { armored: (await exportPublicKey(key, UID)).armored, fingerprint: key.fingerprint });
  } finally {
    await session.release();
  }
}

const newJob = (): Job => releaseJob('jit-gpg-remote-', jobs);

function assertNoLeaks(r: ActionRun) {
  for (const step of [r.main, r.post]) if (step) assert.deepEqual(step.leaks, [], `leaked in ${step.log}`);
}

before(async () => {
  if (!haveDist) return;
  issuer = await startOidcIssuer({ owner: 'acme', repo: 'widgets' });
  const host = issuer.url.replace(/^https?:\/\//, '');
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
            bound_claims: { repository: 'acme/widgets', ref: 'refs/heads/main' },
            user_claim: 'repository',
            token_policies: ['transit-release'],
            token_ttl: 300,
          },
        },
      },
    ],
    transit: [{ keys: { 'release-ed25519': 'ed25519', 'release-p384': 'ecdsa-p384' } }],
    policies: {
      'transit-release': {
        'transit/sign/release-ed25519': ['update'],
        'transit/keys/release-ed25519': ['read'],
        'transit/sign/release-p384': ['update'],
        'transit/keys/release-p384': ['read'],
      },
    },
  });
  aws = await startAwsStandIn({
    region: 'eu-west-1',
    oidcProvider: { url: issuer.url, clientIds: ['sts.amazonaws.com'] },
    roles: [
      {
        name: 'release',
        condition: {
          StringEquals: { [`${host}:aud`]: 'sts.amazonaws.com' },
          StringLike: { [`${host}:sub`]: 'repo:acme/widgets:ref:refs/heads/main' },
        },
        allow: { 'kms:Sign': ['*'], 'kms:GetPublicKey': ['*'], 'secretsmanager:GetSecretValue': ['*'] },
      },
    ],
    keys: { release: 'RSA_2048' },
    secrets: { 'release/gpg': JSON.stringify({ private_key: ED_KEY, passphrase: ED_PASS }) },
  });
  for (const k of ['release-ed25519', 'release-p384']) {
    await exportKey(k, createVaultTransitProvider({ url: vault.url, role: 'release', key: k }), 'jit-gpg');
  }
  await exportKey(
    'kms',
    createAwsKmsProvider({
      key: 'alias/release',
      roleArn: aws.roleArn('release'),
      region: 'eu-west-1',
      env: { AWS_ENDPOINT_URL: aws.url },
    }),
    'sts.amazonaws.com',
  );
});

after(async () => {
  await vault?.close();
  await aws?.close();
  await issuer?.close();
  for (const j of jobs) j.cleanup();
});

describe('sign action with remote signers and cloud key stores (dist/ under the runner harness)', {
  skip: !haveDist && 'dist/ not built',
}, () => {
  const oidc = () => ({ requestUrl: issuer.requestUrl, requestToken: issuer.requestToken });

  for (const [label, keyName, publicKeyAs] of [
    ['vault-transit Ed25519, public-key as a workspace path', 'release-ed25519', 'path'],
    ['vault-transit P-384, public-key as armored text', 'release-p384', 'text'],
  ] as const) {
    it(`${label}: files and SHA256SUMS verify with gpg and sq; token revoked; nothing leaks`, async () => {
      const job = newJob();
      const pub = exported.get(keyName)!;
      writeFileSync(join(job.workspace, 'release.pub.asc'), pub.armored);
      const signsBefore = vault.transit.get('transit')!.signs.length;
      const r = await runSign({
        job,
        inputs: {
          provider: 'vault-transit',
          'vault-url': vault.url,
          'vault-role': 'release',
          key: keyName,
          'public-key': publicKeyAs === 'path' ? 'release.pub.asc' : pub.armored,
          files: 'dist/*',
          checksums: 'SHA256SUMS',
        },
        oidc: oidc(),
        secrets: allSecrets(),
        timeoutMs: 90_000,
      });
      assertNoLeaks(r);
      assert.equal(r.main.exitCode, 0, r.main.log);
      assert.equal(r.main.outputs.fingerprint, pub.fingerprint);
      assert.equal(
        vault.transit.get('transit')!.signs.length - signsBefore,
        3,
        'two files and the manifest: 3 sign calls',
      );
      const files = ['dist/app-1.0.0.tar.gz', 'dist/app-1.0.0.txt', 'dist/SHA256SUMS'].map((f) =>
        join(job.workspace, f),
      );
      verifyWithGpgAndSq(job, pub.armored, files);
      assert.ok(
        vault.tokens().every((t) => !t.alive),
        'the Vault token was revoked',
      );
      assert.match(r.main.summary, /transit\/keys\//);
      assert.equal(r.post!.exitCode, 0, r.post!.log);
    });
  }

  it('aws-kms RSA: signs with the KMS key; STS credentials masked; audience defaults to sts.amazonaws.com', async () => {
    const job = newJob();
    const pub = exported.get('kms')!;
    writeFileSync(join(job.workspace, 'kms.pub.asc'), pub.armored);
    const audiences = issuer.requests.length;
    const issuedBefore = aws.issued.length;
    const r = await runSign({
      job,
      inputs: {
        provider: 'aws-kms',
        key: 'alias/release',
        'aws-role-arn': aws.roleArn('release'),
        'aws-region': 'eu-west-1',
        'public-key': 'kms.pub.asc',
        files: 'dist/*.tar.gz',
      },
      env: { AWS_ENDPOINT_URL: aws.url },
      oidc: oidc(),
      secrets: allSecrets(),
      timeoutMs: 90_000,
    });
    assertNoLeaks(r);
    assert.equal(r.main.exitCode, 0, r.main.log);
    assert.equal(issuer.requests.at(-1)?.audience, 'sts.amazonaws.com');
    assert.ok(issuer.requests.length > audiences);
    const issued = aws.issued.slice(issuedBefore);
    assert.equal(issued.length, 1, 'one STS exchange for the whole run');
    for (const c of issued) {
      assert.ok(
        r.main.masks.includes(c.sessionToken) && r.main.masks.includes(c.secretAccessKey),
        'credentials masked',
      );
    }
    assert.match(r.main.summary, /assumed-role\/release/);
    verifyWithGpgAndSq(job, pub.armored, [join(job.workspace, 'dist/app-1.0.0.tar.gz')]);
  });

  it('aws-secrets-manager: the exported-key path signs like Vault KV', async () => {
    const job = newJob();
    const r = await runSign({
      job,
      inputs: {
        provider: 'aws-secrets-manager',
        secret: 'release/gpg',
        'aws-role-arn': aws.roleArn('release'),
        'aws-region': 'eu-west-1',
        files: 'dist/*.txt',
      },
      env: { AWS_ENDPOINT_URL: aws.url },
      oidc: oidc(),
      secrets: allSecrets(),
      timeoutMs: 90_000,
    });
    assertNoLeaks(r);
    assert.equal(r.main.exitCode, 0, r.main.log);
    const pub = readFileSync(join(job.workspace, r.main.outputs['public-key']!), 'utf8');
    verifyWithGpgAndSq(job, pub, [join(job.workspace, 'dist/app-1.0.0.txt')]);
  });

  it('aws-secrets-manager: main SIGKILLed while run: holds the key; post removes the keyring and stops its agent', async () => {
    const job = newJob();
    const r = await runSign({
      job,
      inputs: {
        provider: 'aws-secrets-manager',
        secret: 'release/gpg',
        'aws-role-arn': aws.roleArn('release'),
        'aws-region': 'eu-west-1',
        files: 'dist/*.txt',
        run: 'sleep 60',
      },
      env: { AWS_ENDPOINT_URL: aws.url },
      oidc: oidc(),
      secrets: allSecrets(),
      timeoutMs: 90_000,
      interrupt: ({ state }) => (state.keyring?.includes('commandPid') ? 'SIGKILL' : undefined),
    });
    assertNoLeaks(r);
    assert.equal(r.main.signal, 'SIGKILL', r.main.log);
    const saved = JSON.parse(r.main.state.keyring!) as { dir: string };
    assert.equal(r.post?.exitCode, 0, r.post?.log);
    assert.match(r.post!.log, /stopped gpg-agent \(pid \d+\)/);
    assert.match(r.post!.log, /Keyring: removed /);
    assert.equal(existsSync(saved.dir), false, 'the keyring directory is gone');
  });

  it('a public-key from another key fails before any sign call, naming public-key', async () => {
    const job = newJob();
    const signsBefore = vault.transit.get('transit')!.signs.length;
    const r = await runSign({
      job,
      inputs: {
        provider: 'vault-transit',
        'vault-url': vault.url,
        'vault-role': 'release',
        key: 'release-ed25519',
        'public-key': exported.get('release-p384')!.armored,
        files: 'dist/*',
      },
      oidc: oidc(),
      secrets: allSecrets(),
      timeoutMs: 90_000,
    });
    assertNoLeaks(r);
    assert.equal(r.main.exitCode, 1);
    assert.match(r.main.log, /does not match public-key/);
    assert.equal(vault.transit.get('transit')!.signs.length, signsBefore);
    assert.ok(!existsSync(join(job.workspace, 'dist', 'app-1.0.0.txt.asc')));
    assert.ok(vault.tokens().every((t) => !t.alive));
  });

  it('run: git tag -s through the shim verifies with git verify-tag; no shim left; nothing leaks', async () => {
    const job = newJob();
    const pub = exported.get('release-ed25519')!;
    const env = { HOME: job.home, GIT_CONFIG_NOSYSTEM: '1' };
    const git = (...args: string[]) =>
      execFileSync('git', args, { cwd: job.workspace, env: { ...process.env, ...env } });
    git('init', '-q', '-b', 'main');
    git('config', 'user.name', 'Widgets Release');
    git('config', 'user.email', 'release@widgets.example');
    writeFileSync(join(job.workspace, '.gitignore'), 'dist/\n');
    git('add', '.gitignore');
    git('commit', '-q', '-m', 'release');
    const r = await runSign({
      job,
      inputs: {
        provider: 'vault-transit',
        'vault-url': vault.url,
        'vault-role': 'release',
        key: 'release-ed25519',
        'public-key': pub.armored,
        run: 'git tag -s v1.0.0 -m "release v1.0.0"',
      },
      env,
      oidc: oidc(),
      secrets: allSecrets(),
      timeoutMs: 90_000,
    });
    assertNoLeaks(r);
    assert.equal(r.main.exitCode, 0, r.main.log);
    assert.match(r.main.log, /git shim: signed \d+ bytes/);
    const home = join(job.dir, 'verify-gnupg');
    mkdirSync(home, { mode: 0o700 });
    execFileSync('gpg', ['--homedir', home, '--batch', '--quiet', '--import'], { input: pub.armored });
    const vt = spawnSync('git', ['verify-tag', 'v1.0.0'], {
      cwd: job.workspace,
      env: { ...process.env, ...env, GNUPGHOME: home },
      encoding: 'utf8',
    });
    assert.equal(vt.status, 0, vt.stderr);
    spawnSync('gpgconf', ['--homedir', home, '--kill', 'all']);
    assert.deepEqual(
      readdirSync(job.runnerTemp).filter((n) => n.startsWith('jit-gpg-shim-')),
      [],
    );
    assert.ok(vault.tokens().every((t) => !t.alive));
  });

  it('main SIGKILLed while run: runs: post removes the shim directory and revokes the Vault token', async () => {
    const job = newJob();
    const r = await runSign({
      job,
      inputs: {
        provider: 'vault-transit',
        'vault-url': vault.url,
        'vault-role': 'release',
        key: 'release-ed25519',
        'public-key': exported.get('release-ed25519')!.armored,
        run: 'sleep 4',
      },
      oidc: oidc(),
      secrets: allSecrets(),
      timeoutMs: 90_000,
      interrupt: ({ state }) => (state['git-shim'] ? 'SIGKILL' : undefined),
    });
    assertNoLeaks(r);
    assert.equal(r.main.signal, 'SIGKILL', r.main.log);
    assert.ok(r.main.state['git-shim'], 'main saved the shim directory before it was killed');
    assert.equal(r.post!.exitCode, 0, r.post!.log);
    assert.match(r.post!.log, /git shim: removed/);
    assert.deepEqual(
      readdirSync(job.runnerTemp).filter((n) => n.startsWith('jit-gpg-shim-')),
      [],
    );
    assert.ok(
      vault.tokens().every((t) => !t.alive),
      'post revoked the token main left alive',
    );
  });

  it('missing and conflicting inputs fail before any OIDC request, naming the input', async () => {
    for (const [inputs, re] of [
      [
        { provider: 'aws-kms', key: 'alias/release', 'public-key': 'x.asc', files: 'dist/*' },
        /input `aws-role-arn` is required/,
      ],
      [
        { provider: 'vault-transit', 'vault-url': 'https://v.example', 'vault-role': 'r', key: 'k', files: 'dist/*' },
        /input `public-key` is required/,
      ],
      [
        {
          provider: 'aws-secrets-manager',
          secret: 's',
          'aws-role-arn': aws.roleArn('release'),
          key: 'k',
          files: 'dist/*',
        },
        /input `key` is not used by provider aws-secrets-manager/,
      ],
    ] as const) {
      const before = issuer.requests.length;
      const r = await runSign({ job: newJob(), inputs, oidc: oidc(), secrets: allSecrets(), timeoutMs: 60_000 });
      assert.equal(r.main.exitCode, 1, r.main.log);
      assert.match(r.main.log, re);
      assert.equal(issuer.requests.length, before, 'no OIDC token was requested');
    }
  });
});
