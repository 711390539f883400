// The signing action end to end: dist/sign/main.js then dist/sign/post.js through the runner harness under
// Node 24, against the local OIDC issuer and the Vault stand-in. Every step's masked log, outputs and summary
// are checked for every secret (key lines, passphrase, OIDC tokens, Vault tokens).
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  ACTIONS,
  type ActionRun,
  createJob,
  findLeaks,
  type Job,
  moduleRecorder,
  runStep,
  type StepOptions,
  type StepResult,
  runAction,
} from './harness.ts';
import { displayPath, errorText, maskSecret, readInputs, resolveFiles } from '../../src/action/sign.ts';
import { commonDir } from '../../src/sign/manifest.ts';
import { processesUsingHome } from '../../src/sign/keyring.ts';
import { type OidcIssuer, startOidcIssuer } from './services/oidc-issuer.ts';
import { startProxy, withCredentials } from './services/proxy.ts';
import { githubVaultOptions, startVaultStandIn, type VaultStandIn } from './services/vault.ts';

const keysDir = join(import.meta.dirname, '..', 'fixtures', 'keys');
const key = (name: string) => readFileSync(join(keysDir, name), 'utf8');
const FPR = Object.fromEntries(
  readFileSync(join(keysDir, 'fingerprints.txt'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => l.split(' ') as [string, string]),
);
const RSA_PW = 'test-only-rsa2048-passphrase';

const METADATA = ACTIONS.sign.metadata;

/** main, then post with main's state whatever main did (post-if: always()). */
const runSign = (opts: Omit<StepOptions, 'script' | 'metadata' | 'state'>): Promise<ActionRun> =>
  runAction({ ...opts, action: 'sign' });

const haveDist = existsSync(ACTIONS.sign.main) && existsSync(ACTIONS.sign.post);
const haveTools = ['gpg', 'sq', 'git'].every((t) => spawnSync(t, ['--version']).status === 0);

/** gpg-agent processes whose command line mentions `path` (Linux /proc; empty elsewhere). */
function agentsUnder(path: string): number[] {
  if (process.platform !== 'linux') return [];
  const out: number[] = [];
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      if (/\) [ZX] /.test(stat)) continue;
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (cmd.includes('gpg-agent') && cmd.includes(path)) out.push(Number(pid));
    } catch {
      // gone
    }
  }
  return out;
}

