// `jit-gpg digest` as a plain function (runCli with injected IO); fragments checked by real `sha256sum -c --strict`.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { after, describe, it } from 'node:test';
import { runCli } from '../../src/cli/main.ts';

const dir = mkdtempSync(join(tmpdir(), 'jit-gpg-cli-digest-'));
after(() => rmSync(dir, { recursive: true, force: true }));

async function cli(argv: string[], cwd = dir) {
  const out = new PassThrough();
  const err = new PassThrough();
  let stdout = '';
  let stderr = '';
  out.on('data', (d) => (stdout += d));
  err.on('data', (d) => (stderr += d));
  const code = await runCli(argv, { stdout: out, stderr: err, stdin: Readable.from([]), env: {}, cwd, isTTY: false });
  return { code, stdout, stderr };
}

describe('jit-gpg digest', () => {
  it('writes a fragment (0644) that sha256sum -c --strict accepts where it was made, names as given', async () => {
    mkdirSync(join(dir, 'build', 'sub'), { recursive: true });
    writeFileSync(join(dir, 'build', 'app-linux-x64.tgz'), 'linux');
    writeFileSync(join(dir, 'build', 'sub', 'notes.txt'), 'notes');
    const r = await cli(['digest', 'build/sub/notes.txt', './build/app-linux-x64.tgz', '--output', 'x.sha256sums']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, '');
    const path = join(dir, 'x.sha256sums');
    assert.equal(statSync(path).mode & 0o777, 0o644);
    const text = readFileSync(path, 'utf8');
    assert.match(text, /^[0-9a-f]{64} {2}build\/app-linux-x64\.tgz\n[0-9a-f]{64} {2}build\/sub\/notes\.txt\n$/);
    const check = spawnSync('sha256sum', ['-c', '--strict', 'x.sha256sums'], { cwd: dir, encoding: 'utf8' });
    assert.equal(check.status, 0, check.stdout + check.stderr);
    // the same bytes sha256sum itself writes for these names
    const theirs = spawnSync('sha256sum', ['build/app-linux-x64.tgz', 'build/sub/notes.txt'], { cwd: dir });
    assert.equal(text, theirs.stdout.toString('utf8'));
  });
  it('prints to stdout without --output; hostile names in sha256sum escaping, one line each', async () => {
    const d = join(dir, 'hostile');
    mkdirSync(d);
    const names = ['new\nline.tgz', 'back\\slash.tgz', 'cr\r.tgz'];
    for (const n of names) writeFileSync(join(d, n), n);
    const r = await cli(['digest', ...names], d);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.split('\n').length, 4);
    writeFileSync(join(d, 'SUMS'), r.stdout);
    const check = spawnSync('sha256sum', ['-c', '--strict', 'SUMS'], { cwd: d, encoding: 'utf8' });
    assert.equal(check.status, 0, check.stdout + check.stderr);
    const theirs = spawnSync('sha256sum', names.slice().sort(), { cwd: d });
    assert.equal(r.stdout, theirs.stdout.toString('utf8'));
  });
  it('usage errors exit 2 and say what to change', async () => {
    writeFileSync(join(dir, 'a'), 'a');
    mkdirSync(join(dir, 'adir'), { recursive: true });
    for (const [argv, pattern] of [
      [['digest'], /name at least one file/],
      [['digest', 'a', '--output', 'a'], /--output file is also one of the FILES/],
      [['digest', '../outside'], /outside the manifest's directory/],
      [['digest', 'adir'], /"adir" is not a regular file/],
      [['digest', 'missing'], /cannot read "missing": ENOENT/],
      [['digest', '-'], /"-", which sha256sum -c reads as stdin/],
      [['digest', '--bogus', 'a'], /Unknown option '--bogus'/],
    ] as const) {
      const r = await cli([...argv]);
      assert.equal(r.code, 2, argv.join(' '));
      assert.match(r.stderr, pattern, argv.join(' '));
      assert.match(r.stderr, /^jit-gpg: digest: /);
    }
    const unknown = await cli(['digets', 'a']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /unknown command 'digets' \(expected [a-z, ]*\bdigest\b/);
    const help = await cli(['digest', '--help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /Usage: jit-gpg digest FILES/);
  });
});
