#!/usr/bin/env node
// `npm run demo`: both actions, bundled (dist/), run the way GitHub's runner runs them, on this machine.
//   1. scan: the scan action over a small sample tree with planted (fake, format-valid) secrets; it must find them.
//   2. sign: the signing action against a local OIDC issuer and a Vault stand-in holding a test key: it signs
//      sample artifacts, writes and signs SHA256SUMS, runs `git tag -s` in an ephemeral keyring; then the post step
//      reports its cleanup, and everything is verified here with gpg (and git tag -v).
// Node 24 (npm puts node_modules/.bin/node first on PATH) imports the harness's TypeScript directly.
// Options: --keep (leave the temporary job directories for inspection).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { crc32 } from 'node:zlib';
import { ACTIONS, createJob, findLeaks, runStep } from '../test/e2e/harness.ts';
import { startOidcIssuer } from '../test/e2e/services/oidc-issuer.ts';
import { githubVaultOptions, startVaultStandIn } from '../test/e2e/services/vault.ts';
import { startAwsStandIn } from '../test/e2e/services/aws.ts';
import { runCli } from '../src/cli/main.ts';
import { PassThrough, Readable } from 'node:stream';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const keep = process.argv.includes('--keep');
const keysDir = join(root, 'test', 'fixtures', 'keys');
const SIGN_METADATA = ACTIONS.sign.metadata;
const SCAN_METADATA = ACTIONS.scan.metadata;

const bold = (s) => (process.stdout.isTTY ? `\x1b[1m${s}\x1b[0m` : s);
const dim = (s) => (process.stdout.isTTY ? `\x1b[2m${s}\x1b[0m` : s);
const say = (s = '') => process.stdout.write(`${s}\n`);
const box = (text) => {
  for (const line of text.replace(/\n+$/, '').split('\n')) say(`  ${dim('│')} ${line}`);
};
const failures = [];
const check = (ok, what) => {
  say(`  ${ok ? '✔' : '✘'} ${what}`);
  if (!ok) failures.push(what);
};

if (!existsSync(ACTIONS.sign.main) || !existsSync(ACTIONS.sign.post)) {
  console.error('demo: dist/sign is not built; run `npm run bundle` first');
  process.exit(1);
}
for (const tool of ['gpg', 'git']) {
  if (spawnSync(tool, ['--version']).status !== 0) {
    console.error(`demo: ${tool} is not installed; the demo verifies signatures with it`);
    process.exit(1);
  }
}

const jobs = [];
const newJob = (prefix) => {
  const j = createJob(prefix);
  jobs.push(j);
  return j;
};

// ---------------------------------------------------------------------------------------------------------------
// 1. scan
// ---------------------------------------------------------------------------------------------------------------

/** A GitHub-style token: prefix, 30 random base62 characters, base62 CRC32 checksum (fake but format-valid). */
function checksummedToken(prefix) {
  const B62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
  let random = '';
  for (let i = 0; i < 30; i++) random += B62[Math.floor(Math.random() * 62)];
  let n = crc32(random);
  let sum = '';
  do {
    sum = B62[n % 62] + sum;
    n = Math.floor(n / 62);
  } while (n > 0);
  return `${prefix}_${random}${sum.padStart(6, '0')}`;
}

