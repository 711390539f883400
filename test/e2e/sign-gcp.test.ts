// The signing action with Google Cloud KMS (a key that never leaves KMS) and Google Secret Manager (a key store), end
// to end: dist/sign/main.js then post.js through the runner harness, against the OIDC issuer and the GCP stand-in.
// Signatures verify with gpg and sq against the key from key export (the CLI, also from dist/); every byte printed
// is checked for every JWT and Google access token.
import assert from 'node:assert/strict';
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { requestIdToken } from '../../src/sign/oidc.ts';
import { gcpDefaultAudience } from '../../src/sign/providers/gcp.ts';
import { ACTIONS, type ActionRun, type Job, type StepOptions, runAction } from './harness.ts';
import { releaseJob, verifyWithGpgAndSq } from './release-job.ts';
import { type GcpStandIn, startGcpStandIn } from './services/gcp.ts';
import { type OidcIssuer, startOidcIssuer } from './services/oidc-issuer.ts';

const CLI = join(import.meta.dirname, '..', '..', 'dist', 'cli.js');
const haveDist = existsSync(ACTIONS.sign.main) && existsSync(ACTIONS.sign.post) && existsSync(CLI);
const keysDir = join(import.meta.dirname, '..', 'fixtures', 'keys');
const ED_KEY = readFileSync(join(keysDir, 'ed25519-pw.sec.asc'), 'utf8');
const ED_PASS = 'test-only-ed25519-passphrase';
const SIGNER = 'release-signer@acme-release.iam.gserviceaccount.com';

let issuer: OidcIssuer;
let gcp: GcpStandIn;
const jobs: Job[] = [];
let exported: { armored: string; stderr: string };

