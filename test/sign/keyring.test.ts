// The ephemeral keyring: pure helpers on captured gpg output, then real gpg: import over stdin, passphrase preset
// over a pipe, `git tag -s` verified from another GNUPGHOME, the ttl kill, and nothing left afterwards.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  agentConfig,
  cleanupKeyring,
  EphemeralKeyring,
  gitSigningEnv,
  gpgConfig,
  KEYRING_PREFIX,
  parseColonKeys,
  parseTtl,
  processAlive,
  processesUsingHome,
  selectSigningKey,
  withEphemeralKeyring,
} from '../../src/sign/keyring.ts';

const keys = join(import.meta.dirname, '..', 'fixtures', 'keys');
const readKey = (name: string) => readFileSync(join(keys, name), 'utf8');

// Captured from `gpg --with-colons --with-keygrip --list-secret-keys` (GnuPG 2.2.40) after importing
// subkey-only.sec.asc and rsa2048-pw.sec.asc into an empty home.
const COLONS = `sec:-:255:22:49DECB43FDF0E801:1795436531:::-:::cESC:::#::ed25519:::0:
fpr:::::::::CDEBB4DAEA8F0D976F87253549DECB43FDF0E801:
grp:::::::::EC7F8BB55B46662796CFC5933454F26C04CB5971:
uid:-::::1795436531::F0B1D935761FA93909604C0C773EFA845A24F82A::jit-gpg test subkey <subkey@jit-gpg.test>::::::::::0:
ssb:-:255:22:872194AE74DFF34F:1795436532::::::s:::+::ed25519::
fpr:::::::::4FFE7684040F06A901E9EC95872194AE74DFF34F:
grp:::::::::7DD76F69ACFE955F65237D287621386E58399C0A:
ssb:-:255:18:D82EEF1C72CA000A:1795436533::::::e:::+::cv25519::
fpr:::::::::C90D7F55C59F0DE7043071B1D82EEF1C72CA000A:
grp:::::::::21CD3240AD7B7855D35D8960AE5BE8CAB2A50090:
sec:-:2048:1:D9BDA28738C75DB6:1795436523:::-:::scSC:::+:::23::0:
fpr:::::::::6CA1B84D1C6E0275D7FA29BFD9BDA28738C75DB6:
grp:::::::::32C771FDCC88A22F99A437E5625C696F858A5333:
uid:-::::1795436523::2CAF1D989CD264F5FD6FCD3F01ACB18327E38BD7::jit-gpg test rsa2048-pw <rsa2048-pw@jit-gpg.test>::::::::::0:
`;