async function scanDemo() {
  say(bold('\n1. Scan action: a sample tree with planted secrets'));
  if (!existsSync(ACTIONS.scan.main)) {
    say('  (skipped: dist/scan/main.js is not built yet; run `npm run bundle` once the scan action has landed)');
    return;
  }
  const job = newJob('jit-gpg-demo-scan-');
  const tree = join(job.workspace, 'sample-app');
  mkdirSync(join(tree, 'config'), { recursive: true });
  mkdirSync(join(tree, 'scripts'), { recursive: true });
  // Built at run time so no secret-shaped string sits in this repository.
  const planted = {
    github: checksummedToken(['g', 'h', 'p'].join('')),
    npm: checksummedToken(['n', 'p', 'm'].join('')),
  };
  writeFileSync(join(tree, 'config', '.env'), `APP_ENV=production\nGITHUB_TOKEN=${planted.github}\n`);
  writeFileSync(
    join(tree, 'scripts', 'publish.sh'),
    `#!/bin/sh\nnpm config set //registry.npmjs.org/:_authToken ${planted.npm}\nnpm publish\n`,
  );
  writeFileSync(
    join(tree, 'README.md'),
    '# sample app\nTokens come from the environment (GITHUB_TOKEN), never from this tree.\n',
  );
  say(`  planted 2 fake tokens in ${tree}`);
  const r = await runStep({
    job,
    metadata: SCAN_METADATA,
    script: ACTIONS.scan.main,
    inputs: { path: 'sample-app', mode: 'worktree', cache: 'false' },
    secrets: Object.values(planted),
    timeoutMs: 120_000,
  });
  box(r.log);
  say(bold('\n  annotations (one per finding, at file and line):'));
  for (const a of r.annotations.filter((x) => x.file)) {
    say(`    ${a.level} ${a.file}:${a.line ?? '?'}  ${a.title ?? a.message.split('\n')[0]}`);
  }
  const findings = Number(r.outputs.findings ?? '0');
  check(r.exitCode !== 0, `the scan fails the step (exit ${r.exitCode})`);
  check(findings >= 2, `it reports the planted secrets (findings: ${r.outputs.findings ?? 'none'})`);
  check(
    r.annotations.some((a) => a.file?.endsWith('.env')) && r.annotations.some((a) => a.file?.endsWith('publish.sh')),
    'one annotation per planted file',
  );
  check(r.leaks.length === 0, 'no planted secret printed in full');
}

// ---------------------------------------------------------------------------------------------------------------
// 2. sign
// ---------------------------------------------------------------------------------------------------------------