function run(
  file: string,
  args: string[],
  options: { env: NodeJS.ProcessEnv },
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(file, args, { ...options, encoding: 'utf8' }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

/** main, then post with main's state whatever main did (post-if: always()). */
const runSign = (opts: Omit<StepOptions, 'script' | 'metadata' | 'state'>): Promise<ActionRun> =>
  runAction({ ...opts, action: 'sign' });

function allSecrets(): string[] {
  return [
    issuer.requestToken,
    ...issuer.issuedTokens,
    ...gcp.issuedTokens,
    ED_PASS,
    ...ED_KEY.split('\n').filter((l) => l.length > 40),
  ];
}

const newJob = (): Job => releaseJob('jit-gpg-gcp-', jobs);

function assertNoLeaks(r: ActionRun) {
  for (const step of [r.main, r.post]) if (step) assert.deepEqual(step.leaks, [], `leaked in ${step.log}`);
}

before(async () => {
  if (!haveDist) return;
  issuer = await startOidcIssuer({ owner: 'acme', repo: 'widgets' });
  gcp = await startGcpStandIn({
    issuer: issuer.url,
    attributeCondition: { repository: 'acme/widgets', ref: 'refs/heads/main' },
    serviceAccounts: { [SIGNER]: { repository: 'acme/widgets' } },
    grants: {
      [SIGNER]: [
        'cloudkms.cryptoKeyVersions.viewPublicKey',
        'cloudkms.cryptoKeyVersions.useToSign',
        'secretmanager.versions.access',
      ],
    },
    keys: { release: 'EC_SIGN_P384_SHA384' },
    secrets: { gpg: JSON.stringify({ private_key: ED_KEY, passphrase: ED_PASS }) },
  });
  // key export through the CLI from dist/, with a JWT from the issuer in an environment variable
  const jwt = (await requestIdToken({ env: issuer.env(), audience: gcpDefaultAudience(gcp.providerResource) })).token;
  // async: the stand-ins answer from this process
  const r = await run(
    process.execPath,
    [
      CLI,
      'key',
      'export',
      '--provider',
      'gcp-kms',
      '--key',
      gcp.keyVersion('release'),
      '--gcp-workload-identity-provider',
      gcp.providerResource,
      '--gcp-service-account',
      SIGNER,
      '--uid',
      'Widgets Release <release@widgets.example>',
      '--created',
      '2026-01-15T00:00:00Z',
      '--jwt-env',
      'TEST_JWT',
    ],
    {
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        TEST_JWT: jwt,
        ...gcp.env(),
      },
    },
  );
  assert.equal(r.code, 0, r.stderr);
  exported = { armored: r.stdout, stderr: r.stderr };
});

after(async () => {
  await gcp?.close();
  await issuer?.close();
  for (const j of jobs) j.cleanup();
});

describe('sign action with Google Cloud KMS and Secret Manager (dist/ under the runner harness)', {
  skip: !haveDist && 'dist/ not built',
}, () => {
  const oidc = () => ({ requestUrl: issuer.requestUrl, requestToken: issuer.requestToken });

  it('key export --provider gcp-kms prints an armored key; nothing secret on stdout or stderr', () => {
    assert.match(exported.armored, /^-----BEGIN PGP PUBLIC KEY BLOCK-----/);
    for (const s of allSecrets()) {
      assert.ok(!exported.armored.includes(s) && !exported.stderr.includes(s), 'a secret reached the CLI output');
    }
  });

  it('gcp-kms P-384: files and SHA256SUMS verify with gpg and sq; audience defaults to the provider URL; tokens masked', async () => {
    const job = newJob();
    writeFileSync(join(job.workspace, 'release.pub.asc'), exported.armored);
    const tokensBefore = gcp.issuedTokens.length;
    const signsBefore = gcp.calls.filter((c) => c.method === 'asymmetricSign').length;
    const r = await runSign({
      job,
      inputs: {
        provider: 'gcp-kms',
        key: gcp.keyVersion('release'),
        'gcp-workload-identity-provider': gcp.providerResource,
        'gcp-service-account': SIGNER,
        'public-key': 'release.pub.asc',
        files: 'dist/*',
        checksums: 'SHA256SUMS',
      },
      env: gcp.env(),
      oidc: oidc(),
      secrets: allSecrets(),
      timeoutMs: 90_000,
    });
    assertNoLeaks(r);
    assert.equal(r.main.exitCode, 0, r.main.log);
    assert.equal(issuer.requests.at(-1)?.audience, `https://iam.googleapis.com/${gcp.providerResource}`);
    const tokens = gcp.issuedTokens.slice(tokensBefore);
    assert.equal(tokens.length, 2, 'one STS exchange and one impersonation for the whole run');
    for (const t of tokens) assert.ok(r.main.masks.includes(t), 'access tokens masked');
    assert.equal(gcp.calls.filter((c) => c.method === 'asymmetricSign').length - signsBefore, 3);
    assert.ok(r.main.summary.includes(SIGNER), 'the summary names the identity used');
    const files = ['dist/app-1.0.0.tar.gz', 'dist/app-1.0.0.txt', 'dist/SHA256SUMS'].map((f) => join(job.workspace, f));
    verifyWithGpgAndSq(job, exported.armored, files);
    assert.equal(r.post!.exitCode, 0, r.post!.log);
  });

  it('run: git tag -s and git commit -S through the shim verify; no shim left; nothing leaks', async () => {
    const job = newJob();
    const env = { HOME: job.home, GIT_CONFIG_NOSYSTEM: '1' };
    const git = (...args: string[]) =>
      execFileSync('git', args, { cwd: job.workspace, env: { ...process.env, ...env } });
    git('init', '-q', '-b', 'main');
    git('config', 'user.name', 'Widgets Release');
    git('config', 'user.email', 'release@widgets.example');
    writeFileSync(join(job.workspace, '.gitignore'), 'dist/\n');
    git('add', '.gitignore');
    const r = await runSign({
      job,
      inputs: {
        provider: 'gcp-kms',
        key: gcp.keyVersion('release'),
        'gcp-workload-identity-provider': gcp.providerResource,
        'gcp-service-account': SIGNER,
        'public-key': exported.armored,
        run: 'git commit -q -S -m release && git tag -s v1.0.0 -m "release v1.0.0"',
      },
      env: { ...env, ...gcp.env() },
      oidc: oidc(),
      secrets: allSecrets(),
      timeoutMs: 90_000,
    });
    assertNoLeaks(r);
    assert.equal(r.main.exitCode, 0, r.main.log);
    const home = join(job.dir, 'verify-gnupg');
    mkdirSync(home, { mode: 0o700 });
    execFileSync('gpg', ['--homedir', home, '--batch', '--quiet', '--import'], { input: exported.armored });
    for (const args of [
      ['verify-tag', 'v1.0.0'],
      ['verify-commit', 'HEAD'],
    ]) {
      const v = spawnSync('git', args, {
        cwd: job.workspace,
        env: { ...process.env, ...env, GNUPGHOME: home },
        encoding: 'utf8',
      });
      assert.equal(v.status, 0, v.stderr);
    }
    spawnSync('gpgconf', ['--homedir', home, '--kill', 'all']);
    assert.deepEqual(
      readdirSync(job.runnerTemp).filter((n) => n.startsWith('jit-gpg-shim-')),
      [],
    );
  });

  it('the CLI signs with gcp-kms too (dist/cli.js sign), and gpg and sq verify', async () => {
    const job = newJob();
    writeFileSync(join(job.dir, 'release.pub.asc'), exported.armored);
    const jwt = (await requestIdToken({ env: issuer.env(), audience: gcpDefaultAudience(gcp.providerResource) })).token;
    const r = await run(
      process.execPath,
      [
        CLI,
        'sign',
        '--provider',
        'gcp-kms',
        '--key',
        gcp.keyVersion('release'),
        '--gcp-workload-identity-provider',
        gcp.providerResource,
        '--gcp-service-account',
        SIGNER,
        '--public-key',
        join(job.dir, 'release.pub.asc'),
        '--jwt-env',
        'TEST_JWT',
        join(job.workspace, 'dist', 'app-1.0.0.txt'),
      ],
      { env: { PATH: process.env.PATH, HOME: job.home, TEST_JWT: jwt, ...gcp.env() } },
    );
    assert.equal(r.code, 0, r.stderr);
    for (const s of allSecrets())
      assert.ok(!r.stdout.includes(s) && !r.stderr.includes(s), 'a secret reached the CLI output');
    verifyWithGpgAndSq(job, exported.armored, [join(job.workspace, 'dist/app-1.0.0.txt')]);
  });

  it('gcp-secret-manager: the exported-key path signs like Vault KV', async () => {
    const job = newJob();
    const r = await runSign({
      job,
      inputs: {
        provider: 'gcp-secret-manager',
        secret: gcp.secretName('gpg'),
        'gcp-workload-identity-provider': gcp.providerResource,
        'gcp-service-account': SIGNER,
        files: 'dist/*.txt',
      },
      env: gcp.env(),
      oidc: oidc(),
      secrets: allSecrets(),
      timeoutMs: 90_000,
    });
    assertNoLeaks(r);
    assert.equal(r.main.exitCode, 0, r.main.log);
    const pub = readFileSync(join(job.workspace, r.main.outputs['public-key']!), 'utf8');
    verifyWithGpgAndSq(job, pub, [join(job.workspace, 'dist/app-1.0.0.txt')]);
  });

  it('an attribute condition that refuses the job fails the run, listing the claims; nothing leaks', async () => {
    issuer.setClaims({ ref: 'refs/heads/feature' });
    try {
      const job = newJob();
      const r = await runSign({
        job,
        inputs: {
          provider: 'gcp-kms',
          key: gcp.keyVersion('release'),
          'gcp-workload-identity-provider': gcp.providerResource,
          'public-key': exported.armored,
          files: 'dist/*',
        },
        env: gcp.env(),
        oidc: oidc(),
        secrets: allSecrets(),
        timeoutMs: 90_000,
      });
      assertNoLeaks(r);
      assert.notEqual(r.main.exitCode, 0);
      assert.match(r.main.log, /attribute condition/);
      assert.match(r.main.log, /ref: refs\/heads\/feature/);
      assert.ok(!existsSync(join(job.workspace, 'dist/app-1.0.0.txt.asc')));
    } finally {
      issuer.setClaims({}, { replace: true });
    }
  });
});
