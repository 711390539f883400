// Every workflow in examples/ is run (test/e2e/workflow.ts): the project's steps through the runner harness against
// one OIDC issuer and one Vault stand-in, `run:` steps in bash, third-party steps by local equivalents, matrix jobs
// at the same time. What comes out is checked with the tools a user would use: gpg, sq, sha256sum -c, git tag -v.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fakeChecksummed } from '../../src/scan/validate/checksum.ts';
import { ACTIONS, HARNESS_GITHUB_TOKEN, type Job } from './harness.ts';
import { type OidcIssuer, startOidcIssuer } from './services/oidc-issuer.ts';
import { type ReleaseApi, startReleaseApi } from './services/releases.ts';
import { githubVaultOptions, startVaultStandIn, type VaultStandIn } from './services/vault.ts';
import { type JobRun, runWorkflow, type WorkflowContext } from './workflow.ts';

const examples = join(import.meta.dirname, '..', '..', 'examples');
const keysDir = join(import.meta.dirname, '..', 'fixtures', 'keys');
const secretKey = readFileSync(join(keysDir, 'ed25519.sec.asc'), 'utf8');
const publicKey = join(keysDir, 'ed25519.pub.asc');
const haveDist = [ACTIONS.sign.main, ACTIONS.sign.post, ACTIONS.scan.main].every((f) => existsSync(f));
const haveTools = ['gpg', 'sq', 'git', 'tar', 'sha256sum'].every((t) => spawnSync(t, ['--version']).status === 0);
const TARGETS = ['linux-x64', 'linux-arm64', 'darwin-arm64', 'windows-x64'];

const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 'dev',
      GIT_AUTHOR_EMAIL: 'dev@example.test',
      GIT_COMMITTER_NAME: 'dev',
      GIT_COMMITTER_EMAIL: 'dev@example.test',
    },
  }).trim();

