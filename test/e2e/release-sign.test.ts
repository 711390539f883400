// The sign action in release pipelines, through the runner harness: the scan before sign (a tainted artifact fails
// the step before any OIDC request; `scan: false` signs it) and the fan-in of matrix fragments (`checksums-merge`).
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fakeChecksummed } from '../../src/scan/validate/checksum.ts';
import { ACTIONS, type ActionRun, createJob, type Job, runAction } from './harness.ts';
import { type OidcIssuer, startOidcIssuer } from './services/oidc-issuer.ts';
import { githubVaultOptions, startVaultStandIn, type VaultStandIn } from './services/vault.ts';

const keysDir = join(import.meta.dirname, '..', 'fixtures', 'keys');
const secretKey = readFileSync(join(keysDir, 'ed25519.sec.asc'), 'utf8');
const haveDist = existsSync(ACTIONS.sign.main) && existsSync(ACTIONS.sign.post);
const haveTools = ['gpg', 'sq', 'tar', 'sha256sum'].every((t) => spawnSync(t, ['--version']).status === 0);

describe('sign action: scan before sign and fan-in', {
  skip: !haveDist ? 'dist/sign not bundled (npm run bundle)' : !haveTools && 'gpg, sq, tar or sha256sum missing',
}, () => {
  let issuer: OidcIssuer;
  let vault: VaultStandIn;
  let verifyHome: string;
  const jobs: Job[] = [];
  const token = fakeChecksummed('ghp_', 'release-npmrc');

  before(async () => {
    issuer = await startOidcIssuer();
    vault = await startVaultStandIn(githubVaultOptions({ issuerUrl: issuer.url, fields: { private_key: secretKey } }));
    verifyHome = mkdtempSync(join(tmpdir(), 'jit-gpg-release-verify-'));
    execFileSync('gpg', ['--homedir', verifyHome, '--batch', '--import', join(keysDir, 'ed25519.pub.asc')], {
      stdio: 'ignore',
    });
  });
  after(async () => {
    spawnSync('gpgconf', ['--homedir', verifyHome, '--kill', 'all']);
    rmSync(verifyHome, { recursive: true, force: true });
    await issuer?.close();
    await vault?.close();
    for (const j of jobs) j.cleanup();
  });

  const secrets = () => [
    secretKey,
    token,
    issuer.requestToken,
    ...issuer.issuedTokens,
    ...vault.tokens().map((t) => t.token),
  ];

  async function sign(job: Job, inputs: Record<string, string>): Promise<ActionRun> {
    const r = await runAction({
      action: 'sign',
      job,
      inputs: {
        'vault-url': vault.url,
        'vault-role': 'jit-gpg',
        'vault-secret': 'secret/data/release/gpg',
        ...inputs,
      },
      oidc: { requestUrl: issuer.requestUrl, requestToken: issuer.requestToken },
      secrets: secrets(),
      timeoutMs: 90_000,
    });
    for (const s of [r.main, r.post]) {
      assert.deepEqual(s?.leaks, [], 'no secret in the masked log, outputs or summary');
      assert.ok(!s?.raw.includes(token), 'the token in the artifact is never printed, not even before masking');
    }
    return r;
  }

  /** An npm-pack tarball in the job's dist/. */
  function tarball(job: Job, name: string, files: Record<string, string>) {
    const src = mkdtempSync(join(tmpdir(), 'jit-gpg-pack-'));
    try {
      for (const [p, content] of Object.entries(files)) {
        mkdirSync(join(src, 'package', p, '..'), { recursive: true });
        writeFileSync(join(src, 'package', p), content);
      }
      mkdirSync(join(job.workspace, 'dist'), { recursive: true });
      execFileSync('tar', ['-czf', join(job.workspace, 'dist', name), '-C', src, 'package']);
    } finally {
      rmSync(src, { recursive: true, force: true });
    }
  }

  const audit = (job: Job) => {
    const name = readdirSync(job.runnerTemp).find((n) => n.startsWith('jit-gpg-audit-'));
    assert.ok(name, 'an audit record');
    return JSON.parse(readFileSync(join(job.runnerTemp, name), 'utf8'));
  };

  const gpgVerify = (dir: string, file: string) =>
    spawnSync('gpg', ['--homedir', verifyHome, '--batch', '--verify', `${file}.asc`, file], {
      cwd: dir,
      encoding: 'utf8',
    });

  it('a tarball with a GitHub token in package/.npmrc fails before any OIDC request; scan: false signs it', async () => {
    const job = createJob();
    jobs.push(job);
    tarball(job, 'app-1.0.0.tgz', {
      'package.json': '{"name":"app","version":"1.0.0"}\n',
      '.npmrc': `//npm.pkg.github.com/:_authToken=${token}\n`,
    });
    const oidcBefore = issuer.requests.length;
    const vaultBefore = vault.requests.length;
    const r = await sign(job, { files: 'dist/*.tgz' });
    assert.equal(r.main.exitCode, 1, r.main.log);
    assert.equal(issuer.requests.length, oidcBefore, 'the issuer saw no token request');
    assert.equal(vault.requests.length, vaultBefore, 'Vault saw no request');
    const finding = r.main.annotations.find((a) => a.level === 'error' && a.file);
    assert.ok(finding, r.main.log);
    assert.equal(finding.file, 'dist/app-1.0.0.tgz!package/.npmrc');
    assert.equal(finding.line, 1);
    assert.match(finding.message, /GitHub/);
    const failure = r.main.annotations.find((a) => a.level === 'error' && /^jit-gpg: 1 secret found/.test(a.message));
    assert.ok(failure, r.main.log);
    assert.match(failure.message, /"dist\/app-1\.0\.0\.tgz!package\/\.npmrc"/);
    assert.match(failure.message, /no key was requested/);
    assert.match(r.main.summary, /dist\/app-1\.0\.0\.tgz!package\/\.npmrc/);
    assert.ok(!existsSync(join(job.workspace, 'dist', 'app-1.0.0.tgz.asc')), 'nothing signed');
    const a = audit(job);
    assert.equal(a.outcome, 'failed');
    assert.equal(a.scan.scanned, true);
    assert.equal(a.scan.findings, 1);
    assert.equal(a.key, undefined);

    // scan: false: the same artifact is signed (the user's explicit choice), and the audit says it was not scanned.
    const job2 = createJob();
    jobs.push(job2);
    tarball(job2, 'app-1.0.0.tgz', { '.npmrc': `//npm.pkg.github.com/:_authToken=${token}\n` });
    const r2 = await sign(job2, { files: 'dist/*.tgz', scan: 'false' });
    assert.equal(r2.main.exitCode, 0, r2.main.log);
    assert.equal(gpgVerify(join(job2.workspace, 'dist'), 'app-1.0.0.tgz').status, 0);
    assert.deepEqual(audit(job2).scan, { scanned: false, reason: 'input scan is false' });
    assert.match(r2.main.summary, /Not scanned for secrets before signing/);
  });

  it('a hostile entry name (line break, workflow command) is escaped in the annotation, the log and the summary', async () => {
    const job = createJob();
    jobs.push(job);
    const hostile = 'evil\n::warning title=pwned::injected\n<b>x</b>.env';
    tarball(job, 'app-2.0.0.tgz', { [hostile]: `TOKEN=${token}\n` });
    const r = await sign(job, { files: 'dist/*.tgz' });
    assert.equal(r.main.exitCode, 1, r.main.log);
    assert.ok(
      !r.main.annotations.some((a) => a.level === 'warning' || /pwned/.test(a.title ?? '')),
      'no injected command',
    );
    assert.ok(!r.main.log.split('\n').some((l) => l.startsWith('::')), 'no raw command line reached the log');
    const finding = r.main.annotations.find((a) => a.level === 'error' && a.file);
    assert.equal(finding?.file, `dist/app-2.0.0.tgz!package/${hostile}`, 'the annotation names the entry exactly');
    assert.ok(!r.main.summary.includes('<b>x</b>'), 'no HTML from an entry name in the summary');
  });

  it('a run-only step has nothing to scan: no scanner start, the audit says why', async () => {
    const job = createJob();
    jobs.push(job);
    const r = await sign(job, { run: 'true' });
    assert.equal(r.main.exitCode, 0, r.main.log);
    assert.ok(!r.main.groups.some((g) => g.startsWith('Scan ')), r.main.groups.join(', '));
    assert.deepEqual(audit(job).scan, { scanned: false, reason: 'no files to sign' });
  });

  it('clean artifacts are scanned, then signed; the audit records the rule-set version', async () => {
    const job = createJob();
    jobs.push(job);
    tarball(job, 'app-1.0.0.tgz', { 'package.json': '{"name":"app"}\n', 'index.js': 'module.exports = 1;\n' });
    const r = await sign(job, { files: 'dist/*.tgz' });
    assert.equal(r.main.exitCode, 0, r.main.log);
    assert.ok(
      r.main.groups.indexOf('Scan 1 file(s) for secrets before signing') <
        r.main.groups.indexOf('Request the OIDC token'),
    );
    const a = audit(job);
    assert.equal(a.scan.scanned, true);
    assert.equal(a.scan.findings, 0);
    assert.match(a.scan.ruleSet.version, /^\d+\.\d+\.\d+\+[0-9a-f]{12}$/);
    assert.match(r.main.summary, /Scanned for secrets before signing: 1 file\(s\), 0 finding\(s\), rule set/);
  });

  /** Four matrix jobs' outputs as download-artifact (merge-multiple) leaves them: artifacts and fragments in dist/. */
  function fanInJob(conflict = false): Job {
    const job = createJob();
    jobs.push(job);
    const dist = join(job.workspace, 'dist');
    mkdirSync(dist, { recursive: true });
    for (const t of ['linux-x64', 'linux-arm64', 'darwin-arm64', 'windows-x64']) {
      const name = `app-${t}.tar.gz`;
      writeFileSync(join(dist, name), `build for ${t}\n`);
      const frag = execFileSync('sha256sum', [name], { cwd: dist });
      writeFileSync(join(dist, `${t}.sha256sums`), frag);
    }
    if (conflict) writeFileSync(join(dist, 'stale.sha256sums'), `${'0'.repeat(64)}  app-linux-x64.tar.gz\n`);
    return job;
  }

  it('fan-in: fragments merged into one signed SHA256SUMS that gpg, sq and sha256sum -c accept; absent counted', async () => {
    const job = fanInJob();
    const dist = join(job.workspace, 'dist');
    writeFileSync(join(dist, 'extra.sha256sums'), `${'1'.repeat(64)}  app-freebsd-x64.tar.gz\n`); // not downloaded
    const r = await sign(job, { checksums: 'dist/SHA256SUMS', 'checksums-merge': 'dist/*.sha256sums' });
    assert.equal(r.main.exitCode, 0, r.main.log);
    assert.equal(r.main.outputs.checksums, 'dist/SHA256SUMS');
    assert.deepEqual(JSON.parse(r.main.outputs.signatures!), ['dist/SHA256SUMS.asc']);
    const text = readFileSync(join(dist, 'SHA256SUMS'), 'utf8');
    assert.equal(text.trim().split('\n').length, 5);
    assert.equal(gpgVerify(dist, 'SHA256SUMS').status, 0);
    const sq = spawnSync(
      'sq',
      ['verify', '--signer-cert', join(dist, 'signing-key.pub.asc'), '--detached', 'SHA256SUMS.asc', 'SHA256SUMS'],
      { cwd: dist, encoding: 'utf8' },
    );
    assert.equal(sq.status, 0, sq.stderr);
    const check = spawnSync('sha256sum', ['-c', '--strict', '--ignore-missing', 'SHA256SUMS'], {
      cwd: dist,
      encoding: 'utf8',
    });
    assert.equal(check.status, 0, check.stdout + check.stderr);
    assert.match(r.main.summary, /Merged 5 fragment\(s\): 5 artifact\(s\) listed, 4 present and matching, 1 absent/);
    const a = audit(job);
    assert.deepEqual(a.checksums.merged.absent, ['app-freebsd-x64.tar.gz']);
    assert.equal(a.scan.artifacts, 4, 'the present artifacts the manifest vouches for were scanned');
  });

  it('fan-in: a conflicting fragment fails naming both fragments, before any OIDC request; nothing is signed', async () => {
    const job = fanInJob(true);
    const oidcBefore = issuer.requests.length;
    const r = await sign(job, { checksums: 'dist/SHA256SUMS', 'checksums-merge': 'dist/*.sha256sums' });
    assert.equal(r.main.exitCode, 1, r.main.log);
    assert.equal(issuer.requests.length, oidcBefore);
    const err = r.main.annotations.find((a) => a.level === 'error');
    assert.ok(err);
    assert.match(err.message, /conflicting digests for "app-linux-x64\.tar\.gz"/);
    assert.match(err.message, /dist\/linux-x64\.sha256sums says [0-9a-f]{64}/);
    assert.match(err.message, /dist\/stale\.sha256sums \(line 1\) says 0{64}/);
    assert.ok(!existsSync(join(job.workspace, 'dist', 'SHA256SUMS')));
    assert.ok(!existsSync(join(job.workspace, 'dist', 'SHA256SUMS.asc')));
  });

  it('checksums-merge without checksums is an input error', async () => {
    const job = fanInJob();
    const r = await sign(job, { 'checksums-merge': 'dist/*.sha256sums' });
    assert.equal(r.main.exitCode, 1);
    assert.match(r.main.log, /input `checksums-merge` needs `checksums`/);
  });
});
