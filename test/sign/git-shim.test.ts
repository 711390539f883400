// `run:` with a remote signer: git commit -S and git tag -s through the gpg.program shim, signed by the Vault
// transit stand-in; git verify-commit / verify-tag accept them against the exported public key; the shim and its
// socket are gone afterwards; the child's environment holds no token.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { namesKey, SHIM_PREFIX } from '../../src/sign/git-shim.ts';
import { runSignJob } from '../../src/sign/job.ts';
import { requestIdToken } from '../../src/sign/oidc.ts';
import { createVaultTransitProvider } from '../../src/sign/providers/vault-transit.ts';
import { bindRemoteKey, remoteSigningKey } from '../../src/sign/remote.ts';
import { exportPublicKey } from '../../src/sign/remote-key.ts';
import { type OidcIssuer, startOidcIssuer } from '../e2e/services/oidc-issuer.ts';
import { startVaultStandIn, type VaultStandIn } from '../e2e/services/vault.ts';

const UID = 'Acme Release <release@acme.example>';
let issuer: OidcIssuer;
let vault: VaultStandIn;
let dir: string;
let publicKey: string;

const provider = () => createVaultTransitProvider({ url: vault.url, role: 'release', key: 'git' });
const idToken = async () => requestIdToken({ env: issuer.env(), audience: 'jit-gpg' });

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'jit-gpg-git-shim-'));
  issuer = await startOidcIssuer({ owner: 'acme', repo: 'widgets' });
  vault = await startVaultStandIn({
    auth: [
      {
        path: 'jwt',
        oidc_discovery_url: issuer.url,
        bound_issuer: issuer.url,
        roles: { release: { bound_audiences: ['jit-gpg'], user_claim: 'repository', token_policies: ['git'] } },
      },
    ],
    transit: [{ keys: { git: 'ed25519' } }],
    policies: { git: { 'transit/sign/git': ['update'], 'transit/keys/git': ['read'] } },
  });
  const session = await provider().connect((await idToken()).token);
  publicKey = (await exportPublicKey(bindRemoteKey(session, { created: new Date('2026-01-01T00:00:00Z') }), UID))
    .armored;
  await session.release();
});

after(async () => {
  await vault?.close();
  await issuer?.close();
  rmSync(dir, { recursive: true, force: true });
});

function gitRepo(name: string) {
  const repo = join(dir, name);
  const home = join(dir, `${name}-home`);
  mkdirSync(repo);
  mkdirSync(home);
  const env = { PATH: process.env.PATH ?? '', HOME: home, GIT_CONFIG_NOSYSTEM: '1' };
  const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, env, encoding: 'utf8' });
  git('init', '-q', '-b', 'main');
  git('config', 'user.name', 'Acme Release');
  git('config', 'user.email', 'release@acme.example');
  writeFileSync(join(repo, 'README'), 'hello\n');
  git('add', 'README');
  return { repo, env, git };
}

async function runJob(command: string, cwd: string, env: NodeJS.ProcessEnv, tempRoot: string) {
  const logs: string[] = [];
  const result = await runSignJob(
    {
      workspace: cwd,
      files: [],
      key: { kind: 'provider', provider: provider(), idToken },
      armor: true,
      notations: {},
      publicKey,
      run: { command, cwd, tempRoot, env },
      ttl: 120,
    },
    { log: (m) => logs.push(m), remoteKey: (s, armored) => remoteSigningKey(s, armored) },
  );
  return { result, logs };
}

describe('git through a remote key (gpg.program shim)', () => {
  it('git commit -S and git tag -s verify against the exported key; no shim or socket left; no token in the child', async () => {
    const { repo, env } = gitRepo('repo');
    const tempRoot = join(dir, 'runner-temp');
    mkdirSync(tempRoot);
    const signsBefore = vault.transit.get('transit')!.signs.length;
    const { result, logs } = await runJob(
      'git commit -q -S -m "signed commit" && git tag -s v1.0.0 -m "release v1.0.0" && env > child-env.txt',
      repo,
      env,
      tempRoot,
    );
    assert.equal(result.error, undefined, `${String(result.error)}\n${logs.join('\n')}`);
    assert.equal(vault.transit.get('transit')!.signs.length - signsBefore, 2, 'one remote sign call per git object');
    assert.deepEqual(
      readdirSync(tempRoot).filter((n) => n.startsWith(SHIM_PREFIX)),
      [],
      'no shim directory left',
    );

    const gnupg = join(dir, 'verify-gnupg');
    mkdirSync(gnupg, { mode: 0o700 });
    execFileSync('gpg', ['--homedir', gnupg, '--batch', '--quiet', '--import'], { input: publicKey });
    const verifyEnv = { ...env, GNUPGHOME: gnupg };
    const vc = spawnSync('git', ['verify-commit', 'HEAD'], { cwd: repo, env: verifyEnv, encoding: 'utf8' });
    assert.equal(vc.status, 0, vc.stderr);
    assert.match(vc.stderr, /Good signature from "Acme Release <release@acme\.example>"/);
    const vt = spawnSync('git', ['verify-tag', 'v1.0.0'], { cwd: repo, env: verifyEnv, encoding: 'utf8' });
    assert.equal(vt.status, 0, vt.stderr);
    spawnSync('gpgconf', ['--homedir', gnupg, '--kill', 'all']);

    const childEnv = readFileSync(join(repo, 'child-env.txt'), 'utf8');
    for (const t of [...issuer.issuedTokens, ...vault.tokens().map((t) => t.token)]) {
      assert.ok(!childEnv.includes(t), 'no token in the child environment');
    }
    assert.match(childEnv, /GIT_CONFIG_VALUE_\d=.*jit-gpg-shim-[^/]+\/gpg/);
    assert.ok(
      vault.tokens().every((t) => !t.alive),
      'the Vault token is revoked after the command',
    );
  });

  it('the committer identity as -u works (no user.signingkey); another key id is refused', async () => {
    const { repo, env, git } = gitRepo('repo2');
    const tempRoot = join(dir, 'runner-temp2');
    mkdirSync(tempRoot);
    // git passes the committer identity when user.signingkey is empty
    const ok = await runJob('git -c user.signingkey= commit -q -S -m c1', repo, env, tempRoot);
    assert.equal(ok.result.error, undefined, ok.logs.join('\n'));
    assert.match(git('log', '-1', '--format=%G? %GK'), /^[GUE] /);
    const bad = await runJob('git -c user.signingkey=0123456789ABCDEF tag -s v2 -m v2', repo, env, tempRoot);
    assert.ok(bad.result.error, 'signing with another key fails the command');
    assert.deepEqual(
      readdirSync(tempRoot).filter((n) => n.startsWith(SHIM_PREFIX)),
      [],
    );
  });

  it('namesKey: fingerprint, key id (with !), user ID, e-mail; nothing else', () => {
    const key = { fingerprint: 'A'.repeat(24) + '0123456789ABCDEF', keyId: '0123456789ABCDEF', userIds: [UID] };
    for (const u of [
      '',
      `${key.fingerprint}!`,
      '0x0123456789abcdef',
      'release@acme.example',
      '<release@acme.example>',
      UID,
    ]) {
      assert.ok(namesKey(u, key), u);
    }
    for (const u of ['FEDCBA9876543210', 'B'.repeat(40), 'someone@else.example']) assert.ok(!namesKey(u, key), u);
  });
});