describe('examples/ run as workflows', {
  skip: !haveDist ? 'dist not bundled (npm run bundle)' : !haveTools && 'gpg, sq, git, tar or sha256sum missing',
}, () => {
  let root: string;
  let issuer: OidcIssuer;
  let vault: VaultStandIn;
  let releases: ReleaseApi;
  let gnupg: string;
  const jobs: Job[] = [];

  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'jit-gpg-examples-'));
    issuer = await startOidcIssuer({ environment: 'release' });
    vault = await startVaultStandIn(
      githubVaultOptions({ issuerUrl: issuer.url, role: 'release-signing', fields: { private_key: secretKey } }),
    );
    releases = await startReleaseApi({ owner: 'octo-org', repo: 'release-app', token: HARNESS_GITHUB_TOKEN });
    gnupg = join(root, 'gnupg');
    mkdirSync(gnupg, { mode: 0o700 });
    execFileSync('gpg', ['--homedir', gnupg, '--batch', '--import', publicKey], { stdio: 'ignore' });
  });
  after(async () => {
    spawnSync('gpgconf', ['--homedir', gnupg, '--kill', 'all']);
    await issuer?.close();
    await vault?.close();
    await releases?.close();
    for (const j of jobs) j.cleanup();
    rmSync(root, { recursive: true, force: true });
  });

  /** A bare origin with one commit (the project's sources); returns its path and the commit. */
  function origin(name: string, files: Record<string, string> = { 'src/app.txt': 'hello\n' }) {
    const work = join(root, `${name}-work`);
    mkdirSync(work);
    git(work, 'init', '--quiet', '--initial-branch=main');
    for (const [p, c] of Object.entries(files)) {
      mkdirSync(join(work, p, '..'), { recursive: true });
      writeFileSync(join(work, p), c);
    }
    git(work, 'add', '.');
    git(work, 'commit', '--quiet', '-m', 'initial');
    const bare = join(root, `${name}.git`);
    git(root, 'clone', '--quiet', '--bare', work, bare);
    return { work, bare, sha: git(work, 'rev-parse', 'HEAD') };
  }

  const secrets = () => [secretKey, issuer.requestToken, ...issuer.issuedTokens, ...vault.tokens().map((t) => t.token)];

  function context(o: { bare: string; sha: string }, over: Partial<WorkflowContext>): WorkflowContext {
    const artifacts = join(mkdtempSync(join(root, 'run-')), 'artifacts');
    return {
      event: { name: 'workflow_dispatch', payload: {} },
      vars: { VAULT_ADDR: vault.url },
      github: { ref: 'refs/heads/main', ref_name: 'main', sha: o.sha, repository: 'octo-org/release-app' },
      origin: o.bare,
      oidc: { requestUrl: issuer.requestUrl, requestToken: issuer.requestToken },
      secrets,
      artifacts,
      releaseApi: { url: releases.url },
      ...over,
    };
  }

  const keep = (runs: Map<string, JobRun[]>) => {
    for (const list of runs.values()) for (const r of list) jobs.push(r.job);
  };
  const describeRun = (r: JobRun) =>
    `${r.name}:\n${r.steps.map((s) => `  [${s.outcome}] ${s.name}\n${s.output.replace(/^/gm, '      ')}`).join('\n')}`;

  const gpgVerify = (cwd: string, sig: string, file: string) =>
    spawnSync('gpg', ['--homedir', gnupg, '--batch', '--verify', sig, file], { cwd, encoding: 'utf8' });
  const sqVerify = (cwd: string, sig: string, file: string) =>
    spawnSync('sq', ['verify', '--signer-cert', publicKey, '--detached', sig, file], { cwd, encoding: 'utf8' });

  it('release-matrix.yml: 4 concurrent builds, one fan-in that signs SHA256SUMS, tags with git tag -s, releases', async () => {
    const o = origin('release');
    const tokensBefore = issuer.issuedTokens.length;
    const ctx = context(o, { inputs: { version: '1.0.0' } });
    const runs = await runWorkflow(join(examples, 'release-matrix.yml'), ctx);
    keep(runs);
    const builds = runs.get('build')!;
    assert.equal(builds.length, 4);
    for (const b of builds) assert.ok(b.ok, describeRun(b));
    // the matrix ran at the same time: every build started before any ended
    assert.ok(Math.max(...builds.map((b) => b.startedAt)) < Math.min(...builds.map((b) => b.endedAt)));
    const [release] = runs.get('release')!;
    assert.ok(release?.ok, release && describeRun(release));
    assert.equal(issuer.issuedTokens.length - tokensBefore, 1, 'only the fan-in job requested a token');
    assert.ok(
      vault.tokens().every((t) => t.revoked),
      'every Vault token revoked',
    );
    const sign = release.steps.find((s) => s.uses === 'org/jit-gpg@v1')!;
    assert.match(sign.output, /Merge the checksum fragments/);
    assert.match(
      sign.result!.summary,
      /Merged 4 fragment\(s\): 4 artifact\(s\) listed, 4 present and matching, 0 absent/,
    );
    assert.match(sign.result!.summary, /Scanned for secrets before signing: 4 file\(s\), 0 finding/);

    // What a user downloads from the release verifies with gpg, sq and sha256sum -c.
    const rel = releases.releases.get('v1.0.0');
    assert.ok(rel, 'the release exists');
    const names = rel.assets.map((a) => a.name).sort();
    assert.deepEqual(
      names,
      [
        'SHA256SUMS',
        'SHA256SUMS.asc',
        ...TARGETS.map((t) => `app-1.0.0-${t}.tar.gz`).sort(),
        'signing-key.pub.asc',
      ].sort(),
    );
    const dl = mkdtempSync(join(root, 'download-'));
    for (const a of rel.assets) writeFileSync(join(dl, a.name), a.data);
    assert.equal(gpgVerify(dl, 'SHA256SUMS.asc', 'SHA256SUMS').status, 0);
    const sq = sqVerify(dl, 'SHA256SUMS.asc', 'SHA256SUMS');
    assert.equal(sq.status, 0, sq.stderr);
    const check = spawnSync('sha256sum', ['-c', '--strict', 'SHA256SUMS'], { cwd: dl, encoding: 'utf8' });
    assert.equal(check.status, 0, check.stdout + check.stderr);
    assert.equal(check.stdout.trim().split('\n').length, 4);

    // The signed tag reached the origin and verifies.
    const clone = join(root, 'verify-tag');
    git(root, 'clone', '--quiet', o.bare, clone);
    const tag = spawnSync('git', ['tag', '-v', 'v1.0.0'], {
      cwd: clone,
      encoding: 'utf8',
      env: { ...process.env, GNUPGHOME: gnupg },
    });
    assert.equal(tag.status, 0, tag.stderr);
    assert.match(tag.stderr, /Good signature/);
  });

  it('release-matrix.yml: a fragment with a conflicting digest fails the fan-in naming both; nothing released', async () => {
    const o = origin('conflict');
    const tokensBefore = issuer.issuedTokens.length;
    const ctx = context(o, {
      inputs: { version: '1.0.1' },
      // after the builds: another "job" uploaded a stale fragment for the same artifact name
      afterLevel: (level) => {
        if (!level.includes('build')) return;
        const stale = join(ctx.artifacts, 'build-stale');
        mkdirSync(stale, { recursive: true });
        writeFileSync(join(stale, 'stale.sha256sums'), `${'0'.repeat(64)}  app-1.0.1-linux-x64.tar.gz\n`);
      },
    });
    const runs = await runWorkflow(join(examples, 'release-matrix.yml'), ctx);
    keep(runs);
    const [release] = runs.get('release')!;
    assert.equal(release?.ok, false);
    const sign = release!.steps.find((s) => s.uses === 'org/jit-gpg@v1')!;
    assert.equal(sign.outcome, 'failure');
    const err = sign.result!.annotations.find((a) => a.level === 'error')!;
    assert.match(err.message, /conflicting digests for "app-1\.0\.1-linux-x64\.tar\.gz"/);
    assert.match(err.message, /dist\/linux-x64\.sha256sums/);
    assert.match(err.message, /dist\/stale\.sha256sums/);
    assert.equal(issuer.issuedTokens.length, tokensBefore, 'no token was requested');
    assert.equal(releases.releases.has('v1.0.1'), false);
    assert.equal(release!.steps.find((s) => s.uses?.startsWith('softprops/'))?.outcome, 'skipped');
    assert.equal(git(o.bare, 'tag', '--list'), '', 'no tag pushed');
  });

  it('sign-matrix.yml: 4 concurrent jobs each sign their own artifacts with the same key', async () => {
    const o = origin('sign-matrix');
    const tokensBefore = issuer.issuedTokens.length;
    const ctx = context(o, {
      event: { name: 'push', payload: { ref: 'refs/tags/v2.0.0' } },
      github: { ref: 'refs/tags/v2.0.0', ref_name: 'v2.0.0', sha: o.sha, repository: 'octo-org/release-app' },
    });
    const runs = await runWorkflow(join(examples, 'sign-matrix.yml'), ctx);
    keep(runs);
    const builds = runs.get('build')!;
    assert.equal(builds.length, 4);
    for (const b of builds) assert.ok(b.ok, describeRun(b));
    assert.ok(Math.max(...builds.map((b) => b.startedAt)) < Math.min(...builds.map((b) => b.endedAt)));
    assert.equal(issuer.issuedTokens.length - tokensBefore, 4);
    assert.ok(vault.tokens().every((t) => t.revoked));
    for (const t of TARGETS) {
      const art = join(ctx.artifacts, `signed-${t}`);
      const file = `app-v2.0.0-${t}.tar.gz`;
      assert.deepEqual(
        readdirSync(art).sort(),
        [`SHA256SUMS-${t}`, `SHA256SUMS-${t}.asc`, file, `${file}.asc`, 'signing-key.pub.asc'].sort(),
      );
      for (const f of [file, `SHA256SUMS-${t}`]) {
        assert.equal(gpgVerify(art, `${f}.asc`, f).status, 0, `${t}: ${f}`);
        assert.equal(sqVerify(art, `${f}.asc`, f).status, 0, `${t}: ${f}`);
      }
      assert.equal(spawnSync('sha256sum', ['-c', '--strict', `SHA256SUMS-${t}`], { cwd: art }).status, 0);
    }
  });

  it('pr-scan.yml: a clean pull request passes; one adding a token fails with an annotation; SARIF uploaded both times', async () => {
    const o = origin('pr', { 'README.md': '# app\n' });
    const base = o.sha;
    const pr = (name: string, files: Record<string, string>) => {
      git(o.work, 'checkout', '--quiet', '-B', name, base);
      for (const [p, c] of Object.entries(files)) {
        mkdirSync(join(o.work, p, '..'), { recursive: true });
        writeFileSync(join(o.work, p), c);
      }
      git(o.work, 'add', '.');
      git(o.work, 'commit', '--quiet', '-m', name);
      git(o.work, 'push', '--quiet', o.bare, name);
      const head = git(o.work, 'rev-parse', 'HEAD');
      return context(
        { bare: o.bare, sha: head },
        {
          event: {
            name: 'pull_request',
            payload: {
              number: 7,
              pull_request: { number: 7, base: { sha: base, ref: 'main' }, head: { sha: head, ref: name } },
            },
          },
          github: { ref: 'refs/pull/7/merge', ref_name: '7/merge', sha: head, repository: 'octo-org/release-app' },
        },
      );
    };
    const sarifs = (ctx: WorkflowContext) => {
      const dir = join(ctx.artifacts, '..', 'code-scanning');
      return readdirSync(dir).map((d) => JSON.parse(readFileSync(join(dir, d, 'jit-gpg.sarif'), 'utf8')));
    };

    const clean = pr('docs', { 'docs/setup.md': 'Run `make`.\n' });
    const ok = await runWorkflow(join(examples, 'pr-scan.yml'), clean);
    keep(ok);
    assert.ok(ok.get('scan')![0]!.ok, describeRun(ok.get('scan')![0]!));
    assert.deepEqual(
      sarifs(clean).map((s) => s.runs[0].results.length),
      [0],
    );

    const token = fakeChecksummed('ghp_', 'pr-scan-example');
    const bad = pr('leak', { 'deploy/.env': `GH_TOKEN=${token}\n` });
    const failed = await runWorkflow(join(examples, 'pr-scan.yml'), { ...bad, secrets: () => [...secrets(), token] });
    keep(failed);
    const job = failed.get('scan')![0]!;
    assert.equal(job.ok, false);
    const scan = job.steps.find((s) => s.uses === 'org/jit-gpg/scan@v1')!;
    assert.equal(scan.outcome, 'failure');
    const a = scan.result!.annotations.find((x) => x.level === 'error' && x.file);
    assert.equal(a?.file, 'deploy/.env');
    assert.equal(a?.line, 1);
    const upload = job.steps.find((s) => s.uses?.startsWith('github/codeql-action/upload-sarif'))!;
    assert.equal(upload.outcome, 'success', 'if: always() uploads the SARIF of a failed scan');
    assert.deepEqual(
      sarifs(bad).map((s) => s.runs[0].results.length),
      [1],
    );
  });
});