async function signDemo() {
  say(bold('\n2. Signing action: OIDC → Vault → sign → verify → nothing left behind'));
  const privateKey = readFileSync(join(keysDir, 'rsa2048-pw.sec.asc'), 'utf8');
  const passphrase = 'test-only-rsa2048-passphrase'; // a published test key (test/fixtures/keys/README.md)
  const issuer = await startOidcIssuer();
  const vault = await startVaultStandIn(
    githubVaultOptions({ issuerUrl: issuer.url, fields: { private_key: privateKey, passphrase } }),
  );
  say(`  OIDC issuer  ${issuer.url}  (GitHub-shaped claims for octo-org/release-app, refs/heads/main)`);
  say(`  Vault        ${vault.url}  (role jit-gpg: bound_audiences jit-gpg, bound_claims repository + ref;`);
  say('               key at secret/data/release/gpg, fields private_key and passphrase)');
  try {
    const job = newJob('jit-gpg-demo-sign-');
    const dist = join(job.workspace, 'dist');
    mkdirSync(dist);
    writeFileSync(join(dist, 'app-1.0.0-linux-amd64.tar.gz'), Buffer.alloc(256 * 1024, 'jit-gpg demo artifact\n'));
    writeFileSync(join(dist, 'app-1.0.0-darwin-arm64.tar.gz'), Buffer.alloc(192 * 1024, 'another artifact\n'));
    writeFileSync(join(dist, 'app-1.0.0.sbom.json'), `${JSON.stringify({ name: 'app', version: '1.0.0' })}\n`);
    const gitEnv = { ...process.env, HOME: job.home };
    const git = (...args) => execFileSync('git', args, { cwd: job.workspace, env: gitEnv, stdio: 'pipe' });
    git('init', '-q', '-b', 'main');
    git('config', 'user.name', 'Release Bot');
    git('config', 'user.email', 'release-bot@example.test');
    writeFileSync(join(job.workspace, '.gitignore'), 'dist/\n');
    git('add', '.gitignore');
    git('commit', '-q', '-m', 'release 1.0.0');

    const inputs = {
      'vault-url': vault.url,
      'vault-role': 'jit-gpg',
      'vault-secret': 'secret/data/release/gpg',
      files: 'dist/*.tar.gz\ndist/*.json',
      checksums: 'SHA256SUMS',
      run: 'git tag -s v1.0.0 -m "release v1.0.0"',
      ttl: '120',
    };
    say('\n  with:');
    for (const [k, v] of Object.entries(inputs))
      say(`    ${k}: ${v.includes('\n') ? `|\n      ${v.split('\n').join('\n      ')}` : v}`);
    const secrets = () => [
      privateKey,
      passphrase,
      issuer.requestToken,
      ...issuer.issuedTokens,
      ...vault.tokens().map((t) => t.token),
    ];
    const common = {
      job,
      metadata: SIGN_METADATA,
      oidc: { requestUrl: issuer.requestUrl, requestToken: issuer.requestToken },
      secrets: secrets(),
      timeoutMs: 120_000,
    };
    const main = await runStep({ ...common, script: ACTIONS.sign.main, inputs, stepName: 'sign' });
    say(bold('\n  main step log (as the runner shows it, secrets masked):'));
    box(main.log);
    say(bold('\n  outputs:'));
    for (const [k, v] of Object.entries(main.outputs)) say(`    ${k} = ${v}`);
    const post = await runStep({
      ...common,
      script: ACTIONS.sign.post,
      inputs,
      state: main.state,
      stepName: 'post-sign',
    });
    say(bold('\n  post step log:'));
    box(post.log);

    say(bold('\n  checks:'));
    check(main.exitCode === 0, 'main succeeded');
    check(post.exitCode === 0, 'post succeeded');
    // verify as a consumer would: only the public key the action wrote, in a fresh GnuPG home
    const home = join(job.dir, 'consumer-gnupg');
    mkdirSync(home, { mode: 0o700 });
    const pub = join(job.workspace, main.outputs['public-key'] ?? 'dist/signing-key.pub.asc');
    spawnSync('gpg', ['--homedir', home, '--batch', '--import', pub], { stdio: 'ignore' });
    const sigs = JSON.parse(main.outputs.signatures ?? '[]');
    for (const sig of sigs) {
      const file = sig.replace(/\.(asc|sig)$/, '');
      const g = spawnSync(
        'gpg',
        ['--homedir', home, '--batch', '--verify-options', 'show-notations', '--verify', sig, file],
        { cwd: job.workspace, encoding: 'utf8' },
      );
      check(g.status === 0 && /Good signature/.test(g.stderr), `gpg --verify ${sig}`);
      if (sig === sigs[0])
        box(
          g.stderr
            .split('\n')
            .filter((l) => /Good signature|notation|using/.test(l))
            .join('\n'),
        );
    }
    const sums = spawnSync('sha256sum', ['-c', 'SHA256SUMS'], { cwd: dist, encoding: 'utf8' });
    check(sums.status === 0, `sha256sum -c SHA256SUMS (${sums.stdout.trim().split('\n').length} files OK)`);
    const tag = spawnSync('git', ['tag', '-v', 'v1.0.0'], {
      cwd: job.workspace,
      env: { ...gitEnv, GNUPGHOME: home },
      encoding: 'utf8',
    });
    check(
      tag.status === 0 && /Good signature/.test(tag.stderr),
      'git tag -v v1.0.0 (made by `run:` in the ephemeral keyring)',
    );
    const left = readdirSync(job.runnerTemp).filter((n) => n.startsWith('jit-gpg-keyring-'));
    check(left.length === 0, 'no ephemeral keyring directory left in RUNNER_TEMP');
    check(
      vault.tokens().length > 0 && vault.tokens().every((t) => !t.alive),
      'the Vault token is revoked (asked the stand-in)',
    );
    const leaks = [
      ...findLeaks(main.log, secrets()),
      ...findLeaks(post.log, secrets()),
      ...findLeaks(main.summary, secrets()),
      ...findLeaks(Object.values(main.outputs).join('\n'), secrets()),
    ];
    check(leaks.length === 0, 'no key line, passphrase, OIDC token or Vault token in anything printed');
    const audit = readdirSync(job.runnerTemp).find((n) => n.startsWith('jit-gpg-audit-'));
    if (audit) {
      const a = JSON.parse(readFileSync(join(job.runnerTemp, audit), 'utf8'));
      say(bold('\n  audit record (RUNNER_TEMP/' + audit + '):'));
      box(
        [
          `key        ${a.key?.fingerprint} ${a.key?.userIds?.join(', ')}`,
          `unlocked by ${a.claims.repository} ${a.claims.ref} ${a.claims.sha} (workflow ${a.claims.workflow}, run ${a.claims.run_id} attempt ${a.claims.run_attempt}, actor ${a.claims.actor})`,
          `lifetime   fetched ${a.lifetime.fetchedAt}, destroyed ${a.lifetime.destroyedAt} (${a.lifetime.seconds} s of ttl ${a.lifetime.ttl} s)`,
          ...a.files.map((f) => `file       ${f.path}  sha256 ${f.sha256.slice(0, 16)}…  → ${f.signature}`),
        ].join('\n'),
      );
    }

    // the same action killed (SIGKILL, as on a cancelled or timed-out job) while `run:` holds the key in gpg
    say(bold('\n  and when main is killed while `run:` holds the key (SIGKILL while the command runs):'));
    const crashJob = newJob('jit-gpg-demo-crash-');
    const crashCommon = { ...common, job: crashJob, secrets: secrets() };
    const crashInputs = { ...inputs, files: '', checksums: '', run: 'sleep 60' };
    const killed = await runStep({
      ...crashCommon,
      script: ACTIONS.sign.main,
      inputs: crashInputs,
      interrupt: ({ state }) => (state.keyring?.includes('commandPid') ? 'SIGKILL' : undefined),
    });
    box(killed.log);
    say(
      dim(`  (main ended by ${killed.signal ?? `exit ${killed.exitCode}`}; the runner still runs post with its state)`),
    );
    const cleanup = await runStep({
      ...crashCommon,
      script: ACTIONS.sign.post,
      inputs: crashInputs,
      state: killed.state,
    });
    say(bold('\n  post step log:'));
    box(cleanup.log);
    const crashLeft = readdirSync(crashJob.runnerTemp).filter((n) => n.startsWith('jit-gpg-keyring-'));
    check(killed.signal === 'SIGKILL', 'main was killed mid-way');
    check(cleanup.exitCode === 0 && /stopped gpg-agent/.test(cleanup.log), 'post stopped the orphaned gpg-agent');
    check(/killed 1 process/.test(cleanup.log), 'post killed the orphaned `run:` command');
    check(crashLeft.length === 0, 'post removed the keyring directory');
    check(
      vault.tokens().every((t) => !t.alive),
      'no Vault token alive',
    );
    check(
      [...findLeaks(killed.log, secrets()), ...findLeaks(cleanup.log, secrets())].length === 0,
      'nothing secret printed',
    );
  } finally {
    await issuer.close();
    await vault.close();
  }
}

