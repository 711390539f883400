// `jit-gpg sign` and `jit-gpg verify` as plain functions (runCli with injected IO), checked by real gpg.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import {
  closeSync,
  fstatSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  readSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
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
    writeFileSync(join(dir, 'a.txt'), 'artifact a\n');
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
      [['sign', '--key-file', '-', '--passphrase-fd', '0', 'a.txt'], /the key is read from stdin; pass the passphrase/],
      [['sign', '--key-file', 'k', '--passphrase-fd=-1', 'a.txt'], /--passphrase-fd needs a descriptor number/],
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

  const cliEntry = join(import.meta.dirname, '..', '..', 'src', 'entries', 'cli.ts');
  /** The CLI as its own process, through bash so descriptors can be opened as a caller would. */
  function viaBash(script: string, args: string[]) {
    return spawnSync('bash', ['-c', script, process.execPath, cliEntry, ...args], {
      cwd: dir,
      encoding: 'utf8',
      timeout: 60_000,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  }

  it('item 6: --passphrase-fd on a descriptor the caller did not open exits 2 with a message, never aborts or hangs', () => {
    writeFileSync(join(dir, 'g.txt'), 'g\n');
    // One fresh process tries every low descriptor in turn: 1 and 2 are output; the rest are Node's own (eventfd,
    // epoll, io_uring, self-pipes, /dev/null) or not open. Reading or closing one of Node's would abort or hang it.
    const script = `
      import { runCli } from ${JSON.stringify(join(import.meta.dirname, '..', '..', 'src', 'cli', 'main.ts'))};
      import { PassThrough, Readable } from 'node:stream';
      const out = [];
      for (const fd of [1, 2, ...Array.from({ length: 38 }, (_, i) => i + 3), 999]) {
        const err = new PassThrough();
        let stderr = '';
        err.on('data', (d) => (stderr += d));
        const code = await runCli(
          ['sign', '--key-file', ${JSON.stringify(join(keys, 'p256-pw.sec.asc'))}, '--passphrase-fd', String(fd), 'g.txt'],
          { stdout: new PassThrough(), stderr: err, stdin: Readable.from([]), env: {}, cwd: ${JSON.stringify(dir)}, isTTY: false },
        );
        out.push({ fd, code, stderr });
      }
      process.stdout.write(JSON.stringify(out));
    `;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: dir,
      encoding: 'utf8',
      timeout: 120_000,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    assert.equal(r.status, 0, `${r.signal} ${r.stderr}`);
    const results = JSON.parse(r.stdout) as { fd: number; code: number; stderr: string }[];
    assert.equal(results.length, 41);
    for (const { fd, code, stderr } of results) {
      assert.equal(code, 2, `fd ${fd}: ${stderr}`);
      assert.match(stderr, new RegExp(`^jit-gpg: sign: --passphrase-fd ${fd}[ :]`), `fd ${fd}`);
    }
  });

  it('item 3: --vault-url with credentials or plain http off this machine fails before any token, without the URL', async () => {
    writeFileSync(join(dir, 'a.txt'), 'artifact a\n');
    const vault = ['--vault-role', 'r', '--vault-secret', 'secret/data/x', '--jwt-env', 'NO_SUCH_VAR'];
    const creds = await cli(['sign', '--vault-url', 'https://admin:hunter2pass@vault.example.test', ...vault, 'a.txt']);
    assert.equal(creds.code, 2);
    assert.match(creds.stderr, /vault-url must not contain a user name or password/);
    assert.ok(!creds.stderr.includes('hunter2') && !creds.stderr.includes('admin'));
    const http = await cli(['sign', '--vault-url', 'http://vault.example.test:8200', ...vault, 'a.txt']);
    assert.equal(http.code, 2);
    assert.match(http.stderr, /plain http:\/\/ to vault\.example\.test:8200/);
    // allowed explicitly, it gets as far as the JWT (which this test does not give)
    const allowed = await cli([
      'sign',
      '--vault-url',
      'http://vault.example.test:8200',
      '--allow-insecure-http',
      ...vault,
      'a.txt',
    ]);
    assert.equal(allowed.code, 2);
    assert.match(allowed.stderr, /--jwt-env NO_SUCH_VAR: the variable is not set/);
  });

  it('item 6: a pipe the caller opened (process substitution) works', () => {
    writeFileSync(join(dir, 'h.txt'), 'h\n');
    const ok = viaBash('"$0" "$1" sign --key-file "$2" --passphrase-fd 3 h.txt 3< <(printf "%s\\n" "$3")', [
      join(keys, 'p256-pw.sec.asc'),
      'test-only-p256-passphrase',
    ]);
    assert.equal(ok.status, 0, ok.stderr);
  });

  it("item 6: the CLI reads the caller's descriptor without closing it or moving its offset", async () => {
    writeFileSync(join(dir, 'i.txt'), 'i\n');
    writeFileSync(join(dir, 'pass-i.txt'), 'test-only-p256-passphrase\n');
    const fd = openSync(join(dir, 'pass-i.txt'), 'r');
    try {
      const r = await cli([
        'sign',
        '--key-file',
        join(keys, 'p256-pw.sec.asc'),
        '--passphrase-fd',
        String(fd),
        'i.txt',
      ]);
      assert.equal(r.code, 0, r.stderr);
      assert.ok(fstatSync(fd).isFile(), 'the descriptor is still open');
      const buf = Buffer.alloc(64);
      assert.equal(readSync(fd, buf, 0, 64, null), 'test-only-p256-passphrase\n'.length, 'offset unchanged');
    } finally {
      closeSync(fd);
    }
  });

  it("item 6: in-process, one of Node's own descriptors is refused and left open", async () => {
    const own = readdirSync('/proc/self/fd')
      .map(Number)
      .filter((n) => n > 2)
      .find((n) => {
        try {
          return readlinkSync(`/proc/self/fd/${n}`).startsWith('anon_inode:');
        } catch {
          return false;
        }
      });
    assert.ok(own !== undefined, 'Node holds an anonymous-inode descriptor');
    const r = await cli(['sign', '--key-file', join(keys, 'p256-pw.sec.asc'), '--passphrase-fd', String(own), 'g.txt']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /is not a file or pipe/);
    assert.ok(readlinkSync(`/proc/self/fd/${own}`).startsWith('anon_inode:'), 'still open');
  });

  it('item 8: --key-file on a FIFO, a directory or a huge file is refused at once without its content', async () => {
    const fifo = join(dir, 'key.fifo');
    execFileSync('mkfifo', [fifo]);
    writeFileSync(join(dir, 'huge.asc'), `hunter2-${'x'.repeat(2 * 1024 * 1024)}`);
    for (const [path, re] of [
      [fifo, /--key-file .*key\.fifo is a FIFO \(named pipe\), not a regular file/],
      [dir, /is a directory, not a regular file/],
      [join(dir, 'huge.asc'), /is larger than the 1 MiB limit/],
      [join(dir, 'absent.asc'), /--key-file .*absent\.asc: not found/],
    ] as const) {
      const r = await cli(['sign', '--key-file', path, 'g.txt']);
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, re);
      assert.ok(!r.stderr.includes('hunter2'));
    }
  });

  it('item 1: file names and signed notations carrying newlines and :: are printed escaped by sign and verify', async () => {
    const name = 'evil\n::error::owned.txt';
    writeFileSync(join(dir, name), 'evil\n');
    const s = await cli([
      'sign',
      '--key-file',
      join(keys, 'rsa2048.sec.asc'),
      '--notation',
      'note@example.test=a\n::warning::b ##[error]c',
      name,
    ]);
    assert.equal(s.code, 0, s.stderr);
    for (const out of [s.stdout, s.stderr]) {
      for (const line of out.split('\n')) {
        assert.doesNotMatch(line, /^\s*::/, line);
        assert.ok(!line.includes('##['), line);
      }
    }
    assert.match(s.stdout, /signed .*evil\\n::error::owned\.txt -> /);
    for (const json of [false, true]) {
      const v = await cli(['verify', '--public-key', join(keys, 'rsa2048.pub.asc'), ...(json ? ['--json'] : []), name]);
      assert.equal(v.code, 0, v.stdout);
      for (const line of v.stdout.split('\n')) {
        assert.doesNotMatch(line, /^\s*::/, line);
        assert.ok(!line.includes('##['), line);
      }
      if (!json) assert.match(v.stdout, /note@example\.test=a\\n::warning::b #\\x23\[error\]c/);
    }
  });
});
