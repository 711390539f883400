// Issue 8, the signer's side: each numbered item tried as an attacker or an unlucky user would, through dist/ under
// the runner harness (and the CLI where the item is the CLI's). Every test asserts the exact behaviour: exit code,
// message, what the runner recorded (outputs, state, annotations), and that nothing secret or injected got through.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { readInputs } from '../../src/action/sign.ts';
import { REMOVED_FROM_CHILD_ENV } from '../../src/sign/child-env.ts';
import { runInProcessGroup } from '../../src/sign/keyring.ts';
import { checkKeyringState, checkShimState } from '../../src/sign/post-state.ts';
import {
  ACTIONS,
  type ActionRun,
  createJob,
  findLeaks,
  type Job,
  repoRoot,
  runStep,
  type StepOptions,
  type StepResult,
  runAction,
} from './harness.ts';
import { type OidcIssuer, startOidcIssuer } from './services/oidc-issuer.ts';
import { githubVaultOptions, startVaultStandIn, type VaultStandIn } from './services/vault.ts';

const keysDir = join(import.meta.dirname, '..', 'fixtures', 'keys');
const key = (name: string) => readFileSync(join(keysDir, name), 'utf8');
const METADATA = ACTIONS.sign.metadata;
const haveDist = existsSync(ACTIONS.sign.main) && existsSync(ACTIONS.sign.post);
const haveGpg = spawnSync('gpg', ['--version']).status === 0;

/** main, then post with main's state whatever main did (post-if: always()). */
const runSign = (opts: Omit<StepOptions, 'script' | 'metadata' | 'state'>): Promise<ActionRun> =>
  runAction({ ...opts, action: 'sign' });

/**
 * Every byte a step printed (but its `::add-mask::` commands, which carry the secrets to the runner) and every
 * output, summary and environment file it wrote, for greps. (The state holds the Vault session token on purpose.)
 */
const everything = (s: StepResult) =>
  [
    s.raw
      .split('\n')
      .filter((l) => !l.startsWith('::add-mask::'))
      .join('\n'),
    s.log,
    JSON.stringify(s.outputs),
    s.summary,
    JSON.stringify(s.env),
  ].join('\n');

