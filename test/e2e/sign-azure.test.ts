// Azure end to end through dist/: `jit-gpg key export --provider azure-key-vault` (dist/cli.js), then the sign
// action (dist/sign/main.js and post.js under the runner harness) with azure-key-vault and azure-key-vault-secret,
// against the OIDC issuer and the Azure stand-in over TLS (its test CA trusted through NODE_EXTRA_CA_CERTS, as a
// runner with a corporate CA would). Signatures verify with gpg and sq; every byte printed is checked for every JWT
// and Entra access token.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { requestIdToken } from '../../src/sign/oidc.ts';
import { ACTIONS, type ActionRun, type Job, type StepOptions, runAction } from './harness.ts';
import { releaseJob, verifyWithGpgAndSq } from './release-job.ts';
import { type AzureStandIn, startAzureStandIn } from './services/azure.ts';
import { type OidcIssuer, startOidcIssuer } from './services/oidc-issuer.ts';
import { generateTlsFixture, hasOpenssl } from './services/vault.ts';

const CLI = join(import.meta.dirname, '..', '..', 'dist', 'cli.js');
const haveDist = existsSync(ACTIONS.sign.main) && existsSync(ACTIONS.sign.post) && existsSync(CLI);
const keysDir = join(import.meta.dirname, '..', 'fixtures', 'keys');
const ED_KEY = readFileSync(join(keysDir, 'ed25519-pw.sec.asc'), 'utf8');
const ED_PASS = 'test-only-ed25519-passphrase';
const TENANT = 'acme.onmicrosoft.com';
const CLIENT = '0a1b2c3d-1111-2222-3333-444455556666';
const UID = 'Widgets Release <release@widgets.example>';

let issuer: OidcIssuer;
let azure: AzureStandIn;
let dir = '';
let caPath = '';
const jobs: Job[] = [];
let exported = '';

function allSecrets(): string[] {
  return [
    issuer.requestToken,
    ...issuer.issuedTokens,
    ...azure.issuedTokens,
    ED_PASS,
    ...ED_KEY.split('\n').filter((l) => l.length > 40),
  ];
}

/** main, then post with main's state whatever main did (post-if: always()). */
const runSign = (opts: Omit<StepOptions, 'script' | 'metadata' | 'state'>): Promise<ActionRun> =>
  runAction({ ...opts, action: 'sign' });

const newJob = (): Job => releaseJob('jit-gpg-azure-', jobs, Buffer.alloc(200_000, 7));

const azureEnv = () => ({ NODE_EXTRA_CA_CERTS: caPath, AZURE_AUTHORITY_HOST: azure.url });

before(async () => {
  if (!haveDist || !hasOpenssl()) return;
  dir = mkdtempSync(join(tmpdir(), 'jit-gpg-azure-e2e-'));
  const tls = generateTlsFixture(dir);
  caPath = tls.caPath;
  issuer = await startOidcIssuer({ owner: 'acme', repo: 'widgets' });
  azure = await startAzureStandIn({
    tls,
    tenantId: TENANT,
    apps: [
      {
        clientId: CLIENT,
        federated: [{ issuer: issuer.url, subject: 'repo:acme/widgets:ref:refs/heads/main' }],
        roles: ['Key Vault Crypto User', 'Key Vault Secrets User'],
      },
    ],
    keys: { release: 'P-256' },
    secrets: { 'release-gpg': JSON.stringify({ private_key: ED_KEY, passphrase: ED_PASS }) },
  });
});