// ---------------------------------------------------------------------------------------------------------------
// 3. a key that never leaves its key service (AWS KMS)
// ---------------------------------------------------------------------------------------------------------------

async function cli(argv, env, cwd) {
  const out = new PassThrough();
  const err = new PassThrough();
  let stdout = '';
  let stderr = '';
  out.on('data', (d) => (stdout += d));
  err.on('data', (d) => (stderr += d));
  const code = await runCli(argv, { stdout: out, stderr: err, stdin: Readable.from([]), env, cwd, isTTY: false });
  return { code, stdout, stderr };
}

async function remoteDemo() {
  say(bold('\n3. A key that never leaves AWS KMS: OIDC → STS → key export once → one KMS Sign per file'));
  const issuer = await startOidcIssuer();
  const host = issuer.url.replace(/^https?:\/\//, '');
  const aws = await startAwsStandIn({
    region: 'eu-west-1',
    oidcProvider: { url: issuer.url, clientIds: ['sts.amazonaws.com'] },
    roles: [
      {
        name: 'release-signer',
        condition: {
          StringEquals: { [`${host}:aud`]: 'sts.amazonaws.com' },
          StringLike: { [`${host}:sub`]: 'repo:octo-org/release-app:ref:refs/heads/main' },
        },
        allow: { 'kms:Sign': ['*'], 'kms:GetPublicKey': ['*'] },
      },
    ],
    keys: { release: 'ECC_NIST_EDWARDS25519' },
  });
  const roleArn = aws.roleArn('release-signer');
  say(`  AWS stand-in ${aws.url}  (STS + KMS, SigV4-verified; proven against the official AWS SDK in the tests)`);
  say(
    `  role ${roleArn}: trusts only repo:octo-org/release-app:ref:refs/heads/main; may kms:Sign and kms:GetPublicKey`,
  );
  try {
    const job = newJob('jit-gpg-demo-kms-');
    const dist = join(job.workspace, 'dist');
    mkdirSync(dist);
    writeFileSync(join(dist, 'app-1.0.0-linux-amd64.tar.gz'), Buffer.alloc(256 * 1024, 'remote-signed artifact\n'));
    const jwt = async () => {
      const r = await fetch(`${issuer.requestUrl}&audience=sts.amazonaws.com`, {
        headers: { authorization: `Bearer ${issuer.requestToken}` },
      });
      return (await r.json()).value;
    };
    const env = { JOB_JWT: await jwt(), AWS_ENDPOINT_URL: aws.url };
    const exportArgs = [
      'key',
      'export',
      '--provider',
      'aws-kms',
      '--key',
      'alias/release',
      '--aws-role-arn',
      roleArn,
      '--aws-region',
      'eu-west-1',
      '--jwt-env',
      'JOB_JWT',
      '--uid',
      'Release App <release@example.test>',
      '--created',
      '2026-01-01T00:00:00Z',
      '--output',
      'release.pub.asc',
    ];
    say(`\n  $ jit-gpg ${exportArgs.join(' ').replace(roleArn, '$ROLE')}   (once)`);
    const exp = await cli(exportArgs, env, job.workspace);
    box(exp.stderr);
    check(exp.code === 0, 'key export: the OpenPGP public key of the KMS key, self-certified by KMS');

    const inputs = {
      provider: 'aws-kms',
      key: 'alias/release',
      'aws-role-arn': roleArn,
      'aws-region': 'eu-west-1',
      'public-key': 'release.pub.asc',
      files: 'dist/*.tar.gz',
      checksums: 'SHA256SUMS',
    };
    say('\n  with:');
    for (const [k, v] of Object.entries(inputs)) say(`    ${k}: ${v}`);
    const signsBefore = aws.calls.filter((c) => c.action === 'Sign').length;
    const secrets = () => [
      issuer.requestToken,
      ...issuer.issuedTokens,
      ...aws.issued.flatMap((c) => [c.secretAccessKey, c.sessionToken]),
    ];
    const main = await runStep({
      job,
      metadata: SIGN_METADATA,
      script: ACTIONS.sign.main,
      inputs,
      env: { AWS_ENDPOINT_URL: aws.url },
      oidc: { requestUrl: issuer.requestUrl, requestToken: issuer.requestToken },
      secrets: secrets(),
      timeoutMs: 120_000,
      stepName: 'sign',
    });
    say(bold('\n  main step log (as the runner shows it, secrets masked):'));
    box(main.log);
    say(bold('\n  checks:'));
    check(main.exitCode === 0, 'main succeeded');
    const signs = aws.calls.filter((c) => c.action === 'Sign').length - signsBefore;
    check(signs === 2, `${signs} KMS Sign calls: one per file and one for SHA256SUMS; the private key never left KMS`);
    const home = join(job.dir, 'consumer-gnupg');
    mkdirSync(home, { mode: 0o700 });
    spawnSync('gpg', ['--homedir', home, '--batch', '--import', join(job.workspace, 'release.pub.asc')], {
      stdio: 'ignore',
    });
    for (const sig of JSON.parse(main.outputs.signatures ?? '[]')) {
      const g = spawnSync('gpg', ['--homedir', home, '--batch', '--verify', sig, sig.replace(/\.asc$/, '')], {
        cwd: job.workspace,
        encoding: 'utf8',
      });
      check(g.status === 0 && /Good signature/.test(g.stderr), `gpg --verify ${sig} against release.pub.asc`);
    }
    check(findLeaks(main.log, secrets()).length === 0, 'no JWT or AWS credential printed');
    spawnSync('gpgconf', ['--homedir', home, '--kill', 'all']);
  } finally {
    await issuer.close();
    await aws.close();
  }
}

try {
  await scanDemo();
  await signDemo();
  await remoteDemo();
} finally {
  if (keep) say(dim(`\nkept: ${jobs.map((j) => j.dir).join(' ')}`));
  else for (const j of jobs) j.cleanup();
}
if (failures.length) {
  say(`\ndemo: ${failures.length} check(s) failed`);
  process.exit(1);
}
say('\ndemo: all checks passed');