describe('pure helpers', () => {
  it('agent config: both cache TTLs = ttl, presets and loopback allowed', () => {
    const text = agentConfig(42);
    assert.match(text, /^default-cache-ttl 42$/m);
    assert.match(text, /^max-cache-ttl 42$/m);
    assert.match(text, /^allow-preset-passphrase$/m);
    assert.match(text, /^allow-loopback-pinentry$/m);
  });
  it('gpg config never prompts', () => {
    assert.match(gpgConfig(), /^batch$/m);
    assert.match(gpgConfig(), /^pinentry-mode loopback$/m);
  });
  it('parses keys, subkeys, keygrips, capabilities, stubs and user ids', () => {
    const k = parseColonKeys(COLONS);
    assert.equal(k.length, 4);
    assert.deepEqual(
      k.map((x) => [x.type, x.fingerprint, x.keygrip, x.capabilities, x.hasSecret]),
      [
        ['sec', 'CDEBB4DAEA8F0D976F87253549DECB43FDF0E801', 'EC7F8BB55B46662796CFC5933454F26C04CB5971', 'c', false],
        ['ssb', '4FFE7684040F06A901E9EC95872194AE74DFF34F', '7DD76F69ACFE955F65237D287621386E58399C0A', 's', true],
        ['ssb', 'C90D7F55C59F0DE7043071B1D82EEF1C72CA000A', '21CD3240AD7B7855D35D8960AE5BE8CAB2A50090', 'e', true],
        ['sec', '6CA1B84D1C6E0275D7FA29BFD9BDA28738C75DB6', '32C771FDCC88A22F99A437E5625C696F858A5333', 'sc', true],
      ],
    );
    assert.deepEqual(k[0]!.userIds, ['jit-gpg test subkey <subkey@jit-gpg.test>']);
    assert.equal(k[1]!.keyId, '872194AE74DFF34F');
  });
  it('selects the signing subkey of a stub primary, or the pinned one', () => {
    const k = parseColonKeys(COLONS);
    assert.equal(selectSigningKey(k)?.fingerprint, '4FFE7684040F06A901E9EC95872194AE74DFF34F');
    assert.equal(selectSigningKey(k, '6ca1 b84d 1c6e 0275 d7fa 29bf d9bd a287 38c7 5db6')?.keyId, 'D9BDA28738C75DB6');
    assert.equal(selectSigningKey(k, '0xD82EEF1C72CA000A')?.capabilities, 'e');
    assert.equal(selectSigningKey(k, 'FFFFFFFFFFFFFFFF'), undefined);
    assert.equal(selectSigningKey(parseColonKeys(COLONS.replace('::s:::+::', '::s:::#::')).slice(0, 3)), undefined);
  });
  it('git env: signing key with !, appended after existing GIT_CONFIG_* entries', () => {
    assert.deepEqual(gitSigningEnv('abcd'), {
      GIT_CONFIG_KEY_0: 'user.signingkey',
      GIT_CONFIG_VALUE_0: 'ABCD!',
      GIT_CONFIG_KEY_1: 'gpg.format',
      GIT_CONFIG_VALUE_1: 'openpgp',
      GIT_CONFIG_KEY_2: 'gpg.program',
      GIT_CONFIG_VALUE_2: 'gpg',
      GIT_CONFIG_KEY_3: 'gpg.openpgp.program',
      GIT_CONFIG_VALUE_3: 'gpg',
      GIT_CONFIG_COUNT: '4',
    });
    const env = gitSigningEnv('ABCD', { GIT_CONFIG_COUNT: '2' });
    assert.equal(env.GIT_CONFIG_KEY_2, 'user.signingkey');
    assert.equal(env.GIT_CONFIG_COUNT, '6');
  });
  it('ttl: whole seconds within bounds', () => {
    assert.equal(parseTtl(''), 300);
    assert.equal(parseTtl('60'), 60);
    assert.throws(() => parseTtl('1.5'), /whole number/);
    assert.throws(() => parseTtl('abc'), /whole number/);
    assert.throws(() => parseTtl('1'), /out of range/);
    assert.throws(() => parseTtl('999999'), /out of range/);
  });
});

function gpgAvailable(): boolean {
  return spawnSync('gpg', ['--version']).status === 0 && spawnSync('git', ['--version']).status === 0;
}

const pidAlive = processAlive;

