// `jit-gpg sign` in release pipelines: the scan before sign (`--no-scan` turns it off) and the fan-in of fragments
// (`--checksums-merge`), as plain functions (runCli with injected IO); signatures checked by real gpg.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { runCli } from '../../src/cli/main.ts';
import { fakeChecksummed } from '../../src/scan/validate/checksum.ts';

const keys = join(import.meta.dirname, '..', 'fixtures', 'keys');
const keyFile = join(keys, 'ed25519.sec.asc');
const token = fakeChecksummed('ghp_', 'cli-release');
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'jit-gpg-cli-release-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function cli(argv: string[]) {
  const out = new PassThrough();
  const err = new PassThrough();
  let stdout = '';
  let stderr = '';
  out.on('data', (d) => (stdout += d));
  err.on('data', (d) => (stderr += d));
  const code = await runCli(argv, {
    stdout: out,
    stderr: err,
    stdin: Readable.from([]),
    env: {},
    cwd: dir,
    isTTY: false,
  });
  return { code, stdout, stderr };
}

function gpgVerify(sig: string, file: string) {
  const home = mkdtempSync(join(tmpdir(), 'jit-gpg-gnupghome-'));
  try {
    execFileSync('gpg', ['--homedir', home, '--batch', '--quiet', '--import', join(keys, 'ed25519.pub.asc')], {
      stdio: 'ignore',
    });
    return spawnSync('gpg', ['--homedir', home, '--batch', '--verify', sig, file], { cwd: dir, encoding: 'utf8' });
  } finally {
    spawnSync('gpgconf', ['--homedir', home, '--kill', 'all']);
    rmSync(home, { recursive: true, force: true });
  }
}

describe('jit-gpg sign: scan before sign', () => {
  it('a tarball with a token in package/.npmrc: exit 1 naming ARTIFACT!entry, nothing signed; --no-scan signs', async () => {
    const pkg = join(dir, 'src', 'package');
    mkdirSync(pkg, { recursive: true });
    writeFileSync(join(pkg, '.npmrc'), `//npm.pkg.github.com/:_authToken=${token}\n`);
    mkdirSync(join(dir, 'dist'));
    execFileSync('tar', ['-czf', join(dir, 'dist', 'app-1.0.0.tgz'), '-C', join(dir, 'src'), 'package']);
    const r = await cli(['sign', '--key-file', keyFile, 'dist/app-1.0.0.tgz']);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /^dist\/app-1\.0\.0\.tgz!package\/\.npmrc:1:\d+: GitHub .*ghp_\*+ \(validated\)/m);
    assert.match(
      r.stderr,
      /jit-gpg: sign: 1 secret found .*"dist\/app-1\.0\.0\.tgz!package\/\.npmrc".*--no-scan turns/,
    );
    assert.ok(!(r.stdout + r.stderr).includes(token));
    assert.ok(!existsSync(join(dir, 'dist', 'app-1.0.0.tgz.asc')));
    const ok = await cli(['sign', '--no-scan', '--key-file', keyFile, 'dist/app-1.0.0.tgz']);
    assert.equal(ok.code, 0, ok.stderr);
    assert.equal(gpgVerify('dist/app-1.0.0.tgz.asc', 'dist/app-1.0.0.tgz').status, 0);
  });
});

describe('jit-gpg sign --checksums-merge', () => {
  function matrix() {
    mkdirSync(join(dir, 'fragments'));
    for (const t of ['linux-x64', 'darwin-arm64']) {
      writeFileSync(join(dir, `app-${t}.tgz`), `build ${t}`);
      writeFileSync(
        join(dir, 'fragments', `${t}.sha256sums`),
        execFileSync('sha256sum', [`app-${t}.tgz`], { cwd: dir }),
      );
    }
  }
  it('merges fragments (with the files named on the command line) into one signed manifest', async () => {
    matrix();
    writeFileSync(join(dir, 'NOTES.txt'), 'release notes');
    const r = await cli([
      'sign',
      '--key-file',
      keyFile,
      '--checksums',
      'SHA256SUMS',
      '--checksums-merge',
      'fragments/*.sha256sums',
      'NOTES.txt',
    ]);
    assert.equal(r.code, 0, r.stderr);
    const text = readFileSync(join(dir, 'SHA256SUMS'), 'utf8');
    assert.deepEqual(
      text
        .trim()
        .split('\n')
        .map((l) => l.slice(66)),
      ['NOTES.txt', 'app-darwin-arm64.tgz', 'app-linux-x64.tgz'],
    );
    assert.equal(gpgVerify('SHA256SUMS.asc', 'SHA256SUMS').status, 0);
    const check = spawnSync('sha256sum', ['-c', '--strict', 'SHA256SUMS'], { cwd: dir, encoding: 'utf8' });
    assert.equal(check.status, 0, check.stdout + check.stderr);
  });
  it('a conflicting fragment: exit 1 naming both fragments; no manifest, no signature', async () => {
    matrix();
    writeFileSync(join(dir, 'fragments', 'old.sha256sums'), `${'e'.repeat(64)}  app-linux-x64.tgz\n`);
    const r = await cli([
      'sign',
      '--key-file',
      keyFile,
      '--checksums',
      'SHA256SUMS',
      '--checksums-merge',
      'fragments/*',
    ]);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /conflicting digests for "app-linux-x64\.tgz": fragments\/linux-x64\.sha256sums says/);
    assert.match(r.stderr, /fragments\/old\.sha256sums \(line 1\) says e{64}/);
    assert.ok(!existsSync(join(dir, 'SHA256SUMS')) && !existsSync(join(dir, 'SHA256SUMS.asc')));
  });
  it('usage: --checksums-merge needs --checksums', async () => {
    const r = await cli(['sign', '--key-file', keyFile, '--checksums-merge', 'fragments/*']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--checksums-merge needs --checksums NAME/);
  });
});