describe('sign action adapter helpers (no dist needed)', () => {
  const inputsFrom = (values: Record<string, string>) => (name: string) => values[name] ?? '';
  const base = { 'vault-url': 'https://vault.example', 'vault-role': 'r', 'vault-secret': 'secret/data/x', files: 'a' };
  it('reads inputs with their defaults', () => {
    const i = readInputs(inputsFrom({ ...base, files: 'dist/*\n\n# comment\n!dist/*.tmp' }));
    assert.deepEqual(
      [
        i.provider,
        i.audience,
        i.vaultAuthMount,
        i.vaultKeyField,
        i.vaultPassphraseField,
        i.armor,
        i.ttl,
        i.ifNoFilesFound,
      ],
      ['vault', 'jit-gpg', 'jwt', 'private_key', 'passphrase', true, 300, 'error'],
    );
    assert.deepEqual(i.files, ['dist/*', '!dist/*.tmp']);
  });
  it('refuses bad inputs with the input name and what to write', () => {
    const bad: [Record<string, string>, RegExp][] = [
      [{ provider: 'aws' }, /jit-gpg: input `provider` must be one of vault, vault-transit, aws-kms, .* \(got "aws"\)/],
      [
        {
          provider: 'gcp-kms',
          key: 'projects/p/locations/global/keyRings/r/cryptoKeys/k/cryptoKeyVersions/1',
          'public-key': 'k.asc',
        },
        /input `gcp-workload-identity-provider` is required with provider gcp-kms/,
      ],
      [{ provider: 'vault-transit', key: 'release' }, /input `public-key` is required with provider vault-transit/],
      [
        { provider: 'aws-kms', 'vault-url': '', key: 'alias/k', 'public-key': 'k.asc' },
        /input `aws-role-arn` is required/,
      ],
      [
        { secret: 'release/gpg' },
        /input `secret` is not used by provider vault \(it belongs to aws-secrets-manager, gcp-secret-manager, azure-key-vault-secret\)/,
      ],
      [{ key: 'k' }, /input `key` is not used by provider vault/],
      [{ 'vault-url': '' }, /jit-gpg: input `vault-url` is required/],
      [{ 'vault-url': 'vault.example' }, /input `vault-url` must be an absolute URL/],
      [{ armor: 'yes' }, /input `armor` must be true or false/],
      [{ 'if-no-files-found': 'fail' }, /input `if-no-files-found` must be one of error, warn, ignore/],
      [{ ttl: '0' }, /input `ttl` must be an integer between 5 and 3600/],
      [{ ttl: '5m' }, /input `ttl` must be an integer/],
      [{ fingerprint: 'xyz' }, /input `fingerprint` is not a fingerprint/],
      [{ checksums: '../SUMS' }, /input `checksums` must be a file name/],
      [{ files: '', run: '' }, /jit-gpg: nothing to do/],
    ];
    for (const [override, pattern] of bad) {
      assert.throws(() => readInputs(inputsFrom({ ...base, ...override })), pattern, JSON.stringify(override));
    }
  });
  it('resolves globs to sorted files, applies negations, leaves out its own outputs', async () => {
    const job = createJob();
    try {
      const d = join(job.workspace, 'dist');
      mkdirSync(join(d, 'sub'), { recursive: true });
      for (const f of ['a.tgz', 'a.tgz.asc', 'b.zip', 'b.tmp', 'SHA256SUMS', 'SHA256SUMS.asc', 'signing-key.pub.asc']) {
        writeFileSync(join(d, f), f);
      }
      writeFileSync(join(d, 'sub', 'c.tgz'), 'c');
      const files = await resolveFiles(['dist/**/*', '!dist/*.tmp'], job.workspace, { checksums: 'SHA256SUMS' });
      assert.deepEqual(
        files.map((f) => displayPath(f, job.workspace)),
        ['dist/a.tgz', 'dist/b.zip', 'dist/sub/c.tgz'],
      );
      assert.equal(commonDir(files, job.workspace), d);
      assert.equal(commonDir([], job.workspace), job.workspace);
      assert.deepEqual(await resolveFiles(['nothing/*'], job.workspace), []);
    } finally {
      job.cleanup();
    }
  });
  it('masks a multi-line secret whole and line by line; errors carry the prefix once', () => {
    const seen: string[] = [];
    maskSecret('-----BEGIN X-----\n  line one  \n\nline two\n', (v) => seen.push(v));
    assert.deepEqual(seen.slice(1), ['-----BEGIN X-----', 'line one', 'line two']);
    maskSecret(undefined, (v) => seen.push(v));
    assert.equal(seen.length, 4);
    assert.equal(errorText(new Error('boom')), 'jit-gpg: boom');
    assert.equal(errorText(new Error('jit-gpg: boom')), 'jit-gpg: boom');
    assert.equal(displayPath('/elsewhere/x', '/work'), '/elsewhere/x');
  });
});

const keyringDirs = (job: Job) => readdirSync(job.runnerTemp).filter((n) => n.startsWith('jit-gpg-keyring-'));