after(async () => {
  await azure?.close();
  await issuer?.close();
  for (const j of jobs) j.cleanup();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('Azure Key Vault through dist/ (CLI key export, sign action)', {
  skip: (!haveDist && 'dist/ not built') || (!hasOpenssl() && 'openssl not available'),
}, () => {
  it('key export --provider azure-key-vault prints the armored public key; nothing secret on stdout or stderr', async () => {
    const jwt = (await requestIdToken({ env: issuer.env(), audience: 'api://AzureADTokenExchange' })).token;
    // asynchronously: the stand-in answers from this process
    const r = await new Promise<{ status: number; stdout: string; stderr: string }>((done) => {
      const child = execFile(
        process.execPath,
        [
          CLI,
          'key',
          'export',
          '--provider',
          'azure-key-vault',
          '--key',
          azure.keyId('release', false),
          '--azure-client-id',
          CLIENT,
          '--azure-tenant-id',
          TENANT,
          '--uid',
          UID,
          '--created',
          '2026-01-15T00:00:00Z',
          '--jwt-env',
          'AZ_JWT',
        ],
        { encoding: 'utf8', env: { PATH: process.env.PATH, HOME: dir, AZ_JWT: jwt, ...azureEnv() }, timeout: 60_000 },
        (_e, stdout, stderr) => done({ status: child.exitCode ?? -1, stdout, stderr }),
      );
    });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^-----BEGIN PGP PUBLIC KEY BLOCK-----/);
    assert.match(r.stderr, new RegExp(`from azure-key-vault ${azure.keyId('release').replace(/[.]/g, '\\.')}`));
    for (const s of allSecrets()) assert.ok(!r.stdout.includes(s) && !r.stderr.includes(s), 'a secret was printed');
    exported = r.stdout;
  });

  it('sign action, azure-key-vault: files and SHA256SUMS verify with gpg and sq; nothing leaks', async () => {
    assert.ok(exported, 'key export ran first');
    const job = newJob();
    writeFileSync(join(job.workspace, 'release.pub.asc'), exported);
    const signsBefore = azure.calls.filter((c) => c.what === 'sign').length;
    const r = await runSign({
      job,
      inputs: {
        provider: 'azure-key-vault',
        key: azure.keyId('release'),
        'azure-client-id': CLIENT,
        'azure-tenant-id': TENANT,
        'public-key': 'release.pub.asc',
        files: 'dist/*',
        checksums: 'SHA256SUMS',
      },
      env: azureEnv(),
      oidc: { requestUrl: issuer.requestUrl, requestToken: issuer.requestToken },
      secrets: allSecrets(),
      timeoutMs: 90_000,
    });
    for (const step of [r.main, r.post]) if (step) assert.deepEqual(step.leaks, [], `leaked in ${step.log}`);
    assert.equal(r.main.exitCode, 0, r.main.log);
    // 2 files + SHA256SUMS: one Key Vault sign call each
    assert.equal(azure.calls.filter((c) => c.what === 'sign').length - signsBefore, 3);
    verifyWithGpgAndSq(
      job,
      exported,
      ['dist/app-1.0.0.tar.gz', 'dist/app-1.0.0.txt', 'dist/SHA256SUMS'].map((p) => join(job.workspace, p)),
    );
  });

  it('sign action, azure-key-vault-secret: the key from a JSON secret signs; nothing leaks', async () => {
    const job = newJob();
    const r = await runSign({
      job,
      inputs: {
        provider: 'azure-key-vault-secret',
        secret: azure.secretId('release-gpg'),
        'azure-client-id': CLIENT,
        'azure-tenant-id': TENANT,
        files: 'dist/*.txt',
      },
      env: azureEnv(),
      oidc: { requestUrl: issuer.requestUrl, requestToken: issuer.requestToken },
      secrets: allSecrets(),
      timeoutMs: 90_000,
    });
    for (const step of [r.main, r.post]) if (step) assert.deepEqual(step.leaks, [], `leaked in ${step.log}`);
    assert.equal(r.main.exitCode, 0, r.main.log);
    assert.ok(existsSync(join(job.workspace, 'dist', 'app-1.0.0.txt.asc')));
  });

  it('a refused subject (a feature branch) fails the step naming the federated credential to add; nothing leaks', async () => {
    const job = newJob();
    issuer.setClaims({ ref: 'refs/heads/feature', sub: 'repo:acme/widgets:ref:refs/heads/feature' });
    let r: ActionRun;
    try {
      r = await runSign({
        job,
        inputs: {
          provider: 'azure-key-vault',
          key: azure.keyId('release'),
          'azure-client-id': CLIENT,
          'azure-tenant-id': TENANT,
          'public-key': exported,
          files: 'dist/*',
        },
        env: azureEnv(),
        oidc: { requestUrl: issuer.requestUrl, requestToken: issuer.requestToken },
        secrets: allSecrets(),
        timeoutMs: 90_000,
      });
    } finally {
      issuer.setClaims({}, { replace: true });
    }
    for (const step of [r.main, r.post]) if (step) assert.deepEqual(step.leaks, [], `leaked in ${step.log}`);
    assert.notEqual(r.main.exitCode, 0);
    assert.match(r.main.log, /Subject identifier is "repo:acme\/widgets:ref:refs\/heads\/feature"/);
    assert.ok(!existsSync(join(job.workspace, 'dist', 'app-1.0.0.txt.asc')), 'nothing was signed');
  });
});