describe('with real gpg', { skip: !gpgAvailable() && 'gpg or git missing' }, () => {
  let root: string;
  let verifyHome: string;
  before(() => {
    root = mkdtempSync(join(tmpdir(), 'jit-gpg-krtest-'));
    verifyHome = join(root, 'verify-home');
    mkdirSync(verifyHome, { mode: 0o700 });
    for (const name of ['rsa2048-pw.pub.asc', 'subkey-only.pub.asc', 'ed25519.pub.asc']) {
      execFileSync('gpg', ['--homedir', verifyHome, '--batch', '--import', join(keys, name)], { stdio: 'ignore' });
    }
  });
  after(() => {
    spawnSync('gpgconf', ['--homedir', verifyHome, '--kill', 'all']);
    rmSync(root, { recursive: true, force: true });
  });

  const makeRepo = (name: string) => {
    const repo = join(root, name);
    mkdirSync(repo);
    const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, env: cleanGitEnv(), stdio: 'pipe' });
    git('init', '-q', '-b', 'main');
    git('config', 'user.name', 'Release Bot');
    git('config', 'user.email', 'release@example.test');
    git('commit', '-q', '--allow-empty', '-m', 'first');
    return repo;
  };
  const cleanGitEnv = (): NodeJS.ProcessEnv => {
    const env: NodeJS.ProcessEnv = { ...process.env, HOME: root };
    for (const k of Object.keys(env)) if (k.startsWith('GIT_CONFIG_')) delete env[k];
    env.GIT_CONFIG_NOSYSTEM = '1';
    return env;
  };

  for (const [keyName, passphrase, expected] of [
    ['rsa2048-pw', 'test-only-rsa2048-passphrase', '6CA1B84D1C6E0275D7FA29BFD9BDA28738C75DB6'],
    ['subkey-only', 'test-only-subkey-passphrase', '4FFE7684040F06A901E9EC95872194AE74DFF34F'],
    ['ed25519', undefined, '297BB5E466F3B8A9EE1244CE4D5BECE022B35979'],
  ] as const) {
    it(`git tag -s with ${keyName} verifies elsewhere; the home and agent are gone afterwards`, async () => {
      const repo = makeRepo(`repo-${keyName}`);
      const seen: { prepared?: string; importedPid?: number; keyInDirAtPrepare?: boolean } = {};
      const { result, cleanup } = await withEphemeralKeyring(
        {
          tempRoot: root,
          armoredKey: readKey(`${keyName}.sec.asc`),
          ...(passphrase ? { passphrase } : {}),
          ttlSeconds: 60,
          env: cleanGitEnv(),
          onPrepared: (info) => {
            seen.prepared = info.dir;
            seen.keyInDirAtPrepare = existsSync(join(info.dir, 'private-keys-v1.d'));
            assert.equal(statSync(info.dir).mode & 0o777, 0o700);
            assert.ok(info.dir.startsWith(join(root, KEYRING_PREFIX)));
            assert.match(readFileSync(join(info.dir, 'gpg-agent.conf'), 'utf8'), /max-cache-ttl 60/);
          },
          onImported: (info) => {
            if (info.agentPid !== undefined) seen.importedPid = info.agentPid;
          },
        },
        async (keyring) => {
          assert.equal(keyring.fingerprint, expected);
          return keyring.runCommand(`git tag -s v1.0.0 -m "release v1.0.0" && echo "home=$GNUPGHOME"`, {
            cwd: repo,
            stdio: ['ignore', 'pipe', 'pipe'],
          });
        },
      );
      assert.equal(result.exitCode, 0, result.stderr);
      assert.equal(result.timedOut, false);
      assert.match(result.stdout ?? '', new RegExp(`home=${seen.prepared}`));
      assert.equal(seen.keyInDirAtPrepare, false, 'onPrepared runs before the key is imported');
      // verify with the public key only, in another home
      const v = spawnSync('git', ['tag', '-v', 'v1.0.0'], {
        cwd: repo,
        env: { ...cleanGitEnv(), GNUPGHOME: verifyHome },
        encoding: 'utf8',
      });
      assert.equal(v.status, 0, v.stderr);
      assert.match(v.stderr, /Good signature/);
      assert.match(v.stderr, new RegExp(expected.slice(-16)));
      // nothing left
      assert.equal(existsSync(seen.prepared!), false);
      assert.equal(cleanup.removed, true);
      assert.ok(seen.importedPid, 'the agent pid was known after import');
      assert.equal(pidAlive(seen.importedPid!), false, 'the agent is gone');
      assert.equal(cleanup.agentKilled, true);
    });
  }

  it('the user global git config is not touched and GIT_CONFIG_* do not leak out of the command', async () => {
    const repo = makeRepo('repo-env');
    const before = process.env.GIT_CONFIG_COUNT;
    await withEphemeralKeyring(
      { tempRoot: root, armoredKey: readKey('ed25519.sec.asc'), ttlSeconds: 30, env: cleanGitEnv() },
      async (k) => {
        const r = await k.runCommand('git config --get user.signingkey', {
          cwd: repo,
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        assert.equal(r.stdout?.trim(), '297BB5E466F3B8A9EE1244CE4D5BECE022B35979!');
      },
    );
    assert.equal(process.env.GIT_CONFIG_COUNT, before);
    assert.equal(existsSync(join(root, '.gitconfig')), false);
  });

  it('a failing command reports its exit code; pipefail and -e apply', async () => {
    const { result } = await withEphemeralKeyring(
      { tempRoot: root, armoredKey: readKey('ed25519.sec.asc'), ttlSeconds: 30 },
      (k) => k.runCommand('false | true; echo unreachable', { stdio: ['ignore', 'pipe', 'pipe'] }),
    );
    assert.equal(result.exitCode, 1);
    assert.equal(result.stdout, '');
  });

  it('kills the command (and its children) when the ttl runs out', async () => {
    const marker = join(root, 'child-pid');
    let dir = '';
    const started = Date.now();
    const { result } = await withEphemeralKeyring(
      {
        tempRoot: root,
        armoredKey: readKey('ed25519.sec.asc'),
        ttlSeconds: 2,
        onPrepared: (i) => {
          dir = i.dir;
        },
      },
      (k) => k.runCommand(`sleep 60 & echo $! > ${marker}; wait`, { stdio: ['ignore', 'pipe', 'pipe'] }),
    );
    assert.equal(result.timedOut, true);
    assert.ok(Date.now() - started < 15_000);
    const childPid = Number(readFileSync(marker, 'utf8'));
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(pidAlive(childPid), false, 'the background child was killed with the group');
    assert.equal(existsSync(dir), false);
  });

  it('tears down when the callback throws, and on a wrong passphrase import still cleans up', async () => {
    let dir = '';
    await assert.rejects(
      withEphemeralKeyring(
        {
          tempRoot: root,
          armoredKey: readKey('ed25519.sec.asc'),
          ttlSeconds: 30,
          onPrepared: (i) => {
            dir = i.dir;
          },
        },
        async () => {
          throw new Error('boom');
        },
      ),
      /boom/,
    );
    assert.equal(existsSync(dir), false);
    await assert.rejects(
      withEphemeralKeyring(
        {
          tempRoot: root,
          armoredKey: '-----BEGIN PGP PRIVATE KEY BLOCK-----\n\nnot a key\n-----END PGP PRIVATE KEY BLOCK-----\n',
          ttlSeconds: 30,
          onPrepared: (i) => {
            dir = i.dir;
          },
        },
        async () => undefined,
      ),
      /could not import/,
    );
    assert.equal(existsSync(dir), false);
  });

  it('item 9: destroy runs once: a signal handler and the normal end share one teardown', async () => {
    const ring = await EphemeralKeyring.create({ tempRoot: root, ttlSeconds: 30 });
    await ring.importKey(readKey('ed25519.sec.asc'));
    const first = ring.destroy();
    const second = ring.destroy();
    assert.equal(first, second, 'the same teardown, not a second one');
    const r = await first;
    assert.equal(r.removed, true);
    assert.equal(await ring.destroy(), r);
    assert.equal(existsSync(ring.info.dir), false);
  });

  it('item 10: the command does not see the runner token and step-file variables', async () => {
    const runnerEnv = {
      ...process.env,
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'oidc-request-token',
      ACTIONS_ID_TOKEN_REQUEST_URL: 'https://oidc.example/',
      ACTIONS_RUNTIME_TOKEN: 'runtime-token',
      GITHUB_STATE: '/tmp/state',
      github_output: '/tmp/output',
      KEEP_ME: 'kept',
    };
    const { result } = await withEphemeralKeyring(
      { tempRoot: root, armoredKey: readKey('ed25519.sec.asc'), ttlSeconds: 30, env: runnerEnv },
      (k) => k.runCommand('env', { stdio: ['ignore', 'pipe', 'pipe'] }),
    );
    const names = (result.stdout ?? '').split('\n').map((l) => l.slice(0, l.indexOf('=')));
    for (const n of ['ACTIONS_ID_TOKEN_REQUEST_TOKEN', 'ACTIONS_ID_TOKEN_REQUEST_URL', 'ACTIONS_RUNTIME_TOKEN']) {
      assert.ok(!names.includes(n), n);
    }
    assert.ok(!names.includes('GITHUB_STATE') && !names.includes('github_output'));
    assert.ok(names.includes('KEEP_ME') && names.includes('GNUPGHOME'));
  });

  it('cleanupKeyring from outside (a post step) kills a command still running with the home', async () => {
    const k = await EphemeralKeyring.create({ tempRoot: root, ttlSeconds: 60 });
    await k.importKey(readKey('ed25519.sec.asc'));
    let started: number | undefined;
    const running = k.runCommand('sleep 30 & sleep 30; wait', {
      stdio: 'ignore',
      onStart: (info) => {
        started = info.commandPid;
      },
    });
    assert.ok(started);
    await new Promise((r) => setTimeout(r, 300));
    assert.ok(processesUsingHome(k.info.dir).length >= 2);
    const r = await cleanupKeyring(k.info.dir, { commandPid: started! });
    assert.ok(r.processesKilled >= 2, JSON.stringify(r));
    assert.equal(r.agentKilled, true);
    assert.equal((await running).signal, 'SIGKILL');
    assert.deepEqual(processesUsingHome(k.info.dir), []);
    assert.equal(existsSync(k.info.dir), false);
  });

  it('cleanupKeyring: kills a live agent, removes the dir, is idempotent, refuses foreign paths', async () => {
    const k = await EphemeralKeyring.create({ tempRoot: root, ttlSeconds: 30 });
    await k.importKey(readKey('ed25519.sec.asc'));
    const pid = k.info.agentPid!;
    assert.ok(pidAlive(pid));
    // what a post step does: only the saved directory path
    const first = await cleanupKeyring(k.info.dir);
    assert.equal(first.removed, true);
    assert.equal(first.agentKilled, true);
    assert.equal(pidAlive(pid), false);
    const second = await cleanupKeyring(k.info.dir);
    assert.deepEqual(
      [second.removed, second.agentKilled, second.processesKilled, second.actions],
      [false, false, 0, []],
    );
    await assert.rejects(cleanupKeyring(root), /not a jit-gpg keyring/);
    assert.ok(existsSync(root));
  });
});