describe('sign action (dist through the runner harness)', {
  skip: !haveDist ? 'dist/sign not bundled (npm run bundle)' : !haveTools && 'gpg, sq or git missing',
}, () => {
  let issuer: OidcIssuer;
  let vault: VaultStandIn;
  const jobs: Job[] = [];
  /** Every secret any step could have printed; checked after each run. */
  const staticSecrets = [
    key('rsa2048-pw.sec.asc'),
    RSA_PW,
    key('ed25519.sec.asc'),
    Buffer.from(key('ed25519.sec.asc')).toString('base64'), // how release/ed25519 is stored
    key('expired.sec.asc'),
  ];
  let verifyHome: string;

  before(async () => {
    issuer = await startOidcIssuer();
    vault = await startVaultStandIn(
      githubVaultOptions({
        issuerUrl: issuer.url,
        fields: { private_key: key('rsa2048-pw.sec.asc'), passphrase: RSA_PW },
      }),
    );
    vault.setPolicy('jit-gpg-read', { 'secret/data/*': ['read'] });
    vault.putSecret('secret', 'release/ed25519', {
      private_key: Buffer.from(key('ed25519.sec.asc')).toString('base64'),
    });
    vault.putSecret('secret', 'release/wrong-pw', {
      private_key: key('rsa2048-pw.sec.asc'),
      passphrase: 'not-it-at-all',
    });
    vault.putSecret('secret', 'release/expired', { private_key: key('expired.sec.asc') });
    const armor = key('ed25519.sec.asc').split('\n');
    const mid = Math.floor(armor.length / 2);
    armor[mid] = armor[mid]!.split('').reverse().join(''); // corrupted body (and CRC mismatch)
    vault.putSecret('secret', 'release/corrupted', { private_key: armor.join('\n') });
    const vjob = createJob('jit-gpg-verify-');
    jobs.push(vjob);
    verifyHome = join(vjob.dir, 'gnupg');
    mkdirSync(verifyHome, { mode: 0o700 });
    for (const k of ['rsa2048-pw.pub.asc', 'ed25519.pub.asc']) {
      execFileSync('gpg', ['--homedir', verifyHome, '--batch', '--import', join(keysDir, k)], { stdio: 'ignore' });
    }
  });
  after(async () => {
    spawnSync('gpgconf', ['--homedir', verifyHome, '--kill', 'all']);
    await issuer?.close();
    await vault?.close();
    for (const j of jobs) j.cleanup();
  });

  const allSecrets = () => [
    ...staticSecrets,
    issuer.requestToken,
    ...issuer.issuedTokens,
    ...vault.tokens().map((t) => t.token),
  ];

  function assertNoLeaks(...steps: (StepResult | undefined)[]) {
    const secrets = allSecrets();
    for (const s of steps) {
      if (!s) continue;
      assert.deepEqual(s.leaks, []);
      const leaks = [
        ...findLeaks(s.log, secrets),
        ...findLeaks(Object.values(s.outputs).join('\n'), secrets),
        ...findLeaks(s.summary, secrets),
      ];
      assert.deepEqual(leaks.length, 0, 'a secret reached the log, outputs or summary');
    }
  }

  const baseInputs = (extra: Record<string, string> = {}) => ({
    'vault-url': vault.url,
    'vault-role': 'jit-gpg',
    'vault-secret': 'secret/data/release/gpg',
    ...extra,
  });

  function newJob(artifacts = true): Job {
    const job = createJob();
    jobs.push(job);
    if (artifacts) {
      mkdirSync(join(job.workspace, 'dist'));
      writeFileSync(join(job.workspace, 'dist', 'app-1.2.3.tar.gz'), 'tarball bytes '.repeat(1000));
      writeFileSync(join(job.workspace, 'dist', 'app-1.2.3.zip'), Buffer.alloc(70_000, 7));
    }
    return job;
  }

  async function sign(job: Job, inputs: Record<string, string>, opts: { oidc?: boolean } = {}): Promise<ActionRun> {
    const r = await runSign({
      job,
      inputs,
      ...(opts.oidc === false ? {} : { oidc: { requestUrl: issuer.requestUrl, requestToken: issuer.requestToken } }),
      secrets: allSecrets(),
      timeoutMs: 90_000,
    });
    assertNoLeaks(r.main, r.post);
    return r;
  }

  function expectFailure(r: ActionRun, pattern: RegExp) {
    assert.equal(r.main.exitCode, 1, r.main.log);
    const err = r.main.annotations.find((a) => a.level === 'error');
    assert.ok(err, `an error annotation: ${r.main.log}`);
    assert.match(err.message, /jit-gpg: /);
    assert.match(err.message, pattern);
    assert.equal(r.post?.exitCode, 0, r.post?.log);
    assert.ok(
      vault.tokens().every((t) => !t.alive),
      'no Vault token left alive',
    );
  }

  it('happy path: signatures and the signed manifest verify with gpg and sq; notations shown; audit written', async () => {
    const job = newJob();
    const r = await sign(job, baseInputs({ files: 'dist/*.tar.gz\ndist/*.zip', checksums: 'SHA256SUMS' }));
    assert.equal(r.main.exitCode, 0, r.main.log);
    assert.equal(r.main.outputs.fingerprint, FPR['rsa2048-pw']);
    assert.equal(r.main.outputs['key-id'], FPR['rsa2048-pw']!.slice(-16));
    assert.deepEqual(JSON.parse(r.main.outputs.signatures!), [
      'dist/app-1.2.3.tar.gz.asc',
      'dist/app-1.2.3.zip.asc',
      'dist/SHA256SUMS.asc',
    ]);
    assert.equal(r.main.outputs.checksums, 'dist/SHA256SUMS');
    assert.equal(r.main.outputs['public-key'], 'dist/signing-key.pub.asc');
    assert.deepEqual(r.main.groups.slice(0, 4), [
      'Validate inputs and resolve files',
      'Scan 2 file(s) for secrets before signing',
      'Request the OIDC token',
      'Fetch the signing key from Vault',
    ]);
    assert.match(r.main.log, /Key fetched at \S+, destroyed at \S+/);
    const dist = join(job.workspace, 'dist');
    const pub = join(dist, 'signing-key.pub.asc');
    for (const f of ['app-1.2.3.tar.gz', 'app-1.2.3.zip', 'SHA256SUMS']) {
      const g = spawnSync(
        'gpg',
        ['--homedir', verifyHome, '--batch', '--verify-options', 'show-notations', '--verify', `${f}.asc`, f],
        { cwd: dist, encoding: 'utf8' },
      );
      assert.equal(g.status, 0, g.stderr);
      assert.match(g.stderr, /Good signature/);
      assert.match(g.stderr, /repository@jit-gpg=octo-org\/octo-repo/);
      assert.match(
        g.stderr,
        /run-url@jit-gpg=https:\/\/github.com\/octo-org\/octo-repo\/actions\/runs\/1234567890\/attempts\/1/,
      );
      const s = spawnSync('sq', ['verify', '--signer-cert', pub, '--detached', `${f}.asc`, f], {
        cwd: dist,
        encoding: 'utf8',
      });
      assert.equal(s.status, 0, s.stderr);
    }
    const sums = spawnSync('sha256sum', ['-c', 'SHA256SUMS'], { cwd: dist, encoding: 'utf8' });
    assert.equal(sums.status, 0, sums.stdout + sums.stderr);
    // audit file and summary
    const auditName = readdirSync(job.runnerTemp).find((n) => n.startsWith('jit-gpg-audit-'));
    assert.ok(auditName);
    const audit = JSON.parse(readFileSync(join(job.runnerTemp, auditName), 'utf8'));
    assert.equal(audit.outcome, 'signed');
    assert.equal(audit.key.fingerprint, FPR['rsa2048-pw']);
    assert.deepEqual(audit.key.userIds, ['jit-gpg test rsa2048-pw <rsa2048-pw@jit-gpg.test>']);
    assert.equal(audit.claims.repository, 'octo-org/release-app');
    assert.equal(audit.claims.run_attempt, '1');
    assert.equal(
      audit.files[0].sha256,
      createHash('sha256')
        .update(readFileSync(join(dist, 'app-1.2.3.tar.gz')))
        .digest('hex'),
    );
    assert.ok(audit.lifetime.fetchedAt && audit.lifetime.destroyedAt);
    assert.match(r.main.summary, new RegExp(FPR['rsa2048-pw']!));
    assert.match(r.main.summary, /app-1\.2\.3\.zip/);
    // post: nothing left
    assert.equal(r.post?.exitCode, 0);
    assert.match(r.post!.log, /Nothing to clean up/);
    assert.ok(vault.tokens().every((t) => !t.alive));
  });

  it('wrong repository: Vault refuses the bound claim; the message shows the claims and what to change', async () => {
    issuer.setClaims({ repository: 'octo-org/forked-app' });
    try {
      const r = await sign(newJob(), baseInputs({ files: 'dist/*' }));
      expectFailure(r, /bound_claims\.repository/);
      assert.match(r.main.log, /repository: octo-org\/forked-app/);
    } finally {
      issuer.setClaims({}, { replace: true });
    }
  });

  it('wrong ref: Vault refuses a branch the role does not admit', async () => {
    issuer.setClaims({ ref: 'refs/heads/feature/x' });
    try {
      const r = await sign(newJob(), baseInputs({ files: 'dist/*' }));
      expectFailure(r, /bound_claims\.ref/);
      assert.match(r.main.log, /ref: refs\/heads\/feature\/x/);
    } finally {
      issuer.setClaims({}, { replace: true });
    }
  });

  it('wrong audience: claims mismatch names bound_audiences and the audience input', async () => {
    const r = await sign(newJob(), baseInputs({ files: 'dist/*', audience: 'someone-else' }));
    expectFailure(r, /bound_audiences/);
  });

  it('missing id-token permission: fails before any network call and names the fix', async () => {
    const before = vault.requests.length;
    const r = await sign(newJob(), baseInputs({ files: 'dist/*' }), { oidc: false });
    expectFailure(r, /permissions: id-token: write/);
    assert.equal(vault.requests.length, before);
  });

  it('Vault down: retried with labelled attempts, then a clear error', async () => {
    const port = await new Promise<number>((res) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => res(p));
      });
    });
    const r = await sign(newJob(), baseInputs({ files: 'dist/*', 'vault-url': `http://127.0.0.1:${port}` }));
    expectFailure(r, /Vault/);
    assert.match(r.main.log, /attempt 1 of \d+ failed/);
  });

  it('Vault 5xx then success', async () => {
    vault.failNext(2, { status: 503 });
    const r = await sign(newJob(), baseInputs({ files: 'dist/*' }));
    assert.equal(r.main.exitCode, 0, r.main.log);
    assert.match(r.main.log, /attempt 1 of \d+ failed/);
    assert.match(r.main.log, /attempt 2 of \d+ failed/);
  });

  it('behind a proxy: the OIDC and Vault requests go through HTTP_PROXY with its credentials, which stay masked', async () => {
    const password = 'proxy-pass-for-e2e-7f3a';
    const proxy = await startProxy({ user: 'runner', password });
    try {
      const proxyUrl = withCredentials(proxy.url, 'runner', password);
      // host names only the proxy resolves: a request that bypassed it could not succeed
      const vaultUrl = new URL(vault.url);
      vaultUrl.hostname = 'vault.proxy.test';
      const oidcUrl = new URL(issuer.requestUrl);
      oidcUrl.hostname = 'oidc.proxy.test';
      const r = await runSign({
        job: newJob(),
        // plain http to a host that is not loopback: allowed only explicitly (the proxy test stand-in has no TLS)
        inputs: baseInputs({ files: 'dist/*', 'vault-url': vaultUrl.origin, 'allow-insecure-http': 'true' }),
        oidc: { requestUrl: oidcUrl.href, requestToken: issuer.requestToken },
        env: { HTTP_PROXY: proxyUrl, HTTPS_PROXY: proxyUrl, NO_PROXY: 'github.com,.internal.example' },
        secrets: [...allSecrets(), password],
        timeoutMs: 90_000,
      });
      assertNoLeaks(r.main, r.post);
      for (const step of [r.main, r.post]) assert.deepEqual(findLeaks(step!.log, [password]), []);
      assert.equal(r.main.exitCode, 0, r.main.log);
      assert.match(r.main.log, new RegExp(`Vault requests go through the proxy ${proxy.url.replace(/\./g, '\\.')} `));
      const paths = proxy.forwarded.map((u) => new URL(u)).map((u) => `${u.hostname} ${u.pathname}`);
      assert.deepEqual(paths, [
        'oidc.proxy.test /token',
        'vault.proxy.test /v1/auth/jwt/login',
        'vault.proxy.test /v1/secret/data/release/gpg',
        'vault.proxy.test /v1/auth/token/revoke-self',
      ]);
      const basic = `Basic ${Buffer.from(`runner:${password}`).toString('base64')}`;
      assert.ok(proxy.auths.every((a) => a === basic));
      assert.equal(r.post?.exitCode, 0, r.post?.log);
    } finally {
      await proxy.close();
    }
  });

  it('wrong passphrase: a clear error that prints nothing secret', async () => {
    staticSecrets.push('not-it-at-all');
    const r = await sign(newJob(), baseInputs({ files: 'dist/*', 'vault-secret': 'secret/data/release/wrong-pw' }));
    expectFailure(r, /passphrase does not unlock/);
  });

  it('expired key', async () => {
    const r = await sign(newJob(), baseInputs({ files: 'dist/*', 'vault-secret': 'secret/data/release/expired' }));
    expectFailure(r, /expired on 2020-01-02/);
  });

  it('fingerprint mismatch', async () => {
    const r = await sign(newJob(), baseInputs({ files: 'dist/*', fingerprint: FPR.ed25519! }));
    expectFailure(r, /does not match the expected fingerprint/);
  });

  it('no files matched: fails before requesting a token', async () => {
    const before = issuer.requests.length;
    const r = await sign(newJob(), baseInputs({ files: 'dist/*.rpm' }));
    expectFailure(r, /no files matched "dist\/\*\.rpm".*if-no-files-found/);
    assert.equal(issuer.requests.length, before);
  });

  it('no files matched with if-no-files-found: warn succeeds without touching the key', async () => {
    const before = issuer.requests.length;
    const r = await sign(newJob(), baseInputs({ files: 'dist/*.rpm', 'if-no-files-found': 'warn' }));
    assert.equal(r.main.exitCode, 0, r.main.log);
    assert.ok(r.main.annotations.some((a) => a.level === 'warning' && /no files matched/.test(a.message)));
    assert.equal(issuer.requests.length, before);
  });

  it('corrupted armor', async () => {
    const r = await sign(newJob(), baseInputs({ files: 'dist/*', 'vault-secret': 'secret/data/release/corrupted' }));
    expectFailure(r, /corrupt|CRC|armor/i);
  });

  it('base64-stored Ed25519 key, binary .sig signatures', async () => {
    const job = newJob();
    const r = await sign(
      job,
      baseInputs({ files: 'dist/*.zip', armor: 'false', 'vault-secret': 'secret/data/release/ed25519' }),
    );
    assert.equal(r.main.exitCode, 0, r.main.log);
    assert.deepEqual(JSON.parse(r.main.outputs.signatures!), ['dist/app-1.2.3.zip.sig']);
    const g = spawnSync('gpg', ['--homedir', verifyHome, '--batch', '--verify', 'app-1.2.3.zip.sig', 'app-1.2.3.zip'], {
      cwd: join(job.workspace, 'dist'),
      encoding: 'utf8',
    });
    assert.equal(g.status, 0, g.stderr);
  });

  it('scan: false loads none of the scanner (its chunks in dist/sign/chunks/); with the scan on, they load and run', async () => {
    const job = newJob();
    const recorder = moduleRecorder(job.dir);
    const scannerLoaded = async (scan: string) => {
      recorder.reset();
      const r = await runSign({
        job,
        inputs: baseInputs({ files: 'dist/*.tar.gz', scan }),
        oidc: { requestUrl: issuer.requestUrl, requestToken: issuer.requestToken },
        secrets: allSecrets(),
        env: recorder.env,
        timeoutMs: 90_000,
      });
      assertNoLeaks(r.main, r.post);
      assert.equal(r.main.exitCode, 0, r.main.log);
      assert.ok(
        recorder.loaded().some((u) => u.endsWith('/dist/sign/main.js')),
        'the recorder saw the step',
      );
      return recorder.holding('// src/scan/engine.ts');
    };
    assert.equal(await scannerLoaded('false'), false);
    assert.equal(await scannerLoaded('true'), true);
  });

  it('run: git tag -s makes a tag that git tag -v verifies; the keyring and agent are gone afterwards', async () => {
    const job = newJob(false);
    const git = (...args: string[]) =>
      execFileSync('git', args, { cwd: job.workspace, env: { ...process.env, HOME: job.home }, stdio: 'pipe' });
    git('init', '-q', '-b', 'main');
    git('config', 'user.name', 'Release Bot');
    git('config', 'user.email', 'release@example.test');
    git('commit', '-q', '--allow-empty', '-m', 'release');
    const r = await sign(job, baseInputs({ run: 'git tag -s v1.2.3 -m v1.2.3' }));
    assert.equal(r.main.exitCode, 0, r.main.log);
    assert.match(r.main.log, /Teardown: removed /);
    const v = spawnSync('git', ['tag', '-v', 'v1.2.3'], {
      cwd: job.workspace,
      env: { ...process.env, HOME: job.home, GNUPGHOME: verifyHome },
      encoding: 'utf8',
    });
    assert.equal(v.status, 0, v.stderr);
    assert.match(v.stderr, /Good signature/);
    assert.deepEqual(keyringDirs(job), []);
    assert.deepEqual(agentsUnder(job.runnerTemp), []);
    assert.equal(r.main.state.keyring, '');
    // with only `run`, the public key goes to RUNNER_TEMP: the checkout stays clean for release tools
    assert.equal(git('status', '--porcelain').toString(), '');
    assert.ok(existsSync(r.main.outputs['public-key']!));
  });

  it('cancelled (SIGTERM) while run: holds the key: main cleans up itself before exiting', async () => {
    const job = newJob(false);
    const r = await runSign({
      job,
      inputs: baseInputs({ run: 'sleep 60' }),
      oidc: { requestUrl: issuer.requestUrl, requestToken: issuer.requestToken },
      secrets: allSecrets(),
      timeoutMs: 60_000,
      interrupt: ({ state }) => (state.keyring?.includes('commandPid') ? 'SIGTERM' : undefined),
    });
    assertNoLeaks(r.main, r.post);
    assert.equal(r.main.exitCode, 1, r.main.log);
    assert.match(r.main.log, /cancelled \(SIGTERM\)/);
    assert.match(r.main.log, /Teardown: removed /);
    assert.deepEqual(keyringDirs(job), []);
    assert.deepEqual(agentsUnder(job.runnerTemp), []);
    assert.equal(r.post?.exitCode, 0);
    assert.match(r.post!.log, /Nothing to clean up|already gone/);
  });

  it('run: without GnuPG on the runner fails before requesting a token', async () => {
    const before = issuer.requests.length;
    const r = await runSign({
      job: newJob(false),
      inputs: baseInputs({ run: 'git tag -s v1 -m v1' }),
      oidc: { requestUrl: issuer.requestUrl, requestToken: issuer.requestToken },
      env: { PATH: '/nonexistent' },
      secrets: allSecrets(),
    });
    assertNoLeaks(r.main, r.post);
    expectFailure(r, /gpgconf was not found on PATH/);
    assert.equal(issuer.requests.length, before);
  });

  it('run: a command that outlives ttl is killed and the step fails', async () => {
    const job = newJob(false);
    const r = await sign(job, baseInputs({ run: 'sleep 60', ttl: '5' }));
    expectFailure(r, /ttl \(5 s\) ran out/);
    assert.deepEqual(keyringDirs(job), []);
    assert.deepEqual(agentsUnder(job.runnerTemp), []);
  });

  it('main SIGKILLed after the key was imported for run: post removes the directory and kills the agent', async () => {
    const job = newJob(false);
    const r = await runSign({
      job,
      inputs: baseInputs({ run: 'sleep 60' }),
      oidc: { requestUrl: issuer.requestUrl, requestToken: issuer.requestToken },
      secrets: allSecrets(),
      timeoutMs: 60_000,
      interrupt: ({ state }) => (state.keyring?.includes('commandPid') ? 'SIGKILL' : undefined),
    });
    assertNoLeaks(r.main, r.post);
    assert.equal(r.main.signal, 'SIGKILL');
    const saved = JSON.parse(r.main.state.keyring!) as { dir: string; agentPid: number; commandPid: number };
    assert.match(r.post!.log, /killed 1 process\(es\) still running with this GNUPGHOME/);
    assert.deepEqual(processesUsingHome(saved.dir), [], 'the run command (sleep) is gone too');
    assert.equal(r.post?.exitCode, 0, r.post?.log);
    assert.match(r.post!.log, /did not finish/);
    assert.match(r.post!.log, /stopped gpg-agent \(pid \d+\)/);
    assert.match(r.post!.log, /Keyring: removed /);
    assert.equal(existsSync(saved.dir), false);
    assert.deepEqual(keyringDirs(job), []);
    assert.deepEqual(agentsUnder(job.runnerTemp), []);
    assert.ok(
      vault.tokens().every((t) => !t.alive),
      'the Vault token is dead',
    );
    // post again: idempotent
    const again = await runStep({
      job,
      metadata: METADATA,
      script: ACTIONS.sign.post,
      state: r.main.state,
      secrets: allSecrets(),
    });
    assert.equal(again.exitCode, 0, again.log);
    assert.match(again.log, /already gone/);
    assertNoLeaks(again);
  });

  it('main SIGKILLed while the Vault token is alive: post revokes it (the stand-in confirms)', async () => {
    const job = newJob();
    // reads fail (and are retried with backoff) so main sits between login and revoke with a live token
    vault.failNext(4, { status: 500, match: /^secret\/data\// });
    const main = await runStep({
      job,
      metadata: METADATA,
      script: ACTIONS.sign.main,
      inputs: baseInputs({ files: 'dist/*' }),
      oidc: { requestUrl: issuer.requestUrl, requestToken: issuer.requestToken },
      secrets: allSecrets(),
      timeoutMs: 60_000,
      interrupt: ({ state }) => (state['vault-session'] ? 'SIGKILL' : undefined),
    });
    vault.failNext(0);
    assert.equal(main.signal, 'SIGKILL');
    const token = (JSON.parse(main.state['vault-session']!) as { token: string }).token;
    assert.equal(vault.isAlive(token), true, 'the token was alive when main died');
    const post = await runStep({
      job,
      metadata: METADATA,
      script: ACTIONS.sign.post,
      state: main.state,
      secrets: allSecrets(),
    });
    assertNoLeaks(main, post);
    assert.equal(post.exitCode, 0, post.log);
    assert.match(post.log, /revoked the token/);
    assert.equal(vault.isAlive(token), false, 'the stand-in says the token is dead');
  });

  it('post without any state (main never started) says so and succeeds', async () => {
    const job = newJob(false);
    const post = await runStep({ job, metadata: METADATA, script: ACTIONS.sign.post, secrets: allSecrets() });
    assert.equal(post.exitCode, 0, post.log);
    assert.match(post.log, /main saved no state/);
    assert.equal(post.annotations.length, 0);
  });

  it('sixteen sign steps in parallel do not interfere and all verify', async () => {
    const matrix = Array.from({ length: 16 }, (_, i) => {
      const job = newJob();
      writeFileSync(join(job.workspace, 'dist', 'app-1.2.3.zip'), `matrix cell ${i}\n`);
      return job;
    });
    const runs = await Promise.all(
      matrix.map((job, i) =>
        sign(
          job,
          baseInputs({
            files: 'dist/*',
            checksums: 'SHA256SUMS',
            ...(i % 2 ? { 'vault-secret': 'secret/data/release/ed25519' } : {}),
            ...(i % 4 === 0
              ? { run: 'gpg --batch -u "$(git config user.signingkey)" --detach-sign -o dist/x.sig dist/app-1.2.3.zip' }
              : {}),
          }),
        ),
      ),
    );
    for (const [i, r] of runs.entries()) {
      assert.equal(r.main.exitCode, 0, `cell ${i}: ${r.main.log}`);
      const dist = join(matrix[i]!.workspace, 'dist');
      for (const f of ['app-1.2.3.tar.gz', 'app-1.2.3.zip', 'SHA256SUMS']) {
        const g = spawnSync('gpg', ['--homedir', verifyHome, '--batch', '--verify', `${f}.asc`, f], {
          cwd: dist,
          encoding: 'utf8',
        });
        assert.equal(g.status, 0, `cell ${i} ${f}: ${g.stderr}`);
      }
      if (i % 4 === 0) {
        const g = spawnSync('gpg', ['--homedir', verifyHome, '--batch', '--verify', 'x.sig', 'app-1.2.3.zip'], {
          cwd: dist,
          encoding: 'utf8',
        });
        assert.equal(g.status, 0, `cell ${i} run signature: ${g.stderr}`);
      }
      assert.deepEqual(keyringDirs(matrix[i]!), []);
    }
    assert.ok(vault.tokens().every((t) => !t.alive));
  });
});