describe('hostile inputs to the sign action adapter (no dist needed)', () => {
  const from = (values: Record<string, string>) => (name: string) => values[name] ?? '';
  const base = { 'vault-url': 'https://vault.example', 'vault-role': 'r', 'vault-secret': 'secret/data/x', files: 'a' };

  it('item 3: an input error shows at most 4 characters of a value that could be secret', () => {
    const secret = 'ghp_0123456789abcdefghijklmnopqrstuvwxyz';
    for (const name of ['ttl', 'armor', 'if-no-files-found', 'provider', 'allow-insecure-http']) {
      assert.throws(
        () => readInputs(from({ ...base, [name]: secret })),
        (e: Error) => e.message.includes('"ghp_…"') && !e.message.includes('ghp_0'),
        name,
      );
    }
    assert.throws(
      () => readInputs(from({ ...base, 'vault-url': `not a url ${secret}` })),
      (e: Error) => /must be an absolute URL/.test(e.message) && !e.message.includes(secret.slice(0, 8)),
    );
  });

  it('item 3: credentials in vault-url are refused without any part of them; plain http needs allow-insecure-http', () => {
    assert.throws(
      () => readInputs(from({ ...base, 'vault-url': 'https://admin:hunter2pass@vault.example.com' })),
      (e: Error) =>
        /input `vault-url` must not contain a user name or password/.test(e.message) &&
        !e.message.includes('admin') &&
        !e.message.includes('hunter2'),
    );
    assert.throws(
      () => readInputs(from({ ...base, 'vault-url': 'http://vault.example.com:8200' })),
      /input `vault-url` uses plain http:\/\/ to vault\.example\.com:8200.*allow-insecure-http: true/,
    );
    assert.equal(
      readInputs(from({ ...base, 'vault-url': 'http://vault.example.com:8200', 'allow-insecure-http': 'true' }))
        .vaultUrl,
      'http://vault.example.com:8200',
    );
    assert.equal(readInputs(from({ ...base, 'vault-url': 'http://127.0.0.1:8200' })).vaultUrl, 'http://127.0.0.1:8200');
  });

  it('item 7: absolute and climbing files patterns and an absolute checksums name are refused by name', () => {
    for (const files of ['../outside/*.tgz', '/etc/passwd', 'dist/../../x', '!../y', '~/secret']) {
      assert.throws(
        () => readInputs(from({ ...base, files })),
        /input `files` pattern .* (is absolute|climbs out with "\.\.")/,
        files,
      );
    }
    assert.throws(() => readInputs(from({ ...base, checksums: '/tmp/SHA256SUMS' })), /input `checksums` must be/);
  });

  it('item 9: post believes only a keyring directory under RUNNER_TEMP and pids that still belong to it', () => {
    const job = createJob();
    try {
      const inWorkspace = join(job.workspace, 'jit-gpg-keyring-evil');
      mkdirSync(inWorkspace, { mode: 0o700 });
      const ignored = checkKeyringState(JSON.stringify({ dir: inWorkspace }), job.runnerTemp);
      assert.equal(ignored.info, undefined);
      assert.match(ignored.warnings[0]!, /does not name a keyring directory under RUNNER_TEMP/);
      const open = join(job.runnerTemp, 'jit-gpg-keyring-open');
      mkdirSync(open, { mode: 0o755 });
      assert.match(checkKeyringState(JSON.stringify({ dir: open }), job.runnerTemp).warnings[0]!, /not a private/);
      const link = join(job.runnerTemp, 'jit-gpg-keyring-link');
      symlinkSync(job.workspace, link);
      assert.equal(checkKeyringState(JSON.stringify({ dir: link }), job.runnerTemp).info, undefined);
      const real = join(job.runnerTemp, 'jit-gpg-keyring-real');
      mkdirSync(real, { mode: 0o700 });
      // pid 1 and this test process are alive but neither is the keyring's agent nor its command
      const forged = checkKeyringState(
        JSON.stringify({ dir: real, agentPid: process.pid, commandPid: process.pid, socketDir: '/home' }),
        job.runnerTemp,
      );
      assert.deepEqual(forged.info, { dir: real });
      assert.equal(forged.warnings.length, 3);
      for (const bad of ['', 'not json', '{"dir":1}', 'null']) {
        assert.equal(checkKeyringState(bad, job.runnerTemp).info, undefined, bad);
      }
    } finally {
      job.cleanup();
    }
  });

  it('item 10: post removes only a git shim directory of its own under RUNNER_TEMP', () => {
    const job = createJob();
    try {
      const elsewhere = join(job.workspace, 'jit-gpg-shim-victim');
      mkdirSync(elsewhere);
      const r = checkShimState(elsewhere, job.runnerTemp, 'jit-gpg-shim-');
      assert.equal(r.dir, undefined);
      assert.match(r.warning!, /does not name a shim directory under RUNNER_TEMP/);
      const link = join(job.runnerTemp, 'jit-gpg-shim-link');
      symlinkSync(job.workspace, link);
      assert.match(checkShimState(link, job.runnerTemp, 'jit-gpg-shim-').warning!, /not a directory of this user/);
      const own = join(job.runnerTemp, 'jit-gpg-shim-own');
      mkdirSync(own);
      assert.deepEqual(checkShimState(own, job.runnerTemp, 'jit-gpg-shim-'), { dir: own });
      assert.deepEqual(checkShimState('', job.runnerTemp, 'jit-gpg-shim-'), {});
    } finally {
      job.cleanup();
    }
  });

  it('item 10: every run: path (keyring or remote git shim) starts its command without the runner variables', async () => {
    const r = await runInProcessGroup('env', {
      env: { PATH: process.env.PATH, ACTIONS_ID_TOKEN_REQUEST_TOKEN: 't', GITHUB_STATE: '/s', KEEP: '1' },
      deadline: Date.now() + 30_000,
      log: () => {},
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    assert.equal(r.exitCode, 0);
    assert.doesNotMatch(r.stdout ?? '', /ACTIONS_ID_TOKEN_REQUEST_TOKEN|GITHUB_STATE/);
    assert.match(r.stdout ?? '', /^KEEP=1$/m);
  });

  it('item 10: the run: child loses every runner token and step-file variable', () => {
    assert.deepEqual([...REMOVED_FROM_CHILD_ENV].sort(), [
      'ACTIONS_CACHE_SERVICE_V2',
      'ACTIONS_CACHE_URL',
      'ACTIONS_ID_TOKEN_REQUEST_TOKEN',
      'ACTIONS_ID_TOKEN_REQUEST_URL',
      'ACTIONS_RESULTS_URL',
      'ACTIONS_RUNTIME_TOKEN',
      'ACTIONS_RUNTIME_URL',
      'GITHUB_ENV',
      'GITHUB_OUTPUT',
      'GITHUB_PATH',
      'GITHUB_STATE',
      'GITHUB_STEP_SUMMARY',
    ]);
  });

  it('item 12: dist ships third-party notices with licence texts, and the post bundle carries no openpgp', {
    skip: !haveDist && 'dist not bundled',
  }, () => {
    const notices = readFileSync(join(repoRoot, 'dist', 'THIRD-PARTY-NOTICES.txt'), 'utf8');
    const openpgp = JSON.parse(readFileSync(join(repoRoot, 'node_modules', 'openpgp', 'package.json'), 'utf8'));
    assert.match(
      notices,
      new RegExp(`^openpgp ${openpgp.version.replace(/\./g, '\\.')}\\nLicense: LGPL-3\\.0\\+`, 'm'),
    );
    assert.match(notices, /GNU LESSER GENERAL PUBLIC LICENSE/);
    assert.match(notices, /^@actions\/core \S+\nLicense: MIT\nBundled into: .*sign\/post\.js/m);
    const post = readFileSync(ACTIONS.sign.post, 'utf8');
    assert.doesNotMatch(post, /openpgp/i);
    assert.ok(statSync(ACTIONS.sign.post).size < 1_000_000, `post.js is ${statSync(ACTIONS.sign.post).size} bytes`);
  });
});

describe('hostile runs of the sign action (dist through the runner harness)', {
  skip: !haveDist ? 'dist/sign not bundled (npm run bundle)' : !haveGpg && 'gpg missing',
}, () => {
  let issuer: OidcIssuer;
  let vault: VaultStandIn;
  const jobs: Job[] = [];
  const RSA_PW = 'test-only-rsa2048-passphrase';

  before(async () => {
    issuer = await startOidcIssuer();
    vault = await startVaultStandIn(
      githubVaultOptions({
        issuerUrl: issuer.url,
        fields: { private_key: key('rsa2048-pw.sec.asc'), passphrase: RSA_PW },
      }),
    );
    vault.setPolicy('jit-gpg-read', { 'secret/data/*': ['read'] });
  });
  after(async () => {
    await issuer?.close();
    await vault?.close();
    for (const j of jobs) j.cleanup();
  });

  const secrets = () => [
    key('rsa2048-pw.sec.asc'),
    RSA_PW,
    issuer.requestToken,
    ...issuer.issuedTokens,
    ...vault.tokens().map((t) => t.token),
  ];
  const inputs = (extra: Record<string, string> = {}) => ({
    'vault-url': vault.url,
    'vault-role': 'jit-gpg',
    'vault-secret': 'secret/data/release/gpg',
    ...extra,
  });
  function newJob(): Job {
    const job = createJob();
    jobs.push(job);
    mkdirSync(join(job.workspace, 'dist'));
    writeFileSync(join(job.workspace, 'dist', 'app.tgz'), 'tarball');
    return job;
  }
  async function sign(job: Job, extra: Record<string, string>, opts: Partial<StepOptions> = {}) {
    const r = await runSign({
      job,
      inputs: inputs(extra),
      oidc: { requestUrl: issuer.requestUrl, requestToken: issuer.requestToken },
      secrets: secrets(),
      timeoutMs: 90_000,
      ...opts,
    });
    for (const s of [r.main, r.post!]) {
      assert.deepEqual(s.leaks, []);
      assert.deepEqual(findLeaks(everything(s), secrets()), [], 'nothing secret in anything the step wrote');
    }
    return r;
  }
  /** Failed before any OIDC request and before any output. */
  function refusedEarly(r: ActionRun, before: number, pattern: RegExp) {
    assert.equal(r.main.exitCode, 1, r.main.log);
    const err = r.main.annotations.find((a) => a.level === 'error');
    assert.match(err?.message ?? '', pattern);
    assert.equal(issuer.requests.length, before, 'no OIDC token was requested');
    assert.deepEqual(r.main.outputs, {});
    assert.equal(r.post?.exitCode, 0, r.post?.log);
  }

  it('item 3: vault-url with credentials is refused before any OIDC request, and the URL is never printed', async () => {
    const before = issuer.requests.length;
    const url = new URL(vault.url);
    url.username = 'admin';
    url.password = 'hunter2pass';
    const r = await sign(newJob(), { files: 'dist/*', 'vault-url': url.href });
    refusedEarly(r, before, /input `vault-url` must not contain a user name or password/);
    for (const s of [r.main, r.post!]) {
      assert.ok(!everything(s).includes('hunter2pass'), 'the password is nowhere');
      assert.ok(!everything(s).includes('admin:'), 'the user name is nowhere');
    }
    assert.doesNotMatch(r.main.log, /Key service:/);
  });

  it('item 3: plain http to a host that is not loopback is refused before any OIDC request', async () => {
    const before = issuer.requests.length;
    const r = await sign(newJob(), { files: 'dist/*', 'vault-url': 'http://vault.example.test:8200' });
    refusedEarly(r, before, /uses plain http:\/\/ to vault\.example\.test:8200.*allow-insecure-http: true/);
  });

  it('item 7: ../ and absolute globs are refused with a clear message; nothing is written outside', async () => {
    const job = newJob();
    const outside = join(job.dir, 'outside');
    mkdirSync(outside);
    writeFileSync(join(outside, 'loot.tgz'), 'not ours');
    for (const files of ['../outside/*.tgz', `${outside}/*.tgz`]) {
      const before = issuer.requests.length;
      const r = await sign(job, { files, checksums: 'SHA256SUMS' });
      refusedEarly(r, before, /input `files` pattern .* (climbs out with "\.\."|is absolute)/);
    }
    assert.deepEqual(readdirSync(outside), ['loot.tgz']);
  });

  it('item 7: a match that resolves outside the workspace (symlinked file or directory) is refused', async () => {
    const job = newJob();
    const outside = join(job.dir, 'outside');
    mkdirSync(outside);
    writeFileSync(join(outside, 'loot.tgz'), 'not ours');
    symlinkSync(join(outside, 'loot.tgz'), join(job.workspace, 'dist', 'link.tgz'));
    symlinkSync(outside, join(job.workspace, 'dist', 'sub'));
    for (const files of ['dist/link.tgz', 'dist/sub/*.tgz']) {
      const before = issuer.requests.length;
      const r = await sign(job, { files, checksums: 'SHA256SUMS' });
      refusedEarly(r, before, /input `files`: .* resolves outside the workspace/);
    }
    assert.deepEqual(readdirSync(outside), ['loot.tgz'], 'no .asc, SHA256SUMS or signing-key.pub.asc outside');
    assert.deepEqual(readdirSync(join(job.workspace, 'dist')).sort(), ['app.tgz', 'link.tgz', 'sub']);
  });

  it('item 9: a key read that fails after login: main revokes once, clears the state, post does nothing', async () => {
    const before = vault.requests.length;
    const r = await sign(newJob(), { files: 'dist/*', 'vault-secret': 'secret/data/release/absent' });
    assert.equal(r.main.exitCode, 1, r.main.log);
    assert.match(r.main.annotations.find((a) => a.level === 'error')?.message ?? '', /no secret at/);
    assert.equal(r.main.state['vault-session'], '', 'the session entry is cleared once the token is dead');
    const revokes = vault.requests.slice(before).filter((q) => q.path.endsWith('auth/token/revoke-self'));
    assert.equal(revokes.length, 1, 'one revoke, by main');
    assert.equal(r.post?.exitCode, 0);
    assert.match(r.post!.log, /Nothing to clean up/);
    assert.doesNotMatch(r.post!.log, /left|revoked the token/);
    assert.ok(vault.tokens().every((t) => !t.alive));
  });

  it('item 9: a signal runs cleanup once (the teardown is logged once, the state cleared)', async () => {
    const job = createJob();
    jobs.push(job);
    const r = await sign(
      job,
      { run: 'sleep 60' },
      { interrupt: ({ state }) => (state.keyring?.includes('commandPid') ? 'SIGTERM' : undefined) },
    );
    assert.equal(r.main.exitCode, 1, r.main.log);
    assert.match(r.main.log, /cancelled \(SIGTERM\)/);
    assert.equal(r.main.log.match(/Teardown: removed /g)?.length, 1, r.main.log);
    assert.ok((r.main.log.match(/Teardown: stopped gpg-agent/g)?.length ?? 0) <= 1, r.main.log);
    assert.equal(r.main.state.keyring, '');
    assert.match(r.post!.log, /Nothing to clean up/);
    assert.equal(r.post!.annotations.length, 0, r.post!.log);
  });

  it('item 10: run: does not see the OIDC, runtime, cache or step-file variables; forged state is ignored', async () => {
    const job = createJob();
    jobs.push(job);
    const envFile = join(job.dir, 'child-env.txt');
    const r = await sign(
      job,
      { run: `env > ${JSON.stringify(envFile)}` },
      {
        env: {
          ACTIONS_RUNTIME_TOKEN: 'runtime-token-for-the-test',
          ACTIONS_RUNTIME_URL: 'https://runtime.example/',
          ACTIONS_RESULTS_URL: 'https://results.example/',
          ACTIONS_CACHE_URL: 'https://cache.example/',
          ACTIONS_CACHE_SERVICE_V2: 'true',
        },
      },
    );
    assert.equal(r.main.exitCode, 0, r.main.log);
    const names = readFileSync(envFile, 'utf8')
      .split('\n')
      .map((l) => l.slice(0, l.indexOf('=')));
    for (const n of REMOVED_FROM_CHILD_ENV) assert.ok(!names.includes(n), `${n} reached the child`);
    assert.ok(names.includes('GNUPGHOME') && names.includes('GITHUB_WORKSPACE'), 'the rest of the environment is kept');

    // what a child that rewrote the state file could hand to post: a directory and a pid that are not main's
    const victim = join(job.workspace, 'jit-gpg-keyring-victim');
    mkdirSync(victim, { mode: 0o700 });
    const sleeper = spawn('sleep', ['30'], { stdio: 'ignore' });
    try {
      const post = await runStep({
        job,
        metadata: METADATA,
        script: ACTIONS.sign.post,
        state: {
          keyring: JSON.stringify({ dir: victim, agentPid: sleeper.pid, commandPid: sleeper.pid }),
          'main-finished': 'true',
        },
        secrets: secrets(),
      });
      assert.equal(post.exitCode, 0, post.log);
      const warning = post.annotations.find((a) => a.level === 'warning');
      assert.match(warning?.message ?? '', /ignored the keyring state entry: it does not name a keyring directory/);
      assert.ok(existsSync(victim), 'the directory named by forged state is untouched');
      assert.equal(sleeper.exitCode, null, 'the process named by forged state still runs');
      assert.equal(sleeper.signalCode, null);
    } finally {
      sleeper.kill('SIGKILL');
    }
  });

  it('item 1: file names carrying ::, ##[ and newlines are printed escaped; no injected command is processed', async () => {
    const job = newJob();
    const names = ['::error::injected.tgz', 'x##[error]y.tgz', 'line\n::warning::two.tgz', '%0A::notice::p.tgz'];
    for (const n of names) writeFileSync(join(job.workspace, 'dist', n), 'x');
    const r = await sign(job, { files: 'dist/*' });
    assert.equal(r.main.exitCode, 0, r.main.log);
    assert.deepEqual(
      r.main.annotations.filter((a) => /injected|two|notice|##\[/.test(a.message)),
      [],
      'no annotation came from a file name',
    );
    for (const line of r.main.raw.split('\n')) {
      if (/^\s*::/.test(line)) {
        assert.match(line, /^::(add-mask|group|endgroup|set-output|save-state|debug|error|warning|notice)::/, line);
        assert.doesNotMatch(line, /injected|two\.tgz/, line);
      }
      assert.ok(!line.includes('##['), line);
    }
    assert.match(r.main.log, /dist\/\\x3a:error::injected\.tgz|dist\/::error::injected\.tgz/);
    assert.match(r.main.log, /line\\n::warning::two\.tgz/);
    const sigs = JSON.parse(r.main.outputs.signatures!) as string[];
    assert.equal(sigs.length, 5);
  });
});
