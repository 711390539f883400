// `jit-gpg sign` and `jit-gpg verify` as plain functions (runCli with injected IO), checked by real gpg.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { after, describe, it } from 'node:test';
import { runCli } from '../../src/cli/main.ts';

const keys = join(import.meta.dirname, '..', 'fixtures', 'keys');
const dir = mkdtempSync(join(tmpdir(), 'jit-gpg-cli-sign-'));
after(() => rmSync(dir, { recursive: true, force: true }));

async function cli(argv: string[], opts: { stdin?: string; env?: NodeJS.ProcessEnv } = {}) {
  const out = new PassThrough();
  const err = new PassThrough();
  let stdout = '';
  let stderr = '';
  out.on('data', (d) => (stdout += d));
  err.on('data', (d) => (stderr += d));
  const code = await runCli(argv, {
    stdout: out,
    stderr: err,
    stdin: Readable.from(opts.stdin ? [Buffer.from(opts.stdin)] : []),
    env: opts.env ?? {},
    cwd: dir,
    isTTY: false,
  });
  return { code, stdout, stderr };
}

function gpgVerify(pub: string, file: string, sig: string) {
  const home = mkdtempSync(join(tmpdir(), 'jit-gpg-gnupghome-'));
  try {
    execFileSync('gpg', ['--homedir', home, '--batch', '--quiet', '--import', pub], { stdio: 'ignore' });
    return spawnSync('gpg', ['--homedir', home, '--batch', '--status-fd', '1', '--verify', sig, file], {
      encoding: 'utf8',
    });
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

describe('jit-gpg sign', () => {
  it('signs files with a key from stdin and a passphrase from the environment; gpg verifies; manifest signed', async () => {
    writeFileSync(join(dir, 'a.txt'), 'artifact a\n');
    writeFileSync(join(dir, 'b.bin'), Buffer.alloc(100_000, 7));
    const key = readFileSync(join(keys, 'ed25519-pw.sec.asc'), 'utf8');
    const pass = 'test-only-ed25519-passphrase';
    const r = await cli(
      [
        'sign',
        '--key-file',
        '-',
        '--passphrase-env',
        'PW',
        '--checksums',
        'SHA256SUMS',
        '--public-key-out',
        'key.pub.asc',
        'a.txt',
        'b.bin',
      ],
      { stdin: key, env: { PW: pass, GITHUB_ACTIONS: 'true', GITHUB_REPOSITORY: 'octo-org/octo-repo' } },
    );
    assert.equal(r.code, 0, r.stderr);
    assert.ok(!r.stdout.includes(pass) && !r.stderr.includes(pass));
    for (const f of ['a.txt', 'b.bin', 'SHA256SUMS']) {
      const g = gpgVerify(join(dir, 'key.pub.asc'), join(dir, f), join(dir, `${f}.asc`));
      assert.match(g.stdout, /GOODSIG/, `${f}: ${g.stderr}`);
      assert.match(g.stdout, /NOTATION_NAME repository@jit-gpg/);
    }
    assert.equal(spawnSync('sha256sum', ['-c', 'SHA256SUMS'], { cwd: dir }).status, 0);

    const v = await cli(['verify', '--public-key', 'key.pub.asc', 'a.txt', 'b.bin', 'SHA256SUMS']);
    assert.equal(v.code, 0, v.stdout);
    assert.match(v.stdout, /repository@jit-gpg=octo-org\/octo-repo/);
  });

  it('reads the passphrase from a file descriptor and writes binary signatures', async () => {
    writeFileSync(join(dir, 'c.txt'), 'artifact c\n');
    writeFileSync(join(dir, 'pass.txt'), 'test-only-p256-passphrase\n');
    // The passphrase arrives on descriptor 3, as a CI system would hand it over (never argv, never env).
    const cliEntry = join(import.meta.dirname, '..', '..', 'src', 'entries', 'cli.ts');
    const viaShell = spawnSync(
      'bash',
      [
        '-c',
        '"$0" "$1" sign --key-file "$2" --passphrase-fd 3 --no-armor c.txt 3<pass.txt',
        process.execPath,
        cliEntry,
        join(keys, 'p256-pw.sec.asc'),
      ],
      { cwd: dir, encoding: 'utf8', timeout: 60_000 },
    );
    assert.equal(viaShell.status, 0, viaShell.stderr);
    const g = gpgVerify(join(keys, 'p256-pw.pub.asc'), join(dir, 'c.txt'), join(dir, 'c.txt.sig'));
    assert.match(g.stdout, /GOODSIG/);
  });

  it('a tampered file fails `verify` with exit 1', async () => {
    writeFileSync(join(dir, 'd.txt'), 'original\n');
    const s = await cli(['sign', '--key-file', join(keys, 'rsa2048.sec.asc'), 'd.txt']);
    assert.equal(s.code, 0, s.stderr);
    writeFileSync(join(dir, 'd.txt'), 'tampered\n');
    const v = await cli(['verify', '--public-key', join(keys, 'rsa2048.pub.asc'), 'd.txt']);
    assert.equal(v.code, 1);
    assert.match(v.stdout, /^BAD/m);
  });

  it('usage errors exit 2 with a clear message', async () => {
    for (const [argv, re] of [
      [['sign', 'x'], /exactly one key source/],
      [['sign', '--key-file', 'k'], /at least one file/],
      [['sign', '--bogus'], /Unknown option '--bogus'/],
      [['sign', '--key-file', 'nope.asc', 'missing.txt'], /not a readable file/],
      [['sign', '--vault-url', 'http://127.0.0.1:1', 'a.txt'], /--vault-role is required with provider vault/],
      [
        [
          'sign',
          '--provider',
          'aws-kms',
          '--key',
          'alias/k',
          '--aws-role-arn',
          'arn:aws:iam::123456789012:role/r',
          '--aws-region',
          'eu-west-1',
          'a.txt',
        ],
        /--public-key is required with provider aws-kms/,
      ],
      [
        ['sign', '--provider', 'vault-transit', '--secret', 's', 'a.txt'],
        /--vault-url is required with provider vault-transit/,
      ],
      [['sign', '--key-file', 'k', '--provider', 'vault', 'a.txt'], /exactly one key source/],
      [
        [
          'key',
          'export',
          '--provider',
          'vault',
          '--uid',
          'A <a@b>',
          '--created',
          '2026-01-01T00:00:00Z',
          '--vault-url',
          'http://127.0.0.1:1',
          '--vault-role',
          'r',
          '--vault-secret',
          's',
        ],
        /Unknown option '--vault-secret'/,
      ],
      [
        ['key', 'export', '--provider', 'aws-kms', '--uid', 'A <a@b>', '--created', 'tomorrow'],
        /--created must be ISO-8601/,
      ],
      [['key', 'export', '--provider', 'aws-kms', '--uid', 'A <a@b>', '--created', '2999-01-01'], /in the future/],
      [
        ['key', 'export', '--provider', 'aws-kms', '--uid', 'A <a@b>', '--created', '2026-01-01', '--key', 'alias/k'],
        /--aws-role-arn is required/,
      ],
      [['key', 'list'], /unknown subcommand 'list'/],
      [['verify', 'a.txt'], /--public-key FILE is required/],
    ] as const) {
      const r = await cli([...argv]);
      assert.equal(r.code, 2, `${argv.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, re);
    }
  });

  it('a wrong passphrase is a clear error that prints nothing secret', async () => {
    writeFileSync(join(dir, 'e.txt'), 'e\n');
    const key = readFileSync(join(keys, 'rsa2048-pw.sec.asc'), 'utf8');
    const r = await cli(['sign', '--key-file', '-', '--passphrase-env', 'PW', 'e.txt'], {
      stdin: key,
      env: { PW: 'wrong-pass-123' },
    });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /passphrase/i);
    assert.ok(!r.stderr.includes('wrong-pass-123'));
    for (const line of key.split('\n').filter((l) => l.length > 20)) assert.ok(!r.stderr.includes(line));
  });
});
